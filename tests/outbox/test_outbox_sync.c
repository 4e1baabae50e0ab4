/* test_outbox_sync.c: the sync engine's outbox hook against an in-process
 * fdesk-sim: it opens its own connection in the calling thread, reports sent
 * and refused items as events, says "try later" when offline, and two
 * senders flushing one outbox at the same time (the TUI's sync thread and
 * `fdesk outbox flush`) still post every reply exactly once. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <pthread.h>

#include "sim/sim.h"
#include "src/api.h"
#include "src/events.h"
#include "src/outbox.h"
#include "tests/outbox/helpers.h"

struct fixture {
    struct test_dir dir;
    struct state_db *st;
    struct sim *sim;
    char url[64];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct sim_options o;
    char err[256];

    test_dir_make(&f->dir);
    f->st = test_state_open(&f->dir);
    sim_options_init(&o);
    o.port = 0;
    o.tickets = 30;
    f->sim = sim_create(&o, err, sizeof err);
    if (!f->sim || sim_start(f->sim, err, sizeof err) != 0)
        return -1;
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d", sim_port(f->sim));
    *state = f;
    return f->st ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    sim_destroy(f->sim);
    state_close(f->st);
    test_dir_remove(&f->dir);
    free(f);
    return 0;
}

static struct api *make_api(const char *url)
{
    struct api_options o = {.base_url = url,
                            .api_key = "sim-api-key",
                            .max_attempts = 1,
                            .low_speed_time = 5,
                            .connect_timeout = 5};
    struct fd_error err = FD_ERROR_INIT;
    struct api *api = NULL;
    assert_int_equal(api_new(&o, &api, &err), 0);
    return api;
}

/* Conversations of ticket whose text holds needle. */
static int count_on_server(struct api *api, fd_id ticket, const char *needle)
{
    struct fd_conversation *convs = NULL;
    size_t n = 0;
    struct fd_error err = FD_ERROR_INIT;
    int hits = 0;
    assert_int_equal(api_list_conversations(api, ticket, &convs, &n, &err), 0);
    for (size_t i = 0; i < n; i++) {
        if (convs[i].body_html && strstr(convs[i].body_html, needle))
            hits++;
        model_conversation_clear(&convs[i]);
    }
    free(convs);
    return hits;
}

static int64_t queue_reply(struct state_db *st, fd_id ticket, const char *text)
{
    char err[256];
    int64_t id;
    assert_int_equal(outbox_add_conversation(st, OUTBOX_REPLY, ticket, text, NULL, NULL, true, &id,
                                             err, sizeof err),
                     0);
    return id;
}

static void sent_and_refused_items_become_events(void **state)
{
    struct fixture *f = *state;
    struct events *q = events_new();
    struct outbox_sync *os = outbox_sync_new(f->dir.path, "acct", q);
    struct api *api = make_api(f->url);
    struct fd_event ev;

    int64_t good = queue_reply(f->st, 4, "hook reply one");
    int64_t bad = queue_reply(f->st, 987654, "to a ticket that does not exist");
    int64_t third = queue_reply(f->st, 5, "hook reply three");
    assert_int_equal(outbox_sync_send(os, api, good, &ev), 0);
    assert_int_equal(ev.type, FD_EVENT_OUTBOX_SENT);
    assert_int_equal(ev.u.outbox.item, good);
    assert_int_equal(ev.u.outbox.ticket_id, 4);
    assert_true(ev.u.outbox.remote_id > 0);
    assert_int_equal(events_pending(q), 0); /* a single item's event is the engine's to post */
    /* item 0: everything pending, one event each, posted by the hook. */
    assert_int_equal(outbox_sync_send(os, api, 0, &ev), -1);
    assert_int_equal(events_pending(q), 2);
    assert_true(events_pop(q, &ev));
    assert_int_equal(ev.type, FD_EVENT_OUTBOX_FAILED);
    assert_int_equal(ev.u.outbox.item, bad);
    assert_non_null(strstr(ev.message, "404"));
    assert_true(events_pop(q, &ev));
    assert_int_equal(ev.type, FD_EVENT_OUTBOX_SENT);
    assert_int_equal(ev.u.outbox.item, third);
    assert_int_equal(outbox_sync_send(os, api, 0, &ev), -1);
    assert_string_equal(ev.message, "nothing more to send");
    assert_int_equal(events_pending(q), 0);
    assert_int_equal(count_on_server(api, 4, "hook reply one"), 1);
    assert_int_equal(count_on_server(api, 5, "hook reply three"), 1);
    api_free(api);
    outbox_sync_free(os);
    events_free(q);
}

