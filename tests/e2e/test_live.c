/* test_live.c: fdesk's terminal UI while the world changes: a hostile
 * account whose ticket data tries to drive the terminal, a start with no
 * network from the cache and the catch-up when the link returns, a ticket
 * changed on the server appearing without a key press, and `fdesk --demo`
 * from start to every kind of exit. Each test starts its own simulator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tests/e2e/e2e.h"

/* What a test started, so the teardown stops it even when the test fails. */
struct live {
    struct sim sim;
    struct test_env env;
    struct term *t;
};

static int live_setup(void **state)
{
    struct live *l = calloc(1, sizeof *l);
    if (!l || test_env_init(&l->env) != 0)
        return -1;
    *state = l;
    return 0;
}

static int live_teardown(void **state)
{
    struct live *l = *state;
    term_free(l->t);
    sim_stop(&l->sim);
    test_env_free(&l->env);
    free(l);
    return 0;
}

static void expect_screen(struct term *t, const char *text, int timeout, const char *why)
{
    if (!term_wait_for(t, text, timeout)) {
        term_dump(t, why);
        fail_msg("screen never showed '%s' (%s)", text, why);
    }
}

static bool raw_has(const unsigned char *raw, size_t len, const char *needle)
{
    return memmem(raw, len, needle, strlen(needle)) != NULL;
}

/* Every attack the simulator's --hostile data carries, as it would appear in
 * the byte stream if it leaked. */
static void assert_no_attack_in(const unsigned char *stream, size_t len)
{
    /* ncurses itself sends one OSC, xterm's "reset colours" (oc): take it
     * out, so that any other OSC or BEL must have come from the data. */
    unsigned char *raw = malloc(len ? len : 1);
    assert_non_null(raw);
    memcpy(raw, stream, len);
    static const char oc[] = "\033]104\007";
    for (unsigned char *p = raw; (p = memmem(p, len - (size_t)(p - raw), oc, 6)) != NULL;)
        memset(p, '.', 6);
    static const char *const leaks[] = {
        "\033]",           /* any OSC: title, clipboard (fdesk sends none) */
        "\033[6n",         /* cursor position report request */
        "\033[1000;1000H", /* cursor thrown off screen */
        "\033[31mRed",     /* colour from the data */
        "\033[2JScreen",   /* clear screen from the data */
        "\xc2\x9b",
        "\xc2\x9d",
        "\xc2\x9c", /* C1 CSI, OSC, ST */
        "\xe2\x80\xae",
        "\xe2\x80\xac",
        "\xe2\x81\xa7",       /* bidi override, pop, isolate */
        "\xe2\x80\x8b",       /* zero width space */
        "\b\b\b\b",           /* backspaces from "Refund approved" */
        "denied!!\rOVER",     /* carriage return inside a subject */
        "Line one\nLine two", /* newline inside a subject */
        "\xff",
        "\xfe",
        "\xed\xa0\x80", /* invalid UTF-8 */
    };
    for (size_t i = 0; i < sizeof leaks / sizeof leaks[0]; i++)
        if (raw_has(raw, len, leaks[i]))
            fail_msg("attack %zu from the ticket data reached the terminal", i);
    for (size_t i = 0; i < len; i++)
        if (raw[i] == 0x07 || raw[i] == 0x7f)
            fail_msg("BEL or DEL at byte %zu reached the terminal", i);
    free(raw);
}

static void hostile_ticket_data_never_reaches_the_terminal(void **state)
{
    struct live *l = *state;
    const char *args[] = {"--hostile", "--tickets",    "200",    "--seed",
                          "3",         "--rate-limit", "100000", NULL};
    assert_int_equal(sim_start(&l->sim, e2e_sim_path(), 0, args), 0);
    struct term *t = l->t = e2e_start(&l->env, l->sim.url, NULL, E2E_ROWS, E2E_COLS);
    assert_non_null(t);
    if (!e2e_wait_synced(t)) {
        term_dump(t, "hostile account did not sync");
        fail();
    }
    /* The attacks sit in the newest tickets: the top of the list. Their
     * readable parts are on screen, so the data really was drawn. */
    expect_screen(t, "pwned window", E2E_TIMEOUT, "a hostile subject, defused");
    assert_true(term_contains(t, "C1 title"));
    assert_true(term_contains(t, "Screen cleared"));
    assert_true(term_contains(t, "Subject")); /* the header was not cleared */
    /* Open the hostile tickets one after the other: header, names, bodies. */
    term_send(t, "\r");
    expect_screen(t, "Requester:", E2E_TIMEOUT, "detail of a hostile ticket");
    for (int i = 0; i < 14; i++) {
        term_send(t, "n");
        term_settle(t, 150, 3000);
        assert_true(term_contains(t, "Requester:"));
    }
    term_send(t, "q");
    term_settle(t, 100, 2000);
    term_send(t, "q");
    assert_true(WIFEXITED(term_wait_exit(t, E2E_TIMEOUT)));
    size_t len;
    const unsigned char *raw = term_raw(t, &len);
    assert_true(len > 1000);
    assert_no_attack_in(raw, len);
}

