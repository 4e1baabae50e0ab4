/* api.c: requests to Freshdesk with the rate-limit and retry rules of api.h,
 * pagination (Link rel="next" on the same origin, one page at a time, all
 * pages, or several pages at once), and the read endpoints. The write
 * endpoints are in api_write.c. */
#include "src/api.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "src/api_internal.h"
#include "src/decode.h"
#include "src/log.h"

#define API_PREFIX "/api/v2"

struct api {
    char *base_url;
    struct http_client *http;
    struct ratelimit *budget;
    bool own_budget;
    const atomic_int *cancel;
    int max_attempts;
    long backoff_base_ms;
    long backoff_cap_ms;
    int max_throttle_waits;
};

void api_options_from_config(struct api_options *o, const struct fd_config *cfg)
{
    memset(o, 0, sizeof *o);
    o->base_url = cfg->base_url;
    o->api_key = cfg->api_key;
    o->ca_file = cfg->ca_file;
    o->connect_timeout = cfg->connect_timeout;
}

int api_new(const struct api_options *opts, struct api **out, struct fd_error *err)
{
    *out = NULL;
    if (!opts->base_url)
        return fd_error_set(err, FD_ERR_CONFIG, "no Freshdesk URL configured");
    if (!http_url_allowed(opts->base_url, err))
        return -1;
    struct api *api = calloc(1, sizeof *api);
    if (!api)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    api->base_url = strdup(opts->base_url);
    size_t n = api->base_url ? strlen(api->base_url) : 0;
    while (n > 0 && api->base_url[n - 1] == '/')
        api->base_url[--n] = '\0';
    api->budget = opts->budget;
    if (!api->budget) {
        api->budget = ratelimit_new();
        api->own_budget = true;
    }
    api->cancel = opts->cancel;
    api->max_attempts = opts->max_attempts > 0 ? opts->max_attempts : 5;
    api->backoff_base_ms = opts->backoff_base_ms > 0 ? opts->backoff_base_ms : 500;
    api->backoff_cap_ms = opts->backoff_cap_ms > 0 ? opts->backoff_cap_ms : 30000;
    api->max_throttle_waits = opts->max_throttle_waits > 0 ? opts->max_throttle_waits : 8;
    struct http_options ho = {
        .api_key = opts->api_key,
        .ca_file = opts->ca_file,
        .connect_timeout = opts->connect_timeout,
        .low_speed_time = opts->low_speed_time,
        .max_response_bytes = opts->max_response_bytes,
        .cancel = opts->cancel,
        .debug = opts->debug,
    };
    if (!api->base_url || !api->budget) {
        api_free(api);
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    }
    if (http_client_new(&ho, &api->http, err) != 0) {
        api_free(api);
        return -1;
    }
    *out = api;
    return 0;
}

void api_free(struct api *api)
{
    if (!api)
        return;
    http_client_free(api->http);
    if (api->own_budget)
        ratelimit_free(api->budget);
    free(api->base_url);
    free(api);
}

struct ratelimit *api_budget(struct api *api)
{
    return api->budget;
}

const char *api_base_url(const struct api *api)
{
    return api->base_url;
}

/* ---- URLs ------------------------------------------------------------------ */

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* Absolute URL for path, or a copy of an absolute URL on our origin. */
static char *resolve(struct api *api, const char *path, struct fd_error *err)
{
    if (strncasecmp(path, "http://", 7) == 0 || strncasecmp(path, "https://", 8) == 0) {
        if (!http_same_origin(path, api->base_url)) {
            fd_error_set(err, FD_ERR_PROTOCOL,
                         "the server pointed to another site (%.120s); fdesk stopped there", path);
            return NULL;
        }
        char *copy = strdup(path);
        if (!copy)
            fd_error_set(err, FD_ERR_NOMEM, "out of memory");
        return copy;
    }
    char *url =
        format("%s%s%s", api->base_url,
               strncmp(path, API_PREFIX "/", sizeof API_PREFIX) == 0 ? "" : API_PREFIX, path);
    if (!url)
        fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    return url;
}

/* "GET /api/v2/tickets/1" for messages and logs (no query string). */
static void describe(const char *method, const char *url, char *buf, size_t size)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    if (!p)
        p = "/";
    size_t n = strcspn(p, "?");
    snprintf(buf, size, "%s %.*s", method, (int)(n > 200 ? 200 : n), p);
}

