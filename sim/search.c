/* search.c: GET /search/tickets|contacts|companies?query="...". The query language: field:value
 * terms (numbers, 'quoted strings', null, true/false), `:>` and `:<` meaning >= and <= on numbers
 * and 'YYYY-MM-DD' dates, AND / OR with AND binding tighter, parentheses. The whole query is
 * wrapped in double quotes and at most 512 characters. 30 results per page, pages 1-10,
 * answered as {"results":[...],"total":N}.
 */
#include "sim/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

enum node_kind { N_TERM, N_AND, N_OR };
enum value_kind { V_NULL, V_NUM, V_STR, V_BOOL };

struct sim_query {
    enum node_kind kind;
    struct sim_query *a, *b;
    char field[64];
    int op; /* 0 equal, 1 >=, 2 <= */
    enum value_kind vkind;
    double num;
    char *str;
};

static const char *const ticket_fields[] = {"status",
                                            "priority",
                                            "type",
                                            "tag",
                                            "agent_id",
                                            "group_id",
                                            "requester_id",
                                            "company_id",
                                            "created_at",
                                            "updated_at",
                                            "due_by",
                                            "fr_due_by",
                                            "source",
                                            "cf_order_number",
                                            "cf_plan",
                                            "cf_vip",
                                            "cf_seats",
                                            "cf_renewal_date",
                                            NULL};

struct parser {
    const char *p;
    const char *const *fields;
    char *err;
    size_t errlen;
};

