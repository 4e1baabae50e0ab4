/* sync_tickets.c: paging tickets into the store for the sync engine.
 *
 * The first (and a full) sync pages the list ordered by updated_at, oldest
 * first, several pages of one query at a time. After each batch the query
 * starts again from the newest updated_at it stored ("cursor"), which keeps
 * every query far below Freshdesk's 300-page cap and means a ticket that is
 * updated while we page moves ahead of us rather than past us. Incremental
 * syncs ask one cheap question first and page only when something changed.
 * Deleted and spam tickets come from filter=deleted / filter=spam. Unresolved
 * tickets older than the horizon come from the search API. */
#include "src/sync_internal.h"

#include "src/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_PAGE_CAP        300 /* Freshdesk refuses page > 300 */
#define SYNC_SEARCH_PAGES    10  /* search serves pages 1..10 */
#define SYNC_SEARCH_PER_PAGE 30
#define SYNC_SEARCH_BUDGET   200 /* search requests one old-ticket sweep may use */

struct pager {
    const char *cursor_key; /* sync-table key that remembers the cursor, or NULL */
    bool refresh_conversations;
    fd_time cursor; /* updated_since of the current query */
    int page;       /* first page of the next batch within the current query */
    bool end;
    int first_batch; /* pages in the first batch; 0 = as many as allowed */
    int batches;     /* batches sent so far */
    /* the latest batch: how many pages covered how many seconds of updates */
    int span_pages;
    fd_time span_seconds;
};

struct gone_task;
static struct gone_task *gone_begin(struct sync_run *r);
static int gone_end(struct sync_run *r, struct gone_task *g, bool use);

/* ---- Storing a page ---------------------------------------------------------- */

static void note_changed(struct fd_event_tickets *ch, const struct fd_ticket *t)
{
    if (ch->count == 0) {
        ch->min_id = ch->max_id = t->id;
        ch->updated_min = ch->updated_max = t->updated_at;
    }
    if (ch->id_count < EVENTS_MAX_IDS)
        ch->ids[ch->id_count++] = t->id;
    ch->count++;
    if (t->id < ch->min_id)
        ch->min_id = t->id;
    if (t->id > ch->max_id)
        ch->max_id = t->id;
    if (t->updated_at < ch->updated_min)
        ch->updated_min = t->updated_at;
    if (t->updated_at > ch->updated_max)
        ch->updated_max = t->updated_at;
    if (t->deleted || t->spam)
        ch->removed = true;
}

/* Queues a refresh of conversations that were fetched for an older version. */
static void refresh_stale_conversations(struct sync_run *r, const struct fd_ticket *t)
{
    fd_time stored = 0, conversations_for = 0;

    if (store_conversation_state(r->store, t->id, &stored, &conversations_for) == 1 &&
        conversations_for != 0 && conversations_for < t->updated_at)
        jobs_push_conversations(r->jobs, t->id, JOB_PREFETCH);
}

/* Stores the tickets in one transaction (with the cursor, when given) and
 * posts what changed. Returns 0, or -1 (error posted, run abandoned). */
int sync_store_tickets(struct sync_run *r, const struct fd_ticket *tickets, size_t count,
                       const char *cursor_key, bool refresh_conversations, fd_time *last)
{
    struct fd_event ev = {.type = FD_EVENT_TICKETS_CHANGED};
    fd_time newest = last ? *last : 0;

    if (store_begin(r->store) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        const struct fd_ticket *t = &tickets[i];
        int rc = store_upsert_ticket(r->store, t);
        if (rc < 0)
            goto fail;
        if (t->updated_at > newest)
            newest = t->updated_at;
        if (rc == 1)
            note_changed(&ev.u.tickets, t);
        if (rc == 1 && refresh_conversations)
            refresh_stale_conversations(r, t);
    }
    if (cursor_key && newest && store_sync_set_int(r->store, cursor_key, newest) != 0)
        goto fail;
    if (store_commit(r->store) != 0)
        goto fail;
    r->tickets_stored += (int64_t)count;
    if (last)
        *last = newest;
    if (ev.u.tickets.count)
        events_push(r->events, &ev);
    return 0;
fail:
    return sync_cache_failed(r, true);
}

