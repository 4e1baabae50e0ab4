/* ticket_writes.c: changing tickets. Reply, note (private by default), forward, update,
 * create (201 + Location), delete and restore (204), bulk update/delete (202 + job id),
 * merge, watch/unwatch. Uploads arrive as multipart with attachments[] and may not total
 * more than 20 MB. Every accepted write body is recorded for GET /__sim/posts.
 */
#include "sim/internal.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ATTACH (20L * 1024 * 1024)

/* The write body, JSON or multipart (files listed in *files). NULL = already replied. */
static cJSON *read_body(struct sim_req *r, bool multipart_ok, cJSON **files)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    long total = 0;
    *files = NULL;
    if (multipart_ok && ct && !strncasecmp(ct, "multipart/form-data", 19) && r->body_len) {
        if (sim_multipart_parse(r, ct, files, &total) < 0) {
            cJSON_Delete(*files);
            *files = NULL;
            sim_reply_code(r, 400, "invalid_multipart", "Multipart request could not be parsed.");
            return NULL;
        }
        if (total > MAX_ATTACH) {
            cJSON_Delete(*files);
            *files = NULL;
            sim_reply_field(r, 400, "attachments", "invalid_size",
                            "Total attachment(s) size should not exceed 20 MB");
            return NULL;
        }
    }
    cJSON *b = sim_write_body(r, multipart_ok);
    if (!b) {
        cJSON_Delete(*files);
        *files = NULL;
    }
    return b;
}

/* Stores the listed files; returns the attachment objects. */
static cJSON *store_files(struct sim_req *r, cJSON *files, struct sim_ticket *t)
{
    cJSON *out = cJSON_CreateArray(), *f;
    char *base = sim_base_url(r);
    cJSON_ArrayForEach(f, files)
    {
        size_t off = (size_t)cJSON_GetObjectItem(f, "offset")->valuedouble;
        size_t size = (size_t)cJSON_GetObjectItem(f, "size")->valuedouble;
        long idx = sim_attachment_add(r->sim, cJSON_GetObjectItem(f, "name")->valuestring,
                                      cJSON_GetObjectItem(f, "content_type")->valuestring,
                                      r->body + off, size);
        cJSON_AddItemToArray(out, sim_attachment_json(r->sim, idx, base));
        if (t)
            sim_ticket_ext(t)->attach_bytes += (long)size;
    }
    free(base);
    return out;
}

static bool require_body(struct sim_req *r, cJSON *b)
{
    cJSON *body = cJSON_GetObjectItem(b, "body");
    if (!cJSON_IsString(body) || !*body->valuestring) {
        sim_reply_field(r, 400, "body", "missing_field", "It should be a/an String");
        return false;
    }
    return true;
}

/* Freshdesk refuses addresses that are not e-mail addresses in cc_emails and
 * bcc_emails with a field error (the TUI's validation test relies on it). */
static bool require_emails(struct sim_req *r, cJSON *b)
{
    for (const char *k = "cc_emails\0bcc_emails\0"; *k; k += strlen(k) + 1) {
        cJSON *v = cJSON_GetObjectItem(b, k), *e;
        if (!cJSON_IsArray(v))
            continue;
        cJSON_ArrayForEach(e, v)
        {
            const char *s = cJSON_GetStringValue(e), *at = s ? strchr(s, '@') : NULL;
            if (!at || at == s || !strchr(at, '.')) {
                sim_reply_field(r, 400, k, "invalid_value",
                                "It should contain elements that are in the format of valid "
                                "email address");
                return false;
            }
        }
    }
    return true;
}

static void set_location_conv(struct sim_req *r, cJSON *conv)
{
    char loc[128];
    snprintf(loc, sizeof loc, "/api/v2/conversations/%.0f",
             cJSON_GetObjectItem(conv, "id")->valuedouble);
    sim_add_header(r, "Location", loc);
}

static void copy_keys(cJSON *dst, cJSON *src, const char *keys)
{
    for (const char *k = keys; *k; k += strlen(k) + 1) {
        cJSON *v = cJSON_GetObjectItem(src, k);
        cJSON_AddItemToObject(dst, k, v ? cJSON_Duplicate(v, true) : cJSON_CreateNull());
    }
}

static int64_t user_or_me(struct sim *sim, cJSON *b)
{
    cJSON *u = cJSON_GetObjectItem(b, "user_id");
    return cJSON_IsNumber(u) ? (int64_t)u->valuedouble : sim->agents[0].id;
}

