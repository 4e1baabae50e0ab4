/* events.h: the typed event queue from the sync thread to the UI.
 *
 * The sync thread (producer; several producers are allowed) posts small,
 * fixed-size events; the UI thread (one consumer) waits in poll() on
 * events_fd() and then drains the queue with events_pop(). No event carries a
 * pointer, so nothing has to be freed and no memory is shared between the
 * threads beyond the queue itself.
 *
 * The wake fd is an eventfd (non-blocking, close-on-exec). It is readable
 * exactly while the queue holds at least one event: a push into an empty queue
 * makes it readable, and the pop that empties the queue drains it, both under
 * the queue's lock. The consumer never reads the fd itself.
 *
 * Bursts are coalesced so a slow consumer cannot make the queue grow without
 * bound: a progress or rate-budget event replaces one of the same type at the
 * tail, and a tickets-changed event merges into one at the tail (ids beyond
 * EVENTS_MAX_IDS are dropped but counted; the range still covers them).
 * Ordering between events of different types is always kept. */
#ifndef FD_EVENTS_H
#define FD_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/model.h"

#define EVENTS_MAX_IDS     32
#define EVENTS_MESSAGE_MAX 240

enum fd_event_type {
    FD_EVENT_TICKETS_CHANGED = 1, /* tickets were stored, updated or left the views */
    FD_EVENT_PROGRESS,            /* paging progress of a sync run */
    FD_EVENT_RATE_BUDGET,         /* what the X-RateLimit-* headers said last */
    FD_EVENT_OFFLINE,             /* the server cannot be reached; retry_at says when */
    FD_EVENT_ONLINE,              /* it can again */
    FD_EVENT_ERROR,               /* something failed; message is for the user */
    FD_EVENT_CONVERSATIONS,       /* the conversations of ticket_id are in the store */
    FD_EVENT_OUTBOX_SENT,         /* outbox item was confirmed by the server */
    FD_EVENT_OUTBOX_FAILED,       /* outbox item was refused; message says why */
    FD_EVENT_SYNC_FINISHED,       /* a sync run ended (ok or not) */
    FD_EVENT_NOTICE,              /* something the user asked for is done; message says what */
    FD_EVENT_TICKET_REFRESHED, /* JOB_REFRESH_TICKET re-read ticket_id (after its CONVERSATIONS) */
};

/* Which tickets changed. When count <= EVENTS_MAX_IDS, ids[] lists them all;
 * otherwise ids[] holds the first ones and the id/updated_at ranges cover the
 * rest, and a consumer should simply reload what it shows. */
struct fd_event_tickets {
    size_t count;
    size_t id_count;
    fd_id ids[EVENTS_MAX_IDS];
    fd_id min_id, max_id;
    fd_time updated_min, updated_max; /* 0 when unknown */
    bool removed;                     /* some tickets left the views (deleted, spam, merged) */
};

struct fd_event_progress {
    int pages_done;
    int pages_estimated; /* 0 when unknown */
    int64_t tickets_stored;
    int credits_left; /* -1 when unknown */
    int eta_seconds;  /* -1 when unknown */
    bool first_sync;
};

struct fd_event_rate {
    int total;     /* X-RateLimit-Total, -1 when unknown */
    int remaining; /* X-RateLimit-Remaining, -1 when unknown */
    int used;      /* X-RateLimit-Used-CurrentRequest of the last call */
};

struct fd_event_offline {
    fd_time retry_at; /* when the next attempt is due (UTC seconds) */
    int attempt;
};

struct fd_event_outbox {
    int64_t item; /* outbox item id */
    fd_id ticket_id;
    fd_id remote_id; /* the conversation or ticket id the server gave, 0 if none */
};

struct fd_event_finished {
    bool ok;
    bool complete; /* the cache now holds everything in range */
    int64_t tickets_stored;
    int requests;
};

struct fd_event {
    enum fd_event_type type;
    union {
        struct fd_event_tickets tickets;
        struct fd_event_progress progress;
        struct fd_event_rate rate;
        struct fd_event_offline offline;
        fd_id ticket_id; /* FD_EVENT_CONVERSATIONS, FD_EVENT_TICKET_REFRESHED */
        struct fd_event_outbox outbox;
        struct fd_event_finished finished;
    } u;
    /* FD_EVENT_ERROR, FD_EVENT_OUTBOX_FAILED, FD_EVENT_OFFLINE, FD_EVENT_NOTICE: what to tell the
     * user (never the API key); empty otherwise. */
    char message[EVENTS_MESSAGE_MAX];
};

struct events;

/* Creates an empty queue and its wake fd. Returns NULL on failure (errno set). */
struct events *events_new(void);
/* Closes the fd and frees the queue; no thread may use it any more. */
void events_free(struct events *q);

/* The fd to poll for POLLIN; readable while events are pending. */
int events_fd(const struct events *q);

/* Appends a copy of ev (coalescing as described above). Thread-safe.
 * Returns 0, or -1 if memory ran out (the event is lost). */
int events_push(struct events *q, const struct fd_event *ev);

/* Removes the oldest event into *out. Returns true if there was one. */
bool events_pop(struct events *q, struct fd_event *out);

/* Like events_pop, but waits up to timeout_ms (-1: forever) for an event.
 * Returns true with an event, false on timeout. */
bool events_wait(struct events *q, struct fd_event *out, int timeout_ms);

/* Number of events waiting (for tests and the status bar). */
size_t events_pending(struct events *q);

/* Helpers that fill and push the common events. */
int events_post_error(struct events *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int events_post_ticket(struct events *q, fd_id id, fd_time updated_at, bool removed);
int events_post_conversations(struct events *q, fd_id ticket_id);

/* Merges the ids and ranges of src into dst (exported for the tests). */
void events_tickets_merge(struct fd_event_tickets *dst, const struct fd_event_tickets *src);

#endif
