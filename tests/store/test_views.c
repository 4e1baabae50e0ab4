/* test_views.c: the view query language: parse errors name the column,
 * config lines name file and line, user views replace built-ins, and every
 * built-in view and a set of user queries select exactly the expected
 * tickets from a small cache at a fixed "now" (TZ=UTC). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "src/config.h"
#include "src/views.h"
#include "tests/store/helpers.h"

static fd_time now;

static void parse_errors_name_the_column(void **state)
{
    static const struct {
        const char *query;
        size_t column;
        const char *message;
    } cases[] = {
        {"stauts:open", 1, "unknown field 'stauts'"},
        {"status:open AND", 16, "unexpected end of query"},
        {"priority:extreme", 10, "unknown priority 'extreme'"},
        {"(status:open", 1, "unmatched '('"},
        {"status:open)", 12, "unmatched ')'"},
        {"due<someday", 5, "bad date 'someday'"},
        {"text:\"unterminated", 6, "unterminated quote"},
        {"status=open", 7, "expected ':', '<' or '>'"},
        {"", 1, "empty query"},
        {"   ", 4, "empty query"},
        {"OR status:open", 1, "needs a term"},
        {"agent<me", 6, "can only be compared with ':'"},
        {"status:", 8, "missing value"},
        {"status:open  NOT", 17, "unexpected end of query"},
        {"text:!!", 6, "needs a word"},
        {"due:2026-13-01", 5, "bad date"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        size_t column = 0;
        struct view_expr *e = view_parse(cases[i].query, err, sizeof err, &column);
        if (e || column != cases[i].column || !strstr(err, cases[i].message))
            fail_msg("query '%s': got column %zu, message '%s'", cases[i].query, column, err);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "column %zu: ", cases[i].column);
        assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
    }
}

static void well_formed_queries_parse(void **state)
{
    static const char *const ok[] = {
        "status:open",
        "STATUS:Open and priority:HIGH",
        "agent:me OR agent:none",
        "NOT (tag:vip OR tag:\"big customer\") -status:closed",
        "due<2026-12-01 due>=today updated:7d created>-2w due<=+3d updated>2026-01-01T10:00:00Z",
        "group:\"Second \\\"line\\\"\"",
        "((((status:pending))))",
        "requester:rita@example.com company:Acme type:none",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char err[256];
        struct view_expr *e = view_parse(ok[i], err, sizeof err, NULL);
        if (!e)
            fail_msg("query '%s': %s", ok[i], err);
        view_expr_free(e);
    }
}

static struct fd_config_extra extra(const char *text, int line)
{
    struct fd_config_extra x = {
        .file = (char *)"/home/a/.config/fdesk/config", .line = line, .text = (char *)text};
    return x;
}

static void user_views_come_from_config_lines(void **state)
{
    struct fd_config_extra lines[] = {
        extra("bind list j move-down", 2),
        extra("view urgent-mine = agent:me AND priority:urgent", 3),
        extra("view mine = agent:me", 4),
    };
    struct fd_config cfg = {.extra = lines, .extra_count = 3};
    struct view_set set;
    char err[256];

    assert_int_equal(views_load(&set, &cfg, err, sizeof err), 0);
    assert_int_equal(set.count, 10);
    static const char *const builtins[] = {"all",       "mine", "unassigned", "overdue",
                                           "due-today", "open", "pending",    "new-and-my-open",
                                           "recent"};
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(set.items[i].name, builtins[i]);
    const struct view *v = views_find(&set, "Urgent-Mine");
    assert_non_null(v);
    assert_false(v->builtin);
    assert_string_equal(v->query, "agent:me AND priority:urgent");
    v = views_find(&set, "mine");
    assert_false(v->builtin);
    assert_string_equal(v->query, "agent:me");
    assert_string_equal(views_find(&set, "all")->title, "All unresolved");
    assert_null(views_find(&set, "nope"));
    views_free(&set);

    struct fd_config_extra bad[] = {extra("view bad = status:open AND", 7)};
    cfg.extra = bad;
    cfg.extra_count = 1;
    assert_int_equal(views_load(&set, &cfg, err, sizeof err), -1);
    assert_string_equal(err, "/home/a/.config/fdesk/config:7: view 'bad', column 16: "
                             "unexpected end of query");
    assert_int_equal(set.count, 0);
    struct fd_config_extra unnamed[] = {extra("view = status:open", 9)};
    cfg.extra = unnamed;
    assert_int_equal(views_load(&set, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "config:9: expected 'view NAME = QUERY'"));
    assert_int_equal(views_load(&set, NULL, err, sizeof err), 0);
    assert_int_equal(set.count, 9);
    views_free(&set);
}

/* ---- semantics against a small cache ---------------------------------------- */

