/* test_sim_search.c: GET /search/tickets: the quoted query, field:value terms, AND/OR with
 * parentheses, :> and :< on numbers and dates, null, 30 results per page, pages 1-10,
 * {"results","total"}, the 512-character limit. Totals are checked against the list API.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/internal.h"
#include "tests/sim/harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const opts[] = {"--tickets",    "1500",   "--now", "2026-06-01T12:00:00Z",
                                   "--rate-limit", "100000", NULL};
static cJSON *all; /* every visible ticket, from the list API */

static cJSON *fetch_all(void)
{
    cJSON *out = cJSON_CreateArray();
    for (int page = 1;; page++) {
        struct th_resp r;
        char path[160], next[512];
        snprintf(path, sizeof path,
                 "/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z&page=%d", page);
        th_get(&r, path);
        while (cJSON_GetArraySize(r.json))
            cJSON_AddItemToArray(out, cJSON_DetachItemFromArray(r.json, 0));
        bool more = th_next_link(&r, next, sizeof next);
        th_free(&r);
        if (!more)
            return out;
    }
}

static int setup(void **state)
{
    th_start(opts);
    all = fetch_all();
    return 0;
}

static int teardown(void **state)
{
    cJSON_Delete(all);
    th_stop();
    return 0;
}

/* Runs a search (query without the outer quotes) and returns the parsed answer. */
static void search(struct th_resp *r, const char *query, int page)
{
    char *q = curl_easy_escape(NULL, query, 0), path[2048];
    snprintf(path, sizeof path, "/api/v2/search/tickets?query=%%22%s%%22&page=%d", q, page);
    curl_free(q);
    th_get(r, path);
}

static long total_of(const char *query)
{
    struct th_resp r;
    search(&r, query, 1);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "results")));
    long t = (long)cJSON_GetObjectItem(r.json, "total")->valuedouble;
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "results")) <= 30);
    th_free(&r);
    return t;
}

static long count_where(bool (*pred)(cJSON *))
{
    long n = 0;
    cJSON *t;
    cJSON_ArrayForEach(t, all) n += pred(t);
    return n;
}

static int ival(cJSON *t, const char *k)
{
    return cJSON_GetObjectItem(t, k)->valueint;
}

static bool open_urgent_or_high(cJSON *t)
{
    return ival(t, "status") == 2 && (ival(t, "priority") == 4 || ival(t, "priority") == 3);
}
static bool status2_or_prio4(cJSON *t)
{
    return ival(t, "status") == 2 || ival(t, "priority") == 4;
}
static bool prio_ge_3(cJSON *t)
{
    return ival(t, "priority") >= 3;
}
static bool unassigned(cJSON *t)
{
    return cJSON_IsNull(cJSON_GetObjectItem(t, "responder_id"));
}
static bool created_may(cJSON *t)
{
    const char *c = cJSON_GetObjectItem(t, "created_at")->valuestring;
    return strncmp(c, "2026-05-01", 10) >= 0 && strncmp(c, "2026-05-10", 10) <= 0;
}
static bool tagged_vip(cJSON *t)
{
    cJSON *e;
    cJSON_ArrayForEach(
        e, cJSON_GetObjectItem(t, "tags")) if (!strcmp(e->valuestring, "vip")) return true;
    return false;
}
static bool plan_pro(cJSON *t)
{
    cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(t, "custom_fields"), "cf_plan");
    return cJSON_IsString(v) && !strcmp(v->valuestring, "Pro");
}

static void search_totals_match_the_data(void **state)
{
    assert_int_equal(total_of("status:2 AND (priority:4 OR priority:3)"),
                     count_where(open_urgent_or_high));
    assert_int_equal(total_of("status:2 OR priority:4"), count_where(status2_or_prio4));
    assert_int_equal(total_of("priority:>3 OR priority:3"), count_where(prio_ge_3));
    assert_int_equal(total_of("priority:>3 OR priority:3"),
                     total_of("priority:>3 OR priority:>3 OR priority:3"));
    assert_int_equal(total_of("agent_id:null"), count_where(unassigned));
    assert_int_equal(total_of("created_at:>'2026-05-01' AND created_at:<'2026-05-10'"),
                     count_where(created_may));
    assert_int_equal(total_of("tag:'vip'"), count_where(tagged_vip));
    assert_int_equal(total_of("cf_plan:'Pro'"), count_where(plan_pro));
    assert_true(count_where(open_urgent_or_high) > 30);
}

