/* test_sanitize.c: the one sanitiser stops every terminal attack a hostile
 * ticket can carry (escape sequences, C1 controls, bidi tricks, cursor
 * movement, invisible text, invalid UTF-8) and keeps honest text intact. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/text.h"

static char *clean1(const char *s)
{
    return text_sanitize(s, (size_t)-1, TEXT_SINGLE_LINE);
}

static char *cleanm(const char *s)
{
    return text_sanitize(s, (size_t)-1, TEXT_MULTI_LINE);
}

#define EXPECT(fn, in, want)             \
    do {                                 \
        char *got_ = fn(in);             \
        assert_non_null(got_);           \
        assert_string_equal(got_, want); \
        free(got_);                      \
    } while (0)

/* No byte below 0x20 (except LF in multi-line), no DEL, no C1 (U+0080-U+009F
 * as UTF-8), and valid UTF-8 throughout. */
static void assert_terminal_safe(const char *s, bool multi)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; u[i]; i++) {
        if (multi && u[i] == '\n')
            continue;
        assert_true(u[i] >= 0x20);
        assert_true(u[i] != 0x7F);
        if (u[i] == 0xC2)
            assert_true(u[i + 1] >= 0xA0);
    }
    assert_true(text_is_clean(s, multi ? TEXT_MULTI_LINE : TEXT_SINGLE_LINE));
}

static void plain_ascii_and_unicode_pass_unchanged(void **state)
{
    EXPECT(clean1, "Printer on fire", "Printer on fire");
    EXPECT(clean1, "Café naïve façade", "Café naïve façade");
    EXPECT(clean1, "请帮忙 ありがとう 안녕하세요", "请帮忙 ありがとう 안녕하세요");
    EXPECT(clean1, "שלום مرحبا", "שלום مرحبا"); /* RTL letters are text, not tricks */
    EXPECT(clean1, "e\xCC\x81", "e\xCC\x81");   /* e + combining acute */
    EXPECT(clean1, "", "");
    char *n = text_sanitize(NULL, (size_t)-1, TEXT_SINGLE_LINE);
    assert_string_equal(n, "");
    free(n);
}

static void escape_sequences_lose_their_escape(void **state)
{
    /* CSI colour, cursor movement, screen clear */
    EXPECT(clean1, "\x1b[31mred\x1b[0m", "[31mred[0m");
    EXPECT(clean1, "a\x1b[2J\x1b[Hb", "a[2J[Hb");
    /* OSC 52 (set the clipboard) with BEL and with ST terminators */
    EXPECT(clean1, "x\x1b]52;c;cm0gLXJmIH4=\x07y", "x]52;c;cm0gLXJmIH4=y");
    EXPECT(clean1, "x\x1b]52;c;cm0=\x1b\\y", "x]52;c;cm0=\\y");
    /* OSC 8 hyperlink, window title, DCS */
    EXPECT(clean1, "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "]8;;http://evil\\click]8;;\\");
    EXPECT(clean1, "\x1b]0;pwned\x07", "]0;pwned");
    EXPECT(clean1, "\x1bP+q\x1b\\", "P+q\\");
}

static void c1_controls_are_dropped(void **state)
{
    /* U+009B (CSI), U+009D (OSC), U+0085 (NEL) encoded as UTF-8 */
    EXPECT(clean1,
           "a\xC2\x9B"
           "31mb",
           "a31mb");
    EXPECT(clean1,
           "a\xC2\x9D"
           "0;t\xC2\x9C"
           "b",
           "a0;tb");
    EXPECT(cleanm,
           "a\xC2\x85"
           "b",
           "a\nb"); /* NEL is a line break */
    /* raw 8-bit C1 bytes are not UTF-8 at all */
    EXPECT(clean1,
           "a\x9B"
           "31mb",
           "a\xEF\xBF\xBD"
           "31mb");
}

static void every_c0_control_and_del_is_removed(void **state)
{
    char in[64];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++)
        in[n++] = (char)c;
    in[n++] = 0x7F;
    in[n++] = 'z';
    char *one = text_sanitize(in, n, TEXT_SINGLE_LINE);
    char *multi = text_sanitize(in, n, TEXT_MULTI_LINE);
    assert_terminal_safe(one, false);
    assert_terminal_safe(multi, true);
    assert_non_null(strchr(one, 'z'));
    free(one);
    free(multi);
}

static void single_line_never_moves_to_another_row(void **state)
{
    EXPECT(clean1, "Subject\r\nBcc: evil", "Subject Bcc: evil");
    EXPECT(clean1, "a\nb\rc\td", "a b c d");
    EXPECT(clean1, "a\r\n\r\n\nb", "a b"); /* a run of breaks is one space */
    EXPECT(clean1,
           "a\x0b"
           "b\x0c"
           "c",
           "a b c");
    EXPECT(clean1,
           "a\xE2\x80\xA8"
           "b\xE2\x80\xA9"
           "c",
           "a b c"); /* U+2028, U+2029 */
    /* backspace could overwrite what was drawn: dropped */
    EXPECT(clean1, "paid\b\b\b\bDUE!", "paidDUE!");
}

