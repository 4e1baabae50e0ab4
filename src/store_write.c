/* store_write.c: everything the sync engine writes into the cache: tickets
 * (with their embedded requester and company), conversations, contacts,
 * companies, agents, groups, statuses, ticket types, canned responses.
 *
 * All statements are prepared once per connection and reused. The FTS index,
 * the tag table and the live counters follow by triggers (store_schema.c), so
 * they change in the same transaction as the rows. */
#include "src/store_internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* Appends text as a JSON string (quotes, backslash and control characters
 * escaped) to out, which has room for 6 bytes per input byte + 2. */
static size_t json_quote(char *out, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;

    out[n++] = '"';
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\') {
            out[n++] = '\\';
            out[n++] = (char)*p;
        } else if (*p < 0x20) {
            memcpy(out + n, "\\u00", 4);
            out[n + 4] = hex[*p >> 4];
            out[n + 5] = hex[*p & 15];
            n += 6;
        } else {
            out[n++] = (char)*p;
        }
    }
    out[n++] = '"';
    return n;
}

/* A JSON array of strings, or NULL for an empty list. Written by hand: it
 * runs for every stored ticket, and cJSON's tree costs more than the rest. */
static char *string_list_json(const struct fd_string_list *list, bool *oom)
{
    size_t size = 3;

    if (list->count == 0)
        return NULL;
    for (size_t i = 0; i < list->count; i++)
        size += (list->items[i] ? strlen(list->items[i]) : 0) * 6 + 3;
    char *out = malloc(size), *p = out;
    if (!out) {
        *oom = true;
        return NULL;
    }
    *p++ = '[';
    for (size_t i = 0; i < list->count; i++) {
        if (i)
            *p++ = ',';
        p += json_quote(p, list->items[i] ? list->items[i] : "");
    }
    *p++ = ']';
    *p = '\0';
    return out;
}

static void add_time(cJSON *obj, const char *name, fd_time t)
{
    char buf[32];
    if (t == 0) {
        cJSON_AddNullToObject(obj, name);
        return;
    }
    model_format_time(t, buf, sizeof buf);
    cJSON_AddStringToObject(obj, name, buf);
}

/* Attachments as Freshdesk's JSON array, NULL when there are none. */
static char *attachments_json(const struct fd_attachment *list, size_t count, bool *oom)
{
    if (count == 0)
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < count; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            break;
        }
        cJSON_AddNumberToObject(o, "id", (double)list[i].id);
        cJSON_AddStringToObject(o, "name", list[i].name ? list[i].name : "");
        cJSON_AddStringToObject(o, "content_type",
                                list[i].content_type ? list[i].content_type : "");
        cJSON_AddNumberToObject(o, "size", (double)list[i].size);
        cJSON_AddStringToObject(o, "attachment_url", list[i].url ? list[i].url : "");
        add_time(o, "created_at", list[i].created_at);
    }
    char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    if (!text)
        *oom = true;
    return text;
}

static int upsert_embedded(struct store *s, const struct fd_ticket *t)
{
    int rc = SQLITE_DONE;

    if (t->requester && t->requester->id) {
        const struct fd_contact *c = t->requester;
        sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_CONTACT_EMBEDDED);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, c->id);
        store_bind_text(st, 2, c->name);
        store_bind_text(st, 3, c->email);
        store_bind_text(st, 4, c->phone);
        store_bind_text(st, 5, c->mobile);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return store_fail_sql(s, "write requester");
    }
    if (t->company && t->company->id) {
        sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_COMPANY_EMBEDDED);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, t->company->id);
        store_bind_text(st, 2, t->company->name);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return store_fail_sql(s, "write company");
    }
    return 0;
}

static void bind_ticket(sqlite3_stmt *st, const struct fd_ticket *t, const char *tags,
                        const char *cc, const char *attachments)
{
    bool gone = t->deleted || t->spam;

    sqlite3_bind_int64(st, 1, t->id);
    store_bind_text(st, 2, t->subject);
    sqlite3_bind_int(st, 3, t->status);
    sqlite3_bind_int(st, 4, t->priority);
    sqlite3_bind_int(st, 5, t->source);
    store_bind_text(st, 6, t->type);
    store_bind_nullable(st, 7, t->requester_id);
    store_bind_nullable(st, 8, t->responder_id);
    store_bind_nullable(st, 9, t->group_id);
    store_bind_nullable(st, 10, t->company_id);
    store_bind_nullable(st, 11, t->due_by);
    store_bind_nullable(st, 12, t->fr_due_by);
    sqlite3_bind_int64(st, 13, t->created_at);
    sqlite3_bind_int64(st, 14, t->updated_at);
    sqlite3_bind_int(st, 15, t->is_escalated);
    sqlite3_bind_int(st, 16, t->fr_escalated);
    sqlite3_bind_int(st, 17, t->spam);
    sqlite3_bind_int(st, 18, t->deleted);
    sqlite3_bind_int(st, 19, gone);
    store_bind_text(st, 20, tags);
    store_bind_text(st, 21, cc);
    store_bind_text(st, 22, t->description_text);
    store_bind_text(st, 23, t->description_html);
    store_bind_text(st, 24, t->custom_fields_json);
    store_bind_text(st, 25, attachments);
    store_bind_text(st, 26, t->json);
    sqlite3_bind_int64(st, 27, store_sort_key_due(t->due_by));
    sqlite3_bind_int64(st, 28, store_sort_key_priority(t->priority, t->updated_at));
    sqlite3_bind_int64(st, 29, store_sort_key_status(t->status, t->updated_at));
}

