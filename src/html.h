/* html.h: the two directions between Freshdesk's HTML bodies and plain text,
 * and the detection of quoted history for folding.
 *
 * Freshdesk gives both `body` (HTML) and `body_text`; use body_text when it is
 * there and html_to_text() when only HTML exists. Replies and notes are sent
 * as HTML built by html_from_text(). No curses: unit-tested. */
#ifndef FD_HTML_H
#define FD_HTML_H

#include <stddef.h>

/* Renders an HTML fragment as plain text for the detail view: block elements
 * (p, div, h1-h6, tr, table, ul/ol, pre, hr ...) start new lines, <br> is a
 * line break, list items become "* " or "1. " lines, <blockquote> content is
 * prefixed with "> " (nested quotes give "> > "), <script>, <style>, <head>
 * and comments are dropped, named entities (the common ones) and numeric
 * entities (&#NNN; &#xHH;) are decoded, whitespace is collapsed as a browser
 * would outside <pre>, and runs of blank lines are limited to one. The result
 * has already been through text_sanitize(TEXT_MULTI_LINE): no control
 * characters, valid UTF-8. html == NULL gives "". NULL only when out of memory. */
char *html_to_text(const char *html);

/* Finds quoted history at the end of a plain-text body so the UI can fold it.
 * Returns the byte offset of the start of the line where the quoted tail
 * begins, or strlen(text) when there is none. The tail is the last block of
 * the message made only of quoted lines ("> ..."), blank lines, and optionally
 * an attribution line just above them ("On Mon, 3 Jun 2024, Ann <a@b.c> wrote:",
 * also when the attribution is wrapped over two lines), or an Outlook-style
 * "-----Original Message-----" / "From: ..." header and everything after it.
 * Quoted lines in the middle of a message (an interleaved answer) do not
 * count: only a tail with no unquoted text after it is folded. */
size_t html_quoted_tail(const char *text);

/* Converts the agent's plain text into the HTML body Freshdesk expects:
 * & < > " ' are escaped (&amp; &lt; &gt; &quot; &#39;), paragraphs separated
 * by blank lines become <p>...</p>, single newlines become <br>, CRLF is
 * treated as LF, runs of spaces keep their width with &nbsp;, and non-Latin
 * text stays UTF-8 as it is. Empty input gives "". NULL only when out of memory. */
char *html_from_text(const char *text);

#endif
