/* state.c: opens the state database (drafts, outbox) with the durability and
 * permission rules of state.h and brings its schema up to date with numbered
 * migrations, one transaction each, refusing a database from a newer fdesk. */
#include "src/state.h"
#include "src/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* migrations[i] brings user_version i to i + 1. Never edit a shipped entry:
 * add a new one and bump STATE_SCHEMA_VERSION. */
static const char *const migrations[STATE_SCHEMA_VERSION] = {
    /* 0 -> 1: drafts and the outbox. */
    "CREATE TABLE drafts ("
    "  ticket_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL," /* enum draft_kind */
    "  body TEXT NOT NULL DEFAULT '',"
    "  cc TEXT NOT NULL DEFAULT '',"
    "  bcc TEXT NOT NULL DEFAULT '',"
    "  is_public INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL," /* ms since the epoch */
    "  PRIMARY KEY (ticket_id, kind));"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  kind INTEGER NOT NULL,"         /* enum outbox_kind */
    "  ticket_id INTEGER NOT NULL,"    /* the first ticket for bulk updates */
    "  marker TEXT NOT NULL UNIQUE,"   /* client-generated idempotency marker */
    "  text TEXT NOT NULL DEFAULT ''," /* what the agent wrote (replies, notes) */
    "  payload TEXT NOT NULL,"         /* the JSON request body */
    "  state INTEGER NOT NULL,"        /* enum outbox_state */
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  first_sent_at INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL,"
    "  owner_pid INTEGER NOT NULL DEFAULT 0,"
    "  error TEXT NOT NULL DEFAULT '',"
    "  remote_id INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE outbox_tickets ("
    "  item_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
    "  ticket_id INTEGER NOT NULL,"
    "  PRIMARY KEY (item_id, ticket_id));"
    "CREATE INDEX outbox_tickets_by_ticket ON outbox_tickets(ticket_id, item_id);"
    "CREATE INDEX outbox_by_state ON outbox(state, id);",
    /* 1 -> 2: back-off, so one item the server keeps failing (5xx, 429)
     * does not hold up the other tickets' items. */
    "ALTER TABLE outbox ADD COLUMN retry_at INTEGER NOT NULL DEFAULT 0;",
};

int64_t state_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int state_exec(struct state_db *st, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("state", "%s: %s", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* mkdir -p with mode 0700 for the directories it creates. */
static int make_dirs(const char *dir)
{
    char path[4096];
    size_t len = strlen(dir);

    if (len == 0 || len >= sizeof path)
        return -1;
    memcpy(path, dir, len + 1);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *stmt;
    int v = -1;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

/* Applies the missing migrations, each in its own IMMEDIATE transaction so two
 * processes opening a fresh file at once cannot both apply it. */
static int migrate(struct state_db *st, char *err, size_t errsize)
{
    for (;;) {
        if (state_exec(st, "BEGIN IMMEDIATE") != 0) {
            snprintf(err, errsize, "%s: cannot lock the state database", st->path);
            return -1;
        }
        int v = user_version(st->db);
        if (v < 0 || v > STATE_SCHEMA_VERSION) {
            state_exec(st, "ROLLBACK");
            snprintf(err, errsize,
                     "%s: written by a newer fdesk (schema %d, this one knows %d); "
                     "refusing to touch it",
                     st->path, v, STATE_SCHEMA_VERSION);
            return -1;
        }
        if (v == STATE_SCHEMA_VERSION)
            return state_exec(st, "COMMIT");
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (state_exec(st, migrations[v]) != 0 || state_exec(st, pragma) != 0 ||
            state_exec(st, "COMMIT") != 0) {
            state_exec(st, "ROLLBACK");
            snprintf(err, errsize, "%s: cannot upgrade the schema to version %d", st->path, v + 1);
            return -1;
        }
        log_info("state", "%s: schema upgraded to version %d", st->path, v + 1);
    }
}

struct state_db *state_open_path(const char *path, char *err, size_t errsize)
{
    struct state_db *st = calloc(1, sizeof *st);
    int fd;

    if (!st || !(st->path = strdup(path))) {
        free(st);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    /* Create the file ourselves so its mode is 0600 whatever the umask. */
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        goto fail;
    }
    /* A file left readable by others (an old copy, a restore) is made private. */
    struct stat sb;
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0)
        fchmod(fd, 0600);
    close(fd);
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        snprintf(err, errsize, "%s: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : "cannot open the database");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 10000);
    if (state_exec(st, "PRAGMA journal_mode=WAL") != 0 ||
        state_exec(st, "PRAGMA synchronous=FULL") != 0 ||
        state_exec(st, "PRAGMA foreign_keys=ON") != 0) {
        snprintf(err, errsize, "%s: not a usable SQLite database: %s", path,
                 sqlite3_errmsg(st->db));
        goto fail;
    }
    if (migrate(st, err, errsize) != 0)
        goto fail;
    return st;
fail:
    state_close(st);
    return NULL;
}

struct state_db *state_open(const char *state_dir, const char *account, char *err, size_t errsize)
{
    char path[4096];

    if (!state_dir || !account) {
        snprintf(err, errsize, "no state directory or account configured");
        return NULL;
    }
    if (make_dirs(state_dir) != 0) {
        snprintf(err, errsize, "%s: cannot create the state directory: %s", state_dir,
                 strerror(errno));
        return NULL;
    }
    /* Drafts are private: the directory is ours, so make it 0700 if it is not. */
    struct stat sb;
    if (stat(state_dir, &sb) == 0 && sb.st_uid == getuid() && (sb.st_mode & 077) != 0)
        chmod(state_dir, 0700);
    if ((size_t)snprintf(path, sizeof path, "%s/%s.state.db", state_dir, account) >= sizeof path) {
        snprintf(err, errsize, "state directory path too long");
        return NULL;
    }
    return state_open_path(path, err, errsize);
}

void state_close(struct state_db *st)
{
    if (!st)
        return;
    if (st->db)
        sqlite3_close(st->db);
    free(st->path);
    free(st);
}
