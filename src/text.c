/* text.c: the one sanitiser for text that came from the server, plus the
 * strict UTF-8 decoder and the byte buffer the text modules share.
 *
 * The sanitiser works code point by code point with a little state (are we
 * at the start of a line, was the last character a base, how many zero-width
 * characters followed it, is a joiner waiting for a visible character), so
 * it is one pass and linear in the input. */
#include "src/text.h"
#include "src/text_internal.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t text_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need;
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong 3-byte forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c & 0x07;
        if (c == 0xF0)
            lo = 0x90; /* no overlong 4-byte forms */
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *cp = TEXT_INVALID_CP; /* continuation byte, C0, C1, F5..FF */
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = TEXT_INVALID_CP;
            return i;
        }
        v = (v << 6) | (s[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need + 1;
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool text_buf_reserve(struct text_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = true;
        return false;
    }
    b->data = data;
    b->cap = cap;
    return true;
}

void text_buf_add(struct text_buf *b, const char *s, size_t n)
{
    if (!text_buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void text_buf_addc(struct text_buf *b, char c)
{
    text_buf_add(b, &c, 1);
}

void text_buf_add_cp(struct text_buf *b, uint32_t cp)
{
    char enc[4];
    text_buf_add(b, enc, text_utf8_encode(cp, enc));
}

void text_buf_add_str(struct text_buf *b, const char *s)
{
    text_buf_add(b, s, strlen(s));
}

char *text_buf_finish(struct text_buf *b)
{
    char *out = b->data;

    if (b->failed) {
        free(b->data);
        out = NULL;
    } else if (!out) {
        out = calloc(1, 1);
    }
    memset(b, 0, sizeof *b);
    return out;
}

/* ---- the sanitiser ---------------------------------------------------- */

enum cp_class {
    CP_BASE,       /* visible character that takes a cell */
    CP_SPACE,      /* U+0020 */
    CP_LINE_BREAK, /* LF, CR, VT, FF, NEL, U+2028, U+2029 */
    CP_TAB,
    CP_DROP,    /* controls, invisible format characters */
    CP_JOINER,  /* ZWJ, ZWNJ: kept between two visible characters */
    CP_VS,      /* variation selector: kept right after a base */
    CP_MARK,    /* extends the character before it: combining marks, skin tones */
    CP_PREPEND, /* joins the character after it: kept only if a base follows */
    CP_BAD,     /* invalid UTF-8 or unassigned: becomes U+FFFD */
};

static enum cp_class classify(uint32_t cp)
{
    if (cp == TEXT_INVALID_CP)
        return CP_BAD;
    if (cp == ' ')
        return CP_SPACE;
    if (cp == '\t')
        return CP_TAB;
    if (cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
        cp == 0x2029)
        return CP_LINE_BREAK;
    if (cp == 0x200C || cp == 0x200D)
        return CP_JOINER;
    if ((cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF))
        return CP_VS;
    switch (utf8proc_category((utf8proc_int32_t)cp)) {
    case UTF8PROC_CATEGORY_CC: /* C0, DEL, C1 */
    case UTF8PROC_CATEGORY_CF: /* bidi controls, ZWSP, WJ, BOM, SHY, tags ... */
    case UTF8PROC_CATEGORY_CS:
        return CP_DROP;
    case UTF8PROC_CATEGORY_CN:
        return CP_BAD;
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return CP_LINE_BREAK;
    default:
        break;
    }
    /* Mongolian free variation selectors behave like VS. */
    if (cp >= 0x180B && cp <= 0x180F)
        return CP_VS;
    /* What extends the previous character is a mark whatever its width (an
     * emoji skin tone is 2 columns alone but joins the emoji before it). */
    switch (utf8proc_get_property((utf8proc_int32_t)cp)->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTEND:
    case UTF8PROC_BOUNDCLASS_SPACINGMARK:
    case UTF8PROC_BOUNDCLASS_E_MODIFIER:
        return CP_MARK;
    case UTF8PROC_BOUNDCLASS_PREPEND:
        return CP_PREPEND;
    default:
        break;
    }
    if (utf8proc_charwidth((utf8proc_int32_t)cp) == 0)
        return CP_MARK;
    return CP_BASE;
}

struct sanitizer {
    struct text_buf out;
    enum text_mode mode;
    bool have_base;       /* the last kept character can carry marks */
    bool last_was_vs;     /* ... and it was a variation selector */
    bool space_run;       /* single-line: the last output was a converted break */
    int zero_width_run;   /* zero-width characters kept after the base */
    uint32_t joiner;      /* a ZWJ/ZWNJ waiting for a visible character, or 0 */
    uint32_t prepend;     /* a prepended concatenation mark waiting for one, or 0 */
    size_t line_start;    /* multi-line: output offset of the current line */
    size_t measured_upto; /* multi-line: output offset measured for tabs so far */
    int measured_width;
};

static void emit_base(struct sanitizer *z, uint32_t cp)
{
    if (z->joiner && z->have_base)
        text_buf_add_cp(&z->out, z->joiner);
    if (z->prepend)
        text_buf_add_cp(&z->out, z->prepend);
    z->joiner = 0;
    z->prepend = 0;
    text_buf_add_cp(&z->out, cp);
    z->have_base = true;
    z->last_was_vs = false;
    z->space_run = false;
    z->zero_width_run = 0;
}

static void emit_space(struct sanitizer *z, bool from_break)
{
    if (from_break && z->space_run)
        return;
    z->joiner = 0;
    z->prepend = 0;
    text_buf_addc(&z->out, ' ');
    z->have_base = true; /* a space can carry a combining mark */
    z->last_was_vs = false;
    z->zero_width_run = 0;
    z->space_run = from_break;
}

static void emit_newline(struct sanitizer *z)
{
    z->joiner = 0;
    z->prepend = 0;
    text_buf_addc(&z->out, '\n');
    z->have_base = false;
    z->last_was_vs = false;
    z->zero_width_run = 0;
    z->line_start = z->out.len;
    z->measured_upto = z->out.len;
    z->measured_width = 0;
}

static void emit_tab(struct sanitizer *z)
{
    if (z->mode == TEXT_SINGLE_LINE) {
        emit_space(z, true);
        return;
    }
    /* Everything before a tab ends a grapheme cluster, so the line can be
     * measured in pieces. */
    if (z->out.data && z->measured_upto < z->out.len)
        z->measured_width +=
            text_width_n(z->out.data + z->measured_upto, z->out.len - z->measured_upto);
    int col = z->measured_width;
    int spaces = TEXT_TAB_WIDTH - col % TEXT_TAB_WIDTH;
    for (int i = 0; i < spaces; i++)
        emit_space(z, false);
    z->measured_upto = z->out.len;
    z->measured_width = col + spaces;
}

static void emit_zero_width(struct sanitizer *z, uint32_t cp, bool is_vs)
{
    if (!z->have_base || z->zero_width_run >= TEXT_MAX_ZERO_WIDTH)
        return;
    if (is_vs && z->last_was_vs)
        return; /* one selector per base: long runs smuggle hidden data */
    z->joiner = 0;
    z->prepend = 0;
    text_buf_add_cp(&z->out, cp);
    z->zero_width_run++;
    z->last_was_vs = is_vs;
}

char *text_sanitize(const char *in, size_t len, enum text_mode mode)
{
    struct sanitizer z = {.mode = mode};
    const unsigned char *s = (const unsigned char *)(in ? in : "");

    if (len == (size_t)-1)
        len = strlen((const char *)s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = text_utf8_decode(s + i, len - i, &cp);
        bool crlf = cp == '\r' && i + 1 < len && s[i + 1] == '\n';
        i += n + (crlf ? 1 : 0);
        switch (classify(cp)) {
        case CP_BASE:
            emit_base(&z, cp);
            break;
        case CP_BAD:
            emit_base(&z, 0xFFFD);
            break;
        case CP_SPACE:
            emit_space(&z, false);
            break;
        case CP_LINE_BREAK:
            if (mode == TEXT_SINGLE_LINE)
                emit_space(&z, true);
            else
                emit_newline(&z);
            break;
        case CP_TAB:
            emit_tab(&z);
            break;
        case CP_JOINER:
            /* Kept only after a visible character, and only if one follows. */
            if (z.have_base && z.out.len > 0 && z.out.data[z.out.len - 1] != ' ')
                z.joiner = cp;
            break;
        case CP_VS:
            emit_zero_width(&z, cp, true);
            break;
        case CP_MARK:
            if (z.prepend)
                z.prepend = 0; /* a prepend mark must touch a base */
            emit_zero_width(&z, cp, false);
            break;
        case CP_PREPEND:
            z.prepend = cp;
            break;
        case CP_DROP:
            break;
        }
    }
    return text_buf_finish(&z.out);
}

bool text_is_clean(const char *s, enum text_mode mode)
{
    char *clean = text_sanitize(s, (size_t)-1, mode);
    bool same = clean && strcmp(clean, s ? s : "") == 0;

    free(clean);
    return same;
}
