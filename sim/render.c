/* render.c: dataset objects as the API shows them. Tickets follow the key order and types
 * of the real captures (tests/fixtures/freshdesk): lists leave out description unless asked
 * and never carry attachments; the single view adds attachments, form_id and friends.
 * Stored overrides (from writes) replace the generated values.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const ticket_types[] = {"Question", "Incident", "Problem", "Feature Request",
                                           "Refund"};
static const char *const tag_pool[] = {"vip",  "billing", "bug",      "refund", "é-commerce",
                                       "日本", "login",   "shipping", "urgent", "follow-up"};
static const char *const plans[] = {"Free", "Growth", "Pro", "Enterprise"};

static cJSON *over_get(struct sim_ticket *t, const char *key)
{
    return t->ext && t->ext->over ? cJSON_GetObjectItemCaseSensitive(t->ext->over, key) : NULL;
}

const char *sim_ticket_subject_of(struct sim *sim, struct sim_ticket *t, char *buf, size_t len)
{
    cJSON *o = over_get(t, "subject");
    if (cJSON_IsString(o))
        return o->valuestring;
    if (t->hostile) {
        char *s = sim_hostile_text(t->hostile, 0);
        snprintf(buf, len, "%s", s);
        free(s);
        return buf;
    }
    sim_ticket_subject(sim->opts.seed, t->id, buf, len);
    return buf;
}

cJSON *sim_ticket_tags(struct sim *sim, struct sim_ticket *t)
{
    cJSON *o = over_get(t, "tags");
    if (o)
        return cJSON_Duplicate(o, true);
    cJSON *a = cJSON_CreateArray();
    uint64_t h = sim_hash3(sim->opts.seed, 0x7A6, (uint64_t)t->id);
    long n = sim_pick(h, 4);
    long first = sim_pick(sim_hash(h, 1), 10);
    for (long i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(tag_pool[(first + i * 3) % 10]));
    return a;
}

cJSON *sim_ticket_custom_fields(struct sim *sim, struct sim_ticket *t)
{
    cJSON *o = over_get(t, "custom_fields");
    cJSON *cf = cJSON_CreateObject();
    uint64_t h = sim_hash3(sim->opts.seed, 0xCF, (uint64_t)t->id);
    char buf[32];
    if (sim_pick(h, 3)) {
        snprintf(buf, sizeof buf, "ORD-%06ld", sim_pick(sim_hash(h, 1), 1000000));
        cJSON_AddStringToObject(cf, "cf_order_number", buf);
    } else {
        cJSON_AddNullToObject(cf, "cf_order_number");
    }
    if (sim_pick(sim_hash(h, 2), 4))
        cJSON_AddStringToObject(cf, "cf_plan", plans[sim_pick(sim_hash(h, 3), 4)]);
    else
        cJSON_AddNullToObject(cf, "cf_plan");
    cJSON_AddBoolToObject(cf, "cf_vip", sim_pick(sim_hash(h, 4), 8) == 0);
    if (sim_pick(sim_hash(h, 5), 2))
        cJSON_AddNumberToObject(cf, "cf_seats", (double)(1 + sim_pick(sim_hash(h, 6), 500)));
    else
        cJSON_AddNullToObject(cf, "cf_seats");
    if (sim_pick(sim_hash(h, 7), 3) == 0) {
        sim_fmt_time(t->created_at + 86400L * (30 + sim_pick(sim_hash(h, 8), 300)), buf);
        buf[10] = '\0';
        cJSON_AddStringToObject(cf, "cf_renewal_date", buf);
    } else {
        cJSON_AddNullToObject(cf, "cf_renewal_date");
    }
    for (cJSON *c = o ? o->child : NULL; c; c = c->next)
        cJSON_ReplaceItemInObjectCaseSensitive(cf, c->string, cJSON_Duplicate(c, true));
    return cf;
}

static void add_id_or_null(cJSON *o, const char *key, int64_t id, bool present)
{
    if (present)
        cJSON_AddNumberToObject(o, key, (double)id);
    else
        cJSON_AddNullToObject(o, key);
}

/* cc-style arrays: [] mostly, null sometimes (as in real lists), an address now and then */
static cJSON *email_array(uint64_t h, bool nullable)
{
    long k = sim_pick(h, 10);
    if (nullable && k == 0)
        return cJSON_CreateNull();
    cJSON *a = cJSON_CreateArray();
    if (k == 1)
        cJSON_AddItemToArray(a, cJSON_CreateString("manager@example.com"));
    return a;
}

