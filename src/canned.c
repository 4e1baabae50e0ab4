/* canned.c: placeholder filling for canned responses and the fuzzy score used
 * by the canned-response and agent pickers. */
#include "src/canned.h"
#include "src/html.h"
#include "src/text.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct out {
    char *s;
    size_t len, cap;
    bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 128;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *grown = realloc(o->s, cap);
        if (!grown) {
            o->failed = true;
            return;
        }
        o->s = grown;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

/* First word of a name, or everything after it (trimmed). */
static void name_part(const char *name, bool first, char *buf, size_t size)
{
    while (*name == ' ')
        name++;
    size_t w = strcspn(name, " ");
    if (first) {
        snprintf(buf, size, "%.*s", (int)w, name);
        return;
    }
    const char *rest = name + w;
    while (*rest == ' ')
        rest++;
    size_t n = strlen(rest);
    while (n > 0 && rest[n - 1] == ' ')
        n--;
    snprintf(buf, size, "%.*s", (int)n, rest);
}

/* The value of a placeholder (key without braces and spaces) into buf, or
 * NULL when unknown. */
static const char *lookup(const char *key, const struct canned_context *c, char *buf, size_t size)
{
    const struct fd_ticket *t = c->ticket;

    if (strcmp(key, "ticket.id") == 0 && t) {
        snprintf(buf, size, "%lld", (long long)t->id);
        return buf;
    }
    if (strcmp(key, "ticket.subject") == 0)
        return t ? t->subject : NULL;
    if (strcmp(key, "ticket.status") == 0)
        return c->status_label ? c->status_label : t ? model_status_name(t->status) : NULL;
    if (strcmp(key, "ticket.priority") == 0)
        return t ? model_priority_name(t->priority) : NULL;
    if (strcmp(key, "ticket.requester.name") == 0)
        return c->requester_name;
    if (strcmp(key, "ticket.requester.email") == 0)
        return c->requester_email;
    if (strcmp(key, "ticket.agent.name") == 0)
        return c->agent_name;
    if (strcmp(key, "ticket.agent.email") == 0)
        return c->agent_email;
    if (strcmp(key, "ticket.group.name") == 0)
        return c->group_name;
    if (strcmp(key, "ticket.company.name") == 0)
        return c->company_name;
    const char *name = NULL;
    bool first = true;
    if (strcmp(key, "ticket.requester.firstname") == 0)
        name = c->requester_name;
    else if (strcmp(key, "ticket.requester.lastname") == 0)
        name = c->requester_name, first = false;
    else if (strcmp(key, "ticket.agent.firstname") == 0)
        name = c->agent_name;
    if (!name)
        return NULL;
    name_part(name, first, buf, size);
    return buf;
}

char *canned_fill(const char *text, const struct canned_context *ctx)
{
    struct out o = {0};
    const char *p = text ? text : "";

    put(&o, "", 0);
    while (*p) {
        const char *open = strstr(p, "{{");
        const char *close = open ? strstr(open + 2, "}}") : NULL;
        if (!close) {
            put(&o, p, strlen(p));
            break;
        }
        put(&o, p, (size_t)(open - p));
        /* The key without the surrounding spaces. */
        const char *k = open + 2, *e = close;
        while (k < e && *k == ' ')
            k++;
        while (e > k && e[-1] == ' ')
            e--;
        char key[96], buf[512];
        const char *value = NULL;
        if ((size_t)(e - k) < sizeof key && !memchr(k, '{', (size_t)(e - k))) {
            snprintf(key, sizeof key, "%.*s", (int)(e - k), k);
            value = lookup(key, ctx, buf, sizeof buf);
        }
        if (value) {
            put(&o, value, strlen(value));
            p = close + 2;
        } else {
            /* Leave it as written; continue after the opening braces so a
             * nested "{{ {{ticket.id}}" still fills the inner one. */
            put(&o, open, 2);
            p = open + 2;
        }
    }
    if (o.failed) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

/* Case-folded code points of s; returns the count, or -1 on OOM. */
static long fold(const char *s, utf8proc_int32_t **out)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
    if (n < 0) /* invalid UTF-8: compare bytes */
        n = (utf8proc_ssize_t)strlen(s), folded = (utf8proc_uint8_t *)strdup(s);
    if (!folded)
        return -1;
    utf8proc_int32_t *cps = malloc(((size_t)n + 1) * sizeof *cps);
    long count = 0;
    for (utf8proc_ssize_t i = 0; cps && i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(folded + i, n - i, &cp);
        if (k <= 0)
            cp = folded[i], k = 1;
        cps[count++] = cp;
        i += k;
    }
    free(folded);
    *out = cps;
    return cps ? count : -1;
}

static bool is_separator(utf8proc_int32_t cp)
{
    return cp == ' ' || cp == '-' || cp == '_' || cp == '/' || cp == '.' || cp == ':' ||
           cp == '(' || cp == '[';
}

int canned_fuzzy_score(const char *pattern, const char *candidate)
{
    utf8proc_int32_t *p = NULL, *c = NULL;
    long pn = fold(pattern ? pattern : "", &p), cn = fold(candidate ? candidate : "", &c);
    int score = 0;
    long j = 0, last = -2;

    if (pn < 0 || cn < 0) {
        free(p);
        free(c);
        return -1;
    }
    for (long i = 0; i < pn; i++) {
        if (p[i] == ' ')
            continue; /* spaces in the pattern only separate words */
        while (j < cn && c[j] != p[i])
            j++;
        if (j == cn) {
            score = -1;
            break;
        }
        score += 1;
        if (j == last + 1)
            score += 5; /* consecutive */
        if (j == 0)
            score += 8;
        else if (is_separator(c[j - 1]))
            score += 6; /* word start */
        last = j++;
    }
    if (score >= 0 && pn > 0)
        score = score * 16 - (int)(cn > 15 ? 15 : cn); /* shorter titles win ties */
    free(p);
    free(c);
    return score < 0 ? -1 : score;
}

struct ranked {
    size_t index;
    int score;
};

static int by_score(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t canned_rank(const char *pattern, const char *const *candidates, size_t n, size_t *order)
{
    struct ranked *r = malloc((n ? n : 1) * sizeof *r);
    size_t m = 0;

    if (!r)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int score = canned_fuzzy_score(pattern, candidates[i]);
        if (score >= 0)
            r[m++] = (struct ranked){i, score};
    }
    qsort(r, m, sizeof *r, by_score);
    for (size_t i = 0; i < m; i++)
        order[i] = r[i].index;
    free(r);
    return m;
}

char *canned_render(const struct fd_canned_response *r, const struct canned_context *ctx)
{
    char *text = r->content_text && *r->content_text
                     ? text_sanitize(r->content_text, (size_t)-1, TEXT_MULTI_LINE)
                     : html_to_text(r->content_html);
    if (!text)
        return NULL;
    char *filled = canned_fill(text, ctx);
    free(text);
    return filled;
}
