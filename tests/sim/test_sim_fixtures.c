/* test_sim_fixtures.c: every real response in tests/fixtures/freshdesk has a counterpart in
 * fdesk-sim's data with the same field names and JSON types. Key paths (nested objects as
 * a.b, array elements as a[]) are compared over many generated objects: the simulator must
 * produce every key of the fixture, every non-null type the fixture shows, and no other type
 * for a key the fixture types; extra keys are allowed only where freshdesk-api.md documents
 * them, and the keys below custom_fields and choices are account data, not schema.
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

static const char *const opts[] = {"--tickets", "500", "--admin", "--rate-limit", "100000", NULL};

enum { T_NULL = 1, T_BOOL = 2, T_NUM = 4, T_STR = 8, T_ARR = 16, T_OBJ = 32 };

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

static int type_bit(const cJSON *v)
{
    if (cJSON_IsNull(v))
        return T_NULL;
    if (cJSON_IsBool(v))
        return T_BOOL;
    if (cJSON_IsNumber(v))
        return T_NUM;
    if (cJSON_IsString(v))
        return T_STR;
    return cJSON_IsArray(v) ? T_ARR : T_OBJ;
}

static void record(cJSON *map, const char *path, int bit)
{
    cJSON *e = cJSON_GetObjectItemCaseSensitive(map, path);
    if (e)
        cJSON_SetNumberValue(e, (double)((int)e->valuedouble | bit));
    else
        cJSON_AddNumberToObject(map, path, bit);
}

static void walk(const cJSON *v, const char *prefix, cJSON *map)
{
    char path[512];
    const cJSON *c;
    if (cJSON_IsObject(v)) {
        cJSON_ArrayForEach(c, v)
        {
            snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", c->string);
            record(map, path, type_bit(c));
            walk(c, path, map);
        }
    } else if (cJSON_IsArray(v)) {
        snprintf(path, sizeof path, "%s[]", prefix);
        cJSON_ArrayForEach(c, v)
        {
            record(map, path, type_bit(c));
            walk(c, path, map);
        }
    }
}

static cJSON *load_fixture(const char *name)
{
    const char *dir = getenv("FIXTURES");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "../tests/fixtures/freshdesk", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    cJSON *j = cJSON_Parse(buf);
    free(buf);
    assert_non_null(j);
    return j;
}

/* Objects (each an element of the array, or the object itself) into a type map. */
static cJSON *types_of(const cJSON *j)
{
    cJSON *map = cJSON_CreateObject();
    const cJSON *c;
    if (cJSON_IsArray(j))
        cJSON_ArrayForEach(c, j) walk(c, "", map);
    else
        walk(j, "", map);
    return map;
}

/* Below a data-defined key (custom_fields, choices) the keys are account data. */
static bool below(const char *path, const char *const *subtrees)
{
    for (const char *const *e = subtrees; e && *e; e++) {
        size_t n = strlen(*e);
        if (!strncmp(path, *e, n) && (path[n] == '.' || path[n] == '['))
            return true;
    }
    return false;
}

static bool extra_allowed(const char *path, const cJSON *fix, const char *const *extras)
{
    for (const char *const *e = extras; e && *e; e++) {
        size_t n = strlen(*e);
        if (!strncmp(path, *e, n) && (path[n] == '\0' || path[n] == '.' || path[n] == '['))
            return true;
    }
    /* elements of an array that the fixture only shows empty */
    const char *br = strstr(path, "[]");
    if (br) {
        char parent[512];
        snprintf(parent, sizeof parent, "%.*s", (int)(br - path), path);
        char elem[520];
        snprintf(elem, sizeof elem, "%s[]", parent);
        if (cJSON_GetObjectItemCaseSensitive(fix, parent) &&
            !cJSON_GetObjectItemCaseSensitive(fix, elem))
            return true;
    }
    return false;
}

