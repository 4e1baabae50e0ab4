/* text_width.c: display width by grapheme cluster, and the operations built
 * on it: truncation with '…', padding to an exact width, word wrapping.
 *
 * utf8proc gives the cluster boundaries (Unicode 15 rules) and the width of
 * each code point; the width of a cluster is decided here, because a
 * cluster's width is not the sum of its parts for emoji: a ZWJ family, a skin
 * tone, a VS16 presentation or a flag pair is one 2-column picture. */
#include "src/text.h"
#include "src/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int text_codepoint_width(uint32_t cp)
{
    if (cp > 0x10FFFF)
        return 1;
    utf8proc_category_t cat = utf8proc_category((utf8proc_int32_t)cp);
    if (cat == UTF8PROC_CATEGORY_CN || cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CS)
        return 1; /* drawn as U+FFFD */
    return utf8proc_charwidth((utf8proc_int32_t)cp);
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

/* What is learnt about a cluster while reading it. */
struct cluster {
    uint32_t first;
    int count;
    int sum; /* sum of the code points' widths */
    int regional;
    bool vs16, zwj, modifier;
};

static void cluster_add(struct cluster *c, uint32_t cp)
{
    if (c->count++ == 0)
        c->first = cp;
    c->sum += text_codepoint_width(cp);
    if (cp == 0xFE0F)
        c->vs16 = true;
    else if (cp == 0x200D)
        c->zwj = true;
    else if (cp >= 0x1F3FB && cp <= 0x1F3FF)
        c->modifier = true;
    else if (cp >= 0x1F1E6 && cp <= 0x1F1FF)
        c->regional++;
}

static int cluster_width(const struct cluster *c)
{
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)c->first);
    int first = text_codepoint_width(c->first);

    if (c->regional >= 2)
        return 2; /* a flag */
    if (c->count > 1 && c->vs16)
        return 2; /* emoji presentation: ❤️, 1️⃣ */
    if (p->boundclass == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
        p->boundclass == UTF8PROC_BOUNDCLASS_E_ZWG) {
        if (c->zwj || c->modifier)
            return 2;
        return first;
    }
    if (p->boundclass == UTF8PROC_BOUNDCLASS_L || p->boundclass == UTF8PROC_BOUNDCLASS_LV ||
        p->boundclass == UTF8PROC_BOUNDCLASS_LVT)
        return 2; /* a Hangul syllable made of jamo is one wide cell */
    return c->sum;
}

bool text_next_grapheme(const char *s, size_t len, size_t *pos, struct text_grapheme *g)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = *pos;
    uint32_t cp;

    if (i >= len)
        return false;
    size_t n = text_utf8_decode(u + i, len - i, &cp);
    g->offset = i;
    if (cp == TEXT_INVALID_CP || is_control(cp)) {
        /* Invalid bytes and controls stand alone; '\n' is a line end. */
        g->len = n;
        g->width = cp == '\n' ? 0 : 1;
        g->invalid = cp != '\n';
        *pos = i + n;
        return true;
    }
    struct cluster c = {0};
    utf8proc_int32_t state = 0;
    cluster_add(&c, cp);
    i += n;
    while (i < len) {
        uint32_t next;
        size_t m = text_utf8_decode(u + i, len - i, &next);
        if (next == TEXT_INVALID_CP || is_control(next))
            break;
        if (utf8proc_grapheme_break_stateful((utf8proc_int32_t)cp, (utf8proc_int32_t)next, &state))
            break;
        cluster_add(&c, next);
        cp = next;
        i += m;
    }
    g->len = i - g->offset;
    g->width = cluster_width(&c);
    /* A cluster that starts with a zero-width mark has no base: it would
     * draw onto the previous cell, so it is shown as U+FFFD. */
    g->invalid = g->width == 0;
    if (g->invalid)
        g->width = 1;
    *pos = i;
    return true;
}

size_t text_prev_grapheme(const char *s, size_t len, size_t pos)
{
    size_t line = pos, at = 0, prev = 0;
    struct text_grapheme g;

    if (pos > len)
        pos = len;
    if (pos == 0)
        return 0;
    /* Clusters never cross a '\n', so start at the line before pos. */
    line = pos - 1;
    while (line > 0 && s[line - 1] != '\n')
        line--;
    at = line;
    prev = line;
    while (at < pos && text_next_grapheme(s, len, &at, &g))
        if (at <= pos)
            prev = g.offset;
    return prev;
}

int text_width_n(const char *s, size_t len)
{
    size_t pos = 0;
    int width = 0;
    struct text_grapheme g;

    if (!s)
        return 0;
    while (text_next_grapheme(s, len, &pos, &g))
        width += g.width;
    return width;
}

int text_width(const char *s)
{
    return s ? text_width_n(s, strlen(s)) : 0;
}

size_t text_prefix_fitting(const char *s, size_t len, int cols, int *width)
{
    size_t pos = 0, end = 0;
    int used = 0;
    struct text_grapheme g;

    while (s && text_next_grapheme(s, len, &pos, &g)) {
        if (s[g.offset] == '\n' || used + g.width > cols)
            break;
        used += g.width;
        end = pos;
    }
    if (width)
        *width = used;
    return end;
}

/* Copies s[0..len), writing U+FFFD for invalid clusters. */
static void copy_clean(struct text_buf *b, const char *s, size_t len)
{
    size_t pos = 0;
    struct text_grapheme g;

    while (text_next_grapheme(s, len, &pos, &g)) {
        if (g.invalid)
            text_buf_add_str(b, TEXT_REPLACEMENT);
        else
            text_buf_add(b, s + g.offset, g.len);
    }
}

