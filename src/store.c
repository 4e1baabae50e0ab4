/* store.c: opening the cache (directories, pragmas, migrations, moving a
 * corrupt file aside), the per-connection statement caches, transactions and
 * the sync_state key/value table. The writes live in store_write.c, the list
 * queries in store_query.c, the single-ticket and lookup reads in
 * store_read.c, the schema in store_schema.c. */
#include "src/store_internal.h"

#include "src/log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *const stmt_sql[STMT_COUNT] = {
    [STMT_UPSERT_TICKET] =
        "INSERT INTO tickets(id, subject, status, priority, source, type, requester_id,"
        " responder_id, group_id, company_id, due_by, fr_due_by, created_at, updated_at,"
        " is_escalated, fr_escalated, spam, deleted, gone, tags, cc_emails, description_text,"
        " description_html, custom_fields, attachments, json, sort_due, sort_priority,"
        " sort_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)"
        " ON CONFLICT(id) DO UPDATE SET subject = excluded.subject, status = excluded.status,"
        " priority = excluded.priority, source = excluded.source, type = excluded.type,"
        " requester_id = excluded.requester_id, responder_id = excluded.responder_id,"
        " group_id = excluded.group_id, company_id = excluded.company_id,"
        " due_by = excluded.due_by, fr_due_by = excluded.fr_due_by,"
        " created_at = excluded.created_at, updated_at = excluded.updated_at,"
        " is_escalated = excluded.is_escalated, fr_escalated = excluded.fr_escalated,"
        " spam = excluded.spam, deleted = excluded.deleted,"
        " gone = CASE WHEN excluded.updated_at > tickets.updated_at THEN excluded.gone"
        "   ELSE max(excluded.gone, tickets.gone) END,"
        " tags = excluded.tags, cc_emails = excluded.cc_emails,"
        " description_text = coalesce(excluded.description_text, tickets.description_text),"
        " description_html = coalesce(excluded.description_html, tickets.description_html),"
        " custom_fields = excluded.custom_fields,"
        " attachments = coalesce(excluded.attachments, tickets.attachments),"
        " json = excluded.json, sort_due = excluded.sort_due,"
        " sort_priority = excluded.sort_priority, sort_status = excluded.sort_status"
        /* Never back in time; an equal updated_at only refreshes when the
         * copy carries more (a description) or newly says the ticket is gone. */
        " WHERE excluded.updated_at > tickets.updated_at"
        "  OR (excluded.updated_at = tickets.updated_at"
        "      AND ((excluded.description_text IS NOT NULL"
        "            AND (excluded.description_text IS NOT tickets.description_text"
        "                 OR excluded.json IS NOT tickets.json))"
        "           OR excluded.gone > tickets.gone))",
    [STMT_UPSERT_CONTACT_EMBEDDED] =
        "INSERT INTO contacts(id, name, email, phone, mobile) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT(id) DO UPDATE SET name = coalesce(excluded.name, name),"
        " email = coalesce(excluded.email, email), phone = coalesce(excluded.phone, phone),"
        " mobile = coalesce(excluded.mobile, mobile)"
        " WHERE name IS NOT excluded.name OR email IS NOT excluded.email"
        "  OR phone IS NOT excluded.phone OR mobile IS NOT excluded.mobile",
    [STMT_UPSERT_COMPANY_EMBEDDED] =
        "INSERT INTO companies(id, name) VALUES (?1, ?2)"
        " ON CONFLICT(id) DO UPDATE SET name = coalesce(excluded.name, name)"
        " WHERE name IS NOT excluded.name",
    [STMT_UPSERT_CONTACT] =
        "INSERT INTO contacts(id, name, email, phone, mobile, company_id, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET"
        " name = excluded.name, email = excluded.email, phone = excluded.phone,"
        " mobile = excluded.mobile, company_id = excluded.company_id,"
        " updated_at = excluded.updated_at WHERE excluded.updated_at >= updated_at",
    [STMT_UPSERT_COMPANY] = "INSERT INTO companies(id, name, updated_at) VALUES (?1, ?2, ?3)"
                            " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                            " updated_at = excluded.updated_at"
                            " WHERE excluded.updated_at >= updated_at",
    [STMT_MARK_GONE] = "UPDATE tickets SET gone = 1 WHERE id = ?1 AND gone = 0",
    [STMT_DELETE_CONVERSATIONS] = "DELETE FROM conversations WHERE ticket_id = ?1",
    [STMT_UPSERT_CONVERSATION] =
        "INSERT OR REPLACE INTO conversations(id, ticket_id, user_id, body_text, body_html,"
        " from_email, incoming, private, source, created_at, updated_at, to_emails,"
        " cc_emails, bcc_emails, attachments) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
        " ?10, ?11, ?12, ?13, ?14, ?15)",
    [STMT_SET_CONVERSATIONS_FOR] = "UPDATE tickets SET conversations_for = ?2 WHERE id = ?1",
    [STMT_UPSERT_AGENT] =
        "INSERT INTO agents(id, name, email, signature_html, ticket_scope, available,"
        " occasional, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email,"
        " signature_html = excluded.signature_html, ticket_scope = excluded.ticket_scope,"
        " available = excluded.available, occasional = excluded.occasional,"
        " updated_at = excluded.updated_at",
    [STMT_UPSERT_GROUP] = "INSERT INTO groups(id, name, updated_at) VALUES (?1, ?2, ?3)"
                          " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                          " updated_at = excluded.updated_at",
    [STMT_SYNC_GET] = "SELECT value FROM sync_state WHERE key = ?1",
    [STMT_SYNC_SET] = "INSERT INTO sync_state(key, value) VALUES (?1, ?2)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
};

