/* ticket_fields.c: the fields of a ticket write (create, update, bulk update, the admin
 * hook): which are allowed, their types and values, and how they land in the dataset.
 * Validation runs before anything changes, so a rejected write leaves no trace.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const ticket_types[] = {"Question", "Incident", "Problem", "Feature Request",
                                           "Refund"};

static const char *const update_fields[] = {"subject",
                                            "description",
                                            "status",
                                            "priority",
                                            "source",
                                            "type",
                                            "responder_id",
                                            "group_id",
                                            "product_id",
                                            "company_id",
                                            "requester_id",
                                            "email",
                                            "phone",
                                            "name",
                                            "due_by",
                                            "fr_due_by",
                                            "tags",
                                            "custom_fields",
                                            "email_config_id",
                                            "parent_id",
                                            "attachments",
                                            "twitter_id",
                                            "facebook_id",
                                            "unique_external_id",
                                            "internal_agent_id",
                                            "internal_group_id",
                                            NULL};
static const char *const create_only[] = {"cc_emails", NULL};
static const char *const custom_names[] = {"cf_order_number", "cf_plan",         "cf_vip",
                                           "cf_seats",        "cf_renewal_date", NULL};

static bool is_in(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (!strcmp(*list, s))
            return true;
    return false;
}

static bool bad(struct sim_req *r, const char *field, const char *code, const char *msg)
{
    sim_reply_field(r, 400, field, code, msg);
    return false;
}

static bool check_custom(struct sim_req *r, cJSON *cf)
{
    if (!cJSON_IsObject(cf))
        return bad(r, "custom_fields", "datatype_mismatch", "It should be a/an key/value pair");
    for (cJSON *c = cf->child; c; c = c->next) {
        if (!is_in(custom_names, c->string))
            return bad(r, c->string, "invalid_field", "Unexpected/invalid field in request");
        if (cJSON_IsNull(c))
            continue;
        bool ok = !strcmp(c->string, "cf_vip")     ? cJSON_IsBool(c)
                  : !strcmp(c->string, "cf_seats") ? cJSON_IsNumber(c)
                                                   : cJSON_IsString(c);
        if (!ok)
            return bad(r, c->string, "datatype_mismatch", "It should be of the right type");
        if (!strcmp(c->string, "cf_plan") &&
            !is_in((const char *const[]){"Free", "Growth", "Pro", "Enterprise", NULL},
                   c->valuestring))
            return bad(r, c->string, "invalid_value",
                       "It should be one of these values: 'Free,Growth,Pro,Enterprise'");
    }
    return true;
}

static bool check_int(struct sim_req *r, cJSON *v, const char *field, int lo, int hi,
                      const char *choices)
{
    char msg[128];
    if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int)v->valuedouble)
        return bad(r, field, "datatype_mismatch", "It should be a/an Integer");
    if (v->valueint < lo || v->valueint > hi) {
        snprintf(msg, sizeof msg, "It should be one of these values: '%s'", choices);
        return bad(r, field, "invalid_value", msg);
    }
    return true;
}

static bool check_id(struct sim_req *r, cJSON *v, const char *field, bool ok_value)
{
    if (cJSON_IsNull(v))
        return true;
    if (!cJSON_IsNumber(v))
        return bad(r, field, "datatype_mismatch", "It should be a/an Positive Integer");
    if (!ok_value)
        return bad(r, field, "invalid_value", "There is no record matching the given id");
    return true;
}

static bool check_one(struct sim_req *r, cJSON *f)
{
    struct sim *sim = r->sim;
    const char *k = f->string;
    int64_t t;
    if (!strcmp(k, "status"))
        return check_int(r, f, k, 2, 7, "2,3,4,5,6,7");
    if (!strcmp(k, "priority"))
        return check_int(r, f, k, 1, 4, "1,2,3,4");
    if (!strcmp(k, "source"))
        return check_int(r, f, k, 1, 13, "1,2,3,5,6,7,9,11,10");
    if (!strcmp(k, "type")) {
        if (!cJSON_IsNull(f) && !(cJSON_IsString(f) && is_in(ticket_types, f->valuestring)))
            return bad(r, k, "invalid_value",
                       "It should be one of these values: 'Question,Incident,Problem,Feature "
                       "Request,Refund'");
        return true;
    }
    if (!strcmp(k, "responder_id"))
        return check_id(r, f, k,
                        cJSON_IsNumber(f) && sim_agent_index(sim, (int64_t)f->valuedouble) >= 0);
    if (!strcmp(k, "group_id"))
        return check_id(r, f, k,
                        cJSON_IsNumber(f) && sim_group_index(sim, (int64_t)f->valuedouble) >= 0);
    if (!strcmp(k, "company_id"))
        return check_id(r, f, k,
                        cJSON_IsNumber(f) && sim_company_index(sim, (int64_t)f->valuedouble) >= 0);
    if (!strcmp(k, "requester_id"))
        return check_id(r, f, k,
                        cJSON_IsNumber(f) && sim_contact_index(sim, (int64_t)f->valuedouble) >= 0);
    if (!strcmp(k, "subject") || !strcmp(k, "description") || !strcmp(k, "name") ||
        !strcmp(k, "email") || !strcmp(k, "phone")) {
        if (!cJSON_IsString(f))
            return bad(r, k, "datatype_mismatch", "It should be a/an String");
        return true;
    }
    if (!strcmp(k, "due_by") || !strcmp(k, "fr_due_by")) {
        if (!cJSON_IsNull(f) && !(cJSON_IsString(f) && !sim_parse_time(f->valuestring, &t)))
            return bad(r, k, "invalid_value", "It should be in the 'valid date time' format");
        return true;
    }
    if (!strcmp(k, "tags") || !strcmp(k, "cc_emails")) {
        cJSON *e;
        if (!cJSON_IsArray(f))
            return bad(r, k, "datatype_mismatch", "It should be a/an Array");
        cJSON_ArrayForEach(e, f) if (!cJSON_IsString(e)) return bad(
            r, k, "datatype_mismatch", "It should contain elements of type String only");
        return true;
    }
    if (!strcmp(k, "custom_fields"))
        return check_custom(r, f);
    if (!strcmp(k, "attachments")) {
        if (!cJSON_IsArray(f))
            return bad(r, k, "datatype_mismatch", "It should be a/an Array");
        return true;
    }
    return true;
}

bool sim_ticket_validate(struct sim_req *r, cJSON *b, bool create)
{
    for (cJSON *f = b->child; f; f = f->next) {
        if (!is_in(update_fields, f->string) && !(create && is_in(create_only, f->string)))
            return bad(r, f->string, "invalid_field", "Unexpected/invalid field in request");
        if (!check_one(r, f))
            return false;
    }
    if (create &&
        (cJSON_GetObjectItem(b, "due_by") != NULL) != (cJSON_GetObjectItem(b, "fr_due_by") != NULL))
        return bad(r, cJSON_GetObjectItem(b, "due_by") ? "fr_due_by" : "due_by", "missing_field",
                   "Should not be blank if due_by/fr_due_by is given");
    return true;
}

static void set_over(struct sim_ticket *t, const char *key, cJSON *v)
{
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    if (!e->over)
        e->over = cJSON_CreateObject();
    cJSON_DeleteItemFromObjectCaseSensitive(e->over, key);
    cJSON_AddItemToObject(e->over, key, v);
}

static void apply_custom(struct sim *sim, struct sim_ticket *t, cJSON *cf)
{
    cJSON *cur = sim_ticket_custom_fields(sim, t);
    for (cJSON *c = cf->child; c; c = c->next)
        cJSON_ReplaceItemInObjectCaseSensitive(cur, c->string, cJSON_Duplicate(c, true));
    set_over(t, "custom_fields", cur);
}

static int64_t time_or_zero(cJSON *v)
{
    int64_t t = 0;
    if (cJSON_IsString(v))
        sim_parse_time(v->valuestring, &t);
    return t;
}

void sim_ticket_apply(struct sim *sim, struct sim_ticket *t, cJSON *b)
{
    for (cJSON *f = b->child; f; f = f->next) {
        const char *k = f->string;
        bool num = cJSON_IsNumber(f);
        int64_t id = num ? (int64_t)f->valuedouble : 0;
        if (!strcmp(k, "status") && num && f->valueint != t->status) {
            t->status = (int8_t)f->valueint;
            sim_ticket_ext(t)->status_updated_at = sim_now(sim);
        } else if (!strcmp(k, "priority") && num) {
            t->priority = (int8_t)f->valueint;
        } else if (!strcmp(k, "source") && num) {
            t->source = (int8_t)f->valueint;
        } else if (!strcmp(k, "type")) {
            t->type = -1;
            for (int i = 0; i < 5 && cJSON_IsString(f); i++)
                if (!strcmp(ticket_types[i], f->valuestring))
                    t->type = (int8_t)i;
        } else if (!strcmp(k, "responder_id")) {
            t->responder = (int16_t)(num ? sim_agent_index(sim, id) : -1);
        } else if (!strcmp(k, "group_id")) {
            t->group = (int8_t)(num ? sim_group_index(sim, id) : -1);
        } else if (!strcmp(k, "company_id")) {
            t->company = (int32_t)(num ? sim_company_index(sim, id) : -1);
        } else if (!strcmp(k, "requester_id") && num && sim_contact_index(sim, id) >= 0) {
            t->requester = (int32_t)sim_contact_index(sim, id);
            t->company = sim->contacts[t->requester].company;
        } else if (!strcmp(k, "due_by")) {
            t->due_by = time_or_zero(f);
        } else if (!strcmp(k, "fr_due_by")) {
            t->fr_due_by = time_or_zero(f);
        } else if (!strcmp(k, "subject") || !strcmp(k, "tags") || !strcmp(k, "cc_emails")) {
            set_over(t, k, cJSON_Duplicate(f, true));
        } else if (!strcmp(k, "description") && cJSON_IsString(f)) {
            set_over(t, "description", cJSON_Duplicate(f, true));
            set_over(t, "description_text", cJSON_CreateString(""));
            char *text = sim_html_to_text(f->valuestring);
            set_over(t, "description_text", cJSON_CreateString(text));
            free(text);
        } else if (!strcmp(k, "custom_fields") && cJSON_IsObject(f)) {
            apply_custom(sim, t, f);
        }
    }
    if (t->status == 4 || t->status == 5)
        t->flags &= (uint8_t) ~(SIM_T_ESCALATED | SIM_T_FR_ESCALATED);
}

cJSON *sim_attachment_json(struct sim *sim, long idx, const char *base)
{
    struct sim_attachment *a = &sim->attachments[idx];
    char url[512];
    cJSON *o = cJSON_CreateObject();
    sim_attachment_url(sim, a->id, base, url, sizeof url);
    cJSON_AddNumberToObject(o, "id", (double)a->id);
    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddStringToObject(o, "content_type", a->content_type);
    cJSON_AddNumberToObject(o, "size", (double)a->size);
    cJSON_AddStringToObject(o, "attachment_url", url);
    cJSON_AddItemToObject(o, "created_at", sim_json_time(a->created_at));
    cJSON_AddItemToObject(o, "updated_at", sim_json_time(a->created_at));
    return o;
}
