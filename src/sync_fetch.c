/* sync_fetch.c: the sync engine's fetches other than ticket paging: account
 * data (ticket fields and statuses, agents, groups, agents/me), the
 * conversations of one ticket (opened or prefetched), a server search, and
 * the people named by search results (which carry no include=).
 *
 * Urgent jobs never wait for the network to come back: on failure they post
 * an event and return, and the background sync's own retries bring the
 * engine back online. */
#include "src/sync_internal.h"

#include "src/decode.h"
#include "src/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Account data ------------------------------------------------------------ */

struct meta {
    struct fd_status *statuses;
    size_t status_count;
    struct fd_string_list types;
    struct fd_agent *agents;
    size_t agent_count;
    struct fd_group *groups;
    size_t group_count;
    struct fd_agent me;
    bool have_me;
};

static void meta_clear(struct meta *m)
{
    decode_free_statuses(m->statuses, m->status_count);
    model_string_list_clear(&m->types);
    decode_free_agents(m->agents, m->agent_count);
    decode_free_groups(m->groups, m->group_count);
    model_agent_clear(&m->me);
}

/* A 403 or 404 on an account list (an agent without admin rights) is not a
 * reason to stop syncing tickets. Returns 1 to skip, 0 to retry, -1 abandon. */
static int meta_failed(struct sync_run *r, struct fd_error *err, const char *what)
{
    int rc;

    if (err->kind == FD_ERR_HTTP && (err->http_status == 403 || err->http_status == 404)) {
        log_warn("sync", "%s: %s (skipped)", what, fd_error_message(err));
        fd_error_clear(err);
        return 1;
    }
    rc = sync_failed(r, err, what);
    fd_error_clear(err);
    return rc;
}

/* One of the four account-data requests; returns as the api call does. */
static int fetch_meta_step(struct api *api, struct meta *m, int step, struct fd_error *err)
{
    int rc;

    switch (step) {
    case 0:
        return api_ticket_fields(api, &m->statuses, &m->status_count, &m->types, NULL, err);
    case 1:
        return api_list_agents(api, &m->agents, &m->agent_count, err);
    case 2:
        return api_list_groups(api, &m->groups, &m->group_count, err);
    default:
        rc = api_agent_me(api, &m->me, err);
        m->have_me = rc == 0;
        return rc;
    }
}

static bool meta_skippable(const struct fd_error *err)
{
    return err->kind == FD_ERR_HTTP && (err->http_status == 403 || err->http_status == 404);
}

static int fetch_meta_lists(struct sync_run *r, struct meta *m)
{
    struct fd_error err = FD_ERROR_INIT;
    int rc, step = 0;

    while (step < 4) {
        rc = fetch_meta_step(r->api, m, step, &err);
        r->requests++;
        if (rc == 0) {
            sync_succeeded(r);
            step++;
            continue;
        }
        rc = meta_failed(r, &err, "fetching account data");
        if (rc < 0)
            return -1;
        if (rc == 1)
            step++;
    }
    return 0;
}

static int store_meta(struct sync_run *r, const struct meta *m)
{
    if (store_begin(r->store) != 0)
        goto fail;
    if (m->status_count && store_replace_statuses(r->store, m->statuses, m->status_count) != 0)
        goto fail;
    if (m->types.count && store_replace_ticket_types(r->store, (const char *const *)m->types.items,
                                                     m->types.count) != 0)
        goto fail;
    for (size_t i = 0; i < m->agent_count; i++)
        if (store_upsert_agent(r->store, &m->agents[i]) != 0)
            goto fail;
    for (size_t i = 0; i < m->group_count; i++)
        if (store_upsert_group(r->store, &m->groups[i]) != 0)
            goto fail;
    if (m->have_me &&
        (store_upsert_agent(r->store, &m->me) != 0 || store_set_me(r->store, m->me.id) != 0))
        goto fail;
    r->meta_fetched_at = sync_now();
    if (store_sync_set_int(r->store, "meta_at", r->meta_fetched_at) != 0)
        goto fail;
    return store_commit(r->store);
fail:
    return sync_cache_failed(r, true);
}

