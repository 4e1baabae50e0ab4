/* test_sync_engine.c: the sync engine against an in-process fdesk-sim over
 * real HTTP on 127.0.0.1: a first sync stores exactly the tickets in range
 * (with requester and company names), an idle incremental poll costs at most
 * one credit, changes and deletions made through the simulator's admin hooks
 * arrive with the next incremental sync, faults (429, 500, dropped and
 * stalled connections) cost neither a ticket nor a duplicate, a sync stopped
 * midway leaves a consistent cache that the next run continues, a stop
 * interrupts even a stalled transfer, and opening a ticket fetches its
 * conversations ahead of background work. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/sim.h"
#include "src/config.h"
#include "src/events.h"
#include "src/jobs.h"
#include "src/store.h"
#include "src/sync.h"

#define API_KEY "sim-api-key"

struct fixture {
    struct sim *sim;
    char dir[64];
    char base_url[64];
    char cache_path[128];
    struct fd_config cfg;
};

struct run_result {
    bool finished, ok, complete;
    int pages;
    int errors;
    int conversations_events;
    char last_error[EVENTS_MESSAGE_MAX];
};

/* ---- Helpers ------------------------------------------------------------------ */

struct buffer {
    char *data;
    size_t len;
};

static size_t collect(char *ptr, size_t size, size_t n, void *data)
{
    struct buffer *b = data;
    char *p = realloc(b->data, b->len + size * n + 1);
    if (!p)
        return 0;
    memcpy(p + b->len, ptr, size * n);
    b->data = p;
    b->len += size * n;
    b->data[b->len] = '\0';
    return size * n;
}

