/* sync_pipe.c: a helper thread that fetches the next batch of ticket pages
 * while the engine thread stores the current one (and, on a second helper,
 * account data while the engine pages).
 *
 * Storing a page in SQLite costs about as much as fetching it, so paging
 * sequentially would leave the network idle half the time. The helper owns
 * its own api handle (own CURL handles, created and freed on the helper
 * thread); the two threads share only the batch slot below, under a mutex,
 * and the rate budget (thread-safe) and the cancel flag (atomic). */
#include "src/sync_internal.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

struct sync_pipe {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    const struct fd_config *cfg;
    struct ratelimit *budget;
    const atomic_int *cancel;
    long low_speed_time;
    int max_attempts;
    bool ready;   /* the helper has tried to create its api handle */
    bool has_api; /* and succeeded */
    bool quit;
    /* the task slot */
    bool requested, done;
    sync_task_fn fn;
    void *arg;
};

static void *pipe_thread(void *arg)
{
    struct sync_pipe *p = arg;
    struct api *api = NULL;
    struct api_options ao;
    struct fd_error err = FD_ERROR_INIT;
    sigset_t set;

    sigfillset(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    api_options_from_config(&ao, p->cfg);
    ao.budget = p->budget;
    ao.cancel = p->cancel;
    ao.low_speed_time = p->low_speed_time;
    ao.max_attempts = p->max_attempts;
    if (api_new(&ao, &api, &err) != 0)
        api = NULL;
    fd_error_clear(&err);

    pthread_mutex_lock(&p->lock);
    p->ready = true;
    p->has_api = api != NULL;
    pthread_cond_broadcast(&p->changed);
    if (!api)
        p->quit = true;
    for (;;) {
        while (!p->quit && !p->requested)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->quit)
            break;
        sync_task_fn fn = p->fn;
        void *task_arg = p->arg;
        pthread_mutex_unlock(&p->lock);
        fn(api, task_arg);
        pthread_mutex_lock(&p->lock);
        p->requested = false;
        p->done = true;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    api_free(api);
    return NULL;
}

struct sync_pipe *sync_pipe_new(struct sync_run *r)
{
    struct sync_pipe *p = calloc(1, sizeof *p);
    bool ok;

    if (!p)
        return NULL;
    p->cfg = r->cfg;
    p->budget = r->budget;
    p->cancel = jobs_cancel_flag(r->jobs);
    p->low_speed_time = r->opts->low_speed_time;
    p->max_attempts = r->opts->max_attempts;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    if (pthread_create(&p->thread, NULL, pipe_thread, p) != 0) {
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->changed);
        free(p);
        return NULL;
    }
    pthread_mutex_lock(&p->lock);
    while (!p->ready)
        pthread_cond_wait(&p->changed, &p->lock);
    ok = p->has_api;
    pthread_mutex_unlock(&p->lock);
    if (!ok) {
        sync_pipe_free(p);
        return NULL;
    }
    return p;
}

void sync_pipe_free(struct sync_pipe *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p);
}

void sync_pipe_run(struct sync_pipe *p, sync_task_fn fn, void *arg)
{
    pthread_mutex_lock(&p->lock);
    p->fn = fn;
    p->arg = arg;
    p->done = false;
    p->requested = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

static void fetch_batch(struct api *api, void *arg)
{
    struct sync_batch *b = arg;

    api_list_tickets_many(api, (const char *const *)b->urls, (size_t)b->count, b->pages, b->results,
                          b->errs);
}

void sync_pipe_submit(struct sync_pipe *p, struct sync_batch *b)
{
    sync_pipe_run(p, fetch_batch, b);
}

void sync_pipe_collect(struct sync_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    while (!p->done)
        pthread_cond_wait(&p->changed, &p->lock);
    p->done = false;
    p->fn = NULL;
    p->arg = NULL;
    pthread_mutex_unlock(&p->lock);
}