static void add_description(struct sim *sim, struct sim_ticket *t, cJSON *o)
{
    cJSON *dh = over_get(t, "description"), *dt = over_get(t, "description_text");
    if (cJSON_IsString(dh)) {
        cJSON_AddStringToObject(o, "description", dh->valuestring);
        cJSON_AddStringToObject(o, "description_text", cJSON_IsString(dt) ? dt->valuestring : "");
        return;
    }
    if (t->hostile) {
        char *s = sim_hostile_text(t->hostile, 3), *html = sim_html_escape(s);
        cJSON_AddStringToObject(o, "description", html);
        cJSON_AddStringToObject(o, "description_text", s);
        free(s);
        free(html);
        return;
    }
    char name[128];
    struct sim_text m;
    sim_contact_info(sim, t->requester, name, sizeof name, NULL, 0);
    sim_message(sim->opts.seed, (uint64_t)t->id * 1000, 0, false, name, t->created_at, &m);
    cJSON_AddStringToObject(o, "description", m.html);
    cJSON_AddStringToObject(o, "description_text", m.text);
    sim_text_free(&m);
}

cJSON *sim_render_requester(struct sim *sim, long idx)
{
    char name[512], email[256];
    cJSON *r = cJSON_CreateObject();
    uint64_t h = sim_hash3(sim->opts.seed, 0x9E0, (uint64_t)idx);
    struct sim_contact *c = &sim->contacts[idx];
    cJSON *mo = c->over ? cJSON_GetObjectItemCaseSensitive(c->over, "mobile") : NULL;
    cJSON *ph = c->over ? cJSON_GetObjectItemCaseSensitive(c->over, "phone") : NULL;
    char num[32];
    sim_contact_info(sim, idx, name, sizeof name, email, sizeof email);
    cJSON_AddNumberToObject(r, "id", (double)sim_contact_id(idx));
    cJSON_AddStringToObject(r, "name", name);
    if (*email)
        cJSON_AddStringToObject(r, "email", email);
    else
        cJSON_AddNullToObject(r, "email");
    snprintf(num, sizeof num, "+380 63 %07ld", sim_pick(h, 10000000));
    if (mo)
        cJSON_AddItemToObject(r, "mobile", cJSON_Duplicate(mo, true));
    else if (!c->over && sim_pick(h, 4) == 0)
        cJSON_AddStringToObject(r, "mobile", num);
    else
        cJSON_AddNullToObject(r, "mobile");
    snprintf(num, sizeof num, "+61 1800 %06ld", sim_pick(sim_hash(h, 1), 1000000));
    if (ph)
        cJSON_AddItemToObject(r, "phone", cJSON_Duplicate(ph, true));
    else if (!c->over && sim_pick(sim_hash(h, 2), 3) == 0)
        cJSON_AddStringToObject(r, "phone", num);
    else
        cJSON_AddNullToObject(r, "phone");
    return r;
}