/* ---- Paging the list ------------------------------------------------------- */

static void learn_list_cost(struct sync_run *r)
{
    struct ratelimit_snapshot s;

    /* The latest response may be a cheaper one from another thread (account
     * data, an opened ticket): keep the dearest cost seen for a list page. */
    ratelimit_get(r->budget, &s);
    if (s.used_last > r->list_cost)
        r->list_cost = (int)s.used_last;
}

static void batch_clear(struct sync_batch *b)
{
    for (int i = 0; i < b->count; i++) {
        free(b->urls[i]);
        api_ticket_page_clear(&b->pages[i]);
        fd_error_clear(&b->errs[i]);
    }
    memset(b, 0, sizeof *b);
}

/* Fills b with the URLs of k pages of the pager's current query. */
static int batch_build(struct sync_run *r, const struct pager *p, int k, struct sync_batch *b)
{
    struct fd_error err = FD_ERROR_INIT;

    if (k > SYNC_PAGE_CAP - p->page + 1)
        k = SYNC_PAGE_CAP - p->page + 1;
    if (k > SYNC_MAX_BATCH)
        k = SYNC_MAX_BATCH;
    memset(b, 0, sizeof *b);
    for (int i = 0; i < k; i++) {
        struct api_ticket_query q = {
            .updated_since = p->cursor,
            .order_by = "updated_at",
            .order_type = "asc",
            .include = "requester,company",
            .page = p->page + i,
            .per_page = SYNC_PER_PAGE,
        };
        if (api_tickets_url(r->api, &q, &b->urls[i], &err) != 0) {
            b->count = i;
            batch_clear(b);
            events_post_error(r->events, "%s", fd_error_message(&err));
            fd_error_clear(&err);
            r->abandon = true;
            r->ok = false;
            return -1;
        }
    }
    b->count = k;
    return 0;
}

/* Starts fetching b: on the helper thread when there is one (so the caller
 * can store the previous batch meanwhile), else right here. */
static void batch_start(struct sync_run *r, struct sync_batch *b)
{
    if (!r->pipe && !r->pipe_failed) {
        r->pipe = sync_pipe_new(r);
        r->pipe_failed = r->pipe == NULL;
    }
    r->requests += b->count;
    if (r->pipe)
        sync_pipe_submit(r->pipe, b);
    else
        api_list_tickets_many(r->api, (const char *const *)b->urls, (size_t)b->count, b->pages,
                              b->results, b->errs);
}

static void batch_finish(struct sync_run *r, const struct sync_batch *b)
{
    if (r->pipe)
        sync_pipe_collect(r->pipe);
    r->last_batch = b->count;
    learn_list_cost(r);
}

/* What a fetched batch holds, without storing it: the pages that can be
 * stored (up to the first failure or the last page), whether the last page
 * is among them, their newest updated_at, and the first failed page. */
struct batch_scan {
    int usable;
    bool end;
    fd_time last;
    int failed;
};

static struct batch_scan batch_scan(const struct sync_batch *b)
{
    struct batch_scan sc = {.failed = -1};

    for (int i = 0; i < b->count; i++) {
        if (b->results[i] != 0) {
            sc.failed = i;
            break;
        }
        for (size_t j = 0; j < b->pages[i].count; j++)
            if (b->pages[i].tickets[j].updated_at > sc.last)
                sc.last = b->pages[i].tickets[j].updated_at;
        sc.usable++;
        if (!b->pages[i].next_url) {
            sc.end = true;
            break;
        }
    }
    return sc;
}

