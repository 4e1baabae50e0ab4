/* test_sim_admin.c: the /__sim/ test hooks (changes made as a customer or another agent,
 * counters, the ticket count since a time, faults switched at run time), the --activity
 * account, --hostile data, the request log, and gzip.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/sim/harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char log_path[] = "/tmp/fdesk-sim-test-log-XXXXXX";
static const char *opts[] = {"--tickets", "400",   "--admin", "--rate-limit",
                             "100000",    "--log", log_path,  NULL};

static int setup(void **state)
{
    int fd = mkstemp(log_path);
    close(fd);
    th_start(opts);
    return 0;
}

static int teardown(void **state)
{
    th_stop();
    unlink(log_path);
    return 0;
}

static void admin(struct th_resp *r, const char *method, const char *path, const char *json)
{
    th_req(r, method, path, json ? "application/json" : NULL, json, json ? strlen(json) : 0, "",
           NULL);
}

static long count_since(const char *since)
{
    struct th_resp r;
    char path[128];
    snprintf(path, sizeof path, "/__sim/tickets/count?updated_since=%s", since);
    admin(&r, "GET", path, NULL);
    long n = (long)cJSON_GetObjectItem(r.json, "count")->valuedouble;
    th_free(&r);
    return n;
}

/* id and updated_at of the most recently updated ticket */
static void newest(int64_t *id, char *updated, size_t len)
{
    struct th_resp r;
    th_get(&r, "/api/v2/tickets?order_by=updated_at&per_page=1&updated_since=2000-01-01T00:00:00Z");
    cJSON *t = cJSON_GetArrayItem(r.json, 0);
    *id = (int64_t)cJSON_GetObjectItem(t, "id")->valuedouble;
    snprintf(updated, len, "%s", cJSON_GetObjectItem(t, "updated_at")->valuestring);
    th_free(&r);
}

static void customer_reply_adds_an_incoming_message(void **state)
{
    struct th_resp r;
    int64_t id;
    char upd[40];
    newest(&id, upd, sizeof upd);
    long before = count_since(upd);
    admin(&r, "POST", "/__sim/tickets/3/customer_reply", "{\"body\":\"<p>Any news?</p>\"}");
    assert_int_equal(r.status, 201);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/3/conversations?per_page=100");
    cJSON *last = cJSON_GetArrayItem(r.json, cJSON_GetArraySize(r.json) - 1);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(last, "incoming")));
    assert_string_equal(cJSON_GetObjectItem(last, "body_text")->valuestring, "Any news?");
    th_free(&r);
    newest(&id, upd, sizeof upd);
    assert_int_equal(id, 3);
    assert_true(count_since(upd) >= 1);
    assert_true(before >= 1);
}

