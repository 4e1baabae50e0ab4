/* test_state.c: the state database is created private (0700 directory, 0600
 * file), durable (WAL, synchronous=FULL), versioned (user_version), refuses a
 * newer schema, and keeps what was committed when the writer dies at once. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "src/drafts.h"
#include "tests/outbox/helpers.h"

static int pragma_int(struct state_db *st, const char *sql)
{
    sqlite3_stmt *stmt;
    int v = -1;
    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

static void creates_private_directory_and_file(void **unused)
{
    struct test_dir d;
    char dir[300], file[400];
    struct stat sb;

    test_dir_make(&d);
    snprintf(dir, sizeof dir, "%s/nested/fdesk", d.path);
    mode_t old = umask(0);
    char err[256];
    struct state_db *st = state_open(dir, "acme", err, sizeof err);
    umask(old);
    assert_non_null(st);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    snprintf(file, sizeof file, "%s/acme.state.db", dir);
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_string_equal(st->path, file);
    state_close(st);
    test_dir_remove(&d);
}

static void an_existing_open_directory_and_file_are_made_private(void **unused)
{
    struct test_dir d;
    char dir[300], file[400], err[256];
    struct stat sb;

    test_dir_make(&d);
    snprintf(dir, sizeof dir, "%s/fdesk", d.path);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    snprintf(file, sizeof file, "%s/acme.state.db", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chmod(file, 0644), 0);
    struct state_db *st = state_open(dir, "acme", err, sizeof err);
    assert_non_null(st);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(stat(file, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    state_close(st);
    test_dir_remove(&d);
}

static void uses_wal_full_sync_and_current_schema(void **unused)
{
    struct test_dir d;
    test_dir_make(&d);
    struct state_db *st = test_state_open(&d);
    assert_non_null(st);
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
    sqlite3_finalize(stmt);
    assert_int_equal(pragma_int(st, "PRAGMA synchronous"), 2); /* FULL */
    assert_int_equal(pragma_int(st, "PRAGMA user_version"), STATE_SCHEMA_VERSION);
    state_close(st);
    test_dir_remove(&d);
}

static void refuses_a_newer_schema_and_leaves_it_alone(void **unused)
{
    struct test_dir d;
    char err[512];
    test_dir_make(&d);
    struct state_db *st = test_state_open(&d);
    assert_non_null(st);
    assert_int_equal(state_exec(st, "PRAGMA user_version = 99"), 0);
    state_close(st);
    st = state_open(d.path, "acct", err, sizeof err);
    assert_null(st);
    assert_non_null(strstr(err, "newer fdesk"));
    /* Still version 99: nothing was touched. */
    sqlite3 *db;
    char path[400];
    snprintf(path, sizeof path, "%s/acct.state.db", d.path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *stmt;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(stmt, 0), 99);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    test_dir_remove(&d);
}

