/* test_store_open.c: opening the cache: directories and modes, WAL, schema
 * versions and migrations, refusing a newer cache, moving a damaged one
 * aside, and two connections (sync writer, UI reader) on one file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "src/store_internal.h"
#include "src/views.h"
#include "tests/store/helpers.h"

static int setup(void **state)
{
    struct test_cache *c = calloc(1, sizeof *c);
    test_cache_init(c);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    test_cache_remove(*state);
    free(*state);
    return 0;
}

/* Runs one SQL statement on the file with plain SQLite; returns the first
 * column of the first row as an integer (or -1). */
static long long raw_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void creates_private_directories_and_a_wal_cache(void **state)
{
    struct test_cache *c = *state;
    struct stat st;
    char dir[160];

    struct store *s = test_open(c->path);
    assert_non_null(s);
    assert_null(store_notice(s));
    store_close(s);
    snprintf(dir, sizeof dir, "%s/sub", c->dir);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(c->path, &st), 0);
    assert_int_equal(st.st_mode & 0077, 0);
    assert_int_equal(raw_sql(c->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open(c->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
    sqlite3_finalize(q);
    sqlite3_close(db);
}

static void missing_cache_is_reported_without_creating_it(void **state)
{
    struct test_cache *c = *state;
    char err[256];
    bool missing = false;

    assert_false(store_exists(c->path));
    assert_null(store_open(c->path, 0, &missing, err, sizeof err));
    assert_true(missing);
    assert_false(store_exists(c->path));
}

static void version_1_cache_is_migrated_keeping_its_tickets(void **state)
{
    struct test_cache *c = *state;
    char err[256];
    struct fd_ticket t;

    struct store *s = store_open_at_version(c->path, 1, err, sizeof err);
    assert_non_null(s);
    for (int i = 1; i <= 3; i++) {
        test_ticket(&t, i, i == 3 ? FD_STATUS_CLOSED : FD_STATUS_OPEN, 1, 1000 + i,
                    i == 2 ? "Router keeps rebooting" : "Invoice question");
        model_string_list_add(&t.tags, i == 1 ? "billing" : "network");
        assert_int_equal(test_put(s, &t), 1);
    }
    store_close(s);
    assert_int_equal(raw_sql(c->path, "PRAGMA user_version"), 1);

    s = test_open(c->path);
    assert_non_null(s);
    assert_int_equal(raw_sql(c->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    /* the counters, the FTS index and the tags were built from the old rows */
    size_t n;
    struct store_query all = {.sort = STORE_SORT_UPDATED};
    assert_int_equal(store_count(s, &all, &n), 0);
    assert_int_equal(n, 3);
    struct store_query found = {.sort = STORE_SORT_UPDATED, .search = "reboot"};
    struct store_rows rows = {0};
    assert_int_equal(store_window(s, &found, NULL, STORE_AFTER, 10, &rows), 0);
    assert_int_equal(rows.count, 1);
    assert_int_equal(rows.rows[0].id, 2);
    struct view_expr *e = view_parse("tag:billing", err, sizeof err, NULL);
    struct store_query tagged = {.sort = STORE_SORT_UPDATED, .filter = e};
    assert_int_equal(store_window(s, &tagged, NULL, STORE_AFTER, 10, &rows), 0);
    assert_int_equal(rows.count, 1);
    assert_int_equal(rows.rows[0].id, 1);
    struct view_expr *open = view_parse("status:open", err, sizeof err, NULL);
    struct store_query open_q = {.sort = STORE_SORT_UPDATED, .filter = open};
    assert_int_equal(store_count(s, &open_q, &n), 0);
    assert_int_equal(n, 2);
    view_expr_free(e);
    view_expr_free(open);
    store_rows_clear(&rows);
    store_close(s);
}

static void cache_from_a_newer_fdesk_is_refused_and_left_alone(void **state)
{
    struct test_cache *c = *state;
    char err[512];
    struct fd_ticket t;

    struct store *s = test_open(c->path);
    test_ticket(&t, 7, 2, 1, 100, "kept");
    assert_int_equal(test_put(s, &t), 1);
    store_close(s);
    raw_sql(c->path, "PRAGMA user_version = 99");

    assert_null(store_open(c->path, STORE_OPEN_CREATE, NULL, err, sizeof err));
    assert_non_null(strstr(err, "newer fdesk"));
    assert_non_null(strstr(err, c->path));
    /* not moved aside, not changed */
    assert_int_equal(raw_sql(c->path, "PRAGMA user_version"), 99);
    assert_int_equal(raw_sql(c->path, "SELECT count(*) FROM tickets"), 1);
}

/* Counts files in dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

static void damaged_cache_is_moved_aside_and_rebuilt(void **state)
{
    struct test_cache *c = *state;
    char dir[160];
    struct fd_ticket t;

    snprintf(dir, sizeof dir, "%s/sub", c->dir);
    store_close(test_open(c->path)); /* creates the directory */
    unlink(c->path);
    FILE *f = fopen(c->path, "w");
    assert_non_null(f);
    for (int i = 0; i < 300; i++)
        fputs("this is not an SQLite database at all\n", f);
    fclose(f);

    struct store *s = test_open(c->path);
    assert_non_null(s);
    assert_non_null(store_notice(s));
    assert_non_null(strstr(store_notice(s), "moved"));
    assert_int_equal(count_prefixed(dir, "acme.db.corrupt-"), 1);
    test_ticket(&t, 1, 2, 1, 100, "fresh");
    assert_int_equal(test_put(s, &t), 1);
    store_close(s);
    assert_int_equal(raw_sql(c->path, "SELECT count(*) FROM tickets"), 1);
}

static void cache_with_a_smashed_header_is_moved_aside(void **state)
{
    struct test_cache *c = *state;
    char dir[160];
    struct fd_ticket t;

    snprintf(dir, sizeof dir, "%s/sub", c->dir);
    struct store *s = test_open(c->path);
    test_ticket(&t, 1, 2, 1, 100, "before");
    assert_int_equal(test_put(s, &t), 1);
    store_close(s);
    FILE *f = fopen(c->path, "r+");
    assert_non_null(f);
    fwrite("GARBAGEGARBAGEGARBAGE", 1, 21, f);
    fclose(f);

    s = test_open(c->path);
    assert_non_null(s);
    assert_non_null(store_notice(s));
    assert_int_equal(count_prefixed(dir, "acme.db.corrupt-"), 1);
    struct store_query all = {.sort = STORE_SORT_UPDATED};
    size_t n = 99;
    assert_int_equal(store_count(s, &all, &n), 0);
    assert_int_equal(n, 0);
    store_close(s);
}

static void reader_is_not_blocked_by_an_open_write_transaction(void **state)
{
    struct test_cache *c = *state;
    struct fd_ticket t;
    struct store_rows rows = {0};
    struct store_query all = {.sort = STORE_SORT_UPDATED};
    int64_t v1, v2, v3;

    struct store *writer = test_open(c->path), *reader = test_open(c->path);
    assert_non_null(writer);
    assert_non_null(reader);
    assert_int_equal(store_data_version(reader, &v1), 0);
    assert_int_equal(store_begin(writer), 0);
    test_ticket(&t, 1, 2, 1, 100, "in flight");
    assert_int_equal(test_put(writer, &t), 1);
    /* the reader sees the last commit, without waiting */
    assert_int_equal(store_window(reader, &all, NULL, STORE_AFTER, 10, &rows), 0);
    assert_int_equal(rows.count, 0);
    assert_int_equal(store_data_version(reader, &v2), 0);
    assert_true(v1 == v2);
    assert_int_equal(store_commit(writer), 0);
    assert_int_equal(store_data_version(reader, &v3), 0);
    assert_true(v3 != v2);
    assert_int_equal(store_window(reader, &all, NULL, STORE_AFTER, 10, &rows), 0);
    assert_int_equal(rows.count, 1);
    store_rows_clear(&rows);
    store_close(writer);
    store_close(reader);
}

static void rollback_discards_a_page(void **state)
{
    struct test_cache *c = *state;
    struct fd_ticket t;
    struct store_query all = {.sort = STORE_SORT_UPDATED};
    size_t n;

    struct store *s = test_open(c->path);
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_begin(s), -1); /* no nesting */
    test_ticket(&t, 1, 2, 1, 100, "discarded");
    assert_int_equal(test_put(s, &t), 1);
    store_rollback(s);
    assert_int_equal(store_count(s, &all, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(store_commit(s), -1);
    store_close(s);
}

/* The sync thread's side of the next test: 40 pages of 25 tickets, each in
 * its own transaction, every ticket updated later than the last. */
static atomic_int writer_done;

static void *writer_thread(void *arg)
{
    const char *path = arg;
    struct store *w = test_open(path);
    for (int page = 0; w && page < 40; page++) {
        if (store_begin(w) != 0)
            break;
        for (int i = 0; i < 25; i++) {
            struct fd_ticket t;
            int n = page * 25 + i;
            test_ticket(&t, 1 + n, 2 + n % 3, 1 + n % 4, 1000 + n, "concurrent");
            test_put(w, &t);
        }
        store_commit(w);
    }
    store_close(w);
    atomic_store(&writer_done, 1);
    return NULL;
}

static void reader_sees_whole_pages_while_a_writer_thread_pages(void **state)
{
    struct test_cache *c = *state;
    pthread_t writer;
    struct store_rows rows = {0};
    struct store_query all = {.sort = STORE_SORT_UPDATED};

    store_close(test_open(c->path)); /* create and migrate first */
    struct store *reader = test_open(c->path);
    assert_non_null(reader);
    assert_int_equal(pthread_create(&writer, NULL, writer_thread, c->path), 0);
    size_t seen = 0;
    atomic_store(&writer_done, 0);
    for (bool last = false; !last;) {
        size_t count;
        last = atomic_load(&writer_done); /* one more pass after the writer ended */
        assert_int_equal(store_count(reader, &all, &count), 0);
        /* a page is committed whole or not at all */
        assert_int_equal(count % 25, 0);
        assert_true(count >= seen);
        seen = count;
        assert_int_equal(store_window(reader, &all, NULL, STORE_AFTER, 30, &rows), 0);
        for (size_t i = 1; i < rows.count; i++)
            assert_true(rows.rows[i - 1].updated_at > rows.rows[i].updated_at);
    }
    assert_int_equal(pthread_join(writer, NULL), 0);
    assert_int_equal(seen, 1000);
    assert_int_equal(rows.rows[0].id, 1000);
    store_rows_clear(&rows);
    store_close(reader);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(creates_private_directories_and_a_wal_cache, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(missing_cache_is_reported_without_creating_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(version_1_cache_is_migrated_keeping_its_tickets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(cache_from_a_newer_fdesk_is_refused_and_left_alone, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(damaged_cache_is_moved_aside_and_rebuilt, setup, teardown),
        cmocka_unit_test_setup_teardown(cache_with_a_smashed_header_is_moved_aside, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(reader_is_not_blocked_by_an_open_write_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rollback_discards_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(reader_sees_whole_pages_while_a_writer_thread_pages, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
