/* test_sim_writes.c: fdesk-sim's ticket writes: reply and note (private by default) with
 * 201 + Location, forward, update, create, delete/restore, bulk_update with a job id,
 * merge, watch/unwatch, multipart uploads with attachments[] (served back at
 * attachment_url, 20 MB total limit) and the record of every write body.
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

static int64_t num(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_true(cJSON_IsNumber(v));
    return (int64_t)v->valuedouble;
}

static const char *str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static cJSON *conversations(int id)
{
    struct th_resp r;
    char path[96];
    snprintf(path, sizeof path, "/api/v2/tickets/%d/conversations?per_page=100", id);
    th_get(&r, path);
    assert_int_equal(r.status, 200);
    cJSON *c = r.json;
    r.json = NULL;
    th_free(&r);
    return c;
}

static void reply_and_note(void **state)
{
    struct th_resp r, t0, t1;
    char loc[128];
    th_get(&t0, "/api/v2/tickets/5");
    cJSON *c0 = conversations(5);
    int before = cJSON_GetArraySize(c0);
    cJSON_Delete(c0);
    th_send(&r, "POST", "/api/v2/tickets/5/reply", "{\"body\":\"<p>Hello &amp; welcome</p>\"}");
    assert_int_equal(r.status, 201);
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    assert_string_equal(str(r.json, "body_text"), "Hello & welcome");
    assert_int_equal(num(r.json, "ticket_id"), 5);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "replied_to")));
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets/5/notes", "{\"body\":\"internal\"}");
    assert_int_equal(r.status, 201);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "private")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "notified_to")));
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets/5/notes", "{\"body\":\"public\",\"private\":false}");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(r.json, "private")));
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets/5/reply", "{}");
    assert_int_equal(r.status, 400);
    th_free(&r);
    cJSON *c1 = conversations(5);
    assert_int_equal(cJSON_GetArraySize(c1), before + 3);
    cJSON *last = cJSON_GetArrayItem(c1, before + 2);
    assert_string_equal(str(last, "body"), "public");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(last, "support_email")));
    cJSON_Delete(c1);
    th_get(&t1, "/api/v2/tickets/5");
    assert_true(strcmp(str(t1.json, "updated_at"), str(t0.json, "updated_at")) >= 0);
    th_free(&t0);
    th_free(&t1);
    th_send(&r, "POST", "/api/v2/tickets/999999/reply", "{\"body\":\"x\"}");
    assert_int_equal(r.status, 404);
    th_free(&r);
}

static void forward_needs_recipients(void **state)
{
    struct th_resp r;
    th_send(&r, "POST", "/api/v2/tickets/6/forward", "{\"body\":\"fyi\"}");
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets/6/forward",
            "{\"body\":\"fyi\",\"to_emails\":[\"x@example.com\"]}");
    assert_int_equal(r.status, 201);
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "to_emails"), 0)->valuestring,
        "x@example.com");
    th_free(&r);
}

static void update_changes_the_ticket(void **state)
{
    struct th_resp r;
    th_send(&r, "PUT", "/api/v2/tickets/7",
            "{\"status\":6,\"priority\":4,\"responder_id\":null,\"tags\":[\"x\",\"ü\"],"
            "\"custom_fields\":{\"cf_vip\":true},\"subject\":\"Changed ✓\"}");
    assert_int_equal(r.status, 200);
    assert_int_equal(num(r.json, "status"), 6);
    assert_int_equal(num(r.json, "priority"), 4);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r.json, "responder_id")));
    assert_string_equal(str(r.json, "subject"), "Changed ✓");
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "custom_fields"), "cf_vip")));
    th_free(&r);
    th_get(&r, "/api/v2/tickets/7");
    assert_int_equal(num(r.json, "status"), 6);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "tags"), 1)->valuestring,
                        "ü");
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/7", "{\"custom_fields\":{\"cf_nope\":1}}");
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_send(&r, "PUT", "/api/v2/tickets/7", "{\"responder_id\":12345}");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void create_delete_restore(void **state)
{
    struct th_resp r;
    char loc[128], path[96];
    th_send(
        &r, "POST", "/api/v2/tickets",
        "{\"email\":\"brand.new@example.net\",\"subject\":\"Help\",\"description\":\"<b>hi</b>\","
        "\"status\":2,\"priority\":3}");
    assert_int_equal(r.status, 201);
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    int64_t id = num(r.json, "id");
    assert_true(id > 300);
    snprintf(path, sizeof path, "/api/v2/tickets/%lld", (long long)id);
    assert_non_null(strstr(loc, path));
    assert_string_equal(str(r.json, "description_text"), "hi");
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets",
            "{\"subject\":\"x\",\"description\":\"y\",\"status\":2,\"priority\":1}");
    assert_int_equal(r.status, 400);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=5"); /* the newest first */
    assert_int_equal(num(cJSON_GetArrayItem(r.json, 0), "id"), id);
    th_free(&r);
    th_req(&r, "DELETE", path, NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.len, 0);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?per_page=5");
    assert_true(num(cJSON_GetArrayItem(r.json, 0), "id") != id);
    th_free(&r);
    th_get(&r, path);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r.json, "deleted")));
    th_free(&r);
    char restore[128];
    snprintf(restore, sizeof restore, "%s/restore", path);
    th_req(&r, "PUT", restore, NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    th_get(&r, path);
    assert_null(cJSON_GetObjectItem(r.json, "deleted"));
    th_free(&r);
}