static cJSON *render_stats(struct sim_ticket *t)
{
    cJSON *s = cJSON_CreateObject();
    struct sim_ticket_ext *e = t->ext;
    int64_t first = t->responder >= 0 ? t->created_at + 1800 : 0;
    if (first > t->updated_at)
        first = t->updated_at;
    int64_t agent = e && e->agent_responded_at ? e->agent_responded_at : first;
    cJSON_AddItemToObject(s, "agent_responded_at", sim_json_time(agent));
    cJSON_AddItemToObject(s, "requester_responded_at",
                          sim_json_time(e ? e->requester_responded_at : 0));
    cJSON_AddItemToObject(s, "first_responded_at", sim_json_time(first ? first : agent));
    cJSON_AddItemToObject(
        s, "status_updated_at",
        sim_json_time(e && e->status_updated_at ? e->status_updated_at : t->updated_at));
    cJSON_AddNullToObject(s, "reopened_at");
    cJSON_AddItemToObject(s, "resolved_at",
                          sim_json_time(t->status == 4 || t->status == 5 ? t->updated_at : 0));
    cJSON_AddItemToObject(s, "closed_at", sim_json_time(t->status == 5 ? t->updated_at : 0));
    cJSON_AddItemToObject(s, "pending_since", sim_json_time(t->status == 3 ? t->updated_at : 0));
    return s;
}

static void add_embedded(struct sim *sim, struct sim_ticket *t, cJSON *o, int includes)
{
    if (includes & SIM_INC_REQUESTER)
        cJSON_AddItemToObject(o, "requester", sim_render_requester(sim, t->requester));
    if (includes & SIM_INC_COMPANY) {
        if (t->company >= 0) {
            char name[512];
            cJSON *c = cJSON_AddObjectToObject(o, "company");
            sim_company_info(sim, t->company, name, sizeof name);
            cJSON_AddNumberToObject(c, "id", (double)sim_company_id(t->company));
            cJSON_AddStringToObject(c, "name", name);
        } else {
            cJSON_AddNullToObject(o, "company");
        }
    }
    if (includes & SIM_INC_STATS)
        cJSON_AddItemToObject(o, "stats", render_stats(t));
    if (includes & SIM_INC_CONVERSATIONS) {
        cJSON *all = sim_convs_get(sim, t), *ten = cJSON_CreateArray();
        for (int i = 0; i < 10 && cJSON_GetArraySize(all) > 0; i++)
            cJSON_AddItemToArray(ten, cJSON_DetachItemFromArray(all, 0));
        cJSON_Delete(all);
        cJSON_AddItemToObject(o, "conversations", ten);
    }
}

static void add_header_fields(struct sim *sim, struct sim_ticket *t, cJSON *o, bool view,
                              uint64_t h)
{
    bool email = t->source == 1 || t->source == 10;
    cJSON *cc = over_get(t, "cc_emails");
    cJSON_AddItemToObject(o, "cc_emails", cc ? cJSON_Duplicate(cc, true) : email_array(h, true));
    cJSON_AddItemToObject(o, "fwd_emails", email_array(sim_hash(h, 1) | 2, !view));
    cJSON_AddItemToObject(o, "reply_cc_emails", email_array(sim_hash(h, 2) | 2, !view));
    cJSON_AddItemToObject(o, "ticket_cc_emails", email_array(sim_hash(h, 3) | 2, !view));
    if (view)
        cJSON_AddItemToObject(o, "ticket_bcc_emails", cJSON_CreateArray());
    cJSON_AddBoolToObject(o, "fr_escalated", t->flags & SIM_T_FR_ESCALATED);
    cJSON_AddBoolToObject(o, "spam", t->flags & SIM_T_SPAM);
    add_id_or_null(o, "email_config_id", SIM_EMAIL_CONFIG, email);
    add_id_or_null(o, "group_id", sim_group_id(t->group), t->group >= 0);
    cJSON_AddNumberToObject(o, "priority", t->priority);
    cJSON_AddNumberToObject(o, "requester_id", (double)sim_contact_id(t->requester));
    add_id_or_null(o, "responder_id", t->responder >= 0 ? sim->agents[t->responder].id : 0,
                   t->responder >= 0);
    cJSON_AddNumberToObject(o, "source", t->source);
    add_id_or_null(o, "company_id", sim_company_id(t->company), t->company >= 0);
    cJSON_AddNumberToObject(o, "status", t->status);
}

