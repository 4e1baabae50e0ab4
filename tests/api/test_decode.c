/* test_decode.c: the decoders read every real Freshdesk fixture as-is, are
 * lenient where the API varies (null arrays, missing keys, unknown keys,
 * custom statuses) and reject or skip malformed input without crashing
 * (truncated bodies, wrong types, huge numbers, deep nesting, invalid UTF-8). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/decode.h"
#include "src/log.h"

static char *read_fixture(const char *name, size_t *len)
{
    const char *dir = getenv("FIXTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures/freshdesk", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Counts "skipped" warnings so tests can see that a reason was logged. */
static int warnings;
static char last_warning[512];
static void count_sink(enum log_level level, const char *module, const char *text, void *data)
{
    if (level == LOG_LEVEL_WARN) {
        warnings++;
        snprintf(last_warning, sizeof last_warning, "%s: %s", module, text);
    }
}

static int setup(void **state)
{
    warnings = 0;
    last_warning[0] = '\0';
    log_set_sink(count_sink, NULL);
    return 0;
}

static void ticket_list_fixture_decodes_with_embedded_requester(void **state)
{
    size_t len, count = 99, skipped = 99;
    char *json = read_fixture("tickets_list_include_requester_stats_description.json", &len);
    struct fd_ticket *t = NULL;
    struct fd_error err = FD_ERROR_INIT;
    assert_int_equal(decode_tickets(json, len, &t, &count, &skipped, &err), 0);
    assert_int_equal(count, 3);
    assert_int_equal(skipped, 0);
    assert_int_equal(t[0].id, 18);
    assert_string_equal(t[0].subject, "Payment failed");
    assert_int_equal(t[0].status, 2);
    assert_int_equal(t[0].priority, 2);
    assert_int_equal(t[0].requester_id, 67038833126LL);
    assert_int_equal(t[0].group_id, 67000259997LL);
    assert_int_equal(t[0].responder_id, 0);
    assert_int_equal(t[0].cc_emails.count, 0); /* null in the fixture */
    assert_true(t[0].is_escalated);
    assert_non_null(t[0].requester);
    assert_string_equal(t[0].requester->name, "Matt Rogers");
    assert_string_equal(t[0].requester->phone, "+61 1800 861 302");
    assert_null(t[0].company);
    assert_string_equal(t[0].custom_fields_json, "{}");
    assert_non_null(strstr(t[0].description_text, "Thanks,\nMatt"));
    fd_time due;
    assert_int_equal(model_parse_time("2022-05-26T21:25:35Z", &due), 0);
    assert_int_equal(t[0].due_by, due);
    /* ticket->json keeps Freshdesk's fields but not the embedded requester */
    assert_non_null(strstr(t[0].json, "\"stats\""));
    assert_non_null(strstr(t[0].json, "\"subject\":\"Payment failed\""));
    assert_null(strstr(t[0].json, "\"requester\""));
    assert_int_equal(t[1].id, 21);
    assert_int_equal(t[1].status, 5);
    assert_string_equal(t[2].requester->name, "Jessica Rangel");
    decode_free_tickets(t, count);
    free(json);
}

static void single_ticket_fixture_decodes(void **state)
{
    size_t len;
    char *json = read_fixture("ticket.json", &len);
    struct fd_ticket t;
    struct fd_conversation *convs = (void *)1;
    size_t nconv = 99;
    assert_int_equal(decode_ticket(json, len, &t, &convs, &nconv, NULL), 0);
    assert_int_equal(t.id, 49548);
    assert_int_equal(t.requester_id, 36012621950LL);
    assert_string_equal(t.type, "Question");
    assert_int_equal(t.source, 2);
    assert_int_equal(t.tags.count, 1);
    assert_string_equal(t.tags.items[0], "test-tag");
    assert_int_equal(t.due_by, 0); /* null */
    assert_int_equal(t.attachment_count, 0);
    assert_string_equal(t.description_html, "<div>This is a test ticket.</div>");
    assert_null(convs);
    assert_int_equal(nconv, 0);
    assert_non_null(strstr(t.json, "\"form_id\":298"));
    model_ticket_clear(&t);
    free(json);
}

