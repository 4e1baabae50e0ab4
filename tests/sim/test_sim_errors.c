/* test_sim_errors.c: fdesk-sim answers every error in the shape the real API uses (401, 404
 * with an empty body, 405 with Allow, 409, 415, the 400 variants), sends the rate-limit
 * headers with the credits each call used, and throttles with 429 + Retry-After, counting
 * the requests that come back too early.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/sim/harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const opts[] = {"--tickets", "300", "--admin", "--rate-limit", "100000", NULL};

static int setup(void **state)
{
    th_start(opts);
    return 0;
}

static int teardown(void **state)
{
    th_stop();
    return 0;
}

static void expect_body(struct th_resp *r, const char *body)
{
    assert_non_null(r->body);
    assert_string_equal(r->body, body);
}

static void missing_or_bad_key_is_401_invalid_credentials(void **state)
{
    static const char *const keys[] = {"", "wrong-key", "someone@example.com"};
    static const char body[] = "{\"code\":\"invalid_credentials\",\"message\":\"You have to be "
                               "logged in to perform this action.\"}";
    for (int i = 0; i < 3; i++) {
        struct th_resp r;
        th_req(&r, "GET", "/api/v2/tickets", NULL, NULL, 0, keys[i], NULL);
        assert_int_equal(r.status, 401);
        expect_body(&r, body);
        th_free(&r);
    }
    struct th_resp r;
    th_req(&r, "GET", "/api/v2/agents/me", NULL, NULL, 0, NULL, "Authorization: Bearer test-key");
    assert_int_equal(r.status, 401);
    th_free(&r);
    /* any password works with the right key */
    th_req(&r, "GET", "/api/v2/agents/me", NULL, NULL, 0, NULL,
           "Authorization: Basic dGVzdC1rZXk6cGFzc3dvcmQ="); /* test-key:password */
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void not_found_is_an_empty_404(void **state)
{
    static const char *const paths[] = {"/api/v2/tickets/123456", "/api/v2/nothing",
                                        "/api/v2/contacts/1",
                                        "/api/v2/tickets/123456/conversations", "/elsewhere"};
    for (int i = 0; i < 5; i++) {
        struct th_resp r;
        th_get(&r, paths[i]);
        assert_int_equal(r.status, 404);
        assert_int_equal(r.len, 0);
        th_free(&r);
    }
}

static void wrong_method_is_405_with_allow(void **state)
{
    struct th_resp r;
    char allow[64];
    th_send(&r, "PUT", "/api/v2/agents/me", "{\"a\":1}");
    assert_int_equal(r.status, 405);
    expect_body(
        &r,
        "{\"message\":\"PUT method is not allowed. It should be one of these method(s): GET\"}");
    assert_true(th_header(&r, "Allow", allow, sizeof allow));
    assert_string_equal(allow, "GET");
    th_free(&r);
    th_req(&r, "DELETE", "/api/v2/tickets/1/conversations", NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 405);
    assert_null(cJSON_GetObjectItem(r.json, "code"));
    th_free(&r);
}