/* kind: 0 reply, 1 note, 2 forward */
static void add_conversation(struct sim_req *r, struct sim_ticket *t, int kind)
{
    static const char *const allowed[3][10] = {
        {"body", "from_email", "user_id", "cc_emails", "bcc_emails", "attachments", NULL},
        {"body", "private", "incoming", "notify_emails", "user_id", "attachments", NULL},
        {"body", "to_emails", "from_email", "cc_emails", "bcc_emails", "include_quoted_text",
         "include_original_attachments", "user_id", "attachments", NULL},
    };
    struct sim *sim = r->sim;
    cJSON *files, *b = read_body(r, kind != 2, &files);
    if (!b || sim_reject_unknown(r, b, allowed[kind]) || !require_body(r, b) ||
        !require_emails(r, b)) {
        cJSON_Delete(files);
        return;
    }
    cJSON *to = cJSON_GetObjectItem(b, "to_emails");
    if (kind == 2 && (!cJSON_IsArray(to) || cJSON_GetArraySize(to) == 0)) {
        sim_reply_field(r, 400, "to_emails", "missing_field", "It should be a/an Array");
        cJSON_Delete(files);
        return;
    }
    cJSON *priv = cJSON_GetObjectItem(b, "private"), *inc = cJSON_GetObjectItem(b, "incoming");
    bool private_ = kind == 1 ? !cJSON_IsFalse(priv) : kind == 2;
    bool incoming = kind == 1 && cJSON_IsTrue(inc);
    const char *html = cJSON_GetObjectItem(b, "body")->valuestring;
    cJSON *conv = sim_conv_new(sim, t, html, user_or_me(sim, b), incoming, private_,
                               kind == 0   ? 0
                               : kind == 1 ? 2
                                           : 8,
                               kind == 0 ? 3 : 2);
    cJSON *att = store_files(r, files, t);
    cJSON_Delete(files);
    cJSON_ReplaceItemInObject(conv, "attachments", att);
    for (const char *k = "cc_emails\0bcc_emails\0to_emails\0"; *k; k += strlen(k) + 1) {
        cJSON *v = cJSON_GetObjectItem(b, k);
        if (cJSON_IsArray(v))
            cJSON_ReplaceItemInObject(conv, k, cJSON_Duplicate(v, true));
    }
    sim_convs_append(sim, t, conv);
    if (kind == 0)
        sim_ticket_ext(t)->agent_responded_at = sim_now(sim);
    sim_ticket_touch(sim, t);
    sim_record_post(sim, kind == 0 ? "reply" : kind == 1 ? "note" : "forward", t->id, b);
    if (kind == 0)
        sim->stats.replies++;
    else if (kind == 1)
        sim->stats.notes++;
    cJSON *out = cJSON_CreateObject();
    if (kind == 0) {
        copy_keys(out, conv,
                  "id\0body\0body_text\0user_id\0from_email\0cc_emails\0bcc_emails\0"
                  "ticket_id\0");
        cJSON_AddItemToObject(out, "replied_to",
                              cJSON_Duplicate(cJSON_GetObjectItem(conv, "to_emails"), true));
        copy_keys(out, conv, "attachments\0created_at\0updated_at\0");
    } else if (kind == 1) {
        copy_keys(out, conv,
                  "id\0body\0body_text\0incoming\0private\0user_id\0support_email\0"
                  "ticket_id\0");
        cJSON *n = cJSON_GetObjectItem(b, "notify_emails");
        cJSON_AddItemToObject(out, "notified_to",
                              cJSON_IsArray(n) ? cJSON_Duplicate(n, true) : cJSON_CreateArray());
        copy_keys(out, conv, "attachments\0created_at\0updated_at\0");
    } else {
        cJSON_Delete(out);
        out = cJSON_Duplicate(conv, true);
    }
    set_location_conv(r, conv);
    sim_reply_json(r, 201, out);
}

static void update_ticket(struct sim_req *r, struct sim_ticket *t)
{
    cJSON *files, *b = read_body(r, true, &files);
    if (!b || !sim_ticket_validate(r, b, false)) {
        cJSON_Delete(files);
        return;
    }
    sim_ticket_apply(r->sim, t, b);
    if (files && cJSON_GetArraySize(files) > 0) {
        cJSON *att = store_files(r, files, t), *cur = cJSON_CreateArray(), *a;
        struct sim_ticket_ext *e = sim_ticket_ext(t);
        cJSON *old = e->over ? cJSON_GetObjectItem(e->over, "attachments") : NULL;
        cJSON_ArrayForEach(a, old) cJSON_AddItemToArray(cur, cJSON_Duplicate(a, true));
        cJSON_ArrayForEach(a, att) cJSON_AddItemToArray(cur, cJSON_Duplicate(a, true));
        cJSON_Delete(att);
        if (!e->over)
            e->over = cJSON_CreateObject();
        cJSON_DeleteItemFromObject(e->over, "attachments");
        cJSON_AddItemToObject(e->over, "attachments", cur);
    }
    cJSON_Delete(files);
    sim_ticket_touch(r->sim, t);
    sim_record_post(r->sim, "update", t->id, b);
    sim_reply_json(r, 200, sim_render_ticket(r->sim, t, true, 0));
}