/* ---- The request loop -------------------------------------------------------- */

static bool method_is_idempotent(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "PUT") == 0;
}

static bool transport_retryable(const struct fd_error *e)
{
    return e->kind == FD_ERR_TIMEOUT || e->kind == FD_ERR_DROPPED;
}

struct call_state {
    int attempt;   /* failed tries so far (5xx, timeouts, drops) */
    int throttled; /* 429 waits so far */
};

/* Decides what to do after one try. Returns 1 to try again after *delay_ms
 * (429 waits are kept by the budget instead), 0 done (2xx), -1 failed. */
static int judge(struct api *api, const char *method, const char *url, enum ratelimit_kind kind,
                 int rc, struct http_response *resp, struct fd_error *err, struct call_state *st,
                 long *delay_ms)
{
    char what[256];
    describe(method, url, what, sizeof what);
    *delay_ms = 0;
    if (rc == 0) {
        ratelimit_update(api->budget, resp->rl_total, resp->rl_remaining, resp->rl_used);
        log_debug("api", "%s -> %ld (%zu bytes)", what, resp->status, resp->body_len);
        if (resp->status >= 200 && resp->status < 300)
            return 0;
        if (resp->status == 429) {
            long ms = ratelimit_block(api->budget, kind, resp->retry_after, resp->rl_remaining);
            log_info("api", "%s throttled (429); waiting %ld ms", what, ms);
            if (++st->throttled <= api->max_throttle_waits)
                return 1;
        } else if (resp->status >= 500 && method_is_idempotent(method) &&
                   ++st->attempt < api->max_attempts) {
            *delay_ms =
                ratelimit_backoff_ms(st->attempt, api->backoff_base_ms, api->backoff_cap_ms);
            log_info("api", "%s -> %ld; retry %d in %ld ms", what, resp->status, st->attempt,
                     *delay_ms);
            return 1;
        }
        return fd_error_from_http(err, resp->status, resp->body, resp->body_len, resp->request_id,
                                  resp->retry_after, what);
    }
    log_debug("api", "%s failed: %s", what, fd_error_message(err));
    if (transport_retryable(err) && method_is_idempotent(method) &&
        ++st->attempt < api->max_attempts) {
        *delay_ms = ratelimit_backoff_ms(st->attempt, api->backoff_base_ms, api->backoff_cap_ms);
        log_info("api", "%s: %s; retry %d in %ld ms", what, fd_error_kind_name(err->kind),
                 st->attempt, *delay_ms);
        return 1;
    }
    return -1;
}

static int call_url(struct api *api, const struct http_request *req, struct http_response *resp,
                    struct fd_error *err)
{
    struct fd_error local = FD_ERROR_INIT;
    struct fd_error *e = err ? err : &local;
    struct call_state st = {0};
    enum ratelimit_kind kind = ratelimit_kind_for(req->method, req->url);
    int verdict;
    do {
        fd_error_clear(e);
        if (ratelimit_wait(api->budget, kind, api->cancel) != 0) {
            fd_error_set(e, FD_ERR_CANCELLED, "cancelled");
            verdict = -1;
            break;
        }
        if (req->sink) {
            /* A retried download starts the file again. */
            fflush(req->sink);
            if (ftruncate(fileno(req->sink), 0) != 0 || fseek(req->sink, 0, SEEK_SET) != 0) {
                fd_error_set(e, FD_ERR_IO, "cannot rewrite the download file");
                verdict = -1;
                break;
            }
        }
        http_response_clear(resp); /* a retry must free the previous answer */
        http_response_clear(resp); /* the answer of an earlier try */
        int rc = http_perform(api->http, req, resp, e);
        long delay = 0;
        verdict = judge(api, req->method, req->url, kind, rc, resp, e, &st, &delay);
        if (verdict == 1 && ratelimit_sleep_ms(delay, api->cancel) != 0) {
            fd_error_set(e, FD_ERR_CANCELLED, "cancelled");
            verdict = -1;
        }
    } while (verdict == 1);
    fd_error_clear(&local);
    return verdict == 0 ? 0 : -1;
}