static void conversations_fixture_decodes(void **state)
{
    size_t len, count, skipped;
    char *json = read_fixture("conversations.json", &len);
    struct fd_conversation *c = NULL;
    assert_int_equal(decode_conversations(json, len, &c, &count, &skipped, NULL), 0);
    assert_int_equal(count, 2);
    assert_int_equal(skipped, 0);
    assert_int_equal(c[0].id, 67105086049LL);
    assert_int_equal(c[0].ticket_id, 22);
    assert_false(c[0].is_private);
    assert_false(c[0].incoming);
    assert_int_equal(c[0].to_emails.count, 1);
    assert_string_equal(c[0].to_emails.items[0], "reyesamanda@example.com");
    assert_string_equal(c[0].from_email, "Airbyte <support@newaccount1603334233301.freshdesk.com>");
    assert_true(c[1].is_private);
    assert_int_equal(c[1].source, 2);
    assert_string_equal(c[1].body_text, "Test note");
    decode_free_conversations(c, count);
    free(json);
}

static void agents_groups_and_canned_fixtures_decode(void **state)
{
    size_t len, count, skipped;
    char *json = read_fixture("agents.json", &len);
    struct fd_agent *a = NULL;
    assert_int_equal(decode_agents(json, len, &a, &count, &skipped, NULL), 0);
    assert_int_equal(count, 3);
    assert_string_equal(a[0].name, "Customer Service");
    assert_string_equal(a[1].email, "integration-test@airbyte.io");
    assert_int_equal(a[0].id, 67013469930LL);
    assert_true(a[0].occasional);
    assert_int_equal(a[0].ticket_scope, 1);
    decode_free_agents(a, count);
    free(json);

    json = read_fixture("groups.json", &len);
    struct fd_group *g = NULL;
    assert_int_equal(decode_groups(json, len, &g, &count, &skipped, NULL), 0);
    assert_int_equal(count, 3); /* auto_ticket_assign 0/1 does not upset the decoder */
    assert_string_equal(g[1].name, "Billing");
    decode_free_groups(g, count);
    free(json);

    json = read_fixture("canned_response_folders.json", &len);
    struct fd_canned_folder *f = NULL;
    assert_int_equal(decode_canned_folders(json, len, &f, &count, &skipped, NULL), 0);
    assert_int_equal(count, 2);
    assert_true(f[0].personal);
    assert_int_equal(f[1].responses_count, 1);
    decode_free_canned_folders(f, count);
    free(json);

    json = read_fixture("canned_responses.json", &len);
    struct fd_canned_response *r = NULL;
    assert_int_equal(decode_canned_responses(json, len, &r, &count, &skipped, NULL), 0);
    assert_int_equal(count, 2);
    assert_string_equal(r[0].title, "Another canned response");
    assert_int_equal(r[0].folder_id, 67000078780LL);
    assert_string_equal(r[1].content_html, "<div>This is a sample canned response</div>");
    decode_free_canned_responses(r, count);
    free(json);
}

static void ticket_fields_fixture_gives_statuses_and_types(void **state)
{
    size_t len, count;
    char *json = read_fixture("ticket_fields.json", &len);
    struct fd_status *s = NULL;
    assert_int_equal(decode_ticket_statuses(json, len, &s, &count, NULL), 0);
    assert_int_equal(count, 4);
    assert_int_equal(s[0].id, 2);
    assert_string_equal(s[0].agent_label, "Open");
    assert_string_equal(s[0].customer_label, "Being Processed");
    assert_string_equal(decode_status_label(s, count, 3), "Pending");
    decode_free_statuses(s, count);
    struct fd_string_list types;
    assert_int_equal(decode_ticket_types(json, len, &types, NULL), 0);
    assert_int_equal(types.count, 5);
    assert_string_equal(types.items[4], "Refund");
    model_string_list_clear(&types);
    free(json);
}

