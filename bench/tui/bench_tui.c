/* bench_tui.c: what the TUI costs, measured through a real pty (80x24,
 * TERM=xterm-256color) with 100,000 tickets in the cache. It reuses the
 * end-to-end harness (tests/e2e/term.c): every byte fdesk writes is read from
 * the pty master, and fdesk's FDESK_NOTIFY_FD byte marks the end of each
 * frame, so bytes and write() calls per frame are exact counts.
 *
 * Usage: bench_tui [TICKETS]   (FDESK and FDESK_SIM name the programs;
 * defaults ./fdesk and ./fdesk-sim). Prints one line per figure. With
 * BENCH_ONLY=bytes only the bytes per j, Ctrl-L, PgDn and 10 queued j are
 * measured (seconds once the cache is filled); BENCH_DUMP=1 shows the raw
 * bytes of some j frames on stderr. Both are read from the environment:
 * `BENCH_ONLY=bytes make bench-tui BENCH_TICKETS=2000` works. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/e2e.h"

#define ROWS 24
#define COLS 80

static const char *fdesk_path, *sim_path;
static struct sim sim;
static struct test_env env;
static bool only_bytes; /* BENCH_ONLY=bytes */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int fill_cache(void)
{
    double start = term_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        dup2(devnull, 2);
        dup2(devnull, 1);
        execle(fdesk_path, fdesk_path, "sync", (char *)NULL, (char *const *)test_env_vars(&env));
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("cache filled by fdesk sync in %.1f s (exit %d)\n", (term_now_ms() - start) / 1000,
           WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static struct term *start(const char *wrapper_out)
{
    const char *argv[8];
    int n = 0;
    if (wrapper_out) {
        argv[n++] = "/usr/bin/strace";
        argv[n++] = "-e";
        argv[n++] = "trace=write";
        argv[n++] = "-o";
        argv[n++] = wrapper_out;
    }
    argv[n++] = fdesk_path;
    argv[n] = NULL;
    return term_spawn(argv, test_env_vars(&env), ROWS, COLS);
}

/* Waits for the first frame that shows the list with its selection. */
static bool wait_list(struct term *t)
{
    double deadline = term_now_ms() + 20000;
    while (term_now_ms() < deadline) {
        if (!term_wait_frame(t, 20000))
            return false;
        if (term_row(t, 1)[0] == '>')
            return true;
    }
    return false;
}

static void quit(struct term *t)
{
    term_send(t, "Q");
    term_wait_exit(t, 10000);
    term_free(t);
}

static void bench_first_paint(void)
{
    double v[9];
    for (int i = 0; i < 9; i++) {
        double t0 = term_now_ms();
        struct term *t = start(NULL);
        if (!wait_list(t)) {
            printf("first paint: list never appeared\n");
            quit(t);
            return;
        }
        v[i] = term_now_ms() - t0;
        quit(t);
    }
    double med = median(v, 9); /* sorts v */
    printf("exec to first painted list: median %.1f ms (9 runs, min %.1f, max %.1f)\n", med, v[0],
           v[8]);
}

/* Sends keys and waits for the frame they cause; returns bytes written. */
static size_t key_frame(struct term *t, const char *keys)
{
    term_reset_counters(t);
    term_send(t, keys);
    if (!term_wait_frame(t, 5000))
        return 0;
    term_settle(t, 5, 50); /* a background repaint could follow: count only ours */
    return term_bytes(t);
}

static long long sched_ns(pid_t pid)
{
    char path[64];
    long long ns = 0;
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%lld", &ns) != 1)
            ns = 0;
        fclose(f);
    }
    return ns;
}

static long peak_rss_kb(pid_t pid)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* With BENCH_DUMP set, shows the bytes of the last frame on stderr. */
static void dump_frame(struct term *t, const char *what)
{
    if (!getenv("BENCH_DUMP"))
        return;
    size_t len, n = term_bytes(t);
    const unsigned char *raw = term_raw(t, &len);
    fprintf(stderr, "%s (%zu bytes): ", what, n);
    for (size_t i = len - n; i < len; i++)
        fprintf(stderr, raw[i] == 27 ? "\\e" : raw[i] < 32 ? "\\x%02x" : "%c", raw[i]);
    fprintf(stderr, "\n");
}

static void bench_keys(void)
{
    struct term *t = start(NULL);
    if (!wait_list(t)) {
        printf("keys: list never appeared\n");
        quit(t);
        return;
    }
    term_settle(t, 300, 3000);
    /* Bytes per j within the screen: the marker moves. */
    size_t move = 0, move_max = 0;
    int moves = 0;
    for (int i = 0; i < ROWS - 4; i++) {
        size_t b = key_frame(t, "j");
        if (i < 3)
            dump_frame(t, "j");
        move += b, moves++;
        move_max = b > move_max ? b : move_max;
    }
    size_t redraw = key_frame(t, "\x0c"); /* Ctrl-L: a full redraw, the naive frame */
    printf("bytes per j at 80x24, selection moves: mean %.0f, max %zu (%d presses)\n",
           (double)move / moves, move_max, moves);
    printf("bytes of a full redraw (Ctrl-L) at 80x24: %zu (%.0fx a selection move)\n", redraw,
           redraw / ((double)move / moves));
    size_t pg = 0;
    for (int i = 0; i < 20; i++)
        pg += key_frame(t, "\033[6~");
    printf("bytes per PgDn at 80x24: mean %.0f over 20 presses (full redraw %zu)\n", pg / 20.0,
           redraw);
    /* Ten j queued at once vs ten j each painted, from the top of the list
     * (the selection moves) and from the bottom row (past it the list moves). */
    for (int edge = 0; edge < 2; edge++) {
        key_frame(t, "g");
        if (edge)
            for (int i = 0; i < ROWS - 4; i++)
                key_frame(t, "j");
        term_settle(t, 100, 1000);
        size_t separate = 0;
        for (int i = 0; i < 10; i++)
            separate += key_frame(t, "j");
        key_frame(t, "g");
        if (edge)
            for (int i = 0; i < ROWS - 4; i++)
                key_frame(t, "j");
        term_settle(t, 100, 1000);
        term_reset_counters(t);
        long frames = term_frames(t);
        term_send(t, "jjjjjjjjjj");
        term_settle(t, 200, 3000);
        printf("10 queued j (%s): %zu bytes in %ld frame(s); painted one by one: %zu bytes\n",
               edge ? "from the bottom row" : "selection moves", term_bytes(t),
               term_frames(t) - frames, separate);
    }
    if (only_bytes) {
        quit(t);
        return;
    }
    /* CPU of the UI thread per j. */
    term_settle(t, 200, 2000);
    long long ns0 = sched_ns(term_pid(t));
    const int cpu_js = 2000;
    for (int i = 0; i < cpu_js; i++)
        key_frame(t, i % 400 < 200 ? "j" : "k");
    long long ns1 = sched_ns(term_pid(t));
    printf("CPU per j/k (UI thread, schedstat): %.3f ms over %d presses\n",
           (ns1 - ns0) / 1e6 / cpu_js, cpu_js);
    printf("peak RSS (VmHWM) after the session: %.1f MB\n", peak_rss_kb(term_pid(t)) / 1024.0);
    /* Local search: keystroke to narrowed list. */
    key_frame(t, "g");
    key_frame(t, "/");
    const char *word = "payment";
    double v[16];
    int n = 0;
    for (const char *c = word; *c; c++) {
        char k[2] = {*c, 0};
        double t0 = term_now_ms();
        term_send(t, k);
        if (term_wait_frame(t, 5000))
            v[n++] = term_now_ms() - t0;
        term_settle(t, 20, 200);
    }
    printf(
        "local search keystroke to narrowed list: median %.1f ms (%d keys of '%s'; status: %s)\n",
        median(v, n), n, word, term_row(t, ROWS - 2));
    term_send(t, "\033");
    term_settle(t, 100, 1000);
    quit(t);
}

/* Bytes per j holding j from the top through ten pages of the list, with
 * the list scrolling half a page past its bottom row (the default), turning a
 * page or scrolling line by line: every press, within the window or past it. */
static double bench_j_through_list(const char *jump)
{
    char text[64], path[700];
    snprintf(text, sizeof text, "scroll_jump = %s\n", jump);
    snprintf(path, sizeof path, "%s/config/fdesk/config", env.dir);
    if (e2e_write_config(&env, text) != 0)
        return -1;
    struct term *t = start(NULL);
    bool shown = wait_list(t);
    unlink(path); /* read at start; later runs get the default again */
    if (!shown) {
        printf("j through the list: list never appeared\n");
        quit(t);
        return -1;
    }
    term_settle(t, 300, 3000);
    enum { PRESSES = 10 * (ROWS - 3) };
    double v[PRESSES];
    size_t total = 0, max = 0;
    for (int i = 0; i < PRESSES; i++) {
        size_t b = key_frame(t, "j");
        if (i >= ROWS - 4 && i < ROWS - 1)
            dump_frame(t, jump);
        v[i] = (double)b;
        total += b;
        max = b > max ? b : max;
    }
    double mean = (double)total / PRESSES;
    printf("bytes per j at 80x24 holding j through %d tickets, scroll_jump = %s%s: "
           "mean %.0f, median %.0f, max %zu\n",
           PRESSES, jump, strcmp(jump, "half") == 0 ? " (default)" : "", mean, median(v, PRESSES),
           max);
    quit(t);
    return mean;
}

static void bench_j(void)
{
    double half = bench_j_through_list("half");
    double page = bench_j_through_list("page");
    double line = bench_j_through_list("1");
    if (half > 0 && line > 0)
        printf("half a page (default) vs line by line: %.2fx the bytes per j (a page: %.2fx)\n",
               half / line, page / line);
}

/* write() calls per frame, counted with strace on the terminal's fd. */
static void bench_writes(void)
{
    char log[600];
    snprintf(log, sizeof log, "%s/strace.out", env.dir);
    struct term *t = start(log);
    if (!wait_list(t)) {
        printf("writes: list never appeared\n");
        quit(t);
        return;
    }
    term_settle(t, 300, 3000);
    long f0 = term_frames(t);
    FILE *f = fopen(log, "r");
    long before = 0;
    char line[512];
    while (f && fgets(line, sizeof line, f))
        before += strstr(line, "\\33[") != NULL && strncmp(line, "write(3,", 8) != 0;
    if (f)
        fclose(f);
    /* Small frames (the selection moves) and big ones (a new page). */
    for (int i = 0; i < 50; i++)
        key_frame(t, i % 5 == 4 ? "\033[6~" : i % 2 ? "k" : "jj");
    long frames = term_frames(t) - f0;
    term_settle(t, 300, 2000); /* strace has logged every write of those frames */
    long after = 0;
    f = fopen(log, "r");
    while (f && fgets(line, sizeof line, f)) {
        bool tty = strstr(line, "\\33[") != NULL && strncmp(line, "write(3,", 8) != 0;
        after += tty;
        if (tty && getenv("BENCH_DUMP"))
            fprintf(stderr, "%.70s\n", line);
    }
    if (f)
        fclose(f);
    quit(t);
    printf(
        "write() calls to the terminal per frame: %.2f (%ld writes, %ld frames, 10 of them PgDn)\n",
        frames ? (double)(after - before) / frames : 0.0, after - before, frames);
}

/* Keypress to painted frame over an emulated 64 kbit/s link with 100 ms
 * round trip: the key reaches the pty 50 ms after it is "typed"; each chunk
 * fdesk writes is delivered 50 ms after it was written, queued behind the
 * previous chunk at 8000 bytes/s. The frame is painted when its last byte
 * arrives. */
static void bench_slow_link(void)
{
    struct term *t = start(NULL);
    if (!wait_list(t)) {
        quit(t);
        return;
    }
    term_settle(t, 300, 3000);
    double v[40], moves[40], scrolls[40], pages[40];
    int n = 0, nm = 0, ns = 0, np = 0;
    for (int i = 0; i < 40; i++) {
        const char *key = i % 10 == 9 ? "\033[6~" : "j";
        double typed = term_now_ms();
        usleep(50000); /* the key's one-way trip */
        term_reset_counters(t);
        double sent = term_now_ms();
        term_send(t, key);
        if (!term_wait_frame(t, 5000))
            continue;
        double written = term_now_ms(); /* the frame is one write(): one chunk */
        double done = written + 50 + term_bytes(t) * 1000.0 / 8000.0;
        (void)sent;
        v[n++] = done - typed;
        if (key[0] != 'j')
            pages[np++] = done - typed;
        else if (term_bytes(t) > 300) /* the list scrolled */
            scrolls[ns++] = done - typed;
        else
            moves[nm++] = done - typed;
        /* wait out the emulated delivery so frames do not queue */
        double left = done - term_now_ms();
        if (left > 0)
            usleep((useconds_t)(left * 1000));
    }
    printf("keypress to paint over 64 kbit/s, 100 ms RTT: median %.0f ms (%d keys: j and PgDn)\n",
           median(v, n), n);
    if (nm && ns && np)
        printf("  by kind: j within the screen median %.0f ms (%d), j that scrolls median %.0f ms "
               "(%d), PgDn median %.0f ms (%d)\n",
               median(moves, nm), nm, median(scrolls, ns), ns, median(pages, np), np);
    quit(t);
}

int main(int argc, char **argv)
{
    const char *tickets = argc > 1 ? argv[1] : "100000";
    fdesk_path = getenv("FDESK") ? getenv("FDESK") : "./fdesk";
    sim_path = getenv("FDESK_SIM") ? getenv("FDESK_SIM") : "./fdesk-sim";
    const char *args[] = {"--tickets", tickets, "--rate-limit", "100000000", NULL};
    if (sim_start(&sim, sim_path, 0, args) != 0 || test_env_init(&env) != 0) {
        fprintf(stderr, "bench_tui: cannot start fdesk-sim\n");
        return 1;
    }
    test_env_set(&env, "FDESK_URL", sim.url);
    test_env_set(&env, "FRESHDESK_API_KEY", "sim-api-key");
    printf("bench_tui: %s tickets, %dx%d, TERM=xterm-256color\n", tickets, COLS, ROWS);
    only_bytes = getenv("BENCH_ONLY") && strcmp(getenv("BENCH_ONLY"), "bytes") == 0;
    int rc = 1;
    if (fill_cache() == 0) {
        if (!only_bytes)
            bench_first_paint();
        bench_keys();
        bench_j();
        if (!only_bytes) {
            bench_writes();
            bench_slow_link();
        }
        rc = 0;
    }
    sim_stop(&sim);
    test_env_free(&env);
    return rc;
}