static void offline_start_uses_the_cache_and_catches_up(void **state)
{
    struct live *l = *state;
    const char *args[] = {"--tickets", "150", "--seed", "5", NULL};
    assert_int_equal(sim_start(&l->sim, e2e_sim_path(), 0, args), 0);
    int port = l->sim.port;
    char url[64];
    snprintf(url, sizeof url, "%s", l->sim.url);
    /* First run: fill the cache, then quit. */
    struct term *t = l->t = e2e_start(&l->env, url, NULL, E2E_ROWS, E2E_COLS);
    assert_true(e2e_wait_synced(t));
    long pos, count;
    assert_int_equal(e2e_counts(t, &pos, &count), 0);
    assert_true(count > 0);
    char first_row[256];
    snprintf(first_row, sizeof first_row, "%.20s", term_row(t, 1) + 1);
    term_send(t, "q");
    assert_true(WIFEXITED(term_wait_exit(t, E2E_TIMEOUT)));
    term_free(t);
    l->t = NULL;
    /* The server goes away; fdesk starts from the cache and says so. */
    sim_stop(&l->sim);
    t = l->t = e2e_start(&l->env, url, NULL, E2E_ROWS, E2E_COLS);
    expect_screen(t, first_row, 5000, "the cached list");
    expect_screen(t, "offline", E2E_TIMEOUT, "offline in the status bar");
    assert_true(e2e_wait_count(t, count, 1000));
    term_send(t, "j");
    expect_screen(t, " 2/", 5000, "the cached list still works");
    /* The link comes back on the same address: fdesk catches up by itself. */
    assert_int_equal(sim_start(&l->sim, e2e_sim_path(), port, args), 0);
    if (!term_wait_for(t, " s ago", 60000)) {
        term_dump(t, "no catch-up");
        fail_msg("fdesk did not come back online");
    }
    assert_false(term_contains(t, "offline"));
}

/* Lines of the simulator's request log that fetch some ticket's conversations. */
static int conversation_fetches(const char *log)
{
    FILE *f = fopen(log, "r");
    char line[4096];
    int n = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "/conversations") && strstr(line, "\"GET\""))
            n++;
    fclose(f);
    return n;
}

static void top_of_the_view_is_prefetched_for_offline_reading(void **state)
{
    struct live *l = *state;
    char log[512];
    snprintf(log, sizeof log, "%s/sim.log", l->env.dir);
    const char *args[] = {"--tickets", "150", "--seed", "5", "--log", log, NULL};
    assert_int_equal(sim_start(&l->sim, e2e_sim_path(), 0, args), 0);
    char url[64];
    snprintf(url, sizeof url, "%s", l->sim.url);
    struct term *t = l->t = e2e_start(&l->env, url, NULL, E2E_ROWS, E2E_COLS);
    assert_true(e2e_wait_synced(t));
    /* No key pressed: the first tickets' conversations come on their own. */
    double deadline = term_now_ms() + E2E_TIMEOUT;
    while (conversation_fetches(log) < 5 && term_now_ms() < deadline)
        term_pump(t, 100);
    assert_true(conversation_fetches(log) >= 5);
    term_send(t, "q");
    assert_true(WIFEXITED(term_wait_exit(t, E2E_TIMEOUT)));
    term_free(t);
    l->t = NULL;
    /* Offline, the top ticket still opens with its whole conversation. */
    sim_stop(&l->sim);
    t = l->t = e2e_start(&l->env, url, NULL, E2E_ROWS, E2E_COLS);
    expect_screen(t, "offline", E2E_TIMEOUT, "offline in the status bar");
    term_send(t, "\r");
    expect_screen(t, "(the request)", 5000, "the opened ticket");
    term_pump(t, 300);
    if (term_contains(t, "not cached yet")) {
        term_dump(t, "conversation missing offline");
        fail_msg("the top ticket's conversation was not prefetched");
    }
}