/* Calls an admin hook of the simulator; returns the HTTP status, body in *out. */
static long admin(struct fixture *f, const char *method, const char *path, const char *json,
                  char **out)
{
    CURL *c = curl_easy_init();
    struct buffer b = {0};
    struct curl_slist *h = NULL;
    char url[512];
    long status = 0;

    snprintf(url, sizeof url, "%s%s", f->base_url, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (json) {
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    }
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    if (out)
        *out = b.data;
    else
        free(b.data);
    return status;
}

static double admin_number(struct fixture *f, const char *path, const char *key)
{
    char *body = NULL;
    double v = -1;

    if (admin(f, "GET", path, NULL, &body) == 200 && body) {
        cJSON *o = cJSON_Parse(body);
        cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
        if (cJSON_IsNumber(n))
            v = n->valuedouble;
        cJSON_Delete(o);
    }
    free(body);
    return v;
}

/* How many answers had this HTTP status, from /__sim/stats. */
static double answers_with_status(struct fixture *f, const char *status)
{
    char *body = NULL;
    double v = -1;

    if (admin(f, "GET", "/__sim/stats", NULL, &body) == 200 && body) {
        cJSON *o = cJSON_Parse(body);
        cJSON *by = cJSON_GetObjectItemCaseSensitive(o, "by_status");
        cJSON *n = cJSON_GetObjectItemCaseSensitive(by, status);
        v = cJSON_IsNumber(n) ? n->valuedouble : (cJSON_IsObject(by) ? 0 : -1);
        cJSON_Delete(o);
    }
    free(body);
    return v;
}

static double credits_used(struct fixture *f)
{
    return admin_number(f, "/__sim/stats", "credits_used");
}

static void setup_full(struct fixture *f, long tickets, const struct sim_faults *faults,
                       int rate_limit)
{
    struct sim_options o;
    char err[256];

    memset(f, 0, sizeof *f);
    sim_options_init(&o);
    o.port = 0;
    o.admin = true;
    o.tickets = tickets;
    o.rate_limit = rate_limit;
    snprintf(o.api_key, sizeof o.api_key, "%s", API_KEY);
    if (faults)
        o.faults = *faults;
    f->sim = sim_create(&o, err, sizeof err);
    assert_non_null(f->sim);
    assert_int_equal(sim_start(f->sim, err, sizeof err), 0);
    snprintf(f->base_url, sizeof f->base_url, "http://127.0.0.1:%d", sim_port(f->sim));
    snprintf(f->dir, sizeof f->dir, "/tmp/fdesk-sync-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->cache_path, sizeof f->cache_path, "%s/cache.db", f->dir);
    f->cfg.base_url = f->base_url;
    f->cfg.api_key = (char *)API_KEY;
    f->cfg.account = (char *)"test";
    f->cfg.cache_path = f->cache_path;
    f->cfg.cache_dir = f->dir;
    f->cfg.refresh_seconds = 60;
    f->cfg.sync_since_days = 90;
    f->cfg.max_parallel = 4;
    f->cfg.headroom_percent = 20;
    f->cfg.connect_timeout = 5;
}

static void setup_with(struct fixture *f, long tickets, const struct sim_faults *faults)
{
    setup_full(f, tickets, faults, 1000000);
}

static void teardown(struct fixture *f)
{
    char cmd[160];

    sim_destroy(f->sim); /* NULL is fine */
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
}

static void consume(struct run_result *res, const struct fd_event *ev)
{
    switch (ev->type) {
    case FD_EVENT_PROGRESS:
        res->pages = ev->u.progress.pages_done;
        break;
    case FD_EVENT_ERROR:
        res->errors++;
        snprintf(res->last_error, sizeof res->last_error, "%s", ev->message);
        break;
    case FD_EVENT_CONVERSATIONS:
        res->conversations_events++;
        break;
    case FD_EVENT_SYNC_FINISHED:
        res->finished = true;
        res->ok = ev->u.finished.ok;
        res->complete = ev->u.finished.complete;
        break;
    default:
        break;
    }
}

/* Runs one sync in run-once mode to its end. */
static struct run_result run_sync(struct fixture *f, bool full)
{
    struct events *events = events_new();
    struct jobs *jobs = jobs_new();
    struct sync_options so = {.cfg = &f->cfg, .events = events, .jobs = jobs, .run_once = true};
    struct sync *engine = NULL;
    struct run_result res = {0};
    struct fd_event ev;
    char err[256];

    so.low_speed_time = 3;
    jobs_push_sync(jobs, full);
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    while (!res.finished && events_wait(events, &ev, 120000))
        consume(&res, &ev);
    sync_join(engine);
    while (events_pop(events, &ev))
        consume(&res, &ev);
    events_free(events);
    jobs_free(jobs);
    if (res.errors)
        print_message("# engine error: %s\n", res.last_error);
    return res;
}

static struct store *open_store(struct fixture *f)
{
    char err[256];
    struct store *s = store_open(f->cache_path, 0, NULL, err, sizeof err);
    assert_non_null(s);
    return s;
}

static size_t stored_count(struct fixture *f)
{
    struct store *s = open_store(f);
    struct store_query q = {.sort = STORE_SORT_UPDATED};
    size_t n = 0;

    assert_int_equal(store_count(s, &q, &n), 0);
    store_close(s);
    return n;
}

/* What the simulator says is in range: updated since the horizon. */
static long expected_recent(struct fixture *f)
{
    char path[128], iso[32];

    model_format_time(sync_horizon(time(NULL), f->cfg.sync_since_days), iso, sizeof iso);
    snprintf(path, sizeof path, "/__sim/tickets/count?updated_since=%s", iso);
    return (long)admin_number(f, path, "count");
}

/* And the unresolved tickets updated before it. */
static long expected_old(struct fixture *f)
{
    char path[160], iso[32];

    model_format_time(sync_horizon(time(NULL), f->cfg.sync_since_days), iso, sizeof iso);
    snprintf(path, sizeof path, "/__sim/tickets/count?updated_before=%s&unresolved=true", iso);
    return (long)admin_number(f, path, "count");
}

/* Checks every stored ticket: in range, with requester (and company when it
 * has one) names, no id twice; returns the count and the number of old
 * unresolved tickets among them. */
static size_t check_stored_tickets(struct fixture *f, size_t *old_unresolved)
{
    struct store *s = open_store(f);
    struct store_query q = {.sort = STORE_SORT_UPDATED, .with_json = true};
    struct store_rows rows = {0};
    struct store_anchor anchor;
    fd_time horizon = sync_horizon(time(NULL), f->cfg.sync_since_days);
    size_t total = 0;
    fd_id prev = 0;
    bool have_anchor = false;

    *old_unresolved = 0;
    for (;;) {
        assert_int_equal(store_window(s, &q, have_anchor ? &anchor : NULL, STORE_AFTER, 500, &rows),
                         0);
        if (rows.count == 0)
            break;
        for (size_t i = 0; i < rows.count; i++) {
            const struct store_row *row = &rows.rows[i];
            assert_true(row->id != prev);
            prev = row->id;
            if (row->updated_at < horizon - 3600) {
                assert_true(row->status != 4 && row->status != 5);
                (*old_unresolved)++;
            }
            assert_non_null(row->requester);
            cJSON *o = cJSON_Parse(row->json);
            cJSON *company = cJSON_GetObjectItemCaseSensitive(o, "company");
            cJSON *company_id = cJSON_GetObjectItemCaseSensitive(o, "company_id");
            if (cJSON_IsNumber(company_id))
                assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(company, "name")));
            cJSON_Delete(o);
        }
        total += rows.count;
        anchor = rows.rows[rows.count - 1].anchor;
        have_anchor = true;
    }
    store_rows_clear(&rows);
    store_close(s);
    return total;
}