bool sync_meta_due(struct sync_run *r, bool force)
{
    int64_t at = 0;

    /* The TUI's long-lived engine fetches them once per run, then daily;
     * `fdesk sync` (run_once) only when the cached copy is a day old, so an
     * idle `fdesk sync` from cron costs a single credit. */
    if (!r->opts->run_once && r->meta_fetched_at == 0)
        return true;
    if (store_sync_get_int(r->store, "meta_at", &at, 0) < 0)
        at = 0;
    return force || !at || sync_now() - at >= SYNC_META_REFRESH;
}

int sync_fetch_meta(struct sync_run *r, bool force)
{
    struct meta m = {0};
    int rc;

    if (!sync_meta_due(r, force))
        return 0;
    rc = fetch_meta_lists(r, &m);
    if (rc == 0)
        rc = store_meta(r, &m);
    meta_clear(&m);
    return rc;
}

/* Account data fetched on the side helper while the engine pages tickets. */
struct sync_meta_task {
    struct meta m;
    struct fd_error err; /* the failure that ended the task early, if any */
    int requests;
};

static void meta_task(struct api *api, void *arg)
{
    struct sync_meta_task *t = arg;

    for (int step = 0; step < 4; step++) {
        t->requests++;
        if (fetch_meta_step(api, &t->m, step, &t->err) == 0)
            continue;
        if (!meta_skippable(&t->err))
            return;
        fd_error_clear(&t->err);
    }
}

void sync_meta_begin(struct sync_run *r, bool force)
{
    if (r->meta || !sync_meta_due(r, force))
        return;
    if (!r->side)
        r->side = sync_pipe_new(r);
    if (!r->side)
        return; /* sync_meta_end fetches it the plain way */
    r->meta = calloc(1, sizeof *r->meta);
    if (r->meta)
        sync_pipe_run(r->side, meta_task, r->meta);
}

int sync_meta_end(struct sync_run *r)
{
    struct sync_meta_task *t = r->meta;
    int rc;

    if (!t)
        return r->abandon ? -1 : sync_fetch_meta(r, false);
    sync_pipe_collect(r->side);
    r->meta = NULL;
    r->requests += t->requests;
    if (t->err.kind == FD_ERR_NONE) {
        rc = store_meta(r, &t->m);
    } else if (r->abandon || jobs_stopping(r->jobs)) {
        rc = -1;
    } else {
        /* Retry (and report) the plain way, with the engine's backoff. */
        log_warn("sync", "account data: %s", fd_error_message(&t->err));
        rc = sync_fetch_meta(r, true);
    }
    fd_error_clear(&t->err);
    meta_clear(&t->m);
    free(t);
    return rc;
}

/* ---- Urgent-job failures ------------------------------------------------------ */

static void urgent_failed(struct sync_run *r, struct fd_error *err, const char *what)
{
    if (err->kind == FD_ERR_CANCELLED) {
        fd_error_clear(err);
        return;
    }
    log_warn("sync", "%s: %s", what, fd_error_message(err));
    if (fd_error_is_offline(err) || fd_error_is_transient(err)) {
        struct fd_event ev = {.type = FD_EVENT_OFFLINE};
        ev.u.offline.retry_at = sync_now() + 5;
        snprintf(ev.message, sizeof ev.message, "%s", fd_error_message(err));
        r->offline = true;
        events_push(r->events, &ev);
    } else {
        events_post_error(r->events, "%s", fd_error_message(err));
    }
    fd_error_clear(err);
}

/* ---- Conversations --------------------------------------------------------- */

/* Fetches and stores a ticket the cache does not know yet. */
static int fetch_ticket(struct sync_run *r, fd_id id, fd_time *updated_at)
{
    struct fd_ticket t = {0};
    struct fd_error err = FD_ERROR_INIT;
    int rc = api_view_ticket(r->api, id, "requester,company", &t, NULL, NULL, &err);

    r->requests++;
    if (rc != 0) {
        urgent_failed(r, &err, "fetching a ticket");
        return -1;
    }
    sync_succeeded(r);
    rc = sync_store_tickets(r, &t, 1, NULL, false, NULL);
    *updated_at = t.updated_at;
    model_ticket_clear(&t);
    return rc;
}