/* Appends s's first line cut to cols columns; returns the width written. */
static int add_truncated(struct text_buf *b, const char *s, int cols)
{
    size_t len = 0;
    int width = 0;

    if (!s || cols <= 0)
        return 0;
    while (s[len] && s[len] != '\n')
        len++;
    size_t fits = text_prefix_fitting(s, len, cols, &width);
    if (fits == len) {
        copy_clean(b, s, len);
        return width;
    }
    fits = text_prefix_fitting(s, len, cols - 1, &width);
    copy_clean(b, s, fits);
    text_buf_add_str(b, "\xE2\x80\xA6"); /* … */
    for (width++; width < cols; width++)
        text_buf_addc(b, ' '); /* a wide character would have straddled the edge */
    return width;
}

char *text_truncate(const char *s, int cols)
{
    struct text_buf b = {0};

    add_truncated(&b, s, cols);
    return text_buf_finish(&b);
}

char *text_fit(const char *s, int cols, enum text_align align)
{
    struct text_buf b = {0};

    if (cols <= 0)
        return text_buf_finish(&b);
    if (align == TEXT_ALIGN_LEFT) {
        for (int w = add_truncated(&b, s, cols); w < cols; w++)
            text_buf_addc(&b, ' ');
        return text_buf_finish(&b);
    }
    struct text_buf body = {0};
    int w = add_truncated(&body, s, cols);
    for (; w < cols; w++)
        text_buf_addc(&b, ' ');
    if (body.data)
        text_buf_add(&b, body.data, body.len);
    if (body.failed)
        b.failed = true;
    free(body.data);
    return text_buf_finish(&b);
}

/* ---- wrapping ---------------------------------------------------------- */

struct span_list {
    struct text_span *v;
    size_t n, cap;
    bool failed;
};

static void span_add(struct span_list *l, size_t start, size_t len, int width)
{
    if (l->failed)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct text_span *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct text_span){start, len, width};
}

/* The first byte at or after pos that is not a lone space (a space that
 * carries a combining mark is kept: it is text). */
static size_t skip_spaces(const char *s, size_t end, size_t pos)
{
    struct text_grapheme g;
    size_t next = pos;

    while (text_next_grapheme(s, end, &next, &g) && g.len == 1 && s[g.offset] == ' ')
        pos = next;
    return pos;
}

/* Wraps one segment starting at *start (inside a hard line ending at end):
 * adds one span and moves *start to where the next display line begins. */
static void wrap_one(struct span_list *l, const char *s, size_t end, int cols, size_t *start)
{
    size_t pos = *start, word_end = 0, next_word = 0;
    int width = 0, width_at_word_end = 0;
    bool seen_text = false, in_spaces = false, have_break = false;
    struct text_grapheme g;

    while (text_next_grapheme(s, end, &pos, &g)) {
        bool space = g.len == 1 && s[g.offset] == ' '; /* a space with a mark is text */
        if (space && seen_text && !in_spaces) {
            word_end = g.offset;
            width_at_word_end = width;
        }
        if (!space && in_spaces && seen_text) {
            next_word = g.offset;
            have_break = true;
        }
        in_spaces = space;
        if (width + g.width > cols) {
            if (space && seen_text) {
                span_add(l, *start, word_end - *start, width_at_word_end);
                *start = skip_spaces(s, end, pos);
            } else if (have_break) {
                span_add(l, *start, word_end - *start, width_at_word_end);
                *start = next_word;
            } else if (width == 0) {
                span_add(l, *start, pos - *start, g.width); /* wider than the line */
                *start = pos;
            } else {
                span_add(l, *start, g.offset - *start, width); /* break inside a word */
                *start = g.offset;
            }
            return;
        }
        width += g.width;
        if (!space)
            seen_text = true;
    }
    span_add(l, *start, end - *start, width);
    *start = end;
}

size_t text_wrap_spans(const char *s, size_t len, int cols, struct text_span **spans)
{
    struct span_list l = {0};
    size_t line = 0;

    if (cols < 1)
        cols = 1;
    if (!s)
        len = 0;
    for (;;) {
        size_t end = line;
        while (end < len && s[end] != '\n')
            end++;
        size_t start = line;
        if (start == end)
            span_add(&l, start, 0, 0);
        while (start < end && !l.failed)
            wrap_one(&l, s, end, cols, &start);
        if (end >= len || l.failed)
            break;
        line = end + 1;
    }
    if (l.failed) {
        free(l.v);
        *spans = NULL;
        return (size_t)-1;
    }
    *spans = l.v;
    return l.n;
}

int text_wrap(const char *s, int cols, struct text_lines *out)
{
    struct text_span *spans;
    size_t n = text_wrap_spans(s, s ? strlen(s) : 0, cols, &spans);

    out->lines = NULL;
    out->count = 0;
    if (n == (size_t)-1)
        return -1;
    out->lines = calloc(n ? n : 1, sizeof *out->lines);
    if (!out->lines) {
        free(spans);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct text_buf b = {0};
        copy_clean(&b, s + spans[i].start, spans[i].len);
        out->lines[i] = text_buf_finish(&b);
        out->count = i + 1;
        if (!out->lines[i]) {
            free(spans);
            text_lines_free(out);
            return -1;
        }
    }
    free(spans);
    return 0;
}

void text_lines_free(struct text_lines *lines)
{
    for (size_t i = 0; i < lines->count; i++)
        free(lines->lines[i]);
    free(lines->lines);
    lines->lines = NULL;
    lines->count = 0;
}
