/* sync.c: the sync engine's thread (sync.h): its job loop, the periodic
 * incremental polls, failure handling (offline detection, backoff, automatic
 * resume), the rate-budget headroom for background work, and progress events.
 * The paging itself lives in sync_tickets.c, other fetches in sync_fetch.c. */
#include "src/sync.h"
#include "src/sync_internal.h"

#include "src/log.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sync {
    struct sync_options opts;
    pthread_t thread;
    /* Written by the engine thread, read by sync_join() after pthread_join. */
    bool last_ok;
};

int64_t sync_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

fd_time sync_now(void)
{
    return (fd_time)time(NULL);
}

int sync_cache_failed(struct sync_run *r, bool abandon)
{
    events_post_error(r->events, "cannot write the cache: %s", store_error(r->store));
    store_rollback(r->store);
    if (abandon) {
        r->abandon = true;
        r->ok = false;
    }
    return -1;
}

int64_t sync_horizon(int64_t now, int since_days)
{
    if (since_days <= 0)
        since_days = 90;
    return now - (int64_t)since_days * 86400;
}

/* ---- Events ------------------------------------------------------------------- */

void sync_post_budget(struct sync_run *r)
{
    struct ratelimit_snapshot s;
    struct fd_event ev = {.type = FD_EVENT_RATE_BUDGET};

    ratelimit_get(r->budget, &s);
    ev.u.rate.total = (int)s.total;
    ev.u.rate.remaining = (int)s.remaining;
    ev.u.rate.used = (int)s.used_last;
    events_push(r->events, &ev);
}

void sync_post_progress(struct sync_run *r, fd_time cursor)
{
    struct fd_event ev = {.type = FD_EVENT_PROGRESS};
    struct ratelimit_snapshot s;
    int64_t elapsed_ms = sync_now_ms() - r->run_started_ms;
    fd_time now = sync_now();

    ratelimit_get(r->budget, &s);
    ev.u.progress.pages_done = r->pages_done;
    ev.u.progress.tickets_stored = r->tickets_stored;
    ev.u.progress.credits_left = (int)s.remaining;
    ev.u.progress.eta_seconds = -1;
    ev.u.progress.first_sync = r->first_sync;
    /* Pages run in updated_at order, so the share of the time span already
     * covered estimates the share of the work done, at no cost in credits. */
    if (r->first_sync && cursor > r->first_from && now > r->first_from) {
        double done = (double)(cursor - r->first_from) / (double)(now - r->first_from);
        if (done > 1.0)
            done = 1.0;
        if (done > 0.01) {
            ev.u.progress.pages_estimated = (int)(r->pages_done / done + 0.5);
            ev.u.progress.eta_seconds = (int)(elapsed_ms / 1000.0 * (1.0 - done) / done + 0.5);
        }
    }
    events_push(r->events, &ev);
}

/* ---- Failures ----------------------------------------------------------------- */

static bool is_network_failure(const struct fd_error *err)
{
    return fd_error_is_offline(err) || fd_error_is_transient(err);
}

void sync_succeeded(struct sync_run *r)
{
    r->failures = 0;
    if (r->offline) {
        struct fd_event ev = {.type = FD_EVENT_ONLINE};
        r->offline = false;
        events_push(r->events, &ev);
        log_info("sync", "back online");
    }
}

int sync_failed(struct sync_run *r, const struct fd_error *err, const char *what)
{
    const char *msg = fd_error_message(err);

    if (err->kind == FD_ERR_CANCELLED || jobs_stopping(r->jobs)) {
        r->abandon = true;
        r->ok = false;
        return -1;
    }
    log_warn("sync", "%s failed: %s", what, msg);
    if (!is_network_failure(err)) {
        /* Authentication, permissions, a bad answer: waiting will not help. */
        events_post_error(r->events, "%s", msg);
        r->abandon = true;
        r->ok = false;
        return -1;
    }
    r->failures++;
    /* fdesk sync reports rather than waits: at once when nothing listens
     * there or the name does not resolve, after a few rounds otherwise. */
    bool hopeless =
        err->kind == FD_ERR_DNS || err->kind == FD_ERR_REFUSED || err->kind == FD_ERR_TLS;
    if (r->opts->run_once && (hopeless || r->failures >= 3)) {
        events_post_error(r->events, "%s", msg);
        r->abandon = true;
        r->ok = false;
        return -1;
    }
    long delay = ratelimit_backoff_ms(r->failures, 2000, 60000);
    struct fd_event ev = {.type = FD_EVENT_OFFLINE};
    ev.u.offline.retry_at = sync_now() + (delay + 999) / 1000;
    ev.u.offline.attempt = r->failures;
    snprintf(ev.message, sizeof ev.message, "%s", msg);
    r->offline = true;
    events_push(r->events, &ev);
    /* Interactive jobs still run while we wait (they may bring us back). */
    int64_t until = sync_now_ms() + delay;
    while (!jobs_stopping(r->jobs)) {
        int64_t left = until - sync_now_ms();
        if (left <= 0)
            break;
        if (sync_serve_urgent(r, (int)left) < 0)
            break;
    }
    if (jobs_stopping(r->jobs)) {
        r->abandon = true;
        r->ok = false;
        return -1;
    }
    return 0;
}

