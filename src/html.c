/* html.c: HTML bodies to plain text (for tickets where only HTML exists),
 * plain text to the HTML body Freshdesk expects (for replies and notes), and
 * the detection of quoted history at the end of a message.
 *
 * The HTML side is a forgiving tokenizer, not a parser: e-mail HTML is often
 * broken, and all we need is readable text with the structure (paragraphs,
 * line breaks, lists, quotes) kept. Its output always goes through the one
 * sanitiser. */
#include "src/html.h"
#include "src/text.h"
#include "src/text_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTML_MAX_LISTS 16

struct html_render {
    struct text_buf out;
    int breaks;      /* newlines owed before the next text (2 = a blank line) */
    int break_depth; /* the lowest quote depth seen while breaks were owed */
    bool space;      /* a collapsed space is owed before the next text */
    bool line_start; /* nothing written on the current line yet */
    int quote_depth;
    int pre_depth;
    int skip_depth; /* inside script, style, head, title */
    int list_depth;
    int list_counter[HTML_MAX_LISTS]; /* 0 for <ul>, next number for <ol> */
    char *link_href;                  /* the open <a>'s target */
    size_t link_text_start;
};

static void put_prefix(struct html_render *r, bool blank)
{
    for (int i = 0; i < r->quote_depth; i++)
        text_buf_add_str(&r->out, blank && i == r->quote_depth - 1 ? ">" : "> ");
}

/* Writes the owed line breaks and the new line's prefix. */
static void begin_text(struct html_render *r)
{
    if (r->out.len == 0) {
        r->breaks = 0;
        r->space = false;
    }
    if (r->breaks > 0) {
        text_buf_addc(&r->out, '\n');
        int depth = r->quote_depth;
        if (r->break_depth < depth)
            r->quote_depth = r->break_depth; /* a blank line between quote levels */
        for (int i = 1; i < r->breaks; i++) {
            put_prefix(r, true);
            text_buf_addc(&r->out, '\n');
        }
        r->quote_depth = depth;
        r->breaks = 0;
        r->line_start = true;
        r->space = false;
    }
    if (r->line_start) {
        put_prefix(r, false);
        r->line_start = false;
        r->space = false;
    }
    if (r->space) {
        text_buf_addc(&r->out, ' ');
        r->space = false;
    }
}

static void put_text(struct html_render *r, const char *s, size_t n)
{
    if (r->skip_depth > 0 || n == 0)
        return;
    begin_text(r);
    text_buf_add(&r->out, s, n);
}

/* Asks for the current line to end, with a blank line when n is 2. */
static void block_break(struct html_render *r, int n)
{
    if (r->out.len == 0)
        return;
    if (r->line_start && r->breaks == 0 && n == 1)
        return;
    if (r->breaks == 0 || r->quote_depth < r->break_depth)
        r->break_depth = r->quote_depth;
    if (r->breaks < n)
        r->breaks = n;
    r->space = false;
}

static void hard_break(struct html_render *r)
{
    if (r->out.len == 0 || r->skip_depth > 0)
        return;
    if (r->breaks == 0 || r->quote_depth < r->break_depth)
        r->break_depth = r->quote_depth;
    if (r->breaks < 2)
        r->breaks++;
    r->space = false;
}