static void agent_change_and_deletion(void **state)
{
    struct th_resp r;
    int64_t id;
    char upd[40];
    admin(&r, "PUT", "/__sim/tickets/8",
          "{\"status\":5,\"priority\":4,\"subject\":\"Changed elsewhere\"}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/8");
    assert_int_equal(cJSON_GetObjectItem(r.json, "status")->valueint, 5);
    assert_string_equal(cJSON_GetObjectItem(r.json, "subject")->valuestring, "Changed elsewhere");
    th_free(&r);
    newest(&id, upd, sizeof upd);
    assert_int_equal(id, 8);
    long all = count_since("2000-01-01T00:00:00Z");
    admin(&r, "DELETE", "/__sim/tickets/8", NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    assert_int_equal(count_since("2000-01-01T00:00:00Z"), all - 1);
    newest(&id, upd, sizeof upd);
    assert_true(id != 8); /* deleted tickets leave the list */
    admin(&r, "POST", "/__sim/tickets", "{\"subject\":\"Arrived\",\"priority\":3}");
    assert_int_equal(r.status, 201);
    int64_t nid = (int64_t)cJSON_GetObjectItem(r.json, "id")->valuedouble;
    th_free(&r);
    newest(&id, upd, sizeof upd);
    assert_int_equal(id, nid);
    assert_int_equal(count_since("2000-01-01T00:00:00Z"), all);
}

static void count_hook_filters(void **state)
{
    long all = count_since("2000-01-01T00:00:00Z");
    struct th_resp r;
    admin(&r, "GET", "/__sim/tickets/count?updated_since=2000-01-01T00:00:00Z&unresolved=true",
          NULL);
    long open = (long)cJSON_GetObjectItem(r.json, "count")->valuedouble;
    th_free(&r);
    admin(&r, "GET", "/__sim/tickets/count?updated_before=2000-01-01T00:00:00Z", NULL);
    assert_int_equal((long)cJSON_GetObjectItem(r.json, "count")->valuedouble, 0);
    th_free(&r);
    /* the same numbers from the API: every visible ticket, and those not resolved or closed */
    long listed = 0, unresolved = 0;
    for (int page = 1;; page++) {
        char path[160], next[512];
        snprintf(path, sizeof path,
                 "/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z&page=%d", page);
        th_get(&r, path);
        cJSON *t;
        cJSON_ArrayForEach(t, r.json)
        {
            int st = cJSON_GetObjectItem(t, "status")->valueint;
            listed++;
            unresolved += st != 4 && st != 5;
        }
        bool more = th_next_link(&r, next, sizeof next);
        th_free(&r);
        if (!more)
            break;
    }
    assert_int_equal(all, listed);
    assert_int_equal(open, unresolved);
}

static void stats_count_requests_by_status(void **state)
{
    struct th_resp r, s0, s1;
    admin(&s0, "GET", "/__sim/stats", NULL);
    th_get(&r, "/api/v2/tickets/1");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/77777");
    th_free(&r);
    admin(&s1, "GET", "/__sim/stats", NULL);
    cJSON *b0 = cJSON_GetObjectItem(s0.json, "by_status"),
          *b1 = cJSON_GetObjectItem(s1.json, "by_status");
    assert_int_equal(cJSON_GetObjectItem(s1.json, "requests")->valueint,
                     cJSON_GetObjectItem(s0.json, "requests")->valueint + 2);
    cJSON *n0 = cJSON_GetObjectItem(b0, "404");
    assert_int_equal(cJSON_GetObjectItem(b1, "404")->valueint, (n0 ? n0->valueint : 0) + 1);
    assert_true(cJSON_GetObjectItem(s1.json, "credits_used")->valueint >
                cJSON_GetObjectItem(s0.json, "credits_used")->valueint);
    th_free(&s0);
    th_free(&s1);
}

static void faults_switched_at_run_time(void **state)
{
    struct th_resp r;
    char v[16];
    admin(&r, "POST", "/__sim/faults", "{\"fail_500\":1}");
    assert_int_equal(r.status, 200);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 500);
    assert_string_equal(r.body, "{\"message\":\"We're sorry, but something went wrong.\"}");
    th_free(&r);
    admin(&r, "POST", "/__sim/faults", "{\"fail_500\":0,\"throttle\":1}");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 429);
    assert_true(th_header(&r, "Retry-After", v, sizeof v));
    th_free(&r);
    admin(&r, "POST", "/__sim/faults", "{\"throttle\":0,\"drop\":1}");
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=50");
    assert_true(r.curl_rc != CURLE_OK); /* the connection closed mid-body */
    th_free(&r);
    th_req(&r, "DELETE", "/api/v2/tickets/9", NULL, NULL, 0, NULL, NULL);
    assert_true(r.curl_rc != CURLE_OK); /* an empty answer is not sent at all */
    th_free(&r);
    admin(&r, "POST", "/__sim/faults", "{\"drop\":0}");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/9");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "deleted"))); /* but it happened */
    th_free(&r);
    admin(&r, "POST", "/__sim/faults", "{\"drop\":1}");
    th_free(&r);
    admin(&r, "POST", "/__sim/faults", "{\"drop\":0,\"stall\":1,\"stall_ms\":60000}");
    th_free(&r);
    th_set_timeout_ms(700);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.curl_rc, CURLE_OPERATION_TIMEDOUT);
    th_free(&r);
    th_set_timeout_ms(30000);
    admin(&r, "POST", "/__sim/faults", "{\"stall\":0,\"reset_window\":true}");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 200);
    th_free(&r);
}

