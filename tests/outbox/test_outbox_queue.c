/* test_outbox_queue.c: the durable outbox without a network: what an item
 * stores, the per-ticket order, claims across processes, recording outcomes,
 * drafts removed on a confirmed send, and the rules that match a conversation
 * read back from the server to an item. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>

#include <cjson/cJSON.h>

#include "src/drafts.h"
#include "src/outbox.h"
#include "tests/outbox/helpers.h"

struct fixture {
    struct test_dir dir;
    struct state_db *st;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_dir_make(&f->dir);
    f->st = test_state_open(&f->dir);
    *state = f;
    return f->st ? 0 : -1;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    state_close(f->st);
    test_dir_remove(&f->dir);
    free(f);
    return 0;
}

static int64_t add_reply(struct state_db *st, fd_id ticket, const char *text)
{
    char err[256];
    int64_t id = 0;
    assert_int_equal(outbox_add_conversation(st, OUTBOX_REPLY, ticket, text, NULL, NULL, true, &id,
                                             err, sizeof err),
                     0);
    return id;
}

static int64_t next(struct state_db *st)
{
    int64_t id = -1;
    int rc = outbox_next(st, &id);
    assert_true(rc >= 0);
    return rc == 1 ? id : 0;
}

static void settle(struct state_db *st, int64_t id, enum outbox_state to)
{
    enum outbox_state prior;
    assert_int_equal(outbox_claim(st, id, &prior), 1);
    assert_int_equal(outbox_finish(st, id, to, to == OUTBOX_FAILED ? "body: blank" : NULL, 0), 0);
}

static void reply_item_holds_escaped_html_with_marker(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int64_t id;
    struct outbox_item it;

    assert_int_equal(
        outbox_add_conversation(f->st, OUTBOX_REPLY, 42, "Hi <Ann> & co,\nЗдравствуйте 你好\n\nBye",
                                " a@x.org, b@y.org", "c@z.org", false, &id, err, sizeof err),
        0);
    assert_int_equal(outbox_get(f->st, id, &it), 1);
    assert_int_equal(it.state, OUTBOX_QUEUED);
    assert_int_equal(it.kind, OUTBOX_REPLY);
    assert_int_equal(it.ticket_id, 42);
    assert_int_equal(it.ticket_count, 1);
    assert_int_equal(strlen(it.marker), OUTBOX_MARKER_LEN);
    assert_string_equal(it.text, "Hi <Ann> & co,\nЗдравствуйте 你好\n\nBye");
    cJSON *root = cJSON_Parse(it.payload);
    assert_non_null(root);
    const char *body = cJSON_GetObjectItem(root, "body")->valuestring;
    assert_non_null(strstr(body, "Hi &lt;Ann&gt; &amp; co,<br>Здравствуйте 你好</p><p>Bye</p>"));
    assert_null(strstr(body, "<Ann>"));
    assert_non_null(strstr(body, it.marker));
    assert_non_null(strstr(body, "<!-- fdesk:"));
    cJSON *cc = cJSON_GetObjectItem(root, "cc_emails");
    assert_int_equal(cJSON_GetArraySize(cc), 2);
    assert_string_equal(cJSON_GetArrayItem(cc, 0)->valuestring, "a@x.org");
    assert_string_equal(cJSON_GetArrayItem(cc, 1)->valuestring, "b@y.org");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "bcc_emails")), 1);
    assert_null(cJSON_GetObjectItem(root, "private"));
    cJSON_Delete(root);
    outbox_item_clear(&it);
    assert_int_equal(outbox_pending_count(f->st), 1);
}

static void markers_are_unique(void **state)
{
    struct fixture *f = *state;
    struct outbox_item a, b;
    int64_t x = add_reply(f->st, 1, "same text"), y = add_reply(f->st, 1, "same text");
    assert_int_equal(outbox_get(f->st, x, &a), 1);
    assert_int_equal(outbox_get(f->st, y, &b), 1);
    assert_string_not_equal(a.marker, b.marker);
    outbox_item_clear(&a);
    outbox_item_clear(&b);
}

static void note_is_private_unless_public(void **state)
{
    struct fixture *f = *state;
    char err[256];
    int64_t a, b;
    struct outbox_item it;

    assert_int_equal(outbox_add_conversation(f->st, OUTBOX_NOTE, 5, "internal", NULL, NULL, false,
                                             &a, err, sizeof err),
                     0);
    assert_int_equal(outbox_add_conversation(f->st, OUTBOX_NOTE, 5, "shared", NULL, NULL, true, &b,
                                             err, sizeof err),
                     0);
    assert_int_equal(outbox_get(f->st, a, &it), 1);
    assert_non_null(strstr(it.payload, "\"private\":true"));
    outbox_item_clear(&it);
    assert_int_equal(outbox_get(f->st, b, &it), 1);
    assert_non_null(strstr(it.payload, "\"private\":false"));
    outbox_item_clear(&it);
}

static void empty_text_is_refused_and_nothing_is_stored(void **state)
{
    struct fixture *f = *state;
    char err[256] = "";
    int64_t id = 0;
    assert_int_equal(outbox_add_conversation(f->st, OUTBOX_REPLY, 5, " \n\t \n", NULL, NULL, true,
                                             &id, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "empty"));
    assert_int_equal(outbox_pending_count(f->st), 0);
}

static void items_of_one_ticket_go_in_order(void **state)
{
    struct fixture *f = *state;
    int64_t a1 = add_reply(f->st, 1, "first on 1");
    int64_t b = add_reply(f->st, 2, "only on 2");
    int64_t a2 = add_reply(f->st, 1, "second on 1");

    assert_int_equal(next(f->st), a1);
    settle(f->st, a1, OUTBOX_UNKNOWN);
    /* a1 may still land: a2 waits behind it, ticket 2 does not. */
    assert_int_equal(next(f->st), a1);
    settle(f->st, a1, OUTBOX_QUEUED);
    assert_int_equal(next(f->st), a1);
    /* Skip a1 by finishing b first through its own claim. */
    settle(f->st, b, OUTBOX_SENT);
    assert_int_equal(next(f->st), a1);
    settle(f->st, a1, OUTBOX_SENT);
    assert_int_equal(next(f->st), a2);
    settle(f->st, a2, OUTBOX_SENT);
    assert_int_equal(next(f->st), 0);
    assert_int_equal(outbox_pending_count(f->st), 0);
}