/* ---- Budget ------------------------------------------------------------------- */

int sync_background_allowance(struct sync_run *r)
{
    struct ratelimit_snapshot s;
    int k = r->cfg->max_parallel > 0 ? r->cfg->max_parallel : 4;
    int headroom = r->cfg->headroom_percent >= 0 ? r->cfg->headroom_percent : 20;
    int cost = r->list_cost > 0 ? r->list_cost : 1;

    if (k > 16)
        k = 16;
    ratelimit_get(r->budget, &s);
    if (s.total > 0 && s.remaining >= 0) {
        /* Answers to parallel requests may be recorded out of order, so the
         * remaining count can be stale by the rest of the last batch. */
        long stale = r->last_batch > 1 ? (long)(r->last_batch - 1) * cost : 0;
        long spare = s.remaining - stale - s.total * headroom / 100;
        long n = spare > 0 ? spare / cost : 0;
        if (n < k)
            k = (int)n;
    }
    if (k > 0) {
        r->budget_low_since_ms = 0;
        return k;
    }
    /* The budget is per minute: once a minute has passed since we saw it
     * low, one request is allowed to learn the new remaining count. */
    if (r->budget_low_since_ms == 0)
        r->budget_low_since_ms = sync_now_ms();
    if (sync_now_ms() - r->budget_low_since_ms >= 60000) {
        r->budget_low_since_ms = 0;
        return 1;
    }
    return 0;
}

/* ---- Jobs --------------------------------------------------------------------- */

static void run_outbox(struct sync_run *r, int64_t item)
{
    struct fd_event ev = {.type = FD_EVENT_OUTBOX_FAILED};

    if (!r->opts->outbox_send) {
        ev.u.outbox.item = item;
        snprintf(ev.message, sizeof ev.message, "the outbox is not connected to the sync engine");
        events_push(r->events, &ev);
        return;
    }
    if (r->opts->outbox_send(r->opts->outbox_data, r->api, item, &ev) == 0)
        events_push(r->events, &ev);
}

static void run_urgent_job(struct sync_run *r, const struct fd_job *job)
{
    switch (job->kind) {
    case JOB_CONVERSATIONS:
        sync_fetch_conversations(r, job->ticket_id, job->priority == JOB_INTERACTIVE);
        break;
    case JOB_OUTBOX:
        run_outbox(r, job->item);
        break;
    case JOB_SEARCH:
        sync_fetch_search(r, job->query);
        break;
    case JOB_REFRESH_TICKET:
        sync_refresh_ticket(r, job->ticket_id);
        break;
    case JOB_DOWNLOAD:
        sync_download_attachment(r, job->ticket_id, job->item, job->query);
        break;
    case JOB_SYNC:
    case JOB_SYNC_FULL:
        break; /* background jobs are never urgent */
    }
}

int sync_serve_urgent(struct sync_run *r, int wait_ms)
{
    struct fd_job job;

    while (jobs_pop(r->jobs, &job, JOB_PREFETCH, wait_ms)) {
        run_urgent_job(r, &job);
        wait_ms = 0;
    }
    return jobs_stopping(r->jobs) ? -1 : 0;
}

static void post_finished(struct sync_run *r)
{
    struct fd_event ev = {.type = FD_EVENT_SYNC_FINISHED};

    ev.u.finished.ok = r->ok && !r->abandon;
    ev.u.finished.complete = r->complete;
    ev.u.finished.tickets_stored = r->tickets_stored;
    ev.u.finished.requests = r->requests;
    events_push(r->events, &ev);
}

static void run_sync(struct sync_run *r, bool full)
{
    int64_t done = 0;

    r->requests = 0;
    r->pages_done = 0;
    r->tickets_stored = 0;
    r->run_started_ms = sync_now_ms();
    r->ok = true;
    r->abandon = false;
    r->complete = false;
    r->first_sync = false;

    if (store_sync_get_int(r->store, "first_sync_done", &done, 0) < 0)
        done = 0;
    if (full || !done) {
        /* Account data comes on the side while the tickets are paged. */
        sync_meta_begin(r, full); /* --full refreshes it too */
        sync_tickets_first(r, full);
    } else if (sync_fetch_meta(r, false) == 0 && !r->abandon) {
        sync_tickets_incremental(r);
    }
    if (r->ok && !r->abandon)
        sync_fetch_canned(r); /* once a day; a failure does not fail the run */
    if (sync_meta_end(r) != 0 && r->ok) {
        r->ok = false;
        r->complete = false;
    }
    log_info("sync", "run finished: ok=%d complete=%d tickets=%lld requests=%d", r->ok, r->complete,
             (long long)r->tickets_stored, r->requests);
    sync_post_budget(r);
    post_finished(r);
}

/* Milliseconds until the next periodic poll: refresh +-10 % jitter, longer
 * when the budget runs low (the whole team shares it). */
