/* e2e.h: helpers shared by the end-to-end test programs: start fdesk in a
 * pty against a simulator with a private environment, read the status bar,
 * find processes. Header-only (static functions) so each test program stays
 * one file plus the harness library. */
#ifndef FD_TESTS_E2E_H
#define FD_TESTS_E2E_H

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tests/e2e/term.h"

#define E2E_ROWS 24
#define E2E_COLS 80
/* Generous: the suite also runs under ASan and on a busy 2-core machine. */
#define E2E_TIMEOUT 20000

static inline const char *e2e_fdesk(void)
{
    const char *p = getenv("FDESK");
    return p ? p : "./fdesk";
}

static inline const char *e2e_sim_path(void)
{
    const char *p = getenv("FDESK_SIM");
    return p ? p : "./fdesk-sim";
}

/* Starts fdesk (with one optional extra argument) in env against url. */
static inline struct term *e2e_start(struct test_env *env, const char *url, const char *arg,
                                     int rows, int cols)
{
    const char *argv[] = {e2e_fdesk(), arg, NULL};
    if (url) {
        test_env_set(env, "FDESK_URL", url);
        test_env_set(env, "FRESHDESK_API_KEY", "sim-api-key");
    }
    return term_spawn(argv, test_env_vars(env), rows, cols);
}

/* Writes env's fdesk config file ($XDG_CONFIG_HOME/fdesk/config, mode 0600)
 * with this text. Returns 0, or -1 when it cannot be written. */
static inline int e2e_write_config(struct test_env *env, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/config/fdesk", env->dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/config/fdesk/config", env->dir);
    FILE *cfg = fopen(path, "w");
    if (!cfg)
        return -1;
    bool ok = fputs(text, cfg) >= 0;
    ok = fclose(cfg) == 0 && ok;
    return ok && chmod(path, 0600) == 0 ? 0 : -1;
}

/* The status bar is the second row from the bottom. */
static inline const char *e2e_status(struct term *t)
{
    int rows, cols;
    term_size(t, &rows, &cols);
    return term_row(t, rows - 2);
}

/* Reads "POS/COUNT" from the status bar. Returns 0 or -1. */
static inline int e2e_counts(struct term *t, long *pos, long *count)
{
    const char *s = e2e_status(t);
    for (const char *p = s; *p; p++) {
        if (*p != '/' || p == s || !isdigit((unsigned char)p[-1]) || !isdigit((unsigned char)p[1]))
            continue;
        const char *q = p;
        while (q > s && isdigit((unsigned char)q[-1]))
            q--;
        *pos = strtol(q, NULL, 10);
        *count = strtol(p + 1, NULL, 10);
        return 0;
    }
    return -1;
}

/* Waits until the first sync has finished (the status bar says "updated"). */
static inline bool e2e_wait_synced(struct term *t)
{
    return term_wait_for(t, " s ago", E2E_TIMEOUT);
}

/* Waits until the status bar's count equals want (or the timeout). */
static inline bool e2e_wait_count(struct term *t, long want, int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    long pos, count;
    for (;;) {
        if (e2e_counts(t, &pos, &count) == 0 && count == want)
            return true;
        if (term_now_ms() > deadline)
            return false;
        term_pump(t, 50);
    }
}

/* Row of the selection marker '>' in the list, or -1. */
static inline int e2e_selected_row(struct term *t)
{
    int rows, cols;
    term_size(t, &rows, &cols);
    for (int r = 1; r < rows - 2; r++)
        if (term_row(t, r)[0] == '>')
            return r;
    return -1;
}

/* Children of pid whose command name is name (from /proc). */
static inline int e2e_children_named(pid_t parent, const char *name, pid_t *out, int max)
{
    int n = 0;
    DIR *d = opendir("/proc");
    struct dirent *de;
    if (!d)
        return 0;
    while ((de = readdir(d)) && n < max) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *open = strchr(buf, '('), *close = strrchr(buf, ')');
        if (!open || !close)
            continue;
        char state;
        int ppid;
        if (sscanf(close + 2, "%c %d", &state, &ppid) != 2)
            continue;
        if (ppid == parent && (size_t)(close - open - 1) == strlen(name) &&
            strncmp(open + 1, name, strlen(name)) == 0 && state != 'Z')
            out[n++] = (pid_t)atoi(de->d_name);
    }
    closedir(d);
    return n;
}

/* True while pid exists and is not a zombie. */
static inline bool e2e_alive(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    char *close = strrchr(buf, ')');
    return close && close[1] && close[2] != 'Z';
}

#endif