/* Moves the pager past `stored` pages whose newest updated_at is last. */
static void advance(struct pager *p, int stored, fd_time last, bool end)
{
    p->end = end;
    if (stored == 0 || end)
        return;
    if (last > p->cursor) {
        p->span_pages = stored;
        p->span_seconds = last - p->cursor;
        p->cursor = last;
        p->page = 1;
    } else {
        /* More tickets share one second than the batch held: page on. */
        p->page += stored;
        if (p->page > SYNC_PAGE_CAP) {
            log_warn("sync", "over %d pages of tickets share one updated_at; skipping a second",
                     SYNC_PAGE_CAP);
            p->cursor++;
            p->page = 1;
        }
    }
}

static int store_pages(struct sync_run *r, const struct pager *p, struct sync_batch *b, int n)
{
    for (int i = 0; i < n; i++) {
        if (sync_store_tickets(r, b->pages[i].tickets, b->pages[i].count, p->cursor_key,
                               p->refresh_conversations, NULL) != 0)
            return -1;
        r->pages_done++;
    }
    return 0;
}

/* How many pages the next batch may have; waits (serving urgent jobs) while
 * the budget leaves nothing beyond the agent's headroom. 0 = stopping. */
static int wait_for_allowance(struct sync_run *r)
{
    for (;;) {
        if (sync_serve_urgent(r, 0) < 0)
            return 0;
        int k = sync_background_allowance(r);
        if (k > 0)
            return k;
        if (sync_serve_urgent(r, 1000) < 0)
            return 0;
    }
}

/* Fewer pages than allowed when the end is near: every page past the last
 * one costs the credits of a full page and brings nothing. An incremental
 * sync usually fits one page, so its first batch has one; later batches
 * estimate what is left from how many seconds of updates the latest full
 * batch covered (never fewer than 2 pages, so a burst of recent updates
 * costs round trips, not correctness). */
static int batch_size(struct sync_run *r, const struct pager *p, int k)
{
    fd_time now = sync_now();

    if (p->batches == 0 && p->first_batch > 0 && p->first_batch < k)
        return p->first_batch;
    if (p->page == 1 && p->span_pages >= k && p->span_seconds > 0 && now > p->cursor) {
        double left = (double)p->span_pages * (double)(now - p->cursor) / (double)p->span_seconds;
        int estimate = (int)(left * 1.5) + 1;
        if (estimate < 2)
            estimate = 2;
        if (estimate < k)
            return estimate;
    }
    return k;
}

static int abandon_run(struct sync_run *r)
{
    r->abandon = true;
    r->ok = false;
    return -1;
}

/* Pages the pager's query to its end. The batch after the current one is
 * already in flight while the current one is stored (the cursor it needs is
 * known as soon as the current batch has arrived). */
static int page_all(struct sync_run *r, struct pager *p)
{
    struct sync_batch *slots = calloc(2, sizeof *slots);
    struct sync_batch *cur = slots, *next = slots + 1;
    bool in_flight = false;
    int rc = 0;

    if (!slots)
        return abandon_run(r);
    while (rc == 0 && (in_flight || !p->end)) {
        if (!in_flight) {
            int k = wait_for_allowance(r);
            if (k == 0 || batch_build(r, p, batch_size(r, p, k), cur) != 0) {
                rc = abandon_run(r);
                break;
            }
            batch_start(r, cur);
            p->batches++;
        }
        batch_finish(r, cur);
        in_flight = false;

        struct batch_scan sc = batch_scan(cur);
        struct pager ahead = *p;
        advance(&ahead, sc.usable, sc.last, sc.end);
        if (sc.failed < 0 && !ahead.end && !jobs_stopping(r->jobs) &&
            !jobs_pending(r->jobs, JOB_PREFETCH)) {
            int k = sync_background_allowance(r);
            ahead.batches++;
            if (k > 0 && batch_build(r, &ahead, batch_size(r, &ahead, k), next) == 0) {
                batch_start(r, next);
                in_flight = true;
            }
        }
        if (store_pages(r, p, cur, sc.usable) != 0)
            rc = -1;
        *p = ahead;
        sync_post_progress(r, p->cursor);
        if (rc == 0 && sc.failed >= 0)
            rc = sync_failed(r, &cur->errs[sc.failed], "listing tickets");
        else if (rc == 0)
            sync_succeeded(r);
        batch_clear(cur);
        struct sync_batch *t = cur;
        cur = next;
        next = t;
        if (r->abandon)
            rc = -1;
    }
    if (in_flight) {
        batch_finish(r, cur);
        batch_clear(cur);
    }
    batch_clear(next);
    free(slots);
    return rc;
}