static long requester_for(struct sim_req *r, cJSON *b)
{
    struct sim *sim = r->sim;
    cJSON *rid = cJSON_GetObjectItem(b, "requester_id");
    const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(b, "email"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(b, "name"));
    const char *phone = cJSON_GetStringValue(cJSON_GetObjectItem(b, "phone"));
    if (cJSON_IsNumber(rid))
        return sim_contact_index(sim, (int64_t)rid->valuedouble);
    if (email) {
        long ci = sim_contact_by_email(sim, email);
        if (ci >= 0)
            return ci;
        cJSON *over = cJSON_CreateObject();
        cJSON_AddStringToObject(over, "name", name ? name : email);
        cJSON_AddStringToObject(over, "email", email);
        return sim_contact_add(sim, over, -1, sim_now(sim));
    }
    if (phone && name) {
        cJSON *over = cJSON_CreateObject();
        cJSON_AddStringToObject(over, "name", name);
        cJSON_AddNullToObject(over, "email");
        cJSON_AddStringToObject(over, "phone", phone);
        return sim_contact_add(sim, over, -1, sim_now(sim));
    }
    return -1;
}

/* The fields POST /tickets/outbound_email requires. */
static bool outbound_ok(struct sim_req *r, cJSON *b)
{
    static const char *const need[] = {"email", "subject", "email_config_id", NULL};
    for (const char *const *k = need; *k; k++)
        if (!cJSON_GetObjectItem(b, *k)) {
            sim_reply_field(r, 400, *k, "missing_field", "It should be a/an String");
            return false;
        }
    return true;
}

static void create_ticket(struct sim_req *r, bool outbound)
{
    struct sim *sim = r->sim;
    cJSON *files, *b = read_body(r, true, &files);
    if (!b || (outbound && !outbound_ok(r, b)) || !sim_ticket_validate(r, b, true)) {
        cJSON_Delete(files);
        return;
    }
    long req = requester_for(r, b);
    if (req < 0) {
        cJSON_Delete(files);
        sim_reply_field(r, 400, "requester_id", "missing_field",
                        "One of requester_id or phone or email or twitter_id or facebook_id is "
                        "mandatory");
        return;
    }
    struct sim_ticket *t = sim_ticket_add(sim);
    int64_t now = sim_now(sim);
    t->created_at = now;
    t->requester = (int32_t)req;
    t->company = sim->contacts[req].company;
    t->status = 2;
    t->priority = 1;
    t->source = 2;
    t->due_by = now + 3 * 86400;
    t->fr_due_by = now + 86400;
    cJSON *over = sim_ticket_ext(t)->over = cJSON_CreateObject();
    cJSON_AddStringToObject(over, "subject", "");
    cJSON_AddStringToObject(over, "description", "");
    cJSON_AddStringToObject(over, "description_text", "");
    cJSON_AddItemToObject(over, "tags", cJSON_CreateArray());
    sim_ticket_ext(t)->convs = cJSON_CreateArray();
    sim_ticket_apply(sim, t, b);
    if (outbound) {
        t->source = 10;
        t->status = cJSON_IsNumber(cJSON_GetObjectItem(b, "status")) ? t->status : 5;
    }
    cJSON_AddItemToObject(over, "attachments", store_files(r, files, t));
    cJSON_Delete(files);
    sim_ticket_set_updated(sim, t, now);
    sim_record_post(sim, outbound ? "outbound_email" : "create", t->id, b);
    char loc[96];
    snprintf(loc, sizeof loc, "/api/v2/tickets/%lld", (long long)t->id);
    sim_add_header(r, "Location", loc);
    sim_reply_json(r, 201, sim_render_ticket(sim, t, true, 0));
}

static void watch(struct sim *sim, struct sim_ticket *t, int64_t user, bool on)
{
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    for (int i = 0; i < e->nwatchers; i++)
        if (e->watchers[i] == user) {
            if (!on)
                e->watchers[i] = e->watchers[--e->nwatchers];
            return;
        }
    if (on) {
        e->watchers = realloc(e->watchers, (size_t)(e->nwatchers + 1) * sizeof *e->watchers);
        e->watchers[e->nwatchers++] = user;
    }
}