int store_upsert_ticket(struct store *s, const struct fd_ticket *t)
{
    bool oom = false;

    if (!t || t->id <= 0)
        return store_fail(s, "ticket without an id");
    sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_TICKET);
    if (!st)
        return -1;
    char *tags = string_list_json(&t->tags, &oom);
    char *cc = string_list_json(&t->cc_emails, &oom);
    char *attachments = attachments_json(t->attachments, t->attachment_count, &oom);
    if (oom) {
        free(tags);
        free(cc);
        free(attachments);
        return store_fail(s, "out of memory");
    }
    bind_ticket(st, t, tags, cc, attachments);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(s->db) > 0;
    sqlite3_reset(st);
    free(tags);
    free(cc);
    free(attachments);
    if (rc != SQLITE_DONE)
        return store_fail_sql(s, "write ticket");
    if (upsert_embedded(s, t) != 0)
        return -1;
    return changed;
}

int store_mark_ticket_gone(struct store *s, fd_id id)
{
    sqlite3_stmt *st = store_stmt(s, STMT_MARK_GONE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    int changed = sqlite3_changes(s->db) > 0;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail_sql(s, "mark ticket gone");
    return changed;
}

static int write_conversation(struct store *s, const struct fd_conversation *c, fd_id ticket_id)
{
    bool oom = false;
    sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_CONVERSATION);
    if (!st)
        return -1;
    char *to = string_list_json(&c->to_emails, &oom);
    char *cc = string_list_json(&c->cc_emails, &oom);
    char *bcc = string_list_json(&c->bcc_emails, &oom);
    char *att = attachments_json(c->attachments, c->attachment_count, &oom);
    sqlite3_bind_int64(st, 1, c->id);
    sqlite3_bind_int64(st, 2, ticket_id);
    store_bind_nullable(st, 3, c->user_id);
    store_bind_text(st, 4, c->body_text);
    store_bind_text(st, 5, c->body_html);
    store_bind_text(st, 6, c->from_email);
    sqlite3_bind_int(st, 7, c->incoming);
    sqlite3_bind_int(st, 8, c->is_private);
    sqlite3_bind_int(st, 9, c->source);
    sqlite3_bind_int64(st, 10, c->created_at);
    sqlite3_bind_int64(st, 11, c->updated_at);
    store_bind_text(st, 12, to);
    store_bind_text(st, 13, cc);
    store_bind_text(st, 14, bcc);
    store_bind_text(st, 15, att);
    int rc = oom ? SQLITE_NOMEM : sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    free(to);
    free(cc);
    free(bcc);
    free(att);
    if (oom)
        return store_fail(s, "out of memory");
    return rc == SQLITE_DONE ? 0 : store_fail_sql(s, "write conversation");
}

int store_upsert_conversation(struct store *s, const struct fd_conversation *c)
{
    if (!c || c->id <= 0 || c->ticket_id <= 0)
        return store_fail(s, "conversation without an id or ticket id");
    return write_conversation(s, c, c->ticket_id);
}

int store_set_conversations(struct store *s, fd_id ticket_id, const struct fd_conversation *convs,
                            size_t count, fd_time for_updated_at)
{
    sqlite3_stmt *st = store_stmt(s, STMT_DELETE_CONVERSATIONS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, ticket_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_fail_sql(s, "replace conversations");
    for (size_t i = 0; i < count; i++) {
        if (convs[i].id <= 0)
            continue; /* a record without an id cannot be stored; skip it */
        if (write_conversation(s, &convs[i], ticket_id) != 0)
            return -1;
    }
    if (!(st = store_stmt(s, STMT_SET_CONVERSATIONS_FOR)))
        return -1;
    sqlite3_bind_int64(st, 1, ticket_id);
    sqlite3_bind_int64(st, 2, for_updated_at);
    return store_step_done(s, st, "mark conversations");
}

int store_upsert_contact(struct store *s, const struct fd_contact *c)
{
    sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_CONTACT);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, c->id);
    store_bind_text(st, 2, c->name);
    store_bind_text(st, 3, c->email);
    store_bind_text(st, 4, c->phone);
    store_bind_text(st, 5, c->mobile);
    store_bind_nullable(st, 6, c->company_id);
    sqlite3_bind_int64(st, 7, c->updated_at);
    return store_step_done(s, st, "write contact");
}