/* ---- First and full sync ----------------------------------------------------- */

int sync_tickets_first(struct sync_run *r, bool full)
{
    fd_time now = sync_now();
    fd_time horizon = sync_horizon(now, r->cfg->sync_since_days);
    int64_t cursor = horizon, gone_since = 0;
    struct pager p = {.cursor_key = "first_cursor", .page = 1};

    r->first_sync = true;
    if (!full && store_sync_get_int(r->store, "first_cursor", &cursor, horizon) < 0)
        cursor = horizon;
    /* Deletions that happen while we page are found by the next check. */
    if (store_sync_get_int(r->store, "gone_since", &gone_since, 0) == 0 && gone_since == 0)
        store_sync_set_int(r->store, "gone_since", now - SYNC_OVERLAP_SECONDS);
    p.cursor = cursor;
    r->first_from = cursor;
    log_info("sync", "%s sync from %lld", full ? "full" : "first", (long long)cursor);
    if (page_all(r, &p) != 0)
        return -1;
    /* The search below needs the custom statuses of the account data. */
    if (sync_meta_end(r) != 0)
        return -1;
    /* Deleted and spam tickets are listed on the side during the search. */
    struct gone_task *gone = gone_begin(r);
    if (sync_tickets_old_unresolved(r) != 0) {
        gone_end(r, gone, false);
        return -1;
    }
    if (gone_end(r, gone, true) != 0)
        return -1;
    if (store_sync_set_int(r->store, "first_sync_done", 1) != 0)
        return -1;
    r->complete = true;
    return 0;
}

/* ---- Incremental sync ------------------------------------------------------ */

/* Whether the newest ticket on the server is newer than what we hold: one
 * request, one credit. Returns 1 changed, 0 not, -1 abandon. */
static int probe_changes(struct sync_run *r, fd_time newest)
{
    struct api_ticket_query q = {
        .updated_since = newest,
        .order_by = "updated_at",
        .order_type = "desc",
        .per_page = 1,
    };

    for (;;) {
        struct api_ticket_page page = {0};
        struct fd_error err = FD_ERROR_INIT;
        int rc = api_list_tickets_page(r->api, &q, NULL, &page, &err);
        r->requests++;
        if (rc == 0) {
            int changed = 0;
            sync_succeeded(r);
            if (page.count > 0) {
                const struct fd_ticket *t = &page.tickets[0];
                fd_time stored = 0, conversations_for = 0;
                if (t->updated_at > newest ||
                    store_conversation_state(r->store, t->id, &stored, &conversations_for) != 1 ||
                    stored < t->updated_at)
                    changed = 1;
            }
            api_ticket_page_clear(&page);
            return changed;
        }
        api_ticket_page_clear(&page);
        rc = sync_failed(r, &err, "checking for changes");
        fd_error_clear(&err);
        if (rc != 0)
            return -1;
    }
}

int sync_tickets_incremental(struct sync_run *r)
{
    fd_time newest = 0;
    int changed;

    if (store_max_updated_at(r->store, &newest) != 0)
        newest = 0;
    if (newest == 0)
        return sync_tickets_first(r, true);
    changed = probe_changes(r, newest);
    if (changed < 0)
        return -1;
    if (changed) {
        struct pager p = {
            .cursor = newest - SYNC_OVERLAP_SECONDS,
            .page = 1,
            .refresh_conversations = true,
            .first_batch = 1,
        };
        log_info("sync", "changes since %lld", (long long)newest);
        if (page_all(r, &p) != 0)
            return -1;
    }
    if (sync_tickets_gone(r, changed) != 0)
        return -1;
    r->complete = true;
    return 0;
}