static const struct {
    const char *name;
    uint32_t cp;
} entities[] = {
    {"amp", '&'},       {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
    {"nbsp", 0xA0},     {"copy", 0xA9},    {"reg", 0xAE},     {"trade", 0x2122}, {"hellip", 0x2026},
    {"mdash", 0x2014},  {"ndash", 0x2013}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"sbquo", 0x201A}, {"bdquo", 0x201E}, {"bull", 0x2022},  {"middot", 0xB7},
    {"euro", 0x20AC},   {"pound", 0xA3},   {"yen", 0xA5},     {"cent", 0xA2},    {"sect", 0xA7},
    {"deg", 0xB0},      {"plusmn", 0xB1},  {"times", 0xD7},   {"divide", 0xF7},  {"laquo", 0xAB},
    {"raquo", 0xBB},    {"iexcl", 0xA1},   {"iquest", 0xBF},  {"ensp", 0x2002},  {"emsp", 0x2003},
    {"thinsp", 0x2009}, {"shy", 0xAD},     {"zwj", 0x200D},   {"zwnj", 0x200C},  {"lrm", 0x200E},
    {"rlm", 0x200F},    {"auml", 0xE4},    {"ouml", 0xF6},    {"uuml", 0xFC},    {"Auml", 0xC4},
    {"Ouml", 0xD6},     {"Uuml", 0xDC},    {"szlig", 0xDF},   {"eacute", 0xE9},  {"egrave", 0xE8},
    {"ecirc", 0xEA},    {"aacute", 0xE1},  {"agrave", 0xE0},  {"acirc", 0xE2},   {"ccedil", 0xE7},
    {"iacute", 0xED},   {"oacute", 0xF3},  {"uacute", 0xFA},  {"ntilde", 0xF1},  {"Eacute", 0xC9},
    {"larr", 0x2190},   {"rarr", 0x2192},  {"uarr", 0x2191},  {"darr", 0x2193},
};

/* Decodes the entity at s (just after '&') into *cp. Returns the bytes used
 * after the '&' (including the ';'), or 0 when it is no entity (then the '&'
 * is literal text). */
static size_t decode_entity(const char *s, uint32_t *cp)
{
    size_t i = 0;

    if (s[0] == '#') {
        bool hex = s[1] == 'x' || s[1] == 'X';
        uint32_t v = 0;
        i = hex ? 2 : 1;
        size_t digits = 0;
        for (; hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]); i++) {
            unsigned d =
                (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower(s[i]) - 'a' + 10));
            if (v <= 0x10FFFF)
                v = v * (hex ? 16 : 10) + d;
            digits++;
        }
        if (digits == 0)
            return 0;
        if (s[i] == ';')
            i++;
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        *cp = v;
        return i;
    }
    while (isalnum((unsigned char)s[i]) && i < 10)
        i++;
    if (i == 0 || s[i] != ';')
        return 0;
    for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
        if (strlen(entities[k].name) == i && strncmp(entities[k].name, s, i) == 0) {
            *cp = entities[k].cp;
            return i + 1;
        }
    }
    return 0;
}

/* Text between tags: entities decoded, whitespace collapsed outside <pre>. */
static void put_chars(struct html_render *r, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '&') {
            uint32_t cp;
            size_t used = decode_entity(s + i + 1, &cp);
            if (used > 0 && i + 1 + used <= n) {
                char enc[4];
                if (cp == 0xA0)
                    put_text(r, " ", 1); /* a space that does not collapse */
                else
                    put_text(r, enc, text_utf8_encode(cp, enc));
                i += 1 + used;
                continue;
            }
        }
        if (r->pre_depth > 0 && (c == '\n' || c == '\r')) {
            if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
                i++;
            if (r->skip_depth == 0) {
                begin_text(r);
                text_buf_addc(&r->out, '\n');
                r->line_start = true;
            }
            i++;
            continue;
        }
        if (r->pre_depth == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')) {
            if (!r->line_start && r->out.len > 0)
                r->space = true;
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && s[j] != '&' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' &&
               s[j] != '\r' && s[j] != '\f')
            j++;
        put_text(r, s + i, j - i);
        i = j;
    }
}

/* Copies the value of attribute name from the tag's text (between the name
 * and '>'), entities decoded; NULL when absent. */
static char *tag_attribute(const char *tag, size_t n, const char *name)
{
    size_t nl = strlen(name);

    for (size_t i = 0; i + nl < n; i++) {
        if (!isspace((unsigned char)tag[i]) || strncasecmp(tag + i + 1, name, nl) != 0)
            continue;
        size_t j = i + 1 + nl;
        while (j < n && isspace((unsigned char)tag[j]))
            j++;
        if (j >= n || tag[j] != '=')
            continue;
        j++;
        while (j < n && isspace((unsigned char)tag[j]))
            j++;
        char quote = (j < n && (tag[j] == '"' || tag[j] == '\'')) ? tag[j++] : 0;
        size_t k = j;
        while (k < n && (quote ? tag[k] != quote : !isspace((unsigned char)tag[k])))
            k++;
        struct text_buf b = {0};
        for (size_t m = j; m < k; m++) {
            uint32_t cp;
            size_t used = tag[m] == '&' ? decode_entity(tag + m + 1, &cp) : 0;
            if (used > 0 && m + 1 + used <= k) {
                text_buf_add_cp(&b, cp);
                m += used;
            } else {
                text_buf_addc(&b, tag[m]);
            }
        }
        return text_buf_finish(&b);
    }
    return NULL;
}

