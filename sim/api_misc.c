/* api_misc.c: the account's other resources: contacts (with 409 duplicate_value on an
 * existing e-mail), companies, agents (and agents/me, the key's owner), groups,
 * ticket_fields, canned response folders and responses.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

static cJSON *agent_view(struct sim *sim, int i)
{
    cJSON *a = cJSON_Duplicate(cJSON_GetArrayItem(sim->agents_json, i), true), *g;
    g = cJSON_AddArrayToObject(a, "group_ids");
    for (int k = 0; k < sim->ngroup; k++)
        if (sim->agents[i].group_mask & (1 << k))
            cJSON_AddItemToArray(g, cJSON_CreateNumber((double)sim_group_id(k)));
    cJSON_AddItemToObject(a, "role_ids", cJSON_CreateArray());
    cJSON_AddItemToObject(a, "skill_ids", cJSON_CreateArray());
    return a;
}

static void agents(struct sim_req *r, char **seg, int n)
{
    struct sim *sim = r->sim;
    int64_t id;
    if (n == 1) {
        const char *email = sim_arg(r, "email"), *state = sim_arg(r, "state");
        cJSON *all = cJSON_CreateArray();
        for (int i = 0; i < sim->nagent; i++) {
            cJSON *a = cJSON_GetArrayItem(sim->agents_json, i);
            bool occ = cJSON_IsTrue(cJSON_GetObjectItem(a, "occasional"));
            if (email && strcasecmp(email, sim->agents[i].email))
                continue;
            if (state &&
                ((!strcmp(state, "fulltime") && occ) || (!strcmp(state, "occasional") && !occ)))
                continue;
            cJSON_AddItemToArray(all, cJSON_Duplicate(a, true));
        }
        sim_reply_page(r, all);
    } else if (!strcmp(seg[1], "me")) {
        sim_reply_json(r, 200, agent_view(sim, 0));
    } else if (sim_parse_id(seg[1], &id) && sim_agent_index(sim, id) >= 0) {
        sim_reply_json(r, 200, agent_view(sim, sim_agent_index(sim, id)));
    } else {
        sim_reply_empty(r, 404);
    }
}

static void groups(struct sim_req *r, char **seg, int n)
{
    struct sim *sim = r->sim;
    int64_t id;
    int gi;
    if (n == 1) {
        sim_reply_page(r, cJSON_Duplicate(sim->groups_json, true));
        return;
    }
    if (!sim_parse_id(seg[1], &id) || (gi = sim_group_index(sim, id)) < 0) {
        sim_reply_empty(r, 404);
        return;
    }
    cJSON *g = cJSON_Duplicate(cJSON_GetArrayItem(sim->groups_json, gi), true);
    cJSON *a = cJSON_AddArrayToObject(g, "agent_ids");
    for (int i = 0; i < sim->nagent; i++)
        if (sim->agents[i].group_mask & (1 << gi))
            cJSON_AddItemToArray(a, cJSON_CreateNumber((double)sim->agents[i].id));
    sim_reply_json(r, 200, g);
}

static void ticket_fields(struct sim_req *r)
{
    const char *type = sim_arg(r, "type");
    cJSON *out = cJSON_CreateArray();
    cJSON *f;
    cJSON_ArrayForEach(f, r->sim->fields_json)
    {
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(f, "type"));
        if (!type || (t && !strcmp(t, type)))
            cJSON_AddItemToArray(out, cJSON_Duplicate(f, true));
    }
    sim_reply_json(r, 200, out);
}

static void canned(struct sim_req *r, char **seg, int n)
{
    struct sim *sim = r->sim;
    int64_t id;
    cJSON *c;
    if (!strcmp(seg[0], "canned_responses")) {
        if (n == 2 && sim_parse_id(seg[1], &id))
            cJSON_ArrayForEach(c, sim->canned_json)
            {
                if ((int64_t)cJSON_GetObjectItem(c, "id")->valuedouble == id) {
                    sim_reply_json(r, 200, cJSON_Duplicate(c, true));
                    return;
                }
            }
        sim_reply_empty(r, 404);
        return;
    }
    if (n == 1) {
        sim_reply_json(r, 200, cJSON_Duplicate(sim->folders_json, true));
        return;
    }
    cJSON *folder = NULL;
    if (sim_parse_id(seg[1], &id))
        cJSON_ArrayForEach(c, sim->folders_json)
        {
            if ((int64_t)cJSON_GetObjectItem(c, "id")->valuedouble == id)
                folder = c;
        }
    if (!folder || n > 3 || (n == 3 && strcmp(seg[2], "responses"))) {
        sim_reply_empty(r, 404);
        return;
    }
    cJSON *list = cJSON_CreateArray();
    cJSON_ArrayForEach(c, sim->canned_json)
    {
        if ((int64_t)cJSON_GetObjectItem(c, "folder_id")->valuedouble != id)
            continue;
        cJSON *item = cJSON_Duplicate(c, true);
        if (n == 2) { /* the folder view lists titles only */
            cJSON *brief = cJSON_CreateObject();
            for (const char *k = "id\0title\0folder_id\0created_at\0updated_at\0"; *k;
                 k += strlen(k) + 1)
                cJSON_AddItemToObject(brief, k, cJSON_DetachItemFromObject(item, k));
            cJSON_Delete(item);
            item = brief;
        }
        cJSON_AddItemToArray(list, item);
    }
    if (n == 3) {
        sim_reply_page(r, list);
        return;
    }
    cJSON *f = cJSON_Duplicate(folder, true);
    cJSON_AddItemToObject(f, "canned_responses", list);
    sim_reply_json(r, 200, f);
}