/* ---- Deleted and spam ---------------------------------------------------- */

static int mark_gone_page(struct sync_run *r, const struct api_ticket_page *page)
{
    struct fd_event ev = {.type = FD_EVENT_TICKETS_CHANGED};

    if (store_begin(r->store) != 0)
        goto fail;
    for (size_t i = 0; i < page->count; i++) {
        int rc = store_mark_ticket_gone(r->store, page->tickets[i].id);
        if (rc < 0)
            goto fail;
        if (rc == 1) {
            note_changed(&ev.u.tickets, &page->tickets[i]);
            ev.u.tickets.removed = true;
        }
    }
    if (store_commit(r->store) != 0)
        goto fail;
    if (ev.u.tickets.count)
        events_push(r->events, &ev);
    return 0;
fail:
    return sync_cache_failed(r, true);
}

static int page_filter(struct sync_run *r, const char *filter, fd_time since)
{
    struct api_ticket_query q = {.filter = filter, .updated_since = since, .per_page = 100};
    char *next = NULL;

    for (int pages = 0; pages < SYNC_PAGE_CAP; pages++) {
        struct api_ticket_page page = {0};
        struct fd_error err = FD_ERROR_INIT;
        int rc = api_list_tickets_page(r->api, &q, next, &page, &err);
        r->requests++;
        if (rc != 0) {
            api_ticket_page_clear(&page);
            rc = sync_failed(r, &err, "listing deleted tickets");
            fd_error_clear(&err);
            if (rc != 0) {
                free(next);
                return -1;
            }
            pages--;
            continue;
        }
        sync_succeeded(r);
        rc = mark_gone_page(r, &page);
        free(next);
        next = page.next_url;
        page.next_url = NULL;
        api_ticket_page_clear(&page);
        if (rc != 0 || !next)
            break;
    }
    free(next);
    return r->abandon ? -1 : 0;
}

int sync_tickets_gone(struct sync_run *r, bool force)
{
    fd_time now = sync_now();
    int64_t since = 0, checked = 0;

    store_sync_get_int(r->store, "gone_checked_at", &checked, 0);
    if (!force && now - checked < SYNC_GONE_CHECK_SECONDS)
        return 0;
    store_sync_get_int(r->store, "gone_since", &since, 0);
    if (since == 0)
        since = sync_horizon(now, r->cfg->sync_since_days);
    if (page_filter(r, "deleted", since - SYNC_OVERLAP_SECONDS) != 0 ||
        page_filter(r, "spam", since - SYNC_OVERLAP_SECONDS) != 0)
        return -1;
    store_sync_set_int(r->store, "gone_since", now - SYNC_OVERLAP_SECONDS);
    store_sync_set_int(r->store, "gone_checked_at", now);
    return 0;
}

/* The same check on the side helper, while the engine searches old tickets:
 * the helper only collects ids, the engine thread writes them. */
struct gone_task {
    fd_time since, started;
    fd_id *ids;
    size_t count, cap;
    int requests;
    struct fd_error err;
};

static int gone_task_add(struct gone_task *g, const struct api_ticket_page *page)
{
    for (size_t i = 0; i < page->count; i++) {
        if (g->count == g->cap) {
            size_t cap = g->cap ? g->cap * 2 : 64;
            fd_id *ids = realloc(g->ids, cap * sizeof *ids);
            if (!ids)
                return fd_error_set(&g->err, FD_ERR_NOMEM, "out of memory");
            g->ids = ids;
            g->cap = cap;
        }
        g->ids[g->count++] = page->tickets[i].id;
    }
    return 0;
}