cJSON *sim_render_ticket(struct sim *sim, struct sim_ticket *t, bool view, int includes)
{
    cJSON *o = cJSON_CreateObject();
    char subject[10016];
    uint64_t h = sim_hash3(sim->opts.seed, 0xE11, (uint64_t)t->id);
    bool email = t->source == 1 || t->source == 10;

    add_header_fields(sim, t, o, view, h);
    cJSON_AddStringToObject(o, "subject", sim_ticket_subject_of(sim, t, subject, sizeof subject));
    cJSON_AddNullToObject(o, "association_type");
    if (email)
        cJSON_AddStringToObject(o, "support_email", "support@acme.freshdesk.com");
    else
        cJSON_AddNullToObject(o, "support_email");
    if (email)
        cJSON_AddItemToObject(
            o, "to_emails",
            cJSON_CreateStringArray((const char *[]){"support@acme.freshdesk.com"}, 1));
    else
        cJSON_AddNullToObject(o, "to_emails");
    cJSON_AddNullToObject(o, "product_id");
    cJSON_AddNumberToObject(o, "id", (double)t->id);
    if (t->type >= 0)
        cJSON_AddStringToObject(o, "type", ticket_types[t->type]);
    else
        cJSON_AddNullToObject(o, "type");
    cJSON_AddItemToObject(o, "due_by", sim_json_time(t->due_by));
    cJSON_AddItemToObject(o, "fr_due_by", sim_json_time(t->fr_due_by));
    cJSON_AddBoolToObject(o, "is_escalated", t->flags & SIM_T_ESCALATED);
    if (view || (includes & SIM_INC_DESCRIPTION))
        add_description(sim, t, o);
    cJSON_AddItemToObject(o, "custom_fields", sim_ticket_custom_fields(sim, t));
    cJSON_AddItemToObject(o, "created_at", sim_json_time(t->created_at));
    cJSON_AddItemToObject(o, "updated_at", sim_json_time(t->updated_at));
    cJSON_AddNullToObject(o, "associated_tickets_count");
    cJSON_AddItemToObject(o, "tags", sim_ticket_tags(sim, t));
    if (view) {
        cJSON *att = over_get(t, "attachments");
        cJSON_AddItemToObject(o, "attachments",
                              att ? cJSON_Duplicate(att, true) : cJSON_CreateArray());
        cJSON_AddNumberToObject(o, "form_id", 298);
    }
    add_embedded(sim, t, o, includes);
    cJSON_AddNullToObject(o, "nr_due_by");
    cJSON_AddBoolToObject(o, "nr_escalated", false);
    if (t->flags & SIM_T_DELETED)
        cJSON_AddBoolToObject(o, "deleted", true);
    return o;
}

static void replace_or_add(cJSON *o, cJSON *src)
{
    for (cJSON *c = src ? src->child : NULL; c; c = c->next) {
        if (cJSON_GetObjectItemCaseSensitive(o, c->string))
            cJSON_ReplaceItemInObjectCaseSensitive(o, c->string, cJSON_Duplicate(c, true));
        else
            cJSON_AddItemToObject(o, c->string, cJSON_Duplicate(c, true));
    }
}

