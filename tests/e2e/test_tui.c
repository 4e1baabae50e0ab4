/* test_tui.c: fdesk's terminal UI end to end. Each test runs the real fdesk
 * in a pseudo-terminal (80x24, xterm-256color) against one fdesk-sim with
 * its test hooks, types keys and reads the screen back through libvterm, as
 * a person would see it. Every test has its own cache and state directories. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cjson/cJSON.h>

#include "tests/e2e/e2e.h"

#define SIM_TICKETS "300"

static struct sim shared_sim;

struct fixture {
    struct test_env env;
    struct term *t;
};

static int setup_sim(void **state)
{
    const char *args[] = {"--admin", "--tickets",    SIM_TICKETS, "--seed",
                          "7",       "--rate-limit", "100000",    NULL};
    return sim_start(&shared_sim, e2e_sim_path(), 0, args);
}

static int teardown_sim(void **state)
{
    sim_stop(&shared_sim);
    return 0;
}

/* Starts fdesk against the shared simulator and waits for the first sync. */
static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f || test_env_init(&f->env) != 0)
        return -1;
    f->t = e2e_start(&f->env, shared_sim.url, NULL, E2E_ROWS, E2E_COLS);
    if (!f->t)
        return -1;
    *state = f;
    if (!e2e_wait_synced(f->t)) {
        term_dump(f->t, "first sync did not finish");
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    term_free(f->t);
    test_env_free(&f->env);
    free(f);
    return 0;
}

static void expect_screen(struct term *t, const char *text, const char *why)
{
    if (!term_wait_for(t, text, E2E_TIMEOUT)) {
        term_dump(t, why);
        fail_msg("screen never showed '%s' (%s)", text, why);
    }
}

/* How many tickets with this status the simulator holds: every page of the
 * ticket list, counted here, independently of fdesk. */
static long sim_count_status(int status)
{
    long count = 0;
    for (int page = 1; page <= 100; page++) {
        char path[256], *body = NULL;
        snprintf(path, sizeof path,
                 "/api/v2/tickets?updated_since=2000-01-01T00:00:00Z&per_page=100&page=%d", page);
        if (sim_http(&shared_sim, "GET", path, NULL, &body) != 200) {
            free(body);
            return -1;
        }
        cJSON *list = cJSON_Parse(body);
        free(body);
        int n = cJSON_GetArraySize(list);
        for (int i = 0; i < n; i++) {
            cJSON *st = cJSON_GetObjectItem(cJSON_GetArrayItem(list, i), "status");
            count += cJSON_IsNumber(st) && st->valueint == status;
        }
        cJSON_Delete(list);
        if (n < 100)
            break;
    }
    return count;
}

static void list_shows_tickets_with_column_titles(void **state)
{
    struct fixture *f = *state;
    expect_screen(f->t, "Subject", "list header");
    const char *header = term_row(f->t, 0);
    assert_non_null(strstr(header, "Status"));
    assert_non_null(strstr(header, "Requester"));
    long pos, count;
    assert_int_equal(e2e_counts(f->t, &pos, &count), 0);
    assert_true(count > 0);
    assert_int_equal(pos, 1);
    assert_int_equal(e2e_selected_row(f->t), 1);
    /* One ticket per row, each starting with its number. */
    for (int r = 2; r < 10; r++)
        assert_true(term_row(f->t, r)[1] >= '1' && term_row(f->t, r)[1] <= '9');
}