static void migrates_an_empty_version_zero_file(void **unused)
{
    struct test_dir d;
    char path[400];
    test_dir_make(&d);
    snprintf(path, sizeof path, "%s/acct.state.db", d.path);
    sqlite3 *db;
    /* A version-0 database that holds an unrelated table. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "CREATE TABLE keepme(x); INSERT INTO keepme VALUES (7)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    struct state_db *st = test_state_open(&d);
    assert_non_null(st);
    assert_int_equal(pragma_int(st, "PRAGMA user_version"), STATE_SCHEMA_VERSION);
    assert_int_equal(pragma_int(st, "SELECT x FROM keepme"), 7);
    assert_int_equal(pragma_int(st, "SELECT count(*) FROM drafts"), 0);
    assert_int_equal(pragma_int(st, "SELECT count(*) FROM outbox"), 0);
    state_close(st);
    test_dir_remove(&d);
}

/* A database written by the first release (schema 1, no back-off column)
 * keeps its items and gains the column. */
static void upgrades_schema_1_keeping_the_outbox(void **unused)
{
    struct test_dir d;
    char path[400];
    sqlite3 *db;
    test_dir_make(&d);
    snprintf(path, sizeof path, "%s/acct.state.db", d.path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "CREATE TABLE drafts (ticket_id INTEGER NOT NULL, kind INTEGER NOT NULL,"
                     " body TEXT NOT NULL DEFAULT '', cc TEXT NOT NULL DEFAULT '',"
                     " bcc TEXT NOT NULL DEFAULT '', is_public INTEGER NOT NULL,"
                     " updated_at INTEGER NOT NULL, PRIMARY KEY (ticket_id, kind));"
                     "CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                     " kind INTEGER NOT NULL, ticket_id INTEGER NOT NULL,"
                     " marker TEXT NOT NULL UNIQUE, text TEXT NOT NULL DEFAULT '',"
                     " payload TEXT NOT NULL, state INTEGER NOT NULL,"
                     " attempts INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
                     " first_sent_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,"
                     " owner_pid INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '',"
                     " remote_id INTEGER NOT NULL DEFAULT 0);"
                     "CREATE TABLE outbox_tickets (item_id INTEGER NOT NULL, ticket_id INTEGER"
                     " NOT NULL, PRIMARY KEY (item_id, ticket_id));"
                     "INSERT INTO outbox (kind, ticket_id, marker, text, payload, state,"
                     " created_at, updated_at) VALUES (1, 5, 'fdesk-old', 'old reply',"
                     " '{\"body\":\"<p>old reply</p>\"}', 0, 1, 1);"
                     "INSERT INTO outbox_tickets VALUES (1, 5);"
                     "PRAGMA user_version = 1;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    struct state_db *st = test_state_open(&d);
    assert_non_null(st);
    assert_int_equal(pragma_int(st, "PRAGMA user_version"), STATE_SCHEMA_VERSION);
    assert_int_equal(pragma_int(st, "SELECT count(*) FROM outbox WHERE text = 'old reply'"), 1);
    assert_int_equal(pragma_int(st, "SELECT retry_at FROM outbox WHERE id = 1"), 0);
    state_close(st);
    test_dir_remove(&d);
}

static void a_garbage_file_is_an_error_not_a_crash(void **unused)
{
    struct test_dir d;
    char path[400], err[512];
    test_dir_make(&d);
    snprintf(path, sizeof path, "%s/acct.state.db", d.path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not an SQLite database\n", f);
    fclose(f);
    assert_null(state_open(d.path, "acct", err, sizeof err));
    assert_non_null(strstr(err, path));
    test_dir_remove(&d);
}

/* A child saves a draft and is killed with SIGKILL right after the call
 * returns: the parent must find the draft. */
static void a_saved_draft_survives_sigkill_right_after_save(void **unused)
{
    struct test_dir d;
    int pipefd[2];
    test_dir_make(&d);
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct state_db *st = test_state_open(&d);
        struct draft dr = {.ticket_id = 42, .kind = DRAFT_REPLY, .body = "survive me"};
        if (!st || drafts_save(st, &dr) != 0)
            _exit(1);
        if (write(pipefd[1], "k", 1) != 1)
            _exit(1);
        for (;;)
            pause(); /* never closes the database */
    }
    char c;
    assert_int_equal(read(pipefd[0], &c, 1), 1);
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    close(pipefd[0]);
    close(pipefd[1]);
    struct state_db *st = test_state_open(&d);
    assert_non_null(st);
    struct draft got;
    assert_int_equal(drafts_load(st, 42, DRAFT_REPLY, &got), 1);
    assert_string_equal(got.body, "survive me");
    drafts_clear(&got);
    state_close(st);
    test_dir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(creates_private_directory_and_file),
        cmocka_unit_test(an_existing_open_directory_and_file_are_made_private),
        cmocka_unit_test(uses_wal_full_sync_and_current_schema),
        cmocka_unit_test(refuses_a_newer_schema_and_leaves_it_alone),
        cmocka_unit_test(migrates_an_empty_version_zero_file),
        cmocka_unit_test(upgrades_schema_1_keeping_the_outbox),
        cmocka_unit_test(a_garbage_file_is_an_error_not_a_crash),
        cmocka_unit_test(a_saved_draft_survives_sigkill_right_after_save),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
