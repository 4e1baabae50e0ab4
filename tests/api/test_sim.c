/* test_sim.c: the API client against fdesk-sim over real HTTP on loopback:
 * every endpoint, every error shape, pagination to the end (one page at a
 * time, all pages, several pages at once), and riding through the
 * simulator's faults (--throttle with zero early retries, --fail-500, --drop,
 * --stall), cancellation, and a clean failure on a wrong key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/api.h"
#include "src/decode.h"
#include "src/log.h"
#include "tests/api/simproc.h"

#define KEY "sim-api-key"

/* Counts the client's "retry"/"throttled" log lines, to prove a fault was met. */
static atomic_int retries_logged;
static void count_retries(enum log_level level, const char *module, const char *text, void *data)
{
    if (strstr(text, "retry") || strstr(text, "throttled"))
        atomic_fetch_add(&retries_logged, 1);
}

static struct api *connect_to(const struct simproc *s, const char *key, atomic_int *cancel)
{
    struct api_options o = {
        .base_url = s->url,
        .api_key = key,
        .cancel = cancel,
        .backoff_base_ms = 20,
        .backoff_cap_ms = 200,
        .max_attempts = 8,
        .low_speed_time = 1, /* a stalled answer counts as a timeout after ~1 s */
        .connect_timeout = 5,
    };
    struct api *api = NULL;
    struct fd_error err = FD_ERROR_INIT;
    if (api_new(&o, &api, &err) != 0)
        fail_msg("api_new: %s", fd_error_message(&err));
    return api;
}

static void start(struct simproc *s, const char *const *args)
{
    if (simproc_start(s, args) != 0)
        fail_msg("fdesk-sim did not start (FDESK_SIM=%s)", getenv("FDESK_SIM"));
}

/* A number from GET /__sim/stats. */
static long sim_stat(struct api *api, const struct simproc *s, const char *name)
{
    char url[128];
    snprintf(url, sizeof url, "%s/__sim/stats", s->url);
    struct http_response resp;
    struct fd_error err = FD_ERROR_INIT;
    if (api_request(api, "GET", url, NULL, &resp, &err) != 0)
        fail_msg("stats: %s", fd_error_message(&err));
    cJSON *o = cJSON_Parse(resp.body);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    assert_true(cJSON_IsNumber(v));
    long n = (long)v->valuedouble;
    cJSON_Delete(o);
    http_response_clear(&resp);
    return n;
}

static const struct api_ticket_query ALL = {
    .updated_since = 946684800, /* 2000-01-01: past the 30-day default window */
    .per_page = 100,
    .include = "requester,company",
    .order_by = "updated_at",
    .order_type = "asc",
};

/* Follows next_url one page at a time; returns the ticket count, checks ids are unique. */
static size_t count_by_pages(struct api *api, const struct api_ticket_query *q, int *pages)
{
    struct api_ticket_page page;
    struct fd_error err = FD_ERROR_INIT;
    char *url = NULL;
    size_t total = 0;
    *pages = 0;
    do {
        if (api_list_tickets_page(api, q, url, &page, &err) != 0)
            fail_msg("page %d: %s", *pages + 1, fd_error_message(&err));
        free(url);
        url = page.next_url;
        page.next_url = NULL;
        total += page.count;
        (*pages)++;
        api_ticket_page_clear(&page);
    } while (url && *pages < 1000);
    assert_null(url);
    return total;
}

static size_t list_all_by(struct api *api, int per_page)
{
    struct fd_ticket *t = NULL;
    size_t n = 0;
    struct fd_error err = FD_ERROR_INIT;
    struct api_ticket_query q = ALL;
    q.per_page = per_page;
    if (api_list_tickets_all(api, &q, 0, &t, &n, &err) != 0)
        fail_msg("list all: %s", fd_error_message(&err));
    for (size_t i = 1; i < n; i++)
        assert_true(t[i - 1].updated_at <= t[i].updated_at);
    for (size_t i = 0; i < n; i++)
        assert_non_null(t[i].requester); /* include=requester embedded */
    decode_free_tickets(t, n);
    return n;
}

static size_t list_all(struct api *api)
{
    return list_all_by(api, 100);
}