/* ---- contacts */
static const char *const contact_fields[] = {"name",
                                             "email",
                                             "phone",
                                             "mobile",
                                             "twitter_id",
                                             "unique_external_id",
                                             "other_emails",
                                             "company_id",
                                             "view_all_tickets",
                                             "address",
                                             "description",
                                             "job_title",
                                             "language",
                                             "time_zone",
                                             "tags",
                                             "custom_fields",
                                             "other_companies",
                                             "avatar",
                                             NULL};

static bool contact_match(struct sim *sim, long i, long company, int state, int64_t since)
{
    struct sim_contact *c = &sim->contacts[i];
    if (company != -1 && c->company != company)
        return false;
    if (c->created_at + 3600 < since) /* a contact's updated_at is an hour after creation */
        return false;
    return state == 1 ? c->deleted : !c->deleted;
}

static void list_contacts(struct sim_req *r)
{
    struct sim *sim = r->sim;
    long page, per_page, company = -1, found = 0, got = 0, from = 0, to = sim->ncontact;
    const char *email = sim_arg(r, "email"), *cid = sim_arg(r, "company_id");
    const char *state = sim_arg(r, "state");
    int64_t id;
    if (sim_page_params(r, &page, &per_page, 0, 0) < 0)
        return;
    if (cid)
        company = sim_parse_id(cid, &id) && sim_company_index(sim, id) >= 0
                      ? sim_company_index(sim, id)
                      : -2;
    if (email) { /* through the index: at most one contact */
        long ci = sim_contact_by_email(sim, email);
        from = ci >= 0 ? ci : 0;
        to = ci >= 0 ? ci + 1 : 0;
    }
    int st = state && !strcmp(state, "deleted") ? 1 : 0;
    const char *us =
        sim_arg(r, "_updated_since") ? sim_arg(r, "_updated_since") : sim_arg(r, "updated_since");
    int64_t since = 0;
    if (us && sim_parse_time(us, &since)) {
        sim_reply_field(r, 400, "_updated_since", "invalid_value",
                        "It should be in the 'valid date time' format");
        return;
    }
    cJSON *arr = cJSON_CreateArray();
    for (long i = from; i < to && got <= per_page; i++) {
        if (!contact_match(sim, i, company, st, since))
            continue;
        if (found++ >= (page - 1) * per_page) {
            if (got < per_page)
                cJSON_AddItemToArray(arr, sim_render_contact(sim, i));
            got++;
        }
    }
    if (got > per_page)
        sim_link_next(r, page);
    sim_reply_json(r, 200, arr);
}

