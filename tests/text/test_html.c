/* test_html.c: HTML bodies become readable plain text (structure kept, no
 * control characters), plain text becomes the escaped HTML body Freshdesk
 * expects, and quoted history at the end of a message is found for folding. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "src/html.h"
#include "src/text.h"

#define EXPECT(fn, in, want)             \
    do {                                 \
        char *got_ = fn(in);             \
        assert_non_null(got_);           \
        assert_string_equal(got_, want); \
        free(got_);                      \
    } while (0)

static void paragraphs_and_line_breaks(void **state)
{
    EXPECT(html_to_text, "<p>Hello</p><p>World</p>", "Hello\n\nWorld");
    EXPECT(html_to_text, "<div>one</div><div>two</div>", "one\ntwo");
    EXPECT(html_to_text, "a<br>b<br/>c<BR />d", "a\nb\nc\nd");
    EXPECT(html_to_text, "a<br><br><br><br>b", "a\n\nb"); /* at most one blank line */
    EXPECT(html_to_text, "<h1>Title</h1>text", "Title\n\ntext");
    EXPECT(html_to_text, "", "");
    EXPECT(html_to_text, NULL, "");
}

static void whitespace_collapses_outside_pre(void **state)
{
    EXPECT(html_to_text, "  lots   of\n\n  space  ", "lots of space");
    EXPECT(html_to_text, "<pre>keep  this\n  indent</pre>", "keep  this\n  indent");
    EXPECT(html_to_text, "a&nbsp;&nbsp;b", "a  b");
}

