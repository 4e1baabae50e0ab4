/* test_sim_tickets.c: fdesk-sim's ticket reading endpoints behave as
 * ../shared/freshdesk-api.md says: the 30-day window, updated_since, ordering, include=,
 * paging with Link only when a next page exists, the 300-page cap, view and conversations.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/internal.h"
#include "tests/sim/harness.h"

#include <stdlib.h>
#include <string.h>

#define NOW "2026-06-01T12:00:00Z"
static const char *const opts[] = {"--tickets", "2000",    "--now",        NOW,      "--seed",
                                   "7",         "--admin", "--rate-limit", "100000", NULL};

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

static int64_t num(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_non_null(v);
    return (int64_t)v->valuedouble;
}

static int64_t time_of(cJSON *o, const char *k)
{
    int64_t t = 0;
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsString(v))
        assert_int_equal(sim_parse_time(v->valuestring, &t), 0);
    return t;
}

/* Pages through path (which has a query) and returns every ticket; checks the Link rule. */
static cJSON *fetch_all(const char *first)
{
    char path[4096], next[4096];
    cJSON *all = cJSON_CreateArray();
    snprintf(path, sizeof path, "%s", first);
    for (int pages = 0; pages < 400; pages++) {
        struct th_resp r;
        th_get(&r, path);
        assert_int_equal(r.status, 200);
        assert_true(cJSON_IsArray(r.json));
        int n = cJSON_GetArraySize(r.json);
        bool more = th_next_link(&r, next, sizeof next);
        if (more) {
            char link[4096];
            th_header(&r, "Link", link, sizeof link);
            assert_true(strncmp(link + 1, th_base(), strlen(th_base())) == 0);
            assert_true(n > 0);
        }
        while (cJSON_GetArraySize(r.json) > 0)
            cJSON_AddItemToArray(all, cJSON_DetachItemFromArray(r.json, 0));
        th_free(&r);
        if (!more)
            return all;
        snprintf(path, sizeof path, "%s", next);
    }
    fail_msg("too many pages");
    return NULL;
}

static void pagination_to_the_end_equals_the_30_day_window(void **state)
{
    int64_t now, start;
    sim_parse_time(NOW, &now);
    start = now - 30L * 86400;
    cJSON *window = fetch_all("/api/v2/tickets?per_page=100");
    cJSON *every = fetch_all("/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z");
    cJSON *t;
    int in_window = 0, n = cJSON_GetArraySize(window);
    assert_true(n > 100); /* more than one page */
    cJSON_ArrayForEach(t, window) assert_true(time_of(t, "created_at") >= start - 5);
    cJSON_ArrayForEach(t, every) if (time_of(t, "created_at") >= start + 5) in_window++;
    assert_in_range(n, in_window, in_window + 5);
    /* no ticket twice */
    char *seen = calloc(3000, 1);
    cJSON_ArrayForEach(t, window)
    {
        int64_t id = num(t, "id");
        assert_in_range(id, 1, 2999);
        assert_int_equal(seen[id], 0);
        seen[id] = 1;
    }
    free(seen);
    assert_true(cJSON_GetArraySize(every) > n);
    cJSON_Delete(window);
    cJSON_Delete(every);
}

static long admin_count(const char *since)
{
    struct th_resp r;
    char path[128];
    snprintf(path, sizeof path, "/__sim/tickets/count?updated_since=%s", since);
    th_req(&r, "GET", path, NULL, NULL, 0, "", NULL);
    assert_int_equal(r.status, 200);
    long c = (long)num(r.json, "count");
    th_free(&r);
    return c;
}

static void updated_since_returns_tickets_updated_since_then(void **state)
{
    int64_t since;
    sim_parse_time("2026-04-15T00:00:00Z", &since);
    cJSON *all = fetch_all("/api/v2/"
                           "tickets?per_page=100&updated_since=2026-04-15T00:00:00Z&order_by="
                           "updated_at&order_type=asc");
    cJSON *t;
    int64_t prev = 0;
    cJSON_ArrayForEach(t, all)
    {
        int64_t u = time_of(t, "updated_at");
        assert_true(u >= since);
        assert_true(u >= prev); /* ascending */
        prev = u;
    }
    assert_int_equal(cJSON_GetArraySize(all), admin_count("2026-04-15T00:00:00Z"));
    cJSON_Delete(all);
}

