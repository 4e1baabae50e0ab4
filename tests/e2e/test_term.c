/* test_term.c: the pty harness itself reads a program's output back as a
 * screen, keeps the raw bytes, follows resizes and reports exits, so the
 * end-to-end tests built on it can be trusted. Uses /bin/sh as the program. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "tests/e2e/term.h"

static struct term *run_sh(const char *script, int rows, int cols)
{
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    const char *envp[] = {"TERM=xterm-256color", "LANG=C.UTF-8", "PATH=/usr/bin:/bin", NULL};
    struct term *t = term_spawn(argv, envp, rows, cols);
    assert_non_null(t);
    return t;
}

static void screen_shows_program_output_at_cursor_positions(void **state)
{
    struct term *t = run_sh("printf 'hello\\033[3;5Hworld\\033[1mB'; sleep 5", 10, 40);
    assert_true(term_wait_for(t, "world", 5000));
    assert_string_equal(term_row(t, 0), "hello");
    assert_string_equal(term_row(t, 2), "    worldB");
    assert_int_equal(term_col_of(t, 2, "world"), 4);
    struct term_cell_attr a;
    term_cell_attr(t, 2, 9, &a);
    assert_true(a.bold);
    term_cell_attr(t, 2, 4, &a);
    assert_false(a.bold);
    term_free(t);
}

static void wide_characters_take_two_columns(void **state)
{
    struct term *t = run_sh("printf '\\346\\274\\242\\345\\255\\227|x'; sleep 5", 5, 20);
    assert_true(term_wait_for(t, "|x", 5000));
    assert_int_equal(term_col_of(t, 0, "|x"), 4);
    term_free(t);
}

static void raw_stream_and_counters_keep_every_byte(void **state)
{
    struct term *t = run_sh("printf 'a\\033]0;title\\007b'; sleep 5", 5, 20);
    assert_true(term_wait_for(t, "ab", 5000));
    size_t len;
    const unsigned char *raw = term_raw(t, &len);
    assert_true(len >= 12);
    assert_non_null(memmem(raw, len, "\033]0;title\007", 10));
    assert_true(term_bytes(t) >= 12);
    assert_true(term_reads(t) >= 1);
    term_reset_counters(t);
    assert_int_equal(term_bytes(t), 0);
    term_free(t);
}

static void keys_reach_the_program_and_exit_is_reported(void **state)
{
    struct term *t = run_sh("read line; echo \"got $line\"; exit 3", 5, 30);
    term_settle(t, 50, 500);
    term_send(t, "abc\r");
    assert_true(term_wait_for(t, "got abc", 5000));
    int status = term_wait_exit(t, 5000);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    term_free(t);
}

static void resize_reaches_the_program(void **state)
{
    struct term *t =
        run_sh("trap 'stty size' WINCH; echo ready; while :; do sleep 0.05; done", 10, 40);
    assert_true(term_wait_for(t, "ready", 5000));
    assert_int_equal(term_resize(t, 15, 50), 0);
    assert_true(term_wait_for(t, "15 50", 5000));
    term_signal(t, SIGTERM);
    term_wait_exit(t, 5000);
    term_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(screen_shows_program_output_at_cursor_positions),
        cmocka_unit_test(wide_characters_take_two_columns),
        cmocka_unit_test(raw_stream_and_counters_keep_every_byte),
        cmocka_unit_test(keys_reach_the_program_and_exit_is_reported),
        cmocka_unit_test(resize_reaches_the_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
