/* jobs.c: the sync thread's priority job queue (jobs.h).
 *
 * The queue is short (a handful of interactive jobs, at most JOBS_MAX_PREFETCH
 * prefetches, one or two sync runs), so it is a plain array scanned linearly:
 * each entry carries a sequence number that keeps FIFO order within a priority. */
#include "src/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct job_entry {
    struct fd_job job;
    uint64_t seq;
};

struct jobs {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct job_entry *entries;
    int count, capacity;
    uint64_t next_seq;
    atomic_int stopping;
};

struct jobs *jobs_new(void)
{
    struct jobs *q = calloc(1, sizeof *q);
    pthread_condattr_t attr;

    if (!q)
        return NULL;
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->changed, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&q->stopping, 0);
    return q;
}

void jobs_free(struct jobs *q)
{
    if (!q)
        return;
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->changed);
    free(q->entries);
    free(q);
}

static bool same_target(const struct fd_job *a, const struct fd_job *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case JOB_SYNC:
    case JOB_SYNC_FULL:
        return true;
    case JOB_CONVERSATIONS:
    case JOB_REFRESH_TICKET:
        return a->ticket_id == b->ticket_id;
    case JOB_OUTBOX:
        return a->item == b->item;
    case JOB_DOWNLOAD:
        return a->item == b->item && strcmp(a->query, b->query) == 0;
    case JOB_SEARCH:
        return strcmp(a->query, b->query) == 0;
    }
    return false;
}

static void remove_at(struct jobs *q, int i)
{
    memmove(&q->entries[i], &q->entries[i + 1], (size_t)(q->count - i - 1) * sizeof *q->entries);
    q->count--;
}

/* Keeps the number of prefetches bounded by dropping the oldest one. */
static void trim_prefetch(struct jobs *q)
{
    int n = 0, oldest = -1;

    for (int i = 0; i < q->count; i++) {
        if (q->entries[i].job.priority != JOB_PREFETCH)
            continue;
        n++;
        if (oldest < 0 || q->entries[i].seq < q->entries[oldest].seq)
            oldest = i;
    }
    if (n > JOBS_MAX_PREFETCH)
        remove_at(q, oldest);
}

static int append(struct jobs *q, const struct fd_job *job)
{
    if (q->count == q->capacity) {
        int cap = q->capacity ? q->capacity * 2 : 16;
        struct job_entry *e = realloc(q->entries, (size_t)cap * sizeof *e);
        if (!e)
            return -1;
        q->entries = e;
        q->capacity = cap;
    }
    q->entries[q->count].job = *job;
    q->entries[q->count].seq = q->next_seq++;
    q->count++;
    return 0;
}

int jobs_push(struct jobs *q, const struct fd_job *job)
{
    int rc = 0;
    bool found = false;

    if (atomic_load(&q->stopping))
        return -1;
    pthread_mutex_lock(&q->lock);
    for (int i = 0; i < q->count; i++) {
        struct fd_job *pending = &q->entries[i].job;
        if (!same_target(pending, job))
            continue;
        found = true;
        if (job->priority < pending->priority)
            pending->priority = job->priority;
        break;
    }
    if (!found) {
        rc = append(q, job);
        if (rc == 0 && job->priority == JOB_PREFETCH)
            trim_prefetch(q);
    }
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
    return rc;
}

int jobs_push_sync(struct jobs *q, bool full)
{
    struct fd_job job = {.kind = full ? JOB_SYNC_FULL : JOB_SYNC, .priority = JOB_BACKGROUND};
    return jobs_push(q, &job);
}

int jobs_push_conversations(struct jobs *q, fd_id ticket_id, enum job_priority priority)
{
    struct fd_job job = {.kind = JOB_CONVERSATIONS, .priority = priority, .ticket_id = ticket_id};
    return jobs_push(q, &job);
}

int jobs_push_outbox(struct jobs *q, int64_t item)
{
    struct fd_job job = {.kind = JOB_OUTBOX, .priority = JOB_INTERACTIVE, .item = item};
    return jobs_push(q, &job);
}

/* Index of the most urgent eligible entry, or -1. Caller holds the lock. */
static int most_urgent(struct jobs *q, enum job_priority least_urgent)
{
    int best = -1;

    for (int i = 0; i < q->count; i++) {
        const struct job_entry *e = &q->entries[i];
        if (e->job.priority > least_urgent)
            continue;
        if (best < 0 || e->job.priority < q->entries[best].job.priority ||
            (e->job.priority == q->entries[best].job.priority && e->seq < q->entries[best].seq))
            best = i;
    }
    return best;
}

static struct timespec deadline_after(int timeout_ms)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_sec += timeout_ms / 1000;
    t.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

bool jobs_pop(struct jobs *q, struct fd_job *out, enum job_priority least_urgent, int timeout_ms)
{
    struct timespec deadline = deadline_after(timeout_ms > 0 ? timeout_ms : 0);
    bool got = false;
    int i;

    pthread_mutex_lock(&q->lock);
    for (;;) {
        if (atomic_load(&q->stopping))
            break;
        i = most_urgent(q, least_urgent);
        if (i >= 0) {
            *out = q->entries[i].job;
            remove_at(q, i);
            got = true;
            break;
        }
        if (timeout_ms == 0)
            break;
        if (timeout_ms < 0)
            pthread_cond_wait(&q->changed, &q->lock);
        else if (pthread_cond_timedwait(&q->changed, &q->lock, &deadline) == ETIMEDOUT)
            timeout_ms = 0; /* one last look, then give up */
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

void jobs_clear_prefetch(struct jobs *q)
{
    pthread_mutex_lock(&q->lock);
    for (int i = q->count - 1; i >= 0; i--)
        if (q->entries[i].job.priority == JOB_PREFETCH)
            remove_at(q, i);
    pthread_mutex_unlock(&q->lock);
}

int jobs_pending(struct jobs *q, enum job_priority least_urgent)
{
    int n = 0;

    pthread_mutex_lock(&q->lock);
    for (int i = 0; i < q->count; i++)
        if (q->entries[i].job.priority <= least_urgent)
            n++;
    pthread_mutex_unlock(&q->lock);
    return n;
}

void jobs_stop(struct jobs *q)
{
    pthread_mutex_lock(&q->lock);
    atomic_store(&q->stopping, 1);
    pthread_cond_broadcast(&q->changed);
    pthread_mutex_unlock(&q->lock);
}

bool jobs_stopping(const struct jobs *q)
{
    return atomic_load(&q->stopping) != 0;
}

const atomic_int *jobs_cancel_flag(const struct jobs *q)
{
    return &q->stopping;
}