static void offline_means_try_again_later(void **state)
{
    struct fixture *f = *state;
    struct outbox_sync *os = outbox_sync_new(f->dir.path, "acct", NULL);
    struct api *api = make_api("http://127.0.0.1:1"); /* nothing listens there */
    struct fd_event ev;
    struct outbox_item it;

    int64_t id = queue_reply(f->st, 4, "waits for the link");
    assert_int_equal(outbox_sync_send(os, api, id, &ev), -1);
    assert_true(ev.message[0] != '\0');
    assert_int_equal(outbox_get(f->st, id, &it), 1);
    assert_int_equal(it.state, OUTBOX_QUEUED); /* certainly not sent: no check needed */
    outbox_item_clear(&it);
    queue_reply(f->st, 6, "another one waiting");
    assert_int_equal(outbox_sync_send(os, api, 0, &ev), -1); /* stops at the first refusal */
    assert_non_null(strstr(ev.message, "127.0.0.1"));
    assert_int_equal(outbox_pending_count(f->st), 2);
    api_free(api);
    outbox_sync_free(os);
}

/* An unknown item on a ticket that is gone fails with the reason instead of
 * blocking the outbox, and flush goes on to the other tickets' items. */
static void an_unknown_item_on_a_missing_ticket_fails_and_flush_goes_on(void **state)
{
    struct fixture *f = *state;
    struct api *api = make_api(f->url);
    enum outbox_state prior;
    struct outbox_item it;

    int64_t lost = queue_reply(f->st, 987654, "to a ticket deleted meanwhile");
    assert_int_equal(outbox_claim(f->st, lost, &prior), 1);
    assert_int_equal(outbox_finish(f->st, lost, OUTBOX_UNKNOWN, "timeout", 0), 0);
    int64_t other = queue_reply(f->st, 6, "flush reaches this one");
    assert_int_equal(outbox_flush(f->st, api, 0, NULL, NULL), 0);
    assert_int_equal(outbox_get(f->st, lost, &it), 1);
    assert_int_equal(it.state, OUTBOX_FAILED);
    assert_non_null(strstr(it.error, "404"));
    outbox_item_clear(&it);
    assert_int_equal(outbox_get(f->st, other, &it), 1);
    assert_int_equal(it.state, OUTBOX_SENT);
    outbox_item_clear(&it);
    assert_int_equal(count_on_server(api, 6, "flush reaches this one"), 1);
    api_free(api);
}

struct sender {
    const char *dir;
    const char *url;
    int sent;
};

static void *flush_thread(void *arg)
{
    struct sender *s = arg;
    char err[256];
    struct state_db *st = state_open(s->dir, "acct", err, sizeof err);
    struct api *api = make_api(s->url);
    struct outbox_send_result res;
    int64_t id;

    /* Keep sending until nothing is left, as two agents' processes would. */
    for (int round = 0; round < 200 && outbox_next(st, &id) == 1; round++) {
        if (outbox_send_one(st, api, id, &res) == 0 && res.outcome == OUTBOX_OUTCOME_SENT &&
            !res.verified)
            s->sent++;
        outbox_send_result_clear(&res);
    }
    api_free(api);
    state_close(st);
    return NULL;
}

static void two_senders_at_once_post_each_reply_once(void **state)
{
    struct fixture *f = *state;
    struct sender a = {f->dir.path, f->url, 0}, b = {f->dir.path, f->url, 0};
    pthread_t ta, tb;
    char text[64];
    enum { N = 12 };

    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "concurrent reply %02d", i);
        queue_reply(f->st, 10 + i % 3, text);
    }
    pthread_create(&ta, NULL, flush_thread, &a);
    pthread_create(&tb, NULL, flush_thread, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.sent + b.sent, N);
    assert_int_equal(outbox_pending_count(f->st), 0);
    struct api *api = make_api(f->url);
    for (int i = 0; i < N; i++) {
        snprintf(text, sizeof text, "concurrent reply %02d", i);
        assert_int_equal(count_on_server(api, 10 + i % 3, text), 1);
    }
    api_free(api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(sent_and_refused_items_become_events, setup, teardown),
        cmocka_unit_test_setup_teardown(offline_means_try_again_later, setup, teardown),
        cmocka_unit_test_setup_teardown(an_unknown_item_on_a_missing_ticket_fails_and_flush_goes_on,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(two_senders_at_once_post_each_reply_once, setup, teardown),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