/* ---- Tests ------------------------------------------------------------------- */

static void first_sync_stores_exactly_the_tickets_in_range(void **state)
{
    struct fixture f;
    size_t old = 0, total;
    long recent;

    setup_with(&f, 1500, NULL);
    struct run_result res = run_sync(&f, false);
    assert_true(res.ok);
    assert_true(res.complete);
    recent = expected_recent(&f);
    assert_true(recent > 0);
    total = check_stored_tickets(&f, &old);
    print_message("# %zu stored: %ld updated in range + %zu old unresolved\n", total, recent, old);
    assert_int_equal(total - old, (size_t)recent);
    assert_int_equal(old, (size_t)expected_old(&f));
    assert_true(old > 0); /* the generated account has old open tickets */
    teardown(&f);
}

static void an_idle_incremental_poll_costs_at_most_one_credit(void **state)
{
    struct fixture f;
    double before, after;

    setup_with(&f, 300, NULL);
    assert_true(run_sync(&f, false).ok);
    before = credits_used(&f);
    assert_true(before > 0);
    struct run_result res = run_sync(&f, false);
    assert_true(res.ok && res.complete);
    after = credits_used(&f);
    print_message("# idle poll used %.0f credit(s)\n", after - before);
    assert_true(after - before <= 1.0);
    assert_true(after - before >= 1.0); /* it did ask */
    teardown(&f);
}

/* Waits for the next FD_EVENT_SYNC_FINISHED of a long-lived engine. */
static bool wait_finished(struct events *events)
{
    struct fd_event ev;

    while (events_wait(events, &ev, 60000))
        if (ev.type == FD_EVENT_SYNC_FINISHED)
            return ev.u.finished.ok;
    return false;
}

static void the_tuis_engine_refreshes_account_data_once_per_run(void **state)
{
    struct fixture f;
    char err[256];
    struct sync *engine = NULL;

    setup_with(&f, 300, NULL);
    assert_true(run_sync(&f, false).ok); /* cache complete, account data fresh */
    double before = credits_used(&f);

    struct events *events = events_new();
    struct jobs *jobs = jobs_new();
    struct sync_options so = {.cfg = &f.cfg, .events = events, .jobs = jobs};
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    assert_true(wait_finished(events));
    double first = credits_used(&f) - before;
    /* ticket fields, agents, groups, agents/me, then the 1-credit probe */
    print_message("# first poll of a new run used %.0f credits\n", first);
    assert_true(first >= 5.0);

    before = credits_used(&f);
    jobs_push_sync(jobs, false);
    assert_true(wait_finished(events));
    double second = credits_used(&f) - before;
    print_message("# next poll used %.0f credit(s)\n", second);
    assert_true(second == 1.0);
    sync_stop(engine);
    events_free(events);
    jobs_free(jobs);
    teardown(&f);
}

