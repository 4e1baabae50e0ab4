/* test_editbuf.c: the editor buffer edits whole graphemes, moves by word and
 * line, keeps the column on vertical moves, undoes by word and by paste,
 * takes a large paste in one step, and soft-wraps by display width. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/editbuf.h"

static struct editbuf *make(const char *text)
{
    struct editbuf *b = malloc(sizeof *b);
    assert_int_equal(editbuf_init(b), 0);
    if (text)
        assert_int_equal(editbuf_set_text(b, text), 0);
    return b;
}

static void drop(struct editbuf *b)
{
    editbuf_free(b);
    free(b);
}

static void type(struct editbuf *b, const char *s)
{
    /* One call per code point, as a terminal delivers typed keys. */
    for (size_t i = 0; s[i];) {
        size_t n = 1;
        while (((unsigned char)s[i + n] & 0xc0) == 0x80)
            n++;
        assert_int_equal(editbuf_insert(b, s + i, n), 0);
        i += n;
    }
}

static void typing_inserts_at_the_cursor(void **unused)
{
    struct editbuf *b = make(NULL);
    type(b, "Hllo");
    editbuf_home(b);
    editbuf_right(b);
    type(b, "e");
    assert_string_equal(b->text, "Hello");
    assert_int_equal(b->cursor, 2);
    assert_true(b->modified);
    drop(b);
}

static void backspace_and_delete_remove_whole_graphemes(void **unused)
{
    /* e + combining acute, a thumbs-up with skin tone, a flag, CJK. */
    struct editbuf *b = make("ae\xcc\x81"
                             "b👍🏽c🇩🇪中");
    editbuf_backspace(b);
    assert_string_equal(b->text, "ae\xcc\x81"
                                 "b👍🏽c🇩🇪");
    editbuf_backspace(b);
    assert_string_equal(b->text, "ae\xcc\x81"
                                 "b👍🏽c");
    editbuf_left(b); /* before c */
    editbuf_backspace(b);
    assert_string_equal(b->text, "ae\xcc\x81"
                                 "bc");
    editbuf_home(b);
    editbuf_right(b);
    editbuf_delete(b); /* the accented e as one */
    assert_string_equal(b->text, "abc");
    drop(b);
}

static void left_and_right_step_over_graphemes(void **unused)
{
    struct editbuf *b = make("x👩‍👩‍👧y");
    editbuf_left(b);
    assert_int_equal(b->cursor, strlen("x👩‍👩‍👧"));
    editbuf_left(b);
    assert_int_equal(b->cursor, 1);
    editbuf_right(b);
    assert_int_equal(b->cursor, strlen("x👩‍👩‍👧"));
    editbuf_top(b);
    editbuf_left(b); /* stays at 0 */
    assert_int_equal(b->cursor, 0);
    editbuf_bottom(b);
    editbuf_right(b);
    assert_int_equal(b->cursor, b->len);
    drop(b);
}

static void word_moves_and_word_deletes(void **unused)
{
    struct editbuf *b = make("Привет, мир_1 -- ok");
    editbuf_word_left(b);
    assert_string_equal(b->text + b->cursor, "ok");
    editbuf_word_left(b);
    assert_string_equal(b->text + b->cursor, "мир_1 -- ok");
    editbuf_word_left(b);
    assert_int_equal(b->cursor, 0);
    editbuf_word_right(b);
    assert_string_equal(b->text + b->cursor, ", мир_1 -- ok");
    editbuf_word_right(b);
    assert_string_equal(b->text + b->cursor, " -- ok");
    editbuf_delete_word_before(b);
    assert_string_equal(b->text, "Привет,  -- ok");
    editbuf_delete_word_after(b);
    assert_string_equal(b->text, "Привет, ");
    drop(b);
}

static void home_end_and_line_kills(void **unused)
{
    struct editbuf *b = make("one\ntwo three\nfour");
    editbuf_line_up(b);
    editbuf_home(b);
    assert_string_equal(b->text + b->cursor, "two three\nfour");
    editbuf_end(b);
    assert_string_equal(b->text + b->cursor, "\nfour");
    editbuf_kill_to_line_end(b); /* at line end: joins the next line */
    assert_string_equal(b->text, "one\ntwo threefour");
    editbuf_word_left(b);
    editbuf_kill_to_line_start(b);
    assert_string_equal(b->text, "one\nthreefour");
    editbuf_kill_to_line_end(b);
    assert_string_equal(b->text, "one\n");
    drop(b);
}