static void entities_are_decoded(void **state)
{
    EXPECT(html_to_text, "&lt;b&gt; &amp; &quot;q&quot; &apos;", "<b> & \"q\" '");
    EXPECT(html_to_text, "&#65;&#x42;&#X43; &#8364; &euro; &hellip;", "ABC € € …");
    EXPECT(html_to_text, "caf&eacute; &copy;", "café ©");
    EXPECT(html_to_text, "AT&T &unknown; & x", "AT&T &unknown; & x");
    EXPECT(html_to_text, "&#0;&#xD800;&#x110000;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void entities_cannot_smuggle_controls(void **state)
{
    EXPECT(html_to_text, "a&#27;[31mb&#x9b;c&#8238;d&#7;", "a[31mbcd");
    EXPECT(html_to_text, "x&#13;&#10;y", "x\ny"); /* CR LF as entities: a line break */
    char *t = html_to_text("<p>\x1b]52;c;AAAA\x07</p>\xE2\x80\xAE");
    assert_true(text_is_clean(t, TEXT_MULTI_LINE));
    assert_null(strchr(t, 0x1b));
    free(t);
}

static void lists_get_bullets_and_numbers(void **state)
{
    EXPECT(html_to_text, "<ul><li>one</li><li>two</li></ul>", "* one\n* two");
    EXPECT(html_to_text, "<ol><li>first<li>second</ol>", "1. first\n2. second");
    EXPECT(html_to_text, "Steps:<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>done",
           "Steps:\n\n1. a\n  * b\n2. c\n\ndone");
}

static void blockquotes_are_quoted(void **state)
{
    EXPECT(html_to_text, "<p>Thanks</p><blockquote><p>old</p><p>older</p></blockquote>",
           "Thanks\n\n> old\n>\n> older");
    EXPECT(html_to_text, "<blockquote>a<blockquote>b</blockquote></blockquote>after",
           "> a\n>\n> > b\n\nafter");
}

static void scripts_styles_and_comments_are_dropped(void **state)
{
    EXPECT(html_to_text,
           "<html><head><title>t</title><style>p{color:red}</style></head>"
           "<body><script>alert('x<p>')</script><!-- secret -->Hi</body></html>",
           "Hi");
    EXPECT(html_to_text, "<!DOCTYPE html>Hi", "Hi");
}

static void links_and_images_show_their_target(void **state)
{
    EXPECT(html_to_text, "<a href=\"https://example.com/a?x=1&amp;y=2\">the guide</a>",
           "the guide <https://example.com/a?x=1&y=2>");
    EXPECT(html_to_text, "<a href='https://example.com'>https://example.com</a>",
           "https://example.com");
    EXPECT(html_to_text, "<a href=\"mailto:a@b.c\">a@b.c</a>", "a@b.c");
    EXPECT(html_to_text, "<a href=\"javascript:x()\">click</a>", "click");
    EXPECT(html_to_text, "<img src=x alt=\"logo\">", "[logo]");
}

static void broken_html_does_not_crash(void **state)
{
    EXPECT(html_to_text, "a < b and c > d", "a < b and c > d");
    EXPECT(html_to_text, "<p>unclosed <b>bold", "unclosed bold");
    EXPECT(html_to_text, "x<a href=\"never closed", "x");
    EXPECT(html_to_text, "<!-- never closed", "");
    EXPECT(html_to_text, "</blockquote></ul></pre>text", "text");
}

static void tables_keep_cells_apart(void **state)
{
    EXPECT(html_to_text, "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
           "a b\nc");
}

static void text_to_html_escapes_everything(void **state)
{
    EXPECT(html_from_text, "a < b & c > \"d\" 'e'",
           "<p>a &lt; b &amp; c &gt; &quot;d&quot; &#39;e&#39;</p>");
    EXPECT(html_from_text, "<script>alert(1)</script>",
           "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    EXPECT(html_from_text, "", "");
    EXPECT(html_from_text, "\n\n", "");
}

static void text_to_html_keeps_paragraphs_and_breaks(void **state)
{
    EXPECT(html_from_text, "Hello,\n\nline one\nline two\n\n\nBye",
           "<p>Hello,</p><p>line one<br>line two</p><p>Bye</p>");
    EXPECT(html_from_text, "a\r\nb\r\n\r\nc", "<p>a<br>b</p><p>c</p>");
    EXPECT(html_from_text, "  two  spaces", "<p>&nbsp;&nbsp;two &nbsp;spaces</p>");
}

static void text_to_html_keeps_non_latin_text(void **state)
{
    EXPECT(html_from_text, "Спасибо! 谢谢 🙏 ελληνικά", "<p>Спасибо! 谢谢 🙏 ελληνικά</p>");
    EXPECT(html_from_text, "bad\xFF\x1b", "<p>bad\xEF\xBF\xBD</p>");
}

static void quoted_tail_with_attribution(void **state)
{
    const char *msg = "Thanks, that fixed it.\n"
                      "\n"
                      "On Mon, 3 Jun 2024 at 10:00, Support <help@acme.com> wrote:\n"
                      "> Please restart the router.\n"
                      ">\n"
                      "> Regards\n";
    size_t at = html_quoted_tail(msg);
    assert_string_equal(msg + at, "On Mon, 3 Jun 2024 at 10:00, Support <help@acme.com> wrote:\n"
                                  "> Please restart the router.\n>\n> Regards\n");
}

static void quoted_tail_with_wrapped_attribution(void **state)
{
    const char *msg = "Still broken.\n"
                      "On Tue, Jun 4, 2024 at 9:12 AM Acme Support\n"
                      "<help@acme.com> wrote:\n"
                      "\n"
                      "> old text\n";
    size_t at = html_quoted_tail(msg);
    assert_string_equal(msg + at, "On Tue, Jun 4, 2024 at 9:12 AM Acme Support\n"
                                  "<help@acme.com> wrote:\n\n> old text\n");
}

static void quoted_tail_without_attribution(void **state)
{
    const char *msg = "Yes.\n> Did it work?\n";
    assert_string_equal(msg + html_quoted_tail(msg), "> Did it work?\n");
}

static void interleaved_quotes_are_not_folded(void **state)
{
    const char *msg = "> Which version?\n2.1\n> Which OS?\nLinux\n";
    assert_int_equal(html_quoted_tail(msg), strlen(msg));
    const char *plain = "No quotes here.\nJust text.";
    assert_int_equal(html_quoted_tail(plain), strlen(plain));
    const char *only = "> everything is quoted\n> here\n";
    assert_int_equal(html_quoted_tail(only), strlen(only));
    assert_int_equal(html_quoted_tail(""), 0);
    assert_int_equal(html_quoted_tail(NULL), 0);
}

static void outlook_history_is_folded(void **state)
{
    const char *msg = "See below.\n\n"
                      "-----Original Message-----\n"
                      "From: Ann\nSent: Monday\nSubject: help\n\nold\n";
    assert_string_equal(msg + html_quoted_tail(msg),
                        "-----Original Message-----\n"
                        "From: Ann\nSent: Monday\nSubject: help\n\nold\n");
    const char *msg2 = "Reply on top.\n\nFrom: Ann <a@b.c>\nSent: Monday\nTo: x\nSubject: s\n\nold";
    assert_string_equal(msg2 + html_quoted_tail(msg2),
                        "From: Ann <a@b.c>\nSent: Monday\nTo: x\nSubject: s\n\nold");
    const char *not_header = "Hi,\nFrom: the docs, I read that...\nthanks";
    assert_int_equal(html_quoted_tail(not_header), strlen(not_header));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paragraphs_and_line_breaks),
        cmocka_unit_test(whitespace_collapses_outside_pre),
        cmocka_unit_test(entities_are_decoded),
        cmocka_unit_test(entities_cannot_smuggle_controls),
        cmocka_unit_test(lists_get_bullets_and_numbers),
        cmocka_unit_test(blockquotes_are_quoted),
        cmocka_unit_test(scripts_styles_and_comments_are_dropped),
        cmocka_unit_test(links_and_images_show_their_target),
        cmocka_unit_test(broken_html_does_not_crash),
        cmocka_unit_test(tables_keep_cells_apart),
        cmocka_unit_test(text_to_html_escapes_everything),
        cmocka_unit_test(text_to_html_keeps_paragraphs_and_breaks),
        cmocka_unit_test(text_to_html_keeps_non_latin_text),
        cmocka_unit_test(quoted_tail_with_attribution),
        cmocka_unit_test(quoted_tail_with_wrapped_attribution),
        cmocka_unit_test(quoted_tail_without_attribution),
        cmocka_unit_test(interleaved_quotes_are_not_folded),
        cmocka_unit_test(outlook_history_is_folded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