static void a_change_made_on_the_server_arrives_with_the_next_incremental_sync(void **state)
{
    struct fixture f;
    struct store_ticket_detail d = {0};
    struct store *s;
    fd_id id = 0, other = 0;

    setup_with(&f, 300, NULL);
    assert_true(run_sync(&f, false).ok);
    /* any stored ticket */
    s = open_store(&f);
    {
        struct store_query q = {.sort = STORE_SORT_UPDATED};
        struct store_rows rows = {0};
        assert_int_equal(store_window(s, &q, NULL, STORE_AFTER, 5, &rows), 0);
        assert_true(rows.count > 0);
        id = rows.rows[rows.count - 1].id;
        other = rows.rows[0].id;
        store_rows_clear(&rows);
    }
    store_close(s);
    char path[64];
    snprintf(path, sizeof path, "/__sim/tickets/%lld", (long long)id);
    assert_int_equal(admin(&f, "PUT", path, "{\"subject\":\"Changed by the admin hook\"}", NULL),
                     200);
    assert_true(run_sync(&f, false).ok);
    s = open_store(&f);
    assert_int_equal(store_get_ticket(s, id, &d), 1);
    assert_string_equal(d.ticket.subject, "Changed by the admin hook");
    store_ticket_detail_clear(&d);
    store_close(s);

    /* A deleted ticket leaves the views with the next sync that sees a
     * change (deletions are also checked every SYNC_GONE_CHECK_SECONDS). */
    size_t before = stored_count(&f);
    assert_true(admin(&f, "DELETE", path, NULL, NULL) / 100 == 2);
    snprintf(path, sizeof path, "/__sim/tickets/%lld", (long long)other);
    assert_int_equal(admin(&f, "PUT", path, "{\"priority\":4}", NULL), 200);
    assert_true(run_sync(&f, false).ok);
    assert_int_equal(stored_count(&f), before - 1);
    teardown(&f);
}

static void sync_rides_through_faults_without_losing_or_duplicating(void **state)
{
    /* A stall outlasts the engine's 3 s low-speed limit: the transfer is
     * abandoned and retried, not waited for. */
    struct sim_faults faults = {
        .fail_500 = 0.08, .drop = 0.05, .stall = 0.04, .throttle = 0.05, .stall_ms = 20000};
    struct fixture f;
    size_t old = 0, total;
    long recent;

    setup_with(&f, 1200, &faults);
    struct run_result res = run_sync(&f, false);
    assert_true(res.ok && res.complete);
    recent = expected_recent(&f);
    total = check_stored_tickets(&f, &old);
    print_message("# with faults: %zu stored, %ld in range + %zu old\n", total, recent, old);
    assert_int_equal(total - old, (size_t)recent);
    assert_int_equal(old, (size_t)expected_old(&f));
    teardown(&f);
}

static void a_stopped_sync_leaves_a_consistent_cache_that_the_next_run_continues(void **state)
{
    struct sim_faults slow = {.latency_ms = 40};
    struct fixture f;
    struct events *events;
    struct jobs *jobs;
    struct sync *engine = NULL;
    struct fd_event ev;
    char err[256];
    int pages = 0;

    setup_with(&f, 3000, &slow);
    events = events_new();
    jobs = jobs_new();
    struct sync_options so = {.cfg = &f.cfg, .events = events, .jobs = jobs, .run_once = true};
    jobs_push_sync(jobs, false);
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    while (pages < 6 && events_wait(events, &ev, 60000))
        if (ev.type == FD_EVENT_PROGRESS)
            pages = ev.u.progress.pages_done;
    sync_stop(engine);
    events_free(events);
    jobs_free(jobs);

    size_t partial = stored_count(&f);
    print_message("# stopped after %d pages with %zu tickets stored\n", pages, partial);
    assert_true(partial >= 500);
    struct store *s = open_store(&f);
    int64_t cursor = 0, done = 1;
    assert_int_equal(store_sync_get_int(s, "first_cursor", &cursor, 0), 0);
    assert_true(cursor > 0);
    store_sync_get_int(s, "first_sync_done", &done, 0);
    assert_int_equal(done, 0);
    store_close(s);

    double before = admin_number(&f, "/__sim/stats", "requests");
    struct run_result res = run_sync(&f, false);
    double after = admin_number(&f, "/__sim/stats", "requests");
    assert_true(res.ok && res.complete);
    size_t old = 0, total = check_stored_tickets(&f, &old);
    assert_int_equal(total - old, (size_t)expected_recent(&f));
    /* It continued: fewer list pages than starting over would need. */
    print_message("# second run: %.0f requests, %d pages\n", after - before, res.pages);
    assert_true((size_t)res.pages < (total - old + 99) / 100);
    teardown(&f);
}

