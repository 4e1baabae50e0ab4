/* store_read.c: reading one ticket with its names and conversation, and the
 * lookups the commands and pickers need (agents, groups, statuses, types,
 * canned responses, tags). The list windows are in store_query.c. */
#include "src/store_internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Fills list from a stored JSON array of strings (NULL or invalid: empty). */
static int read_string_list(const char *json, struct fd_string_list *list)
{
    if (!json)
        return 0;
    cJSON *arr = cJSON_Parse(json), *item;
    int rc = 0;
    cJSON_ArrayForEach(item, arr)
    {
        if (cJSON_IsString(item) && model_string_list_add(list, item->valuestring) != 0)
            rc = -1;
    }
    cJSON_Delete(arr);
    return rc;
}

static char *json_strdup(const cJSON *obj, const char *name, bool *oom)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsString(v))
        return NULL;
    char *copy = strdup(v->valuestring);
    if (!copy)
        *oom = true;
    return copy;
}

static int read_attachments(const char *json, struct fd_attachment **out, size_t *count)
{
    bool oom = false;
    cJSON *arr = json ? cJSON_Parse(json) : NULL, *item;
    int n = cJSON_GetArraySize(arr);

    *out = NULL;
    *count = 0;
    if (n <= 0 || !(*out = calloc((size_t)n, sizeof **out))) {
        cJSON_Delete(arr);
        return n <= 0 ? 0 : -1;
    }
    cJSON_ArrayForEach(item, arr)
    {
        struct fd_attachment *a = &(*out)[(*count)++];
        const cJSON *v;
        if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(item, "id")))
            a->id = (fd_id)v->valuedouble;
        if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(item, "size")))
            a->size = (int64_t)v->valuedouble;
        a->name = json_strdup(item, "name", &oom);
        a->content_type = json_strdup(item, "content_type", &oom);
        a->url = json_strdup(item, "attachment_url", &oom);
        if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(item, "created_at")))
            model_parse_time(v->valuestring, &a->created_at);
    }
    cJSON_Delete(arr);
    return oom ? -1 : 0;
}

static const char ticket_sql[] =
    "SELECT t.id, t.subject, t.description_html, t.description_text, t.type, t.status,"
    " t.priority, t.source, t.requester_id, t.responder_id, t.group_id, t.company_id, t.spam,"
    " t.deleted, t.is_escalated, t.fr_escalated, t.due_by, t.fr_due_by, t.created_at,"
    " t.updated_at, t.tags, t.cc_emails, t.custom_fields, t.attachments, t.json,"
    " t.conversations_for, st.agent_label, a.name, a.email, g.name,"
    " c.id, c.name, c.email, c.phone, c.mobile, c.company_id, co.id, co.name"
    " FROM tickets t LEFT JOIN statuses st ON st.id = t.status"
    " LEFT JOIN agents a ON a.id = t.responder_id LEFT JOIN groups g ON g.id = t.group_id"
    " LEFT JOIN contacts c ON c.id = t.requester_id"
    " LEFT JOIN companies co ON co.id = t.company_id WHERE t.id = ?1";

static void read_embedded(sqlite3_stmt *st, struct fd_ticket *t, bool *oom)
{
    if (sqlite3_column_type(st, 30) != SQLITE_NULL &&
        (t->requester = calloc(1, sizeof *t->requester))) {
        t->requester->id = sqlite3_column_int64(st, 30);
        t->requester->name = store_column_strdup(st, 31, oom);
        t->requester->email = store_column_strdup(st, 32, oom);
        t->requester->phone = store_column_strdup(st, 33, oom);
        t->requester->mobile = store_column_strdup(st, 34, oom);
        t->requester->company_id = sqlite3_column_int64(st, 35);
    }
    if (sqlite3_column_type(st, 36) != SQLITE_NULL &&
        (t->company = calloc(1, sizeof *t->company))) {
        t->company->id = sqlite3_column_int64(st, 36);
        t->company->name = store_column_strdup(st, 37, oom);
    }
}