static void latency_delays_every_answer(void **state)
{
    struct th_resp r;
    admin(&r, "POST", "/__sim/faults", "{\"latency_ms\":3000}");
    th_free(&r);
    th_set_timeout_ms(500);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.curl_rc, CURLE_OPERATION_TIMEDOUT);
    th_free(&r);
    th_set_timeout_ms(30000);
    admin(&r, "POST", "/__sim/faults", "{\"latency_ms\":0}");
    th_free(&r);
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    return size * n;
}

static void many_connections_at_once(void **state)
{
    enum { N = 24 };
    CURLM *m = curl_multi_init();
    CURL *h[N];
    char url[256];
    long ok = 0;
    snprintf(url, sizeof url, "%s/api/v2/tickets?per_page=100&include=requester,company",
             th_base());
    for (int i = 0; i < N; i++) {
        h[i] = curl_easy_init();
        curl_easy_setopt(h[i], CURLOPT_URL, url);
        curl_easy_setopt(h[i], CURLOPT_USERPWD, "test-key:X");
        curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, discard);
        curl_multi_add_handle(m, h[i]);
    }
    int running = N;
    while (running) {
        curl_multi_perform(m, &running);
        curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    for (int i = 0; i < N; i++) {
        long code = 0;
        curl_easy_getinfo(h[i], CURLINFO_RESPONSE_CODE, &code);
        ok += code == 200;
        curl_multi_remove_handle(m, h[i]);
        curl_easy_cleanup(h[i]);
    }
    curl_multi_cleanup(m);
    assert_int_equal(ok, N);
}

static void gzip_when_asked(void **state)
{
    struct th_resp plain, gz;
    char enc[32];
    th_get(&plain, "/api/v2/tickets?per_page=100");
    th_req(&gz, "GET", "/api/v2/tickets?per_page=100", NULL, NULL, 0, NULL,
           "Accept-Encoding: gzip");
    assert_true(th_header(&gz, "Content-Encoding", enc, sizeof enc));
    assert_string_equal(enc, "gzip");
    assert_false(th_header(&plain, "Content-Encoding", enc, sizeof enc));
    assert_true(gz.len < plain.len / 2);
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    char *out = malloc(plain.len + 16);
    z.next_in = (Bytef *)gz.body;
    z.avail_in = (uInt)gz.len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)plain.len + 16;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, plain.len);
    assert_memory_equal(out, plain.body, plain.len);
    inflateEnd(&z);
    free(out);
    th_free(&plain);
    th_free(&gz);
}

static void the_request_log_has_one_line_per_request(void **state)
{
    struct th_resp r;
    th_send(&r, "PUT", "/api/v2/tickets/2", "{\"priority\":2}");
    th_free(&r);
    FILE *f = fopen(log_path, "r");
    assert_non_null(f);
    char line[65536], last[65536] = "";
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        assert_null(strstr(line, "test-key")); /* never the key */
        cJSON *o = cJSON_Parse(line);
        assert_non_null(o);
        cJSON_Delete(o);
        memcpy(last, line, sizeof line);
        n++;
    }
    fclose(f);
    assert_true(n > 5);
    cJSON *o = cJSON_Parse(last);
    assert_string_equal(cJSON_GetObjectItem(o, "method")->valuestring, "PUT");
    assert_string_equal(cJSON_GetObjectItem(o, "path")->valuestring, "/api/v2/tickets/2");
    assert_int_equal(cJSON_GetObjectItem(o, "status")->valueint, 200);
    assert_int_equal(cJSON_GetObjectItem(o, "credits")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "body"), "priority")->valueint, 2);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "time")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "query")));
    cJSON_Delete(o);
}

