/* admin.c: the test hooks under /__sim/ (served only with --admin, no auth): act on tickets
 * as a customer or another agent would, read the counters and every write body received,
 * count tickets changed since a time, change the faults while running, and serve uploaded
 * attachments at their attachment_url. Also the --activity thread that keeps the account
 * alive for the demo and the incremental-sync tests.
 */
#include "sim/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const customer_says[] = {
    "<div>Any update on this? 🙏</div>",
    "<div>Still broken for me — tried again this morning.</div>",
    "<div>Merci, c'est réglé !</div>",
    "<div>请尽快回复，谢谢。</div>",
    "<div>هل هناك أي تحديث؟</div>",
    "<div>עדיין לא קיבלתי תשובה.</div>",
};

static struct sim_ticket *new_ticket(struct sim *sim, const char *subject, const char *html,
                                     long requester)
{
    struct sim_ticket *t = sim_ticket_add(sim);
    int64_t now = sim_now(sim);
    char *text = sim_html_to_text(html);
    t->created_at = now;
    t->requester = (int32_t)requester;
    t->company = sim->contacts[requester].company;
    t->status = 2;
    t->priority = 2;
    t->source = 1;
    t->due_by = now + 2 * 86400;
    t->fr_due_by = now + 4 * 3600;
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    e->over = cJSON_CreateObject();
    cJSON_AddStringToObject(e->over, "subject", subject);
    cJSON_AddStringToObject(e->over, "description", html);
    cJSON_AddStringToObject(e->over, "description_text", text);
    cJSON_AddItemToObject(e->over, "tags", cJSON_CreateArray());
    e->convs = cJSON_CreateArray();
    free(text);
    sim_ticket_set_updated(sim, t, now);
    return t;
}

static void stats(struct sim_req *r)
{
    struct sim *sim = r->sim;
    cJSON *o = cJSON_CreateObject(), *bs;
    cJSON_AddNumberToObject(o, "requests", (double)sim->stats.requests);
    bs = cJSON_AddObjectToObject(o, "by_status");
    for (int i = 100; i < 600; i++)
        if (sim->stats.by_status[i]) {
            char k[8];
            snprintf(k, sizeof k, "%d", i);
            cJSON_AddNumberToObject(bs, k, (double)sim->stats.by_status[i]);
        }
    cJSON_AddNumberToObject(o, "replies", (double)sim->stats.replies);
    cJSON_AddNumberToObject(o, "notes", (double)sim->stats.notes);
    cJSON_AddNumberToObject(o, "early_retries", (double)sim->stats.early_retries);
    cJSON_AddNumberToObject(o, "credits_used", (double)sim->stats.credits_used);
    cJSON_AddNumberToObject(o, "tickets", (double)sim->nticket);
    sim_reply_json(r, 200, o);
}

static void count(struct sim_req *r)
{
    struct sim *sim = r->sim;
    const char *since = sim_arg(r, "updated_since"), *before = sim_arg(r, "updated_before");
    const char *unresolved = sim_arg(r, "unresolved");
    int64_t t = 0, end = INT64_MAX;
    long n = 0;
    bool bad_since = since && sim_parse_time(since, &t) != 0;
    if (bad_since || (before && sim_parse_time(before, &end) != 0)) {
        sim_reply_field(r, 400, bad_since ? "updated_since" : "updated_before", "invalid_value",
                        "It should be a date time");
        return;
    }
    for (long i = 0; i < sim->nticket; i++) {
        const struct sim_ticket *tk = &sim->tickets[i];
        if (sim_ticket_visible(tk) && tk->updated_at >= t && tk->updated_at < end &&
            !(unresolved && !strcmp(unresolved, "true") && (tk->status == 4 || tk->status == 5)))
            n++;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "count", (double)n);
    sim_reply_json(r, 200, o);
}