int store_upsert_company(struct store *s, const struct fd_company *c)
{
    sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_COMPANY);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, c->id);
    store_bind_text(st, 2, c->name);
    sqlite3_bind_int64(st, 3, c->updated_at);
    return store_step_done(s, st, "write company");
}

int store_upsert_agent(struct store *s, const struct fd_agent *a)
{
    sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_AGENT);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a->id);
    store_bind_text(st, 2, a->name);
    store_bind_text(st, 3, a->email);
    store_bind_text(st, 4, a->signature_html);
    sqlite3_bind_int(st, 5, a->ticket_scope);
    sqlite3_bind_int(st, 6, a->available);
    sqlite3_bind_int(st, 7, a->occasional);
    sqlite3_bind_int64(st, 8, a->updated_at);
    return store_step_done(s, st, "write agent");
}

int store_set_me(struct store *s, fd_id agent_id)
{
    sqlite3_stmt *st =
        store_cached_query(s, "UPDATE agents SET is_me = (id = ?1) WHERE is_me != (id = ?1)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, agent_id);
    return store_step_done(s, st, "write me");
}

int store_upsert_group(struct store *s, const struct fd_group *g)
{
    sqlite3_stmt *st = store_stmt(s, STMT_UPSERT_GROUP);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, g->id);
    store_bind_text(st, 2, g->name);
    sqlite3_bind_int64(st, 3, g->updated_at);
    return store_step_done(s, st, "write group");
}

/* Runs fn inside a transaction unless the caller already opened one. */
static int in_transaction(struct store *s, int (*fn)(struct store *, const void *, size_t),
                          const void *items, size_t count)
{
    bool own = s->tx_depth == 0;
    if (own && store_begin(s) != 0)
        return -1;
    if (fn(s, items, count) != 0) {
        if (own)
            store_rollback(s);
        return -1;
    }
    return own ? store_commit(s) : 0;
}

static int write_statuses(struct store *s, const void *items, size_t count)
{
    const struct fd_status *statuses = items;
    if (store_exec(s, "DELETE FROM statuses") != 0)
        return -1;
    sqlite3_stmt *st = store_cached_query(
        s, "INSERT OR REPLACE INTO statuses(id, agent_label, customer_label) VALUES (?1, ?2, ?3)");
    if (!st)
        return -1;
    for (size_t i = 0; i < count; i++) {
        sqlite3_bind_int(st, 1, statuses[i].id);
        store_bind_text(st, 2, statuses[i].agent_label);
        store_bind_text(st, 3, statuses[i].customer_label);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return store_fail_sql(s, "write status");
    }
    return 0;
}

int store_replace_statuses(struct store *s, const struct fd_status *statuses, size_t count)
{
    return in_transaction(s, write_statuses, statuses, count);
}

static int write_types(struct store *s, const void *items, size_t count)
{
    const char *const *types = items;
    if (store_exec(s, "DELETE FROM ticket_types") != 0)
        return -1;
    sqlite3_stmt *st =
        store_cached_query(s, "INSERT INTO ticket_types(position, name) VALUES (?1, ?2)");
    if (!st)
        return -1;
    for (size_t i = 0; i < count; i++) {
        sqlite3_bind_int64(st, 1, (int64_t)i);
        store_bind_text(st, 2, types[i] ? types[i] : "");
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return store_fail_sql(s, "write ticket type");
    }
    return 0;
}

int store_replace_ticket_types(struct store *s, const char *const *types, size_t count)
{
    return in_transaction(s, write_types, types, count);
}

int store_upsert_canned_folder(struct store *s, const struct fd_canned_folder *f)
{
    sqlite3_stmt *st = store_cached_query(
        s, "INSERT OR REPLACE INTO canned_folders(id, name, personal, responses_count)"
           " VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, f->id);
    store_bind_text(st, 2, f->name);
    sqlite3_bind_int(st, 3, f->personal);
    sqlite3_bind_int(st, 4, f->responses_count);
    return store_step_done(s, st, "write canned folder");
}

int store_upsert_canned_response(struct store *s, const struct fd_canned_response *r)
{
    sqlite3_stmt *st = store_cached_query(
        s, "INSERT OR REPLACE INTO canned_responses(id, folder_id, title, content_text,"
           " content_html) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, r->id);
    store_bind_nullable(st, 2, r->folder_id);
    store_bind_text(st, 3, r->title);
    store_bind_text(st, 4, r->content_text);
    store_bind_text(st, 5, r->content_html);
    return store_step_done(s, st, "write canned response");
}