static void gone_task_run(struct api *api, void *arg)
{
    static const char *const filters[] = {"deleted", "spam"};
    struct gone_task *g = arg;

    for (int f = 0; f < 2; f++) {
        struct api_ticket_query q = {
            .filter = filters[f], .updated_since = g->since, .per_page = 100};
        char *next = NULL;
        for (int pages = 0; pages < SYNC_PAGE_CAP; pages++) {
            struct api_ticket_page page = {0};
            g->requests++;
            int rc = api_list_tickets_page(api, &q, next, &page, &g->err);
            free(next);
            next = page.next_url;
            page.next_url = NULL;
            if (rc == 0)
                rc = gone_task_add(g, &page);
            api_ticket_page_clear(&page);
            if (rc != 0) {
                free(next);
                return;
            }
            if (!next)
                break;
        }
        free(next);
    }
}

static struct gone_task *gone_begin(struct sync_run *r)
{
    struct gone_task *g;
    int64_t since = 0;

    if (!r->side || !(g = calloc(1, sizeof *g)))
        return NULL;
    g->started = sync_now();
    store_sync_get_int(r->store, "gone_since", &since, 0);
    if (since == 0)
        since = sync_horizon(g->started, r->cfg->sync_since_days);
    g->since = since - SYNC_OVERLAP_SECONDS;
    sync_pipe_run(r->side, gone_task_run, g);
    return g;
}

static int mark_gone_ids(struct sync_run *r, const fd_id *ids, size_t count)
{
    struct fd_event ev = {.type = FD_EVENT_TICKETS_CHANGED};

    if (store_begin(r->store) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        int rc = store_mark_ticket_gone(r->store, ids[i]);
        if (rc < 0)
            goto fail;
        if (rc == 1) {
            struct fd_ticket t = {.id = ids[i], .deleted = true};
            note_changed(&ev.u.tickets, &t);
        }
    }
    if (store_commit(r->store) != 0)
        goto fail;
    if (ev.u.tickets.count)
        events_push(r->events, &ev);
    return 0;
fail:
    return sync_cache_failed(r, true);
}

/* Waits for the side check and applies it (falls back to the plain check
 * after a failure). With use = false it only waits and frees. */
static int gone_end(struct sync_run *r, struct gone_task *g, bool use)
{
    int rc = 0;

    if (!g)
        return use ? sync_tickets_gone(r, true) : 0;
    sync_pipe_collect(r->side);
    r->requests += g->requests;
    if (!use) {
        rc = 0;
    } else if (g->err.kind == FD_ERR_NONE) {
        rc = mark_gone_ids(r, g->ids, g->count);
        if (rc == 0) {
            store_sync_set_int(r->store, "gone_since", g->started - SYNC_OVERLAP_SECONDS);
            store_sync_set_int(r->store, "gone_checked_at", g->started);
        }
    } else {
        log_warn("sync", "deleted tickets: %s", fd_error_message(&g->err));
        rc = jobs_stopping(r->jobs) ? -1 : sync_tickets_gone(r, true);
    }
    fd_error_clear(&g->err);
    free(g->ids);
    free(g);
    return rc;
}

/* ---- Unresolved tickets older than the horizon ------------------------------ */

static void format_day(int64_t day, char *buf, size_t size)
{
    char iso[32];

    model_format_time((fd_time)day * 86400, iso, sizeof iso);
    snprintf(buf, size, "%.10s", iso);
}

/* "status:2 OR status:3" plus custom statuses (ids above 5) from ticket fields. */
static void unresolved_clause(struct sync_run *r, char *buf, size_t size)
{
    struct fd_status *statuses = NULL;
    size_t count = 0, len;

    snprintf(buf, size, "status:%d OR status:%d", FD_STATUS_OPEN, FD_STATUS_PENDING);
    if (store_list_statuses(r->store, &statuses, &count) != 0)
        return;
    for (size_t i = 0; i < count; i++) {
        len = strlen(buf);
        if (statuses[i].id > FD_STATUS_CLOSED && len + 20 < size)
            snprintf(buf + len, size - len, " OR status:%d", statuses[i].id);
        model_status_clear(&statuses[i]);
    }
    free(statuses);
}