static void set_faults(struct sim_req *r, cJSON *b)
{
    struct sim_options *o = &r->sim->opts;
    static const char *const rates[] = {"fail_500", "drop", "stall", "throttle"};
    double *targets[] = {&o->faults.fail_500, &o->faults.drop, &o->faults.stall,
                         &o->faults.throttle};
    const char *ints[] = {
        "latency_ms",      "jitter_ms",         "stall_ms",          "rate_limit",
        "list_rate_limit", "create_rate_limit", "update_rate_limit", "contacts_list_rate_limit"};
    int *itargets[] = {&o->faults.latency_ms, &o->faults.jitter_ms,        &o->faults.stall_ms,
                       &o->rate_limit,        &o->list_rate_limit,         &o->create_rate_limit,
                       &o->update_rate_limit, &o->contacts_list_rate_limit};
    for (size_t i = 0; i < 4; i++) {
        cJSON *v = cJSON_GetObjectItem(b, rates[i]);
        if (cJSON_IsNumber(v))
            *targets[i] = v->valuedouble;
    }
    for (size_t i = 0; i < 8; i++) {
        cJSON *v = cJSON_GetObjectItem(b, ints[i]);
        if (cJSON_IsNumber(v))
            *itargets[i] = v->valueint;
    }
    cJSON *sus = cJSON_GetObjectItem(b, "suspended"), *ro = cJSON_GetObjectItem(b, "read_only");
    if (cJSON_IsBool(sus))
        r->sim->suspended = cJSON_IsTrue(sus);
    if (cJSON_IsBool(ro))
        r->sim->read_only = cJSON_IsTrue(ro);
    cJSON *sw = cJSON_GetObjectItem(b, "stall_writes");
    if (cJSON_IsBool(sw))
        o->faults.stall_writes = cJSON_IsTrue(sw);
    if (cJSON_IsTrue(cJSON_GetObjectItem(b, "reset_window"))) {
        r->sim->window_used = 0;
        memset(r->sim->class_used, 0, sizeof r->sim->class_used);
        r->sim->window_start_ms = sim_mono_ms();
        r->sim->retry_until_ms = 0;
    }
    cJSON *out = cJSON_CreateObject();
    cJSON_AddNumberToObject(out, "fail_500", o->faults.fail_500);
    cJSON_AddNumberToObject(out, "drop", o->faults.drop);
    cJSON_AddNumberToObject(out, "stall", o->faults.stall);
    cJSON_AddNumberToObject(out, "throttle", o->faults.throttle);
    cJSON_AddBoolToObject(out, "stall_writes", o->faults.stall_writes);
    for (size_t i = 0; i < 8; i++)
        cJSON_AddNumberToObject(out, ints[i], *itargets[i]);
    cJSON_AddBoolToObject(out, "suspended", r->sim->suspended);
    cJSON_AddBoolToObject(out, "read_only", r->sim->read_only);
    sim_reply_json(r, 200, out);
}

static void ticket_hook(struct sim_req *r, struct sim_ticket *t, const char *what, cJSON *b)
{
    struct sim *sim = r->sim;
    if (!strcmp(r->method, "POST") && !strcmp(what, "customer_reply")) {
        const char *body = cJSON_GetStringValue(cJSON_GetObjectItem(b, "body"));
        cJSON *c = sim_conv_customer_reply(sim, t, body ? body : customer_says[0]);
        sim_reply_json(r, 201, cJSON_Duplicate(c, true));
    } else if (!strcmp(r->method, "PUT") && !*what) {
        sim_ticket_apply(sim, t, b);
        sim_ticket_touch(sim, t);
        sim_reply_json(r, 200, sim_render_ticket(sim, t, true, 0));
    } else if (!strcmp(r->method, "DELETE") && !*what) {
        t->flags |= SIM_T_DELETED;
        sim_ticket_touch(sim, t);
        sim_reply_empty(r, 204);
    } else {
        sim_reply_message(r, 405, "Method not allowed");
    }
}

static void create_hook(struct sim_req *r, cJSON *b)
{
    struct sim *sim = r->sim;
    const char *subject = cJSON_GetStringValue(cJSON_GetObjectItem(b, "subject"));
    const char *desc = cJSON_GetStringValue(cJSON_GetObjectItem(b, "description"));
    cJSON *rid = cJSON_GetObjectItem(b, "requester_id");
    long req = cJSON_IsNumber(rid) ? sim_contact_index(sim, (int64_t)rid->valuedouble) : -1;
    if (req < 0)
        req = sim_pick(sim_hash(sim->opts.seed, (uint64_t)sim->nticket), sim->ncontact);
    struct sim_ticket *t = new_ticket(sim, subject ? subject : "New ticket from the simulator",
                                      desc ? desc : "<div>Hello, I need help.</div>", req);
    cJSON *rest = cJSON_Duplicate(b, true);
    cJSON_DeleteItemFromObject(rest, "requester_id");
    cJSON_DeleteItemFromObject(rest, "subject");
    cJSON_DeleteItemFromObject(rest, "description");
    sim_ticket_apply(sim, t, rest);
    cJSON_Delete(rest);
    sim_reply_json(r, 201, sim_render_ticket(sim, t, true, 0));
}

