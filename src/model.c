/* model.c: releasing model structs and converting Freshdesk's ISO 8601 times. */
#include "src/model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void model_string_list_clear(struct fd_string_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int model_string_list_add(struct fd_string_list *list, const char *s)
{
    char *copy = strdup(s);
    char **grown = copy ? realloc(list->items, (list->count + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free(copy);
        return -1;
    }
    grown[list->count++] = copy;
    list->items = grown;
    return 0;
}

void model_attachment_clear(struct fd_attachment *a)
{
    free(a->name);
    free(a->content_type);
    free(a->url);
    memset(a, 0, sizeof *a);
}

static void attachments_free(struct fd_attachment *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        model_attachment_clear(&list[i]);
    free(list);
}

void model_contact_free(struct fd_contact *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->email);
    free(c->phone);
    free(c->mobile);
    free(c);
}

void model_company_free(struct fd_company *c)
{
    if (!c)
        return;
    free(c->name);
    free(c);
}

void model_agent_clear(struct fd_agent *a)
{
    free(a->name);
    free(a->email);
    free(a->signature_html);
    memset(a, 0, sizeof *a);
}

void model_group_clear(struct fd_group *g)
{
    free(g->name);
    memset(g, 0, sizeof *g);
}

void model_status_clear(struct fd_status *s)
{
    free(s->agent_label);
    free(s->customer_label);
    memset(s, 0, sizeof *s);
}

void model_ticket_clear(struct fd_ticket *t)
{
    free(t->subject);
    free(t->description_html);
    free(t->description_text);
    free(t->type);
    model_string_list_clear(&t->tags);
    model_string_list_clear(&t->cc_emails);
    free(t->custom_fields_json);
    attachments_free(t->attachments, t->attachment_count);
    model_contact_free(t->requester);
    model_company_free(t->company);
    free(t->json);
    memset(t, 0, sizeof *t);
}

void model_ticket_free(struct fd_ticket *t)
{
    if (!t)
        return;
    model_ticket_clear(t);
    free(t);
}

void model_conversation_clear(struct fd_conversation *c)
{
    free(c->body_html);
    free(c->body_text);
    free(c->from_email);
    model_string_list_clear(&c->to_emails);
    model_string_list_clear(&c->cc_emails);
    model_string_list_clear(&c->bcc_emails);
    attachments_free(c->attachments, c->attachment_count);
    memset(c, 0, sizeof *c);
}

void model_conversation_free(struct fd_conversation *c)
{
    if (!c)
        return;
    model_conversation_clear(c);
    free(c);
}

void model_canned_folder_clear(struct fd_canned_folder *f)
{
    free(f->name);
    memset(f, 0, sizeof *f);
}

void model_canned_response_clear(struct fd_canned_response *r)
{
    free(r->title);
    free(r->content_text);
    free(r->content_html);
    memset(r, 0, sizeof *r);
}

/* Reads exactly n digits; returns -1 if any is missing. */
static int read_digits(const char **p, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    return v;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm: proleptic Gregorian days since 1970-01-01. */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int model_parse_time(const char *text, fd_time *out)
{
    const char *p = text;
    int year, mon, day, hour, min, sec, off = 0;

    if (!text)
        return -1;
    if ((year = read_digits(&p, 4)) < 0 || *p++ != '-' || (mon = read_digits(&p, 2)) < 0 ||
        *p++ != '-' || (day = read_digits(&p, 2)) < 0)
        return -1;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    if ((hour = read_digits(&p, 2)) < 0 || *p++ != ':' || (min = read_digits(&p, 2)) < 0 ||
        *p++ != ':' || (sec = read_digits(&p, 2)) < 0)
        return -1;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if ((oh = read_digits(&p, 2)) < 0)
            return -1;
        if (*p == ':')
            p++;
        if ((om = read_digits(&p, 2)) < 0)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60)
        return -1;
    *out = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 + hour * 3600 + min * 60 +
           sec - off;
    return 0;
}

void model_format_time(fd_time t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *model_status_name(int status)
{
    switch (status) {
    case FD_STATUS_OPEN:
        return "Open";
    case FD_STATUS_PENDING:
        return "Pending";
    case FD_STATUS_RESOLVED:
        return "Resolved";
    case FD_STATUS_CLOSED:
        return "Closed";
    }
    return NULL;
}

const char *model_priority_name(int priority)
{
    static const char *const names[] = {NULL, "Low", "Medium", "High", "Urgent"};
    return priority >= 1 && priority <= 4 ? names[priority] : NULL;
}