static void ticket_lists_follow_link_to_the_last_page(void **state)
{
    struct simproc s;
    const char *args[] = {"--tickets", "250", NULL};
    start(&s, args);
    struct api *api = connect_to(&s, KEY, NULL);
    size_t all = list_all(api);
    assert_true(all > 100); /* more than one page */
    int pages = 0;
    assert_int_equal(count_by_pages(api, &ALL, &pages), all);
    assert_int_equal(pages, (int)((all + 99) / 100));
    struct api_ticket_query small = ALL;
    small.per_page = 30;
    assert_int_equal(count_by_pages(api, &small, &pages), all);
    assert_int_equal(pages, (int)((all + 29) / 30));

    /* pages 1..3 at once give the same tickets as one after another */
    char *urls[3];
    struct api_ticket_page many[3], one;
    int results[3];
    struct fd_error errs[3], err = FD_ERROR_INIT;
    for (int i = 0; i < 3; i++) {
        small.page = i + 1;
        assert_int_equal(api_tickets_url(api, &small, &urls[i], &err), 0);
    }
    assert_int_equal(api_list_tickets_many(api, (const char *const *)urls, 3, many, results, errs),
                     0);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(results[i], 0);
        assert_int_equal(api_list_tickets_page(api, NULL, urls[i], &one, &err), 0);
        assert_int_equal(many[i].count, one.count);
        for (size_t k = 0; k < one.count; k++)
            assert_int_equal(many[i].tickets[k].id, one.tickets[k].id);
        api_ticket_page_clear(&one);
        api_ticket_page_clear(&many[i]);
        free(urls[i]);
    }
    /* every filter parameter reaches the server without a 400 */
    struct api_ticket_query f = {.filter = "new_and_my_open",
                                 .requester_id = 67038000015,
                                 .email = "a+b@example.com",
                                 .company_id = 67001000001,
                                 .include = "stats,description",
                                 .page = 1,
                                 .per_page = 5};
    assert_int_equal(api_list_tickets_page(api, &f, NULL, &one, &err), 0);
    api_ticket_page_clear(&one);
    struct api_ticket_query bad = {.per_page = 101};
    assert_int_equal(api_list_tickets_page(api, &bad, NULL, &one, &err), -1);
    assert_int_equal(err.kind, FD_ERR_INVALID);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

static void a_link_to_another_origin_is_not_followed(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, KEY, NULL);
    struct api_ticket_page page;
    struct fd_error err = FD_ERROR_INIT;
    long before = sim_stat(api, &s, "requests");
    assert_int_equal(
        api_list_tickets_page(api, NULL, "http://127.0.0.2:1/api/v2/tickets?page=2", &page, &err),
        -1);
    assert_int_equal(err.kind, FD_ERR_PROTOCOL);
    assert_int_equal(sim_stat(api, &s, "requests"), before);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

