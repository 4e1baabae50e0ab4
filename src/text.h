/* text.h: fdesk's text utilities for everything that reaches the terminal.
 *
 * Two jobs, both free of curses so they are unit-tested:
 *
 * 1. The ONE sanitiser. Every string that came from the server (subjects,
 *    names, bodies, tags, error messages) goes through text_sanitize() before
 *    it is drawn. Its output is valid UTF-8 with no C0/C1 control, ESC, DEL,
 *    bidi override/isolate/mark, invisible format character (U+200B, U+2060,
 *    U+FEFF, soft hyphen, tag characters ...), unassigned code point (they
 *    become U+FFFD, so a newer terminal cannot disagree about their width),
 *    no combining mark without a base, and no runs of more than
 *    TEXT_MAX_ZERO_WIDTH zero-width code points (Zalgo text). U+200D and
 *    U+200C are kept only between two visible characters (emoji sequences,
 *    Indic and Persian text); variation selectors only right after a base.
 *
 * 2. Display width by grapheme cluster (utf8proc, Unicode 15): CJK wide = 2,
 *    emoji = 2 (including ZWJ sequences, skin tones, VS16 and flag pairs),
 *    combining marks = 0, unassigned = 1 (as U+FFFD). Truncation with '…',
 *    padding to an exact width and word wrapping never split a grapheme or a
 *    wide character.
 *
 * The width functions expect sanitised text. As a last line of defence they
 * measure invalid UTF-8 and C0/C1 controls as U+FFFD (1 column), and the
 * functions that copy text out (fit, truncate, wrap) write U+FFFD for them. */
#ifndef FD_TEXT_H
#define FD_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest run of zero-width code points kept after one base character. */
#define TEXT_MAX_ZERO_WIDTH 16
/* Tab stops used by TEXT_MULTI_LINE. */
#define TEXT_TAB_WIDTH 8

enum text_mode {
    /* Subjects, names, tags, one-line messages: nothing may move the cursor
     * to another row. CR, LF, CRLF, TAB, VT, FF, NEL, U+2028 and U+2029
     * become one space (a run of them becomes a single space); BS and every
     * other control are dropped. */
    TEXT_SINGLE_LINE,
    /* Bodies: LF is kept; CRLF and lone CR become LF (so do VT, FF, NEL,
     * U+2028, U+2029); TAB is expanded with spaces to the next multiple of
     * TEXT_TAB_WIDTH columns; every other control is dropped. */
    TEXT_MULTI_LINE,
};

/* Returns a newly allocated, NUL-terminated, sanitised copy of the first len
 * bytes of in (len may be (size_t)-1 for a NUL-terminated string; NUL bytes
 * inside the range are dropped). in == NULL gives "". Returns NULL only when
 * memory runs out. Invalid UTF-8 (bad bytes, overlong forms, surrogates,
 * values above U+10FFFF, truncated sequences) becomes one U+FFFD per maximal
 * invalid subpart, as the Unicode standard recommends. */
char *text_sanitize(const char *in, size_t len, enum text_mode mode);

/* True when s (NUL-terminated) is already exactly what text_sanitize would
 * return for the mode (handy for assertions and for skipping a copy). */
bool text_is_clean(const char *s, enum text_mode mode);

/* ---- graphemes and widths ------------------------------------------- */

struct text_grapheme {
    size_t offset; /* byte offset of the cluster in the string */
    size_t len;    /* its length in bytes */
    int width;     /* display columns: 0, 1 or 2 (a lone base+marks run may be wider) */
    bool invalid;  /* holds invalid UTF-8 or a C0/C1 control: draw U+FFFD instead */
};

/* Reads the grapheme cluster that starts at *pos in s[0..len) and advances
 * *pos past it. Returns false (g untouched) at the end. '\n' is a cluster of
 * its own with width 0. Typical loop:
 *     size_t pos = 0; struct text_grapheme g;
 *     while (text_next_grapheme(s, len, &pos, &g)) draw(s + g.offset, g.len, g.width);
 */
bool text_next_grapheme(const char *s, size_t len, size_t *pos, struct text_grapheme *g);

/* Byte offset where the grapheme cluster that ends at pos (pos itself is a
 * cluster boundary) starts; 0 when pos is 0. Scans from the start of the
 * line, so it is O(line length): fine for an editor's cursor. */
size_t text_prev_grapheme(const char *s, size_t len, size_t pos);

/* Display width in columns of a NUL-terminated string (of s[0..len) for
 * text_width_n). A '\n' counts 0: measure one line at a time. */
int text_width(const char *s);
int text_width_n(const char *s, size_t len);

/* Width in columns of one code point as the terminal should draw it alone
 * (utf8proc; unassigned and controls count as 1). */
int text_codepoint_width(uint32_t cp);

/* The longest prefix of s[0..len) made of whole grapheme clusters that fits
 * in cols columns. Returns its length in bytes; *width (if not NULL) gets its
 * width. Stops at '\n'. */
size_t text_prefix_fitting(const char *s, size_t len, int cols, int *width);

/* ---- truncating, padding -------------------------------------------- */

enum text_align { TEXT_ALIGN_LEFT, TEXT_ALIGN_RIGHT };

/* Returns a new string of at most cols columns: s itself when it fits, else
 * the longest prefix of whole graphemes followed by "…" — and when a wide
 * character would straddle the edge, a space pads the result so a truncated
 * string is always exactly cols columns wide. Only the first line of s is
 * used ('\n' ends it). cols <= 0 gives "". NULL only when memory runs out. */
char *text_truncate(const char *s, int cols);

/* Like text_truncate, then padded with spaces to exactly cols columns
 * (spaces after the text for TEXT_ALIGN_LEFT, before it for RIGHT). The
 * result is always exactly max(cols, 0) columns wide. */
char *text_fit(const char *s, int cols, enum text_align align);

/* ---- wrapping -------------------------------------------------------- */

/* One display line of wrapped text: bytes [start, start+len) of the source
 * (without the '\n' and without the spaces where a soft break happened). */
struct text_span {
    size_t start;
    size_t len;
    int width;
};

/* Word-wraps s[0..len) to cols columns (cols < 1 is treated as 1). Breaks at
 * spaces; a word wider than cols is broken at grapheme boundaries; a grapheme
 * wider than cols (a wide character in 1 column) gets a line of its own.
 * Every '\n' ends a line; an empty input gives one empty line; a trailing
 * '\n' gives a final empty line. Leading spaces of a hard line are kept.
 * Stores a malloc'd array in *spans and returns the count, or (size_t)-1 when
 * memory runs out. Every span's width is <= cols except the lone-grapheme case. */
size_t text_wrap_spans(const char *s, size_t len, int cols, struct text_span **spans);

struct text_lines {
    char **lines; /* each a NUL-terminated copy; invalid bytes become U+FFFD */
    size_t count;
};

/* text_wrap_spans, with each line copied out. Returns 0 or -1 (no memory). */
int text_wrap(const char *s, int cols, struct text_lines *out);
void text_lines_free(struct text_lines *lines);

#endif
