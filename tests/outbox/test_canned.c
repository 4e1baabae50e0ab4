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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_placeholders_are_filled),
        cmocka_unit_test(unknown_or_unfilled_placeholders_stay),
        cmocka_unit_test(fuzzy_score_requires_characters_in_order),
        cmocka_unit_test(fuzzy_score_prefers_prefixes_word_starts_and_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