static void notes_can_be_edited_and_replies_deleted(void **state)
{
    struct th_resp r;
    char path[96];
    th_send(&r, "POST", "/api/v2/tickets/60/notes", "{\"body\":\"draft note\"}");
    snprintf(path, sizeof path, "/api/v2/conversations/%lld", (long long)num(r.json, "id"));
    th_free(&r);
    th_send(&r, "PUT", path, "{\"body\":\"<b>final</b> note\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "body_text"), "final note");
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(r.json, "last_edited_user_id")));
    th_free(&r);
    cJSON *convs = conversations(60), *c, *incoming = NULL, *reply = NULL;
    cJSON_ArrayForEach(c, convs)
    {
        if (cJSON_IsTrue(cJSON_GetObjectItem(c, "incoming")))
            incoming = c;
        else if (num(c, "source") == 0)
            reply = c;
    }
    if (reply) {
        snprintf(path, sizeof path, "/api/v2/conversations/%lld", (long long)num(reply, "id"));
        th_send(&r, "PUT", path, "{\"body\":\"x\"}");
        assert_int_equal(r.status, 400); /* only notes can be edited */
        th_free(&r);
        th_req(&r, "DELETE", path, NULL, NULL, 0, NULL, NULL);
        assert_int_equal(r.status, 204);
        th_free(&r);
    }
    if (incoming) {
        snprintf(path, sizeof path, "/api/v2/conversations/%lld", (long long)num(incoming, "id"));
        th_req(&r, "DELETE", path, NULL, NULL, 0, NULL, NULL);
        assert_int_equal(r.status, 403);
        th_free(&r);
    }
    cJSON *after = conversations(60);
    assert_int_equal(cJSON_GetArraySize(after), cJSON_GetArraySize(convs) - (reply ? 1 : 0));
    cJSON_Delete(after);
    cJSON_Delete(convs);
    th_req(&r, "DELETE", "/api/v2/conversations/1", NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 404);
    th_free(&r);
}