cJSON *sim_render_contact(struct sim *sim, long idx)
{
    struct sim_contact *c = &sim->contacts[idx];
    cJSON *r = sim_render_requester(sim, idx), *o = cJSON_CreateObject();
    uint64_t h = sim_hash3(sim->opts.seed, 0xC7, (uint64_t)idx);
    static const char *const langs[] = {"en", "fr", "de", "ja", "ar", "he", "ru", "zh-CN"};
    for (const char *k = "id\0name\0email\0phone\0mobile\0"; *k; k += strlen(k) + 1)
        cJSON_AddItemToObject(o, k, cJSON_DetachItemFromObjectCaseSensitive(r, k));
    cJSON_Delete(r);
    cJSON_AddNullToObject(o, "twitter_id");
    cJSON_AddNullToObject(o, "facebook_id");
    cJSON_AddNullToObject(o, "unique_external_id");
    cJSON_AddItemToObject(o, "other_emails", cJSON_CreateArray());
    add_id_or_null(o, "company_id", sim_company_id(c->company), c->company >= 0);
    cJSON_AddItemToObject(o, "other_companies", cJSON_CreateArray());
    cJSON_AddBoolToObject(o, "view_all_tickets", false);
    cJSON_AddBoolToObject(o, "active", sim_pick(h, 5) != 0);
    cJSON_AddNullToObject(o, "address");
    cJSON_AddNullToObject(o, "description");
    cJSON_AddNullToObject(o, "job_title");
    cJSON_AddStringToObject(o, "language", langs[sim_pick(sim_hash(h, 1), 8)]);
    cJSON_AddStringToObject(o, "time_zone", "UTC");
    cJSON_AddItemToObject(o, "tags", cJSON_CreateArray());
    cJSON_AddNullToObject(o, "avatar");
    cJSON_AddItemToObject(o, "custom_fields", cJSON_CreateObject());
    cJSON_AddNullToObject(o, "csat_rating");
    cJSON_AddNumberToObject(o, "preferred_source", 1);
    if (c->deleted)
        cJSON_AddBoolToObject(o, "deleted", true);
    cJSON_AddItemToObject(o, "created_at", sim_json_time(c->created_at));
    cJSON_AddItemToObject(o, "updated_at", sim_json_time(c->created_at + 3600));
    if (c->over) {
        cJSON *extra = cJSON_Duplicate(c->over, true);
        cJSON_DeleteItemFromObjectCaseSensitive(extra, "name");
        cJSON_DeleteItemFromObjectCaseSensitive(extra, "email");
        replace_or_add(o, extra);
        cJSON_Delete(extra);
    }
    return o;
}

cJSON *sim_render_company(struct sim *sim, long idx)
{
    struct sim_company *c = &sim->companies[idx];
    char name[512], domain[128];
    static const char *const industries[] = {"Retail", "Software", "Logistics", "Finance"};
    static const char *const tiers[] = {"Basic", "Premium", "Enterprise"};
    uint64_t h = sim_hash3(sim->opts.seed, 0xC0, (uint64_t)idx);
    cJSON *o = cJSON_CreateObject();
    sim_company_name(sim->opts.seed, idx, name, sizeof name, domain, sizeof domain);
    sim_company_info(sim, idx, name, sizeof name);
    cJSON_AddNumberToObject(o, "id", (double)sim_company_id(idx));
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddNullToObject(o, "description");
    cJSON_AddNullToObject(o, "note");
    cJSON_AddItemToObject(o, "domains", cJSON_CreateStringArray((const char *[]){domain}, 1));
    cJSON_AddItemToObject(o, "custom_fields", cJSON_CreateObject());
    cJSON_AddStringToObject(o, "health_score", sim_pick(h, 2) ? "Happy" : "At risk");
    cJSON_AddStringToObject(o, "account_tier", tiers[sim_pick(sim_hash(h, 1), 3)]);
    cJSON_AddNullToObject(o, "renewal_date");
    cJSON_AddStringToObject(o, "industry", industries[sim_pick(sim_hash(h, 2), 4)]);
    cJSON_AddItemToObject(o, "created_at", sim_json_time(c->created_at));
    cJSON_AddItemToObject(o, "updated_at", sim_json_time(c->created_at + 86400));
    if (c->over) {
        cJSON *extra = cJSON_Duplicate(c->over, true);
        replace_or_add(o, extra);
        cJSON_Delete(extra);
    }
    return o;
}