int api_call(struct api *api, const char *method, const char *path, const char *json,
             const struct http_part *parts, size_t part_count, struct http_response *resp,
             struct fd_error *err)
{
    memset(resp, 0, sizeof *resp);
    http_response_clear(resp);
    char *url = resolve(api, path, err);
    if (!url)
        return -1;
    struct http_request req = {
        .method = method, .url = url, .json_body = json, .parts = parts, .part_count = part_count};
    int rc = call_url(api, &req, resp, err);
    free(url);
    return rc;
}

int api_request(struct api *api, const char *method, const char *path, const char *json_body,
                struct http_response *resp, struct fd_error *err)
{
    return api_call(api, method, path, json_body, NULL, 0, resp, err);
}

/* GET path and keep the body; frees resp on failure. */
static int get(struct api *api, const char *path, struct http_response *resp, struct fd_error *err)
{
    int rc = api_call(api, "GET", path, NULL, NULL, 0, resp, err);
    if (rc != 0)
        http_response_clear(resp);
    return rc;
}

/* The next page's URL, checked against our origin. */
static int next_link(struct api *api, struct http_response *resp, char **next, struct fd_error *err)
{
    *next = NULL;
    if (!resp->link_next)
        return 0;
    if (!http_same_origin(resp->link_next, api->base_url))
        return fd_error_set(err, FD_ERR_PROTOCOL,
                            "the server's next-page link leaves %s; fdesk stopped paging there",
                            api->base_url);
    *next = resp->link_next;
    resp->link_next = NULL;
    return 0;
}

/* ---- Lists of any record type, all pages --------------------------------------- */

struct list_type {
    size_t size;
    int (*decode)(const char *json, size_t len, void **items, size_t *count, size_t *skipped,
                  struct fd_error *err);
    void (*free_items)(void *items, size_t count);
};

#define LIST_TYPE(name, type, decoder, releaser)                                      \
    static int name##_decode(const char *j, size_t l, void **o, size_t *c, size_t *s, \
                             struct fd_error *e)                                      \
    {                                                                                 \
        type *items = NULL;                                                           \
        int rc = decoder(j, l, &items, c, s, e);                                      \
        *o = items;                                                                   \
        return rc;                                                                    \
    }                                                                                 \
    static void name##_free(void *items, size_t n)                                    \
    {                                                                                 \
        releaser(items, n);                                                           \
    }                                                                                 \
    static const struct list_type name = {sizeof(type), name##_decode, name##_free};

LIST_TYPE(TICKETS, struct fd_ticket, decode_tickets, decode_free_tickets)
LIST_TYPE(CONVERSATIONS, struct fd_conversation, decode_conversations, decode_free_conversations)
LIST_TYPE(AGENTS, struct fd_agent, decode_agents, decode_free_agents)
LIST_TYPE(GROUPS, struct fd_group, decode_groups, decode_free_groups)
LIST_TYPE(FOLDERS, struct fd_canned_folder, decode_canned_folders, decode_free_canned_folders)
LIST_TYPE(CANNED, struct fd_canned_response, decode_canned_responses, decode_free_canned_responses)

/* Moves page's items onto the end of *all. */
static int append_items(const struct list_type *t, void **all, size_t *count, void *page, size_t n,
                        struct fd_error *err)
{
    if (n == 0) {
        free(page);
        return 0;
    }
    char *grown = realloc(*all, (*count + n) * t->size);
    if (!grown) {
        t->free_items(page, n);
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    }
    memcpy(grown + *count * t->size, page, n * t->size);
    free(page);
    *all = grown;
    *count += n;
    return 0;
}

static int fetch_all(struct api *api, const struct list_type *t, const char *first, int max_pages,
                     void **out, size_t *count, struct fd_error *err)
{
    void *all = NULL;
    size_t total = 0;
    char *url = strdup(first);
    int rc = url ? 0 : fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    for (int pages = 0; rc == 0 && url && (max_pages <= 0 || pages < max_pages); pages++) {
        struct http_response resp;
        void *items = NULL;
        size_t n = 0;
        char *next = NULL;
        rc = get(api, url, &resp, err);
        if (rc == 0)
            rc = t->decode(resp.body, resp.body_len, &items, &n, NULL, err);
        if (rc == 0)
            rc = append_items(t, &all, &total, items, n, err);
        if (rc == 0)
            rc = next_link(api, &resp, &next, err);
        http_response_clear(&resp);
        free(url);
        url = next;
    }
    free(url);
    if (rc != 0) {
        t->free_items(all, total);
        all = NULL;
        total = 0;
    }
    *out = all;
    *count = total;
    return rc;
}

/* ---- Ticket lists ----------------------------------------------------------------- */

static bool one_of(const char *v, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(v, *allowed) == 0)
            return true;
    return false;
}