bool sim_admin(struct sim_req *r, char **seg, int n)
{
    struct sim *sim = r->sim;
    bool get = !strcmp(r->method, "GET");
    cJSON *b = r->json;
    int64_t id;
    if (r->body_len && !cJSON_IsObject(b)) {
        sim_reply_code(r, 400, "invalid_json", "Request body has invalid json format");
        return true;
    }
    if (n == 1 && get && !strcmp(seg[0], "stats"))
        stats(r);
    else if (n == 1 && get && !strcmp(seg[0], "posts"))
        sim_reply_json(r, 200, cJSON_Duplicate(sim->posts, true));
    else if (n == 1 && !strcmp(r->method, "POST") && !strcmp(seg[0], "faults"))
        set_faults(r, b);
    else if (n == 1 && !strcmp(r->method, "POST") && !strcmp(seg[0], "activity")) {
        sim_activity_event(sim, sim->request_no + (uint64_t)sim->nticket);
        sim_reply_empty(r, 204);
    } else if (n == 2 && get && !strcmp(seg[0], "tickets") && !strcmp(seg[1], "count"))
        count(r);
    else if (n == 1 && !strcmp(r->method, "POST") && !strcmp(seg[0], "tickets"))
        create_hook(r, b);
    else if (n >= 2 && n <= 3 && !strcmp(seg[0], "tickets") && sim_parse_id(seg[1], &id)) {
        struct sim_ticket *t = sim_ticket_find(sim, id);
        if (!t)
            sim_reply_empty(r, 404);
        else
            ticket_hook(r, t, n == 3 ? seg[2] : "", b);
    } else
        return false;
    return true;
}

void sim_attachment_serve(struct sim_req *r, int64_t id)
{
    struct sim *sim = r->sim;
    long idx = (long)(id - SIM_ATTACH_BASE);
    const char *token = sim_arg(r, "token");
    char want[32];
    snprintf(want, sizeof want, "%016llx",
             (unsigned long long)sim_hash(sim->opts.seed, (uint64_t)id));
    size_t glen;
    char *gen = token && !strcmp(token, want) ? sim_generated_attachment(sim, id, &glen) : NULL;
    if (gen) {
        r->status = 200;
        r->resp = gen;
        r->resp_len = glen;
        sim_add_header(r, "Content-Type", "text/plain");
        return;
    }
    if (idx < 0 || idx >= sim->nattach || !token || strcmp(token, want)) {
        bool known = (idx >= 0 && idx < sim->nattach) || id >= SIM_GENATT_BASE;
        sim_reply_empty(r, known ? 403 : 404);
        return;
    }
    struct sim_attachment *a = &sim->attachments[idx];
    r->status = 200;
    r->resp = malloc(a->size ? a->size : 1);
    memcpy(r->resp, a->data, a->size);
    r->resp_len = a->size;
    sim_add_header(r, "Content-Type", a->content_type);
}

/* ---- activity */
void sim_activity_event(struct sim *sim, uint64_t n)
{
    uint64_t h = sim_hash3(sim->opts.seed, 0xAC7, n);
    long kind = sim_pick(h, 3);
    if (kind == 1 || sim->nticket == 0) {
        char subject[256];
        sim_ticket_subject(sim->opts.seed, (int64_t)(h & 0xffffff), subject, sizeof subject);
        new_ticket(sim, subject, customer_says[sim_pick(sim_hash(h, 1), 6)],
                   sim_pick(sim_hash(h, 2), sim->ncontact));
        return;
    }
    /* a recently active, visible ticket */
    long window = sim->nticket < 200 ? sim->nticket : 200;
    struct sim_ticket *t = NULL;
    for (int tries = 0; tries < 20 && !t; tries++) {
        long k = sim->nticket - 1 - sim_pick(sim_hash(h, 10 + (uint64_t)tries), window);
        struct sim_ticket *c = &sim->tickets[sim->by_updated[k]];
        if (sim_ticket_visible(c))
            t = c;
    }
    if (!t)
        return;
    if (kind == 0) {
        sim_conv_customer_reply(sim, t, customer_says[sim_pick(sim_hash(h, 3), 6)]);
        return;
    }
    static const int statuses[] = {2, 3, 4, 5, 6, 7};
    t->status = (int8_t)statuses[sim_pick(sim_hash(h, 4), 6)];
    t->priority = (int8_t)(1 + sim_pick(sim_hash(h, 5), 4));
    t->responder = (int16_t)(1 + sim_pick(sim_hash(h, 6), sim->nagent - 1));
    sim_ticket_ext(t)->status_updated_at = sim_now(sim);
    sim_ticket_touch(sim, t);
}

static void *activity_main(void *arg)
{
    struct sim *sim = arg;
    uint64_t n = 0;
    pthread_mutex_lock(&sim->lock);
    while (!sim->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += sim->opts.activity_seconds;
        while (!sim->stopping &&
               pthread_cond_timedwait(&sim->stop_cond, &sim->lock, &ts) != ETIMEDOUT)
            ;
        if (!sim->stopping)
            sim_activity_event(sim, ++n);
    }
    pthread_mutex_unlock(&sim->lock);
    return NULL;
}

int sim_activity_start(struct sim *sim)
{
    if (pthread_create(&sim->activity_thread, NULL, activity_main, sim) != 0)
        return -1;
    sim->activity_running = true;
    return 0;
}

void sim_activity_stop(struct sim *sim)
{
    if (sim->activity_running) {
        pthread_join(sim->activity_thread, NULL);
        sim->activity_running = false;
    }
}