/* Fetches one search page with retries. Returns 0, 1 when search is not
 * available (the sweep is skipped), or -1 to abandon the run. */
static int search_page(struct sync_run *r, const char *query, int page_no,
                       struct api_ticket_page *page)
{
    for (;;) {
        struct fd_error err = FD_ERROR_INIT;
        int rc = api_search_tickets(r->api, query, page_no, page, &err);
        r->requests++;
        if (rc == 0) {
            sync_succeeded(r);
            return 0;
        }
        api_ticket_page_clear(page);
        if (err.kind == FD_ERR_HTTP && err.http_status >= 400 && err.http_status < 500 &&
            err.http_status != 401 && err.http_status != 429) {
            /* No search on this plan or for this agent: the sweep is a bonus. */
            log_warn("sync", "old unresolved tickets not searched: %s", fd_error_message(&err));
            fd_error_clear(&err);
            return 1;
        }
        rc = sync_failed(r, &err, "searching old unresolved tickets");
        fd_error_clear(&err);
        if (rc != 0)
            return -1;
    }
}

static int store_search_page(struct sync_run *r, struct api_ticket_page *page)
{
    int rc = sync_store_tickets(r, page->tickets, page->count, NULL, false, NULL);

    if (rc == 0)
        rc = sync_fetch_people(r, page->tickets, page->count);
    api_ticket_page_clear(page);
    return rc;
}

/* Searches tickets created between day lo and day hi (inclusive), splitting
 * the range while it holds more than the search API can page. Returns 0, 1
 * (search unavailable) or -1 (abandon). */
static int search_range(struct sync_run *r, const char *clause, const char *before, int64_t lo,
                        int64_t hi, int *budget)
{
    char query[512], from[16], to[16];
    struct api_ticket_page page = {0};
    long total;

    if (--*budget < 0)
        return 0;
    format_day(lo, from, sizeof from);
    format_day(hi, to, sizeof to);
    snprintf(query, sizeof query,
             "(%s) AND updated_at:<'%s' AND created_at:>'%s' AND created_at:<'%s'", clause, before,
             from, to);
    int rc = search_page(r, query, 1, &page);
    if (rc != 0)
        return rc;
    total = page.total;
    if (total > SYNC_SEARCH_PAGES * SYNC_SEARCH_PER_PAGE && hi > lo) {
        int64_t mid = lo + (hi - lo) / 2;
        api_ticket_page_clear(&page);
        rc = search_range(r, clause, before, lo, mid, budget);
        if (rc != 0)
            return rc;
        return search_range(r, clause, before, mid + 1, hi, budget);
    }
    if (store_search_page(r, &page) != 0)
        return -1;
    for (int n = 2; n <= SYNC_SEARCH_PAGES && (long)(n - 1) * SYNC_SEARCH_PER_PAGE < total; n++) {
        if (--*budget < 0)
            return 0;
        rc = search_page(r, query, n, &page);
        if (rc != 0)
            return rc;
        size_t got = page.count;
        if (store_search_page(r, &page) != 0)
            return -1;
        if (got < SYNC_SEARCH_PER_PAGE)
            break;
    }
    return 0;
}

int sync_tickets_old_unresolved(struct sync_run *r)
{
    fd_time horizon = sync_horizon(sync_now(), r->cfg->sync_since_days);
    int64_t hi = horizon / 86400, lo = hi - 20 * 366;
    int budget = SYNC_SEARCH_BUDGET;
    char clause[400], before[16];

    unresolved_clause(r, clause, sizeof clause);
    format_day(hi, before, sizeof before);
    if (search_range(r, clause, before, lo, hi, &budget) < 0)
        return -1;
    if (budget < 0)
        log_warn("sync", "old unresolved tickets: search budget spent, some may be missing");
    return 0;
}
