/* test_drafts.c: a draft per (ticket, kind) is saved, replaced, restored and
 * removed only by an explicit discard or a confirmed send of the same text. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/drafts.h"
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

static void save_then_restore_gives_back_every_field(void **state)
{
    struct fixture *f = *state;
    struct draft d = {.ticket_id = 7,
                      .kind = DRAFT_NOTE,
                      .body = "Привет <b>&</b>\nline 2",
                      .cc = "a@x.org",
                      .bcc = "b@y.org",
                      .is_public = true};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &d), 0);
    assert_true(d.updated_at > 0);
    assert_int_equal(drafts_load(f->st, 7, DRAFT_NOTE, &got), 1);
    assert_string_equal(got.body, d.body);
    assert_string_equal(got.cc, "a@x.org");
    assert_string_equal(got.bcc, "b@y.org");
    assert_true(got.is_public);
    assert_int_equal(got.updated_at, d.updated_at);
    drafts_clear(&got);
}

static void reply_and_note_of_one_ticket_are_separate(void **state)
{
    struct fixture *f = *state;
    struct draft r = {.ticket_id = 9, .kind = DRAFT_REPLY, .body = "reply text"};
    struct draft n = {.ticket_id = 9, .kind = DRAFT_NOTE, .body = "note text"};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &r), 0);
    assert_int_equal(drafts_save(f->st, &n), 0);
    assert_int_equal(drafts_load(f->st, 9, DRAFT_REPLY, &got), 1);
    assert_string_equal(got.body, "reply text");
    assert_true(got.is_public); /* a reply always goes to the customer */
    drafts_clear(&got);
    assert_int_equal(drafts_load(f->st, 9, DRAFT_NOTE, &got), 1);
    assert_string_equal(got.body, "note text");
    assert_false(got.is_public); /* a note is private unless made public */
    drafts_clear(&got);
    assert_int_equal(drafts_count(f->st), 2);
}

static void saving_again_replaces_the_draft(void **state)
{
    struct fixture *f = *state;
    struct draft d = {.ticket_id = 3, .kind = DRAFT_REPLY, .body = "first"};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &d), 0);
    d.body = "second";
    assert_int_equal(drafts_save(f->st, &d), 0);
    assert_int_equal(drafts_load(f->st, 3, DRAFT_REPLY, &got), 1);
    assert_string_equal(got.body, "second");
    drafts_clear(&got);
    assert_int_equal(drafts_count(f->st), 1);
}

static void missing_draft_is_not_an_error(void **state)
{
    struct fixture *f = *state;
    struct draft got;
    assert_int_equal(drafts_load(f->st, 12345, DRAFT_REPLY, &got), 0);
    assert_null(got.body);
}

static void confirmed_send_removes_only_the_same_text(void **state)
{
    struct fixture *f = *state;
    struct draft d = {.ticket_id = 5, .kind = DRAFT_REPLY, .body = "new text typed after send"};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &d), 0);
    /* The server confirmed an older text: the newer draft stays. */
    assert_int_equal(drafts_delete_if_sent(f->st, 5, DRAFT_REPLY, "the text that was sent"), 0);
    assert_int_equal(drafts_load(f->st, 5, DRAFT_REPLY, &got), 1);
    drafts_clear(&got);
    /* A confirmation for a note does not touch the reply draft. */
    assert_int_equal(drafts_delete_if_sent(f->st, 5, DRAFT_NOTE, d.body), 0);
    assert_int_equal(drafts_load(f->st, 5, DRAFT_REPLY, &got), 1);
    drafts_clear(&got);
    /* The confirmation of exactly this text removes it. */
    assert_int_equal(drafts_delete_if_sent(f->st, 5, DRAFT_REPLY, d.body), 1);
    assert_int_equal(drafts_load(f->st, 5, DRAFT_REPLY, &got), 0);
}

static void discard_removes_the_draft(void **state)
{
    struct fixture *f = *state;
    struct draft d = {.ticket_id = 8, .kind = DRAFT_NOTE, .body = "throw away"};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &d), 0);
    assert_int_equal(drafts_discard(f->st, 8, DRAFT_NOTE), 0);
    assert_int_equal(drafts_load(f->st, 8, DRAFT_NOTE, &got), 0);
    assert_int_equal(drafts_discard(f->st, 8, DRAFT_NOTE), 0); /* twice is fine */
}

static void drafts_survive_closing_and_reopening(void **state)
{
    struct fixture *f = *state;
    struct draft d = {
        .ticket_id = 77, .kind = DRAFT_REPLY, .body = "日本語のテキスト 🙂"};
    struct draft got;

    assert_int_equal(drafts_save(f->st, &d), 0);
    state_close(f->st);
    f->st = test_state_open(&f->dir);
    assert_non_null(f->st);
    assert_int_equal(drafts_load(f->st, 77, DRAFT_REPLY, &got), 1);
    assert_string_equal(got.body, d.body);
    drafts_clear(&got);
}

static void list_gives_every_draft_newest_first(void **state)
{
    struct fixture *f = *state;
    struct draft a = {.ticket_id = 1, .kind = DRAFT_REPLY, .body = "older"};
    struct draft b = {.ticket_id = 2, .kind = DRAFT_NOTE, .body = "newer"};
    struct draft *list;
    size_t n;

    assert_int_equal(drafts_list(f->st, &list, &n), 0);
    assert_int_equal(n, 0);
    assert_null(list);
    assert_int_equal(drafts_save(f->st, &a), 0);
    usleep(2000);
    assert_int_equal(drafts_save(f->st, &b), 0);
    assert_int_equal(drafts_list(f->st, &list, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].body, "newer");
    assert_int_equal(list[0].kind, DRAFT_NOTE);
    assert_int_equal(list[1].ticket_id, 1);
    drafts_free_list(list, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(save_then_restore_gives_back_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(reply_and_note_of_one_ticket_are_separate, setup, teardown),
        cmocka_unit_test_setup_teardown(saving_again_replaces_the_draft, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_draft_is_not_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(confirmed_send_removes_only_the_same_text, setup, teardown),
        cmocka_unit_test_setup_teardown(discard_removes_the_draft, setup, teardown),
        cmocka_unit_test_setup_teardown(drafts_survive_closing_and_reopening, setup, teardown),
        cmocka_unit_test_setup_teardown(list_gives_every_draft_newest_first, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
