/* test_store_window.c: keyset windows walk every sort order forwards and
 * backwards with no row missed or repeated (also across ties on the sort
 * key), positions and counts agree with the order, filters and the FTS
 * narrowing select the right rows. The expected orders are computed here in
 * C from the same data, independently of SQL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "src/views.h"
#include "tests/store/helpers.h"

#define N    250
#define BASE 1780000000

struct expect {
    fd_id id;
    int status, priority;
    fd_time updated, created, due;
};

static struct expect data[N];
static enum store_sort current_sort;

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

/* The documented order of each sort, written out independently. */
static int compare(const void *pa, const void *pb)
{
    const struct expect *a = pa, *b = pb;
    int c = 0;
    switch (current_sort) {
    case STORE_SORT_UPDATED:
        c = -cmp_i64(a->updated, b->updated);
        return c ? c : -cmp_i64(a->id, b->id);
    case STORE_SORT_CREATED:
        c = -cmp_i64(a->created, b->created);
        return c ? c : -cmp_i64(a->id, b->id);
    case STORE_SORT_DUE:
        c = cmp_i64(a->due ? a->due : INT64_MAX, b->due ? b->due : INT64_MAX);
        return c ? c : cmp_i64(a->id, b->id);
    case STORE_SORT_PRIORITY:
        c = -cmp_i64(a->priority, b->priority);
        c = c ? c : -cmp_i64(a->updated, b->updated);
        return c ? c : -cmp_i64(a->id, b->id);
    case STORE_SORT_STATUS:
        c = cmp_i64(a->status, b->status);
        c = c ? c : -cmp_i64(a->updated, b->updated);
        return c ? c : cmp_i64(a->id, b->id);
    default:
        return 0;
    }
}

struct fixture {
    struct test_cache cache;
    struct store *s;
};