static void order_by_and_order_type(void **state)
{
    static const char *const keys[] = {"created_at", "due_by", "updated_at", "status"};
    for (int k = 0; k < 4; k++)
        for (int asc = 0; asc < 2; asc++) {
            char path[256];
            struct th_resp r;
            snprintf(
                path, sizeof path,
                "/api/v2/"
                "tickets?per_page=100&updated_since=2026-01-01T00:00:00Z&order_by=%s&order_type=%s",
                keys[k], asc ? "asc" : "desc");
            th_get(&r, path);
            assert_int_equal(r.status, 200);
            int n = cJSON_GetArraySize(r.json);
            assert_int_equal(n, 100);
            for (int i = 1; i < n; i++) {
                cJSON *a = cJSON_GetArrayItem(r.json, i - 1), *b = cJSON_GetArrayItem(r.json, i);
                int64_t x = k == 3 ? num(a, "status") : time_of(a, keys[k]);
                int64_t y = k == 3 ? num(b, "status") : time_of(b, keys[k]);
                assert_true(asc ? x <= y : x >= y);
            }
            th_free(&r);
        }
    struct th_resp r;
    th_get(&r, "/api/v2/tickets?order_by=subject");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void include_requester_company_embeds_both(void **state)
{
    struct th_resp r;
    char v[64];
    cJSON *t;
    int with_company = 0, without = 0;
    th_get(&r, "/api/v2/"
               "tickets?per_page=100&include=requester,company&updated_since=2026-01-01T00:00:00Z");
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "X-RateLimit-Used-CurrentRequest", v, sizeof v));
    assert_string_equal(v, "5"); /* 1 + 2 per include value */
    cJSON_ArrayForEach(t, r.json)
    {
        cJSON *req = cJSON_GetObjectItem(t, "requester"), *co = cJSON_GetObjectItem(t, "company");
        assert_non_null(req);
        assert_int_equal(num(req, "id"), num(t, "requester_id"));
        for (const char *k = "name\0email\0mobile\0phone\0"; *k; k += strlen(k) + 1)
            assert_non_null(cJSON_GetObjectItem(req, k));
        assert_non_null(co);
        if (cJSON_IsNull(cJSON_GetObjectItem(t, "company_id"))) {
            assert_true(cJSON_IsNull(co));
            without++;
        } else {
            assert_int_equal(num(co, "id"), num(t, "company_id"));
            assert_true(cJSON_IsString(cJSON_GetObjectItem(co, "name")));
            with_company++;
        }
        assert_null(cJSON_GetObjectItem(t, "description"));
        assert_null(cJSON_GetObjectItem(t, "attachments"));
    }
    assert_true(with_company > 0 && without > 0);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=5&include=description,stats");
    t = cJSON_GetArrayItem(r.json, 0);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(t, "description")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(t, "description_text")));
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(t, "stats")));
    assert_null(cJSON_GetObjectItem(t, "requester"));
    th_free(&r);
    th_get(&r, "/api/v2/tickets?include=conversations");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void page_size_limits(void **state)
{
    struct th_resp r;
    th_get(&r, "/api/v2/tickets?per_page=101");
    assert_int_equal(r.status, 400);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "errors"), 0);
    assert_string_equal(cJSON_GetObjectItem(e, "field")->valuestring, "per_page");
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=0");
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?page=abc");
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=100");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) <= 100);
    th_free(&r);
    th_get(&r, "/api/v2/tickets");
    assert_int_equal(cJSON_GetArraySize(r.json), 30); /* default per_page */
    th_free(&r);
}

static void the_300_page_cap(void **state)
{
    static const char *const big[] = {"--tickets",    "31500",  "--now", NOW,
                                      "--rate-limit", "100000", NULL};
    char next[512];
    struct th_resp r;
    th_stop();
    th_start(big);
    th_get(&r, "/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z&page=299");
    assert_int_equal(r.status, 200);
    assert_true(th_next_link(&r, next, sizeof next));
    assert_non_null(strstr(next, "page=300"));
    assert_non_null(strstr(next, "updated_since=2000-01-01T00:00:00Z"));
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z&page=300");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 100);
    assert_false(th_next_link(&r, next, sizeof next)); /* page 301 cannot be asked for */
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z&page=301");
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_stop();
    th_start(opts);
}

