/* test_canned.c: canned-response placeholders are filled from the ticket,
 * unknown ones stay as written, and the fuzzy score ranks titles sensibly. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "src/canned.h"

static void known_placeholders_are_filled(void **unused)
{
    struct fd_ticket t = {.id = 4711,
                          .subject = "Printer on fire",
                          .status = FD_STATUS_PENDING,
                          .priority = FD_PRIORITY_HIGH};
    struct canned_context ctx = {.ticket = &t,
                                 .requester_name = "Zoë  van Dijk",
                                 .requester_email = "zoe@example.org",
                                 .agent_name = "Ann Agent",
                                 .group_name = "Tier 2"};
    char *out = canned_fill("Hi {{ticket.requester.firstname}}, re #{{ticket.id}} "
                            "\"{{ ticket.subject }}\" ({{ticket.status}}, {{ticket.priority}}): "
                            "{{ticket.requester.name}} <{{ticket.requester.email}}>, "
                            "{{ticket.requester.lastname}}. -- {{ticket.agent.name}}, "
                            "{{ticket.group.name}}",
                            &ctx);
    assert_string_equal(out, "Hi Zoë, re #4711 \"Printer on fire\" (Pending, High): "
                             "Zoë  van Dijk <zoe@example.org>, van Dijk. -- Ann Agent, Tier 2");
    free(out);
}

static void unknown_or_unfilled_placeholders_stay(void **unused)
{
    struct fd_ticket t = {.id = 1};
    struct canned_context ctx = {.ticket = &t};
    char *out = canned_fill("{{ticket.cf_x}} {{ticket.requester.name}} {{ {{ticket.id}} "
                            "{{unterminated",
                            &ctx);
    assert_string_equal(out, "{{ticket.cf_x}} {{ticket.requester.name}} {{ 1 {{unterminated");
    free(out);
    out = canned_fill("no placeholders at all", &ctx);
    assert_string_equal(out, "no placeholders at all");
    free(out);
    struct canned_context empty = {0};
    out = canned_fill("{{ticket.id}}", &empty);
    assert_string_equal(out, "{{ticket.id}}");
    free(out);
}

static void fuzzy_score_requires_characters_in_order(void **unused)
{
    assert_true(canned_fuzzy_score("rfd", "Refund policy") >= 0);
    assert_int_equal(canned_fuzzy_score("dfr", "Refund policy"), -1);
    assert_int_equal(canned_fuzzy_score("xyz", "Refund policy"), -1);
    assert_int_equal(canned_fuzzy_score("", "anything"), 0);
    /* Case-insensitive, in any script. */
    assert_true(canned_fuzzy_score("ПРИВ", "привет клиенту") >= 0);
    assert_true(canned_fuzzy_score("straße", "STRASSE") >= 0);
}

static void fuzzy_score_prefers_prefixes_word_starts_and_runs(void **unused)
{
    int prefix = canned_fuzzy_score("ref", "Refund policy");
    int inner = canned_fuzzy_score("ref", "Prefer email");
    int word = canned_fuzzy_score("pol", "Refund policy");
    int scattered = canned_fuzzy_score("pol", "Pricing for all locations");
    assert_true(prefix > inner);
    assert_true(word > scattered);
    /* A shorter title wins a tie. */
    assert_true(canned_fuzzy_score("thanks", "Thanks") >
                canned_fuzzy_score("thanks", "Thanks for your patience"));
}

static void render_uses_text_or_html_and_fills(void **unused)
{
    struct fd_ticket t = {.id = 12};
    struct canned_context ctx = {.ticket = &t, .requester_name = "Ann"};
    struct fd_canned_response html_only = {
        .content_html = "<p>Hi {{ticket.requester.name}},</p><p>ticket #{{ticket.id}} &amp; "
                        "more</p>"};
    struct fd_canned_response text = {.content_text = "Hello\x1b]0;x\x07 {{ticket.id}}",
                                      .content_html = "<p>ignored</p>"};
    char *out = canned_render(&html_only, &ctx);
    assert_string_equal(out, "Hi Ann,\n\nticket #12 & more");
    free(out);
    out = canned_render(&text, &ctx);
    assert_null(strchr(out, '\x1b')); /* server text is sanitised */
    assert_non_null(strstr(out, "Hello"));
    assert_non_null(strstr(out, " 12"));
    free(out);
}

static void rank_orders_a_picker_list(void **unused)
{
    const char *titles[] = {"Shipping delay apology", "Refund policy",
                            "Password reset",         "Thanks",
                            "Refund approved",        "Escalation to tier 2"};
    size_t order[6];
    assert_int_equal(canned_rank("ref", titles, 6, order), 2);
    assert_int_equal(order[0], 1); /* "Refund policy" before "Refund approved": shorter wins */
    assert_int_equal(order[1], 4);
    assert_int_equal(canned_rank("", titles, 6, order), 6); /* all, in the given order */
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(order[i], i);
    assert_int_equal(canned_rank("zzz", titles, 6, order), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_placeholders_are_filled),
        cmocka_unit_test(unknown_or_unfilled_placeholders_stay),
        cmocka_unit_test(fuzzy_score_requires_characters_in_order),
        cmocka_unit_test(fuzzy_score_prefers_prefixes_word_starts_and_runs),
        cmocka_unit_test(rank_orders_a_picker_list),
        cmocka_unit_test(render_uses_text_or_html_and_fills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