static void job_reply(struct sim_req *r)
{
    char id[64];
    cJSON *o = cJSON_CreateObject();
    snprintf(id, sizeof id, "%016llx",
             (unsigned long long)sim_hash(r->sim->opts.seed, (uint64_t)++r->sim->next_job));
    cJSON_AddStringToObject(o, "job_id", id);
    char href[160];
    snprintf(href, sizeof href, "/api/v2/jobs/%s", id);
    cJSON_AddStringToObject(o, "href", href);
    sim_reply_json(r, 202, o);
}

/* ids from {"bulk_action":{"ids":[..],"properties":{..}}}; NULL = replied 400. */
static cJSON *bulk_ids(struct sim_req *r, cJSON *b, cJSON **props)
{
    cJSON *ba = cJSON_GetObjectItem(b, "bulk_action"), *ids = cJSON_GetObjectItem(ba, "ids"), *e;
    *props = cJSON_GetObjectItem(ba, "properties");
    if (!cJSON_IsObject(ba) || !cJSON_IsArray(ids) || cJSON_GetArraySize(ids) == 0) {
        sim_reply_field(r, 400, "ids", "missing_field", "It should be a/an Array");
        return NULL;
    }
    cJSON_ArrayForEach(e, ids) if (!cJSON_IsNumber(e))
    {
        sim_reply_field(r, 400, "ids", "datatype_mismatch",
                        "It should contain elements of type Positive Integer only");
        return NULL;
    }
    return ids;
}

static void bulk(struct sim_req *r, bool del)
{
    struct sim *sim = r->sim;
    cJSON *b = sim_write_body(r, false), *props = NULL, *ids, *e;
    if (!b || !(ids = bulk_ids(r, b, &props)))
        return;
    if (!del && !cJSON_IsObject(props)) {
        sim_reply_field(r, 400, "properties", "missing_field", "It should be a/an key/value pair");
        return;
    }
    if (!del && !sim_ticket_validate(r, props, false))
        return;
    cJSON_ArrayForEach(e, ids)
    {
        struct sim_ticket *t = sim_ticket_find(sim, (int64_t)e->valuedouble);
        if (!t)
            continue;
        if (del)
            t->flags |= SIM_T_DELETED;
        else
            sim_ticket_apply(sim, t, props);
        sim_ticket_touch(sim, t);
    }
    sim_record_post(sim, del ? "bulk_delete" : "bulk_update", 0, b);
    job_reply(r);
}

static void merge(struct sim_req *r)
{
    struct sim *sim = r->sim;
    static const char *const allowed[] = {"primary_id",
                                          "ticket_ids",
                                          "note_in_primary",
                                          "note_in_secondary",
                                          "convert_recepients_to_cc",
                                          NULL};
    cJSON *b = sim_write_body(r, false), *e;
    if (!b || sim_reject_unknown(r, b, allowed))
        return;
    cJSON *pid = cJSON_GetObjectItem(b, "primary_id"), *ids = cJSON_GetObjectItem(b, "ticket_ids");
    struct sim_ticket *p =
        cJSON_IsNumber(pid) ? sim_ticket_find(sim, (int64_t)pid->valuedouble) : NULL;
    if (!p || !cJSON_IsArray(ids) || cJSON_GetArraySize(ids) == 0) {
        sim_reply_field(r, 400, p ? "ticket_ids" : "primary_id", "invalid_value",
                        "It should be a valid ticket");
        return;
    }
    cJSON_ArrayForEach(e, ids)
    {
        struct sim_ticket *t =
            cJSON_IsNumber(e) ? sim_ticket_find(sim, (int64_t)e->valuedouble) : NULL;
        if (!t || t == p) {
            sim_reply_field(r, 400, "ticket_ids", "invalid_value", "It should be a valid ticket");
            return;
        }
    }
    cJSON *note = cJSON_GetObjectItem(b, "note_in_secondary");
    const char *html = cJSON_GetStringValue(cJSON_GetObjectItem(note, "body"));
    cJSON_ArrayForEach(e, ids)
    {
        struct sim_ticket *t = sim_ticket_find(sim, (int64_t)e->valuedouble);
        t->status = 5;
        sim_convs_append(sim, t,
                         sim_conv_new(sim, t, html ? html : "Merged into another ticket",
                                      sim->agents[0].id, false, true, 2, 2));
        sim_ticket_touch(sim, t);
    }
    note = cJSON_GetObjectItem(b, "note_in_primary");
    html = cJSON_GetStringValue(cJSON_GetObjectItem(note, "body"));
    sim_convs_append(
        sim, p,
        sim_conv_new(sim, p, html ? html : "Tickets merged", sim->agents[0].id, false, true, 2, 2));
    sim_ticket_touch(sim, p);
    sim_record_post(sim, "merge", p->id, b);
    sim_reply_empty(r, 204);
}

