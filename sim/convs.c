/* convs.c: a ticket's conversations. Until something changes them they are regenerated from
 * (seed, ticket id) on each request; the first write materialises the generated thread into
 * the ticket and appends to it. Threads mix customer messages (some quoting history), agent
 * replies and private notes; one ticket in thirty has a long thread that needs paging.
 * Also PUT /conversations/{id} (notes only) and DELETE /conversations/{id} (not incoming).
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

static void add_null(cJSON *o, const char *k)
{
    cJSON_AddNullToObject(o, k);
}

static cJSON *conv_object(int64_t id, int64_t ticket_id, const struct sim_text *m, bool incoming,
                          bool private_, int64_t user_id, int source, int category,
                          const char *from, const char *to, int64_t when)
{
    cJSON *c = cJSON_CreateObject();
    bool note = source == 2;
    cJSON_AddStringToObject(c, "body", m->html);
    cJSON_AddStringToObject(c, "body_text", m->text);
    cJSON_AddNumberToObject(c, "id", (double)id);
    cJSON_AddBoolToObject(c, "incoming", incoming);
    cJSON_AddBoolToObject(c, "private", private_);
    cJSON_AddNumberToObject(c, "user_id", (double)user_id);
    if (note)
        add_null(c, "support_email");
    else
        cJSON_AddStringToObject(c, "support_email", "support@acme.freshdesk.com");
    cJSON_AddNumberToObject(c, "source", source);
    cJSON_AddNumberToObject(c, "category", category);
    cJSON *toa = cJSON_AddArrayToObject(c, "to_emails");
    if (to && !note)
        cJSON_AddItemToArray(toa, cJSON_CreateString(to));
    if (from && !note)
        cJSON_AddStringToObject(c, "from_email", from);
    else
        add_null(c, "from_email");
    cJSON_AddItemToObject(c, "cc_emails", cJSON_CreateArray());
    if (note)
        add_null(c, "bcc_emails");
    else
        cJSON_AddItemToObject(c, "bcc_emails", cJSON_CreateArray());
    if (note || incoming)
        add_null(c, "email_failure_count");
    else
        cJSON_AddNumberToObject(c, "email_failure_count", 0);
    add_null(c, "outgoing_failures");
    add_null(c, "thread_id");
    add_null(c, "thread_message_id");
    cJSON_AddItemToObject(c, "created_at", sim_json_time(when));
    cJSON_AddItemToObject(c, "updated_at", sim_json_time(when));
    add_null(c, "last_edited_at");
    add_null(c, "last_edited_user_id");
    cJSON_AddItemToObject(c, "attachments", cJSON_CreateArray());
    add_null(c, "automation_id");
    add_null(c, "automation_type_id");
    cJSON_AddBoolToObject(c, "auto_response", false);
    cJSON_AddNumberToObject(c, "ticket_id", (double)ticket_id);
    add_null(c, "source_additional_info");
    return c;
}

char *sim_generated_attachment(struct sim *sim, int64_t id, size_t *len)
{
    int64_t off = id - SIM_GENATT_BASE;
    if (off < 0 || off >= SIM_NEWCONV_BASE - SIM_CONV_BASE)
        return NULL;
    uint64_t h = sim_hash3(sim->opts.seed, 0xA77, (uint64_t)id);
    long lines = 3 + sim_pick(h, 40);
    size_t cap = (size_t)lines * 96 + 64, n = 0;
    char *buf = malloc(cap);
    n += (size_t)snprintf(buf + n, cap - n, "Error log attached to conversation %lld\n",
                          (long long)(SIM_CONV_BASE + off));
    for (long i = 0; i < lines; i++)
        n += (size_t)snprintf(
            buf + n, cap - n, "2026-01-%02ld 10:%02ld:%02ld ERROR payment %lu declined\n",
            1 + i % 28, i % 60, (i * 7) % 60, (unsigned long)(sim_hash(h, (uint64_t)i) % 1000000));
    *len = n;
    return buf;
}

void sim_attachment_url(struct sim *sim, int64_t id, const char *base, char *out, size_t len)
{
    char own[96];
    if (!base) {
        const char *b = sim->opts.bind ? sim->opts.bind : "127.0.0.1";
        snprintf(own, sizeof own, strchr(b, ':') ? "http://[%s]:%d" : "http://%s:%d", b, sim->port);
        base = own;
    }
    snprintf(out, len, "%s/attachments/%lld?token=%016llx", base, (long long)id,
             (unsigned long long)sim_hash(sim->opts.seed, (uint64_t)id));
}

/* One customer message in twelve carries a generated log file. */
static void add_generated_attachment(struct sim *sim, cJSON *conv, int64_t conv_id, int64_t when)
{
    int64_t id = SIM_GENATT_BASE + (conv_id - SIM_CONV_BASE);
    size_t size;
    char *data = sim_generated_attachment(sim, id, &size), url[256];
    cJSON *a = cJSON_CreateObject();
    free(data);
    sim_attachment_url(sim, id, NULL, url, sizeof url);
    cJSON_AddNumberToObject(a, "id", (double)id);
    cJSON_AddStringToObject(a, "name", "error-log.txt");
    cJSON_AddStringToObject(a, "content_type", "text/plain");
    cJSON_AddNumberToObject(a, "size", (double)size);
    cJSON_AddStringToObject(a, "attachment_url", url);
    cJSON_AddItemToObject(a, "created_at", sim_json_time(when));
    cJSON_AddItemToObject(a, "updated_at", sim_json_time(when));
    cJSON_AddItemToArray(cJSON_GetObjectItem(conv, "attachments"), a);
}