static int check_query(const struct api_ticket_query *q, struct fd_error *err)
{
    static const char *const filters[] = {"new_and_my_open", "watching", "spam", "deleted", NULL};
    static const char *const orders[] = {"created_at", "due_by", "updated_at", "status", NULL};
    static const char *const types[] = {"asc", "desc", NULL};
    if (q->filter && !one_of(q->filter, filters))
        return fd_error_set(err, FD_ERR_INVALID, "unknown ticket filter '%.40s'", q->filter);
    if (q->order_by && !one_of(q->order_by, orders))
        return fd_error_set(err, FD_ERR_INVALID, "cannot order tickets by '%.40s'", q->order_by);
    if (q->order_type && !one_of(q->order_type, types))
        return fd_error_set(err, FD_ERR_INVALID, "order must be asc or desc");
    if (q->page < 0 || q->page > 300)
        return fd_error_set(err, FD_ERR_INVALID, "ticket list page must be 1..300");
    if (q->per_page < 0 || q->per_page > 100)
        return fd_error_set(err, FD_ERR_INVALID, "per_page must be 1..100");
    if (q->include && q->include[strspn(q->include, "abcdefghijklmnopqrstuvwxyz_,")])
        return fd_error_set(err, FD_ERR_INVALID, "bad include list '%.40s'", q->include);
    return 0;
}

/* Appends "&name=value" (value escaped) to *query. */
static int add_param(char **query, const char *name, const char *value)
{
    char *escaped = http_escape(value);
    char *grown = escaped ? format("%s%s%s=%s", *query, **query ? "&" : "", name, escaped) : NULL;
    free(escaped);
    if (!grown)
        return -1;
    free(*query);
    *query = grown;
    return 0;
}

static int add_number(char **query, const char *name, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return add_param(query, name, buf);
}

int api_tickets_url(struct api *api, const struct api_ticket_query *q, char **url,
                    struct fd_error *err)
{
    static const struct api_ticket_query none;
    *url = NULL;
    if (!q)
        q = &none;
    if (check_query(q, err) != 0)
        return -1;
    char *query = strdup(""), stamp[32];
    int rc = query ? 0 : -1;
    if (rc == 0 && q->filter)
        rc = add_param(&query, "filter", q->filter);
    if (rc == 0 && q->requester_id)
        rc = add_number(&query, "requester_id", q->requester_id);
    if (rc == 0 && q->email)
        rc = add_param(&query, "email", q->email);
    if (rc == 0 && q->unique_external_id)
        rc = add_param(&query, "unique_external_id", q->unique_external_id);
    if (rc == 0 && q->company_id)
        rc = add_number(&query, "company_id", q->company_id);
    if (rc == 0 && q->updated_since) {
        model_format_time(q->updated_since, stamp, sizeof stamp);
        rc = add_param(&query, "updated_since", stamp);
    }
    if (rc == 0 && q->order_by)
        rc = add_param(&query, "order_by", q->order_by);
    if (rc == 0 && q->order_type)
        rc = add_param(&query, "order_type", q->order_type);
    if (rc == 0 && q->include)
        rc = add_param(&query, "include", q->include);
    if (rc == 0 && q->page)
        rc = add_number(&query, "page", q->page);
    if (rc == 0 && q->per_page)
        rc = add_number(&query, "per_page", q->per_page);
    if (rc == 0)
        *url = format("%s" API_PREFIX "/tickets%s%s", api->base_url, *query ? "?" : "", query);
    free(query);
    if (!*url)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    return 0;
}

void api_ticket_page_clear(struct api_ticket_page *page)
{
    if (!page)
        return;
    decode_free_tickets(page->tickets, page->count);
    free(page->next_url);
    memset(page, 0, sizeof *page);
    page->total = -1;
}