static void multi_line_normalises_breaks_and_expands_tabs(void **state)
{
    EXPECT(cleanm, "a\r\nb\rc\nd", "a\nb\nc\nd");
    EXPECT(cleanm, "a\tb", "a       b");
    EXPECT(cleanm, "abcdefgh\tx", "abcdefgh        x");
    EXPECT(cleanm, "\tx\n\ty", "        x\n        y");
    EXPECT(cleanm, "中\tx", "中      x"); /* the wide character counts 2 columns */
    EXPECT(cleanm,
           "a\b\x1b"
           "b",
           "ab");
}

static void bidi_overrides_and_isolates_are_removed(void **state)
{
    /* "Trojan Source": RLO reverses what follows */
    EXPECT(clean1, "invoice\xE2\x80\xAEgpj.exe", "invoicegpj.exe");
    static const char *const marks[] = {
        "\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD",
        "\xE2\x80\xAE", "\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8",
        "\xE2\x81\xA9", "\xE2\x80\x8E", "\xE2\x80\x8F", "\xD8\x9C",
    };
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        char in[32];
        snprintf(in, sizeof in, "a%sb", marks[i]);
        EXPECT(clean1, in, "ab");
    }
}

static void invisible_characters_cannot_hide_text(void **state)
{
    EXPECT(clean1, "pay\xE2\x80\x8Bpal", "paypal"); /* U+200B zero width space */
    EXPECT(clean1,
           "a\xE2\x81\xA0"
           "b",
           "ab");                                       /* U+2060 word joiner */
    EXPECT(clean1, "\xEF\xBB\xBFhello", "hello");       /* BOM */
    EXPECT(clean1, "soft\xC2\xADhyphen", "softhyphen"); /* U+00AD */
    /* tag characters smuggle invisible ASCII ("hi" as U+E0068 U+E0069) */
    EXPECT(clean1, "ok\xF3\xA0\x81\xA8\xF3\xA0\x81\xA9", "ok");
    /* a joiner with nothing visible on one side is dropped */
    EXPECT(clean1,
           "\xE2\x80\x8D"
           "a",
           "a");
    EXPECT(clean1, "a\xE2\x80\x8D", "a");
    EXPECT(clean1,
           "a \xE2\x80\x8D"
           "b",
           "a b");
    /* long runs of variation selectors smuggle data: one is kept */
    EXPECT(clean1, "x\xEF\xB8\x8F\xEF\xB8\x8E\xEF\xB8\x8F", "x\xEF\xB8\x8F");
    /* a combining mark with no base would draw onto the previous cell */
    EXPECT(clean1,
           "\xCC\x81"
           "a",
           "a");
    EXPECT(cleanm,
           "a\n\xCC\x81"
           "b",
           "a\nb");
    /* a skin tone joins the character before it: with none, it goes */
    EXPECT(clean1,
           "\xF0\x9F\x8F\xBD"
           "x",
           "x");
    /* a prepended mark (Malayalam dot reph) joins the one after it */
    EXPECT(clean1, "\xE0\xB5\x8E\xE0\xB4\xB0", "\xE0\xB5\x8E\xE0\xB4\xB0");
    EXPECT(clean1, "a\xE0\xB5\x8E", "a");
    EXPECT(clean1, "\xE0\xB5\x8E a", " a");
}

static void zalgo_is_limited(void **state)
{
    char in[1024];
    size_t n = 0;
    in[n++] = 'Z';
    for (int i = 0; i < 100; i++) {
        in[n++] = (char)0xCC;
        in[n++] = (char)0x81;
    }
    in[n] = '\0';
    char *out = clean1(in);
    assert_int_equal(strlen(out), 1 + 2 * TEXT_MAX_ZERO_WIDTH);
    free(out);
}

static void emoji_sequences_are_kept_whole(void **state)
{
    const char *family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";
    EXPECT(clean1, family, family);
    EXPECT(clean1, "\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x9D\xA4\xEF\xB8\x8F"); /* ❤️ */
    EXPECT(clean1, "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA", "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA");
    EXPECT(clean1, "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD");
    EXPECT(clean1, "1\xEF\xB8\x8F\xE2\x83\xA3", "1\xEF\xB8\x8F\xE2\x83\xA3"); /* keycap */
    /* Devanagari half form with ZWJ, Persian with ZWNJ */
    EXPECT(clean1, "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7",
           "\xE0\xA4\x95\xE0\xA5\x8D\xE2\x80\x8D\xE0\xA4\xB7");
    EXPECT(clean1, "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD9\x88\xD9\x85",
           "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xB1\xD9\x88\xD9\x85");
}

