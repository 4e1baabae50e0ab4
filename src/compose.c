/* compose.c: quoting the customer's last message and the signature block for
 * a new reply (see compose.h). */
#include "src/compose.h"
#include "src/html.h"
#include "src/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long compose_last_customer_message(const struct fd_conversation *convs, size_t count)
{
    for (size_t i = count; i-- > 0;)
        if (convs[i].incoming)
            return (long)i;
    return -1;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

char *compose_quote(const char *author, fd_time when, const char *body_text)
{
    char *body = text_sanitize(body_text ? body_text : "", (size_t)-1, TEXT_MULTI_LINE);
    char *name = text_sanitize(author ? author : "the customer", (size_t)-1, TEXT_SINGLE_LINE);
    char head[400], date[40] = "";
    if (!body || !name) {
        free(body);
        free(name);
        return NULL;
    }
    if (when) {
        time_t t = (time_t)when;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "On %Y-%m-%d %H:%M UTC, ", &tm);
    }
    snprintf(head, sizeof head, "%s%s wrote:\n", date, name);
    if (!when && head[0] >= 'a' && head[0] <= 'z')
        head[0] = (char)(head[0] - 'a' + 'A');
    free(name);
    /* Drop trailing blank lines. */
    size_t len = strlen(body);
    while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == ' '))
        len--;
    body[len] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += body[i] == '\n';
    char *out = malloc(strlen(head) + len + 2 * lines + 2);
    if (!out) {
        free(body);
        return NULL;
    }
    char *o = out + sprintf(out, "%s", head);
    for (const char *p = body; len > 0;) {
        size_t n = strcspn(p, "\n");
        if (blank(p, n)) {
            *o++ = '>';
        } else {
            memcpy(o, "> ", 2);
            memcpy(o + 2, p, n);
            o += n + 2;
        }
        *o++ = '\n';
        if (!p[n])
            break;
        p += n + 1;
    }
    *o = '\0';
    free(body);
    return out;
}

char *compose_signature(const char *signature, bool is_html)
{
    char *text = NULL;

    if (signature)
        text = is_html ? html_to_text(signature)
                       : text_sanitize(signature, (size_t)-1, TEXT_MULTI_LINE);
    else
        text = strdup("");
    if (!text)
        return NULL;
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    text[len] = '\0';
    if (blank(text, len)) {
        text[0] = '\0';
        return text;
    }
    char *out = malloc(len + 6);
    if (out)
        snprintf(out, len + 6, "\n-- \n%s", text);
    free(text);
    return out;
}