static void write_body_errors(void **state)
{
    struct th_resp r;
    th_req(&r, "PUT", "/api/v2/tickets/1", "text/plain", "{\"status\":2}", 12, NULL, NULL);
    assert_int_equal(r.status, 415);
    expect_body(&r, "{\"code\":\"invalid_content_type\",\"message\":\"Content-Type header should "
                    "have application/json\"}");
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/1", "{\"status\":");
    assert_int_equal(r.status, 400);
    assert_string_equal(cJSON_GetObjectItem(r.json, "code")->valuestring, "invalid_json");
    th_free(&r);
    th_req(&r, "PUT", "/api/v2/tickets/1", "application/json", "", 0, NULL, NULL);
    assert_int_equal(r.status, 400);
    expect_body(&r, "{\"code\":\"missing_params\",\"message\":\"Your update call does not have any "
                    "parameter.\"}");
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/1", "{}");
    assert_int_equal(r.status, 400);
    assert_string_equal(cJSON_GetObjectItem(r.json, "code")->valuestring, "missing_params");
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/1", "{\"priorty\":2}");
    assert_int_equal(r.status, 400);
    expect_body(&r, "{\"description\":\"Validation "
                    "failed\",\"errors\":[{\"field\":\"priorty\",\"message\":\"Unexpected/invalid "
                    "field in request\",\"code\":\"invalid_field\"}]}");
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/1", "{\"status\":99}");
    assert_int_equal(r.status, 400);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "errors"), 0);
    assert_string_equal(cJSON_GetObjectItem(e, "code")->valuestring, "invalid_value");
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/1", "{\"priority\":\"high\"}");
    e = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "errors"), 0);
    assert_string_equal(cJSON_GetObjectItem(e, "code")->valuestring, "datatype_mismatch");
    th_free(&r);
    th_get(&r, "/api/v2/tickets?bogus=1");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void duplicate_contact_is_409(void **state)
{
    struct th_resp r, c;
    th_get(&r, "/api/v2/contacts?per_page=1");
    cJSON *first = cJSON_GetArrayItem(r.json, 0);
    char body[512];
    snprintf(body, sizeof body, "{\"name\":\"Copy\",\"email\":\"%s\"}",
             cJSON_GetObjectItem(first, "email")->valuestring);
    th_send(&c, "POST", "/api/v2/contacts", body);
    assert_int_equal(c.status, 409);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(c.json, "errors"), 0);
    assert_string_equal(cJSON_GetObjectItem(e, "code")->valuestring, "duplicate_value");
    assert_string_equal(cJSON_GetObjectItem(e, "field")->valuestring, "email");
    assert_int_equal(
        (int64_t)cJSON_GetObjectItem(cJSON_GetObjectItem(e, "additional_info"), "user_id")
            ->valuedouble,
        (int64_t)cJSON_GetObjectItem(first, "id")->valuedouble);
    th_free(&c);
    th_free(&r);
    th_send(&c, "POST", "/api/v2/contacts",
            "{\"name\":\"New Person\",\"email\":\"new.person@example.org\"}");
    assert_int_equal(c.status, 201);
    char loc[128];
    assert_true(th_header(&c, "Location", loc, sizeof loc));
    th_free(&c);
    th_send(&c, "POST", "/api/v2/contacts",
            "{\"name\":\"Again\",\"email\":\"NEW.person@example.org\"}");
    assert_int_equal(c.status, 409);
    th_free(&c);
}

static long header_long(struct th_resp *r, const char *name)
{
    char v[64];
    assert_true(th_header(r, name, v, sizeof v));
    return atol(v);
}

static void rate_limit_headers_and_credits(void **state)
{
    struct th_resp r;
    th_get(&r, "/api/v2/tickets/1");
    long total = header_long(&r, "X-RateLimit-Total"),
         rem = header_long(&r, "X-RateLimit-Remaining");
    assert_int_equal(total, 100000);
    assert_int_equal(header_long(&r, "X-RateLimit-Used-CurrentRequest"), 1);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?include=requester,stats,description");
    assert_int_equal(header_long(&r, "X-RateLimit-Used-CurrentRequest"), 7);
    assert_int_equal(header_long(&r, "X-RateLimit-Remaining"), rem - 7);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1?include=stats");
    assert_int_equal(header_long(&r, "X-RateLimit-Used-CurrentRequest"), 2);
    assert_int_equal(header_long(&r, "X-RateLimit-Remaining"), rem - 9);
    th_free(&r);
}

