/* ratelimit.h: the account's API budget, learned from response headers, and
 * the waits and retry delays that keep fdesk inside it.
 *
 * Freshdesk limits calls per account and per minute (shared by every agent and
 * integration) and reports the budget in X-RateLimit-Total, -Remaining and
 * -Used-CurrentRequest. One `struct ratelimit` is shared by every request of
 * the process (all threads, all api handles): it is thread-safe.
 *
 * 429 Too Many Requests: the request was not processed. ratelimit_block()
 * records "no request of this kind before now + Retry-After" (60 s with up to
 * 10 % random jitter when the header is absent); ratelimit_wait() sleeps until
 * that moment and never returns earlier (unless cancelled). Because the
 * account's per-minute budget is shared by all endpoints and a 429 does not
 * reliably say which bucket ran out, a 429 currently blocks every kind; the
 * kind is kept in the interface so per-bucket limits can be added later.
 *
 * Retries of GET and PUT after 5xx, timeouts and dropped connections use
 * ratelimit_backoff_ms(): capped exponential backoff with full jitter. POST is
 * never retried blindly (the outbox checks the server first). */
#ifndef FD_RATELIMIT_H
#define FD_RATELIMIT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* Freshdesk's separately limited buckets; FD_RL_OTHER is everything else. */
enum ratelimit_kind {
    RL_KIND_OTHER = 0,
    RL_KIND_TICKETS_LIST,
    RL_KIND_TICKET_CREATE,
    RL_KIND_TICKET_UPDATE,
    RL_KIND_CONTACTS_LIST,
    RL_KIND_COUNT
};

/* A copy of the budget at one moment. -1 means "not reported yet". */
struct ratelimit_snapshot {
    long total;     /* X-RateLimit-Total */
    long remaining; /* X-RateLimit-Remaining */
    long used_last; /* X-RateLimit-Used-CurrentRequest of the latest response */
    int64_t
        blocked_until_ms; /* CLOCK_MONOTONIC ms before which RL_KIND_OTHER must wait; 0 = none */
    long throttled_count; /* 429s seen since creation */
};

struct ratelimit;

/* Creates a budget with nothing known. Returns NULL on allocation failure. */
struct ratelimit *ratelimit_new(void);
void ratelimit_free(struct ratelimit *rl);

/* Which bucket a request belongs to, from its method and path
 * ("/api/v2/tickets?..." GET -> RL_KIND_TICKETS_LIST). */
enum ratelimit_kind ratelimit_kind_for(const char *method, const char *path);

/* Records the headers of a response (any of them may be -1 = absent). */
void ratelimit_update(struct ratelimit *rl, long total, long remaining, long used);

/* Records a 429: no request of `kind` (or of any kind, see above) before
 * now + retry_after_s; retry_after_s <= 0 means the header was absent and the
 * wait is 60 s plus jitter. `remaining` is X-RateLimit-Remaining of the 429
 * (-1 if absent). Returns the wait in milliseconds. */
long ratelimit_block(struct ratelimit *rl, enum ratelimit_kind kind, long retry_after_s,
                     long remaining);

/* Milliseconds until a request of `kind` is allowed (0 = now). */
long ratelimit_delay_ms(struct ratelimit *rl, enum ratelimit_kind kind);

/* Sleeps until a request of `kind` is allowed. Checks *cancel (may be NULL)
 * at least every 200 ms. Returns 0 when allowed, -1 when cancelled. */
int ratelimit_wait(struct ratelimit *rl, enum ratelimit_kind kind, const atomic_int *cancel);

/* True when `percent` of the total budget is still left (or nothing is known
 * yet): background work calls this to leave headroom for interactive work. */
bool ratelimit_has_headroom(struct ratelimit *rl, int percent);

void ratelimit_get(struct ratelimit *rl, struct ratelimit_snapshot *out);

/* Delay before retry number `attempt` (1 = first retry): a random value in
 * [base/2, min(cap, base * 2^(attempt-1))] milliseconds. Thread-safe. */
long ratelimit_backoff_ms(int attempt, long base_ms, long cap_ms);

/* Sleeps ms milliseconds, checking *cancel (may be NULL) every 100 ms.
 * Returns 0, or -1 when cancelled. */
int ratelimit_sleep_ms(long ms, const atomic_int *cancel);

#endif