static void compare(const char *what, const cJSON *fixture, const cJSON *generated,
                    const char *const *extras)
{
    cJSON *fix = types_of(fixture), *gen = types_of(generated);
    const cJSON *f, *g;
    int bad = 0;
    cJSON_ArrayForEach(f, fix)
    {
        g = cJSON_GetObjectItemCaseSensitive(gen, f->string);
        int ft = (int)f->valuedouble & ~T_NULL, gt = g ? (int)g->valuedouble & ~T_NULL : 0;
        if (below(f->string, extras))
            continue;
        if (!g) {
            print_error("%s: the simulator never sends '%s'\n", what, f->string);
            bad++;
        } else if ((ft & gt) != ft || (ft && (gt & ~ft))) {
            print_error("%s: '%s' has types %d in the fixture, %d in the simulator\n", what,
                        f->string, (int)f->valuedouble, (int)g->valuedouble);
            bad++;
        }
    }
    cJSON_ArrayForEach(g, gen)
    {
        if (!cJSON_GetObjectItemCaseSensitive(fix, g->string) &&
            !extra_allowed(g->string, fix, extras)) {
            print_error("%s: the simulator sends '%s', which the fixture does not have\n", what,
                        g->string);
            bad++;
        }
    }
    cJSON_Delete(fix);
    cJSON_Delete(gen);
    assert_int_equal(bad, 0);
}

static cJSON *get_json(const char *path)
{
    struct th_resp r;
    th_get(&r, path);
    assert_int_equal(r.status, 200);
    cJSON *j = r.json;
    r.json = NULL;
    th_free(&r);
    return j;
}

static void list_tickets_match(void **state)
{
    cJSON *fix = load_fixture("tickets_list_include_requester_stats_description.json");
    cJSON *gen = get_json("/api/v2/tickets?include=description,requester,stats&order_by=updated_at"
                          "&order_type=asc&updated_since=2000-01-01T00:00:00Z&per_page=100");
    cJSON *recent = get_json("/api/v2/tickets?include=description,requester,stats&per_page=100");
    while (cJSON_GetArraySize(recent)) /* old tickets are closed; recent ones are pending too */
        cJSON_AddItemToArray(gen, cJSON_DetachItemFromArray(recent, 0));
    cJSON_Delete(recent);
    compare("list", fix, gen, (const char *const[]){"custom_fields", NULL});
    cJSON_Delete(fix);
    cJSON_Delete(gen);
}

static void view_ticket_matches(void **state)
{
    static const char *const extras[] = {"custom_fields", "association_type",
                                         "associated_tickets_count", "deleted", NULL};
    cJSON *fix = load_fixture("ticket.json"), *gen = cJSON_CreateArray();
    for (int id = 1; id <= 80; id++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v2/tickets/%d", id);
        cJSON_AddItemToArray(gen, get_json(path));
    }
    compare("view", fix, gen, extras);
    cJSON_Delete(fix);
    cJSON_Delete(gen);
}

static void conversations_match(void **state)
{
    cJSON *fix = load_fixture("conversations.json"), *gen = cJSON_CreateArray();
    for (int id = 1; id <= 40; id++) {
        char path[96];
        snprintf(path, sizeof path, "/api/v2/tickets/%d/conversations?per_page=100", id);
        cJSON *c = get_json(path);
        while (cJSON_GetArraySize(c))
            cJSON_AddItemToArray(gen, cJSON_DetachItemFromArray(c, 0));
        cJSON_Delete(c);
    }
    assert_true(cJSON_GetArraySize(gen) > 50);
    compare("conversations", fix, gen, NULL);
    cJSON_Delete(fix);
    cJSON_Delete(gen);
}