static void an_unknown_item_blocks_only_its_own_ticket(void **state)
{
    struct fixture *f = *state;
    int64_t a1 = add_reply(f->st, 1, "a1");
    int64_t a2 = add_reply(f->st, 1, "a2");
    int64_t b = add_reply(f->st, 2, "b");
    int64_t id;

    settle(f->st, a1, OUTBOX_UNKNOWN);
    /* outbox_next still offers a1 (to be checked), and never a2 before it. */
    assert_int_equal(next(f->st), a1);
    assert_int_equal(outbox_next_for(f->st, b, &id), 1);
    assert_int_equal(id, b);
    assert_int_equal(outbox_next_for(f->st, a2, &id), 1);
    assert_int_equal(id, a1);
}

static void an_item_backing_off_lets_other_tickets_go_first(void **state)
{
    struct fixture *f = *state;
    int64_t a1 = add_reply(f->st, 1, "a1: the server keeps failing it");
    int64_t a2 = add_reply(f->st, 1, "a2");
    int64_t b = add_reply(f->st, 2, "b");
    int64_t id, now = state_now_ms();

    settle(f->st, a1, OUTBOX_UNKNOWN);
    assert_int_equal(outbox_defer(f->st, a1, now + 60000), 0);
    assert_int_equal(next(f->st), b); /* a2 still waits behind a1 */
    assert_int_equal(outbox_next_due(f->st, 0, now + 120000, &id), 1);
    assert_int_equal(id, a1); /* due again later (or for "send now") */
    assert_int_equal(outbox_next_due(f->st, a2, now + 120000, &id), 1);
    assert_int_equal(id, a1);
    /* A new outcome clears the back-off. */
    settle(f->st, a1, OUTBOX_SENT);
    assert_int_equal(next(f->st), a2);
}