/* Decodes a ticket-list answer into out (tickets and the checked next link). */
static int take_page(struct api *api, struct http_response *resp, struct api_ticket_page *out,
                     struct fd_error *err)
{
    int rc =
        decode_tickets(resp->body, resp->body_len, &out->tickets, &out->count, &out->skipped, err);
    if (rc == 0)
        rc = next_link(api, resp, &out->next_url, err);
    if (rc != 0)
        api_ticket_page_clear(out);
    return rc;
}

int api_list_tickets_page(struct api *api, const struct api_ticket_query *q, const char *url,
                          struct api_ticket_page *out, struct fd_error *err)
{
    memset(out, 0, sizeof *out);
    out->total = -1;
    char *built = NULL;
    if (!url && api_tickets_url(api, q, &built, err) != 0)
        return -1;
    struct http_response resp;
    int rc = get(api, url ? url : built, &resp, err);
    free(built);
    if (rc == 0)
        rc = take_page(api, &resp, out, err);
    http_response_clear(&resp);
    return rc;
}

int api_list_tickets_all(struct api *api, const struct api_ticket_query *q, int max_pages,
                         struct fd_ticket **out, size_t *count, struct fd_error *err)
{
    char *url = NULL;
    void *items = NULL;
    *out = NULL;
    *count = 0;
    if (api_tickets_url(api, q, &url, err) != 0)
        return -1;
    int rc = fetch_all(api, &TICKETS, url, max_pages, &items, count, err);
    free(url);
    *out = items;
    return rc;
}

/* ---- Several ticket pages at once ------------------------------------------------- */

struct many_item {
    char *url;
    struct call_state st;
    bool done;
};

/* Runs one round: every pending page once. Returns the longest backoff asked for. */
static long many_round(struct api *api, struct many_item *items, size_t n,
                       struct api_ticket_page *pages, int *results, struct fd_error *errs)
{
    size_t pending = 0, k = 0;
    long wait = 0;
    for (size_t i = 0; i < n; i++)
        pending += !items[i].done;
    struct http_request *reqs = calloc(pending, sizeof *reqs);
    struct http_response *resps = calloc(pending, sizeof *resps);
    int *rcs = calloc(pending, sizeof *rcs);
    size_t *index = calloc(pending, sizeof *index);
    if (!reqs || !resps || !rcs || !index) {
        for (size_t i = 0; i < n; i++)
            if (!items[i].done) {
                items[i].done = true;
                fd_error_set(&errs[i], FD_ERR_NOMEM, "out of memory");
            }
        pending = 0;
    }
    for (size_t i = 0; i < n && k < pending; i++)
        if (!items[i].done) {
            reqs[k] = (struct http_request){.method = "GET", .url = items[i].url};
            index[k++] = i;
        }
    struct fd_error *tmp = calloc(pending ? pending : 1, sizeof *tmp);
    if (pending && tmp)
        http_perform_many(api->http, reqs, resps, rcs, tmp, pending);
    for (size_t j = 0; j < pending; j++) {
        size_t i = index[j];
        long delay = 0;
        fd_error_clear(&errs[i]);
        if (!tmp) {
            fd_error_set(&errs[i], FD_ERR_NOMEM, "out of memory");
            items[i].done = true;
            continue;
        }
        errs[i] = tmp[j];
        memset(&tmp[j], 0, sizeof tmp[j]);
        int verdict = judge(api, "GET", items[i].url, RL_KIND_TICKETS_LIST, rcs[j], &resps[j],
                            &errs[i], &items[i].st, &delay);
        if (verdict == 0)
            results[i] = take_page(api, &resps[j], &pages[i], &errs[i]);
        if (verdict != 1)
            items[i].done = true;
        else
            fd_error_clear(&errs[i]);
        if (delay > wait)
            wait = delay;
        http_response_clear(&resps[j]);
    }
    free(tmp);
    free(reqs);
    free(resps);
    free(rcs);
    free(index);
    return wait;
}

static bool any_pending(const struct many_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!items[i].done)
            return true;
    return false;
}

