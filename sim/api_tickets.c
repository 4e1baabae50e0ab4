/* api_tickets.c: reading tickets. GET /tickets (filters, the 30-day default window,
 * updated_since, order_by/order_type, include=, paging with the 300-page cap), GET
 * /tickets/{id} with include=, GET /tickets/{id}/conversations and /watchers, and the
 * routing of every /tickets path (405 for a method the path does not take).
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

#define DAY      86400
#define PAGE_CAP 300

struct list_query {
    int filter; /* 0 none, 1 new_and_my_open, 2 watching, 3 spam, 4 deleted */
    int64_t since;
    bool has_since;
    long requester, company; /* -1 = any; -2 = matches nothing */
    int order;               /* 0 created_at, 1 due_by, 2 updated_at, 3 status */
    bool asc;
    int64_t window_start;
};

static bool watched_by_me(struct sim *sim, struct sim_ticket *t)
{
    if (!t->ext)
        return false;
    for (int i = 0; i < t->ext->nwatchers; i++)
        if (t->ext->watchers[i] == sim->agents[0].id)
            return true;
    return false;
}

static bool list_match(struct sim *sim, const struct list_query *q, struct sim_ticket *t)
{
    if (q->has_since ? t->updated_at < q->since : t->created_at < q->window_start)
        return false;
    switch (q->filter) {
    case 3:
        if (!(t->flags & SIM_T_SPAM))
            return false;
        break;
    case 4:
        if (!(t->flags & SIM_T_DELETED))
            return false;
        break;
    default:
        if (!sim_ticket_visible(t))
            return false;
    }
    if (q->filter == 1 && !(t->status == 2 && (t->responder == 0 || t->responder < 0)))
        return false;
    if (q->filter == 2 && !watched_by_me(sim, t))
        return false;
    if (q->requester != -1 && t->requester != q->requester)
        return false;
    if (q->company != -1 && t->company != q->company)
        return false;
    return true;
}

static int parse_list_query(struct sim_req *r, struct list_query *q)
{
    static const char *const filters[] = {"new_and_my_open", "watching", "spam", "deleted"};
    static const char *const orders[] = {"created_at", "due_by", "updated_at", "status"};
    struct sim *sim = r->sim;
    const char *v;
    int64_t id;
    memset(q, 0, sizeof *q);
    q->requester = q->company = -1;
    q->window_start = sim_now(sim) - 30L * DAY;
    if ((v = sim_arg(r, "filter"))) {
        for (int i = 0; i < 4; i++)
            if (!strcmp(v, filters[i]))
                q->filter = i + 1;
        if (!q->filter) {
            sim_reply_field(r, 400, "filter", "invalid_value",
                            "It should be one of these values: "
                            "'new_and_my_open,watching,spam,deleted'");
            return -1;
        }
    }
    if ((v = sim_arg(r, "updated_since"))) {
        if (sim_parse_time(v, &q->since)) {
            sim_reply_field(r, 400, "updated_since", "invalid_value",
                            "It should be in the 'valid date time' format");
            return -1;
        }
        q->has_since = true;
    }
    if ((v = sim_arg(r, "order_by"))) {
        q->order = -1;
        for (int i = 0; i < 4; i++)
            if (!strcmp(v, orders[i]))
                q->order = i;
        if (q->order < 0) {
            sim_reply_field(
                r, 400, "order_by", "invalid_value",
                "It should be one of these values: 'created_at,due_by,updated_at,status'");
            return -1;
        }
    }
    if ((v = sim_arg(r, "order_type"))) {
        if (strcmp(v, "asc") && strcmp(v, "desc")) {
            sim_reply_field(r, 400, "order_type", "invalid_value",
                            "It should be one of these values: 'asc,desc'");
            return -1;
        }
        q->asc = !strcmp(v, "asc");
    }
    if ((v = sim_arg(r, "requester_id"))) {
        if (!sim_parse_id(v, &id)) {
            sim_reply_field(r, 400, "requester_id", "datatype_mismatch",
                            "It should be a Positive Integer");
            return -1;
        }
        q->requester = sim_contact_index(sim, id);
        if (q->requester < 0)
            q->requester = -2;
    }
    if ((v = sim_arg(r, "email"))) {
        long c = sim_contact_by_email(sim, v);
        q->requester = c >= 0 ? c : -2;
    }
    if ((v = sim_arg(r, "unique_external_id")))
        q->requester = -2; /* no generated contact has one */
    if ((v = sim_arg(r, "company_id"))) {
        if (!sim_parse_id(v, &id)) {
            sim_reply_field(r, 400, "company_id", "datatype_mismatch",
                            "It should be a Positive Integer");
            return -1;
        }
        q->company = sim_company_index(sim, id);
        if (q->company < 0)
            q->company = -2;
    }
    return 0;
}

static const struct sim *sort_sim;
static int sort_order;
static bool sort_asc;
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int cmp_key(const void *a, const void *b)
{
    const struct sim_ticket *x = &sort_sim->tickets[*(const long *)a];
    const struct sim_ticket *y = &sort_sim->tickets[*(const long *)b];
    int64_t kx = sort_order == 1 ? x->due_by : x->status,
            ky = sort_order == 1 ? y->due_by : y->status;
    int c = kx < ky ? -1 : kx > ky;
    if (c == 0)
        c = x->id < y->id ? -1 : x->id > y->id;
    return sort_asc ? c : -c;
}

/* Fills idx with the matching ticket indexes in the requested order, from position `skip`,
 * at most `want` of them; returns how many matched past the page too (capped at want+1). */