static void view_ticket_with_includes(void **state)
{
    struct th_resp r;
    char v[32];
    th_get(&r, "/api/v2/tickets/1?include=conversations,requester,company,stats");
    assert_int_equal(r.status, 200);
    assert_true(th_header(&r, "X-RateLimit-Used-CurrentRequest", v, sizeof v));
    assert_string_equal(v, "5"); /* 1 + 1 per include */
    assert_int_equal(num(r.json, "id"), 1);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(r.json, "description")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "attachments")));
    cJSON *convs = cJSON_GetObjectItem(r.json, "conversations");
    assert_true(cJSON_IsArray(convs));
    assert_true(cJSON_GetArraySize(convs) <= 10);
    assert_non_null(cJSON_GetObjectItem(r.json, "requester"));
    assert_non_null(cJSON_GetObjectItem(r.json, "stats"));
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_true(th_header(&r, "X-RateLimit-Used-CurrentRequest", v, sizeof v));
    assert_string_equal(v, "1");
    assert_null(cJSON_GetObjectItem(r.json, "conversations"));
    th_free(&r);
    th_get(&r, "/api/v2/tickets/99999");
    assert_int_equal(r.status, 404);
    assert_int_equal(r.len, 0);
    th_free(&r);
}

static void long_threads_page_and_embed_the_oldest_ten(void **state)
{
    char path[512], next[512];
    int found = 0;
    for (int id = 1; id <= 400 && !found; id++) {
        struct th_resp r;
        snprintf(path, sizeof path, "/api/v2/tickets/%d/conversations?per_page=100", id);
        th_get(&r, path);
        assert_int_equal(r.status, 200);
        int total = cJSON_GetArraySize(r.json);
        if (total > 30) {
            found = id;
            /* default pages of 30, followed to the end */
            int seen = 0;
            snprintf(path, sizeof path, "/api/v2/tickets/%d/conversations", id);
            for (;;) {
                struct th_resp p;
                th_get(&p, path);
                seen += cJSON_GetArraySize(p.json);
                bool more = th_next_link(&p, next, sizeof next);
                th_free(&p);
                if (!more)
                    break;
                snprintf(path, sizeof path, "%s", next);
            }
            assert_int_equal(seen, total);
            /* include=conversations: the 10 oldest, ascending */
            struct th_resp v;
            snprintf(path, sizeof path, "/api/v2/tickets/%d?include=conversations", id);
            th_get(&v, path);
            cJSON *c = cJSON_GetObjectItem(v.json, "conversations");
            assert_int_equal(cJSON_GetArraySize(c), 10);
            for (int i = 0; i < 10; i++)
                assert_int_equal(num(cJSON_GetArrayItem(c, i), "id"),
                                 num(cJSON_GetArrayItem(r.json, i), "id"));
            for (int i = 1; i < total; i++)
                assert_true(time_of(cJSON_GetArrayItem(r.json, i), "created_at") >=
                            time_of(cJSON_GetArrayItem(r.json, i - 1), "created_at"));
            th_free(&v);
        }
        th_free(&r);
    }
    assert_true(found > 0);
}