static void navigation_moves_the_selection(void **state)
{
    struct fixture *f = *state;
    long pos = 0, count = 0;
    term_send(f->t, "jjj");
    assert_true(term_wait_for(f->t, " 4/", E2E_TIMEOUT));
    assert_int_equal(e2e_selected_row(f->t), 4);
    term_send(f->t, "k");
    assert_true(term_wait_for(f->t, " 3/", E2E_TIMEOUT));
    assert_int_equal(e2e_selected_row(f->t), 3);
    term_send(f->t, "G");
    assert_int_equal(e2e_counts(f->t, &pos, &count), 0);
    char want[32];
    snprintf(want, sizeof want, " %ld/%ld", count, count);
    expect_screen(f->t, want, "G goes to the last ticket");
    assert_int_equal(e2e_selected_row(f->t), E2E_ROWS - 3);
    term_send(f->t, "g");
    expect_screen(f->t, " 1/", "g goes back to the first");
    assert_int_equal(e2e_selected_row(f->t), 1);
    /* Page down keeps the selection's screen row and moves a page. */
    term_send(f->t, "\033[6~");
    char page[32];
    snprintf(page, sizeof page, " %d/", 1 + (E2E_ROWS - 3));
    expect_screen(f->t, page, "PgDn moves one page");
}

/* Restarts the fixture's fdesk with its own environment and this config. */
static void restart_with_config(struct fixture *f, struct test_env *env, const char *text)
{
    assert_int_equal(test_env_init(env), 0);
    assert_int_equal(e2e_write_config(env, text), 0);
    term_free(f->t);
    f->t = e2e_start(env, shared_sim.url, NULL, E2E_ROWS, E2E_COLS);
    assert_non_null(f->t);
    assert_true(e2e_wait_synced(f->t));
}

/* Presses j until the selection is on the list's last row (position rows). */
static void j_to_the_bottom_row(struct term *t)
{
    const int rows = E2E_ROWS - 3;
    for (int i = 1; i < rows; i++)
        term_send(t, "j");
    char want[32];
    snprintf(want, sizeof want, " %d/", rows);
    expect_screen(t, want, "the selection on the last row");
    assert_int_equal(e2e_selected_row(t), rows);
}

/* j past the bottom row scrolls half a page and k past the top scrolls back;
 * scroll_jump = page turns a page, as mutt's menus do, and 1 scrolls one
 * line. */
static void j_past_the_bottom_scrolls_half_a_page_or_as_configured(void **state)
{
    struct fixture *f = *state;
    const int rows = E2E_ROWS - 3; /* list rows 1..rows */
    char want[32];
    long first = strtol(term_row(f->t, 1) + 1, NULL, 10);
    j_to_the_bottom_row(f->t);
    long last = strtol(term_row(f->t, rows) + 1, NULL, 10);
    term_send(f->t, "j");
    snprintf(want, sizeof want, " %d/", rows + 1);
    expect_screen(f->t, want, "j past the bottom, half a page");
    /* scrolled by rows / 2: the old last row moved up as far */
    assert_int_equal(e2e_selected_row(f->t), rows - rows / 2 + 1);
    assert_int_equal(strtol(term_row(f->t, rows - rows / 2) + 1, NULL, 10), last);
    for (int i = 0; i < rows - rows / 2; i++)
        term_send(f->t, "k");
    snprintf(want, sizeof want, " %d/", rows / 2 + 1);
    expect_screen(f->t, want, "k to the top row");
    assert_int_equal(e2e_selected_row(f->t), 1);
    term_send(f->t, "k");
    snprintf(want, sizeof want, " %d/", rows / 2);
    expect_screen(f->t, want, "k past the top, half a page back");
    assert_int_equal(e2e_selected_row(f->t), rows / 2);
    assert_int_equal(strtol(term_row(f->t, 1) + 1, NULL, 10), first);

    struct test_env env;
    restart_with_config(f, &env, "scroll_jump = page\n");
    j_to_the_bottom_row(f->t);
    last = strtol(term_row(f->t, rows) + 1, NULL, 10);
    term_send(f->t, "j");
    snprintf(want, sizeof want, " %d/", rows + 1);
    expect_screen(f->t, want, "j past the bottom, a page");
    assert_int_equal(e2e_selected_row(f->t), 1);
    long next = strtol(term_row(f->t, 1) + 1, NULL, 10);
    assert_true(next > 0 && next != last);
    term_send(f->t, "k");
    snprintf(want, sizeof want, " %d/", rows);
    expect_screen(f->t, want, "k past the top, a page back");
    assert_int_equal(e2e_selected_row(f->t), rows);
    assert_int_equal(strtol(term_row(f->t, rows) + 1, NULL, 10), last);
    assert_int_equal(strtol(term_row(f->t, 1) + 1, NULL, 10), first);
    test_env_free(&env);

    restart_with_config(f, &env, "scroll_jump = 1\n");
    j_to_the_bottom_row(f->t);
    last = strtol(term_row(f->t, rows) + 1, NULL, 10);
    term_send(f->t, "j");
    snprintf(want, sizeof want, " %d/", rows + 1);
    expect_screen(f->t, want, "j past the bottom, one line");
    assert_int_equal(e2e_selected_row(f->t), rows);
    assert_int_equal(strtol(term_row(f->t, rows - 1) + 1, NULL, 10), last);
    term_free(f->t);
    f->t = NULL;
    test_env_free(&env);
}