static int setup(void **state)
{
    static const int statuses[] = {2, 3, 4, 5, 6};
    struct fixture *f = calloc(1, sizeof *f);
    test_cache_init(&f->cache);
    f->s = test_open(f->cache.path);
    assert_non_null(f->s);
    assert_int_equal(store_begin(f->s), 0);
    for (int i = 0; i < N; i++) {
        struct fd_ticket t;
        struct expect *e = &data[i];
        e->id = 1000 + (i * 37) % N; /* ids not in insertion order */
        e->status = statuses[i % 5];
        e->priority = 1 + (i * 3) % 4;
        e->updated = BASE + (i * 7 % 40) * 60; /* ~6 tickets share each updated_at */
        e->created = BASE - (i * 11 % 50) * 100;
        e->due = i % 9 == 0 ? 0 : BASE + (i * 13 % 30) * 3600;
        test_ticket(&t, e->id, e->status, e->priority, e->updated,
                    i % 10 == 0 ? "Printer on fire" : "Password reset");
        t.created_at = e->created;
        t.due_by = e->due;
        assert_int_equal(test_put(f->s, &t), 1);
    }
    assert_int_equal(store_commit(f->s), 0);
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

/* Expected ids for a sort, filtered by keep (NULL = all). */
static size_t expected_order(enum store_sort sort, bool (*keep)(const struct expect *), fd_id *ids)
{
    struct expect copy[N];
    size_t n = 0;
    for (int i = 0; i < N; i++)
        if (!keep || keep(&data[i]))
            copy[n++] = data[i];
    current_sort = sort;
    qsort(copy, n, sizeof copy[0], compare);
    for (size_t i = 0; i < n; i++)
        ids[i] = copy[i].id;
    return n;
}

/* Walks the whole list in windows of `step` rows; returns the ids seen. */
static size_t walk(struct store *s, const struct store_query *q, enum store_direction dir,
                   size_t step, fd_id *seen)
{
    struct store_rows rows = {0};
    struct store_anchor anchor;
    bool have_anchor = false;
    size_t n = 0;

    for (;;) {
        assert_int_equal(store_window(s, q, have_anchor ? &anchor : NULL, dir, step, &rows), 0);
        if (rows.count == 0)
            break;
        assert_true(n + rows.count <= N);
        if (dir == STORE_AFTER) {
            for (size_t i = 0; i < rows.count; i++)
                seen[n + i] = rows.rows[i].id;
            anchor = rows.rows[rows.count - 1].anchor;
        } else {
            /* BEFORE windows come in list order: they stack up in front. */
            memmove(seen + rows.count, seen, n * sizeof *seen);
            for (size_t i = 0; i < rows.count; i++)
                seen[i] = rows.rows[i].id;
            anchor = rows.rows[0].anchor;
        }
        n += rows.count;
        have_anchor = true;
    }
    store_rows_clear(&rows);
    return n;
}

static void windows_walk_every_order_forward_and_backward(void **state)
{
    struct fixture *f = *state;
    fd_id want[N], got[N];

    for (int sort = 0; sort < STORE_SORT_COUNT; sort++) {
        struct store_query q = {.sort = (enum store_sort)sort, .now = BASE};
        size_t n = expected_order((enum store_sort)sort, NULL, want);
        for (size_t step = 1; step <= 64; step = step * 3 + 1) {
            assert_int_equal(walk(f->s, &q, STORE_AFTER, step, got), n);
            assert_memory_equal(got, want, n * sizeof *want);
            assert_int_equal(walk(f->s, &q, STORE_BEFORE, step, got), n);
            assert_memory_equal(got, want, n * sizeof *want);
        }
    }
}

static void window_before_a_middle_anchor_returns_the_rows_just_above(void **state)
{
    struct fixture *f = *state;
    fd_id want[N];
    struct store_rows rows = {0};
    struct store_query q = {.sort = STORE_SORT_PRIORITY};
    size_t n = expected_order(STORE_SORT_PRIORITY, NULL, want);
    struct store_anchor a;

    assert_true(n > 120);
    assert_int_equal(store_anchor_for(f->s, STORE_SORT_PRIORITY, want[100], &a), 1);
    assert_int_equal(store_window(f->s, &q, &a, STORE_BEFORE, 10, &rows), 0);
    assert_int_equal(rows.count, 10);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(rows.rows[i].id, want[90 + i]);
    assert_int_equal(store_window(f->s, &q, &a, STORE_AFTER, 5, &rows), 0);
    assert_int_equal(rows.count, 5);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(rows.rows[i].id, want[101 + i]);
    store_rows_clear(&rows);
}

static void position_and_count_agree_with_the_order(void **state)
{
    struct fixture *f = *state;
    fd_id want[N];

    for (int sort = 0; sort < STORE_SORT_COUNT; sort++) {
        struct store_query q = {.sort = (enum store_sort)sort};
        size_t n = expected_order((enum store_sort)sort, NULL, want), count = 0;
        assert_int_equal(store_count(f->s, &q, &count), 0);
        assert_int_equal(count, n);
        for (size_t i = 0; i < n; i += 17) {
            struct store_anchor a;
            size_t pos = 999;
            assert_int_equal(store_anchor_for(f->s, (enum store_sort)sort, want[i], &a), 1);
            assert_int_equal(store_position(f->s, &q, &a, &pos), 0);
            assert_int_equal(pos, i);
        }
    }
}

static void reversed_lists_walk_and_count_backwards_in_every_order(void **state)
{
    struct fixture *f = *state;
    fd_id want[N], got[N], backwards[N];

    for (int sort = 0; sort < STORE_SORT_COUNT; sort++) {
        struct store_query q = {.sort = (enum store_sort)sort, .reverse = true, .now = BASE};
        size_t n = expected_order((enum store_sort)sort, NULL, want);
        for (size_t i = 0; i < n; i++)
            backwards[i] = want[n - 1 - i];
        for (size_t step = 1; step <= 64; step = step * 3 + 1) {
            assert_int_equal(walk(f->s, &q, STORE_AFTER, step, got), n);
            assert_memory_equal(got, backwards, n * sizeof *got);
            assert_int_equal(walk(f->s, &q, STORE_BEFORE, step, got), n);
            assert_memory_equal(got, backwards, n * sizeof *got);
        }
        for (size_t i = 0; i < n; i += 13) {
            struct store_anchor a;
            size_t pos = 999;
            assert_int_equal(store_anchor_for(f->s, (enum store_sort)sort, backwards[i], &a), 1);
            assert_int_equal(store_position(f->s, &q, &a, &pos), 0);
            assert_int_equal(pos, i);
        }
    }
}

static bool is_open_or_pending(const struct expect *e)
{
    return e->status == 2 || e->status == 3;
}

static void filtered_windows_keep_order_and_count(void **state)
{
    struct fixture *f = *state;
    fd_id want[N], got[N];
    char err[128];
    struct view_expr *e = view_parse("status:open OR status:pending", err, sizeof err, NULL);
    assert_non_null(e);

    for (int sort = 0; sort < STORE_SORT_COUNT; sort++) {
        struct store_query q = {.sort = (enum store_sort)sort, .filter = e};
        size_t n = expected_order((enum store_sort)sort, is_open_or_pending, want), count;
        assert_int_equal(walk(f->s, &q, STORE_AFTER, 7, got), n);
        assert_memory_equal(got, want, n * sizeof *want);
        assert_int_equal(store_count(f->s, &q, &count), 0);
        assert_int_equal(count, n);
    }
    view_expr_free(e);
}

static void search_narrows_by_prefix_of_subject_words(void **state)
{
    struct fixture *f = *state;
    struct store_rows rows = {0};
    struct store_query q = {.sort = STORE_SORT_UPDATED, .search = "print fi"};
    size_t count = 0, expected = 0;

    for (int i = 0; i < N; i++)
        expected += i % 10 == 0;
    assert_int_equal(store_count(f->s, &q, &count), 0);
    assert_int_equal(count, expected);
    assert_int_equal(store_window(f->s, &q, NULL, STORE_AFTER, N, &rows), 0);
    assert_int_equal(rows.count, expected);
    for (size_t i = 0; i < rows.count; i++)
        assert_string_equal(rows.rows[i].subject, "Printer on fire");
    /* a word that is in no ticket */
    q.search = "printer water";
    assert_int_equal(store_window(f->s, &q, NULL, STORE_AFTER, N, &rows), 0);
    assert_int_equal(rows.count, 0);
    store_rows_clear(&rows);
}

static bool is_printer(const struct expect *e)
{
    return (e - data) % 10 == 0;
}

static void search_narrowed_windows_walk_both_ways_in_every_order(void **state)
{
    struct fixture *f = *state;
    fd_id want[N], got[N];

    for (int sort = 0; sort < STORE_SORT_COUNT; sort++) {
        struct store_query q = {.sort = (enum store_sort)sort, .search = "printer"};
        size_t n = expected_order((enum store_sort)sort, is_printer, want);
        assert_int_equal(walk(f->s, &q, STORE_AFTER, 3, got), n);
        assert_memory_equal(got, want, n * sizeof *want);
        assert_int_equal(walk(f->s, &q, STORE_BEFORE, 4, got), n);
        assert_memory_equal(got, want, n * sizeof *want);
    }
}

static void search_text_with_fts_syntax_is_taken_literally(void **state)
{
    struct fixture *f = *state;
    struct store_rows rows = {0};
    static const char *const nasty[] = {"\"",       "pass\"word", "NEAR(",  "a OR", "*",
                                        "'); DROP", "col:x",      "^reset", "-",    "\"\"\""};
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
        struct store_query q = {.sort = STORE_SORT_UPDATED, .search = nasty[i]};
        size_t count;
        assert_int_equal(store_window(f->s, &q, NULL, STORE_AFTER, 5, &rows), 0);
        assert_int_equal(store_count(f->s, &q, &count), 0);
    }
    /* "reset" after punctuation still matches as a word */
    struct store_query q = {.sort = STORE_SORT_UPDATED, .search = "(reset"};
    assert_int_equal(store_window(f->s, &q, NULL, STORE_AFTER, 5, &rows), 0);
    assert_int_equal(rows.count, 5);
    store_rows_clear(&rows);
}

