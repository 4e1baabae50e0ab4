/* test_errors.c: Freshdesk's error answers (every fixture in errors/, the
 * validation fixture, the empty 404) become one error value with the status,
 * code, field errors and request id, and a message that says what to do; the
 * rate budget blocks after a 429 and computes bounded backoffs; Link headers,
 * origins and URL rules are parsed the way pagination relies on. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/error.h"
#include "src/http.h"
#include "src/ratelimit.h"

static char *fixture(const char *name, size_t *len)
{
    const char *dir = getenv("FIXTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures/freshdesk", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void http_error(struct fd_error *err, long status, const char *file, const char *rid,
                       long retry)
{
    size_t len = 0;
    const char *body = file ? fixture(file, &len) : "";
    fd_error_from_http(err, status, body, len, rid, retry, "GET /api/v2/tickets");
    assert_int_equal(err->kind, FD_ERR_HTTP);
    assert_int_equal(err->http_status, status);
}

static void each_documented_error_gets_its_own_advice(void **state)
{
    struct fd_error e = FD_ERROR_INIT;
    http_error(&e, 401, "errors/error_401_invalid_credentials.json", "req-1", -1);
    assert_string_equal(e.code, "invalid_credentials");
    assert_non_null(strstr(e.message, "FRESHDESK_API_KEY"));
    assert_non_null(strstr(e.message, "domain"));
    assert_non_null(strstr(e.message, "X-Request-Id req-1"));
    assert_string_equal(e.request_id, "req-1");
    assert_false(fd_error_is_transient(&e));

    http_error(&e, 403, "errors/error_403_access_denied.json", NULL, -1);
    assert_string_equal(e.code, "access_denied");
    assert_non_null(strstr(e.message, "permission"));
    http_error(&e, 403, "errors/error_403_account_suspended.json", NULL, -1);
    assert_non_null(strstr(e.message, "suspended"));
    const char *feature = "{\"code\":\"require_feature\",\"message\":\"The X feature is not "
                          "supported in your plan\"}";
    fd_error_from_http(&e, 403, feature, strlen(feature), NULL, 0, NULL);
    assert_non_null(strstr(e.message, "plan"));

    http_error(&e, 404, NULL, NULL, -1);
    assert_null(e.code);
    assert_non_null(strstr(e.message, "not found"));

    http_error(&e, 405, "errors/error_405_method_not_allowed.json", NULL, -1);
    assert_null(e.code);
    assert_non_null(e.server_message);

    http_error(&e, 409, "errors/error_409_duplicate_contact.json", NULL, -1);
    assert_int_equal(e.field_count, 1);
    assert_string_equal(e.fields[0].field, "email");
    assert_string_equal(e.fields[0].code, "duplicate_value");
    assert_int_equal(e.fields[0].user_id, 123456789);
    assert_non_null(strstr(e.message, "conflict"));

    http_error(&e, 415, "errors/error_415_invalid_content_type.json", NULL, -1);
    assert_string_equal(e.code, "invalid_content_type");

    http_error(&e, 429, "errors/error_429_legacy_hourly.json", NULL, 37);
    assert_int_equal(e.retry_after, 37);
    assert_non_null(strstr(e.message, "37 s"));
    assert_true(fd_error_is_transient(&e));

    http_error(&e, 500, "errors/error_500_internal.json", NULL, -1);
    assert_non_null(strstr(e.message, "server error"));
    assert_true(fd_error_is_transient(&e));

    http_error(&e, 400, "error_400_validation_invalid_field.json", NULL, -1);
    assert_int_equal(e.field_count, 1);
    assert_string_equal(e.fields[0].code, "invalid_field");
    assert_non_null(strstr(e.message, "priorty"));
    assert_non_null(strstr(e.message, "GET /api/v2/tickets: HTTP 400"));

    struct fd_error copy;
    assert_int_equal(fd_error_copy(&copy, &e), 0);
    assert_string_equal(copy.fields[0].field, "priorty");
    assert_string_equal(copy.message, e.message);
    fd_error_clear(&copy);
    fd_error_clear(&e);
    assert_int_equal(e.kind, FD_ERR_NONE);
    assert_string_equal(fd_error_message(&e), "");
}

static void garbage_error_bodies_do_not_crash(void **state)
{
    static const char *const bodies[] = {"<html>502 Bad Gateway</html>",
                                         "{\"errors\":\"x\"}",
                                         "{\"errors\":[1,{\"field\":7}]}",
                                         "[1,2]",
                                         "{",
                                         "null"};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct fd_error e = FD_ERROR_INIT;
        fd_error_from_http(&e, 502, bodies[i], strlen(bodies[i]), NULL, 0, NULL);
        assert_non_null(e.message);
        assert_true(fd_error_is_transient(&e));
        fd_error_clear(&e);
    }
}

static void network_kinds_are_offline_and_named(void **state)
{
    struct fd_error e = FD_ERROR_INIT;
    fd_error_set(&e, FD_ERR_DNS, "cannot find %s", "x");
    assert_true(fd_error_is_offline(&e));
    assert_string_equal(fd_error_kind_name(e.kind), "dns");
    assert_string_equal(fd_error_message(&e), "cannot find x");
    fd_error_set(&e, FD_ERR_DECODE, "bad");
    assert_false(fd_error_is_offline(&e));
    assert_false(fd_error_is_transient(&e));
    fd_error_clear(&e);
}

static void a_429_blocks_every_kind_until_retry_after(void **state)
{
    struct ratelimit *rl = ratelimit_new();
    assert_int_equal(ratelimit_delay_ms(rl, RL_KIND_TICKETS_LIST), 0);
    long ms = ratelimit_block(rl, RL_KIND_TICKETS_LIST, 5, 3);
    assert_true(ms >= 5000);
    assert_true(ratelimit_delay_ms(rl, RL_KIND_TICKETS_LIST) > 4000);
    assert_true(ratelimit_delay_ms(rl, RL_KIND_OTHER) > 4000);
    /* a shorter block never shortens a longer one */
    ratelimit_block(rl, RL_KIND_OTHER, 1, -1);
    assert_true(ratelimit_delay_ms(rl, RL_KIND_TICKETS_LIST) > 4000);
    /* a cancelled wait returns at once with -1 */
    atomic_int cancel = 1;
    assert_int_equal(ratelimit_wait(rl, RL_KIND_OTHER, &cancel), -1);
    struct ratelimit_snapshot snap;
    ratelimit_get(rl, &snap);
    assert_int_equal(snap.throttled_count, 2);
    ratelimit_free(rl);

    rl = ratelimit_new();
    ms = ratelimit_block(rl, RL_KIND_OTHER, 0, -1); /* no Retry-After: 60 s + jitter */
    assert_true(ms >= 60000 && ms <= 66100);
    ratelimit_free(rl);
}

