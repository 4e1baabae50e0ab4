/* helpers.h: small builders shared by the store tests: a temporary cache
 * path, tickets and conversations with the fields the tests care about. */
#ifndef FD_TEST_STORE_HELPERS_H
#define FD_TEST_STORE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/model.h"
#include "src/store.h"

/* A fresh directory under /tmp; the cache goes at dir/sub/acme.db so that
 * store_open must create the parent directory. */
struct test_cache {
    char dir[64];
    char path[128];
};

static inline void test_cache_init(struct test_cache *c)
{
    snprintf(c->dir, sizeof c->dir, "/tmp/fdesk-store-test-XXXXXX");
    if (!mkdtemp(c->dir))
        abort();
    snprintf(c->path, sizeof c->path, "%s/sub/acme.db", c->dir);
}

static inline void test_cache_remove(struct test_cache *c)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->dir);
    if (system(cmd) != 0)
        abort();
}

static inline struct store *test_open(const char *path)
{
    char err[512];
    struct store *s = store_open(path, STORE_OPEN_CREATE, NULL, err, sizeof err);
    if (!s)
        fprintf(stderr, "# store_open: %s\n", err);
    return s;
}

static inline char *test_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A ticket with the given id, status, priority and updated_at; the json is a
 * minimal Freshdesk-shaped object. */
static inline void test_ticket(struct fd_ticket *t, fd_id id, int status, int priority,
                               fd_time updated_at, const char *subject)
{
    char json[256];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->status = status;
    t->priority = priority;
    t->updated_at = updated_at;
    t->created_at = updated_at - 1000;
    t->subject = test_strdup(subject);
    snprintf(json, sizeof json, "{\"id\":%lld,\"subject\":\"s%lld\",\"status\":%d}", (long long)id,
             (long long)id, status);
    t->json = strdup(json);
}

static inline void test_requester(struct fd_ticket *t, fd_id id, const char *name,
                                  const char *email)
{
    t->requester_id = id;
    t->requester = calloc(1, sizeof *t->requester);
    t->requester->id = id;
    t->requester->name = test_strdup(name);
    t->requester->email = test_strdup(email);
}

static inline void test_company(struct fd_ticket *t, fd_id id, const char *name)
{
    t->company_id = id;
    t->company = calloc(1, sizeof *t->company);
    t->company->id = id;
    t->company->name = test_strdup(name);
}

/* Upserts and frees the ticket; returns store_upsert_ticket's result. */
static inline int test_put(struct store *s, struct fd_ticket *t)
{
    int rc = store_upsert_ticket(s, t);
    model_ticket_clear(t);
    return rc;
}

static inline void test_conversation(struct fd_conversation *c, fd_id id, fd_id ticket_id,
                                     fd_time created_at, const char *body, bool incoming,
                                     bool is_private)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->ticket_id = ticket_id;
    c->created_at = created_at;
    c->updated_at = created_at;
    c->body_text = test_strdup(body);
    c->incoming = incoming;
    c->is_private = is_private;
    c->source = is_private ? 2 : 0;
}

#endif