static void thirty_per_page_and_ten_pages(void **state)
{
    struct th_resp r;
    long total = total_of("status:2 OR status:3 OR status:4 OR status:5");
    assert_true(total > 300);
    search(&r, "status:2 OR status:3 OR status:4 OR status:5", 10);
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "results")), 30);
    assert_int_equal((long)cJSON_GetObjectItem(r.json, "total")->valuedouble, total);
    th_free(&r);
    search(&r, "status:2", 11);
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_get(&r, "/api/v2/search/tickets?query=%22status:2%22&per_page=50");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void malformed_queries_are_400(void **state)
{
    static const char *const bad[] = {"status:",       "(status:2",           "status:2 AND",
                                      "nosuchfield:1", "status:2 priority:3", "subject:'x"};
    struct th_resp r;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        search(&r, bad[i], 1);
        assert_int_equal(r.status, 400);
        cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "errors"), 0);
        assert_string_equal(cJSON_GetObjectItem(e, "field")->valuestring, "query");
        th_free(&r);
    }
    th_get(&r, "/api/v2/search/tickets?query=status:2"); /* not quoted */
    assert_int_equal(r.status, 400);
    th_free(&r);
    char q[700];
    size_t n = 0;
    while (n < 520) /* "priority:1 OR " repeated past 512 characters */
        n += (size_t)snprintf(q + n, sizeof q - n, "priority:1 OR ");
    snprintf(q + n, sizeof q - n, "priority:2");
    search(&r, q, 1);
    assert_int_equal(r.status, 400);
    th_free(&r);
    q[500] = '\0'; /* under the limit: fine once it parses */
    char *cut = strrchr(q, 'O');
    *cut = '\0';
    cut[-1] = '\0';
    search(&r, q, 1);
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void contacts_and_companies_are_searchable(void **state)
{
    struct th_resp r, s;
    char q[512], *e, path[700];
    th_get(&r, "/api/v2/contacts?per_page=3&page=2");
    cJSON *c = cJSON_GetArrayItem(r.json, 0);
    snprintf(q, sizeof q, "\"email:'%s'\"", cJSON_GetObjectItem(c, "email")->valuestring);
    e = curl_easy_escape(NULL, q, 0);
    snprintf(path, sizeof path, "/api/v2/search/contacts?query=%s", e);
    curl_free(e);
    th_get(&s, path);
    assert_int_equal(s.status, 200);
    assert_int_equal((int)cJSON_GetObjectItem(s.json, "total")->valuedouble, 1);
    assert_int_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(s.json, "results"), 0), "id")
            ->valuedouble,
        cJSON_GetObjectItem(c, "id")->valuedouble);
    th_free(&s);
    th_free(&r);
    th_get(&r, "/api/v2/companies?per_page=1");
    c = cJSON_GetArrayItem(r.json, 0);
    snprintf(q, sizeof q, "\"domain:'%s' AND created_at:<'2100-01-01'\"",
             cJSON_GetArrayItem(cJSON_GetObjectItem(c, "domains"), 0)->valuestring);
    e = curl_easy_escape(NULL, q, 0);
    snprintf(path, sizeof path, "/api/v2/search/companies?query=%s", e);
    curl_free(e);
    th_get(&s, path);
    assert_int_equal((int)cJSON_GetObjectItem(s.json, "total")->valuedouble, 1);
    th_free(&s);
    th_free(&r);
    th_get(&s, "/api/v2/search/contacts?query=%22status:2%22"); /* a ticket field */
    assert_int_equal(s.status, 400);
    th_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(search_totals_match_the_data),
        cmocka_unit_test(thirty_per_page_and_ten_pages),
        cmocka_unit_test(malformed_queries_are_400),
        cmocka_unit_test(contacts_and_companies_are_searchable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
