/* test_width.c: display widths by grapheme cluster, truncation and padding
 * that never split a grapheme or a wide character and always give the exact
 * width asked for, and word wrapping. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "src/text.h"

#define FAMILY            "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7"
#define HEART_VS16        "\xE2\x9D\xA4\xEF\xB8\x8F"
#define FLAG_DE           "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA"
#define THUMBS_TONE       "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"
#define E_ACUTE_COMBINING "e\xCC\x81"
#define ELLIPSIS          "\xE2\x80\xA6"

static void widths_of_common_scripts(void **state)
{
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("hello"), 5);
    assert_int_equal(text_width("Café"), 4);
    assert_int_equal(text_width(E_ACUTE_COMBINING), 1);
    assert_int_equal(text_width("a\xCC\x81\xCC\x82\xCC\x83"), 1); /* several marks */
    assert_int_equal(text_width("中文"), 4);
    assert_int_equal(text_width("日本語テキスト"), 14);
    assert_int_equal(text_width("ｶﾀｶﾅ"), 4); /* half-width katakana */
    assert_int_equal(text_width("한국어"), 6);
    /* a Hangul syllable written as conjoining jamo is one wide cell */
    assert_int_equal(text_width("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"), 2);
    assert_int_equal(text_width("\xE3\x80\x80"), 2); /* ideographic space */
    assert_int_equal(text_width(NULL), 0);
}

static void widths_of_emoji(void **state)
{
    assert_int_equal(text_width("\xF0\x9F\x98\x80"), 2); /* 😀 */
    assert_int_equal(text_width(FAMILY), 2);             /* ZWJ sequence */
    assert_int_equal(text_width(HEART_VS16), 2);         /* VS16 presentation */
    assert_int_equal(text_width("\xE2\x9D\xA4"), 1);     /* ❤ without VS16 */
    assert_int_equal(text_width(FLAG_DE), 2);            /* a regional indicator pair */
    assert_int_equal(text_width(FLAG_DE FLAG_DE), 4);
    assert_int_equal(text_width(THUMBS_TONE), 2);                 /* skin tone modifier */
    assert_int_equal(text_width("1\xEF\xB8\x8F\xE2\x83\xA3"), 2); /* keycap */
    /* rainbow flag: white flag, VS16, ZWJ, rainbow */
    assert_int_equal(text_width("\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88"), 2);
    assert_int_equal(text_width("ok " FAMILY " ok"), 8);
}

static void invalid_bytes_and_controls_count_as_replacement(void **state)
{
    assert_int_equal(text_width("a\xFF"
                                "b"),
                     3);
    assert_int_equal(text_width("a\x1b"
                                "b"),
                     3);
    assert_int_equal(text_width("\xCD\xB8"), 1); /* unassigned U+0378 */
    assert_int_equal(text_width("\xCC\x81"), 1); /* a mark with no base */
    assert_int_equal(text_width("a\nb"), 2);     /* the line end takes no column */
}

static void grapheme_iteration_keeps_clusters_whole(void **state)
{
    const char *s = "a" E_ACUTE_COMBINING FAMILY "中";
    size_t pos = 0, len = strlen(s);
    struct text_grapheme g;
    int widths[8], n = 0;
    size_t lens[8];

    while (text_next_grapheme(s, len, &pos, &g)) {
        assert_true(n < 8);
        widths[n] = g.width;
        lens[n] = g.len;
        assert_false(g.invalid);
        n++;
    }
    assert_int_equal(n, 4);
    assert_int_equal(widths[0], 1);
    assert_int_equal(lens[1], 3);
    assert_int_equal(widths[1], 1);
    assert_int_equal(lens[2], strlen(FAMILY));
    assert_int_equal(widths[2], 2);
    assert_int_equal(widths[3], 2);
    assert_int_equal(pos, len);

    /* stepping back lands on cluster starts */
    assert_int_equal(text_prev_grapheme(s, len, len), len - 3);
    assert_int_equal(text_prev_grapheme(s, len, len - 3), 1 + 3);
    assert_int_equal(text_prev_grapheme(s, len, 4), 1);
    assert_int_equal(text_prev_grapheme(s, len, 1), 0);
    assert_int_equal(text_prev_grapheme(s, len, 0), 0);
    assert_int_equal(text_prev_grapheme("ab\ncd", 5, 3), 2);
}

static void check_fit(const char *s, int cols, const char *want)
{
    char *got = text_fit(s, cols, TEXT_ALIGN_LEFT);
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(text_width(got), cols < 0 ? 0 : cols);
    free(got);
}

static void truncation_adds_ellipsis_and_keeps_exact_width(void **state)
{
    check_fit("hello", 8, "hello   ");
    check_fit("hello", 5, "hello");
    check_fit("hello world", 8, "hello w" ELLIPSIS);
    check_fit("hello", 1, ELLIPSIS);
    check_fit("hello", 0, "");
    check_fit("hello", -3, "");
    /* a wide character that would straddle the edge is replaced by padding */
    check_fit("中文字", 4, "中" ELLIPSIS " ");
    check_fit("中文字", 5, "中文" ELLIPSIS);
    check_fit("中文字", 6, "中文字");
    check_fit("a中文字", 4, "a中" ELLIPSIS);
    /* a grapheme is never split */
    check_fit("ab" FAMILY "cd", 4, "ab" ELLIPSIS " ");
    check_fit("ab" FAMILY "cd", 5, "ab" FAMILY ELLIPSIS);
    check_fit(E_ACUTE_COMBINING E_ACUTE_COMBINING E_ACUTE_COMBINING, 2, E_ACUTE_COMBINING ELLIPSIS);
    check_fit(FLAG_DE FLAG_DE, 3, FLAG_DE ELLIPSIS);
    /* only the first line counts; invalid bytes come out as U+FFFD */
    check_fit("ab\ncd", 4, "ab  ");
    check_fit("a\xFF", 3, "a\xEF\xBF\xBD ");
}

