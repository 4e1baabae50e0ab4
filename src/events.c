/* events.c: the event queue between the sync thread and the UI (events.h).
 *
 * A growable ring of fixed-size events under one mutex, a condition variable
 * for consumers that block (fdesk sync in the foreground, tests), and an
 * eventfd that is readable exactly while the ring is not empty, for the UI's
 * poll() loop. */
#include "src/events.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct events {
    pthread_mutex_t lock;
    pthread_cond_t nonempty;
    struct fd_event *ring;
    size_t capacity;
    size_t head; /* index of the oldest event */
    size_t count;
    int fd;
};

struct events *events_new(void)
{
    struct events *q = calloc(1, sizeof *q);
    pthread_condattr_t attr;

    if (!q)
        return NULL;
    q->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (q->fd < 0) {
        free(q);
        return NULL;
    }
    pthread_mutex_init(&q->lock, NULL);
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&q->nonempty, &attr);
    pthread_condattr_destroy(&attr);
    return q;
}

void events_free(struct events *q)
{
    if (!q)
        return;
    close(q->fd);
    pthread_mutex_destroy(&q->lock);
    pthread_cond_destroy(&q->nonempty);
    free(q->ring);
    free(q);
}

int events_fd(const struct events *q)
{
    return q->fd;
}

static struct fd_event *slot(struct events *q, size_t i)
{
    return &q->ring[(q->head + i) % q->capacity];
}

static int grow(struct events *q)
{
    size_t cap = q->capacity ? q->capacity * 2 : 16;
    struct fd_event *ring = malloc(cap * sizeof *ring);

    if (!ring)
        return -1;
    for (size_t i = 0; i < q->count; i++)
        ring[i] = *slot(q, i);
    free(q->ring);
    q->ring = ring;
    q->capacity = cap;
    q->head = 0;
    return 0;
}

void events_tickets_merge(struct fd_event_tickets *dst, const struct fd_event_tickets *src)
{
    if (src->count == 0)
        return;
    if (dst->count == 0) {
        *dst = *src;
        return;
    }
    for (size_t i = 0; i < src->id_count && dst->id_count < EVENTS_MAX_IDS; i++)
        dst->ids[dst->id_count++] = src->ids[i];
    dst->count += src->count;
    if (src->min_id < dst->min_id)
        dst->min_id = src->min_id;
    if (src->max_id > dst->max_id)
        dst->max_id = src->max_id;
    if (src->updated_min && (!dst->updated_min || src->updated_min < dst->updated_min))
        dst->updated_min = src->updated_min;
    if (src->updated_max > dst->updated_max)
        dst->updated_max = src->updated_max;
    dst->removed = dst->removed || src->removed;
}

/* Folds ev into the tail event when both are of a kind that coalesces. */
static bool coalesce(struct events *q, const struct fd_event *ev)
{
    struct fd_event *tail;

    if (q->count == 0)
        return false;
    tail = slot(q, q->count - 1);
    if (tail->type != ev->type)
        return false;
    switch (ev->type) {
    case FD_EVENT_PROGRESS:
    case FD_EVENT_RATE_BUDGET:
        *tail = *ev;
        return true;
    case FD_EVENT_TICKETS_CHANGED:
        events_tickets_merge(&tail->u.tickets, &ev->u.tickets);
        return true;
    default:
        return false;
    }
}

static void wake(struct events *q)
{
    uint64_t one = 1;
    ssize_t n;

    do
        n = write(q->fd, &one, sizeof one);
    while (n < 0 && errno == EINTR);
}

static void unwake(struct events *q)
{
    uint64_t value;
    ssize_t n;

    do
        n = read(q->fd, &value, sizeof value);
    while (n < 0 && errno == EINTR);
}

int events_push(struct events *q, const struct fd_event *ev)
{
    int rc = 0;

    pthread_mutex_lock(&q->lock);
    if (!coalesce(q, ev)) {
        if (q->count == q->capacity && grow(q) != 0) {
            rc = -1;
        } else {
            *slot(q, q->count) = *ev;
            if (q->count++ == 0)
                wake(q);
            pthread_cond_broadcast(&q->nonempty);
        }
    }
    pthread_mutex_unlock(&q->lock);
    return rc;
}

/* Caller holds the lock and the queue is not empty. */
static void take(struct events *q, struct fd_event *out)
{
    *out = *slot(q, 0);
    q->head = (q->head + 1) % q->capacity;
    if (--q->count == 0)
        unwake(q);
}

bool events_pop(struct events *q, struct fd_event *out)
{
    bool got = false;

    pthread_mutex_lock(&q->lock);
    if (q->count > 0) {
        take(q, out);
        got = true;
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

bool events_wait(struct events *q, struct fd_event *out, int timeout_ms)
{
    struct timespec deadline;
    bool got = false;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    if (timeout_ms > 0) {
        deadline.tv_sec += timeout_ms / 1000;
        deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
    }
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && timeout_ms != 0) {
        if (timeout_ms < 0) {
            pthread_cond_wait(&q->nonempty, &q->lock);
        } else if (pthread_cond_timedwait(&q->nonempty, &q->lock, &deadline) == ETIMEDOUT) {
            break;
        }
    }
    if (q->count > 0) {
        take(q, out);
        got = true;
    }
    pthread_mutex_unlock(&q->lock);
    return got;
}

size_t events_pending(struct events *q)
{
    size_t n;

    pthread_mutex_lock(&q->lock);
    n = q->count;
    pthread_mutex_unlock(&q->lock);
    return n;
}

int events_post_error(struct events *q, const char *fmt, ...)
{
    struct fd_event ev = {.type = FD_EVENT_ERROR};
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(ev.message, sizeof ev.message, fmt, ap);
    va_end(ap);
    return events_push(q, &ev);
}

int events_post_ticket(struct events *q, fd_id id, fd_time updated_at, bool removed)
{
    struct fd_event ev = {.type = FD_EVENT_TICKETS_CHANGED};

    ev.u.tickets.count = 1;
    ev.u.tickets.id_count = 1;
    ev.u.tickets.ids[0] = id;
    ev.u.tickets.min_id = ev.u.tickets.max_id = id;
    ev.u.tickets.updated_min = ev.u.tickets.updated_max = updated_at;
    ev.u.tickets.removed = removed;
    return events_push(q, &ev);
}

int events_post_conversations(struct events *q, fd_id ticket_id)
{
    struct fd_event ev = {.type = FD_EVENT_CONVERSATIONS};

    ev.u.ticket_id = ticket_id;
    return events_push(q, &ev);
}