static void budget_follows_headers_and_headroom(void **state)
{
    struct ratelimit *rl = ratelimit_new();
    assert_true(ratelimit_has_headroom(rl, 20)); /* nothing known yet */
    ratelimit_update(rl, 200, 150, 3);
    struct ratelimit_snapshot s;
    ratelimit_get(rl, &s);
    assert_int_equal(s.total, 200);
    assert_int_equal(s.remaining, 150);
    assert_int_equal(s.used_last, 3);
    assert_true(ratelimit_has_headroom(rl, 20));
    ratelimit_update(rl, -1, 30, -1);
    assert_false(ratelimit_has_headroom(rl, 20));
    ratelimit_get(rl, &s);
    assert_int_equal(s.total, 200);
    ratelimit_free(rl);
}

static void *hammer(void *arg)
{
    struct ratelimit *rl = arg;
    for (int i = 0; i < 5000; i++) {
        ratelimit_update(rl, 200, i % 200, 1);
        if (i % 50 == 0)
            ratelimit_block(rl, (enum ratelimit_kind)(i % RL_KIND_COUNT), 1, -1);
        (void)ratelimit_delay_ms(rl, RL_KIND_OTHER);
        (void)ratelimit_has_headroom(rl, 20);
        (void)ratelimit_backoff_ms(i % 8 + 1, 10, 1000);
    }
    return NULL;
}

static void budget_is_shared_safely_between_threads(void **state)
{
    struct ratelimit *rl = ratelimit_new();
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, hammer, rl);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    struct ratelimit_snapshot s;
    ratelimit_get(rl, &s);
    assert_int_equal(s.throttled_count, 4 * 100); /* no 429 lost */
    assert_int_equal(s.total, 200);
    assert_true(ratelimit_delay_ms(rl, RL_KIND_TICKETS_LIST) > 0);
    ratelimit_free(rl);
}