static void read_endpoints_answer(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, KEY, NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct fd_ticket t;
    struct fd_conversation *c = NULL, *all = NULL;
    size_t nc = 0, nall = 0;
    assert_int_equal(
        api_view_ticket(api, 1, "conversations,requester,company,stats", &t, &c, &nc, &err), 0);
    assert_int_equal(t.id, 1);
    assert_non_null(t.requester);
    assert_int_equal(api_list_conversations(api, 1, &all, &nall, &err), 0);
    assert_true(nc <= 10 && nc <= nall);
    for (size_t i = 0; i < nc; i++)
        assert_int_equal(c[i].id, all[i].id);
    struct fd_contact *contact = NULL;
    assert_int_equal(api_view_contact(api, t.requester_id, &contact, &err), 0);
    assert_int_equal(contact->id, t.requester_id);
    model_contact_free(contact);
    if (t.company_id) {
        struct fd_company *company = NULL;
        assert_int_equal(api_view_company(api, t.company_id, &company, &err), 0);
        assert_non_null(company->name);
        model_company_free(company);
    }
    model_ticket_clear(&t);
    decode_free_conversations(c, nc);
    decode_free_conversations(all, nall);

    struct fd_agent me, *agents = NULL;
    size_t na = 0;
    assert_int_equal(api_agent_me(api, &me, &err), 0);
    assert_non_null(me.name);
    assert_int_equal(api_list_agents(api, &agents, &na, &err), 0);
    bool found = false;
    for (size_t i = 0; i < na; i++)
        found |= agents[i].id == me.id;
    assert_true(found);
    model_agent_clear(&me);
    decode_free_agents(agents, na);

    struct fd_group *groups = NULL;
    size_t ng = 0;
    assert_int_equal(api_list_groups(api, &groups, &ng, &err), 0);
    assert_true(ng > 0);
    decode_free_groups(groups, ng);

    struct fd_status *st = NULL;
    size_t ns = 0;
    struct fd_string_list types;
    char *raw = NULL;
    assert_int_equal(api_ticket_fields(api, &st, &ns, &types, &raw, &err), 0);
    assert_true(ns >= 4);
    assert_string_equal(decode_status_label(st, ns, 2), "Open");
    assert_non_null(strstr(raw, "\"status\""));
    decode_free_statuses(st, ns);
    model_string_list_clear(&types);
    free(raw);

    struct fd_canned_folder *folders = NULL;
    struct fd_canned_response *responses = NULL, one;
    size_t nf = 0, nr = 0;
    assert_int_equal(api_list_canned_folders(api, &folders, &nf, &err), 0);
    assert_true(nf > 0);
    assert_int_equal(api_list_canned_responses(api, folders[nf - 1].id, &responses, &nr, &err), 0);
    assert_int_equal(nr, (size_t)folders[nf - 1].responses_count);
    assert_true(nr > 0);
    assert_int_equal(api_view_canned_response(api, responses[0].id, &one, &err), 0);
    assert_string_equal(one.title, responses[0].title);
    model_canned_response_clear(&one);
    decode_free_canned_responses(responses, nr);
    decode_free_canned_folders(folders, nf);
    api_free(api);
    simproc_stop(&s);
}

