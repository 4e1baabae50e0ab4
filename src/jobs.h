/* jobs.h: the priority job queue from the UI (or fdesk sync) to the sync thread.
 *
 * Jobs are small fixed-size values. The queue orders them by priority and,
 * within one priority, first in first out:
 *   JOB_INTERACTIVE  what the agent just asked for (open ticket N, send outbox
 *                    item K, a server search);
 *   JOB_PREFETCH     conversations for the top of the current view;
 *   JOB_BACKGROUND   sync runs (incremental or full).
 * A job equal to one already pending (same kind and target) is not queued
 * twice; if it comes with a higher priority the pending one is promoted.
 * Prefetch jobs are bounded (the oldest are dropped) so a fast-scrolling UI
 * cannot flood the queue.
 *
 * Stopping is not a job: jobs_stop() sets a flag that every waiter and every
 * transfer's progress callback sees at once (jobs_stopping()), so the thread
 * leaves within one second even mid-transfer. */
#ifndef FD_JOBS_H
#define FD_JOBS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "src/model.h"

enum job_kind {
    JOB_SYNC = 1,       /* incremental sync now */
    JOB_SYNC_FULL,      /* page everything in range again */
    JOB_CONVERSATIONS,  /* fetch the conversations of ticket_id */
    JOB_OUTBOX,         /* send outbox item `item` */
    JOB_SEARCH,         /* server search for `query` */
    JOB_REFRESH_TICKET, /* re-read ticket_id and its conversations (collision check) */
    JOB_DOWNLOAD,       /* save attachment `item` of ticket_id to the file named by `query` */
};

enum job_priority { JOB_INTERACTIVE = 0, JOB_PREFETCH = 1, JOB_BACKGROUND = 2 };

#define JOBS_QUERY_MAX    512
#define JOBS_MAX_PREFETCH 64

struct fd_job {
    enum job_kind kind;
    enum job_priority priority;
    fd_id ticket_id;
    int64_t item;
    char query[JOBS_QUERY_MAX];
};

struct jobs;

/* Returns a new empty queue, or NULL when out of memory. */
struct jobs *jobs_new(void);
void jobs_free(struct jobs *q);

/* Queues a copy of job (see the de-duplication rule above). Thread-safe.
 * Returns 0, or -1 when the queue is stopping or out of memory. */
int jobs_push(struct jobs *q, const struct fd_job *job);
/* Shorthands for the common jobs. */
int jobs_push_sync(struct jobs *q, bool full);
int jobs_push_conversations(struct jobs *q, fd_id ticket_id, enum job_priority priority);
int jobs_push_outbox(struct jobs *q, int64_t item);

/* Takes the most urgent job whose priority is at least as urgent as
 * `least_urgent` (JOB_BACKGROUND takes anything). Waits up to timeout_ms
 * (0: do not wait, -1: forever) for one. Returns true with *out filled, false
 * on timeout or when the queue is stopping. */
bool jobs_pop(struct jobs *q, struct fd_job *out, enum job_priority least_urgent, int timeout_ms);

/* Drops every pending prefetch job (the view moved elsewhere). */
void jobs_clear_prefetch(struct jobs *q);

/* Number of pending jobs at least as urgent as `least_urgent`. */
int jobs_pending(struct jobs *q, enum job_priority least_urgent);

/* Asks the consumer to stop: wakes every waiter; later pops return false. */
void jobs_stop(struct jobs *q);
/* True once jobs_stop() was called. Lock-free: safe in curl callbacks. */
bool jobs_stopping(const struct jobs *q);
/* The same flag as an atomic_int, for http_options.cancel and ratelimit_wait(). */
const atomic_int *jobs_cancel_flag(const struct jobs *q);

#endif