static void outbound_email_creates_a_ticket(void **state)
{
    struct th_resp r;
    th_send(
        &r, "POST", "/api/v2/tickets/outbound_email",
        "{\"email\":\"out@example.com\",\"subject\":\"We noticed\",\"description\":\"<p>Hi</p>\","
        "\"priority\":2,\"email_config_id\":67000041667}");
    assert_int_equal(r.status, 201);
    assert_int_equal(num(r.json, "source"), 10);
    assert_string_equal(str(r.json, "subject"), "We noticed");
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets/outbound_email", "{\"email\":\"out@example.com\"}");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void bulk_update_returns_a_job(void **state)
{
    struct th_resp r;
    th_send(&r, "POST", "/api/v2/tickets/bulk_update",
            "{\"bulk_action\":{\"ids\":[11,12],\"properties\":{\"priority\":4}}}");
    assert_int_equal(r.status, 202);
    assert_true(strlen(str(r.json, "job_id")) > 0);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/12");
    assert_int_equal(num(r.json, "priority"), 4);
    th_free(&r);
    th_send(&r, "POST", "/api/v2/tickets/bulk_update",
            "{\"bulk_action\":{\"ids\":[11],\"properties\":{\"bad\":1}}}");
    assert_int_equal(r.status, 400);
    th_free(&r);
}

static void merge_closes_the_secondaries(void **state)
{
    struct th_resp r;
    th_send(&r, "PUT", "/api/v2/tickets/merge",
            "{\"primary_id\":20,\"ticket_ids\":[21],\"note_in_primary\":{\"body\":\"merged\"},"
            "\"convert_recepients_to_cc\":false}");
    assert_int_equal(r.status, 204);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/21");
    assert_int_equal(num(r.json, "status"), 5);
    th_free(&r);
}

static void watch_and_unwatch(void **state)
{
    struct th_resp r;
    th_req(&r, "POST", "/api/v2/tickets/30/watch", NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/30/watchers");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "watcher_ids")), 1);
    th_free(&r);
    th_get(&r, "/api/v2/tickets?filter=watching&updated_since=2000-01-01T00:00:00Z");
    assert_int_equal(cJSON_GetArraySize(r.json), 1);
    th_free(&r);
    th_req(&r, "PUT", "/api/v2/tickets/30/unwatch", NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/30/watchers");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r.json, "watcher_ids")), 0);
    th_free(&r);
}

static char *multipart(const char *boundary, size_t file_size, size_t *len)
{
    size_t cap = file_size + 1024;
    char *b = malloc(cap);
    size_t n =
        (size_t)snprintf(b, cap,
                         "--%s\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\n"
                         "<p>see attached</p>\r\n"
                         "--%s\r\nContent-Disposition: form-data; name=\"cc_emails[]\"\r\n\r\n"
                         "a@example.com\r\n"
                         "--%s\r\nContent-Disposition: form-data; name=\"attachments[]\"; "
                         "filename=\"log.txt\"\r\nContent-Type: text/plain\r\n\r\n",
                         boundary, boundary, boundary);
    for (size_t i = 0; i < file_size; i++)
        b[n++] = (char)('a' + i % 26);
    n += (size_t)snprintf(b + n, cap - n, "\r\n--%s--\r\n", boundary);
    *len = n;
    return b;
}

static void multipart_upload_and_attachment_url(void **state)
{
    struct th_resp r, f;
    size_t len;
    char *body = multipart("XyZ", 1000, &len);
    th_req(&r, "POST", "/api/v2/tickets/40/reply", "multipart/form-data; boundary=XyZ", body, len,
           NULL, NULL);
    free(body);
    assert_int_equal(r.status, 201);
    cJSON *att = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "attachments"), 0);
    assert_non_null(att);
    assert_string_equal(str(att, "name"), "log.txt");
    assert_int_equal(num(att, "size"), 1000);
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "cc_emails"), 0)->valuestring,
        "a@example.com");
    const char *url = str(att, "attachment_url");
    assert_true(strncmp(url, th_base(), strlen(th_base())) == 0);
    th_req(&f, "GET", url + strlen(th_base()), NULL, NULL, 0, "", NULL); /* no auth */
    assert_int_equal(f.status, 200);
    assert_int_equal(f.len, 1000);
    assert_memory_equal(f.body, "abcdefghij", 10);
    th_free(&f);
    th_free(&r);
}

static void attachments_over_20_mb_are_invalid_size(void **state)
{
    struct th_resp r;
    size_t len;
    char *body = multipart("B0undary", 20L * 1024 * 1024 + 1, &len);
    th_req(&r, "POST", "/api/v2/tickets/41/notes", "multipart/form-data; boundary=B0undary", body,
           len, NULL, NULL);
    free(body);
    assert_int_equal(r.status, 400);
    cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(r.json, "errors"), 0);
    assert_string_equal(str(e, "code"), "invalid_size");
    assert_string_equal(str(e, "field"), "attachments");
    th_free(&r);
}