static void over_the_limit_is_429_with_retry_after(void **state)
{
    static const char *const small[] = {"--tickets", "50", "--rate-limit", "5", "--admin", NULL};
    struct th_resp r;
    th_stop();
    th_start(small);
    for (int i = 0; i < 5; i++) {
        th_get(&r, "/api/v2/tickets/1");
        assert_int_equal(r.status, 200);
        assert_int_equal(header_long(&r, "X-RateLimit-Remaining"), 4 - i);
        th_free(&r);
    }
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 429);
    long wait = header_long(&r, "Retry-After");
    assert_in_range(wait, 1, 60);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1"); /* too early */
    assert_int_equal(r.status, 429);
    th_free(&r);
    th_req(&r, "GET", "/__sim/stats", NULL, NULL, 0, "", NULL);
    assert_int_equal((long)cJSON_GetObjectItem(r.json, "early_retries")->valuedouble, 1);
    assert_int_equal(
        (long)cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "by_status"), "429")->valuedouble, 2);
    th_free(&r);
    th_stop();
    th_start(opts);
}

static void endpoints_have_their_own_limits(void **state)
{
    static const char *const small[] = {"--tickets", "50", "--list-rate-limit", "2", NULL};
    struct th_resp r;
    th_stop();
    th_start(small);
    for (int i = 0; i < 2; i++) {
        th_get(&r, "/api/v2/tickets");
        assert_int_equal(r.status, 200);
        th_free(&r);
    }
    th_get(&r, "/api/v2/tickets");
    assert_int_equal(r.status, 429);
    assert_true(header_long(&r, "Retry-After") > 0);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/3"); /* other calls still go through */
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_stop();
    static const char *const writes[] = {
        "--tickets", "50", "--create-rate-limit", "1", "--update-rate-limit", "2", NULL};
    static const char ticket[] = "{\"email\":\"a@example.com\",\"subject\":\"s\","
                                 "\"description\":\"d\",\"status\":2,\"priority\":1}";
    th_start(writes);
    th_send(&r, "POST", "/api/v2/tickets", ticket);
    assert_int_equal(r.status, 201);
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets", ticket);
    assert_int_equal(r.status, 429);
    th_free(&r);
    for (int i = 0; i < 3; i++) {
        th_send(&r, "PUT", "/api/v2/tickets/4", "{\"priority\":3}");
        assert_int_equal(r.status, i < 2 ? 200 : 429);
        th_free(&r);
    }
    th_stop();
    th_start(opts);
}

static void every_answer_has_a_request_id_and_version(void **state)
{
    struct th_resp r;
    char v[128];
    th_get(&r, "/api/v2/tickets/2");
    assert_true(th_header(&r, "X-Request-Id", v, sizeof v));
    assert_true(th_header(&r, "X-Freshdesk-API-Version", v, sizeof v));
    assert_string_equal(v, "latest=v2; requested=v2");
    th_free(&r);
}

static void forbidden_is_403_with_a_code(void **state)
{
    struct th_resp r;
    th_req(&r, "POST", "/__sim/faults", "application/json", "{\"read_only\":true}", 18, "", NULL);
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/1", "{\"priority\":2}");
    assert_int_equal(r.status, 403);
    expect_body(&r, "{\"code\":\"access_denied\",\"message\":\"You are not authorized to perform "
                    "this action.\"}");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1"); /* reading is still allowed */
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_req(&r, "POST", "/__sim/faults", "application/json",
           "{\"read_only\":false,\"suspended\":true}", 37, "", NULL);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 403);
    expect_body(
        &r, "{\"code\":\"account_suspended\",\"message\":\"Your account has been suspended.\"}");
    th_free(&r);
    th_req(&r, "POST", "/__sim/faults", "application/json", "{\"suspended\":false}", 19, "", NULL);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_or_bad_key_is_401_invalid_credentials),
        cmocka_unit_test(not_found_is_an_empty_404),
        cmocka_unit_test(wrong_method_is_405_with_allow),
        cmocka_unit_test(write_body_errors),
        cmocka_unit_test(duplicate_contact_is_409),
        cmocka_unit_test(rate_limit_headers_and_credits),
        cmocka_unit_test(over_the_limit_is_429_with_retry_after),
        cmocka_unit_test(endpoints_have_their_own_limits),
        cmocka_unit_test(every_answer_has_a_request_id_and_version),
        cmocka_unit_test(forbidden_is_403_with_a_code),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