static void account_objects_match(void **state)
{
    static const char *const pairs[][2] = {
        {"agents.json", "/api/v2/agents"},
        {"groups.json", "/api/v2/groups"},
        {"canned_response_folders.json", "/api/v2/canned_response_folders"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        cJSON *fix = load_fixture(pairs[i][0]), *gen = get_json(pairs[i][1]);
        compare(pairs[i][0], fix, gen, NULL);
        cJSON_Delete(fix);
        cJSON_Delete(gen);
    }
    cJSON *folders = get_json("/api/v2/canned_response_folders"), *f;
    cJSON *gen = cJSON_CreateArray(), *fix = load_fixture("canned_responses.json");
    cJSON_ArrayForEach(f, folders)
    {
        char path[128];
        snprintf(path, sizeof path, "/api/v2/canned_response_folders/%.0f/responses",
                 cJSON_GetObjectItem(f, "id")->valuedouble);
        cJSON *rs = get_json(path);
        while (cJSON_GetArraySize(rs))
            cJSON_AddItemToArray(gen, cJSON_DetachItemFromArray(rs, 0));
        cJSON_Delete(rs);
    }
    compare("canned_responses.json", fix, gen, NULL);
    cJSON_Delete(fix);
    cJSON_Delete(gen);
    cJSON_Delete(folders);
}

static void ticket_fields_match_by_name(void **state)
{
    cJSON *fix = load_fixture("ticket_fields.json"), *gen = get_json("/api/v2/ticket_fields");
    cJSON *f, *g;
    cJSON_ArrayForEach(f, fix)
    {
        const char *name = cJSON_GetObjectItem(f, "name")->valuestring;
        cJSON *match = NULL;
        cJSON_ArrayForEach(g, gen) if (!strcmp(cJSON_GetObjectItem(g, "name")->valuestring, name))
            match = g;
        assert_non_null(match);
        /* status choices: "id" -> [agent label, customer label]; custom statuses add ids */
        compare(name, f, match, (const char *const[]){"choices", NULL});
        assert_int_equal(
            type_bit(cJSON_GetObjectItem(f, "choices") ? cJSON_GetObjectItem(f, "choices")
                                                       : cJSON_GetObjectItem(f, "name")),
            type_bit(cJSON_GetObjectItem(f, "choices") ? cJSON_GetObjectItem(match, "choices")
                                                       : cJSON_GetObjectItem(match, "name")));
    }
    cJSON_Delete(fix);
    cJSON_Delete(gen);
}

static void error_bodies_match(void **state)
{
    struct th_resp r;
    cJSON *fix;
    th_req(&r, "GET", "/api/v2/tickets", NULL, NULL, 0, "nope", NULL);
    fix = load_fixture("errors/error_401_invalid_credentials.json");
    char *want = cJSON_PrintUnformatted(fix);
    assert_string_equal(r.body, want);
    free(want);
    cJSON_Delete(fix);
    th_free(&r);
    static const struct {
        const char *file, *method, *path, *ctype, *body;
        long status;
    } cases[] = {
        {"error_400_validation_invalid_field.json", "POST", "/api/v2/tickets", "application/json",
         "{\"priorty\":1}", 400},
        {"errors/error_405_method_not_allowed.json", "PUT", "/api/v2/agents", "application/json",
         "{\"a\":1}", 405},
        {"errors/error_415_invalid_content_type.json", "PUT", "/api/v2/tickets/1", "text/plain",
         "x", 415},
        {"errors/error_409_duplicate_contact.json", "POST", "/api/v2/contacts", "application/json",
         "{\"name\":\"A\",\"email\":\"alex.morgan@acme-support.example.com\"}", 409},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        th_req(&r, cases[i].method, cases[i].path, cases[i].ctype, cases[i].body,
               strlen(cases[i].body), NULL, NULL);
        assert_int_equal(r.status, cases[i].status);
        fix = load_fixture(cases[i].file);
        compare(cases[i].file, fix, r.json, NULL);
        cJSON_Delete(fix);
        th_free(&r);
    }
    th_req(&r, "POST", "/__sim/faults", "application/json", "{\"fail_500\":1}", 14, "", NULL);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 500);
    fix = load_fixture("errors/error_500_internal.json");
    compare("500", fix, r.json, NULL);
    assert_string_equal(r.body, "{\"message\":\"We're sorry, but something went wrong.\"}");
    cJSON_Delete(fix);
    th_free(&r);
    th_req(&r, "POST", "/__sim/faults", "application/json", "{\"fail_500\":0,\"throttle\":1}", 27,
           "", NULL);
    th_free(&r);
    th_get(&r, "/api/v2/tickets/1");
    assert_int_equal(r.status, 429);
    fix = load_fixture("errors/error_429_legacy_hourly.json");
    compare("429", fix, r.json, NULL);
    cJSON_Delete(fix);
    th_free(&r);
    th_req(&r, "POST", "/__sim/faults", "application/json", "{\"throttle\":0}", 14, "", NULL);
    th_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_tickets_match),          cmocka_unit_test(view_ticket_matches),
        cmocka_unit_test(conversations_match),         cmocka_unit_test(account_objects_match),
        cmocka_unit_test(ticket_fields_match_by_name), cmocka_unit_test(error_bodies_match),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