static void bulk_watch(struct sim_req *r, bool on)
{
    struct sim *sim = r->sim;
    cJSON *b = sim_write_body(r, false), *ids, *e;
    if (!b)
        return;
    ids = cJSON_GetObjectItem(b, "ids");
    if (!cJSON_IsArray(ids)) {
        sim_reply_field(r, 400, "ids", "missing_field", "It should be a/an Array");
        return;
    }
    int64_t user = user_or_me(sim, b);
    cJSON_ArrayForEach(e, ids)
    {
        struct sim_ticket *t =
            cJSON_IsNumber(e) ? sim_ticket_find(sim, (int64_t)e->valuedouble) : NULL;
        if (t)
            watch(sim, t, user, on);
    }
    sim_reply_empty(r, 204);
}

static bool collection_writes(struct sim_req *r, char **seg, int n)
{
    bool post = !strcmp(r->method, "POST"), put = !strcmp(r->method, "PUT");
    if (n == 1 && post)
        create_ticket(r, false);
    else if (n == 2 && post && !strcmp(seg[1], "outbound_email"))
        create_ticket(r, true);
    else if (n == 2 && post && !strcmp(seg[1], "bulk_update"))
        bulk(r, false);
    else if (n == 2 && post && !strcmp(seg[1], "bulk_delete"))
        bulk(r, true);
    else if (n == 2 && put && !strcmp(seg[1], "merge"))
        merge(r);
    else if (n == 2 && put && !strcmp(seg[1], "bulk_watch"))
        bulk_watch(r, true);
    else if (n == 2 && put && !strcmp(seg[1], "bulk_unwatch"))
        bulk_watch(r, false);
    else
        return false;
    return true;
}

bool sim_api_ticket_writes(struct sim_req *r, char **seg, int n)
{
    struct sim *sim = r->sim;
    int64_t id;
    if (n == 1 || !sim_parse_id(seg[1], &id))
        return collection_writes(r, seg, n);
    const char *m = r->method, *what = n == 3 ? seg[2] : "";
    bool post = !strcmp(m, "POST"), put = !strcmp(m, "PUT"), del = !strcmp(m, "DELETE");
    bool known = (n == 2 && (put || del)) ||
                 (n == 3 && post &&
                  (!strcmp(what, "reply") || !strcmp(what, "notes") || !strcmp(what, "forward") ||
                   !strcmp(what, "watch"))) ||
                 (n == 3 && put && (!strcmp(what, "restore") || !strcmp(what, "unwatch")));
    if (!known)
        return false;
    struct sim_ticket *t = sim_ticket_find(sim, id);
    if (!t) {
        sim_reply_empty(r, 404);
        return true;
    }
    if (n == 2 && put) {
        update_ticket(r, t);
    } else if (n == 2) {
        if (t->flags & SIM_T_DELETED)
            return sim_reply_empty(r, 404), true;
        t->flags |= SIM_T_DELETED;
        sim_ticket_touch(sim, t);
        sim_record_post(sim, "delete", t->id, NULL);
        sim_reply_empty(r, 204);
    } else if (!strcmp(what, "restore")) {
        if (!(t->flags & SIM_T_DELETED))
            return sim_reply_empty(r, 404), true;
        t->flags &= (uint8_t)~SIM_T_DELETED;
        sim_ticket_touch(sim, t);
        sim_record_post(sim, "restore", t->id, NULL);
        sim_reply_empty(r, 204);
    } else if (!strcmp(what, "watch") || !strcmp(what, "unwatch")) {
        int64_t user = sim->agents[0].id;
        if (r->json && cJSON_IsNumber(cJSON_GetObjectItem(r->json, "user_id")))
            user = (int64_t)cJSON_GetObjectItem(r->json, "user_id")->valuedouble;
        watch(sim, t, user, what[0] == 'w');
        sim_reply_empty(r, 204);
    } else {
        add_conversation(r, t, !strcmp(what, "reply") ? 0 : !strcmp(what, "notes") ? 1 : 2);
    }
    return true;
}