static void kinds_follow_freshdesk_buckets(void **state)
{
    assert_int_equal(ratelimit_kind_for("GET", "/api/v2/tickets?page=2"), RL_KIND_TICKETS_LIST);
    assert_int_equal(ratelimit_kind_for("GET", "https://a.freshdesk.com/api/v2/tickets"),
                     RL_KIND_TICKETS_LIST);
    assert_int_equal(ratelimit_kind_for("GET", "/api/v2/tickets/5"), RL_KIND_OTHER);
    assert_int_equal(ratelimit_kind_for("POST", "/api/v2/tickets"), RL_KIND_TICKET_CREATE);
    assert_int_equal(ratelimit_kind_for("PUT", "/api/v2/tickets/5"), RL_KIND_TICKET_UPDATE);
    assert_int_equal(ratelimit_kind_for("PUT", "/api/v2/tickets/merge"), RL_KIND_OTHER);
    assert_int_equal(ratelimit_kind_for("GET", "/api/v2/contacts"), RL_KIND_CONTACTS_LIST);
}

static void backoff_grows_and_stays_capped(void **state)
{
    for (int i = 0; i < 200; i++) {
        long first = ratelimit_backoff_ms(1, 500, 30000);
        assert_true(first >= 250 && first <= 500);
        long third = ratelimit_backoff_ms(3, 500, 30000);
        assert_true(third >= 250 && third <= 2000);
        long late = ratelimit_backoff_ms(30, 500, 30000);
        assert_true(late >= 250 && late <= 30000);
    }
}

static void link_header_next_is_found_in_every_spelling(void **state)
{
    char *u = http_parse_link_next("<https://a.freshdesk.com/api/v2/tickets?page=2>; rel=\"next\"");
    assert_string_equal(u, "https://a.freshdesk.com/api/v2/tickets?page=2");
    free(u);
    u = http_parse_link_next("<https://x/p1>; rel=\"prev\", <https://x/p3>;rel=next");
    assert_string_equal(u, "https://x/p3");
    free(u);
    u = http_parse_link_next("<https://x/a,b?page=4>; title=\"t\"; rel=\"last next\"");
    assert_non_null(u);
    free(u);
    assert_null(http_parse_link_next("<https://x/p1>; rel=\"prev\""));
    assert_null(http_parse_link_next("garbage"));
    assert_null(http_parse_link_next("<unterminated; rel=next"));
    assert_null(http_parse_link_next("<https://x/nextpage>; rel=\"nextish\""));
}

static void origins_and_url_rules(void **state)
{
    assert_true(
        http_same_origin("https://a.freshdesk.com/api/v2/x?page=2", "https://A.freshdesk.com"));
    assert_true(http_same_origin("https://a.freshdesk.com:443/x", "https://a.freshdesk.com"));
    assert_false(http_same_origin("https://evil.com/api/v2/tickets", "https://a.freshdesk.com"));
    assert_false(http_same_origin("http://a.freshdesk.com/x", "https://a.freshdesk.com"));
    assert_false(http_same_origin("http://127.0.0.1:81/x", "http://127.0.0.1:80"));
    struct fd_error e = FD_ERROR_INIT;
    assert_true(http_url_allowed("http://127.0.0.1:5/x", &e));
    assert_true(http_url_allowed("https://a.freshdesk.com/x", &e));
    assert_false(http_url_allowed("http://a.freshdesk.com/x", &e));
    assert_non_null(strstr(fd_error_message(&e), "https"));
    assert_false(http_url_allowed("file:///etc/passwd", &e));
    fd_error_clear(&e);
    char *s = http_escape("\"priority:4 AND tag:'a b'\"+é");
    assert_string_equal(s, "%22priority%3A4%20AND%20tag%3A%27a%20b%27%22%2B%C3%A9");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_documented_error_gets_its_own_advice),
        cmocka_unit_test(garbage_error_bodies_do_not_crash),
        cmocka_unit_test(network_kinds_are_offline_and_named),
        cmocka_unit_test(a_429_blocks_every_kind_until_retry_after),
        cmocka_unit_test(budget_follows_headers_and_headroom),
        cmocka_unit_test(budget_is_shared_safely_between_threads),
        cmocka_unit_test(kinds_follow_freshdesk_buckets),
        cmocka_unit_test(backoff_grows_and_stays_capped),
        cmocka_unit_test(link_header_next_is_found_in_every_spelling),
        cmocka_unit_test(origins_and_url_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