static long collect(struct sim *sim, const struct list_query *q, long skip, long want, long *idx)
{
    long n = sim->nticket, found = 0, got = 0;
    if (q->order == 0 || q->order == 2) {
        for (long k = 0; k < n && got <= want; k++) {
            long pos = q->asc ? k : n - 1 - k;
            long ti = q->order == 0 ? pos : sim->by_updated[pos];
            if (!list_match(sim, q, &sim->tickets[ti]))
                continue;
            if (found++ >= skip) {
                if (got < want)
                    idx[got] = ti;
                got++;
            }
        }
        return got;
    }
    long *all = malloc((size_t)(n ? n : 1) * sizeof *all), m = 0;
    for (long i = 0; i < n; i++)
        if (list_match(sim, q, &sim->tickets[i]))
            all[m++] = i;
    pthread_mutex_lock(&sort_lock);
    sort_sim = sim;
    sort_order = q->order;
    sort_asc = q->asc;
    qsort(all, (size_t)m, sizeof *all, cmp_key);
    pthread_mutex_unlock(&sort_lock);
    for (long i = skip; i < m && got <= want; i++) {
        if (got < want)
            idx[got] = all[i];
        got++;
    }
    free(all);
    return got;
}

static void list_tickets(struct sim_req *r)
{
    static const char *const allowed[] = {
        "filter",     "requester_id",  "email",    "unique_external_id",
        "company_id", "updated_since", "order_by", "order_type",
        "include",    "page",          "per_page", NULL};
    static const char *const inc_names[] = {"requester", "company", "stats", "description", NULL};
    static const int inc_bits[] = {SIM_INC_REQUESTER, SIM_INC_COMPANY, SIM_INC_STATS,
                                   SIM_INC_DESCRIPTION};
    struct list_query q;
    long page, per_page;
    int ninc, inc;
    if (sim_reject_unknown_args(r, allowed) || parse_list_query(r, &q) < 0 ||
        (inc = sim_parse_includes(r, inc_names, inc_bits, &ninc)) < 0 ||
        sim_page_params(r, &page, &per_page, PAGE_CAP, 0) < 0)
        return;
    r->credits = 1 + 2 * ninc;
    long idx[101];
    long got = collect(r->sim, &q, (page - 1) * per_page, per_page, idx);
    cJSON *arr = cJSON_CreateArray();
    for (long i = 0; i < got && i < per_page; i++)
        cJSON_AddItemToArray(arr, sim_render_ticket(r->sim, &r->sim->tickets[idx[i]], false, inc));
    if (got > per_page && page < PAGE_CAP)
        sim_link_next(r, page);
    sim_reply_json(r, 200, arr);
}

static void view_ticket(struct sim_req *r, struct sim_ticket *t)
{
    static const char *const inc_names[] = {"conversations", "requester", "company", "stats", NULL};
    static const int inc_bits[] = {SIM_INC_CONVERSATIONS, SIM_INC_REQUESTER, SIM_INC_COMPANY,
                                   SIM_INC_STATS};
    static const char *const allowed[] = {"include", NULL};
    int ninc, inc;
    if (sim_reject_unknown_args(r, allowed) ||
        (inc = sim_parse_includes(r, inc_names, inc_bits, &ninc)) < 0)
        return;
    r->credits = 1 + ninc;
    sim_reply_json(r, 200, sim_render_ticket(r->sim, t, true, inc));
}

static void list_watchers(struct sim_req *r, struct sim_ticket *t)
{
    cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "watcher_ids");
    for (int i = 0; t->ext && i < t->ext->nwatchers; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)t->ext->watchers[i]));
    sim_reply_json(r, 200, o);
}

/* The methods each /tickets path shape takes, for 405. */
static const char *allowed_methods(char **seg, int n, bool numeric)
{
    if (n == 1)
        return "GET, POST";
    if (n == 2 && numeric)
        return "GET, PUT, DELETE";
    if (n == 2 && (!strcmp(seg[1], "bulk_update") || !strcmp(seg[1], "bulk_delete") ||
                   !strcmp(seg[1], "outbound_email")))
        return "POST";
    if (n == 2 && (!strcmp(seg[1], "merge") || !strcmp(seg[1], "bulk_watch") ||
                   !strcmp(seg[1], "bulk_unwatch")))
        return "PUT";
    if (n == 3 && numeric) {
        static const char *const map[][2] = {
            {"conversations", "GET"}, {"watchers", "GET"}, {"reply", "POST"},  {"notes", "POST"},
            {"forward", "POST"},      {"watch", "POST"},   {"restore", "PUT"}, {"unwatch", "PUT"},
        };
        for (size_t i = 0; i < sizeof map / sizeof *map; i++)
            if (!strcmp(seg[2], map[i][0]))
                return map[i][1];
    }
    return NULL;
}

bool sim_api_tickets(struct sim_req *r, char **seg, int n)
{
    int64_t id = 0;
    if (strcmp(seg[0], "tickets") || n > 3)
        return false;
    bool numeric = n >= 2 && sim_parse_id(seg[1], &id);
    const char *allowed = allowed_methods(seg, n, numeric);
    if (!allowed)
        return false;
    bool get = !strcmp(r->method, "GET");
    if (get && n == 1) {
        list_tickets(r);
        return true;
    }
    if (get && numeric) {
        struct sim_ticket *t = sim_ticket_find(r->sim, id);
        if (!t)
            sim_reply_empty(r, 404);
        else if (n == 2)
            view_ticket(r, t);
        else if (!strcmp(seg[2], "conversations"))
            sim_reply_page(r, sim_convs_get(r->sim, t));
        else if (!strcmp(seg[2], "watchers"))
            list_watchers(r, t);
        else
            sim_reply_405(r, allowed);
        return true;
    }
    if (!get && sim_api_ticket_writes(r, seg, n))
        return true;
    sim_reply_405(r, allowed);
    return true;
}