static void custom_status_resolves_through_ticket_fields(void **state)
{
    const char *json = "[{\"name\":\"status\",\"type\":\"default_status\",\"choices\":{"
                       "\"9\":[\"Waiting on vendor\",\"In progress\"],\"2\":[\"Open\",\"Open\"],"
                       "\"x\":[\"bad\"],\"5\":\"Closed\"}}]";
    struct fd_status *s = NULL;
    size_t count;
    assert_int_equal(decode_ticket_statuses(json, strlen(json), &s, &count, NULL), 0);
    assert_int_equal(count, 3); /* "x" skipped; a bare label is accepted */
    assert_int_equal(s[0].id, 2);
    assert_int_equal(s[2].id, 9);
    assert_string_equal(decode_status_label(s, count, 9), "Waiting on vendor");
    assert_string_equal(decode_status_label(s, count, 5), "Closed");
    assert_string_equal(decode_status_label(s, count, 4), "Resolved"); /* built-in fallback */
    assert_null(decode_status_label(s, count, 42));
    decode_free_statuses(s, count);
}

static void missing_null_and_unknown_keys_are_empty(void **state)
{
    const char *json = "[{\"id\":7,\"subject\":null,\"tags\":null,\"cc_emails\":null,"
                       "\"brand_new_field\":{\"x\":[1,2]},\"attachments\":null,"
                       "\"custom_fields\":null}]";
    struct fd_ticket *t = NULL;
    size_t count, skipped;
    assert_int_equal(decode_tickets(json, strlen(json), &t, &count, &skipped, NULL), 0);
    assert_int_equal(count, 1);
    assert_int_equal(t[0].id, 7);
    assert_null(t[0].subject);
    assert_int_equal(t[0].tags.count, 0);
    assert_null(t[0].custom_fields_json);
    assert_int_equal(t[0].status, 0);
    assert_int_equal(t[0].created_at, 0);
    assert_non_null(strstr(t[0].json, "brand_new_field"));
    decode_free_tickets(t, count);
}

static void wrong_type_skips_only_that_record_and_logs_why(void **state)
{
    const char *json = "[{\"id\":1,\"subject\":\"ok\"},"
                       "{\"id\":\"2\",\"subject\":\"id is a string\"},"
                       "{\"id\":3,\"subject\":42},"
                       "{\"id\":4,\"tags\":\"not a list\"},"
                       "{\"id\":5,\"created_at\":\"yesterday\"},"
                       "{\"id\":6,\"requester\":[1]},"
                       "17,"
                       "{\"id\":8,\"subject\":\"also ok\",\"spam\":false}]";
    struct fd_ticket *t = NULL;
    size_t count, skipped;
    assert_int_equal(decode_tickets(json, strlen(json), &t, &count, &skipped, NULL), 0);
    assert_int_equal(count, 2);
    assert_int_equal(skipped, 6);
    assert_int_equal(t[0].id, 1);
    assert_int_equal(t[1].id, 8);
    assert_int_equal(warnings, 6);
    assert_non_null(strstr(last_warning, "decode"));
    decode_free_tickets(t, count);
}

static void huge_and_fractional_numbers_are_type_errors(void **state)
{
    const char *json = "[{\"id\":1e400},{\"id\":99999999999999999999999},{\"id\":1.5},"
                       "{\"id\":-3},{\"id\":2,\"status\":1e12},{\"id\":9007199254740992}]";
    struct fd_ticket *t = NULL;
    size_t count, skipped;
    assert_int_equal(decode_tickets(json, strlen(json), &t, &count, &skipped, NULL), 0);
    assert_int_equal(count, 1);
    assert_int_equal(skipped, 5);
    assert_int_equal(t[0].id, 9007199254740992LL);
    decode_free_tickets(t, count);
}

static void every_truncation_of_a_real_page_fails_cleanly(void **state)
{
    size_t len;
    char *json = read_fixture("tickets_list_include_requester_stats_description.json", &len);
    log_set_sink(NULL, NULL);
    for (size_t n = 0; n < len - 2; n += 1) {
        struct fd_ticket *t = (void *)1;
        size_t count = 99;
        struct fd_error err = FD_ERROR_INIT;
        /* copy so ASan catches any read past the given length */
        char *cut = malloc(n ? n : 1);
        memcpy(cut, json, n);
        int rc = decode_tickets(cut, n, &t, &count, NULL, &err);
        assert_int_equal(rc, -1);
        assert_int_equal(err.kind, FD_ERR_DECODE);
        assert_null(t);
        assert_int_equal(count, 0);
        fd_error_clear(&err);
        free(cut);
    }
    free(json);
}

