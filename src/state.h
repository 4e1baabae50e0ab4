/* state.h: the state database, where fdesk keeps the agent's own data (drafts
 * and the outbox). It is user data, never the cache: it lives in
 * cfg->state_dir as <account>.state.db, is never deleted by fdesk, and is
 * written durably (WAL with synchronous=FULL, so a commit has reached the disk
 * before a function that changed it returns).
 *
 * The directory is created with mode 0700 and the file with 0600 (SQLite gives
 * its -wal and -shm files the same mode). The schema is versioned with
 * PRAGMA user_version; a database written by a newer fdesk is refused rather
 * than damaged.
 *
 * One connection per thread: a struct state_db must only be used by the thread
 * that opened it (it is opened with SQLITE_OPEN_NOMUTEX). Other threads and
 * other processes (the TUI and a scripting command) may open the same file at
 * the same time; writers wait up to a few seconds for each other. */
#ifndef FD_STATE_H
#define FD_STATE_H

#include <stddef.h>
#include <stdint.h>

struct sqlite3;

/* The schema version this build writes (PRAGMA user_version). */
#define STATE_SCHEMA_VERSION 2

struct state_db {
    struct sqlite3 *db;
    char *path;
};

/* Opens (creating as needed) state_dir/<account>.state.db. Returns NULL with a
 * one-line message in err on failure (unwritable directory, newer schema,
 * corrupt file). */
struct state_db *state_open(const char *state_dir, const char *account, char *err, size_t errsize);

/* Opens exactly this file (the directory must exist); for tests and tools. */
struct state_db *state_open_path(const char *path, char *err, size_t errsize);

void state_close(struct state_db *st);

/* Wall-clock time in milliseconds since the epoch, the unit of every
 * timestamp in the state database. */
int64_t state_now_ms(void);

/* Runs sql (no results) on st; returns 0 or -1 (logged). For BEGIN/COMMIT. */
int state_exec(struct state_db *st, const char *sql);

#endif