size_t api_list_tickets_many(struct api *api, const char *const *urls, size_t n,
                             struct api_ticket_page *pages, int *results, struct fd_error *errs)
{
    struct many_item *items = calloc(n ? n : 1, sizeof *items);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++) {
        memset(&pages[i], 0, sizeof pages[i]);
        pages[i].total = -1;
        memset(&errs[i], 0, sizeof errs[i]);
        results[i] = -1;
        if (!items)
            fd_error_set(&errs[i], FD_ERR_NOMEM, "out of memory");
        else if (!(items[i].url = resolve(api, urls[i], &errs[i])))
            items[i].done = true;
    }
    while (items && any_pending(items, n)) {
        if (ratelimit_wait(api->budget, RL_KIND_TICKETS_LIST, api->cancel) != 0)
            break;
        long wait = many_round(api, items, n, pages, results, errs);
        if (ratelimit_sleep_ms(wait, api->cancel) != 0)
            break;
    }
    for (size_t i = 0; i < n; i++) {
        if (items && !items[i].done)
            fd_error_set(&errs[i], FD_ERR_CANCELLED, "cancelled");
        if (items)
            free(items[i].url);
        failed += results[i] != 0;
    }
    free(items);
    return failed;
}

/* ---- One ticket, conversations ------------------------------------------------------- */

static bool include_ok(const char *include)
{
    return !include || !include[strspn(include, "abcdefghijklmnopqrstuvwxyz_,")];
}

int api_view_ticket(struct api *api, fd_id id, const char *include, struct fd_ticket *out,
                    struct fd_conversation **conversations, size_t *conversation_count,
                    struct fd_error *err)
{
    memset(out, 0, sizeof *out);
    if (conversations) {
        *conversations = NULL;
        *conversation_count = 0;
    }
    if (id <= 0 || !include_ok(include))
        return fd_error_set(err, FD_ERR_INVALID, "bad ticket id or include list");
    char *path = format("/tickets/%lld%s%s", (long long)id, include ? "?include=" : "",
                        include ? include : "");
    if (!path)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    struct http_response resp;
    int rc = get(api, path, &resp, err);
    free(path);
    if (rc == 0)
        rc = decode_ticket(resp.body, resp.body_len, out, conversations, conversation_count, err);
    http_response_clear(&resp);
    return rc;
}

int api_list_conversations(struct api *api, fd_id ticket_id, struct fd_conversation **out,
                           size_t *count, struct fd_error *err)
{
    char path[96];
    void *items = NULL;
    *out = NULL;
    *count = 0;
    if (ticket_id <= 0)
        return fd_error_set(err, FD_ERR_INVALID, "bad ticket id");
    snprintf(path, sizeof path, "/tickets/%lld/conversations?per_page=100", (long long)ticket_id);
    int rc = fetch_all(api, &CONVERSATIONS, path, 0, &items, count, err);
    *out = items;
    return rc;
}

/* ---- Search ------------------------------------------------------------------------ */

/* "priority:4" -> "\"priority:4\"" escaped for the query string. */
static char *search_query(const char *query, struct fd_error *err)
{
    size_t n = query ? strlen(query) : 0;
    const char *inner = query;
    if (n >= 2 && query[0] == '"' && query[n - 1] == '"') {
        inner = query + 1;
        n -= 2;
    }
    if (n == 0) {
        fd_error_set(err, FD_ERR_INVALID, "the search query is empty");
        return NULL;
    }
    if (n + 2 > 512) {
        fd_error_set(err, FD_ERR_INVALID, "the search query is longer than 512 characters");
        return NULL;
    }
    if (memchr(inner, '"', n)) {
        fd_error_set(err, FD_ERR_INVALID,
                     "put text values in single quotes in a search ('like this')");
        return NULL;
    }
    char *quoted = format("\"%.*s\"", (int)n, inner);
    char *escaped = quoted ? http_escape(quoted) : NULL;
    free(quoted);
    if (!escaped)
        fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    return escaped;
}

int api_search_tickets(struct api *api, const char *query, int page, struct api_ticket_page *out,
                       struct fd_error *err)
{
    memset(out, 0, sizeof *out);
    out->total = -1;
    if (page < 1 || page > 10)
        return fd_error_set(err, FD_ERR_INVALID, "search pages go from 1 to 10");
    char *q = search_query(query, err);
    if (!q)
        return -1;
    char *path = format("/search/tickets?query=%s&page=%d", q, page);
    free(q);
    if (!path)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    struct http_response resp;
    int rc = get(api, path, &resp, err);
    free(path);
    if (rc == 0)
        rc = decode_search_tickets(resp.body, resp.body_len, &out->tickets, &out->count,
                                   &out->skipped, &out->total, err);
    http_response_clear(&resp);
    return rc;
}

