/* sync_internal.h: what the sync engine's files share (not a public interface).
 *
 * sync.c owns the thread, the job loop, failure handling and the budget;
 * sync_tickets.c pages tickets (first, full and incremental sync, deletions,
 * old unresolved tickets); sync_fetch.c fetches account data, conversations
 * and search results. All of it runs on the engine thread only. */
#ifndef FD_SYNC_INTERNAL_H
#define FD_SYNC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "src/api.h"
#include "src/events.h"
#include "src/jobs.h"
#include "src/store.h"
#include "src/sync.h"

#define SYNC_MAX_BATCH 16

/* One batch of list pages requested together. */
struct sync_batch {
    int count;
    char *urls[SYNC_MAX_BATCH];
    struct api_ticket_page pages[SYNC_MAX_BATCH];
    int results[SYNC_MAX_BATCH];
    struct fd_error errs[SYNC_MAX_BATCH];
};

/* sync_pipe.c: a helper thread with its own api handle that fetches one
 * batch while the engine stores the previous one. */
struct sync_pipe;
struct sync_run;
struct sync_meta_task;
/* NULL when the helper cannot start (the engine then fetches itself). */
struct sync_pipe *sync_pipe_new(struct sync_run *r);
void sync_pipe_free(struct sync_pipe *p);
/* A task run on the helper thread with the helper's own api handle. It must
 * not touch the store, the events or the engine's state. */
typedef void (*sync_task_fn)(struct api *api, void *arg);
/* Starts fn(api, arg) on the helper (arg must stay alive until collected). */
void sync_pipe_run(struct sync_pipe *p, sync_task_fn fn, void *arg);
/* Starts fetching b (which must stay alive until collected). */
void sync_pipe_submit(struct sync_pipe *p, struct sync_batch *b);
/* Waits until the submitted task is complete. */
void sync_pipe_collect(struct sync_pipe *p);

/* The engine thread's working state. */
struct sync_run {
    struct sync *engine;
    const struct sync_options *opts;
    const struct fd_config *cfg;
    struct store *store;
    struct api *api;
    struct ratelimit *budget;
    struct events *events;
    struct jobs *jobs;

    /* the current sync run */
    int requests;
    int pages_done;
    int64_t tickets_stored;
    int64_t run_started_ms;
    fd_time first_from; /* where the first/full sync started (for the estimate) */
    bool first_sync;
    bool ok;       /* no error so far in this run */
    bool abandon;  /* stop this run (error, cancel or give up) */
    bool complete; /* the run reached the end of what it had to page */

    /* across runs */
    int failures; /* consecutive network failures */
    bool offline;
    int last_batch;              /* pages in the latest list batch */
    int list_cost;               /* credits a list page with include= costs (learned) */
    int64_t budget_low_since_ms; /* when background work paused for headroom; 0 = not */
    int64_t meta_fetched_at;     /* wall clock seconds */
    struct sync_pipe *pipe;      /* created on first use; NULL = fetch on this thread */
    bool pipe_failed;
    struct sync_pipe *side;      /* account data during a first sync; NULL = none */
    struct sync_meta_task *meta; /* in flight on `side`, NULL when none */
};

/* A cache write failed: posts the error, rolls the transaction back and,
 * with abandon, ends the run. Returns -1. */
int sync_cache_failed(struct sync_run *r, bool abandon);

/* Monotonic and wall-clock time. */
int64_t sync_now_ms(void);
fd_time sync_now(void);

/* Called after a failed request: posts offline/error events and waits before
 * the retry. Returns 0 when the caller should retry, -1 to abandon the run
 * (cancelled, fatal error such as authentication, or run_once giving up). */
int sync_failed(struct sync_run *r, const struct fd_error *err, const char *what);
/* Called after a successful request (posts FD_EVENT_ONLINE after an outage). */
void sync_succeeded(struct sync_run *r);

/* How many background list requests may be in flight now (0 = wait). */
int sync_background_allowance(struct sync_run *r);
/* Runs urgent jobs (interactive and prefetch) that are waiting; waits up to
 * wait_ms for one to arrive first. Returns -1 when the engine is stopping. */
int sync_serve_urgent(struct sync_run *r, int wait_ms);
/* Posts a FD_EVENT_RATE_BUDGET event from the shared budget. */
void sync_post_budget(struct sync_run *r);
/* Posts a progress event for the current run. */
void sync_post_progress(struct sync_run *r, fd_time cursor);

/* sync_tickets.c */
/* Stores tickets in one transaction (saving the newest updated_at under
 * cursor_key when given), posts what changed. 0, or -1 (run abandoned). */
int sync_store_tickets(struct sync_run *r, const struct fd_ticket *tickets, size_t count,
                       const char *cursor_key, bool refresh_conversations, fd_time *last);
int sync_tickets_first(struct sync_run *r, bool full);
int sync_tickets_incremental(struct sync_run *r);
int sync_tickets_gone(struct sync_run *r, bool force);
int sync_tickets_old_unresolved(struct sync_run *r);

/* sync_fetch.c */
struct sync_meta_task;
/* Account data (ticket fields, agents, groups, me) when due (or forced):
 * sync_fetch_meta fetches it now; sync_meta_begin starts fetching it on the
 * side helper and sync_meta_end (a no-op when nothing was started) waits for
 * it and stores it, falling back to sync_fetch_meta after a failure. */
int sync_fetch_meta(struct sync_run *r, bool force);
bool sync_meta_due(struct sync_run *r, bool force);
void sync_meta_begin(struct sync_run *r, bool force);
int sync_meta_end(struct sync_run *r);
int sync_fetch_conversations(struct sync_run *r, fd_id ticket_id, bool interactive);
int sync_fetch_search(struct sync_run *r, const char *query);
/* Fetches requester and company of tickets whose names the cache lacks
 * (search results carry no include=). */
int sync_fetch_people(struct sync_run *r, const struct fd_ticket *tickets, size_t count);

/* sync_act.c */
/* Re-reads ticket_id and all its conversations from the server (whatever the
 * cache holds), stores them and posts FD_EVENT_CONVERSATIONS, then
 * FD_EVENT_TICKET_REFRESHED; on failure posts
 * FD_EVENT_OFFLINE or FD_EVENT_ERROR. 0 or -1. */
int sync_refresh_ticket(struct sync_run *r, fd_id ticket_id);
/* Copies the canned response folders and responses into the cache when they
 * are older than a day. 0, or -1 (logged; the run goes on). */
int sync_fetch_canned(struct sync_run *r);
/* Finds attachment_id on ticket_id (its fresh, time-limited URL) and saves it
 * to path (a new file, mode 0600; an existing file is never overwritten);
 * posts FD_EVENT_NOTICE on success, FD_EVENT_ERROR otherwise. */
int sync_download_attachment(struct sync_run *r, fd_id ticket_id, fd_id attachment_id,
                             const char *path);

#endif
