/* ratelimit.c: the shared API budget (one mutex around a few numbers), the
 * "not before" times set by 429 answers, and the jittered backoff used for
 * retries. Times are CLOCK_MONOTONIC so a clock change cannot shorten a wait. */
#include "src/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct ratelimit {
    pthread_mutex_t lock;
    long total;
    long remaining;
    long used_last;
    long throttled_count;
    int64_t blocked_until_ms[RL_KIND_COUNT];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A thread-safe random number in [0, bound), seeded once per thread. */
static long random_below(long bound)
{
    static _Thread_local unsigned int seed;
    static _Thread_local int seeded;
    if (!seeded) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = (unsigned int)(ts.tv_nsec ^ (ts.tv_sec << 16) ^ (long)(size_t)&seed);
        seeded = 1;
    }
    if (bound <= 0)
        return 0;
    return (long)(rand_r(&seed) % bound);
}

struct ratelimit *ratelimit_new(void)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    pthread_mutex_init(&rl->lock, NULL);
    rl->total = rl->remaining = rl->used_last = -1;
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl);
}

static bool path_is(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '?');
}

enum ratelimit_kind ratelimit_kind_for(const char *method, const char *path)
{
    if (!method || !path)
        return RL_KIND_OTHER;
    /* Accept absolute URLs: look at the path part only. */
    const char *p = strstr(path, "/api/v2/");
    if (!p)
        return RL_KIND_OTHER;
    bool get = strcasecmp(method, "GET") == 0;
    if (get && path_is(p, "/api/v2/tickets"))
        return RL_KIND_TICKETS_LIST;
    if (get && path_is(p, "/api/v2/contacts"))
        return RL_KIND_CONTACTS_LIST;
    if (strcasecmp(method, "POST") == 0 && path_is(p, "/api/v2/tickets"))
        return RL_KIND_TICKET_CREATE;
    if (strcasecmp(method, "PUT") == 0 && strncmp(p, "/api/v2/tickets/", 16) == 0) {
        const char *id = p + 16;
        if (*id >= '0' && *id <= '9' && !strchr(id, '/'))
            return RL_KIND_TICKET_UPDATE;
    }
    return RL_KIND_OTHER;
}

void ratelimit_update(struct ratelimit *rl, long total, long remaining, long used)
{
    pthread_mutex_lock(&rl->lock);
    if (total >= 0)
        rl->total = total;
    if (remaining >= 0)
        rl->remaining = remaining;
    if (used >= 0)
        rl->used_last = used;
    pthread_mutex_unlock(&rl->lock);
}

long ratelimit_block(struct ratelimit *rl, enum ratelimit_kind kind, long retry_after_s,
                     long remaining)
{
    long wait_ms;
    if (retry_after_s > 0)
        wait_ms = retry_after_s * 1000;
    else
        wait_ms = 60000 + random_below(6000);
    /* Retry-After has a one-second resolution: the server may round down, so
     * add a small margin rather than risk arriving a few ms early. */
    wait_ms += 100;
    int64_t until = now_ms() + wait_ms;
    pthread_mutex_lock(&rl->lock);
    rl->throttled_count++;
    if (remaining >= 0)
        rl->remaining = remaining;
    /* Every kind waits: the per-minute budget is shared by all endpoints, and
     * Freshdesk does not say reliably which bucket a 429 came from. */
    for (int k = 0; k < RL_KIND_COUNT; k++) {
        if (rl->blocked_until_ms[k] < until)
            rl->blocked_until_ms[k] = until;
    }
    pthread_mutex_unlock(&rl->lock);
    return wait_ms;
}

long ratelimit_delay_ms(struct ratelimit *rl, enum ratelimit_kind kind)
{
    if ((unsigned)kind >= RL_KIND_COUNT)
        kind = RL_KIND_OTHER;
    pthread_mutex_lock(&rl->lock);
    int64_t until = rl->blocked_until_ms[kind];
    pthread_mutex_unlock(&rl->lock);
    int64_t d = until - now_ms();
    return d > 0 ? (long)d : 0;
}

int ratelimit_sleep_ms(long ms, const atomic_int *cancel)
{
    int64_t end = now_ms() + ms;
    for (;;) {
        if (cancel && atomic_load(cancel))
            return -1;
        int64_t left = end - now_ms();
        if (left <= 0)
            return 0;
        if (left > 100)
            left = 100;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)left * 1000000L};
        nanosleep(&ts, NULL);
    }
}

int ratelimit_wait(struct ratelimit *rl, enum ratelimit_kind kind, const atomic_int *cancel)
{
    for (;;) {
        /* Re-read after each sleep: another thread may have extended the block. */
        long d = ratelimit_delay_ms(rl, kind);
        if (d <= 0)
            return cancel && atomic_load(cancel) ? -1 : 0;
        if (ratelimit_sleep_ms(d > 200 ? 200 : d, cancel) != 0)
            return -1;
    }
}

bool ratelimit_has_headroom(struct ratelimit *rl, int percent)
{
    pthread_mutex_lock(&rl->lock);
    bool ok = rl->total <= 0 || rl->remaining < 0 || rl->remaining * 100 > rl->total * percent;
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

void ratelimit_get(struct ratelimit *rl, struct ratelimit_snapshot *out)
{
    pthread_mutex_lock(&rl->lock);
    out->total = rl->total;
    out->remaining = rl->remaining;
    out->used_last = rl->used_last;
    out->blocked_until_ms = rl->blocked_until_ms[RL_KIND_OTHER];
    out->throttled_count = rl->throttled_count;
    pthread_mutex_unlock(&rl->lock);
}

long ratelimit_backoff_ms(int attempt, long base_ms, long cap_ms)
{
    if (attempt < 1)
        attempt = 1;
    long ceiling = base_ms;
    for (int i = 1; i < attempt && ceiling < cap_ms; i++)
        ceiling *= 2;
    if (ceiling > cap_ms)
        ceiling = cap_ms;
    long floor = base_ms / 2;
    if (floor > ceiling)
        floor = ceiling;
    return floor + random_below(ceiling - floor + 1);
}