static long conv_count(struct sim *sim, struct sim_ticket *t, uint64_t h)
{
    if (sim_pick(sim_hash(h, 1), 30) == 0)
        return 35 + sim_pick(sim_hash(h, 2), 90);
    long n = sim_pick(h, 6);
    if (n == 0 && (t->status == 4 || t->status == 5))
        n = 1;
    return n;
}

static cJSON *generate(struct sim *sim, struct sim_ticket *t)
{
    cJSON *arr = cJSON_CreateArray();
    uint64_t h = sim_hash3(sim->opts.seed, 0xC0417, (uint64_t)t->id);
    long n = conv_count(sim, t, h);
    char cname[512], cemail[256], from[800];
    int agent = t->responder >= 0 ? t->responder : 0;
    const struct sim_agent *a = &sim->agents[agent];
    sim_contact_info(sim, t->requester, cname, sizeof cname, cemail, sizeof cemail);
    for (long k = 0; k < n; k++) {
        int64_t when = t->created_at + (t->updated_at - t->created_at) * (k + 1) / (n + 1);
        int64_t id = SIM_CONV_BASE + t->id * 1000 + k;
        struct sim_text m;
        cJSON *c;
        int kind = k % 4 == 3 ? 2 : (k % 2 == 0 ? 1 : 0);
        uint64_t salt = (uint64_t)t->id * 1000 + 1 + (uint64_t)k;
        if (t->hostile && k == 0) {
            char *s = sim_hostile_text(t->hostile, 3);
            m.text = s;
            m.html = sim_html_escape(s);
            kind = 0;
        } else {
            sim_message(sim->opts.seed, salt, kind, kind == 0 && sim_pick(sim_hash(h, 10 + k), 2),
                        kind == 0 ? a->name : cname, when, &m);
        }
        if (kind == 0) {
            snprintf(from, sizeof from, "%s <%s>", cname, cemail);
            c = conv_object(id, t->id, &m, true, false, sim_contact_id(t->requester), 0, 1, from,
                            "support@acme.freshdesk.com", when);
            if (sim_pick(sim_hash(h, 500 + (uint64_t)k), 12) == 0)
                add_generated_attachment(sim, c, id, when);
        } else if (kind == 1) {
            snprintf(from, sizeof from, "Acme Support <support@acme.freshdesk.com>");
            c = conv_object(id, t->id, &m, false, false, a->id, 0, 3, from, cemail, when);
        } else {
            c = conv_object(id, t->id, &m, false, true, a->id, 2, 2, NULL, NULL, when);
        }
        sim_text_free(&m);
        cJSON_AddItemToArray(arr, c);
    }
    return arr;
}

cJSON *sim_convs_get(struct sim *sim, struct sim_ticket *t)
{
    if (t->ext && t->ext->convs)
        return cJSON_Duplicate(t->ext->convs, true);
    return generate(sim, t);
}

cJSON *sim_convs_append(struct sim *sim, struct sim_ticket *t, cJSON *conv)
{
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    if (!e->convs)
        e->convs = generate(sim, t);
    cJSON_AddItemToArray(e->convs, conv);
    return conv;
}

cJSON *sim_conv_new(struct sim *sim, struct sim_ticket *t, const char *html, int64_t user_id,
                    bool incoming, bool private_, int source, int category)
{
    struct sim_text m;
    char cname[512], cemail[256], from[800];
    int64_t now = sim_now(sim);
    sim_contact_info(sim, t->requester, cname, sizeof cname, cemail, sizeof cemail);
    m.html = (char *)html;
    m.text = sim_html_to_text(html);
    if (incoming)
        snprintf(from, sizeof from, "%s <%s>", cname, cemail);
    else
        snprintf(from, sizeof from, "Acme Support <support@acme.freshdesk.com>");
    cJSON *c = conv_object(sim->next_conv_id++, t->id, &m, incoming, private_, user_id, source,
                           category, from, incoming ? "support@acme.freshdesk.com" : cemail, now);
    free(m.text);
    return c;
}

