/* test_store_write.c: what sync writes comes back right: upserts never go
 * back in time, descriptions survive list copies, embedded requesters and
 * companies are stored and named, gone tickets leave the views, the
 * conversation replaces itself and feeds the full-text index, lookups by
 * name/email, counters follow reassignment, sync_state, tags and JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/views.h"
#include "tests/store/helpers.h"

struct fixture {
    struct test_cache cache;
    struct store *s;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    test_cache_init(&f->cache);
    f->s = test_open(f->cache.path);
    assert_non_null(f->s);
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

static char *subject_of(struct store *s, fd_id id)
{
    struct store_ticket_detail d;
    assert_int_equal(store_get_ticket(s, id, &d), 1);
    char *subject = strdup(d.ticket.subject);
    store_ticket_detail_clear(&d);
    return subject;
}

static size_t count_query(struct store *s, const char *query, const char *search)
{
    char err[256];
    struct view_expr *e = query ? view_parse(query, err, sizeof err, NULL) : NULL;
    struct store_query q = {.sort = STORE_SORT_UPDATED, .filter = e, .search = search};
    size_t n = 0;
    if (query)
        assert_non_null(e);
    assert_int_equal(store_count(s, &q, &n), 0);
    view_expr_free(e);
    return n;
}

static void upsert_never_goes_back_in_time(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    char *subject;

    test_ticket(&t, 5, 2, 1, 2000, "second version");
    assert_int_equal(test_put(f->s, &t), 1);
    test_ticket(&t, 5, 3, 4, 1000, "first version");
    assert_int_equal(test_put(f->s, &t), 0);
    subject = subject_of(f->s, 5);
    assert_string_equal(subject, "second version");
    free(subject);
    assert_int_equal(count_query(f->s, "status:open", NULL), 1);
    test_ticket(&t, 5, 3, 4, 3000, "third version");
    assert_int_equal(test_put(f->s, &t), 1);
    subject = subject_of(f->s, 5);
    assert_string_equal(subject, "third version");
    free(subject);
    assert_int_equal(count_query(f->s, "status:open", NULL), 0);
    assert_int_equal(count_query(f->s, "status:pending", NULL), 1);
    fd_time newest;
    assert_int_equal(store_max_updated_at(f->s, &newest), 0);
    assert_int_equal(newest, 3000);
}

static void description_survives_list_copies(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    struct store_ticket_detail d;

    test_ticket(&t, 9, 2, 1, 1000, "Printer");
    assert_int_equal(test_put(f->s, &t), 1);
    /* the detail fetch: same updated_at, now with the description */
    test_ticket(&t, 9, 2, 1, 1000, "Printer");
    t.description_text = strdup("It prints nothing but smudges");
    t.description_html = strdup("<p>It prints nothing but smudges</p>");
    assert_int_equal(test_put(f->s, &t), 1);
    /* the same list copy again changes nothing */
    test_ticket(&t, 9, 2, 1, 1000, "Printer");
    assert_int_equal(test_put(f->s, &t), 0);
    /* a newer list copy updates the row and keeps the description */
    test_ticket(&t, 9, 3, 1, 2000, "Printer (pending)");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(store_get_ticket(f->s, 9, &d), 1);
    assert_string_equal(d.ticket.subject, "Printer (pending)");
    assert_string_equal(d.ticket.description_text, "It prints nothing but smudges");
    assert_int_equal(d.ticket.status, 3);
    store_ticket_detail_clear(&d);
    assert_int_equal(count_query(f->s, NULL, "smudge"), 1);
}