/* The selection is a reverse-video marker: moving it rewrites two cells, not
 * the ticket numbers. The position in the status bar is in normal video:
 * changing it costs no attribute switches. (bench/tui counts the bytes.) */
static void selection_marker_and_position_are_cheap_to_change(void **state)
{
    struct fixture *f = *state;
    term_send(f->t, "j");
    expect_screen(f->t, " 2/", "j");
    struct term_cell_attr a;
    term_cell_attr(f->t, 2, 0, &a);
    assert_true(a.reverse);
    term_cell_attr(f->t, 2, 1, &a);
    assert_false(a.reverse);
    term_cell_attr(f->t, 1, 0, &a);
    assert_false(a.reverse);
    int status = E2E_ROWS - 2;
    const char *bar = term_row(f->t, status);
    const char *slash = strstr(bar, " 2/");
    assert_non_null(slash);
    term_cell_attr(f->t, status, 0, &a);
    assert_true(a.reverse);
    term_cell_attr(f->t, status, (int)(slash - bar) + 1, &a);
    assert_false(a.reverse);
}

/* The ticket number on the selected row (">1234  Open ..."). */
static long selected_ticket(struct term *t)
{
    int row = e2e_selected_row(t);
    return row < 0 ? -1 : strtol(term_row(t, row) + 1, NULL, 10);
}

static void sort_reverse_turns_the_list_upside_down(void **state)
{
    struct fixture *f = *state;
    term_send(f->t, "G");
    assert_true(term_wait_for(f->t, "sort:updated", E2E_TIMEOUT));
    long pos = 0, count = 0;
    assert_int_equal(e2e_counts(f->t, &pos, &count), 0);
    char last[32];
    snprintf(last, sizeof last, " %ld/%ld", count, count);
    expect_screen(f->t, last, "G goes to the last ticket");
    long oldest = selected_ticket(f->t);
    assert_true(oldest > 0);
    term_send(f->t, "O");
    expect_screen(f->t, "sort:updated/rev", "O reverses the sort");
    /* The selection stays on its ticket, which is now first. */
    expect_screen(f->t, " 1/", "the oldest ticket is now at the top");
    assert_int_equal(selected_ticket(f->t), oldest);
    term_send(f->t, "O");
    expect_screen(f->t, last, "reversing again puts it back at the bottom");
    assert_int_equal(selected_ticket(f->t), oldest);
    term_send(f->t, "g");
    expect_screen(f->t, " 1/", "g goes back to the first");
}

static void enter_opens_the_ticket_and_q_closes_it(void **state)
{
    struct fixture *f = *state;
    term_send(f->t, "j");
    assert_true(term_wait_for(f->t, " 2/", E2E_TIMEOUT));
    char id[32];
    snprintf(id, sizeof id, "#%ld", strtol(term_row(f->t, 2) + 1, NULL, 10));
    term_send(f->t, "\r");
    expect_screen(f->t, "Requester:", "the ticket's header");
    expect_screen(f->t, id, "the ticket number in the header");
    expect_screen(f->t, "CUSTOMER", "the customer's request");
    assert_true(term_contains(f->t, "Created:"));
    /* Conversations arrive from the server without a key press. */
    term_wait_gone(f->t, "loading the conversation", E2E_TIMEOUT);
    term_send(f->t, "q");
    assert_true(term_wait_gone(f->t, "Requester:", E2E_TIMEOUT));
    expect_screen(f->t, "Subject", "back in the list");
    assert_int_equal(e2e_selected_row(f->t), 2);
}