static void counts_follow_writes_through_the_counter(void **state)
{
    struct fixture *f = *state;
    struct store_query all = {.sort = STORE_SORT_UPDATED};
    size_t before, after;
    struct fd_ticket t;

    assert_int_equal(store_count(f->s, &all, &before), 0);
    assert_int_equal(store_mark_ticket_gone(f->s, data[3].id), 1);
    assert_int_equal(store_mark_ticket_gone(f->s, data[3].id), 0);
    assert_int_equal(store_count(f->s, &all, &after), 0);
    assert_int_equal(after, before - 1);
    test_ticket(&t, 99999, 2, 1, BASE, "new");
    assert_int_equal(test_put(f->s, &t), 1);
    assert_int_equal(store_count(f->s, &all, &after), 0);
    assert_int_equal(after, before);
    /* the gone ticket is in no window */
    struct store_rows rows = {0};
    assert_int_equal(store_window(f->s, &all, NULL, STORE_AFTER, N + 10, &rows), 0);
    assert_int_equal(rows.count, before);
    for (size_t i = 0; i < rows.count; i++)
        assert_true(rows.rows[i].id != data[3].id);
    store_rows_clear(&rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(windows_walk_every_order_forward_and_backward, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(window_before_a_middle_anchor_returns_the_rows_just_above,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(position_and_count_agree_with_the_order, setup, teardown),
        cmocka_unit_test_setup_teardown(reversed_lists_walk_and_count_backwards_in_every_order,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(filtered_windows_keep_order_and_count, setup, teardown),
        cmocka_unit_test_setup_teardown(search_narrows_by_prefix_of_subject_words, setup, teardown),
        cmocka_unit_test_setup_teardown(search_narrowed_windows_walk_both_ways_in_every_order,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(search_text_with_fts_syntax_is_taken_literally, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(counts_follow_writes_through_the_counter, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