static void embedded_requester_and_company_name_the_rows(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    struct store_rows rows = {0};
    struct store_query q = {.sort = STORE_SORT_UPDATED};
    struct store_ticket_detail d;
    struct fd_agent a = {.id = 77, .name = "Ann Agent", .email = "ann@example.com"};
    struct fd_group g = {.id = 66, .name = "Billing"};

    assert_int_equal(store_upsert_agent(f->s, &a), 0);
    assert_int_equal(store_upsert_group(f->s, &g), 0);
    test_ticket(&t, 1, 2, 1, 1000, "with names");
    test_requester(&t, 500, "Rita Requester", "rita@example.com");
    test_company(&t, 600, "Acme Ltd");
    t.responder_id = 77;
    t.group_id = 66;
    assert_int_equal(test_put(f->s, &t), 1);
    /* a requester known only by email */
    test_ticket(&t, 2, 2, 1, 900, "email only");
    test_requester(&t, 501, NULL, "anon@example.com");
    assert_int_equal(test_put(f->s, &t), 1);

    assert_int_equal(store_window(f->s, &q, NULL, STORE_AFTER, 10, &rows), 0);
    assert_int_equal(rows.count, 2);
    assert_string_equal(rows.rows[0].requester, "Rita Requester");
    assert_string_equal(rows.rows[0].company, "Acme Ltd");
    assert_string_equal(rows.rows[0].agent, "Ann Agent");
    assert_string_equal(rows.rows[0].group, "Billing");
    assert_string_equal(rows.rows[1].requester, "anon@example.com");
    assert_null(rows.rows[1].company);
    assert_null(rows.rows[1].agent);
    store_rows_clear(&rows);

    assert_int_equal(store_get_ticket(f->s, 1, &d), 1);
    assert_non_null(d.ticket.requester);
    assert_string_equal(d.ticket.requester->email, "rita@example.com");
    assert_string_equal(d.ticket.company->name, "Acme Ltd");
    assert_string_equal(d.agent_name, "Ann Agent");
    assert_string_equal(d.agent_email, "ann@example.com");
    assert_string_equal(d.group_name, "Billing");
    store_ticket_detail_clear(&d);
    assert_int_equal(store_get_ticket(f->s, 404, &d), 0);
}

static void gone_tickets_leave_views_and_do_not_come_back_from_old_copies(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    struct store_ticket_detail d;

    test_ticket(&t, 1, 2, 1, 1000, "spam soon");
    assert_int_equal(test_put(f->s, &t), 1);
    test_ticket(&t, 2, 2, 1, 1000, "deleted soon");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(count_query(f->s, NULL, NULL), 2);

    test_ticket(&t, 1, 2, 1, 1100, "spam soon");
    t.spam = true;
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(store_mark_ticket_gone(f->s, 2), 1);
    assert_int_equal(count_query(f->s, NULL, NULL), 0);
    assert_int_equal(count_query(f->s, "status:open", NULL), 0);
    /* an older or equally old copy from an overlapping page does not revive them */
    test_ticket(&t, 2, 2, 1, 1000, "deleted soon");
    assert_int_equal(test_put(f->s, &t), 0);
    test_ticket(&t, 1, 2, 1, 1000, "spam soon");
    assert_int_equal(test_put(f->s, &t), 0);
    assert_int_equal(count_query(f->s, NULL, NULL), 0);
    /* still readable by id, flagged */
    assert_int_equal(store_get_ticket(f->s, 1, &d), 1);
    assert_true(d.ticket.spam);
    store_ticket_detail_clear(&d);
    /* a newer live copy (restored on the server) brings it back */
    test_ticket(&t, 2, 2, 1, 1500, "restored");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(count_query(f->s, NULL, NULL), 1);
}