cJSON *sim_conv_customer_reply(struct sim *sim, struct sim_ticket *t, const char *html)
{
    cJSON *c = sim_conv_new(sim, t, html, sim_contact_id(t->requester), true, false, 0, 1);
    sim_convs_append(sim, t, c);
    sim_ticket_ext(t)->requester_responded_at = sim_now(sim);
    if (t->status == 3 || t->status == 6 || t->status == 4)
        t->status = 2; /* a customer reply reopens */
    sim_ticket_touch(sim, t);
    return c;
}

/* Finds a conversation by id: materialises the ticket's thread and returns the stored
 * object, or NULL. */
static cJSON *conv_find(struct sim *sim, int64_t id, struct sim_ticket **tp)
{
    struct sim_ticket *t = NULL;
    if (id >= SIM_CONV_BASE && id < SIM_NEWCONV_BASE)
        t = sim_ticket_find(sim, (id - SIM_CONV_BASE) / 1000);
    for (long i = 0; !t && id >= SIM_NEWCONV_BASE && i < sim->nticket; i++) {
        cJSON *list = sim->tickets[i].ext ? sim->tickets[i].ext->convs : NULL, *c;
        if (!list)
            continue;
        cJSON_ArrayForEach(c, list)
        {
            if ((int64_t)cJSON_GetObjectItem(c, "id")->valuedouble == id)
                t = &sim->tickets[i];
        }
    }
    if (!t)
        return NULL;
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    if (!e->convs)
        e->convs = generate(sim, t);
    cJSON *c;
    cJSON_ArrayForEach(c, e->convs)
    {
        if ((int64_t)cJSON_GetObjectItem(c, "id")->valuedouble == id) {
            *tp = t;
            return c;
        }
    }
    return NULL;
}

static void conv_edit(struct sim_req *r, struct sim_ticket *t, cJSON *c)
{
    static const char *const allowed[] = {"body", "attachments", NULL};
    struct sim *sim = r->sim;
    if (cJSON_GetObjectItem(c, "source")->valueint != 2) {
        sim_reply_field(r, 400, "id", "invalid_value", "Only notes can be edited");
        return;
    }
    cJSON *b = sim_write_body(r, false);
    if (!b || sim_reject_unknown(r, b, allowed))
        return;
    const char *html = cJSON_GetStringValue(cJSON_GetObjectItem(b, "body"));
    if (!html) {
        sim_reply_field(r, 400, "body", "missing_field", "It should be a/an String");
        return;
    }
    char *text = sim_html_to_text(html);
    cJSON_ReplaceItemInObject(c, "body", cJSON_CreateString(html));
    cJSON_ReplaceItemInObject(c, "body_text", cJSON_CreateString(text));
    free(text);
    cJSON_ReplaceItemInObject(c, "updated_at", sim_json_time(sim_now(sim)));
    cJSON_ReplaceItemInObject(c, "last_edited_at", sim_json_time(sim_now(sim)));
    cJSON_ReplaceItemInObject(c, "last_edited_user_id",
                              cJSON_CreateNumber((double)sim->agents[0].id));
    sim_ticket_touch(sim, t);
    sim_record_post(sim, "edit_note", t->id, b);
    sim_reply_json(r, 200, cJSON_Duplicate(c, true));
}

bool sim_api_conversations(struct sim_req *r, char **seg, int n)
{
    int64_t id;
    struct sim_ticket *t = NULL;
    if (strcmp(seg[0], "conversations") || n != 2)
        return false;
    bool put = !strcmp(r->method, "PUT"), del = !strcmp(r->method, "DELETE");
    if (!put && !del) {
        sim_reply_405(r, "PUT, DELETE");
        return true;
    }
    cJSON *c = sim_parse_id(seg[1], &id) ? conv_find(r->sim, id, &t) : NULL;
    if (!c) {
        sim_reply_empty(r, 404);
    } else if (put) {
        conv_edit(r, t, c);
    } else if (cJSON_IsTrue(cJSON_GetObjectItem(c, "incoming"))) {
        sim_reply_code(r, 403, "access_denied", "You are not authorized to perform this action.");
    } else {
        cJSON_Delete(cJSON_DetachItemViaPointer(t->ext->convs, c));
        sim_ticket_touch(r->sim, t);
        sim_record_post(r->sim, "delete_conversation", t->id, NULL);
        sim_reply_empty(r, 204);
    }
    return true;
}