static void ticket_changed_on_the_server_appears_without_a_key(void **state)
{
    struct live *l = *state;
    const char *args[] = {"--tickets", "150", "--seed", "9", NULL};
    assert_int_equal(sim_start(&l->sim, e2e_sim_path(), 0, args), 0);
    /* The shortest refresh the config allows, so the test stays short. */
    assert_int_equal(e2e_write_config(&l->env, "refresh = 10\n"), 0);
    struct term *t = l->t = e2e_start(&l->env, l->sim.url, NULL, E2E_ROWS, E2E_COLS);
    assert_true(e2e_wait_synced(t));
    /* Another agent changes a ticket far down the list... */
    term_send(t, "G");
    term_settle(t, 100, 2000);
    long id = strtol(term_row(t, E2E_ROWS - 3) + 1, NULL, 10);
    assert_true(id > 0);
    term_send(t, "g");
    term_settle(t, 100, 2000);
    char put[64];
    snprintf(put, sizeof put, "/api/v2/tickets/%ld", id);
    int status =
        sim_http(&l->sim, "PUT", put, "{\"subject\":\"Changed elsewhere\",\"priority\":4}", NULL);
    assert_int_equal(status, 200);
    /* ... and it moves to the top of the list by itself. */
    expect_screen(t, "Changed elsewhere", 40000, "the change, without a key press");
    int row = term_find_row(t, "Changed elsewhere");
    assert_int_equal(strtol(term_row(t, row) + 1, NULL, 10), id);
}

/* fdesk --demo's simulator: the fdesk-sim child of fdesk. */
static pid_t demo_sim(struct term *t)
{
    pid_t pids[4];
    int n = e2e_children_named(term_pid(t), "fdesk-sim", pids, 4);
    return n == 1 ? pids[0] : 0;
}

static struct term *start_demo(struct test_env *env)
{
    test_env_set(env, "TMPDIR", env->dir); /* where the demo makes its private dirs */
    struct term *t = e2e_start(env, NULL, "--demo", E2E_ROWS, E2E_COLS);
    assert_non_null(t);
    double start = term_now_ms();
    expect_screen(t, "Subject", 10000, "the demo's list");
    double first = term_now_ms() - start;
    if (first > 2000)
        fprintf(stderr, "# note: the demo's first screen took %.0f ms here\n", first);
    return t;
}

static void demo_shows_live_replies_and_leaves_no_simulator(void **state)
{
    struct live *l = *state;
    struct term *t = l->t = start_demo(&l->env);
    pid_t sim = demo_sim(t);
    assert_true(sim > 0);
    /* The demo uses private directories, never the user's. */
    char cache[600];
    snprintf(cache, sizeof cache, "%s/cache/fdesk", l->env.dir);
    struct stat st;
    assert_int_not_equal(stat(cache, &st), 0);
    assert_true(e2e_wait_synced(t));
    /* The account lives: the top of the list changes with no key pressed. */
    char top[128];
    snprintf(top, sizeof top, "%s", term_row(t, 1));
    double deadline = term_now_ms() + 30000;
    while (strcmp(top, term_row(t, 1)) == 0 && term_now_ms() < deadline)
        term_pump(t, 100);
    if (strcmp(top, term_row(t, 1)) == 0) {
        term_dump(t, "demo did not change");
        fail_msg("no activity reached the screen");
    }
    term_send(t, "q");
    int status = term_wait_exit(t, E2E_TIMEOUT);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_false(e2e_alive(sim));
    /* ... and removed its private directory. */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "ls -d '%s'/fdesk-demo-* >/dev/null 2>&1", l->env.dir);
    assert_int_not_equal(system(cmd), 0);
}

static void demo_stops_its_simulator_on_sigterm_and_sigkill(void **state)
{
    struct live *l = *state;
    struct term *t = l->t = start_demo(&l->env);
    pid_t sim = demo_sim(t);
    assert_true(sim > 0);
    term_signal(t, SIGTERM);
    assert_true(term_wait_exit(t, E2E_TIMEOUT) != -1);
    assert_false(e2e_alive(sim));
    term_free(t);
    l->t = NULL;

    t = l->t = start_demo(&l->env);
    sim = demo_sim(t);
    assert_true(sim > 0);
    term_signal(t, SIGKILL); /* no handler runs: the simulator dies with its parent */
    term_wait_exit(t, E2E_TIMEOUT);
    double deadline = term_now_ms() + 5000;
    while (e2e_alive(sim) && term_now_ms() < deadline)
        term_pump(t, 20);
    assert_false(e2e_alive(sim));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(hostile_ticket_data_never_reaches_the_terminal, live_setup,
                                        live_teardown),
        cmocka_unit_test_setup_teardown(offline_start_uses_the_cache_and_catches_up, live_setup,
                                        live_teardown),
        cmocka_unit_test_setup_teardown(top_of_the_view_is_prefetched_for_offline_reading,
                                        live_setup, live_teardown),
        cmocka_unit_test_setup_teardown(ticket_changed_on_the_server_appears_without_a_key,
                                        live_setup, live_teardown),
        cmocka_unit_test_setup_teardown(demo_shows_live_replies_and_leaves_no_simulator, live_setup,
                                        live_teardown),
        cmocka_unit_test_setup_teardown(demo_stops_its_simulator_on_sigterm_and_sigkill, live_setup,
                                        live_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