static void a_failed_item_does_not_block_later_ones(void **state)
{
    struct fixture *f = *state;
    int64_t a1 = add_reply(f->st, 1, "bad");
    int64_t a2 = add_reply(f->st, 1, "good");
    struct outbox_item it;

    settle(f->st, a1, OUTBOX_FAILED);
    assert_int_equal(next(f->st), a2);
    /* The failed item is kept, with its reason, until the agent acts. */
    assert_int_equal(outbox_get(f->st, a1, &it), 1);
    assert_int_equal(it.state, OUTBOX_FAILED);
    assert_string_equal(it.error, "body: blank");
    outbox_item_clear(&it);
    struct outbox_item *items;
    size_t n;
    assert_int_equal(outbox_list(f->st, &items, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(items[0].id, a1);
    outbox_items_free(items, n);
}

static void bulk_update_orders_against_all_its_tickets(void **state)
{
    struct fixture *f = *state;
    struct outbox_update u = {.status = FD_STATUS_RESOLVED};
    fd_id ids[] = {11, 12, 13};
    char err[256];
    int64_t bulk, later;
    struct outbox_item it;

    assert_int_equal(outbox_add_update(f->st, ids, 3, &u, &bulk, err, sizeof err), 0);
    later = add_reply(f->st, 13, "after the bulk change");
    assert_int_equal(next(f->st), bulk);
    assert_int_equal(outbox_get(f->st, bulk, &it), 1);
    assert_int_equal(it.kind, OUTBOX_BULK_UPDATE);
    assert_int_equal(it.ticket_count, 3);
    assert_int_equal(it.ticket_ids[2], 13);
    assert_non_null(strstr(it.payload, "\"bulk_action\":{\"ids\":[11,12,13]"));
    assert_non_null(strstr(it.payload, "\"properties\":{\"status\":4}"));
    outbox_item_clear(&it);
    settle(f->st, bulk, OUTBOX_SENT);
    assert_int_equal(next(f->st), later);
}

static void update_payload_and_refusals(void **state)
{
    struct fixture *f = *state;
    const char *add[] = {"vip"}, *remove[] = {"spam?"};
    struct outbox_update u = {.priority = FD_PRIORITY_URGENT,
                              .set_responder = true,
                              .responder_id = 0,
                              .tags_add = add,
                              .tags_add_count = 1,
                              .tags_remove = remove,
                              .tags_remove_count = 1};
    fd_id one = 4, two[] = {4, 5};
    char err[256];
    int64_t id;
    struct outbox_item it;

    assert_int_equal(outbox_add_update(f->st, &one, 1, &u, &id, err, sizeof err), 0);
    assert_int_equal(outbox_get(f->st, id, &it), 1);
    assert_int_equal(it.kind, OUTBOX_UPDATE);
    assert_non_null(strstr(it.payload, "\"priority\":4"));
    assert_non_null(strstr(it.payload, "\"responder_id\":null"));
    assert_non_null(strstr(it.payload, "\"fdesk_tags_add\":[\"vip\"]"));
    outbox_item_clear(&it);
    assert_int_equal(outbox_add_update(f->st, two, 2, &u, &id, err, sizeof err), -1);
    assert_non_null(strstr(err, "tags"));
    struct outbox_update nothing = {0};
    assert_int_equal(outbox_add_update(f->st, &one, 1, &nothing, &id, err, sizeof err), -1);
    assert_non_null(strstr(err, "nothing"));
}

static void an_item_being_sent_by_a_live_process_is_left_alone(void **state)
{
    struct fixture *f = *state;
    int64_t id = add_reply(f->st, 3, "in flight elsewhere");
    int pipefd[2];
    enum outbox_state prior;
    bool busy;

    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct state_db *st = test_state_open(&f->dir);
        enum outbox_state p;
        if (!st || outbox_claim(st, id, &p) != 1 || write(pipefd[1], "c", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    char c;
    assert_int_equal(read(pipefd[0], &c, 1), 1);
    assert_int_equal(next(f->st), 0);
    assert_int_equal(outbox_claim(f->st, id, &prior), 0);
    assert_int_equal(outbox_drop(f->st, id, &busy), 0);
    assert_true(busy);
    /* The sender dies mid-send (kill -9): its claim is stale now. */
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(pipefd[0]);
    close(pipefd[1]);
    assert_int_equal(next(f->st), id);
    assert_int_equal(outbox_claim(f->st, id, &prior), 1);
    assert_int_equal(prior, OUTBOX_SENDING); /* so the sender checks the server first */
    struct outbox_item it;
    assert_int_equal(outbox_get(f->st, id, &it), 1);
    assert_int_equal(it.attempts, 2);
    assert_true(it.first_sent_at > 0);
    outbox_item_clear(&it);
}

static void another_thread_of_this_process_does_not_take_a_claimed_item(void **state)
{
    struct fixture *f = *state;
    int64_t id = add_reply(f->st, 3, "claimed by the sync thread");
    struct state_db *other = test_state_open(&f->dir); /* a second thread's connection */
    enum outbox_state prior;

    assert_non_null(other);
    assert_int_equal(outbox_claim(f->st, id, &prior), 1);
    assert_int_equal(next(other), 0);
    assert_int_equal(outbox_claim(other, id, &prior), 0);
    assert_int_equal(outbox_finish(f->st, id, OUTBOX_UNKNOWN, "timeout", 0), 0);
    assert_int_equal(next(other), id); /* released: the other may check it now */
    state_close(other);
}

static void confirmed_send_removes_the_matching_draft(void **state)
{
    struct fixture *f = *state;
    struct draft d = {.ticket_id = 21, .kind = DRAFT_REPLY, .body = "Thanks, fixed."};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &d), 0);
    int64_t id = add_reply(f->st, 21, d.body);
    settle(f->st, id, OUTBOX_UNKNOWN);
    assert_int_equal(drafts_load(f->st, 21, DRAFT_REPLY, &got), 1); /* not yet confirmed */
    drafts_clear(&got);
    settle(f->st, id, OUTBOX_SENT);
    assert_int_equal(drafts_load(f->st, 21, DRAFT_REPLY, &got), 0);
}

static void failed_reply_returns_to_the_draft(void **state)
{
    struct fixture *f = *state;
    int64_t id = add_reply(f->st, 31, "text the server refused");
    struct draft got;
    struct outbox_item it;

    assert_int_equal(outbox_return_to_draft(f->st, id), 0); /* not failed: refused */
    settle(f->st, id, OUTBOX_FAILED);
    assert_int_equal(outbox_return_to_draft(f->st, id), 1);
    assert_int_equal(drafts_load(f->st, 31, DRAFT_REPLY, &got), 1);
    assert_string_equal(got.body, "text the server refused");
    drafts_clear(&got);
    assert_int_equal(outbox_get(f->st, id, &it), 0);
}

static void overlay_shows_pending_changes_until_confirmed(void **state)
{
    struct fixture *f = *state;
    struct outbox_overlay o;
    struct outbox_update first = {
        .status = FD_STATUS_PENDING, .set_responder = true, .responder_id = 77};
    struct outbox_update second = {.status = FD_STATUS_RESOLVED, .set_group = true};
    fd_id ids[] = {40, 41};
    char err[256];
    int64_t a, b;

    assert_int_equal(outbox_overlay_for(f->st, 40, &o), 0);
    assert_int_equal(outbox_add_update(f->st, ids, 1, &first, &a, err, sizeof err), 0);
    assert_int_equal(outbox_add_update(f->st, ids, 2, &second, &b, err, sizeof err), 0);
    add_reply(f->st, 40, "and a reply");
    assert_int_equal(outbox_overlay_for(f->st, 40, &o), 1);
    assert_true(o.has_status);
    assert_int_equal(o.status, FD_STATUS_RESOLVED); /* the newest change wins */
    assert_true(o.has_responder);
    assert_int_equal(o.responder_id, 77);
    assert_true(o.has_group);
    assert_int_equal(o.group_id, 0);
    assert_false(o.has_priority);
    assert_int_equal(o.pending_updates, 2);
    assert_int_equal(o.pending_messages, 1);
    assert_int_equal(outbox_overlay_for(f->st, 41, &o), 1);
    assert_false(o.has_responder); /* only the bulk change touches 41 */
    assert_int_equal(o.status, FD_STATUS_RESOLVED);
    settle(f->st, a, OUTBOX_SENT);
    settle(f->st, b, OUTBOX_FAILED); /* refused: the view drops it */
    assert_int_equal(outbox_overlay_for(f->st, 41, &o), 0);
    assert_int_equal(outbox_overlay_for(f->st, 40, &o), 1);
    assert_false(o.has_status);
    assert_int_equal(o.pending_messages, 1);
    outbox_overlay_clear(&o);
}

static void overlay_carries_type_and_tag_changes(void **state)
{
    struct fixture *f = *state;
    struct outbox_overlay o;
    const char *vip[] = {"vip"}, *late[] = {"late"};
    struct outbox_update add = {.type = "Incident", .tags_add = vip, .tags_add_count = 1};
    struct outbox_update add_late = {.tags_add = late, .tags_add_count = 1};
    struct outbox_update drop_vip = {.tags_remove = vip, .tags_remove_count = 1};
    fd_id id = 50;
    char err[256];
    int64_t a, b, c;

    assert_int_equal(outbox_add_update(f->st, &id, 1, &add, &a, err, sizeof err), 0);
    assert_int_equal(outbox_overlay_for(f->st, id, &o), 1);
    assert_true(o.has_type);
    assert_string_equal(o.type, "Incident");
    assert_int_equal(o.tags_add.count, 1);
    assert_string_equal(o.tags_add.items[0], "vip");
    assert_int_equal(o.tags_remove.count, 0);
    outbox_overlay_clear(&o);
    /* A later removal wins over the earlier addition. */
    assert_int_equal(outbox_add_update(f->st, &id, 1, &add_late, &b, err, sizeof err), 0);
    assert_int_equal(outbox_add_update(f->st, &id, 1, &drop_vip, &c, err, sizeof err), 0);
    assert_int_equal(outbox_overlay_for(f->st, id, &o), 1);
    assert_int_equal(o.tags_add.count, 1);
    assert_string_equal(o.tags_add.items[0], "late");
    assert_int_equal(o.tags_remove.count, 1);
    assert_string_equal(o.tags_remove.items[0], "vip");
    assert_int_equal(o.pending_updates, 3);
    outbox_overlay_clear(&o);
}

static void drop_removes_an_item(void **state)
{
    struct fixture *f = *state;
    int64_t id = add_reply(f->st, 8, "never mind");
    bool busy;
    assert_int_equal(outbox_drop(f->st, id, &busy), 1);
    assert_false(busy);
    assert_int_equal(outbox_pending_count(f->st), 0);
    assert_int_equal(outbox_drop(f->st, id, &busy), 0);
}

/* ---- matching conversations read back from the server ---- */

static struct outbox_item match_item(enum outbox_kind kind, const char *text, const char *payload)
{
    struct outbox_item it = {.id = 1, .kind = kind, .ticket_id = 5};
    snprintf(it.marker, sizeof it.marker, "fdesk-0123456789abcdef0123456789abcdef");
    it.text = (char *)text;
    it.payload = (char *)payload;
    it.first_sent_at = (int64_t)1700000000 * 1000;
    return it;
}

static bool taken_99(fd_id id, void *data)
{
    return id == 99;
}

static void the_marker_identifies_the_item_exactly(void **state)
{
    struct outbox_item it = match_item(OUTBOX_REPLY, "Hello", "{}");
    struct fd_conversation convs[] = {
        {.id = 1,
         .body_html = "<p>Hello</p><!-- fdesk:fdesk-ffffffffffffffffffffffffffffffff -->",
         .body_text = "Hello",
         .created_at = 1700000000},
        {.id = 2,
         .body_html = "<p>Hello</p><!-- fdesk:fdesk-0123456789abcdef0123456789abcdef -->",
         .body_text = "Hello",
         .created_at = 1700000001},
    };
    assert_int_equal(outbox_match_conversation(&it, convs, 2, NULL, NULL), 1);
    /* Another item's marker never matches, even with the same text. */
    assert_int_equal(outbox_match_conversation(&it, convs, 1, NULL, NULL), -1);
    /* Nor does the customer's answer that quotes our HTML, marker and all. */
    convs[1].incoming = true;
    assert_int_equal(outbox_match_conversation(&it, convs, 2, NULL, NULL), -1);
}

static void own_conversations_are_recognised_and_quotes_are_not(void **state)
{
    struct fixture *f = *state;
    int64_t id = add_reply(f->st, 60, "My own words");
    struct outbox_item it;
    char html[200], other[200];
    assert_int_equal(outbox_get(f->st, id, &it), 1);
    snprintf(html, sizeof html, "<p>My own words</p><!-- fdesk:%s -->", it.marker);
    snprintf(other, sizeof other,
             "<p>Different text</p><blockquote><p>My own words</p><!-- fdesk:%s --></blockquote>",
             it.marker);
    outbox_item_clear(&it);
    struct fd_conversation own = {.id = 1, .body_html = html, .body_text = "My own words"};
    struct fd_conversation quoted = own;
    quoted.incoming = true; /* the customer's answer quoting ours, marker and all */
    struct fd_conversation agent = {
        .id = 3, .body_html = other, .body_text = "Different text > My own words"};
    struct fd_conversation stranger = {
        .id = 4,
        .body_html = "<p>My own words</p><!-- fdesk:fdesk-0123456789abcdef0123456789abcdef -->",
        .body_text = "My own words"};
    struct fd_conversation plain = {
        .id = 5, .body_html = "<p>My own words</p>", .body_text = "My own words"};
    assert_int_equal(outbox_is_own_conversation(f->st, &own), 1);
    assert_int_equal(outbox_is_own_conversation(f->st, &quoted), 0);
    assert_int_equal(outbox_is_own_conversation(f->st, &agent), 0);
    assert_int_equal(outbox_is_own_conversation(f->st, &stranger), 0);
    assert_int_equal(outbox_is_own_conversation(f->st, &plain), 0);
}

static void without_markers_text_privacy_and_time_must_agree(void **state)
{
    struct outbox_item reply = match_item(OUTBOX_REPLY, "Hi  there,\nall  fixed", "{}");
    struct outbox_item note = match_item(OUTBOX_NOTE, "Hi there, all fixed", "{\"private\":true}");
    struct fd_conversation c = {.id = 7,
                                .body_html = "<p>Hi there,<br>all fixed</p>",
                                .body_text = "Hi there,\r\nall\u00a0fixed\n-- \nSignature",
                                .created_at = 1700000005};

    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), 0);
    /* A public reply is not a private note. */
    assert_int_equal(outbox_match_conversation(&note, &c, 1, NULL, NULL), -1);
    c.is_private = true;
    assert_int_equal(outbox_match_conversation(&note, &c, 1, NULL, NULL), 0);
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), -1);
    c.is_private = false;
    /* The customer's message is never ours. */
    c.incoming = true;
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), -1);
    c.incoming = false;
    /* Too old: created well before the first attempt. */
    c.created_at = 1700000000 - 3600;
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), -1);
    c.created_at = 1700000005;
    /* Already credited to another item. */
    c.id = 99;
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, taken_99, NULL), -1);
    /* Different text, or only a common beginning. */
    c.id = 7;
    c.body_text = "Hi there, not fixed";
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), -1);
    c.body_text = "Hi there, all fixed now, thanks";
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), -1);
    c.body_text = "Hi there, all fixed";
    assert_int_equal(outbox_match_conversation(&reply, &c, 1, NULL, NULL), 0);
}