static void stop_interrupts_a_stalled_transfer(void **state)
{
    struct sim_faults stall = {.stall = 1.0, .stall_ms = 60000};
    struct fixture f;
    struct events *events;
    struct jobs *jobs;
    struct sync *engine = NULL;
    char err[256];
    struct timespec t0, t1;

    setup_with(&f, 100, &stall);
    events = events_new();
    jobs = jobs_new();
    struct sync_options so = {.cfg = &f.cfg, .events = events, .jobs = jobs};
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    usleep(300 * 1000); /* the first request is now stalled in the simulator */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sync_stop(engine);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("# stop took %.3f s during a 60 s stall\n", secs);
    /* Not a timing benchmark: anything short of the stall proves the cancel. */
    assert_true(secs < 10.0);
    events_free(events);
    jobs_free(jobs);
    teardown(&f);
}

static void opening_a_ticket_fetches_its_conversations_first(void **state)
{
    struct fixture f;
    struct events *events;
    struct jobs *jobs;
    struct sync *engine = NULL;
    struct fd_event ev;
    char err[256];
    bool got = false;
    fd_id id = 0;

    setup_with(&f, 200, NULL);
    assert_true(run_sync(&f, false).ok);
    struct store *s = open_store(&f);
    {
        struct store_query q = {.sort = STORE_SORT_UPDATED};
        struct store_rows rows = {0};
        assert_int_equal(store_window(s, &q, NULL, STORE_AFTER, 1, &rows), 0);
        id = rows.rows[0].id;
        store_rows_clear(&rows);
    }
    /* List pages carry no description; opening the ticket must bring it. */
    assert_int_equal(store_ticket_has_description(s, id), 0);
    store_close(s);

    events = events_new();
    jobs = jobs_new();
    struct sync_options so = {.cfg = &f.cfg, .events = events, .jobs = jobs};
    jobs_push_conversations(jobs, id, JOB_INTERACTIVE);
    jobs_push_sync(jobs, true); /* background work queued behind it */
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    while (!got && events_wait(events, &ev, 30000)) {
        assert_int_not_equal(ev.type, FD_EVENT_SYNC_FINISHED); /* conversations come first */
        if (ev.type == FD_EVENT_CONVERSATIONS && ev.u.ticket_id == id)
            got = true;
    }
    assert_true(got);
    sync_stop(engine);
    events_free(events);
    jobs_free(jobs);

    struct store_ticket_detail d = {0};
    s = open_store(&f);
    assert_int_equal(store_get_ticket(s, id, &d), 1);
    assert_true(d.conversations_for != 0);
    assert_int_equal(store_ticket_has_description(s, id), 1);
    store_ticket_detail_clear(&d);
    store_close(s);
    teardown(&f);
}