static void search_quotes_the_query_and_pages(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, KEY, NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct fd_ticket *t = NULL;
    size_t n = 0;
    long total = -1;
    assert_int_equal(api_search_tickets_all(api, "priority:4 AND status:2", &t, &n, &total, &err),
                     0);
    assert_true(n > 0);
    assert_true((long)n == total || (total > 300 && n == 300));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(t[i].priority, 4);
        assert_int_equal(t[i].status, 2);
    }
    decode_free_tickets(t, n);
    struct api_ticket_page page;
    assert_int_equal(api_search_tickets(api, "\"priority:4\"", 1, &page, &err), 0);
    api_ticket_page_clear(&page);
    assert_int_equal(api_search_tickets(api, "priority:4", 11, &page, &err), -1);
    assert_int_equal(err.kind, FD_ERR_INVALID);
    assert_int_equal(api_search_tickets(api, "subject:\"x\"", 1, &page, &err), -1);
    assert_int_equal(err.kind, FD_ERR_INVALID);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/fdesk-upload-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void replies_notes_and_attachments_round_trip(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, KEY, NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct fd_conversation c;
    const char *cc[] = {"boss@example.com"};
    struct api_reply r = {.body_html = "<p>Thanks, fixed.</p>", .cc_emails = cc, .cc_count = 1};
    assert_int_equal(api_reply(api, 2, &r, &c, &err), 0);
    assert_true(c.id > 0);
    assert_int_equal(c.ticket_id, 2);
    model_conversation_clear(&c);

    struct api_note n = {.body_html = "<p>internal</p>", .is_private = true};
    assert_int_equal(api_note(api, 2, &n, &c, &err), 0);
    assert_true(c.is_private);
    model_conversation_clear(&c);
    assert_int_equal(sim_stat(api, &s, "replies"), 1);
    assert_int_equal(sim_stat(api, &s, "notes"), 1);

    char *path = write_temp("attachment bytes\n");
    const char *files[] = {path};
    struct api_reply up = {.body_html = "<p>see file</p>",
                           .attachments = files,
                           .attachment_count = 1,
                           .cc_emails = cc,
                           .cc_count = 1};
    assert_int_equal(api_reply(api, 3, &up, &c, &err), 0);
    assert_int_equal(c.attachment_count, 1);
    assert_int_equal(c.attachments[0].size, 17);
    assert_non_null(c.attachments[0].url);
    FILE *f = tmpfile();
    size_t size = 0;
    if (api_download_attachment(api, c.attachments[0].url, f, &size, &err) != 0)
        fail_msg("download: %s", fd_error_message(&err));
    assert_int_equal(size, 17);
    char back[64] = "";
    rewind(f);
    assert_int_equal(fread(back, 1, sizeof back - 1, f), 17);
    assert_string_equal(back, "attachment bytes\n");
    fclose(f);
    model_conversation_clear(&c);

    struct api_note bad_file = {
        .body_html = "x", .attachments = (const char *[]){"/nonexistent"}, .attachment_count = 1};
    assert_int_equal(api_note(api, 2, &bad_file, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_IO);
    unlink(path);
    free(path);

    const char *to[] = {"partner@example.com"};
    struct api_forward fw = {.body_html = "<p>fyi</p>", .to_emails = to, .to_count = 1};
    assert_int_equal(api_forward(api, 2, &fw, &c, &err), 0);
    model_conversation_clear(&c);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

static void ticket_writes_change_the_ticket(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, KEY, NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct fd_ticket t;
    const char *tags[] = {"vip", "billing"};
    struct api_ticket_changes ch = {
        .status = 3, .priority = 4, .tags = tags, .tag_count = 2, .custom_fields_json = "{}"};
    if (api_update_ticket(api, 5, &ch, &t, &err) != 0)
        fail_msg("update: %s", fd_error_message(&err));
    assert_int_equal(t.status, 3);
    assert_int_equal(t.priority, 4);
    assert_int_equal(t.tags.count, 2);
    model_ticket_clear(&t);
    struct api_ticket_changes none = {0};
    assert_int_equal(api_update_ticket(api, 5, &none, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_INVALID);

    struct api_ticket_new nt = {.subject = "Printer on fire",
                                .description_html = "<p>help</p>",
                                .email = "new.person@example.com",
                                .priority = 3};
    if (api_create_ticket(api, &nt, &t, &err) != 0)
        fail_msg("create: %s", fd_error_message(&err));
    fd_id created = t.id;
    assert_true(created > 0);
    assert_string_equal(t.subject, "Printer on fire");
    model_ticket_clear(&t);
    assert_int_equal(api_view_ticket(api, created, NULL, &t, NULL, NULL, &err), 0);
    assert_int_equal(t.priority, 3);
    model_ticket_clear(&t);

    fd_id ids[] = {6, 7};
    struct api_ticket_changes close = {.status = 5};
    char *job = NULL;
    assert_int_equal(api_bulk_update(api, ids, 2, &close, &job, &err), 0);
    free(job);
    assert_int_equal(api_merge(api, 6, (fd_id[]){8}, 1, "<p>merged</p>", &err), 0);
    assert_int_equal(api_watch(api, 9, &err), 0);
    assert_int_equal(api_unwatch(api, 9, &err), 0);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

static void error_shapes_become_one_error_value(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, KEY, NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct fd_ticket t;
    assert_int_equal(api_view_ticket(api, 99999999, NULL, &t, NULL, NULL, &err), -1);
    assert_int_equal(err.http_status, 404);
    assert_true(err.request_id[0] != '\0');
    assert_non_null(strstr(err.message, err.request_id));

    struct http_response resp;
    assert_int_equal(api_request(api, "PUT", "/tickets/1/conversations", "{}", &resp, &err), -1);
    assert_int_equal(err.http_status, 405);
    http_response_clear(&resp);

    assert_int_equal(api_request(api, "GET", "/tickets?filter=everything", NULL, &resp, &err), -1);
    assert_int_equal(err.http_status, 400);
    assert_true(err.field_count >= 1);
    assert_string_equal(err.fields[0].field, "filter");
    http_response_clear(&resp);

    struct fd_agent me;
    assert_int_equal(api_agent_me(api, &me, &err), 0);
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"Dup\",\"email\":\"%s\"}", me.email);
    model_agent_clear(&me);
    assert_int_equal(api_request(api, "POST", "/contacts", body, &resp, &err), -1);
    assert_int_equal(err.http_status, 409);
    assert_string_equal(err.fields[0].code, "duplicate_value");
    assert_true(err.fields[0].user_id > 0);
    http_response_clear(&resp);
    fd_error_clear(&err);
    api_free(api);

    /* https to a plain-http port: a TLS failure, not a hang */
    char url[80];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", s.port);
    struct api_options o = {.base_url = url, .api_key = KEY, .max_attempts = 1};
    assert_int_equal(api_new(&o, &api, &err), 0);
    assert_int_equal(api_view_ticket(api, 1, NULL, &t, NULL, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_TLS);
    api_free(api);
    simproc_stop(&s);

    /* nothing listens any more: connection refused */
    o.base_url = s.url;
    assert_int_equal(api_new(&o, &api, &err), 0);
    assert_int_equal(api_view_ticket(api, 1, NULL, &t, NULL, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_REFUSED);
    assert_false(err.request_sent);
    assert_true(fd_error_is_offline(&err));
    fd_error_clear(&err);
    api_free(api);
}

/* One request against a simulator started with args; returns the error kind. */
static enum fd_error_kind failure_kind(const char *const *args, size_t cap, bool *sent)
{
    struct simproc s;
    start(&s, args);
    struct api_options o = {.base_url = s.url,
                            .api_key = KEY,
                            .max_attempts = 2,
                            .backoff_base_ms = 10,
                            .low_speed_time = 1,
                            .max_response_bytes = cap};
    struct api *api = NULL;
    struct fd_error err = FD_ERROR_INIT;
    assert_int_equal(api_new(&o, &api, &err), 0);
    struct fd_ticket *t = NULL;
    size_t n = 0;
    assert_int_equal(api_list_tickets_all(api, &ALL, 1, &t, &n, &err), -1);
    assert_null(t);
    enum fd_error_kind kind = err.kind;
    *sent = err.request_sent;
    assert_non_null(err.message);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
    return kind;
}

static void network_failures_have_their_own_kinds(void **state)
{
    bool sent = false;
    const char *stall[] = {"--stall", "1", "--stall-ms", "4000", NULL};
    assert_int_equal(failure_kind(stall, 0, &sent), FD_ERR_TIMEOUT);
    assert_true(sent); /* the server may have acted: a POST would not be resent blindly */
    const char *drop[] = {"--drop", "1", NULL};
    assert_int_equal(failure_kind(drop, 0, &sent), FD_ERR_DROPPED);
    assert_true(sent);
    const char *plain[] = {"--tickets", "300", NULL};
    assert_int_equal(failure_kind(plain, 2000, &sent), FD_ERR_TOO_LARGE);
}

static void wrong_key_fails_cleanly(void **state)
{
    struct simproc s;
    start(&s, NULL);
    struct api *api = connect_to(&s, "not-the-key", NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct fd_ticket *t = (void *)1;
    size_t n = 9;
    assert_int_equal(api_list_tickets_all(api, &ALL, 0, &t, &n, &err), -1);
    assert_int_equal(err.http_status, 401);
    assert_string_equal(err.code, "invalid_credentials");
    assert_non_null(strstr(err.message, "FRESHDESK_API_KEY"));
    assert_null(strstr(err.message, "not-the-key"));
    assert_null(t);
    assert_int_equal(n, 0);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

/* The same listing with faults as without. */
static void ride_through(const char *flag, const char *rate, bool count_early)
{
    struct simproc clean, faulty;
    const char *base[] = {"--tickets", "250", NULL};
    const char *args[] = {"--tickets", "250", flag, rate, NULL};
    start(&clean, base);
    struct api *api = connect_to(&clean, KEY, NULL);
    size_t want = list_all(api);
    api_free(api);
    simproc_stop(&clean);

    start(&faulty, args);
    api = connect_to(&faulty, KEY, NULL);
    atomic_store(&retries_logged, 0);
    log_set_sink(count_retries, NULL);
    assert_int_equal(list_all_by(api, 20), want);
    struct fd_conversation *c = NULL;
    size_t nc = 0;
    struct fd_error err = FD_ERROR_INIT;
    for (fd_id id = 1; id <= 4; id++) {
        if (api_list_conversations(api, id, &c, &nc, &err) != 0)
            fail_msg("conversations %lld: %s", (long long)id, fd_error_message(&err));
        decode_free_conversations(c, nc);
    }
    log_set_sink(NULL, NULL);
    if (atomic_load(&retries_logged) == 0)
        fail_msg("%s %s: no fault was met, so nothing was tested", flag, rate);
    if (count_early)
        assert_int_equal(sim_stat(api, &faulty, "early_retries"), 0);
    api_free(api);
    simproc_stop(&faulty);
}

static void rides_through_throttle_without_early_retries(void **state)
{
    ride_through("--throttle", "0.25", true);
}

static void rides_through_server_errors(void **state)
{
    ride_through("--fail-500", "0.3", false);
}

static void rides_through_dropped_connections(void **state)
{
    ride_through("--drop", "0.3", false);
}

static void rides_through_stalled_answers(void **state)
{
    struct simproc s;
    const char *args[] = {"--tickets", "120", "--stall", "0.5", "--stall-ms", "5000", NULL};
    start(&s, args);
    struct api *api = connect_to(&s, KEY, NULL);
    atomic_store(&retries_logged, 0);
    log_set_sink(count_retries, NULL);
    assert_true(list_all_by(api, 20) > 0);
    log_set_sink(NULL, NULL);
    assert_true(atomic_load(&retries_logged) > 0);
    api_free(api);
    simproc_stop(&s);
}

static void post_is_not_retried_after_a_server_error(void **state)
{
    struct simproc s;
    const char *args[] = {"--fail-500", "1", NULL};
    start(&s, args);
    struct api *api = connect_to(&s, KEY, NULL);
    struct fd_error err = FD_ERROR_INIT;
    struct api_reply r = {.body_html = "<p>once</p>"};
    assert_int_equal(api_reply(api, 2, &r, NULL, &err), -1);
    assert_int_equal(err.http_status, 500);
    assert_non_null(strstr(err.message, "try again"));
    assert_int_equal(sim_stat(api, &s, "requests"), 1);
    /* a GET is retried up to max_attempts (8) times */
    struct fd_ticket t;
    assert_int_equal(api_view_ticket(api, 1, NULL, &t, NULL, NULL, &err), -1);
    assert_int_equal(err.http_status, 500);
    assert_int_equal(sim_stat(api, &s, "requests"), 1 + 8);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

static void *raise_later(void *flag)
{
    struct timespec ts = {0, 300 * 1000000L};
    nanosleep(&ts, NULL);
    atomic_store((atomic_int *)flag, 1);
    return NULL;
}

static void cancel_flag_stops_a_stalled_request(void **state)
{
    struct simproc s;
    const char *args[] = {"--stall", "1", "--stall-ms", "20000", NULL};
    start(&s, args);
    atomic_int cancel = 0;
    struct api_options o = {.base_url = s.url, .api_key = KEY, .cancel = &cancel};
    struct api *api = NULL;
    struct fd_error err = FD_ERROR_INIT;
    assert_int_equal(api_new(&o, &api, &err), 0);
    pthread_t th;
    pthread_create(&th, NULL, raise_later, &cancel);
    struct fd_ticket t;
    assert_int_equal(api_view_ticket(api, 1, NULL, &t, NULL, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_CANCELLED);
    pthread_join(th, NULL);
    fd_error_clear(&err);
    api_free(api);
    simproc_stop(&s);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    log_set_sink(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ticket_lists_follow_link_to_the_last_page),
        cmocka_unit_test(a_link_to_another_origin_is_not_followed),
        cmocka_unit_test(read_endpoints_answer),
        cmocka_unit_test(search_quotes_the_query_and_pages),
        cmocka_unit_test(replies_notes_and_attachments_round_trip),
        cmocka_unit_test(ticket_writes_change_the_ticket),
        cmocka_unit_test(error_shapes_become_one_error_value),
        cmocka_unit_test(network_failures_have_their_own_kinds),
        cmocka_unit_test(wrong_key_fails_cleanly),
        cmocka_unit_test(rides_through_throttle_without_early_retries),
        cmocka_unit_test(rides_through_server_errors),
        cmocka_unit_test(rides_through_dropped_connections),
        cmocka_unit_test(rides_through_stalled_answers),
        cmocka_unit_test(post_is_not_retried_after_a_server_error),
        cmocka_unit_test(cancel_flag_stops_a_stalled_request),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