static bool duplicate_email(struct sim_req *r, const char *email, long self)
{
    long ci = sim_contact_by_email(r->sim, email);
    if (ci == -1 || ci == self)
        return false;
    int64_t uid = ci <= -2 ? r->sim->agents[-2 - ci].id : sim_contact_id(ci);
    cJSON *o = cJSON_CreateObject(), *errs = cJSON_AddArrayToObject(o, "errors");
    cJSON *e = cJSON_CreateObject(), *ai;
    cJSON_AddStringToObject(o, "description", "Validation failed");
    cJSON_AddStringToObject(e, "field", "email");
    ai = cJSON_AddObjectToObject(e, "additional_info");
    cJSON_AddNumberToObject(ai, "user_id", (double)uid);
    cJSON_AddStringToObject(e, "message", "It should be a unique value");
    cJSON_AddStringToObject(e, "code", "duplicate_value");
    cJSON_AddItemToArray(errs, e);
    sim_reply_json(r, 409, o);
    return true;
}

static void create_contact(struct sim_req *r)
{
    struct sim *sim = r->sim;
    cJSON *b = sim_write_body(r, false);
    if (!b || sim_reject_unknown(r, b, contact_fields))
        return;
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(b, "name"));
    const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(b, "email"));
    if (!name || !*name) {
        sim_reply_field(r, 400, "name", "missing_field", "It should be a/an String");
        return;
    }
    if (!email && !cJSON_GetObjectItem(b, "phone") && !cJSON_GetObjectItem(b, "mobile") &&
        !cJSON_GetObjectItem(b, "twitter_id") && !cJSON_GetObjectItem(b, "unique_external_id")) {
        sim_reply_field(r, 400, "email", "missing_field",
                        "Please fill at least 1 of email, mobile, phone, twitter_id, "
                        "unique_external_id fields");
        return;
    }
    if (email && duplicate_email(r, email, -1))
        return;
    long company = -1;
    cJSON *cid = cJSON_GetObjectItem(b, "company_id");
    if (cJSON_IsNumber(cid) && (company = sim_company_index(sim, (int64_t)cid->valuedouble)) < 0) {
        sim_reply_field(r, 400, "company_id", "invalid_value",
                        "There is no company matching the given company_id");
        return;
    }
    cJSON *over = cJSON_Duplicate(b, true);
    cJSON_DeleteItemFromObject(over, "company_id");
    if (!email)
        cJSON_AddNullToObject(over, "email");
    long idx = sim_contact_add(sim, over, company, sim_now(sim));
    char loc[160];
    snprintf(loc, sizeof loc, "/api/v2/contacts/%lld", (long long)sim_contact_id(idx));
    sim_add_header(r, "Location", loc);
    sim_reply_json(r, 201, sim_render_contact(sim, idx));
}

static void contact_item(struct sim_req *r, long idx)
{
    struct sim *sim = r->sim;
    struct sim_contact *c = &sim->contacts[idx];
    if (!strcmp(r->method, "GET")) {
        sim_reply_json(r, 200, sim_render_contact(sim, idx));
    } else if (!strcmp(r->method, "DELETE")) {
        if (c->deleted) {
            sim_reply_empty(r, 404);
            return;
        }
        c->deleted = 1;
        sim_reply_empty(r, 204);
    } else if (!strcmp(r->method, "PUT")) {
        if (c->deleted) {
            sim_reply_405(r, "GET");
            return;
        }
        cJSON *b = sim_write_body(r, false);
        if (!b || sim_reject_unknown(r, b, contact_fields))
            return;
        const char *email = cJSON_GetStringValue(cJSON_GetObjectItem(b, "email"));
        if (email && duplicate_email(r, email, idx))
            return;
        if (!c->over)
            c->over = cJSON_CreateObject();
        for (cJSON *f = b->child; f; f = f->next) {
            if (!strcmp(f->string, "company_id")) {
                c->company = cJSON_IsNumber(f)
                                 ? (int32_t)sim_company_index(sim, (int64_t)f->valuedouble)
                                 : -1;
                continue;
            }
            cJSON_DeleteItemFromObject(c->over, f->string);
            cJSON_AddItemToObject(c->over, f->string, cJSON_Duplicate(f, true));
        }
        sim->email_built = false; /* rebuilt on next lookup */
        for (long i = 0; i < sim->email_cap; i++) {
            free(sim->email_keys[i]);
            sim->email_keys[i] = NULL;
        }
        sim_reply_json(r, 200, sim_render_contact(sim, idx));
    } else {
        sim_reply_405(r, "GET, PUT, DELETE");
    }
}