static void html_body_escapes_and_keeps_lines(void **state)
{
    char *html = outbox_body_html("a < b && c > d \"q\"\n  indented\n\n\nnext ¿qué? 中文", NULL);
    assert_string_equal(html,
                        "<p>a &lt; b &amp;&amp; c &gt; d &quot;q&quot;<br>&nbsp;&nbsp;indented"
                        "</p><p>next ¿qué? 中文</p>");
    free(html);
    char *norm = outbox_normalize_text("  a \t b\r\n\u00a0c  ");
    assert_string_equal(norm, "a b c");
    free(norm);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(reply_item_holds_escaped_html_with_marker),
        T(markers_are_unique),
        T(note_is_private_unless_public),
        T(empty_text_is_refused_and_nothing_is_stored),
        T(items_of_one_ticket_go_in_order),
        T(an_unknown_item_blocks_only_its_own_ticket),
        T(an_item_backing_off_lets_other_tickets_go_first),
        T(a_failed_item_does_not_block_later_ones),
        T(bulk_update_orders_against_all_its_tickets),
        T(update_payload_and_refusals),
        T(an_item_being_sent_by_a_live_process_is_left_alone),
        T(another_thread_of_this_process_does_not_take_a_claimed_item),
        T(confirmed_send_removes_the_matching_draft),
        T(failed_reply_returns_to_the_draft),
        T(overlay_shows_pending_changes_until_confirmed),
        T(overlay_carries_type_and_tag_changes),
        T(own_conversations_are_recognised_and_quotes_are_not),
        T(drop_removes_an_item),
        cmocka_unit_test(the_marker_identifies_the_item_exactly),
        cmocka_unit_test(without_markers_text_privacy_and_time_must_agree),
        cmocka_unit_test(html_body_escapes_and_keeps_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
