/* helpers.h: shared set-up for the outbox area's unit tests: a fresh private
 * state directory per test, removed afterwards. */
#ifndef FD_TESTS_OUTBOX_HELPERS_H
#define FD_TESTS_OUTBOX_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/state.h"

struct test_dir {
    char path[256];
};

static inline void test_dir_make(struct test_dir *d)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(d->path, sizeof d->path, "%s/fdesk-outbox-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(d->path))
        abort();
}

static inline void test_dir_remove(struct test_dir *d)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", d->path);
}

static inline struct state_db *test_state_open(const struct test_dir *d)
{
    char err[512];
    struct state_db *st = state_open(d->path, "acct", err, sizeof err);
    if (!st)
        fprintf(stderr, "# state_open: %s\n", err);
    return st;
}

#endif