int store_fail(struct store *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return -1;
}

int store_fail_sql(struct store *s, const char *what)
{
    return store_fail(s, "cache %s: %s", what, s->db ? sqlite3_errmsg(s->db) : "not open");
}

int store_step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : store_fail_sql(s, what);
}

const char *store_error(const struct store *s)
{
    return s && s->error[0] ? s->error : "unknown cache error";
}

const char *store_notice(const struct store *s)
{
    return s && s->notice[0] ? s->notice : NULL;
}

bool store_exists(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0;
}

int store_exec(struct store *s, const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        store_fail(s, "cache error: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id)
{
    if (!s->stmts[id] && sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                            &s->stmts[id], NULL) != SQLITE_OK) {
        store_fail_sql(s, "prepare");
        s->stmts[id] = NULL;
        return NULL;
    }
    return s->stmts[id];
}

sqlite3_stmt *store_cached_query(struct store *s, const char *sql)
{
    struct store_cached_query *victim = &s->queries[0];

    for (size_t i = 0; i < STORE_QUERY_CACHE; i++) {
        struct store_cached_query *q = &s->queries[i];
        if (q->sql && strcmp(q->sql, sql) == 0) {
            q->last_used = ++s->query_clock;
            return q->stmt;
        }
        if (!q->sql || (victim->sql && q->last_used < victim->last_used))
            victim = q;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        store_fail_sql(s, "query");
        return NULL;
    }
    char *copy = strdup(sql);
    if (!copy) {
        sqlite3_finalize(st);
        store_fail(s, "out of memory");
        return NULL;
    }
    sqlite3_finalize(victim->stmt);
    free(victim->sql);
    victim->sql = copy;
    victim->stmt = st;
    victim->last_used = ++s->query_clock;
    return st;
}

int store_bind_text(sqlite3_stmt *st, int index, const char *text)
{
    if (!text)
        return sqlite3_bind_null(st, index);
    return sqlite3_bind_text(st, index, text, -1, SQLITE_TRANSIENT);
}

int store_bind_nullable(sqlite3_stmt *st, int index, int64_t value)
{
    if (value == 0)
        return sqlite3_bind_null(st, index);
    return sqlite3_bind_int64(st, index, value);
}

char *store_column_strdup(sqlite3_stmt *st, int col, bool *oom)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    if (!text)
        return NULL;
    char *copy = strdup((const char *)text);
    if (!copy)
        *oom = true;
    return copy;
}

/* mkdir -p for the parent directory of path, new directories mode 0700. */
static int make_parent_dirs(const char *path, char *err, size_t errsize)
{
    char *dir = strdup(path);
    if (!dir) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        free(dir);
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errsize, "cannot create the cache directory %s: %s", dir,
                     strerror(errno));
            free(dir);
            return -1;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    free(dir);
    return 0;
}

static void close_statements(struct store *s)
{
    for (int i = 0; i < STMT_COUNT; i++) {
        sqlite3_finalize(s->stmts[i]);
        s->stmts[i] = NULL;
    }
    for (size_t i = 0; i < STORE_QUERY_CACHE; i++) {
        sqlite3_finalize(s->queries[i].stmt);
        free(s->queries[i].sql);
        s->queries[i].stmt = NULL;
        s->queries[i].sql = NULL;
    }
    for (size_t i = 0; i < STORE_COUNT_CACHE; i++) {
        free(s->counts[i].key);
        s->counts[i].key = NULL;
    }
}