static void list_filters(void **state)
{
    struct th_resp r, f;
    char path[256];
    cJSON *t;
    th_get(&r, "/api/v2/tickets/10?include=requester");
    int64_t req = num(r.json, "requester_id");
    const char *email =
        cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "requester"), "email")->valuestring;
    snprintf(path, sizeof path,
             "/api/v2/tickets?requester_id=%lld&updated_since=2000-01-01T00:00:00Z",
             (long long)req);
    th_get(&f, path);
    assert_true(cJSON_GetArraySize(f.json) >= 1);
    cJSON_ArrayForEach(t, f.json) assert_int_equal(num(t, "requester_id"), req);
    int by_id = cJSON_GetArraySize(f.json);
    th_free(&f);
    snprintf(path, sizeof path, "/api/v2/tickets?email=%s&updated_since=2000-01-01T00:00:00Z",
             email);
    th_get(&f, path);
    assert_int_equal(cJSON_GetArraySize(f.json), by_id);
    th_free(&f);
    th_free(&r);
    static const char *const filters[] = {"spam", "deleted", "new_and_my_open"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path,
                 "/api/v2/tickets?filter=%s&updated_since=2000-01-01T00:00:00Z&per_page=100",
                 filters[i]);
        th_get(&f, path);
        assert_int_equal(f.status, 200);
        assert_true(cJSON_GetArraySize(f.json) > 0);
        cJSON_ArrayForEach(t, f.json)
        {
            if (i == 0)
                assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "spam")));
            if (i == 1)
                assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "deleted")));
            if (i == 2)
                assert_int_equal(num(t, "status"), 2);
        }
        th_free(&f);
    }
    th_get(&f, "/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z");
    cJSON_ArrayForEach(t, f.json)
    {
        assert_false(cJSON_IsTrue(cJSON_GetObjectItem(t, "spam")));
        assert_null(cJSON_GetObjectItem(t, "deleted"));
    }
    th_free(&f);
    th_get(&f, "/api/v2/tickets?filter=mine");
    assert_int_equal(f.status, 400);
    th_free(&f);
    th_get(&f, "/api/v2/tickets?updated_since=yesterday");
    assert_int_equal(f.status, 400);
    th_free(&f);
}

static void data_has_the_variety_the_client_needs(void **state)
{
    struct th_resp me;
    th_get(&me, "/api/v2/agents/me");
    assert_int_equal(me.status, 200);
    int64_t my_id = num(me.json, "id");
    th_free(&me);
    int64_t now;
    sim_parse_time(NOW, &now);
    cJSON *all = fetch_all("/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z");
    int status[10] = {0}, prio[5] = {0}, mine = 0, unassigned = 0, overdue = 0, today = 0, n = 0;
    cJSON *t;
    cJSON_ArrayForEach(t, all)
    {
        int s = (int)num(t, "status");
        assert_in_range(s, 2, 7);
        status[s]++;
        prio[num(t, "priority")]++;
        cJSON *resp = cJSON_GetObjectItem(t, "responder_id");
        if (cJSON_IsNull(resp))
            unassigned++;
        else if ((int64_t)resp->valuedouble == my_id)
            mine++;
        int64_t due = time_of(t, "due_by");
        bool open = s != 4 && s != 5;
        if (open && due && due < now)
            overdue++;
        if (open && due >= now && due < now - now % 86400 + 86400)
            today++;
        n++;
    }
    for (int s = 2; s <= 7; s++)
        assert_true(status[s] > 0);
    for (int p = 1; p <= 4; p++)
        assert_true(prio[p] > 0);
    assert_true(mine * 5 > n);        /* a good share is mine */
    assert_true(unassigned * 10 > n); /* many unassigned */
    assert_true(overdue > 0);
    assert_true(today > 0);
    cJSON_Delete(all);
}

static void same_seed_same_data_other_seed_other_data(void **state)
{
    struct th_resp a, b;
    th_get(&a, "/api/v2/tickets/42?include=requester,conversations");
    th_stop();
    th_start(opts);
    th_get(&b, "/api/v2/tickets/42?include=requester,conversations");
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.body, b.body, a.len);
    th_free(&b);
    static const char *const other[] = {"--tickets", "2000",         "--now",  NOW, "--seed",
                                        "8",         "--rate-limit", "100000", NULL};
    th_stop();
    th_start(other);
    th_get(&b, "/api/v2/tickets/42?include=requester,conversations");
    assert_true(a.len != b.len || memcmp(a.body, b.body, a.len) != 0);
    th_free(&a);
    th_free(&b);
    th_stop();
    th_start(opts);
}

