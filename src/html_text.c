/* html_text.c: the plain-text side of html.h: turning the agent's text into
 * the escaped HTML body Freshdesk expects, and finding the quoted history at
 * the end of a customer's message so the detail view can fold it. */
#include "src/html.h"
#include "src/text_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- plain text to HTML ------------------------------------------------ */

static bool line_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

/* Appends one line, escaped; spaces that HTML would collapse become &nbsp;. */
static void add_escaped_line(struct text_buf *b, const char *s, size_t n)
{
    bool after_space = true; /* leading spaces must not collapse either */

    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t used = text_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        i += used;
        switch (cp) {
        case '&':
            text_buf_add_str(b, "&amp;");
            break;
        case '<':
            text_buf_add_str(b, "&lt;");
            break;
        case '>':
            text_buf_add_str(b, "&gt;");
            break;
        case '"':
            text_buf_add_str(b, "&quot;");
            break;
        case '\'':
            text_buf_add_str(b, "&#39;");
            break;
        case ' ':
            text_buf_add_str(b, after_space ? "&nbsp;" : " ");
            after_space = true;
            continue;
        case '\t':
            text_buf_add_str(b, "&nbsp;&nbsp;&nbsp;&nbsp;");
            after_space = true;
            continue;
        case TEXT_INVALID_CP:
            text_buf_add_str(b, TEXT_REPLACEMENT);
            break;
        default:
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
                continue; /* controls never reach the server */
            text_buf_add(b, s + i - used, used);
        }
        after_space = false;
    }
}

char *html_from_text(const char *text)
{
    struct text_buf b = {0};
    bool in_paragraph = false;

    if (!text)
        text = "";
    for (const char *line = text; *line;) {
        const char *end = line;
        while (*end && *end != '\n' && *end != '\r')
            end++;
        size_t n = (size_t)(end - line);
        if (line_is_blank(line, n)) {
            if (in_paragraph)
                text_buf_add_str(&b, "</p>");
            in_paragraph = false;
        } else {
            text_buf_add_str(&b, in_paragraph ? "<br>" : "<p>");
            in_paragraph = true;
            add_escaped_line(&b, line, n);
        }
        if (*end == '\r' && end[1] == '\n')
            end++;
        line = *end ? end + 1 : end;
    }
    if (in_paragraph)
        text_buf_add_str(&b, "</p>");
    return text_buf_finish(&b);
}

/* ---- quoted history ---------------------------------------------------- */

struct line {
    const char *s;
    size_t n;
    size_t offset;
};

static bool is_quoted(const struct line *l)
{
    size_t i = 0;
    while (i < l->n && l->s[i] == ' ')
        i++;
    return i < l->n && l->s[i] == '>';
}

static bool is_blank(const struct line *l)
{
    return line_is_blank(l->s, l->n);
}

static bool starts_with(const struct line *l, const char *prefix)
{
    size_t n = strlen(prefix);
    size_t i = 0;
    while (i < l->n && l->s[i] == ' ')
        i++;
    return l->n - i >= n && strncasecmp(l->s + i, prefix, n) == 0;
}

static bool ends_with(const struct line *l, const char *suffix)
{
    size_t n = l->n, k = strlen(suffix);
    while (n > 0 && (l->s[n - 1] == ' ' || l->s[n - 1] == '\r'))
        n--;
    return n >= k && strncasecmp(l->s + n - k, suffix, k) == 0;
}

/* "On <date>, <name> wrote:" and its translations in common mail clients. */
static bool is_attribution_end(const struct line *l)
{
    static const char *const endings[] = {"wrote:",
                                          "writes:",
                                          "schrieb:",
                                          "a \xC3\xA9"
                                          "crit :",
                                          "a \xC3\xA9"
                                          "crit:",
                                          "escribi\xC3\xB3:",
                                          "scrisse:",
                                          "schreef:",
                                          "skrev:",
                                          NULL};
    for (const char *const *e = endings; *e; e++)
        if (ends_with(l, *e))
            return true;
    return false;
}

static bool is_outlook_header(const struct line *lines, size_t count, size_t i)
{
    if (starts_with(&lines[i], "-----Original Message-----") ||
        starts_with(&lines[i], "----- Original Message -----"))
        return true;
    if (!starts_with(&lines[i], "From:"))
        return false;
    /* A From: line only counts when Sent:/Date: and Subject: follow closely. */
    bool sent = false, subject = false;
    for (size_t k = i + 1; k < count && k <= i + 5; k++) {
        sent = sent || starts_with(&lines[k], "Sent:") || starts_with(&lines[k], "Date:");
        subject = subject || starts_with(&lines[k], "Subject:");
    }
    return sent && subject;
}

static size_t split_lines(const char *text, struct line **out)
{
    size_t count = 0, cap = 0;
    struct line *v = NULL;

    for (const char *p = text;;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            struct line *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                free(v);
                *out = NULL;
                return 0;
            }
            v = nv;
        }
        v[count++] = (struct line){p, n, (size_t)(p - text)};
        if (!end)
            break;
        p = end + 1;
    }
    *out = v;
    return count;
}

/* The first line of a trailing block of quoted and blank lines, with its
 * attribution; count when there is none. */
static size_t quoted_tail_line(const struct line *lines, size_t count)
{
    size_t i = count, first_quoted = count;

    while (i > 0 && (is_blank(&lines[i - 1]) || is_quoted(&lines[i - 1]))) {
        i--;
        if (is_quoted(&lines[i]))
            first_quoted = i;
    }
    if (first_quoted == count)
        return count;
    size_t k = first_quoted;
    if (k > 0 && is_blank(&lines[k - 1]))
        k--; /* at most one blank line between the attribution and the quote */
    if (k > 0 && is_attribution_end(&lines[k - 1])) {
        k--;
        if (!starts_with(&lines[k], "On ") && k > 0 && starts_with(&lines[k - 1], "On "))
            k--; /* the attribution was wrapped over two lines */
        return k;
    }
    return first_quoted;
}

size_t html_quoted_tail(const char *text)
{
    struct line *lines;
    size_t len = text ? strlen(text) : 0;

    if (!text || !*text)
        return len;
    size_t count = split_lines(text, &lines);
    if (count == 0)
        return len;
    size_t tail = quoted_tail_line(lines, count);
    for (size_t i = 1; i < count && i < tail; i++) {
        if (is_outlook_header(lines, count, i)) {
            tail = i;
            break;
        }
    }
    size_t offset = tail < count ? lines[tail].offset : len;
    /* A message made only of quotes has no tail to fold: show it all. */
    bool content_before = false;
    for (size_t i = 0; i < tail && i < count; i++)
        content_before = content_before || !is_blank(&lines[i]);
    free(lines);
    return content_before ? offset : len;
}
