/* test_compose.c: a reply starts from a quote of the customer's last message
 * and the signature, as plain text. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "src/compose.h"
#include "src/outbox.h"
#include "tests/outbox/helpers.h"

static void finds_the_last_incoming_message(void **unused)
{
    struct fd_conversation c[] = {{.id = 1, .incoming = true},
                                  {.id = 2, .incoming = false},
                                  {.id = 3, .incoming = true},
                                  {.id = 4, .is_private = true}};
    assert_int_equal(compose_last_customer_message(c, 4), 2);
    assert_int_equal(compose_last_customer_message(c + 3, 1), -1);
    assert_int_equal(compose_last_customer_message(NULL, 0), -1);
}

static void quote_prefixes_every_line_and_names_the_author(void **unused)
{
    char *q = compose_quote("Zoë", 1700000520, "Hello,\r\n\r\nmy order\x1b[31m is late.\n\n\n");
    assert_string_equal(q, "On 2023-11-14 22:22 UTC, Zoë wrote:\n> Hello,\n>\n> my order[31m is "
                           "late.\n");
    free(q);
    q = compose_quote(NULL, 0, "one line");
    assert_string_equal(q, "The customer wrote:\n> one line\n");
    free(q);
}

static void signature_from_html_or_text(void **unused)
{
    char *s = compose_signature("<p>Ann Agent<br>Acme &amp; Co</p>", true);
    assert_string_equal(s, "\n-- \nAnn Agent\nAcme & Co");
    free(s);
    s = compose_signature("Bob\nSupport\n\n", false);
    assert_string_equal(s, "\n-- \nBob\nSupport");
    free(s);
    s = compose_signature("   ", false);
    assert_string_equal(s, "");
    free(s);
    s = compose_signature(NULL, true);
    assert_string_equal(s, "");
    free(s);
}

static void autosave_is_due_soon_after_typing_and_within_a_second(void **unused)
{
    struct test_dir d;
    struct compose c;
    test_dir_make(&d);
    struct state_db *st = test_state_open(&d);
    assert_int_equal(compose_open(&c, st, 5, DRAFT_REPLY), 0);
    assert_false(c.restored);
    assert_int_equal(compose_autosave_in(&c, 1000), -1);
    compose_touch(&c, 1000);
    assert_int_equal(compose_autosave_in(&c, 1000), COMPOSE_SAVE_IDLE_MS);
    /* Steady typing: still saved one second after the first unsaved key. */
    for (int64_t t = 1000; t <= 1900; t += 100)
        compose_touch(&c, t);
    assert_int_equal(compose_autosave_in(&c, 1900), 100);
    assert_int_equal(compose_autosave_in(&c, 2500), 0);
    assert_int_equal(compose_save(&c, st), 0);
    assert_int_equal(compose_autosave_in(&c, 2500), -1);
    compose_close(&c);
    state_close(st);
    test_dir_remove(&d);
}

static void a_session_restores_switches_queues_and_discards(void **unused)
{
    struct test_dir d;
    struct compose c;
    char err[256];
    int64_t item;
    struct draft got;
    test_dir_make(&d);
    struct state_db *st = test_state_open(&d);

    assert_int_equal(compose_open(&c, st, 9, DRAFT_REPLY), 0);
    assert_int_equal(editbuf_insert(&c.buf, "Hello Zoë", strlen("Hello Zoë")), 0);
    free(c.cc);
    c.cc = strdup("boss@example.org");
    compose_touch(&c, 1);
    assert_int_equal(compose_save(&c, st), 0);
    compose_close(&c);

    /* Later (another run): the draft comes back, with a flag for the message. */
    assert_int_equal(compose_open(&c, st, 9, DRAFT_REPLY), 0);
    assert_true(c.restored);
    assert_true(c.restored_at > 0);
    assert_string_equal(c.buf.text, "Hello Zoë");
    assert_string_equal(c.cc, "boss@example.org");
    assert_int_equal(c.buf.cursor, c.buf.len);

    /* Switching to a note moves the text; the note starts private. */
    assert_int_equal(compose_switch_kind(&c, st, DRAFT_NOTE), 0);
    assert_false(c.is_public);
    assert_int_equal(drafts_load(st, 9, DRAFT_REPLY, &got), 0);
    assert_int_equal(drafts_load(st, 9, DRAFT_NOTE, &got), 1);
    assert_string_equal(got.body, "Hello Zoë");
    drafts_clear(&got);

    /* Queued: the draft stays until the server confirms. */
    assert_int_equal(compose_queue(&c, st, NULL, 0, &item, err, sizeof err), 0);
    struct outbox_item it;
    assert_int_equal(outbox_get(st, item, &it), 1);
    assert_int_equal(it.kind, OUTBOX_NOTE);
    assert_non_null(strstr(it.payload, "\"private\":true"));
    outbox_item_clear(&it);
    assert_int_equal(drafts_load(st, 9, DRAFT_NOTE, &got), 1);
    drafts_clear(&got);
    enum outbox_state prior;
    assert_int_equal(outbox_claim(st, item, &prior), 1);
    assert_int_equal(outbox_finish(st, item, OUTBOX_SENT, NULL, 1234), 0);
    assert_int_equal(drafts_load(st, 9, DRAFT_NOTE, &got), 0);
    compose_close(&c);

    /* Discard removes a draft for good. */
    assert_int_equal(compose_open(&c, st, 10, DRAFT_NOTE), 0);
    assert_int_equal(editbuf_insert(&c.buf, "x", 1), 0);
    assert_int_equal(compose_save(&c, st), 0);
    assert_int_equal(compose_discard(&c, st), 0);
    assert_int_equal(drafts_load(st, 10, DRAFT_NOTE, &got), 0);
    compose_close(&c);
    state_close(st);
    test_dir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_the_last_incoming_message),
        cmocka_unit_test(quote_prefixes_every_line_and_names_the_author),
        cmocka_unit_test(signature_from_html_or_text),
        cmocka_unit_test(autosave_is_due_soon_after_typing_and_within_a_second),
        cmocka_unit_test(a_session_restores_switches_queues_and_discards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