static void contacts(struct sim_req *r, char **seg, int n)
{
    int64_t id;
    long idx;
    if (n == 1) {
        if (!strcmp(r->method, "GET"))
            list_contacts(r);
        else if (!strcmp(r->method, "POST"))
            create_contact(r);
        else
            sim_reply_405(r, "GET, POST");
        return;
    }
    if (n == 2 && sim_parse_id(seg[1], &id) && (idx = sim_contact_index(r->sim, id)) >= 0)
        contact_item(r, idx);
    else
        sim_reply_empty(r, 404);
}

/* ---- companies */
static void companies(struct sim_req *r, char **seg, int n)
{
    struct sim *sim = r->sim;
    int64_t id;
    long idx;
    if (n == 1 && !strcmp(r->method, "GET")) {
        long page, per_page;
        if (sim_page_params(r, &page, &per_page, 0, 0) < 0)
            return;
        cJSON *arr = cJSON_CreateArray();
        long start = (page - 1) * per_page;
        for (long i = start; i < sim->ncompany && i < start + per_page; i++)
            cJSON_AddItemToArray(arr, sim_render_company(sim, i));
        if (start + per_page < sim->ncompany)
            sim_link_next(r, page);
        sim_reply_json(r, 200, arr);
    } else if (n == 1 && !strcmp(r->method, "POST")) {
        static const char *const fields[] = {
            "name",         "description",  "note",         "domains",  "custom_fields",
            "health_score", "account_tier", "renewal_date", "industry", NULL};
        cJSON *b = sim_write_body(r, false);
        if (!b || sim_reject_unknown(r, b, fields))
            return;
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(b, "name"));
        if (!name || !*name) {
            sim_reply_field(r, 400, "name", "missing_field", "It should be a/an String");
            return;
        }
        for (long i = 0; i < sim->ncompany; i++) {
            char other[512];
            sim_company_info(sim, i, other, sizeof other);
            if (!strcasecmp(other, name)) {
                sim_reply_field(r, 409, "name", "duplicate_value", "It should be a unique value");
                return;
            }
        }
        idx = sim_company_add(sim, cJSON_Duplicate(b, true), sim_now(sim));
        char loc[160];
        snprintf(loc, sizeof loc, "/api/v2/companies/%lld", (long long)sim_company_id(idx));
        sim_add_header(r, "Location", loc);
        sim_reply_json(r, 201, sim_render_company(sim, idx));
    } else if (n == 1) {
        sim_reply_405(r, "GET, POST");
    } else if (n == 2 && sim_parse_id(seg[1], &id) && (idx = sim_company_index(sim, id)) >= 0) {
        if (!strcmp(r->method, "GET"))
            sim_reply_json(r, 200, sim_render_company(sim, idx));
        else
            sim_reply_405(r, "GET");
    } else {
        sim_reply_empty(r, 404);
    }
}

bool sim_api_misc(struct sim_req *r, char **seg, int n)
{
    bool get = !strcmp(r->method, "GET");
    if (!strcmp(seg[0], "contacts") && n <= 2) {
        contacts(r, seg, n);
        return true;
    }
    if (!strcmp(seg[0], "companies") && n <= 2) {
        companies(r, seg, n);
        return true;
    }
    if (!strcmp(seg[0], "jobs") && n == 2) { /* bulk jobs finish at once */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", seg[1]);
        cJSON_AddStringToObject(o, "status", "COMPLETED");
        cJSON_AddNumberToObject(o, "progress", 100);
        sim_reply_json(r, get ? 200 : 405, o);
        return true;
    }
    bool known = (!strcmp(seg[0], "agents") && n <= 2) || (!strcmp(seg[0], "groups") && n <= 2) ||
                 (!strcmp(seg[0], "ticket_fields") && n == 1) ||
                 (!strcmp(seg[0], "canned_response_folders") && n <= 3) ||
                 (!strcmp(seg[0], "canned_responses") && n == 2);
    if (!known)
        return false;
    if (!get) {
        sim_reply_405(r, "GET");
        return true;
    }
    if (!strcmp(seg[0], "agents"))
        agents(r, seg, n);
    else if (!strcmp(seg[0], "groups"))
        groups(r, seg, n);
    else if (!strcmp(seg[0], "ticket_fields"))
        ticket_fields(r);
    else
        canned(r, seg, n);
    return true;
}