static void an_engine_that_lost_the_server_comes_back_by_itself(void **state)
{
    struct fixture f;
    struct events *events;
    struct jobs *jobs;
    struct sync *engine = NULL;
    struct fd_event ev;
    struct sim_options o;
    char err[256];
    bool offline = false, online = false, finished_ok = false;
    int port;

    setup_with(&f, 200, NULL);
    port = sim_port(f.sim);
    sim_destroy(f.sim); /* nothing listens there any more */
    f.sim = NULL;
    events = events_new();
    jobs = jobs_new();
    struct sync_options so = {.cfg = &f.cfg, .events = events, .jobs = jobs, .max_attempts = 1};
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    while (!offline && events_wait(events, &ev, 30000))
        if (ev.type == FD_EVENT_OFFLINE) {
            offline = true;
            assert_true(ev.u.offline.retry_at >= time(NULL) - 1);
            assert_true(ev.message[0] != '\0');
        }
    assert_true(offline);

    /* The server is back on the same port: the engine resumes unasked. */
    sim_options_init(&o);
    o.port = port;
    o.admin = true;
    o.tickets = 200;
    o.rate_limit = 1000000;
    snprintf(o.api_key, sizeof o.api_key, "%s", API_KEY);
    f.sim = sim_create(&o, err, sizeof err);
    assert_non_null(f.sim);
    assert_int_equal(sim_start(f.sim, err, sizeof err), 0);
    while (!finished_ok && events_wait(events, &ev, 60000)) {
        if (ev.type == FD_EVENT_ONLINE)
            online = true;
        if (ev.type == FD_EVENT_SYNC_FINISHED)
            finished_ok = ev.u.finished.ok && ev.u.finished.complete;
    }
    assert_true(online);
    assert_true(finished_ok);
    sync_stop(engine);
    events_free(events);
    jobs_free(jobs);
    assert_true(stored_count(&f) > 0);
    teardown(&f);
}

static void background_paging_leaves_headroom_that_an_opened_ticket_can_use(void **state)
{
    struct fixture f;
    struct events *events;
    struct jobs *jobs;
    struct sync *engine = NULL;
    struct fd_event ev;
    char err[256];
    int pages = 0, last_pages = -1, credits_left = -1;
    bool got = false;

    /* 100 credits a minute; a list page with include= costs 5, and the
     * ~2,300 tickets in range need 23 pages: the budget runs out first. */
    setup_full(&f, 4000, NULL, 100);
    events = events_new();
    jobs = jobs_new();
    struct sync_options so = {.cfg = &f.cfg, .events = events, .jobs = jobs};
    assert_int_equal(sync_start(&so, &engine, err, sizeof err), 0);
    /* Wait until paging stops making progress (it waits for the budget). */
    while (events_wait(events, &ev, 3000)) {
        if (ev.type == FD_EVENT_PROGRESS) {
            pages = ev.u.progress.pages_done;
            credits_left = ev.u.progress.credits_left;
        }
        assert_int_not_equal(ev.type, FD_EVENT_SYNC_FINISHED);
    }
    print_message("# paging paused after %d pages with %d credits left\n", pages, credits_left);
    assert_true(pages > 0 && pages < 23);
    assert_true(credits_left >= 20); /* 20 % of 100 kept for the agent */
    last_pages = pages;

    /* The agent opens a ticket: it is served from the headroom. */
    jobs_push_conversations(jobs, 1, JOB_INTERACTIVE);
    while (!got && events_wait(events, &ev, 10000)) {
        if (ev.type == FD_EVENT_CONVERSATIONS && ev.u.ticket_id == 1)
            got = true;
        if (ev.type == FD_EVENT_PROGRESS)
            pages = ev.u.progress.pages_done;
    }
    assert_true(got);
    assert_int_equal(pages, last_pages);                 /* background paging is still waiting */
    assert_int_equal(answers_with_status(&f, "429"), 0); /* never throttled */
    sync_stop(engine);
    events_free(events);
    jobs_free(jobs);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_sync_stores_exactly_the_tickets_in_range),
        cmocka_unit_test(an_idle_incremental_poll_costs_at_most_one_credit),
        cmocka_unit_test(the_tuis_engine_refreshes_account_data_once_per_run),
        cmocka_unit_test(a_change_made_on_the_server_arrives_with_the_next_incremental_sync),
        cmocka_unit_test(sync_rides_through_faults_without_losing_or_duplicating),
        cmocka_unit_test(a_stopped_sync_leaves_a_consistent_cache_that_the_next_run_continues),
        cmocka_unit_test(stop_interrupts_a_stalled_transfer),
        cmocka_unit_test(opening_a_ticket_fetches_its_conversations_first),
        cmocka_unit_test(an_engine_that_lost_the_server_comes_back_by_itself),
        cmocka_unit_test(background_paging_leaves_headroom_that_an_opened_ticket_can_use),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
