/* test_layout.c: the TUI's geometry (ui/layout.c), without a terminal: where
 * the list, the detail, the status bar and the message line go in each
 * layout, when the terminal is too small, and how list columns are parsed,
 * placed and dropped on narrow screens. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ui/layout.h"

static void list_layout_fills_the_screen_above_status_and_message(void **state)
{
    struct layout l;
    layout_compute(&l, 24, 80, LAYOUT_LIST, 0);
    assert_false(l.too_small);
    assert_int_equal(l.list_header.y, 0);
    assert_int_equal(l.list.y, 1);
    assert_int_equal(l.list.h, 21);
    assert_int_equal(l.detail.h, 0);
    assert_int_equal(l.status.y, 22);
    assert_int_equal(l.message.y, 23);
    assert_int_equal(l.status.w, 80);
}

static void split_layout_puts_the_detail_below_a_third_of_list(void **state)
{
    struct layout l;
    layout_compute(&l, 24, 80, LAYOUT_SPLIT, 0);
    assert_int_equal(l.list.y, 1);
    assert_int_equal(l.list.h, 6);
    assert_int_equal(l.detail_bar.y, 7);
    assert_int_equal(l.detail.y, 8);
    assert_int_equal(l.detail.y + l.detail.h, l.status.y);
    layout_compute(&l, 24, 80, LAYOUT_SPLIT, 100); /* the detail keeps 3 rows */
    assert_int_equal(l.detail.h, 3);
    layout_compute(&l, 24, 80, LAYOUT_SPLIT, 5);
    assert_int_equal(l.list.h, 5);
}

static void detail_layout_hides_the_list(void **state)
{
    struct layout l;
    layout_compute(&l, 24, 80, LAYOUT_DETAIL, 0);
    assert_int_equal(l.list.h, 0);
    assert_int_equal(l.list_header.h, 0);
    assert_int_equal(l.detail_bar.y, 0);
    assert_int_equal(l.detail.y, 1);
    assert_int_equal(l.detail.h, 21);
}

static void below_40_by_12_the_terminal_is_too_small(void **state)
{
    struct layout l;
    layout_compute(&l, 12, 40, LAYOUT_SPLIT, 0);
    assert_false(l.too_small);
    assert_true(l.detail.h >= 3);
    layout_compute(&l, 11, 80, LAYOUT_LIST, 0);
    assert_true(l.too_small);
    layout_compute(&l, 24, 39, LAYOUT_LIST, 0);
    assert_true(l.too_small);
}

static void columns_parse_names_widths_and_add_the_subject(void **state)
{
    struct layout_column c[LAYOUT_MAX_COLUMNS];
    char err[100];
    int n = layout_parse_columns("id, requester:20,status", c, LAYOUT_MAX_COLUMNS, err, sizeof err);
    assert_int_equal(n, 4);
    assert_int_equal(c[0].id, COLUMN_ID);
    assert_int_equal(c[1].id, COLUMN_REQUESTER);
    assert_int_equal(c[1].width, 20);
    assert_int_equal(c[3].id, COLUMN_SUBJECT);
    assert_int_equal(layout_parse_columns("id,bogus", c, LAYOUT_MAX_COLUMNS, err, sizeof err), -1);
    assert_non_null(strstr(err, "bogus"));
    assert_int_equal(layout_parse_columns("id:0", c, LAYOUT_MAX_COLUMNS, err, sizeof err), -1);
    assert_true(layout_parse_columns(NULL, c, LAYOUT_MAX_COLUMNS, err, sizeof err) > 5);
}

static void columns_are_placed_with_one_blank_and_the_subject_takes_the_rest(void **state)
{
    struct layout_column c[LAYOUT_MAX_COLUMNS];
    char err[100];
    int n = layout_parse_columns("id:5,status:8,subject", c, LAYOUT_MAX_COLUMNS, err, sizeof err);
    layout_columns(c, (size_t)n, 0, 80);
    assert_int_equal(c[0].x, 0);
    assert_int_equal(c[1].x, 6);
    assert_int_equal(c[2].x, 15);
    assert_int_equal(c[2].shown, 65);
}

static void narrow_screens_drop_the_least_useful_columns_first(void **state)
{
    struct layout_column c[LAYOUT_MAX_COLUMNS];
    char err[100];
    int n = layout_parse_columns(NULL, c, LAYOUT_MAX_COLUMNS, err, sizeof err);
    layout_columns(c, (size_t)n, 0, 80);
    int subject = -1;
    for (int i = 0; i < n; i++) {
        if (c[i].id == COLUMN_COMPANY || c[i].id == COLUMN_AGENT)
            assert_int_equal(c[i].shown, 0);
        if (c[i].id == COLUMN_ID || c[i].id == COLUMN_UPDATED)
            assert_true(c[i].shown > 0);
        if (c[i].id == COLUMN_SUBJECT)
            subject = i;
    }
    assert_true(c[subject].shown >= 20);
    assert_int_equal(c[subject].x + c[subject].shown, 80);
    layout_columns(c, (size_t)n, 0, 200); /* wide: everything comes back */
    for (int i = 0; i < n; i++)
        assert_true(c[i].shown > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_layout_fills_the_screen_above_status_and_message),
        cmocka_unit_test(split_layout_puts_the_detail_below_a_third_of_list),
        cmocka_unit_test(detail_layout_hides_the_list),
        cmocka_unit_test(below_40_by_12_the_terminal_is_too_small),
        cmocka_unit_test(columns_parse_names_widths_and_add_the_subject),
        cmocka_unit_test(columns_are_placed_with_one_blank_and_the_subject_takes_the_rest),
        cmocka_unit_test(narrow_screens_drop_the_least_useful_columns_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