int sync_fetch_conversations(struct sync_run *r, fd_id ticket_id, bool interactive)
{
    fd_time updated_at = 0, current_for = 0;
    struct fd_conversation *convs = NULL;
    size_t count = 0;
    struct fd_error err = FD_ERROR_INIT;
    int have = store_conversation_state(r->store, ticket_id, &updated_at, &current_for);
    /* List pages carry no description: the opened ticket is read whole once. */
    bool described = have == 1 && store_ticket_has_description(r->store, ticket_id) == 1;
    bool current = have == 1 && current_for != 0 && current_for >= updated_at;

    if (current && described) {
        if (interactive)
            events_post_conversations(r->events, ticket_id);
        return 0;
    }
    /* Prefetching must not eat into the agent's headroom. */
    if (!interactive && sync_background_allowance(r) == 0)
        return 0;
    if (!described && fetch_ticket(r, ticket_id, &updated_at) != 0)
        return -1;
    if (current && current_for >= updated_at) {
        events_post_conversations(r->events, ticket_id);
        return 0;
    }
    r->requests++;
    if (api_list_conversations(r->api, ticket_id, &convs, &count, &err) != 0) {
        urgent_failed(r, &err, "fetching conversations");
        return -1;
    }
    sync_succeeded(r);
    if (store_begin(r->store) != 0 ||
        store_set_conversations(r->store, ticket_id, convs, count, updated_at) != 0 ||
        store_commit(r->store) != 0) {
        decode_free_conversations(convs, count);
        return sync_cache_failed(r, false);
    }
    decode_free_conversations(convs, count);
    events_post_conversations(r->events, ticket_id);
    return 0;
}

/* ---- Search ------------------------------------------------------------------ */

int sync_fetch_search(struct sync_run *r, const char *query)
{
    struct fd_ticket *tickets = NULL;
    size_t count = 0;
    long total = 0;
    struct fd_error err = FD_ERROR_INIT;
    int rc;

    r->requests++;
    if (api_search_tickets_all(r->api, query, &tickets, &count, &total, &err) != 0) {
        urgent_failed(r, &err, "searching");
        return -1;
    }
    sync_succeeded(r);
    rc = sync_store_tickets(r, tickets, count, NULL, false, NULL);
    if (rc == 0)
        rc = sync_fetch_people(r, tickets, count);
    decode_free_tickets(tickets, count);
    return rc;
}

/* ---- People named by search results --------------------------------------- */

static bool seen_before(fd_id *seen, size_t *n, size_t cap, fd_id id)
{
    for (size_t i = 0; i < *n; i++)
        if (seen[i] == id)
            return true;
    if (*n < cap)
        seen[(*n)++] = id;
    return false;
}

static int fetch_person(struct sync_run *r, fd_id contact_id, fd_id company_id)
{
    struct fd_contact *contact = NULL;
    struct fd_company *company = NULL;
    struct fd_error err = FD_ERROR_INIT;
    int rc = 0;

    if (contact_id) {
        r->requests++;
        if (api_view_contact(r->api, contact_id, &contact, &err) != 0) {
            log_warn("sync", "contact %lld: %s", (long long)contact_id, fd_error_message(&err));
            fd_error_clear(&err);
        }
    }
    if (company_id) {
        r->requests++;
        if (api_view_company(r->api, company_id, &company, &err) != 0) {
            log_warn("sync", "company %lld: %s", (long long)company_id, fd_error_message(&err));
            fd_error_clear(&err);
        }
    }
    if ((contact && store_upsert_contact(r->store, contact) != 0) ||
        (company && store_upsert_company(r->store, company) != 0))
        rc = -1;
    model_contact_free(contact);
    model_company_free(company);
    return rc;
}

int sync_fetch_people(struct sync_run *r, const struct fd_ticket *tickets, size_t count)
{
    fd_id seen[64];
    size_t nseen = 0;

    for (size_t i = 0; i < count && !jobs_stopping(r->jobs); i++) {
        struct store_ticket_detail d = {0};
        fd_id contact = 0, company = 0;
        if (store_get_ticket(r->store, tickets[i].id, &d) == 1) {
            if (!d.ticket.requester && tickets[i].requester_id &&
                !seen_before(seen, &nseen, 64, tickets[i].requester_id))
                contact = tickets[i].requester_id;
            if (!d.ticket.company && tickets[i].company_id &&
                !seen_before(seen, &nseen, 64, tickets[i].company_id))
                company = tickets[i].company_id;
        }
        store_ticket_detail_clear(&d);
        if ((contact || company) && fetch_person(r, contact, company) != 0) {
            events_post_error(r->events, "cannot write the cache: %s", store_error(r->store));
            return -1;
        }
    }
    return 0;
}