void store_close(struct store *s)
{
    if (!s)
        return;
    close_statements(s);
    if (s->db)
        sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* Why an open failed: the file is damaged (move it aside and start again),
 * written by a newer fdesk (refuse), or something else (report). */
enum open_result { OPEN_OK, OPEN_DAMAGED, OPEN_NEWER, OPEN_FAILED };

static bool is_damage(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT || rc == SQLITE_IOERR ||
           rc == SQLITE_CANTOPEN || rc == SQLITE_FORMAT;
}

static int read_user_version(struct store *s, int *version)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *version = sqlite3_column_int(st, 0);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(st);
    }
    return rc;
}

/* Runs the migrations from the current version up to target, each in its own
 * IMMEDIATE transaction that re-reads the version (another connection may
 * have migrated meanwhile). */
static enum open_result migrate(struct store *s, int target)
{
    for (;;) {
        int version = 0, rc;
        if ((rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
            return is_damage(rc) ? OPEN_DAMAGED : (store_fail_sql(s, "lock"), OPEN_FAILED);
        if ((rc = read_user_version(s, &version)) != SQLITE_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return is_damage(rc) ? OPEN_DAMAGED : (store_fail_sql(s, "version"), OPEN_FAILED);
        }
        if (version > STORE_SCHEMA_VERSION) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            store_fail(s,
                       "the cache %s was written by a newer fdesk (schema %d; this fdesk knows "
                       "up to %d): upgrade fdesk, or delete the cache file to rebuild it",
                       s->path, version, STORE_SCHEMA_VERSION);
            return OPEN_NEWER;
        }
        if (version >= target) {
            sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
            return OPEN_OK;
        }
        char *msg = NULL;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", version + 1);
        rc = sqlite3_exec(s->db, store_migrations[version], NULL, NULL, &msg);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(s->db, pragma, NULL, NULL, &msg);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            store_fail(s, "cache migration to schema %d failed: %s", version + 1,
                       msg ? msg : sqlite3_errstr(rc));
            sqlite3_free(msg);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            return is_damage(rc) ? OPEN_DAMAGED : OPEN_FAILED;
        }
        log_info("store", "cache %s migrated to schema %d", s->path, version + 1);
    }
}

static enum open_result open_connection(struct store *s, int target)
{
    int rc = sqlite3_open_v2(
        s->path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        store_fail_sql(s, "open");
        return is_damage(rc) && store_exists(s->path) ? OPEN_DAMAGED : OPEN_FAILED;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    /* journal_mode is the first statement that reads the file header, so a
     * file that is not a database fails here. A 4 MB page cache per
     * connection: a 16 MB one wrote no faster in bench/store, and the UI's
     * connection must stay small. WAL checkpoints every 4000 pages. */
    static const char *const pragmas[] = {
        "PRAGMA journal_mode = WAL",        "PRAGMA synchronous = NORMAL",
        "PRAGMA secure_delete = OFF",       "PRAGMA foreign_keys = OFF",
        "PRAGMA temp_store = MEMORY",       "PRAGMA cache_size = -4096",
        "PRAGMA wal_autocheckpoint = 4000", "SELECT count(*) FROM sqlite_schema",
    };
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        rc = sqlite3_exec(s->db, pragmas[i], NULL, NULL, NULL);
        if (rc != SQLITE_OK) {
            store_fail_sql(s, "open");
            return is_damage(rc) ? OPEN_DAMAGED : OPEN_FAILED;
        }
    }
    chmod(s->path, 0600);
    return migrate(s, target);
}