struct fixture {
    struct test_cache cache;
    struct store *s;
};

static void put(struct store *s, fd_id id, int status, int priority, fd_id agent, fd_id group,
                fd_id company, fd_id requester, fd_time due, fd_time updated, const char *subject,
                const char *tag)
{
    static const char *const company_names[] = {"Acme", "Globex"};
    static const char *const names[] = {"Rita", "Sam"};
    static const char *const emails[] = {"rita@example.com", "sam@example.com"};
    struct fd_ticket t;

    test_ticket(&t, id, status, priority, updated, subject);
    t.responder_id = agent;
    t.group_id = group;
    t.due_by = due;
    if (company)
        test_company(&t, company, company_names[company - 600]);
    test_requester(&t, requester, names[requester - 500], emails[requester - 500]);
    if (tag)
        model_string_list_add(&t.tags, tag);
    if (id == 3)
        t.type = strdup("Problem");
    assert_int_equal(test_put(s, &t), 1);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct fd_agent agents[] = {{.id = 1, .name = "Me Myself", .email = "me@example.com"},
                                {.id = 2, .name = "Other Agent", .email = "other@example.com"}};
    struct fd_group groups[] = {{.id = 10, .name = "Billing"}, {.id = 11, .name = "Second line"}};
    struct fd_status statuses[] = {{.id = 2, .agent_label = "Open"},
                                   {.id = 3, .agent_label = "Pending"},
                                   {.id = 4, .agent_label = "Resolved"},
                                   {.id = 5, .agent_label = "Closed"},
                                   {.id = 9, .agent_label = "Waiting on Customer"}};
    const fd_time h = 3600, d = 86400;

    test_cache_init(&f->cache);
    f->s = test_open(f->cache.path);
    assert_non_null(f->s);
    struct store *s = f->s;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(store_upsert_agent(s, &agents[i]), 0);
        assert_int_equal(store_upsert_group(s, &groups[i]), 0);
    }
    assert_int_equal(store_set_me(s, 1), 0);
    assert_int_equal(store_replace_statuses(s, statuses, 5), 0);
    /* now is 2026-12-01 12:00 UTC */
    put(s, 1, 2, 4, 1, 10, 600, 500, now - 2 * h, now - h, "Printer jam", "vip");
    put(s, 2, 3, 1, 0, 11, 601, 501, now + 6 * h, now - 3 * d, "Refund request", NULL);
    put(s, 3, 2, 2, 2, 10, 600, 501, now + 22 * h, now - 10 * d, "Invoice copy", "refund");
    put(s, 4, 4, 3, 1, 0, 0, 500, now - 5 * d, now - 2 * h, "Password reset", NULL);
    put(s, 5, 9, 3, 0, 10, 601, 500, 0, now - h / 2, "Waiting for logs", NULL);
    put(s, 6, 2, 1, 0, 0, 0, 501, 0, now - 8 * d, "Login broken", NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    test_cache_remove(&f->cache);
    free(f);
    return 0;
}

/* The ids the query selects, ascending, as "1,2,3". */
static void selected(struct store *s, const char *query, char *out, size_t size)
{
    char err[256];
    struct view_expr *e = view_parse(query, err, sizeof err, NULL);
    if (!e)
        fail_msg("query '%s': %s", query, err);
    struct store_query q = {.sort = STORE_SORT_DUE, .filter = e, .now = now};
    struct store_rows rows = {0};
    assert_int_equal(store_window(s, &q, NULL, STORE_AFTER, 100, &rows), 0);
    int seen[10] = {0};
    for (size_t i = 0; i < rows.count; i++)
        seen[rows.rows[i].id] = 1;
    out[0] = '\0';
    for (int id = 1; id < 10; id++)
        if (seen[id])
            snprintf(out + strlen(out), size - strlen(out), "%s%d", out[0] ? "," : "", id);
    size_t count;
    assert_int_equal(store_count(s, &q, &count), 0);
    assert_int_equal(count, rows.count);
    store_rows_clear(&rows);
    view_expr_free(e);
}