static int read_ticket_row(sqlite3_stmt *st, struct store_ticket_detail *d)
{
    struct fd_ticket *t = &d->ticket;
    bool oom = false;

    t->id = sqlite3_column_int64(st, 0);
    t->subject = store_column_strdup(st, 1, &oom);
    t->description_html = store_column_strdup(st, 2, &oom);
    t->description_text = store_column_strdup(st, 3, &oom);
    t->type = store_column_strdup(st, 4, &oom);
    t->status = sqlite3_column_int(st, 5);
    t->priority = sqlite3_column_int(st, 6);
    t->source = sqlite3_column_int(st, 7);
    t->requester_id = sqlite3_column_int64(st, 8);
    t->responder_id = sqlite3_column_int64(st, 9);
    t->group_id = sqlite3_column_int64(st, 10);
    t->company_id = sqlite3_column_int64(st, 11);
    t->spam = sqlite3_column_int(st, 12) != 0;
    t->deleted = sqlite3_column_int(st, 13) != 0;
    t->is_escalated = sqlite3_column_int(st, 14) != 0;
    t->fr_escalated = sqlite3_column_int(st, 15) != 0;
    t->due_by = sqlite3_column_int64(st, 16);
    t->fr_due_by = sqlite3_column_int64(st, 17);
    t->created_at = sqlite3_column_int64(st, 18);
    t->updated_at = sqlite3_column_int64(st, 19);
    if (read_string_list((const char *)sqlite3_column_text(st, 20), &t->tags) != 0 ||
        read_string_list((const char *)sqlite3_column_text(st, 21), &t->cc_emails) != 0)
        oom = true;
    t->custom_fields_json = store_column_strdup(st, 22, &oom);
    if (read_attachments((const char *)sqlite3_column_text(st, 23), &t->attachments,
                         &t->attachment_count) != 0)
        oom = true;
    t->json = store_column_strdup(st, 24, &oom);
    d->conversations_for = sqlite3_column_int64(st, 25);
    d->status_label = store_column_strdup(st, 26, &oom);
    d->agent_name = store_column_strdup(st, 27, &oom);
    d->agent_email = store_column_strdup(st, 28, &oom);
    d->group_name = store_column_strdup(st, 29, &oom);
    read_embedded(st, t, &oom);
    return oom ? -1 : 0;
}

static const char conversations_sql[] =
    "SELECT id, ticket_id, user_id, body_html, body_text, from_email, incoming, private,"
    " source, created_at, updated_at, to_emails, cc_emails, bcc_emails, attachments"
    " FROM conversations WHERE ticket_id = ?1 ORDER BY created_at, id";

static int read_conversation(sqlite3_stmt *st, struct fd_conversation *c)
{
    bool oom = false;

    c->id = sqlite3_column_int64(st, 0);
    c->ticket_id = sqlite3_column_int64(st, 1);
    c->user_id = sqlite3_column_int64(st, 2);
    c->body_html = store_column_strdup(st, 3, &oom);
    c->body_text = store_column_strdup(st, 4, &oom);
    c->from_email = store_column_strdup(st, 5, &oom);
    c->incoming = sqlite3_column_int(st, 6) != 0;
    c->is_private = sqlite3_column_int(st, 7) != 0;
    c->source = sqlite3_column_int(st, 8);
    c->created_at = sqlite3_column_int64(st, 9);
    c->updated_at = sqlite3_column_int64(st, 10);
    if (read_string_list((const char *)sqlite3_column_text(st, 11), &c->to_emails) != 0 ||
        read_string_list((const char *)sqlite3_column_text(st, 12), &c->cc_emails) != 0 ||
        read_string_list((const char *)sqlite3_column_text(st, 13), &c->bcc_emails) != 0 ||
        read_attachments((const char *)sqlite3_column_text(st, 14), &c->attachments,
                         &c->attachment_count) != 0)
        oom = true;
    return oom ? -1 : 0;
}

