/* store_internal.h: what the store's .c files share and nobody else sees:
 * the connection struct, the prepared-statement table, error helpers, and
 * the test hooks. Include only from src/store*.c and tests/store. */
#ifndef FD_STORE_INTERNAL_H
#define FD_STORE_INTERNAL_H

#include <sqlite3.h>

#include "src/store.h"

/* Statements prepared once per connection (SQLITE_PREPARE_PERSISTENT) and
 * reused with bind/step/reset. */
enum store_stmt_id {
    STMT_UPSERT_TICKET,
    STMT_UPSERT_CONTACT_EMBEDDED,
    STMT_UPSERT_COMPANY_EMBEDDED,
    STMT_UPSERT_CONTACT,
    STMT_UPSERT_COMPANY,
    STMT_MARK_GONE,
    STMT_DELETE_CONVERSATIONS,
    STMT_UPSERT_CONVERSATION,
    STMT_SET_CONVERSATIONS_FOR,
    STMT_UPSERT_AGENT,
    STMT_UPSERT_GROUP,
    STMT_SYNC_GET,
    STMT_SYNC_SET,
    STMT_COUNT
};

/* A small cache of dynamically built queries (views, windows, counts). */
#define STORE_QUERY_CACHE 24

struct store_cached_query {
    char *sql;
    sqlite3_stmt *stmt;
    uint64_t last_used;
};

struct store_cached_count {
    char *key; /* SQL plus bound values */
    int64_t version;
    size_t count;
};

#define STORE_COUNT_CACHE 16

struct store {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *stmts[STMT_COUNT];
    struct store_cached_query queries[STORE_QUERY_CACHE];
    struct store_cached_count counts[STORE_COUNT_CACHE];
    uint64_t query_clock;
    int tx_depth; /* 1 inside store_begin/store_commit */
    char error[512];
    char notice[1024];
};

/* Sets s->error (printf-style) and returns -1. */
int store_fail(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets s->error from the connection's last SQLite error, prefixed by what. */
int store_fail_sql(struct store *s, const char *what);
/* Steps a bound write statement once and resets it: 0 when it finished
 * (SQLITE_DONE), else -1 with s->error naming what. */
int store_step_done(struct store *s, sqlite3_stmt *st, const char *what);

/* Returns the reusable statement id (prepared on first use), or NULL with
 * s->error set. The caller resets it after use. */
sqlite3_stmt *store_stmt(struct store *s, enum store_stmt_id id);
/* Returns a prepared statement for dynamic SQL from the per-connection cache
 * (prepared and cached on first use). The caller resets it after use. */
sqlite3_stmt *store_cached_query(struct store *s, const char *sql);

/* Runs SQL with no result rows; 0 or -1 with s->error. */
int store_exec(struct store *s, const char *sql);

/* Binds text or NULL; an empty string binds as itself. */
int store_bind_text(sqlite3_stmt *st, int index, const char *text);
/* Binds a time or id where 0 means NULL. */
int store_bind_nullable(sqlite3_stmt *st, int index, int64_t value);
/* Copies column text (NULL for SQL NULL); sets *oom on allocation failure. */
char *store_column_strdup(sqlite3_stmt *st, int col, bool *oom);

/* Schema: the numbered migrations (store_schema.c). migration[i] brings a
 * cache from version i to i + 1. */
extern const char *const store_migrations[];
extern const int store_migration_count;

/* Sort keys (store_query.c). */
int64_t store_sort_key_due(fd_time due_by);
int64_t store_sort_key_priority(int priority, fd_time updated_at);
int64_t store_sort_key_status(int status, fd_time updated_at);

/* Test hooks: open a cache migrated only up to `version` (for migration
 * tests). */
struct store *store_open_at_version(const char *path, int version, char *err, size_t errsize);

#endif