static void account_resources(void **state)
{
    struct th_resp r;
    th_get(&r, "/api/v2/agents");
    assert_int_equal(r.status, 200);
    assert_true(cJSON_GetArraySize(r.json) >= 5);
    th_free(&r);
    th_get(&r, "/api/v2/groups");
    assert_true(cJSON_GetArraySize(r.json) >= 3);
    int64_t gid = num(cJSON_GetArrayItem(r.json, 0), "id");
    th_free(&r);
    char path[96];
    snprintf(path, sizeof path, "/api/v2/groups/%lld", (long long)gid);
    th_get(&r, path);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "agent_ids")));
    th_free(&r);
    th_get(&r, "/api/v2/ticket_fields");
    cJSON *f, *status = NULL;
    cJSON_ArrayForEach(
        f, r.json) if (!strcmp(cJSON_GetObjectItem(f, "name")->valuestring, "status")) status = f;
    assert_non_null(status);
    cJSON *six = cJSON_GetObjectItem(cJSON_GetObjectItem(status, "choices"), "6");
    assert_string_equal(cJSON_GetArrayItem(six, 0)->valuestring, "Waiting on Customer");
    th_free(&r);
    th_get(&r, "/api/v2/ticket_fields?type=default_status");
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    th_get(&r, "/api/v2/contacts?per_page=5");
    assert_int_equal(cJSON_GetArraySize(r.json), 5);
    assert_true(th_header(&r, "Link", path, sizeof path));
    int64_t cid = num(cJSON_GetArrayItem(r.json, 0), "id");
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/contacts/%lld", (long long)cid);
    th_get(&r, path);
    assert_int_equal(num(r.json, "id"), cid);
    th_free(&r);
    th_get(&r, "/api/v2/contacts?_updated_since=2100-01-01T00:00:00Z");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 0);
    th_free(&r);
    th_get(&r, "/api/v2/companies");
    int64_t coid = num(cJSON_GetArrayItem(r.json, 0), "id");
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/companies/%lld", (long long)coid);
    th_get(&r, path);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "domains")));
    th_free(&r);
    th_get(&r, "/api/v2/canned_response_folders");
    int64_t fid = num(cJSON_GetArrayItem(r.json, 1), "id");
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/canned_response_folders/%lld/responses", (long long)fid);
    th_get(&r, path);
    assert_true(cJSON_GetArraySize(r.json) >= 1);
    int64_t rid = num(cJSON_GetArrayItem(r.json, 0), "id");
    th_free(&r);
    snprintf(path, sizeof path, "/api/v2/canned_responses/%lld", (long long)rid);
    th_get(&r, path);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(r.json, "content_html")));
    th_free(&r);
}

static void generated_attachments_are_served(void **state)
{
    char path[96];
    for (int id = 1; id <= 200; id++) {
        struct th_resp r, f;
        snprintf(path, sizeof path, "/api/v2/tickets/%d/conversations?per_page=100", id);
        th_get(&r, path);
        cJSON *c;
        cJSON_ArrayForEach(c, r.json)
        {
            cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "attachments"), 0);
            if (!a)
                continue;
            const char *url = cJSON_GetObjectItem(a, "attachment_url")->valuestring;
            assert_true(strncmp(url, th_base(), strlen(th_base())) == 0);
            th_req(&f, "GET", url + strlen(th_base()), NULL, NULL, 0, "", NULL); /* no auth */
            assert_int_equal(f.status, 200);
            assert_int_equal(f.len, num(a, "size"));
            th_free(&f);
            char bad[512];
            snprintf(bad, sizeof bad, "%.*s0000000000000000",
                     (int)(strstr(url, "token=") + 6 - url - strlen(th_base())),
                     url + strlen(th_base()));
            th_req(&f, "GET", bad, NULL, NULL, 0, "", NULL);
            assert_int_equal(f.status, 403);
            th_free(&f);
            th_free(&r);
            return;
        }
        th_free(&r);
    }
    fail_msg("no generated conversation carries an attachment");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pagination_to_the_end_equals_the_30_day_window),
        cmocka_unit_test(updated_since_returns_tickets_updated_since_then),
        cmocka_unit_test(order_by_and_order_type),
        cmocka_unit_test(include_requester_company_embeds_both),
        cmocka_unit_test(page_size_limits),
        cmocka_unit_test(the_300_page_cap),
        cmocka_unit_test(view_ticket_with_includes),
        cmocka_unit_test(long_threads_page_and_embed_the_oldest_ten),
        cmocka_unit_test(list_filters),
        cmocka_unit_test(data_has_the_variety_the_client_needs),
        cmocka_unit_test(same_seed_same_data_other_seed_other_data),
        cmocka_unit_test(account_resources),
        cmocka_unit_test(generated_attachments_are_served),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