static void truncate_without_padding(void **state)
{
    char *s = text_truncate("short", 10);
    assert_string_equal(s, "short");
    free(s);
    s = text_truncate("中文字", 4);
    assert_string_equal(s, "中" ELLIPSIS " ");
    assert_int_equal(text_width(s), 4);
    free(s);
    s = text_truncate(NULL, 4);
    assert_string_equal(s, "");
    free(s);
}

static void right_alignment_pads_on_the_left(void **state)
{
    char *s = text_fit("42", 5, TEXT_ALIGN_RIGHT);
    assert_string_equal(s, "   42");
    free(s);
    s = text_fit("中文字", 5, TEXT_ALIGN_RIGHT);
    assert_string_equal(s, "中文" ELLIPSIS);
    free(s);
}

static void fitting_many_widths_is_always_exact(void **state)
{
    const char *samples[] = {"plain ascii text", "中文 and 日本語 mixed", FAMILY FAMILY "x",
                             "e\xCC\x81t\xC3\xA9 caf\xC3\xA9", FLAG_DE "!" THUMBS_TONE};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        for (int cols = 0; cols <= 24; cols++) {
            char *l = text_fit(samples[i], cols, TEXT_ALIGN_LEFT);
            char *r = text_fit(samples[i], cols, TEXT_ALIGN_RIGHT);
            assert_int_equal(text_width(l), cols);
            assert_int_equal(text_width(r), cols);
            free(l);
            free(r);
        }
    }
}

static void prefix_fitting_stops_before_wide_character(void **state)
{
    int w = -1;
    size_t n = text_prefix_fitting("a中b", strlen("a中b"), 2, &w);
    assert_int_equal(n, 1);
    assert_int_equal(w, 1);
    n = text_prefix_fitting("a中b", strlen("a中b"), 3, &w);
    assert_int_equal(n, 4);
    assert_int_equal(w, 3);
    n = text_prefix_fitting("ab\ncd", 5, 10, &w);
    assert_int_equal(n, 2);
}

static void assert_lines(const char *text, int cols, const char *const *want, size_t count)
{
    struct text_lines lines;
    assert_int_equal(text_wrap(text, cols, &lines), 0);
    for (size_t i = 0; i < lines.count && i < count; i++)
        assert_string_equal(lines.lines[i], want[i]);
    assert_int_equal(lines.count, count);
    for (size_t i = 0; i < lines.count; i++)
        assert_true(text_width(lines.lines[i]) <= cols);
    text_lines_free(&lines);
}

static void wrapping_breaks_at_spaces(void **state)
{
    const char *a[] = {"the quick", "brown fox", "jumps"};
    assert_lines("the quick brown fox jumps", 10, a, 3);
    const char *b[] = {"one", "", "two three"};
    assert_lines("one\n\ntwo three", 10, b, 3);
    const char *c[] = {""};
    assert_lines("", 10, c, 1);
    const char *d[] = {"ends", ""};
    assert_lines("ends\n", 10, d, 2);
    const char *e[] = {"  indented", "text"};
    assert_lines("  indented text", 10, e, 2);
    const char *f[] = {"a", "b"};
    assert_lines("a      b", 3, f, 2); /* spaces at the break are not carried */
    const char *g[] = {"exactly10!", "next"};
    assert_lines("exactly10! next", 10, g, 2);
}

static void wrapping_breaks_long_words_at_graphemes(void **state)
{
    const char *a[] = {"abcd", "efgh", "ij"};
    assert_lines("abcdefghij", 4, a, 3);
    const char *b[] = {"中文", "字中", "文"};
    assert_lines("中文字中文", 5, b, 3);
    const char *c[] = {"ab", FAMILY, "cd"};
    assert_lines("ab" FAMILY "cd", 2, c, 3);
    const char *d[] = {"see", "http://exa", "mple.com/x"};
    assert_lines("see http://example.com/x", 10, d, 3);
}

static void wrap_spans_point_into_the_source(void **state)
{
    const char *s = "hello world\nbye";
    struct text_span *spans;
    size_t n = text_wrap_spans(s, strlen(s), 7, &spans);
    assert_int_equal(n, 3);
    assert_int_equal(spans[0].start, 0);
    assert_int_equal(spans[0].len, 5);
    assert_int_equal(spans[1].start, 6);
    assert_int_equal(spans[1].len, 5);
    assert_int_equal(spans[1].width, 5);
    assert_int_equal(spans[2].start, 12);
    assert_int_equal(spans[2].len, 3);
    free(spans);
    /* a wide character in a one-column window gets a line of its own */
    n = text_wrap_spans("中a", strlen("中a"), 1, &spans);
    assert_int_equal(n, 2);
    assert_int_equal(spans[0].width, 2);
    assert_int_equal(spans[1].width, 1);
    free(spans);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(widths_of_common_scripts),
        cmocka_unit_test(widths_of_emoji),
        cmocka_unit_test(invalid_bytes_and_controls_count_as_replacement),
        cmocka_unit_test(grapheme_iteration_keeps_clusters_whole),
        cmocka_unit_test(truncation_adds_ellipsis_and_keeps_exact_width),
        cmocka_unit_test(truncate_without_padding),
        cmocka_unit_test(right_alignment_pads_on_the_left),
        cmocka_unit_test(fitting_many_widths_is_always_exact),
        cmocka_unit_test(prefix_fitting_stops_before_wide_character),
        cmocka_unit_test(wrapping_breaks_at_spaces),
        cmocka_unit_test(wrapping_breaks_long_words_at_graphemes),
        cmocka_unit_test(wrap_spans_point_into_the_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