static void conversations_are_replaced_ordered_and_searchable(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    struct fd_conversation c[3];
    struct store_ticket_detail d;
    fd_time updated, current;

    test_ticket(&t, 3, 2, 1, 1000, "Broken screen");
    assert_int_equal(test_put(f->s, &t), 1);
    test_ticket(&t, 4, 2, 1, 1000, "Other ticket");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(store_conversation_state(f->s, 3, &updated, &current), 1);
    assert_int_equal(updated, 1000);
    assert_int_equal(current, 0);
    test_conversation(&c[0], 31, 3, 3000, "Have you tried a hammer?", false, true);
    test_conversation(&c[1], 32, 3, 1000, "My screen shows stripes", true, false);
    test_conversation(&c[2], 33, 3, 2000, "Please send a photograph", false, false);
    assert_int_equal(store_set_conversations(f->s, 3, c, 3, 1000), 0);
    for (int i = 0; i < 3; i++)
        model_conversation_clear(&c[i]);

    assert_int_equal(store_get_ticket(f->s, 3, &d), 1);
    assert_int_equal(d.conversation_count, 3);
    assert_int_equal(d.conversations[0].id, 32);
    assert_true(d.conversations[0].incoming);
    assert_int_equal(d.conversations[1].id, 33);
    assert_int_equal(d.conversations[2].id, 31);
    assert_true(d.conversations[2].is_private);
    assert_int_equal(d.conversations_for, 1000);
    store_ticket_detail_clear(&d);
    assert_int_equal(count_query(f->s, NULL, "photo"), 1);
    assert_int_equal(count_query(f->s, "text:hammer", NULL), 1);

    /* a refetch replaces the whole set: old text no longer matches */
    test_conversation(&c[0], 34, 3, 4000, "Fixed by a new cable", false, false);
    assert_int_equal(store_set_conversations(f->s, 3, c, 1, 1200), 0);
    model_conversation_clear(&c[0]);
    assert_int_equal(count_query(f->s, NULL, "photo"), 0);
    assert_int_equal(count_query(f->s, NULL, "cable"), 1);
    /* one reply added after a POST */
    test_conversation(&c[0], 35, 3, 5000, "Glad it works", false, false);
    assert_int_equal(store_upsert_conversation(f->s, &c[0]), 0);
    model_conversation_clear(&c[0]);
    assert_int_equal(store_get_ticket(f->s, 3, &d), 1);
    assert_int_equal(d.conversation_count, 2);
    assert_int_equal(d.conversations_for, 1200);
    store_ticket_detail_clear(&d);
}