static void builtin_views_select_the_right_tickets(void **state)
{
    struct fixture *f = *state;
    struct view_set set;
    char err[256], got[64];
    static const char *const expected[][2] = {
        {"all", "1,2,3,5,6"},    {"mine", "1"},
        {"unassigned", "2,5,6"}, {"overdue", "1"},
        {"due-today", "1,2"},    {"open", "1,3,6"},
        {"pending", "2"},        {"new-and-my-open", "1,6"},
        {"recent", "1,4,5"},
    };
    assert_int_equal(views_load(&set, NULL, err, sizeof err), 0);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const struct view *v = views_find(&set, expected[i][0]);
        assert_non_null(v);
        selected(f->s, v->query, got, sizeof got);
        if (strcmp(got, expected[i][1]) != 0)
            fail_msg("view %s: got %s, want %s", expected[i][0], got, expected[i][1]);
    }
    views_free(&set);
}

static void user_queries_select_the_right_tickets(void **state)
{
    struct fixture *f = *state;
    char got[64];
    static const char *const cases[][2] = {
        {"NOT due<now", "2,3,5,6"}, /* tickets without a due date are not overdue */
        {"priority>=high", "1,4,5"},
        {"priority<medium", "2,6"},
        {"agent:none OR priority:urgent status:resolved", "2,5,6"}, /* AND binds tighter */
        {"(agent:none OR priority:urgent) status:open", "1,6"},
        {"group:\"second line\"", "2"},
        {"group:none", "4,6"},
        {"company:acme -tag:vip", "3"},
        {"requester:SAM@example.com", "2,3,6"},
        {"requester:Rita", "1,4,5"},
        {"status:\"Waiting on Customer\"", "5"},
        {"status:9", "5"},
        {"status:unresolved NOT status:open", "2,5"},
        {"text:print", "1"},
        {"text:\"refund request\"", "2"},
        {"text:refund", "2"},
        {"tag:refund", "3"},
        {"type:problem", "3"},
        {"type:none", "1,2,4,5,6"},
        {"agent:\"Other Agent\"", "3"},
        {"agent:other@example.com OR agent:me", "1,3,4"},
        {"due>=today due<tomorrow", "1,2"},
        {"due:today", "1,2"},
        {"due:tomorrow", "3"},
        {"due<=today", "1,2,4"},
        {"due>today", "3"},
        {"due:+1d", "2,3"}, /* between now and 24 h from now */
        {"due<2026-11-30", "4"},
        {"updated:7d", "1,2,4,5"},
        {"updated<-7d", "3,6"},
        {"updated>2026-11-25", "1,2,4,5"},
        {"updated>=2026-11-28T11:00:00Z", "1,2,4,5"},
        {"updated>2026-11-28T12:00:00Z", "1,4,5"},
        {"created<-9d", "3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        selected(f->s, cases[i][0], got, sizeof got);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("query '%s': got %s, want %s", cases[i][0], got, cases[i][1]);
    }
}

static void names_resolve_when_the_query_runs(void **state)
{
    struct fixture *f = *state;
    char got[64];
    struct fd_agent newcomer = {.id = 3, .name = "New Person", .email = "new@example.com"};
    struct fd_ticket t;

    selected(f->s, "agent:new@example.com", got, sizeof got);
    assert_string_equal(got, "");
    assert_int_equal(store_upsert_agent(f->s, &newcomer), 0);
    test_ticket(&t, 7, 2, 1, now, "assigned to the newcomer");
    t.responder_id = 3;
    assert_int_equal(test_put(f->s, &t), 1);
    selected(f->s, "agent:new@example.com", got, sizeof got);
    assert_string_equal(got, "7");
    /* "me" changes when sync learns who we are */
    assert_int_equal(store_set_me(f->s, 3), 0);
    selected(f->s, "agent:me", got, sizeof got);
    assert_string_equal(got, "7");
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    if (model_parse_time("2026-12-01T12:00:00Z", &now) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_errors_name_the_column),
        cmocka_unit_test(well_formed_queries_parse),
        cmocka_unit_test(user_views_come_from_config_lines),
        cmocka_unit_test_setup_teardown(builtin_views_select_the_right_tickets, setup, teardown),
        cmocka_unit_test_setup_teardown(user_queries_select_the_right_tickets, setup, teardown),
        cmocka_unit_test_setup_teardown(names_resolve_when_the_query_runs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