static void invalid_utf8_becomes_replacement_characters(void **state)
{
    const char *fffd = "\xEF\xBF\xBD";
    char want[64];

    EXPECT(clean1,
           "a\xFF"
           "b",
           "a\xEF\xBF\xBD"
           "b");
    EXPECT(clean1, "\x80", fffd); /* lone continuation */
    EXPECT(clean1, "\xC3", fffd); /* truncated at the end */
    EXPECT(clean1,
           "\xE4\xB8"
           "x",
           "\xEF\xBF\xBDx"); /* truncated: one U+FFFD */
    /* overlong encodings of '/' and of NUL */
    snprintf(want, sizeof want, "%s%s", fffd, fffd);
    EXPECT(clean1, "\xC0\xAF", want);
    EXPECT(clean1, "\xC0\x80", want);
    snprintf(want, sizeof want, "%s%s%s", fffd, fffd, fffd);
    EXPECT(clean1, "\xE0\x80\xAF", want);
    snprintf(want, sizeof want, "%s%s%s%s", fffd, fffd, fffd, fffd);
    EXPECT(clean1, "\xF0\x80\x80\xAF", want);
    /* UTF-16 surrogates encoded in UTF-8 (CESU) */
    snprintf(want, sizeof want, "%s%s%s", fffd, fffd, fffd);
    EXPECT(clean1, "\xED\xA0\x80", want);
    /* above U+10FFFF */
    snprintf(want, sizeof want, "%s%s%s%s", fffd, fffd, fffd, fffd);
    EXPECT(clean1, "\xF4\x90\x80\x80", want);
    EXPECT(clean1, "\xF5", fffd);
    /* an unassigned code point (U+0378) is shown as U+FFFD too */
    EXPECT(clean1, "\xCD\xB8", fffd);
}

static void nul_bytes_inside_the_range_are_dropped(void **state)
{
    char *out = text_sanitize("a\0b", 3, TEXT_SINGLE_LINE);
    assert_string_equal(out, "ab");
    free(out);
    out = text_sanitize("abcdef", 3, TEXT_SINGLE_LINE);
    assert_string_equal(out, "abc");
    free(out);
}

static void long_hostile_string_is_handled_linearly(void **state)
{
    size_t n = 10000;
    char *in = malloc(n * 4 + 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        static const char *const pieces[] = {
            "\x1b[", "\xE2\x80\xAE",     "\xFF",     "\t",       "\r\n",
            "é",     "\xF0\x9F\x91\x8D", "\xCC\x81", "\xC2\x9B", "w"};
        const char *p = pieces[i % 10];
        memcpy(in + len, p, strlen(p));
        len += strlen(p);
    }
    in[len] = '\0';
    char *one = text_sanitize(in, len, TEXT_SINGLE_LINE);
    char *multi = text_sanitize(in, len, TEXT_MULTI_LINE);
    assert_non_null(one);
    assert_non_null(multi);
    assert_terminal_safe(one, false);
    assert_terminal_safe(multi, true);
    assert_null(strchr(one, '\n'));
    free(one);
    free(multi);
    free(in);
}

static void sanitising_is_idempotent(void **state)
{
    const char *inputs[] = {"a\tb\r\nc", "\x1b[1mX\xE2\x80\xAE\xFF", "x\xEF\xB8\x8F\xEF\xB8\x8F",
                            "\xCC\x81\xCC\x81", "a \xE2\x80\x8D b"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (int m = 0; m < 2; m++) {
            enum text_mode mode = m ? TEXT_MULTI_LINE : TEXT_SINGLE_LINE;
            char *once = text_sanitize(inputs[i], (size_t)-1, mode);
            char *twice = text_sanitize(once, (size_t)-1, mode);
            assert_string_equal(once, twice);
            assert_true(text_is_clean(once, mode));
            free(once);
            free(twice);
        }
    }
    assert_false(text_is_clean("a\x1b", TEXT_SINGLE_LINE));
    assert_false(text_is_clean("a\nb", TEXT_SINGLE_LINE));
    assert_true(text_is_clean("a\nb", TEXT_MULTI_LINE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_ascii_and_unicode_pass_unchanged),
        cmocka_unit_test(escape_sequences_lose_their_escape),
        cmocka_unit_test(c1_controls_are_dropped),
        cmocka_unit_test(every_c0_control_and_del_is_removed),
        cmocka_unit_test(single_line_never_moves_to_another_row),
        cmocka_unit_test(multi_line_normalises_breaks_and_expands_tabs),
        cmocka_unit_test(bidi_overrides_and_isolates_are_removed),
        cmocka_unit_test(invisible_characters_cannot_hide_text),
        cmocka_unit_test(zalgo_is_limited),
        cmocka_unit_test(emoji_sequences_are_kept_whole),
        cmocka_unit_test(invalid_utf8_becomes_replacement_characters),
        cmocka_unit_test(nul_bytes_inside_the_range_are_dropped),
        cmocka_unit_test(long_hostile_string_is_handled_linearly),
        cmocka_unit_test(sanitising_is_idempotent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