static void agents_groups_and_statuses_are_found_by_what_people_type(void **state)
{
    struct fixture *f = *state;
    struct fd_agent agents[] = {
        {.id = 1, .name = "Ann Smith", .email = "ann@example.com"},
        {.id = 2, .name = "Anna Jones", .email = "anna@example.com"},
        {.id = 3, .name = "Bob Brown", .email = "bob@example.com"},
    };
    struct fd_group groups[] = {{.id = 10, .name = "Billing"}, {.id = 11, .name = "Second line"}};
    struct fd_status statuses[] = {
        {.id = 2, .agent_label = "Open", .customer_label = "Being Processed"},
        {.id = 3, .agent_label = "Pending", .customer_label = "Awaiting your Reply"},
        {.id = 9, .agent_label = "Waiting on Customer", .customer_label = "Awaiting"},
    };
    struct fd_agent a;
    struct fd_group g;
    struct fd_status st;

    for (int i = 0; i < 3; i++)
        assert_int_equal(store_upsert_agent(f->s, &agents[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(store_upsert_group(f->s, &groups[i]), 0);
    assert_int_equal(store_replace_statuses(f->s, statuses, 3), 0);

    assert_int_equal(store_find_agent(f->s, "BOB@example.com", &a), 1);
    assert_int_equal(a.id, 3);
    model_agent_clear(&a);
    assert_int_equal(store_find_agent(f->s, "ann smith", &a), 1);
    assert_int_equal(a.id, 1);
    model_agent_clear(&a);
    assert_int_equal(store_find_agent(f->s, "Bo", &a), 1); /* unique prefix */
    assert_int_equal(a.id, 3);
    model_agent_clear(&a);
    assert_int_equal(store_find_agent(f->s, "An", &a), 0); /* ambiguous: Ann, Anna */
    assert_int_equal(store_find_agent(f->s, "%", &a), 0);  /* LIKE wildcards are literal */
    assert_int_equal(store_find_agent(f->s, "nobody", &a), 0);

    assert_int_equal(store_find_group(f->s, "second LINE", &g), 1);
    assert_int_equal(g.id, 11);
    model_group_clear(&g);
    assert_int_equal(store_find_status(f->s, "waiting on customer", &st), 1);
    assert_int_equal(st.id, 9);
    model_status_clear(&st);
    assert_int_equal(store_find_status(f->s, "9", &st), 1);
    assert_int_equal(st.id, 9);
    model_status_clear(&st);
    assert_int_equal(store_find_status(f->s, "closed", &st), 1); /* built-in fallback */
    assert_int_equal(st.id, 5);
    model_status_clear(&st);
    assert_int_equal(store_find_status(f->s, "bogus", &st), 0);

    assert_int_equal(store_get_me(f->s, &a), 0);
    assert_int_equal(store_set_me(f->s, 2), 0);
    assert_int_equal(store_get_me(f->s, &a), 1);
    assert_string_equal(a.email, "anna@example.com");
    model_agent_clear(&a);

    struct fd_agent *list;
    size_t n;
    assert_int_equal(store_list_agents(f->s, &list, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "Ann Smith");
    assert_string_equal(list[2].name, "Bob Brown");
    for (size_t i = 0; i < n; i++)
        model_agent_clear(&list[i]);
    free(list);
    struct fd_status *sl;
    assert_int_equal(store_list_statuses(f->s, &sl, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(sl[2].agent_label, "Waiting on Customer");
    for (size_t i = 0; i < n; i++)
        model_status_clear(&sl[i]);
    free(sl);
}

static void counters_follow_reassignment_and_status(void **state)
{
    struct fixture *f = *state;
    struct fd_agent me = {.id = 42, .name = "Me", .email = "me@example.com"};
    struct fd_ticket t;

    assert_int_equal(store_upsert_agent(f->s, &me), 0);
    assert_int_equal(store_set_me(f->s, 42), 0);
    for (int i = 1; i <= 4; i++) {
        test_ticket(&t, i, i == 4 ? 4 : 2, 1, 1000, "x");
        t.responder_id = i % 2 ? 42 : 0;
        assert_int_equal(test_put(f->s, &t), 1);
    }
    assert_int_equal(count_query(f->s, "agent:me AND status:unresolved", NULL), 2);
    assert_int_equal(count_query(f->s, "agent:none AND status:unresolved", NULL), 1);
    assert_int_equal(count_query(f->s, "status:open AND (agent:none OR agent:me)", NULL), 3);
    assert_int_equal(count_query(f->s, "agent:me@example.com", NULL), 2);
    /* ticket 2 gets assigned to me, ticket 1 resolved */
    test_ticket(&t, 2, 2, 1, 2000, "x");
    t.responder_id = 42;
    assert_int_equal(test_put(f->s, &t), 1);
    test_ticket(&t, 1, 4, 1, 2000, "x");
    t.responder_id = 42;
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(count_query(f->s, "agent:me AND status:unresolved", NULL), 2);
    assert_int_equal(count_query(f->s, "agent:none", NULL), 1); /* ticket 4, resolved */
    assert_int_equal(count_query(f->s, "status:resolved", NULL), 2);
    assert_int_equal(count_query(f->s, NULL, NULL), 4);
}

static void sync_state_round_trips(void **state)
{
    struct fixture *f = *state;
    char *v;
    int64_t n;

    assert_int_equal(store_sync_get(f->s, "cursor", &v), 0);
    assert_null(v);
    assert_int_equal(store_sync_set(f->s, "cursor", "2026-01-01T00:00:00Z"), 0);
    assert_int_equal(store_sync_get(f->s, "cursor", &v), 1);
    assert_string_equal(v, "2026-01-01T00:00:00Z");
    free(v);
    assert_int_equal(store_sync_get_int(f->s, "pages", &n, -7), 0);
    assert_int_equal(n, -7);
    assert_int_equal(store_sync_set_int(f->s, "pages", 1234567890123LL), 0);
    assert_int_equal(store_sync_get_int(f->s, "pages", &n, 0), 0);
    assert_int_equal(n, 1234567890123LL);
    assert_int_equal(store_sync_set(f->s, "pages", "junk"), 0);
    assert_int_equal(store_sync_get_int(f->s, "pages", &n, 5), 0);
    assert_int_equal(n, 5);
}

static void tags_are_listed_by_use_and_follow_changes(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    struct fd_string_list tags = {0};

    for (int i = 1; i <= 3; i++) {
        test_ticket(&t, i, 2, 1, 1000, "x");
        model_string_list_add(&t.tags, "vip");
        if (i == 1)
            model_string_list_add(&t.tags, "refund");
        assert_int_equal(test_put(f->s, &t), 1);
    }
    assert_int_equal(store_list_tags(f->s, NULL, 10, &tags), 0);
    assert_int_equal(tags.count, 2);
    assert_string_equal(tags.items[0], "vip");
    assert_string_equal(tags.items[1], "refund");
    model_string_list_clear(&tags);
    assert_int_equal(store_list_tags(f->s, "re", 10, &tags), 0);
    assert_int_equal(tags.count, 1);
    model_string_list_clear(&tags);
    assert_int_equal(count_query(f->s, "tag:VIP", NULL), 3);
    /* ticket 1 loses its tags */
    test_ticket(&t, 1, 2, 1, 2000, "x");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(count_query(f->s, "tag:vip", NULL), 2);
    assert_int_equal(count_query(f->s, "tag:refund", NULL), 0);
    struct store_ticket_detail d;
    assert_int_equal(store_get_ticket(f->s, 2, &d), 1);
    assert_int_equal(d.ticket.tags.count, 1);
    assert_string_equal(d.ticket.tags.items[0], "vip");
    store_ticket_detail_clear(&d);
}

static void ticket_json_embeds_requester_company_and_description(void **state)
{
    struct fixture *f = *state;
    struct fd_ticket t;
    char *json;

    test_ticket(&t, 8, 2, 1, 1000, "json");
    test_requester(&t, 500, "Rita \"Q\" Requester", "rita@example.com");
    test_company(&t, 600, "Acme");
    t.description_text = strdup("line one\nline two");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(store_ticket_json(f->s, 8, &json), 1);
    assert_non_null(strstr(json, "\"id\":8"));
    assert_non_null(
        strstr(json, "\"requester\":{\"id\":500,\"name\":\"Rita \\\"Q\\\" Requester\""));
    assert_non_null(strstr(json, "\"company\":{\"id\":600,\"name\":\"Acme\"}"));
    assert_non_null(strstr(json, "\"description_text\":\"line one\\nline two\""));
    free(json);
    assert_int_equal(store_ticket_json(f->s, 9, &json), 0);

    struct store_rows rows = {0};
    struct store_query q = {.sort = STORE_SORT_UPDATED, .with_json = true};
    assert_int_equal(store_window(f->s, &q, NULL, STORE_AFTER, 5, &rows), 0);
    assert_int_equal(rows.count, 1);
    assert_non_null(strstr(rows.rows[0].json, "\"company\":{\"id\":600,\"name\":\"Acme\"}"));
    store_rows_clear(&rows);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(upsert_never_goes_back_in_time),
        T(description_survives_list_copies),
        T(embedded_requester_and_company_name_the_rows),
        T(gone_tickets_leave_views_and_do_not_come_back_from_old_copies),
        T(conversations_are_replaced_ordered_and_searchable),
        T(agents_groups_and_statuses_are_found_by_what_people_type),
        T(counters_follow_reassignment_and_status),
        T(sync_state_round_trips),
        T(tags_are_listed_by_use_and_follow_changes),
        T(ticket_json_embeds_requester_company_and_description),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