static void skip_space(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static bool keyword(struct parser *ps, const char *kw)
{
    size_t n = strlen(kw);
    skip_space(ps);
    if (strncmp(ps->p, kw, n) || (ps->p[n] && ps->p[n] != ' ' && ps->p[n] != '('))
        return false;
    ps->p += n;
    return true;
}

static struct sim_query *parse_or(struct parser *ps);

static struct sim_query *fail(struct parser *ps, const char *msg)
{
    if (!*ps->err)
        snprintf(ps->err, ps->errlen, "%s", msg);
    return NULL;
}

static int parse_value(struct parser *ps, struct sim_query *q)
{
    const char *p = ps->p;
    if (*p == '\'') {
        const char *e = strchr(p + 1, '\'');
        if (!e)
            return -1;
        q->vkind = V_STR;
        q->str = strndup(p + 1, (size_t)(e - p - 1));
        ps->p = e + 1;
        return 0;
    }
    size_t n = 0;
    while (p[n] && p[n] != ' ' && p[n] != ')' && p[n] != '(')
        n++;
    if (n == 0)
        return -1;
    char *w = strndup(p, n), *end;
    ps->p += n;
    if (!strcmp(w, "null"))
        q->vkind = V_NULL;
    else if (!strcmp(w, "true") || !strcmp(w, "false")) {
        q->vkind = V_BOOL;
        q->num = !strcmp(w, "true");
    } else {
        q->num = strtod(w, &end);
        q->vkind = V_NUM;
        if (*end) {
            free(w);
            return -1;
        }
    }
    free(w);
    return 0;
}

static struct sim_query *parse_term(struct parser *ps)
{
    struct sim_query *q;
    size_t n = 0;
    skip_space(ps);
    if (*ps->p == '(') {
        ps->p++;
        q = parse_or(ps);
        skip_space(ps);
        if (!q || *ps->p != ')') {
            sim_query_free(q);
            return fail(ps, "Unbalanced parentheses");
        }
        ps->p++;
        return q;
    }
    while (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_')
        n++;
    if (n == 0 || n >= 64 || ps->p[n] != ':')
        return fail(ps, "Expected field:value");
    q = calloc(1, sizeof *q);
    q->kind = N_TERM;
    memcpy(q->field, ps->p, n);
    bool known = false;
    for (const char *const *f = ps->fields; *f; f++)
        known = known || !strcmp(*f, q->field);
    if (!known) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s is not a valid search field", q->field);
        free(q);
        return fail(ps, msg);
    }
    ps->p += n + 1;
    if (*ps->p == '>' || *ps->p == '<')
        q->op = *ps->p++ == '>' ? 1 : 2;
    if (parse_value(ps, q) < 0) {
        sim_query_free(q);
        return fail(ps, "Invalid value in query");
    }
    return q;
}

static struct sim_query *join(enum node_kind k, struct sim_query *a, struct sim_query *b)
{
    struct sim_query *q = calloc(1, sizeof *q);
    q->kind = k;
    q->a = a;
    q->b = b;
    return q;
}

static struct sim_query *parse_and(struct parser *ps)
{
    struct sim_query *q = parse_term(ps);
    while (q && keyword(ps, "AND")) {
        struct sim_query *r = parse_term(ps);
        if (!r) {
            sim_query_free(q);
            return NULL;
        }
        q = join(N_AND, q, r);
    }
    return q;
}

static struct sim_query *parse_or(struct parser *ps)
{
    struct sim_query *q = parse_and(ps);
    while (q && keyword(ps, "OR")) {
        struct sim_query *r = parse_and(ps);
        if (!r) {
            sim_query_free(q);
            return NULL;
        }
        q = join(N_OR, q, r);
    }
    return q;
}

struct sim_query *sim_query_parse(const char *s, const char *const *fields, char *err,
                                  size_t errlen)
{
    struct parser ps = {s, fields ? fields : ticket_fields, err, errlen};
    *err = '\0';
    struct sim_query *q = parse_or(&ps);
    skip_space(&ps);
    if (q && *ps.p) {
        sim_query_free(q);
        return fail(&ps, "Unexpected text in query");
    }
    return q;
}

void sim_query_free(struct sim_query *q)
{
    if (!q)
        return;
    sim_query_free(q->a);
    sim_query_free(q->b);
    free(q->str);
    free(q);
}

static bool cmp_num(const struct sim_query *q, bool present, double v)
{
    if (q->vkind == V_NULL)
        return !present;
    if (!present || (q->vkind != V_NUM && q->vkind != V_BOOL))
        return false;
    return q->op == 1 ? v >= q->num : q->op == 2 ? v <= q->num : v == q->num;
}

static bool cmp_date(const struct sim_query *q, int64_t t)
{
    int64_t d;
    if (q->vkind == V_NULL)
        return t == 0;
    if (q->vkind != V_STR || !t || sim_parse_time(q->str, &d))
        return false;
    return q->op == 1 ? t >= d : q->op == 2 ? t < d + DAY : (t >= d && t < d + DAY);
}

static bool cmp_json(const struct sim_query *q, cJSON *v)
{
    if (!v || cJSON_IsNull(v))
        return q->vkind == V_NULL;
    if (cJSON_IsString(v)) {
        if (q->vkind != V_STR)
            return false;
        int64_t a, b;
        if (q->op && !sim_parse_time(v->valuestring, &a) && !sim_parse_time(q->str, &b))
            return q->op == 1 ? a >= b : a <= b;
        return !strcasecmp(v->valuestring, q->str);
    }
    if (cJSON_IsBool(v))
        return q->vkind == V_BOOL && (q->num != 0) == cJSON_IsTrue(v);
    return cmp_num(q, true, v->valuedouble);
}

static bool term_match(struct sim *sim, const struct sim_query *q, struct sim_ticket *t)
{
    static const char *const types[] = {"Question", "Incident", "Problem", "Feature Request",
                                        "Refund"};
    const char *f = q->field;
    if (!strcmp(f, "status"))
        return cmp_num(q, true, t->status);
    if (!strcmp(f, "priority"))
        return cmp_num(q, true, t->priority);
    if (!strcmp(f, "source"))
        return cmp_num(q, true, t->source);
    if (!strcmp(f, "agent_id"))
        return cmp_num(q, t->responder >= 0,
                       t->responder >= 0 ? (double)sim->agents[t->responder].id : 0);
    if (!strcmp(f, "group_id"))
        return cmp_num(q, t->group >= 0, (double)sim_group_id(t->group));
    if (!strcmp(f, "requester_id"))
        return cmp_num(q, true, (double)sim_contact_id(t->requester));
    if (!strcmp(f, "company_id"))
        return cmp_num(q, t->company >= 0, (double)sim_company_id(t->company));
    if (!strcmp(f, "created_at"))
        return cmp_date(q, t->created_at);
    if (!strcmp(f, "updated_at"))
        return cmp_date(q, t->updated_at);
    if (!strcmp(f, "due_by"))
        return cmp_date(q, t->due_by);
    if (!strcmp(f, "fr_due_by"))
        return cmp_date(q, t->fr_due_by);
    if (!strcmp(f, "type"))
        return q->vkind == V_NULL
                   ? t->type < 0
                   : (q->vkind == V_STR && t->type >= 0 && !strcasecmp(types[t->type], q->str));
    bool hit = false;
    if (!strcmp(f, "tag")) {
        cJSON *tags = sim_ticket_tags(sim, t), *e;
        cJSON_ArrayForEach(e, tags) hit = hit || cmp_json(q, e);
        if (q->vkind == V_NULL)
            hit = cJSON_GetArraySize(tags) == 0;
        cJSON_Delete(tags);
        return hit;
    }
    cJSON *cf = sim_ticket_custom_fields(sim, t);
    hit = cmp_json(q, cJSON_GetObjectItemCaseSensitive(cf, f));
    cJSON_Delete(cf);
    return hit;
}

bool sim_query_match(struct sim *sim, const struct sim_query *q, struct sim_ticket *t)
{
    switch (q->kind) {
    case N_AND:
        return sim_query_match(sim, q->a, t) && sim_query_match(sim, q->b, t);
    case N_OR:
        return sim_query_match(sim, q->a, t) || sim_query_match(sim, q->b, t);
    default:
        return term_match(sim, q, t);
    }
}

/* A term on a rendered contact or company: dates by day, arrays (tags, domains) by any element. */
static bool json_term(const struct sim_query *q, cJSON *obj)
{
    const char *f = q->field;
    size_t n = strlen(f);
    if (!strcmp(f, "tag") || !strcmp(f, "domain")) {
        cJSON *arr = cJSON_GetObjectItem(obj, f[0] == 't' ? "tags" : "domains"), *e;
        bool hit = q->vkind == V_NULL && cJSON_GetArraySize(arr) == 0;
        cJSON_ArrayForEach(e, arr) hit = hit || cmp_json(q, e);
        return hit;
    }
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f);
    if (!v && !strncmp(f, "cf_", 3))
        v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(obj, "custom_fields"), f + 3);
    if (n > 3 && !strcmp(f + n - 3, "_at")) {
        int64_t t = 0;
        if (cJSON_IsString(v))
            sim_parse_time(v->valuestring, &t);
        return cmp_date(q, t);
    }
    return cmp_json(q, v);
}