static void deep_nesting_is_refused(void **state)
{
    char json[4096];
    size_t n = 0;
    json[n++] = '[';
    json[n++] = '{';
    n += (size_t)sprintf(json + n, "\"id\":1,\"x\":");
    for (int i = 0; i < 200; i++)
        json[n++] = '[';
    for (int i = 0; i < 200; i++)
        json[n++] = ']';
    json[n++] = '}';
    json[n++] = ']';
    struct fd_ticket *t = NULL;
    size_t count;
    struct fd_error err = FD_ERROR_INIT;
    assert_int_equal(decode_tickets(json, n, &t, &count, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_DECODE);
    assert_non_null(strstr(fd_error_message(&err), "deep"));
    fd_error_clear(&err);
}

static void invalid_utf8_is_replaced_not_passed_on(void **state)
{
    /* One hostile subject must not stop the page: each bad byte becomes U+FFFD. */
    static const struct {
        const char *json, *subject;
    } cases[] = {
        {"[{\"id\":1,\"subject\":\"\xC3\x28\"}]", "\xEF\xBF\xBD("}, /* bad continuation */
        {"[{\"id\":1,\"subject\":\"\xC0\xAF\"}]", "\xEF\xBF\xBD\xEF\xBF\xBD"}, /* overlong slash */
        {"[{\"id\":1,\"subject\":\"\xED\xA0\x80\"}]",
         "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* UTF-16 surrogate */
        {"[{\"id\":1,\"subject\":\"\xF4\x90\x80\x80\"}]",
         "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* above U+10FFFF */
        {"[{\"id\":1,\"subject\":\"a\xE2\x82\"}]", "a\xEF\xBF\xBD\xEF\xBF\xBD"}, /* truncated */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fd_ticket *t = NULL;
        size_t count = 0;
        struct fd_error err = FD_ERROR_INIT;
        assert_int_equal(
            decode_tickets(cases[i].json, strlen(cases[i].json), &t, &count, NULL, &err), 0);
        assert_int_equal(count, 1);
        assert_string_equal(t[0].subject, cases[i].subject);
        assert_non_null(t[0].json);
        assert_null(strstr(t[0].json, "\xC3\x28"));
        decode_free_tickets(t, count);
        fd_error_clear(&err);
    }
    /* A raw NUL inside the body is replaced too, and does not cut the text short. */
    static const char with_nul[] = "[{\"id\":7,\"subject\":\"a\0b\"}]";
    struct fd_ticket *t = NULL;
    size_t count = 0;
    assert_int_equal(decode_tickets(with_nul, sizeof with_nul - 1, &t, &count, NULL, NULL), 0);
    assert_int_equal(count, 1);
    assert_string_equal(t[0].subject, "a\xEF\xBF\xBD"
                                      "b");
    decode_free_tickets(t, count);
    const char *good = "[{\"id\":1,\"subject\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}]";
    t = NULL;
    assert_int_equal(decode_tickets(good, strlen(good), &t, &count, NULL, NULL), 0);
    assert_string_equal(t[0].subject, "caf\xC3\xA9 \xF0\x9F\x98\x80");
    decode_free_tickets(t, count);
}

static void wrong_top_level_shapes_are_errors(void **state)
{
    static const char *const bad[] = {"{\"id\":1}",     "",  "null",   "42",
                                      "[1,2] trailing", "[", "\"str\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fd_ticket *t = NULL;
        size_t count;
        struct fd_error err = FD_ERROR_INIT;
        assert_int_equal(decode_tickets(bad[i], strlen(bad[i]), &t, &count, NULL, &err), -1);
        assert_int_equal(err.kind, FD_ERR_DECODE);
        fd_error_clear(&err);
    }
    struct fd_ticket one;
    struct fd_error err = FD_ERROR_INIT;
    assert_int_equal(decode_ticket("[]", 2, &one, NULL, NULL, &err), -1);
    fd_error_clear(&err);
    assert_int_equal(decode_ticket("{\"id\":\"x\"}", 10, &one, NULL, NULL, &err), -1);
    assert_int_equal(err.kind, FD_ERR_DECODE);
    fd_error_clear(&err);
}

static void search_results_and_total_decode(void **state)
{
    const char *json =
        "{\"results\":[{\"id\":5,\"subject\":\"a\"},{\"id\":\"bad\"}],\"total\":133}";
    struct fd_ticket *t = NULL;
    size_t count, skipped;
    long total = 0;
    assert_int_equal(decode_search_tickets(json, strlen(json), &t, &count, &skipped, &total, NULL),
                     0);
    assert_int_equal(count, 1);
    assert_int_equal(skipped, 1);
    assert_int_equal(total, 133);
    decode_free_tickets(t, count);
    assert_int_equal(decode_search_tickets("[]", 2, &t, &count, &skipped, &total, NULL), -1);
}

static void embedded_conversations_and_company_decode(void **state)
{
    const char *json = "{\"id\":3,\"subject\":\"s\",\"company\":{\"id\":77,\"name\":\"Acme\"},"
                       "\"requester\":{\"id\":9,\"name\":\"R\",\"phone\":12345},"
                       "\"conversations\":[{\"id\":100,\"body_text\":\"hi\",\"incoming\":true,"
                       "\"bcc_emails\":null,\"attachments\":[{\"id\":5,\"name\":\"a.png\","
                       "\"size\":1024,\"attachment_url\":\"https://x/a.png\"}]}]}";
    struct fd_ticket t;
    struct fd_conversation *c = NULL;
    size_t n = 0;
    assert_int_equal(decode_ticket(json, strlen(json), &t, &c, &n, NULL), 0);
    assert_string_equal(t.company->name, "Acme");
    assert_int_equal(t.company->id, 77);
    assert_string_equal(t.requester->phone, "12345");
    assert_int_equal(n, 1);
    assert_true(c[0].incoming);
    assert_int_equal(c[0].attachment_count, 1);
    assert_int_equal(c[0].attachments[0].size, 1024);
    assert_string_equal(c[0].attachments[0].url, "https://x/a.png");
    assert_null(strstr(t.json, "conversations"));
    assert_null(strstr(t.json, "Acme"));
    model_ticket_clear(&t);
    decode_free_conversations(c, n);
}

static void contact_and_company_decode(void **state)
{
    const char *json = "{\"id\":501012837977,\"name\":\"N\",\"email\":\"n@x\",\"company_id\":null,"
                       "\"other_emails\":[]}";
    struct fd_contact *c = NULL;
    assert_int_equal(decode_contact(json, strlen(json), &c, NULL), 0);
    assert_int_equal(c->id, 501012837977LL);
    assert_string_equal(c->email, "n@x");
    model_contact_free(c);
    struct fd_company *co = NULL;
    const char *company = "{\"id\":1,\"name\":\"C\",\"domains\":[\"c.com\"]}";
    assert_int_equal(decode_company(company, strlen(company), &co, NULL), 0);
    assert_string_equal(co->name, "C");
    model_company_free(co);
    struct fd_error err = FD_ERROR_INIT;
    assert_int_equal(decode_company("{\"id\":1,\"name\":[]}", 18, &co, &err), -1);
    assert_null(co);
    fd_error_clear(&err);
}

/* Runs every decoder over buf; they may fail but must not crash or leak. */
static void decode_everything(const char *buf, size_t len)
{
    struct fd_ticket *t = NULL, one;
    struct fd_conversation *c = NULL, conv;
    struct fd_agent *a = NULL;
    struct fd_group *g = NULL;
    struct fd_status *st = NULL;
    struct fd_canned_folder *f = NULL;
    struct fd_canned_response *r = NULL;
    struct fd_string_list types;
    struct fd_error err = FD_ERROR_INIT;
    size_t n = 0, nc = 0;
    long total;
    if (decode_tickets(buf, len, &t, &n, NULL, &err) == 0)
        decode_free_tickets(t, n);
    if (decode_search_tickets(buf, len, &t, &n, NULL, &total, &err) == 0)
        decode_free_tickets(t, n);
    if (decode_ticket(buf, len, &one, &c, &nc, &err) == 0) {
        model_ticket_clear(&one);
        decode_free_conversations(c, nc);
    }
    if (decode_conversations(buf, len, &c, &n, NULL, &err) == 0)
        decode_free_conversations(c, n);
    if (decode_conversation(buf, len, &conv, &err) == 0)
        model_conversation_clear(&conv);
    if (decode_agents(buf, len, &a, &n, NULL, &err) == 0)
        decode_free_agents(a, n);
    if (decode_groups(buf, len, &g, &n, NULL, &err) == 0)
        decode_free_groups(g, n);
    if (decode_ticket_statuses(buf, len, &st, &n, &err) == 0)
        decode_free_statuses(st, n);
    if (decode_ticket_types(buf, len, &types, &err) == 0)
        model_string_list_clear(&types);
    if (decode_canned_folders(buf, len, &f, &n, NULL, &err) == 0)
        decode_free_canned_folders(f, n);
    if (decode_canned_responses(buf, len, &r, &n, NULL, &err) == 0)
        decode_free_canned_responses(r, n);
    fd_error_clear(&err);
}

static void random_mutations_of_fixtures_never_crash(void **state)
{
    static const char *const files[] = {"tickets_list_include_requester_stats_description.json",
                                        "ticket.json",
                                        "conversations.json",
                                        "ticket_fields.json",
                                        "agents.json",
                                        "groups.json",
                                        "canned_response_folders.json",
                                        "canned_responses.json"};
    static const char tokens[] = "{}[]\",:0123456789-eE.tfn\\ \x80\xff";
    unsigned seed = 12345;
    log_set_sink(NULL, NULL);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *json = read_fixture(files[i], &len);
        decode_everything(json, len); /* the fixture itself, against every decoder */
        char *copy = malloc(len);
        for (int round = 0; round < 300; round++) {
            memcpy(copy, json, len);
            int edits = 1 + rand_r(&seed) % 4;
            for (int e = 0; e < edits; e++)
                copy[rand_r(&seed) % len] = tokens[rand_r(&seed) % (sizeof tokens - 1)];
            size_t cut = rand_r(&seed) % 4 == 0 ? (size_t)rand_r(&seed) % len : len;
            decode_everything(copy, cut);
        }
        free(copy);
        free(json);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(ticket_list_fixture_decodes_with_embedded_requester, setup),
        cmocka_unit_test_setup(single_ticket_fixture_decodes, setup),
        cmocka_unit_test_setup(conversations_fixture_decodes, setup),
        cmocka_unit_test_setup(agents_groups_and_canned_fixtures_decode, setup),
        cmocka_unit_test_setup(ticket_fields_fixture_gives_statuses_and_types, setup),
        cmocka_unit_test_setup(custom_status_resolves_through_ticket_fields, setup),
        cmocka_unit_test_setup(missing_null_and_unknown_keys_are_empty, setup),
        cmocka_unit_test_setup(wrong_type_skips_only_that_record_and_logs_why, setup),
        cmocka_unit_test_setup(huge_and_fractional_numbers_are_type_errors, setup),
        cmocka_unit_test_setup(every_truncation_of_a_real_page_fails_cleanly, setup),
        cmocka_unit_test_setup(deep_nesting_is_refused, setup),
        cmocka_unit_test_setup(invalid_utf8_is_replaced_not_passed_on, setup),
        cmocka_unit_test_setup(wrong_top_level_shapes_are_errors, setup),
        cmocka_unit_test_setup(search_results_and_total_decode, setup),
        cmocka_unit_test_setup(embedded_conversations_and_company_decode, setup),
        cmocka_unit_test_setup(contact_and_company_decode, setup),
        cmocka_unit_test_setup(random_mutations_of_fixtures_never_crash, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