static void vertical_moves_keep_the_display_column(void **unused)
{
    struct editbuf *b = make("abcdefgh\n中文\nabcdefgh");
    size_t line;
    int col;
    editbuf_line_up(b); /* from column 8 of line 3 */
    editbuf_line_up(b);
    editbuf_cursor_position(b, &line, &col);
    assert_int_equal(line, 0);
    assert_int_equal(col, 8);
    editbuf_home(b);
    for (int i = 0; i < 3; i++)
        editbuf_right(b);
    editbuf_line_down(b); /* column 3 falls inside 文: lands before it, at 2 */
    editbuf_cursor_position(b, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);
    editbuf_line_down(b); /* the goal column 3 is remembered */
    editbuf_cursor_position(b, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    editbuf_line_down(b); /* past the last line: end of text */
    assert_int_equal(b->cursor, b->len);
    drop(b);
}

static void undo_goes_back_a_word_at_a_time_and_redo_replays(void **unused)
{
    struct editbuf *b = make(NULL);
    type(b, "hello big world");
    assert_int_equal(editbuf_undo(b), 1);
    assert_string_equal(b->text, "hello big");
    assert_int_equal(editbuf_undo(b), 1);
    assert_string_equal(b->text, "hello");
    assert_int_equal(editbuf_redo(b), 1);
    assert_string_equal(b->text, "hello big");
    editbuf_backspace(b);
    assert_string_equal(b->text, "hello bi");
    assert_int_equal(editbuf_redo(b), 0); /* a new change forgets the undone steps */
    assert_int_equal(editbuf_undo(b), 1);
    assert_string_equal(b->text, "hello big");
    assert_int_equal(b->cursor, strlen("hello big"));
    while (editbuf_undo(b) == 1)
        ;
    assert_string_equal(b->text, "");
    assert_int_equal(b->cursor, 0);
    drop(b);
}

static void a_big_paste_is_one_step_and_cleaned(void **unused)
{
    size_t n = 2 * 1024 * 1024;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = (i % 61 == 60) ? '\n' : (char)('a' + i % 26);
    big[n] = '\0';
    struct editbuf *b = make("start\n");
    editbuf_top(b);
    assert_int_equal(editbuf_paste(b, big, n), 0);
    assert_int_equal(b->len, n + 6);
    assert_int_equal(b->cursor, n);
    assert_memory_equal(b->text, big, n);
    assert_int_equal(editbuf_undo(b), 1);
    assert_string_equal(b->text, "start\n");
    free(big);
    /* CRLF and CR become LF; controls, bidi overrides and bad bytes are cleaned. */
    const char *dirty = "a\r\nb\rc\x1b[31m\xe2\x80\xae\xff!";
    assert_int_equal(editbuf_paste(b, dirty, strlen(dirty)), 0);
    assert_string_equal(b->text, "a\nb\nc[31m\xef\xbf\xbd!start\n");
    drop(b);
}

static void layout_soft_wraps_by_width_and_places_the_cursor(void **unused)
{
    struct editbuf *b = make("hello wide 世界世界 world\nx");
    struct editbuf_layout l;

    assert_int_equal(editbuf_layout(b, 10, &l), 0);
    assert_true(l.count >= 4);
    for (size_t i = 0; i < l.count; i++)
        assert_true(l.rows[i].width <= 10);
    assert_int_equal(l.rows[0].start, 0);
    assert_int_equal(l.rows[0].len, strlen("hello wide"));
    assert_int_equal(l.rows[1].width, 8); /* 世界世界 */
    assert_int_equal(l.cursor_row, l.count - 1);
    assert_int_equal(l.cursor_col, 1);
    editbuf_layout_free(&l);
    /* The cursor on a wrapped row, and moving by display row. */
    editbuf_set_cursor(b, strlen("hello wide 世界"));
    assert_int_equal(editbuf_layout(b, 10, &l), 0);
    assert_int_equal(l.cursor_row, 1);
    assert_int_equal(l.cursor_col, 4);
    editbuf_layout_free(&l);
    editbuf_row_up(b, 10);
    assert_int_equal(b->cursor, 4); /* column 4 of "hello wide" */
    editbuf_row_down(b, 10);
    assert_int_equal(b->cursor, strlen("hello wide 世界"));
    /* set_cursor never lands inside a character. */
    editbuf_set_cursor(b, strlen("hello wide 世") - 1);
    assert_int_equal(b->cursor, strlen("hello wide "));
    drop(b);
}

static void windowed_layout_matches_the_full_layout_near_the_cursor(void **unused)
{
    size_t n = 512 * 1024;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = (i % 173 == 172) ? '\n' : (i % 9 == 8) ? ' ' : (char)('a' + i % 26);
    big[n] = '\0';
    struct editbuf *b = make(big);
    editbuf_set_cursor(b, n / 2);
    struct editbuf_layout full, win;
    assert_int_equal(editbuf_layout(b, 50, &full), 0);
    assert_int_equal(editbuf_layout_around(b, 50, 20, &win), 0);
    assert_true(win.more_above);
    assert_true(win.more_below);
    assert_true(win.cursor_row >= 20);
    assert_true(win.count - win.cursor_row > 20);
    assert_true(win.count < full.count / 10);
    /* The window's rows are exactly the full layout's rows at that place. */
    size_t offset = full.cursor_row - win.cursor_row;
    for (size_t i = 0; i < win.count; i++) {
        assert_int_equal(win.rows[i].start, full.rows[offset + i].start);
        assert_int_equal(win.rows[i].len, full.rows[offset + i].len);
    }
    assert_int_equal(win.cursor_col, full.cursor_col);
    editbuf_layout_free(&full);
    editbuf_layout_free(&win);
    editbuf_top(b);
    assert_int_equal(editbuf_layout_around(b, 50, 20, &win), 0);
    assert_false(win.more_above);
    assert_int_equal(win.cursor_row, 0);
    editbuf_layout_free(&win);
    drop(b);
    free(big);
}

static void write_script(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    assert_int_equal(chmod(path, 0700), 0);
}

static int files_named(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

static void external_editor_round_trip_and_failure(void **unused)
{
    char dir[] = "/tmp/fdesk-editbuf-XXXXXX", script[128], bad[128], cmd[300], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(script, sizeof script, "%s/editor.sh", dir);
    snprintf(bad, sizeof bad, "%s/bad-editor.sh", dir);
    /* Records the file's mode, then appends a line, as an agent would. */
    write_script(script, "stat -c %a \"$1\" > \"$(dirname \"$1\")/mode\"\n"
                         "printf 'added in the editor \\n' >> \"$1\"");
    write_script(bad, "printf 'garbage' > \"$1\"; exit 3");

    struct editbuf *b = make("Dear customer,\n");
    assert_int_equal(editbuf_run_editor(b, bad, dir, err, sizeof err), 0);
    assert_string_equal(b->text, "Dear customer,\n"); /* a failed editor changes nothing */
    assert_non_null(strstr(err, "status 3"));
    assert_int_equal(editbuf_run_editor(b, script, dir, err, sizeof err), 1);
    assert_string_equal(b->text, "Dear customer,\nadded in the editor \n");
    assert_int_equal(b->cursor, b->len);
    char mode[8] = "";
    snprintf(cmd, sizeof cmd, "%s/mode", dir);
    FILE *f = fopen(cmd, "r");
    assert_non_null(f);
    assert_non_null(fgets(mode, sizeof mode, f));
    fclose(f);
    assert_string_equal(mode, "600\n");
    assert_int_equal(files_named(dir, "fdesk-edit-"), 0); /* the temporary file is gone */
    /* The whole external edit is one undo step. */
    assert_int_equal(editbuf_undo(b), 1);
    assert_string_equal(b->text, "Dear customer,\n");
    assert_int_equal(editbuf_redo(b), 1);
    assert_string_equal(b->text, "Dear customer,\nadded in the editor \n");
    drop(b);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typing_inserts_at_the_cursor),
        cmocka_unit_test(backspace_and_delete_remove_whole_graphemes),
        cmocka_unit_test(left_and_right_step_over_graphemes),
        cmocka_unit_test(word_moves_and_word_deletes),
        cmocka_unit_test(home_end_and_line_kills),
        cmocka_unit_test(vertical_moves_keep_the_display_column),
        cmocka_unit_test(undo_goes_back_a_word_at_a_time_and_redo_replays),
        cmocka_unit_test(a_big_paste_is_one_step_and_cleaned),
        cmocka_unit_test(layout_soft_wraps_by_width_and_places_the_cursor),
        cmocka_unit_test(windowed_layout_matches_the_full_layout_near_the_cursor),
        cmocka_unit_test(external_editor_round_trip_and_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