static bool name_is(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(name, *list) == 0)
            return true;
    return false;
}

static const char *const paragraph_tags[] = {"p",   "h1", "h2",    "h3", "h4",     "h5", "h6",
                                             "pre", "hr", "table", "dl", "figure", NULL};
static const char *const line_tags[] = {
    "div",     "tr",   "dt",       "dd",    "section", "article", "header", "footer",
    "address", "form", "fieldset", "nav",   "main",    "aside",   "center", "caption",
    "li",      "ul",   "ol",       "title", "body",    NULL};
static const char *const skip_tags[] = {"script", "style", "head", "title", "template", NULL};

static void open_list(struct html_render *r, bool ordered)
{
    block_break(r, r->list_depth == 0 ? 2 : 1);
    if (r->list_depth < HTML_MAX_LISTS)
        r->list_counter[r->list_depth] = ordered ? 1 : 0;
    r->list_depth++;
}

static void list_item(struct html_render *r)
{
    char bullet[32];
    int level = r->list_depth > 0 ? r->list_depth - 1 : 0;

    block_break(r, 1);
    if (r->skip_depth > 0)
        return;
    begin_text(r);
    for (int i = 0; i < level && i < HTML_MAX_LISTS; i++)
        text_buf_add_str(&r->out, "  ");
    if (r->list_depth > 0 && r->list_depth <= HTML_MAX_LISTS &&
        r->list_counter[r->list_depth - 1] > 0)
        snprintf(bullet, sizeof bullet, "%d. ", r->list_counter[r->list_depth - 1]++);
    else
        snprintf(bullet, sizeof bullet, "* ");
    text_buf_add_str(&r->out, bullet);
    r->space = false;
}

static void open_link(struct html_render *r, const char *attrs, size_t n)
{
    free(r->link_href);
    r->link_href = tag_attribute(attrs, n, "href");
    r->link_text_start = r->out.len;
}

/* After a link, show its target unless the text already says it. */
static void close_link(struct html_render *r)
{
    char *href = r->link_href;

    r->link_href = NULL;
    if (!href)
        return;
    bool web = strncasecmp(href, "http://", 7) == 0 || strncasecmp(href, "https://", 8) == 0;
    bool mail = strncasecmp(href, "mailto:", 7) == 0;
    if ((web || mail) && r->out.data && r->out.len > r->link_text_start) {
        const char *text = r->out.data + r->link_text_start;
        const char *target = mail ? href + 7 : href;
        if (!strstr(text, target)) {
            put_text(r, " <", 2);
            put_text(r, target, strlen(target));
            put_text(r, ">", 1);
        }
    }
    free(href);
}