static void split_layout_shows_list_and_detail(void **state)
{
    struct fixture *f = *state;
    term_send(f->t, "z");
    expect_screen(f->t, "Requester:", "detail pane below the list");
    assert_non_null(strstr(term_row(f->t, 0), "Subject"));
    assert_int_equal(e2e_selected_row(f->t), 1);
    /* Moving in the list changes the ticket shown below. */
    int bar = term_find_row(f->t, "─ #");
    assert_true(bar > 1);
    char before[128];
    snprintf(before, sizeof before, "%s", term_row(f->t, bar));
    term_send(f->t, "j");
    assert_true(term_wait_for(f->t, " 2/", E2E_TIMEOUT));
    term_settle(f->t, 100, 2000);
    assert_string_not_equal(before, term_row(f->t, bar));
    /* Tab gives the keyboard to the detail pane: j now scrolls it. */
    term_send(f->t, "\t");
    expect_screen(f->t, "focus", "the detail pane has the focus");
    term_send(f->t, "j");
    term_settle(f->t, 100, 2000);
    assert_true(term_contains(f->t, " 2/"));
    /* z: the detail fills the screen; q: back to the whole list. */
    term_send(f->t, "z");
    assert_true(term_wait_gone(f->t, "Status  Prio", E2E_TIMEOUT));
    assert_null(strstr(term_row(f->t, 0), "Subject"));
    assert_true(term_contains(f->t, "Requester:"));
    term_send(f->t, "q");
    assert_true(term_wait_gone(f->t, "Requester:", E2E_TIMEOUT));
    assert_non_null(strstr(term_row(f->t, 0), "Subject"));
    assert_int_equal(e2e_selected_row(f->t), 2);
}

static void view_switching_shows_the_right_counts(void **state)
{
    struct fixture *f = *state;
    long open = sim_count_status(2), pending = sim_count_status(3);
    assert_true(open > 0);
    assert_true(pending > 0);
    term_send(f->t, ":view open\r");
    if (!e2e_wait_count(f->t, open, E2E_TIMEOUT)) {
        term_dump(f->t, "open view");
        fail_msg("open view should count %ld tickets", open);
    }
    /* The view picker shows every view with its count; typing filters. */
    term_send(f->t, "V");
    char want[64];
    snprintf(want, sizeof want, "%ld tickets", pending);
    expect_screen(f->t, want, "the pending view's count in the picker");
    assert_true(term_contains(f->t, "Mine"));
    term_send(f->t, "pend\r");
    if (!e2e_wait_count(f->t, pending, E2E_TIMEOUT)) {
        term_dump(f->t, "pending view");
        fail_msg("pending view should count %ld tickets", pending);
    }
    assert_true(term_contains(f->t, "Pending"));
}

static void local_search_narrows_the_list_as_you_type(void **state)
{
    struct fixture *f = *state;
    long pos, all, narrowed;
    assert_int_equal(e2e_counts(f->t, &pos, &all), 0);
    term_send(f->t, "/payment");
    expect_screen(f->t, "/payment", "the search prompt");
    double deadline = term_now_ms() + E2E_TIMEOUT;
    do {
        term_pump(f->t, 50);
        assert_int_equal(e2e_counts(f->t, &pos, &narrowed), 0);
    } while (narrowed == all && term_now_ms() < deadline);
    assert_true(narrowed < all);
    assert_true(narrowed > 0);
    /* Esc cancels the prompt and gives the whole list back. */
    term_send(f->t, "\033");
    assert_true(e2e_wait_count(f->t, all, E2E_TIMEOUT));
}