static bool json_match(const struct sim_query *q, cJSON *obj)
{
    switch (q->kind) {
    case N_AND:
        return json_match(q->a, obj) && json_match(q->b, obj);
    case N_OR:
        return json_match(q->a, obj) || json_match(q->b, obj);
    default:
        return json_term(q, obj);
    }
}

static const char *const contact_fields[] = {"email",      "name",       "phone",      "mobile",
                                             "company_id", "language",   "time_zone",  "active",
                                             "tag",        "created_at", "updated_at", NULL};
static const char *const company_fields[] = {
    "name", "domain", "industry", "health_score", "account_tier", "created_at", "updated_at", NULL};

/* Parses the quoted query; NULL having replied 400. */
static struct sim_query *parse_request(struct sim_req *r, const char *const *fields)
{
    static const char *const allowed[] = {"query", "page", NULL};
    const char *raw = sim_arg(r, "query");
    char err[160];
    if (sim_reject_unknown_args(r, allowed))
        return NULL;
    if (!raw || !*raw) {
        sim_reply_field(r, 400, "query", "missing_field", "It should be a/an String");
        return NULL;
    }
    size_t len = strlen(raw);
    if (len > 512) {
        sim_reply_field(r, 400, "query", "invalid_value",
                        "It should not be more than 512 characters");
        return NULL;
    }
    if (len < 2 || raw[0] != '"' || raw[len - 1] != '"') {
        sim_reply_field(r, 400, "query", "invalid_value", "It should be enclosed in double quotes");
        return NULL;
    }
    char *inner = strndup(raw + 1, len - 2);
    struct sim_query *q = sim_query_parse(inner, fields, err, sizeof err);
    free(inner);
    if (!q)
        sim_reply_field(r, 400, "query", "invalid_value", err);
    return q;
}

/* kind: 0 tickets, 1 contacts, 2 companies */
static void search(struct sim_req *r, int kind)
{
    struct sim *sim = r->sim;
    long page, per_page, total = 0;
    if (sim_page_params(r, &page, &per_page, 10, 30) < 0)
        return;
    struct sim_query *q = parse_request(r, kind == 0   ? ticket_fields
                                           : kind == 1 ? contact_fields
                                                       : company_fields);
    if (!q)
        return;
    cJSON *out = cJSON_CreateObject(), *results = cJSON_AddArrayToObject(out, "results");
    long skip = (page - 1) * per_page, n = kind == 0   ? sim->nticket
                                           : kind == 1 ? sim->ncontact
                                                       : sim->ncompany;
    for (long k = n - 1; k >= 0; k--) {
        bool hit;
        cJSON *obj = NULL;
        if (kind == 0) {
            struct sim_ticket *t = &sim->tickets[sim->by_updated[k]];
            hit = sim_ticket_visible(t) && sim_query_match(sim, q, t);
            if (hit && total >= skip && total < skip + per_page)
                obj = sim_render_ticket(sim, t, false, 0);
        } else {
            if (kind == 1 && sim->contacts[k].deleted)
                continue;
            obj = kind == 1 ? sim_render_contact(sim, k) : sim_render_company(sim, k);
            hit = json_match(q, obj);
            if (!hit || total < skip || total >= skip + per_page) {
                cJSON_Delete(obj);
                obj = NULL;
            }
        }
        if (obj)
            cJSON_AddItemToArray(results, obj);
        total += hit;
    }
    sim_query_free(q);
    cJSON_AddNumberToObject(out, "total", (double)total);
    sim_reply_json(r, 200, out);
}

bool sim_api_search(struct sim_req *r, char **seg, int n)
{
    static const char *const kinds[] = {"tickets", "contacts", "companies"};
    if (strcmp(seg[0], "search") || n != 2)
        return false;
    for (int k = 0; k < 3; k++) {
        if (strcmp(seg[1], kinds[k]))
            continue;
        if (strcmp(r->method, "GET"))
            sim_reply_405(r, "GET");
        else
            search(r, k);
        return true;
    }
    return false;
}