/* Handles one tag; name is lowercase-insensitive, attrs its remaining text. */
static void handle_tag(struct html_render *r, const char *name, bool closing, const char *attrs,
                       size_t attrs_len)
{
    if (name_is(name, skip_tags)) {
        if (!closing)
            r->skip_depth++;
        else if (r->skip_depth > 0)
            r->skip_depth--;
        return;
    }
    if (strcasecmp(name, "br") == 0) {
        hard_break(r);
    } else if (strcasecmp(name, "blockquote") == 0) {
        block_break(r, 2);
        r->quote_depth += closing ? (r->quote_depth > 0 ? -1 : 0) : 1;
    } else if (strcasecmp(name, "pre") == 0) {
        block_break(r, 2);
        r->pre_depth += closing ? (r->pre_depth > 0 ? -1 : 0) : 1;
    } else if (!closing && (strcasecmp(name, "ul") == 0 || strcasecmp(name, "ol") == 0)) {
        open_list(r, strcasecmp(name, "ol") == 0);
    } else if (closing && (strcasecmp(name, "ul") == 0 || strcasecmp(name, "ol") == 0)) {
        if (r->list_depth > 0)
            r->list_depth--;
        block_break(r, r->list_depth == 0 ? 2 : 1);
    } else if (!closing && strcasecmp(name, "li") == 0) {
        list_item(r);
    } else if (!closing && strcasecmp(name, "hr") == 0) {
        block_break(r, 2);
        put_text(r, "----", 4);
        block_break(r, 2);
    } else if (strcasecmp(name, "td") == 0 || strcasecmp(name, "th") == 0) {
        if (!closing && !r->line_start && r->out.len > 0)
            r->space = true;
    } else if (strcasecmp(name, "a") == 0) {
        if (closing)
            close_link(r);
        else
            open_link(r, attrs, attrs_len);
    } else if (!closing && strcasecmp(name, "img") == 0) {
        char *alt = tag_attribute(attrs, attrs_len, "alt");
        if (alt && *alt) {
            put_text(r, "[", 1);
            put_chars(r, alt, strlen(alt));
            put_text(r, "]", 1);
        }
        free(alt);
    } else if (name_is(name, paragraph_tags)) {
        block_break(r, 2);
    } else if (name_is(name, line_tags)) {
        block_break(r, 1);
    }
}

/* Skips a comment, doctype or processing instruction at s ('<' first).
 * Returns the bytes to skip, or 0 if s is not one. */
static size_t skip_markup(const char *s)
{
    const char *end = NULL;

    if (strncmp(s, "<!--", 4) == 0)
        end = strstr(s + 4, "-->"), end = end ? end + 3 : NULL;
    else if (strncmp(s, "<![CDATA[", 9) == 0)
        return 9; /* keep the content as text; "]]>" is shown */
    else if (s[1] == '!' || s[1] == '?')
        end = strchr(s, '>'), end = end ? end + 1 : NULL;
    else
        return 0;
    return end ? (size_t)(end - s) : strlen(s);
}

/* Reads the tag at s ('<' first). Returns its length, or 0 when '<' does not
 * start a tag (it is then literal text). */
static size_t read_tag(struct html_render *r, const char *s)
{
    size_t skip = skip_markup(s);
    if (skip)
        return skip;
    bool closing = s[1] == '/';
    const char *p = s + 1 + closing;
    if (!isalpha((unsigned char)*p))
        return 0;
    char name[16];
    size_t nl = 0;
    while (isalnum((unsigned char)p[nl]) || p[nl] == '-' || p[nl] == ':') {
        if (nl + 1 < sizeof name)
            name[nl] = p[nl];
        nl++;
    }
    name[nl < sizeof name ? nl : sizeof name - 1] = '\0';
    const char *attrs = p + nl;
    char quote = 0;
    const char *q = attrs;
    for (; *q && (quote || *q != '>'); q++) {
        if (quote && *q == quote)
            quote = 0;
        else if (!quote && (*q == '"' || *q == '\''))
            quote = *q;
    }
    handle_tag(r, name, closing, attrs, (size_t)(q - attrs));
    return (size_t)(q - s) + (*q ? 1 : 0);
}

char *html_to_text(const char *html)
{
    struct html_render r = {.line_start = true};

    if (!html)
        html = "";
    for (size_t i = 0; html[i];) {
        if (html[i] == '<') {
            size_t n = read_tag(&r, html + i);
            if (n > 0) {
                i += n;
                continue;
            }
        }
        size_t j = i + 1;
        while (html[j] && html[j] != '<')
            j++;
        put_chars(&r, html + i, j - i);
        i = j;
    }
    free(r.link_href);
    char *raw = text_buf_finish(&r.out);
    if (!raw)
        return NULL;
    char *clean = text_sanitize(raw, (size_t)-1, TEXT_MULTI_LINE);
    free(raw);
    return clean;
}