static void server_search_merges_results_into_the_list(void **state)
{
    /* A view of closed tickets: the first sync skips closed tickets older
     * than its horizon, and a server search brings them in. */
    struct fixture *f = *state;
    struct test_env env;
    restart_with_config(f, &env, "view closed = status:closed\n");
    term_send(f->t, ":view closed\r");
    expect_screen(f->t, "closed", "the user's view");
    term_settle(f->t, 200, 2000);
    long pos, before, after;
    assert_int_equal(e2e_counts(f->t, &pos, &before), 0);
    long closed = sim_count_status(5);
    assert_true(closed > before); /* the test can only pass through the search */
    term_send(f->t, ":search \"status:5\"\r");
    expect_screen(f->t, "searching Freshdesk", "the search was sent");
    double deadline = term_now_ms() + E2E_TIMEOUT;
    do {
        term_pump(f->t, 100);
        assert_int_equal(e2e_counts(f->t, &pos, &after), 0);
    } while (after == before && term_now_ms() < deadline);
    term_free(f->t);
    f->t = NULL;
    test_env_free(&env);
    assert_true(after > before);
    assert_true(after <= closed);
}

static void help_screen_lists_actions_and_keys(void **state)
{
    struct fixture *f = *state;
    term_send(f->t, "?");
    expect_screen(f->t, "Keys:", "help title");
    assert_true(term_contains(f->t, "move-down"));
    int row = term_find_row(f->t, "move-down");
    assert_non_null(strstr(term_row(f->t, row), "j"));
    /* The generic actions follow the list's own; G scrolls to them. */
    term_send(f->t, "G");
    expect_screen(f->t, "suspend", "the last lines of the help");
    row = term_find_row(f->t, "suspend");
    assert_non_null(strstr(term_row(f->t, row), "<C-z>"));
    term_send(f->t, "q");
    assert_true(term_wait_gone(f->t, "Keys:", E2E_TIMEOUT));
    expect_screen(f->t, "Subject", "back in the list");
}

static void resize_relays_out_and_says_when_too_small(void **state)
{
    struct fixture *f = *state;
    term_resize(f->t, 30, 120);
    term_settle(f->t, 100, 2000);
    assert_non_null(strstr(term_row(f->t, 0), "Subject"));
    assert_non_null(strstr(term_row(f->t, 28), "/"));
    term_resize(f->t, 10, 30);
    expect_screen(f->t, "terminal too small", "below 40x12");
    term_resize(f->t, 12, 40);
    assert_true(term_wait_gone(f->t, "terminal too small", E2E_TIMEOUT));
    term_resize(f->t, 24, 80);
    term_settle(f->t, 100, 2000);
    assert_non_null(strstr(term_row(f->t, 0), "Subject"));
    assert_non_null(strstr(term_row(f->t, 22), "/"));
}

static void wide_characters_keep_columns_aligned(void **state)
{
    struct fixture *f = *state;
    int subject = term_col_of(f->t, 0, "Subject");
    int updated = term_col_of(f->t, 0, "Updated");
    assert_true(subject > 0);
    assert_true(updated > 0);
    int wide_rows = 0;
    for (int r = 1; r < E2E_ROWS - 2; r++) {
        for (int c = 0; c < E2E_COLS; c++)
            if (term_cell_width(f->t, r, c) == 2) {
                wide_rows++;
                break;
            }
        /* The age in the Updated column starts exactly under its title, after a
         * blank: a width miscounted anywhere to its left would shift it. */
        uint32_t before = term_cell_char(f->t, r, updated - 1);
        uint32_t first = term_cell_char(f->t, r, updated);
        if (before != ' ' || !((first < 128 && isalnum((int)first)) || first == '-')) {
            term_dump(f->t, "misaligned");
            fail_msg("row %d: the Updated column does not start at column %d", r, updated);
        }
        if (term_cell_char(f->t, r, subject - 1) != ' ') {
            term_dump(f->t, "misaligned");
            fail_msg("row %d: no blank before the subject", r);
        }
    }
    /* The generated data has CJK names: the test saw some. */
    assert_true(wide_rows > 0);
}