/* Renames the damaged file (and its -wal/-shm companions) out of the way. */
static int move_aside(struct store *s)
{
    char stamp[32], *aside;
    time_t now = time(NULL);
    struct tm tm;
    static const char *const companions[] = {"-wal", "-shm"};

    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    size_t size = strlen(s->path) + 64;
    if (!(aside = malloc(size)))
        return -1;
    snprintf(aside, size, "%s.corrupt-%s", s->path, stamp);
    if (rename(s->path, aside) != 0) {
        /* ENOENT: another connection moved it first; just start afresh */
        int rc = errno == ENOENT ? 0 : -1;
        if (rc != 0)
            store_fail(s, "the cache %s is damaged and cannot be moved aside: %s", s->path,
                       strerror(errno));
        free(aside);
        return rc;
    }
    for (size_t i = 0; i < 2; i++) {
        char from[4096], to[4200];
        snprintf(from, sizeof from, "%s%s", s->path, companions[i]);
        snprintf(to, sizeof to, "%s%s", aside, companions[i]);
        if (rename(from, to) != 0 && errno != ENOENT)
            unlink(from);
    }
    snprintf(s->notice, sizeof s->notice,
             "the cache %s was damaged (%s); it was moved to %s and will be rebuilt by sync",
             s->path, s->error, aside);
    log_warn("store", "%s", s->notice);
    free(aside);
    return 0;
}

static struct store *open_to(const char *path, int flags, int target, bool *missing, char *err,
                             size_t errsize)
{
    if (missing)
        *missing = false;
    if (!store_exists(path)) {
        if (!(flags & STORE_OPEN_CREATE)) {
            if (missing)
                *missing = true;
            snprintf(err, errsize, "no cache at %s", path);
            return NULL;
        }
        if (make_parent_dirs(path, err, errsize) != 0)
            return NULL;
    }
    struct store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        snprintf(err, errsize, "out of memory");
        return NULL;
    }
    enum open_result r = open_connection(s, target);
    if (r == OPEN_DAMAGED) {
        close_statements(s);
        sqlite3_close(s->db);
        s->db = NULL;
        if (move_aside(s) == 0) {
            s->error[0] = '\0';
            r = open_connection(s, target);
        } else {
            r = OPEN_FAILED;
        }
    }
    if (r != OPEN_OK) {
        snprintf(err, errsize, "%s", store_error(s));
        store_close(s);
        return NULL;
    }
    return s;
}

struct store *store_open(const char *path, int flags, bool *missing, char *err, size_t errsize)
{
    return open_to(path, flags, STORE_SCHEMA_VERSION, missing, err, errsize);
}

struct store *store_open_at_version(const char *path, int version, char *err, size_t errsize)
{
    return open_to(path, STORE_OPEN_CREATE, version, NULL, err, errsize);
}

int store_data_version(struct store *s, int64_t *version)
{
    sqlite3_stmt *st = store_cached_query(s, "PRAGMA data_version");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    int64_t v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return store_fail_sql(s, "data_version");
    /* data_version only moves for other connections' commits: fold in ours. */
    *version = (int64_t)(((uint64_t)v << 32) ^ (uint64_t)sqlite3_total_changes64(s->db));
    return 0;
}

int store_begin(struct store *s)
{
    if (s->tx_depth)
        return store_fail(s, "cache transaction already open");
    if (store_exec(s, "BEGIN IMMEDIATE") != 0)
        return -1;
    s->tx_depth = 1;
    return 0;
}

int store_commit(struct store *s)
{
    if (!s->tx_depth)
        return store_fail(s, "no cache transaction open");
    if (store_exec(s, "COMMIT") != 0) {
        store_rollback(s);
        return -1;
    }
    s->tx_depth = 0;
    return 0;
}

void store_rollback(struct store *s)
{
    if (sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->tx_depth = 0;
}

int store_sync_get(struct store *s, const char *key, char **value)
{
    sqlite3_stmt *st = store_stmt(s, STMT_SYNC_GET);
    bool oom = false;

    *value = NULL;
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = store_column_strdup(st, 0, &oom);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail_sql(s, "read sync state");
    if (oom)
        return store_fail(s, "out of memory");
    return rc == SQLITE_ROW && *value ? 1 : 0;
}

int store_sync_set(struct store *s, const char *key, const char *value)
{
    sqlite3_stmt *st = store_stmt(s, STMT_SYNC_SET);
    if (!st)
        return -1;
    store_bind_text(st, 1, key);
    store_bind_text(st, 2, value);
    return store_step_done(s, st, "write sync state");
}

int store_sync_get_int(struct store *s, const char *key, int64_t *value, int64_t fallback)
{
    char *text = NULL, *end;
    int rc = store_sync_get(s, key, &text);

    *value = fallback;
    if (rc == 1) {
        errno = 0;
        long long v = strtoll(text, &end, 10);
        if (errno == 0 && end != text && *end == '\0')
            *value = v;
    }
    free(text);
    return rc < 0 ? -1 : 0;
}

int store_sync_set_int(struct store *s, const char *key, int64_t value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, value);
    return store_sync_set(s, key, buf);
}
