/* sync.h: the background sync engine.
 *
 * One engine runs on its own thread. It opens its own store connection
 * (store_open on cfg->cache_path) and its own api handle (own CURL handles),
 * takes work from a job queue (jobs.h) and reports through an event queue
 * (events.h). It never touches UI state; the UI learns everything from events
 * and re-reads the store through its own connection.
 *
 * What a sync run does (JOB_SYNC, JOB_SYNC_FULL):
 *   1. Account data (ticket fields/statuses, agents, groups, agents/me) once
 *      per run of a long-lived engine (the TUI) and then daily; with run_once
 *      (fdesk sync) when the cached copy is missing or older than a day; and
 *      always with JOB_SYNC_FULL
 *      (during a first sync it travels on a side thread while tickets page).
 *   2. Until the first sync has completed (or with JOB_SYNC_FULL): pages
 *      GET /tickets?per_page=100&include=requester,company&order_by=updated_at
 *      &order_type=asc&updated_since=CURSOR, several pages in flight at once
 *      (cfg->max_parallel, fewer when the budget runs low). After each batch
 *      the query restarts from the last updated_at stored, so the 300-page cap
 *      never applies and a dataset that changes while we page cannot shift a
 *      ticket past us. The next batch is in flight on a helper thread (its
 *      own api handle) while the current one is stored. Batches shrink near
 *      the end so no page past the last one is paid for. The cursor is saved
 *      in the same transaction as each page, so a quit leaves a consistent
 *      cache that the next run continues.
 *      Then unresolved tickets older than the horizon are searched for
 *      (/search/tickets, pages 1-10, date ranges split to stay under the cap).
 *   3. Afterwards: incremental sync. One cheap probe (per_page=1, no include,
 *      newest first, updated_since=newest stored) decides whether anything
 *      changed; only then are the changed tickets paged with include= from
 *      the newest updated_at minus an overlap (one page first),
 *      conversations fetched for an older version are queued for refresh,
 *      and deleted and spam tickets (filter=deleted / filter=spam) are taken
 *      out of the views. An idle poll costs one credit; the deletion check
 *      (two more) also runs every SYNC_GONE_CHECK_SECONDS when idle.
 * Between page batches the engine serves urgent jobs first: interactive
 * (open ticket -> conversations, outbox item, search) before prefetch
 * (conversations for the top of the view) before background paging.
 * Background requests keep cfg->headroom_percent of the rate budget free.
 *
 * Failures: the api layer retries transient errors; when a request still
 * fails for network reasons the engine posts FD_EVENT_OFFLINE with the time
 * of the next attempt and retries with capped backoff until it succeeds
 * (FD_EVENT_ONLINE). With run_once (fdesk sync) it gives up instead after a
 * few attempts. Authentication and permission errors stop the run with
 * FD_EVENT_ERROR.
 *
 * Stopping: jobs_stop() on the job queue raises the cancel flag that every
 * transfer checks (the transport looks at it at least every 100 ms), so
 * sync_stop() returns well within a second even mid-transfer. Pages are
 * committed whole or not at all. */
#ifndef FD_SYNC_H
#define FD_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/config.h"
#include "src/events.h"
#include "src/jobs.h"
#include "src/ratelimit.h"

#define SYNC_PER_PAGE           100
#define SYNC_OVERLAP_SECONDS    120
#define SYNC_META_REFRESH       (24 * 3600)
#define SYNC_GONE_CHECK_SECONDS 900

struct api;

/* Sends outbox item `item` with the engine's api handle. Fills result with
 * FD_EVENT_OUTBOX_SENT or FD_EVENT_OUTBOX_FAILED (the engine posts it).
 * Returns 0 when the item reached a final state, -1 when it should be tried
 * again later (offline). Provided by the outbox module; NULL = not wired. */
typedef int (*sync_outbox_fn)(void *data, struct api *api, int64_t item, struct fd_event *result);

struct sync_options {
    const struct fd_config *cfg; /* must outlive the engine; api_key must be loaded */
    struct events *events;       /* not owned */
    struct jobs *jobs;           /* not owned; jobs_stop() on it stops the engine */
    struct ratelimit *budget;    /* shared budget, or NULL for a private one */
    /* fdesk sync: run the queued jobs, then post FD_EVENT_SYNC_FINISHED and end
     * the thread; no periodic polls; give up on network errors instead of
     * waiting to come back online. */
    bool run_once;
    long low_speed_time; /* seconds a transfer may stall; 0 = the api default (30) */
    int max_attempts;    /* api retries per request; 0 = the api default */
    sync_outbox_fn outbox_send;
    void *outbox_data;
};

struct sync;

/* Starts the engine thread (SIGWINCH, SIGPIPE and the other asynchronous
 * signals are blocked in it). Returns 0, or -1 with a message in err. */
int sync_start(const struct sync_options *opts, struct sync **out, char *err, size_t errsize);

/* Raises the stop flag (jobs_stop), waits for the thread and frees the
 * engine. Returns within about a second even mid-transfer. NULL is fine. */
void sync_stop(struct sync *engine);

/* Waits for a run_once engine to end by itself, then frees it. Returns true
 * if the last run finished complete and without error. */
bool sync_join(struct sync *engine);

/* The first-sync horizon for a given "now" (now - days). */
int64_t sync_horizon(int64_t now, int since_days);

#endif