/* True when the last switch to the alternate screen was undone (the start-up
 * also leaves and re-enters it once, so "contains rmcup" would prove nothing). */
static bool left_alternate_screen(struct term *t)
{
    size_t len;
    const unsigned char *raw = term_raw(t, &len);
    const unsigned char *last_enter = NULL, *last_leave = NULL, *p = raw;
    while ((p = memmem(p, len - (size_t)(p - raw), "\033[?1049", 7)) != NULL) {
        if (p + 7 < raw + len && p[7] == 'h')
            last_enter = p;
        else if (p + 7 < raw + len && p[7] == 'l')
            last_leave = p;
        p += 7;
    }
    return last_enter && last_leave > last_enter;
}

static void quitting_restores_the_terminal(void **state)
{
    struct fixture *f = *state;
    term_send(f->t, "q");
    int status = term_wait_exit(f->t, E2E_TIMEOUT);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(left_alternate_screen(f->t));
}

static void sigterm_and_sighup_exit_cleanly(void **state)
{
    struct fixture *f = *state;
    term_signal(f->t, SIGHUP);
    int status = term_wait_exit(f->t, E2E_TIMEOUT);
    assert_true(WIFEXITED(status));
    assert_true(left_alternate_screen(f->t));
}

static void a_fatal_signal_still_restores_the_terminal(void **state)
{
    struct fixture *f = *state;
    assert_false(left_alternate_screen(f->t));
    term_send(f->t, "\034"); /* Ctrl-\\: SIGQUIT, which dumps core by default */
    int status = term_wait_exit(f->t, E2E_TIMEOUT);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGQUIT);
    assert_true(left_alternate_screen(f->t));
}

/* Voluntary context switches of fdesk's main (UI) thread: it grows each time
 * the thread sleeps and wakes up again. */
static long ui_thread_wakeups(pid_t pid)
{
    char path[64], line[256];
    long n = -1;
    snprintf(path, sizeof path, "/proc/%d/task/%d/status", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "voluntary_ctxt_switches:", 24) == 0)
            n = strtol(line + 24, NULL, 10);
    if (f)
        fclose(f);
    return n;
}

static void an_idle_ui_never_wakes_up(void **state)
{
    struct fixture *f = *state;
    /* The sync engine may still be finishing its run (account data, the
     * deletion check) and wake the UI with news: that is not a timer. A loop
     * that polls would wake in every window, so one quiet window of 1.5 s in
     * five tries proves there is no periodic wake-up. */
    long before = 0, after = 0, frames = 0;
    bool quiet = false;
    for (int attempt = 0; attempt < 5 && !quiet; attempt++) {
        term_settle(f->t, 300, 5000);
        frames = term_frames(f->t);
        before = ui_thread_wakeups(term_pid(f->t));
        assert_true(before > 0);
        term_pump(f->t, 1500); /* nothing typed */
        after = ui_thread_wakeups(term_pid(f->t));
        quiet = after == before && term_frames(f->t) == frames;
    }
    assert_true(quiet);
    /* The same counter does move when a key arrives. */
    term_send(f->t, "j");
    assert_true(term_wait_frame(f->t, E2E_TIMEOUT));
    term_settle(f->t, 100, 1000); /* counted when it goes back to sleep */
    assert_true(ui_thread_wakeups(term_pid(f->t)) > after);
}

static bool has_colour_sequence(const unsigned char *raw, size_t len)
{
    for (size_t i = 0; i + 4 < len; i++)
        if (raw[i] == 033 && raw[i + 1] == '[' && (raw[i + 2] == '3' || raw[i + 2] == '4') &&
            raw[i + 3] >= '0' && raw[i + 3] <= '7' && (raw[i + 4] == 'm' || raw[i + 4] == ';'))
            return true;
    return false;
}