static int read_conversations(struct store *s, struct store_ticket_detail *d)
{
    sqlite3_stmt *st = store_cached_query(s, conversations_sql);
    size_t cap = 0;
    int rc;

    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, d->ticket.id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->conversation_count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct fd_conversation *grown = realloc(d->conversations, ncap * sizeof *grown);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            memset(grown + cap, 0, (ncap - cap) * sizeof *grown);
            d->conversations = grown;
            cap = ncap;
        }
        if (read_conversation(st, &d->conversations[d->conversation_count++]) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    if (rc == SQLITE_NOMEM)
        return store_fail(s, "out of memory");
    return rc == SQLITE_DONE ? 0 : store_fail_sql(s, "read conversations");
}

int store_get_ticket(struct store *s, fd_id id, struct store_ticket_detail *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_cached_query(s, ticket_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int result = 0;
    if (rc == SQLITE_ROW)
        result = read_ticket_row(st, out) == 0 ? 1 : store_fail(s, "out of memory");
    else if (rc != SQLITE_DONE)
        result = store_fail_sql(s, "read ticket");
    sqlite3_reset(st);
    if (result == 1 && read_conversations(s, out) != 0)
        result = -1;
    if (result != 1)
        store_ticket_detail_clear(out);
    return result;
}

void store_ticket_detail_clear(struct store_ticket_detail *d)
{
    model_ticket_clear(&d->ticket);
    free(d->status_label);
    free(d->agent_name);
    free(d->agent_email);
    free(d->group_name);
    for (size_t i = 0; i < d->conversation_count; i++)
        model_conversation_clear(&d->conversations[i]);
    free(d->conversations);
    memset(d, 0, sizeof *d);
}

int store_ticket_json(struct store *s, fd_id id, char **json)
{
    /* Like a list entry, plus the description the detail view fetched. */
    static const char sql[] =
        "SELECT json_set(json_insert(CASE WHEN json_valid(t.json) THEN t.json"
        "  ELSE json_object('id', t.id, 'subject', t.subject, 'status', t.status,"
        "  'priority', t.priority) END,"
        " '$.description', t.description_html, '$.description_text', t.description_text),"
        " '$.requester', CASE WHEN c.id IS NULL THEN NULL ELSE json_object('id', c.id,"
        " 'name', c.name, 'email', c.email, 'mobile', c.mobile, 'phone', c.phone) END,"
        " '$.company', CASE WHEN co.id IS NULL THEN NULL ELSE json_object('id', co.id,"
        " 'name', co.name) END)"
        " FROM tickets t LEFT JOIN contacts c ON c.id = t.requester_id"
        " LEFT JOIN companies co ON co.id = t.company_id WHERE t.id = ?1";
    bool oom = false;
    sqlite3_stmt *st = store_cached_query(s, sql);

    *json = NULL;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *json = store_column_strdup(st, 0, &oom);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail_sql(s, "read ticket");
    if (oom)
        return store_fail(s, "out of memory");
    return rc == SQLITE_ROW;
}

int store_conversation_state(struct store *s, fd_id ticket_id, fd_time *ticket_updated_at,
                             fd_time *conversations_for)
{
    sqlite3_stmt *st =
        store_cached_query(s, "SELECT updated_at, conversations_for FROM tickets WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc = sqlite3_step(st);
    *ticket_updated_at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    *conversations_for = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail_sql(s, "read ticket");
    return rc == SQLITE_ROW;
}

int store_ticket_has_description(struct store *s, fd_id ticket_id)
{
    sqlite3_stmt *st =
        store_cached_query(s, "SELECT description_text IS NOT NULL OR description_html IS NOT NULL"
                              " FROM tickets WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc = sqlite3_step(st);
    int has = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail_sql(s, "read ticket");
    return has;
}

int store_max_updated_at(struct store *s, fd_time *out)
{
    sqlite3_stmt *st = store_cached_query(
        s, "SELECT max(coalesce((SELECT max(updated_at) FROM tickets WHERE gone = 0), 0),"
           " coalesce((SELECT max(updated_at) FROM tickets WHERE gone = 1), 0))");
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : store_fail_sql(s, "read newest ticket");
}