static int64_t next_poll_delay_ms(struct sync_run *r)
{
    struct ratelimit_snapshot s;
    int64_t base = (r->cfg->refresh_seconds > 0 ? r->cfg->refresh_seconds : 60) * 1000LL;
    int headroom = r->cfg->headroom_percent > 0 ? r->cfg->headroom_percent : 20;

    ratelimit_get(r->budget, &s);
    if (s.total > 0 && s.remaining >= 0) {
        if (s.remaining < s.total * headroom / 100)
            base *= 4;
        else if (s.remaining < s.total * headroom / 50)
            base *= 2;
    }
    if (r->offline)
        base = base < 30000 ? base : 30000;
    return base - base / 10 + (int64_t)(ratelimit_backoff_ms(1, base / 5, base / 5) - base / 10);
}

/* ---- The thread --------------------------------------------------------------- */

static void block_signals(void)
{
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGWINCH);
    sigaddset(&set, SIGPIPE);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCONT);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static int open_connections(struct sync_run *r)
{
    struct api_options ao;
    struct fd_error err = FD_ERROR_INIT;
    char msg[512];

    r->store = store_open(r->cfg->cache_path, STORE_OPEN_CREATE, NULL, msg, sizeof msg);
    if (!r->store) {
        events_post_error(r->events, "cannot open the cache: %s", msg);
        return -1;
    }
    if (store_notice(r->store)) {
        /* e.g. a corrupt cache was moved aside: worth saying, not a failure */
        struct fd_event ev = {.type = FD_EVENT_NOTICE};
        snprintf(ev.message, sizeof ev.message, "%s", store_notice(r->store));
        events_push(r->events, &ev);
    }
    api_options_from_config(&ao, r->cfg);
    ao.budget = r->budget;
    ao.cancel = jobs_cancel_flag(r->jobs);
    ao.low_speed_time = r->opts->low_speed_time;
    ao.max_attempts = r->opts->max_attempts;
    if (api_new(&ao, &r->api, &err) != 0) {
        events_post_error(r->events, "%s", fd_error_message(&err));
        fd_error_clear(&err);
        return -1;
    }
    if (!r->budget)
        r->budget = api_budget(r->api);
    return 0;
}

static void engine_loop(struct sync_run *r)
{
    int64_t next_poll = sync_now_ms(); /* the TUI syncs at once */
    bool last_ok = true;
    struct fd_job job;

    for (;;) {
        int timeout = 0;
        if (!r->opts->run_once) {
            int64_t left = next_poll - sync_now_ms();
            timeout = left > 0 ? (int)(left < 3600000 ? left : 3600000) : 0;
        }
        if (!jobs_pop(r->jobs, &job, JOB_BACKGROUND, timeout)) {
            if (jobs_stopping(r->jobs) || r->opts->run_once)
                break;
            if (sync_now_ms() < next_poll)
                continue;
            job = (struct fd_job){.kind = JOB_SYNC, .priority = JOB_BACKGROUND};
        }
        if (job.kind == JOB_SYNC || job.kind == JOB_SYNC_FULL) {
            run_sync(r, job.kind == JOB_SYNC_FULL);
            last_ok = r->ok && !r->abandon;
            next_poll = sync_now_ms() + next_poll_delay_ms(r);
        } else {
            run_urgent_job(r, &job);
        }
    }
    r->engine->last_ok = last_ok;
}

static void *sync_thread(void *arg)
{
    struct sync *engine = arg;
    struct sync_run run = {
        .engine = engine,
        .opts = &engine->opts,
        .cfg = engine->opts.cfg,
        .budget = engine->opts.budget,
        .events = engine->opts.events,
        .jobs = engine->opts.jobs,
        .list_cost = 5, /* 1 + 2 per include value, until a header says otherwise */
        .ok = true,
    };

    block_signals();
    engine->last_ok = false;
    if (open_connections(&run) == 0) {
        engine_loop(&run);
    } else {
        struct fd_event ev = {.type = FD_EVENT_SYNC_FINISHED};
        events_push(run.events, &ev);
    }
    sync_pipe_free(run.pipe);
    sync_pipe_free(run.side);
    api_free(run.api);
    store_close(run.store);
    return NULL;
}

int sync_start(const struct sync_options *opts, struct sync **out, char *err, size_t errsize)
{
    struct sync *engine = calloc(1, sizeof *engine);
    int rc;

    if (!engine) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    engine->opts = *opts;
    rc = pthread_create(&engine->thread, NULL, sync_thread, engine);
    if (rc != 0) {
        snprintf(err, errsize, "cannot start the sync thread: %s", strerror(rc));
        free(engine);
        return -1;
    }
    *out = engine;
    return 0;
}

bool sync_join(struct sync *engine)
{
    bool ok;

    if (!engine)
        return false;
    pthread_join(engine->thread, NULL);
    ok = engine->last_ok;
    free(engine);
    return ok;
}

void sync_stop(struct sync *engine)
{
    if (!engine)
        return;
    jobs_stop(engine->opts.jobs);
    sync_join(engine);
}