static void hostile_tickets_carry_attacks(void **state)
{
    static const char *const hostile[] = {"--tickets", "200", "--hostile", NULL};
    struct th_resp r;
    th_stop();
    th_start(hostile);
    th_get(&r,
           "/api/v2/tickets?order_by=updated_at&per_page=20&include=requester,company,description");
    assert_int_equal(r.status, 200);
    assert_non_null(r.json); /* invalid UTF-8 inside strings still parses */
    bool esc = false, bidi = false, huge = false, empty = false, badutf = false, name = false,
         company = false, body = false;
    cJSON *t;
    cJSON_ArrayForEach(t, r.json)
    {
        const char *s = cJSON_GetObjectItem(t, "subject")->valuestring;
        esc = esc || strstr(s, "\x1b]52;") != NULL;
        bidi = bidi || strstr(s, "\xe2\x80\xae") != NULL;
        huge = huge || strlen(s) == 10000;
        empty = empty || *s == '\0';
        badutf = badutf || strstr(s, "\xff\xfe") != NULL;
        name = name ||
               strchr(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "requester"), "name")->valuestring,
                      0x1b);
        cJSON *co = cJSON_GetObjectItem(t, "company");
        company = company || (cJSON_IsObject(co) &&
                              strchr(cJSON_GetObjectItem(co, "name")->valuestring, 0x1b));
        body = body || strchr(cJSON_GetObjectItem(t, "description_text")->valuestring, 0x1b);
    }
    assert_true(esc && bidi && huge && empty && badutf && name && company && body);
    th_free(&r);
    th_stop();
    th_start(opts);
}

static void activity_keeps_the_account_alive(void **state)
{
    static const char *const alive[] = {"--tickets", "100", "--activity", "1", NULL};
    int64_t id0, id1;
    char u0[40], u1[40];
    th_stop();
    th_start(alive);
    newest(&id0, u0, sizeof u0);
    sleep(3);
    newest(&id1, u1, sizeof u1);
    assert_true(id0 != id1 || strcmp(u0, u1) != 0);
    th_stop();
    th_start(opts);
}

static void hooks_need_admin(void **state)
{
    static const char *const plain[] = {"--tickets", "10", NULL};
    struct th_resp r;
    th_stop();
    th_start(plain);
    admin(&r, "GET", "/__sim/stats", NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
    th_stop();
    th_start(opts);
}

static void data_dir_replaces_the_generator(void **state)
{
    const char *src = getenv("top_srcdir");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/sim/data", src ? src : "..");
    const char *const loaded[] = {"--data", dir, "--now", "2026-06-01T12:00:00Z", NULL};
    struct th_resp r;
    th_stop();
    th_start(loaded);
    th_get(&r, "/api/v2/tickets?include=requester,company");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(r.json), 2); /* 105 is deleted */
    cJSON *t = cJSON_GetArrayItem(r.json, 0);
    assert_int_equal(cJSON_GetObjectItem(t, "id")->valueint, 102);
    assert_int_equal(cJSON_GetObjectItem(t, "status")->valueint, 6);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(t, "company"), "name")->valuestring,
                        "Société Générale des Tests");
    t = cJSON_GetArrayItem(r.json, 1);
    assert_string_equal(cJSON_GetObjectItem(t, "subject")->valuestring, "Loaded from a file");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(t, "requester"), "email")->valuestring,
        "dana@data.example.com");
    assert_string_equal(cJSON_GetObjectItem(t, "created_at")->valuestring, "2026-05-20T08:00:00Z");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/101/conversations");
    assert_int_equal(cJSON_GetArraySize(r.json), 3);
    cJSON *c = cJSON_GetArrayItem(r.json, 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(c, "private")));
    assert_string_equal(cJSON_GetObjectItem(c, "created_at")->valuestring, "2026-05-20T09:05:00Z");
    th_free(&r);
    th_get(&r, "/api/v2/tickets/101");
    assert_string_equal(cJSON_GetObjectItem(r.json, "description_text")->valuestring,
                        "First & foremost");
    th_free(&r);
    th_stop();
    th_start(opts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(customer_reply_adds_an_incoming_message),
        cmocka_unit_test(agent_change_and_deletion),
        cmocka_unit_test(count_hook_filters),
        cmocka_unit_test(stats_count_requests_by_status),
        cmocka_unit_test(faults_switched_at_run_time),
        cmocka_unit_test(latency_delays_every_answer),
        cmocka_unit_test(many_connections_at_once),
        cmocka_unit_test(gzip_when_asked),
        cmocka_unit_test(the_request_log_has_one_line_per_request),
        cmocka_unit_test(hostile_tickets_carry_attacks),
        cmocka_unit_test(activity_keeps_the_account_alive),
        cmocka_unit_test(hooks_need_admin),
        cmocka_unit_test(data_dir_replaces_the_generator),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