int api_search_tickets_all(struct api *api, const char *query, struct fd_ticket **out,
                           size_t *count, long *total, struct fd_error *err)
{
    void *all = NULL;
    size_t n = 0;
    long reported = 0;
    int rc = 0;
    for (int page = 1; rc == 0 && page <= 10; page++) {
        struct api_ticket_page p;
        rc = api_search_tickets(api, query, page, &p, err);
        if (rc != 0)
            break;
        reported = p.total;
        size_t got = p.count + p.skipped;
        rc = append_items(&TICKETS, &all, &n, p.tickets, p.count, err);
        p.tickets = NULL;
        p.count = 0;
        api_ticket_page_clear(&p);
        if (got < 30 || (long)(page * 30) >= reported)
            break;
    }
    if (rc != 0) {
        decode_free_tickets(all, n);
        all = NULL;
        n = 0;
    }
    *out = all;
    *count = n;
    if (total)
        *total = rc == 0 ? reported : 0;
    return rc;
}

/* ---- People and account data -------------------------------------------------------- */

/* GET PREFIX/ID, refusing ids that cannot exist. */
static int get_by_id(struct api *api, const char *prefix, fd_id id, struct http_response *resp,
                     struct fd_error *err)
{
    char path[96];
    if (id <= 0)
        return fd_error_set(err, FD_ERR_INVALID, "bad id");
    snprintf(path, sizeof path, "%s/%lld", prefix, (long long)id);
    return get(api, path, resp, err);
}

int api_view_contact(struct api *api, fd_id id, struct fd_contact **out, struct fd_error *err)
{
    struct http_response resp;
    *out = NULL;
    int rc = get_by_id(api, "/contacts", id, &resp, err);
    if (rc == 0) {
        rc = decode_contact(resp.body, resp.body_len, out, err);
        http_response_clear(&resp);
    }
    return rc;
}

int api_view_company(struct api *api, fd_id id, struct fd_company **out, struct fd_error *err)
{
    struct http_response resp;
    *out = NULL;
    int rc = get_by_id(api, "/companies", id, &resp, err);
    if (rc == 0) {
        rc = decode_company(resp.body, resp.body_len, out, err);
        http_response_clear(&resp);
    }
    return rc;
}

int api_list_agents(struct api *api, struct fd_agent **out, size_t *count, struct fd_error *err)
{
    void *items = NULL;
    int rc = fetch_all(api, &AGENTS, "/agents?per_page=100", 0, &items, count, err);
    *out = items;
    return rc;
}

int api_agent_me(struct api *api, struct fd_agent *out, struct fd_error *err)
{
    struct http_response resp;
    memset(out, 0, sizeof *out);
    int rc = get(api, "/agents/me", &resp, err);
    if (rc == 0) {
        rc = decode_agent(resp.body, resp.body_len, out, err);
        http_response_clear(&resp);
    }
    return rc;
}

int api_list_groups(struct api *api, struct fd_group **out, size_t *count, struct fd_error *err)
{
    void *items = NULL;
    int rc = fetch_all(api, &GROUPS, "/groups?per_page=100", 0, &items, count, err);
    *out = items;
    return rc;
}

int api_ticket_fields(struct api *api, struct fd_status **statuses, size_t *status_count,
                      struct fd_string_list *types, char **raw_json, struct fd_error *err)
{
    struct http_response resp;
    if (statuses) {
        *statuses = NULL;
        *status_count = 0;
    }
    if (types)
        memset(types, 0, sizeof *types);
    if (raw_json)
        *raw_json = NULL;
    if (get(api, "/ticket_fields", &resp, err) != 0)
        return -1;
    int rc = 0;
    if (statuses)
        rc = decode_ticket_statuses(resp.body, resp.body_len, statuses, status_count, err);
    if (rc == 0 && types)
        rc = decode_ticket_types(resp.body, resp.body_len, types, err);
    if (rc == 0 && !statuses && !types) {
        struct fd_status *tmp = NULL;
        size_t n = 0;
        rc = decode_ticket_statuses(resp.body, resp.body_len, &tmp, &n, err);
        decode_free_statuses(tmp, n);
    }
    if (rc == 0 && raw_json) {
        *raw_json = resp.body;
        resp.body = NULL;
    }
    if (rc != 0) {
        if (statuses) {
            decode_free_statuses(*statuses, *status_count);
            *statuses = NULL;
            *status_count = 0;
        }
        if (types)
            model_string_list_clear(types);
    }
    http_response_clear(&resp);
    return rc;
}