static void no_color_turns_colours_off(void **state)
{
    struct fixture *f = *state;
    size_t len;
    /* The fixture's fdesk runs with colours: the check below can fail. */
    const unsigned char *raw = term_raw(f->t, &len);
    assert_true(has_colour_sequence(raw, len));
    struct test_env env;
    assert_int_equal(test_env_init(&env), 0);
    test_env_set(&env, "NO_COLOR", "1");
    struct term *t = e2e_start(&env, shared_sim.url, NULL, E2E_ROWS, E2E_COLS);
    assert_non_null(t);
    bool synced = e2e_wait_synced(t);
    raw = term_raw(t, &len);
    bool coloured = has_colour_sequence(raw, len);
    bool selected = e2e_selected_row(t) == 1;
    term_free(t);
    test_env_free(&env);
    assert_true(synced);
    assert_false(coloured);
    assert_true(selected);
}

/* Ctrl-Z under a shell with job control: fdesk stops with the terminal
 * restored, and `fg` brings it back painted. */
static void ctrl_z_suspends_and_fg_resumes(void **state)
{
    struct test_env env;
    assert_int_equal(test_env_init(&env), 0);
    test_env_set(&env, "FDESK_URL", shared_sim.url);
    test_env_set(&env, "FRESHDESK_API_KEY", "sim-api-key");
    test_env_set(&env, "PS1", "shell$ ");
    const char *argv[] = {"/bin/bash", "--norc", "--noprofile", "-i", NULL};
    struct term *t = term_spawn(argv, test_env_vars(&env), E2E_ROWS, E2E_COLS);
    assert_non_null(t);
    bool ok = term_wait_for(t, "shell$", E2E_TIMEOUT);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s\r", e2e_fdesk());
    term_send(t, cmd);
    ok = ok && term_wait_for(t, " s ago", E2E_TIMEOUT);
    term_send(t, "\032"); /* Ctrl-Z */
    bool stopped = ok && term_wait_for(t, "Stopped", E2E_TIMEOUT);
    bool left = stopped && left_alternate_screen(t);
    term_send(t, "fg\r");
    bool back = stopped && term_wait_for(t, "Subject", E2E_TIMEOUT) &&
                term_wait_gone(t, "Stopped", E2E_TIMEOUT);
    term_send(t, "q");
    bool quit = back && term_wait_gone(t, "Subject", E2E_TIMEOUT);
    if (!quit)
        term_dump(t, "suspend and resume");
    term_send(t, "exit\r");
    term_wait_exit(t, 5000);
    term_free(t);
    test_env_free(&env);
    assert_true(ok);
    assert_true(stopped);
    assert_true(left);
    assert_true(back);
    assert_true(quit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_shows_tickets_with_column_titles, setup, teardown),
        cmocka_unit_test_setup_teardown(navigation_moves_the_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(j_past_the_bottom_scrolls_half_a_page_or_as_configured,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(selection_marker_and_position_are_cheap_to_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(sort_reverse_turns_the_list_upside_down, setup, teardown),
        cmocka_unit_test_setup_teardown(enter_opens_the_ticket_and_q_closes_it, setup, teardown),
        cmocka_unit_test_setup_teardown(split_layout_shows_list_and_detail, setup, teardown),
        cmocka_unit_test_setup_teardown(view_switching_shows_the_right_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(local_search_narrows_the_list_as_you_type, setup, teardown),
        cmocka_unit_test_setup_teardown(server_search_merges_results_into_the_list, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(help_screen_lists_actions_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(resize_relays_out_and_says_when_too_small, setup, teardown),
        cmocka_unit_test_setup_teardown(wide_characters_keep_columns_aligned, setup, teardown),
        cmocka_unit_test_setup_teardown(no_color_turns_colours_off, setup, teardown),
        cmocka_unit_test_setup_teardown(an_idle_ui_never_wakes_up, setup, teardown),
        cmocka_unit_test_setup_teardown(quitting_restores_the_terminal, setup, teardown),
        cmocka_unit_test_setup_teardown(sigterm_and_sighup_exit_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(a_fatal_signal_still_restores_the_terminal, setup,
                                        teardown),
        cmocka_unit_test(ctrl_z_suspends_and_fg_resumes),
    };
    return cmocka_run_group_tests(tests, setup_sim, teardown_sim);
}