static void every_write_is_recorded(void **state)
{
    struct th_resp r;
    th_send(&r, "POST", "/api/v2/tickets/50/reply", "{\"body\":\"recorded reply\"}");
    th_free(&r);
    th_req(&r, "GET", "/__sim/posts", NULL, NULL, 0, "", NULL);
    assert_true(cJSON_IsArray(r.json));
    cJSON *last = cJSON_GetArrayItem(r.json, cJSON_GetArraySize(r.json) - 1);
    assert_string_equal(str(last, "kind"), "reply");
    assert_int_equal(num(last, "ticket_id"), 50);
    assert_string_equal(str(cJSON_GetObjectItem(last, "body"), "body"), "recorded reply");
    int replies = 0;
    cJSON *p;
    cJSON_ArrayForEach(p, r.json) replies += !strcmp(str(p, "kind"), "reply");
    th_free(&r);
    th_req(&r, "GET", "/__sim/stats", NULL, NULL, 0, "", NULL);
    assert_int_equal(num(r.json, "replies"), replies);
    th_free(&r);
}

static void contacts_and_companies_writes(void **state)
{
    struct th_resp r;
    char loc[128], path[128];
    th_send(&r, "POST", "/api/v2/companies",
            "{\"name\":\"Zebra Ltd\",\"domains\":[\"zebra.example\"]}");
    assert_int_equal(r.status, 201);
    assert_true(th_header(&r, "Location", loc, sizeof loc));
    int64_t co = num(r.json, "id");
    th_free(&r);
    th_send(&r, "POST", "/api/v2/companies", "{\"name\":\"zebra ltd\"}");
    assert_int_equal(r.status, 409);
    th_free(&r);
    th_send(&r, "POST", "/api/v2/companies", "{\"nom\":\"x\"}");
    assert_int_equal(r.status, 400);
    th_free(&r);
    char body[256];
    snprintf(body, sizeof body,
             "{\"name\":\"Zed\",\"email\":\"zed@zebra.example\",\"company_id\":%lld}",
             (long long)co);
    th_send(&r, "POST", "/api/v2/contacts", body);
    assert_int_equal(r.status, 201);
    assert_int_equal(num(r.json, "company_id"), co);
    snprintf(path, sizeof path, "/api/v2/contacts/%lld", (long long)num(r.json, "id"));
    th_free(&r);
    th_send(&r, "PUT", path, "{\"job_title\":\"CTO\"}");
    assert_int_equal(r.status, 200);
    assert_string_equal(str(r.json, "job_title"), "CTO");
    th_free(&r);
    th_req(&r, "DELETE", path, NULL, NULL, 0, NULL, NULL);
    assert_int_equal(r.status, 204);
    th_free(&r);
    th_send(&r, "PUT", path, "{\"job_title\":\"CEO\"}"); /* a deleted contact */
    assert_int_equal(r.status, 405);
    th_free(&r);
    th_send(&r, "POST", "/api/v2/contacts", "{\"name\":\"Again\",\"email\":\"zed@zebra.example\"}");
    assert_int_equal(r.status, 409); /* trashed contacts still count */
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reply_and_note),
        cmocka_unit_test(forward_needs_recipients),
        cmocka_unit_test(update_changes_the_ticket),
        cmocka_unit_test(create_delete_restore),
        cmocka_unit_test(notes_can_be_edited_and_replies_deleted),
        cmocka_unit_test(outbound_email_creates_a_ticket),
        cmocka_unit_test(bulk_update_returns_a_job),
        cmocka_unit_test(merge_closes_the_secondaries),
        cmocka_unit_test(watch_and_unwatch),
        cmocka_unit_test(multipart_upload_and_attachment_url),
        cmocka_unit_test(attachments_over_20_mb_are_invalid_size),
        cmocka_unit_test(every_write_is_recorded),
        cmocka_unit_test(contacts_and_companies_writes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