/* ---- Canned responses ---------------------------------------------------------------- */

int api_list_canned_folders(struct api *api, struct fd_canned_folder **out, size_t *count,
                            struct fd_error *err)
{
    void *items = NULL;
    int rc = fetch_all(api, &FOLDERS, "/canned_response_folders", 0, &items, count, err);
    *out = items;
    return rc;
}

int api_list_canned_responses(struct api *api, fd_id folder_id, struct fd_canned_response **out,
                              size_t *count, struct fd_error *err)
{
    char path[96];
    void *items = NULL;
    *out = NULL;
    *count = 0;
    if (folder_id <= 0)
        return fd_error_set(err, FD_ERR_INVALID, "bad folder id");
    snprintf(path, sizeof path, "/canned_response_folders/%lld/responses", (long long)folder_id);
    int rc = fetch_all(api, &CANNED, path, 0, &items, count, err);
    *out = items;
    return rc;
}

int api_view_canned_response(struct api *api, fd_id id, struct fd_canned_response *out,
                             struct fd_error *err)
{
    struct http_response resp;
    memset(out, 0, sizeof *out);
    int rc = get_by_id(api, "/canned_responses", id, &resp, err);
    if (rc == 0) {
        rc = decode_canned_response(resp.body, resp.body_len, out, err);
        http_response_clear(&resp);
    }
    return rc;
}

/* ---- Attachments ----------------------------------------------------------------------- */

int api_download_attachment(struct api *api, const char *url, FILE *to, size_t *size,
                            struct fd_error *err)
{
    struct http_response resp;
    memset(&resp, 0, sizeof resp);
    if (size)
        *size = 0;
    if (!url || !to)
        return fd_error_set(err, FD_ERR_INVALID, "no attachment URL or file");
    struct http_request req = {.method = "GET", .url = url, .no_auth = true, .sink = to};
    int rc = call_url(api, &req, &resp, err);
    if (rc == 0 && fflush(to) != 0)
        rc = fd_error_set(err, FD_ERR_IO, "cannot write the attachment file");
    if (rc == 0 && size)
        *size = resp.body_len;
    http_response_clear(&resp);
    return rc;
}

/* ---- Multipart helpers (used by api_write.c) --------------------------------------------- */

static void parts_push(struct api_parts *p, const char *name, const char *value, const char *file)
{
    char *n = strdup(name), *v = value ? strdup(value) : NULL, *f = file ? strdup(file) : NULL;
    struct http_part *items = realloc(p->items, (p->count + 1) * sizeof *items);
    char **owned = realloc(p->owned, (p->owned_count + 3) * sizeof *owned);
    if (items)
        p->items = items;
    if (owned)
        p->owned = owned;
    if (!n || (value && !v) || (file && !f) || !items || !owned) {
        free(n);
        free(v);
        free(f);
        p->nomem = true;
        return;
    }
    p->owned[p->owned_count++] = n;
    if (v)
        p->owned[p->owned_count++] = v;
    if (f)
        p->owned[p->owned_count++] = f;
    p->items[p->count++] = (struct http_part){.name = n, .value = v, .file_path = f};
}

void api_parts_add(struct api_parts *p, const char *name, const char *value)
{
    parts_push(p, name, value ? value : "", NULL);
}

void api_parts_add_file(struct api_parts *p, const char *name, const char *path)
{
    parts_push(p, name, NULL, path);
}

void api_parts_clear(struct api_parts *p)
{
    for (size_t i = 0; i < p->owned_count; i++)
        free(p->owned[i]);
    free(p->owned);
    free(p->items);
    memset(p, 0, sizeof *p);
}
