/* test_events.c: the sync-to-UI event queue keeps order, coalesces bursts,
 * signals through its wake fd exactly while events are pending, and survives
 * many producers at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/events.h"

static bool fd_readable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

static void events_come_out_in_the_order_they_went_in(void **state)
{
    struct events *q = events_new();
    struct fd_event ev;

    assert_non_null(q);
    events_post_conversations(q, 7);
    events_post_error(q, "boom %d", 1);
    events_post_conversations(q, 8);
    assert_int_equal(events_pending(q), 3);
    assert_true(events_pop(q, &ev));
    assert_int_equal(ev.type, FD_EVENT_CONVERSATIONS);
    assert_int_equal(ev.u.ticket_id, 7);
    assert_true(events_pop(q, &ev));
    assert_int_equal(ev.type, FD_EVENT_ERROR);
    assert_string_equal(ev.message, "boom 1");
    assert_true(events_pop(q, &ev));
    assert_int_equal(ev.u.ticket_id, 8);
    assert_false(events_pop(q, &ev));
    events_free(q);
}

static void wake_fd_is_readable_exactly_while_events_are_pending(void **state)
{
    struct events *q = events_new();
    struct fd_event ev;
    int flags = fcntl(events_fd(q), F_GETFL);
    int fdflags = fcntl(events_fd(q), F_GETFD);

    assert_true(flags & O_NONBLOCK);
    assert_true(fdflags & FD_CLOEXEC);
    assert_false(fd_readable(events_fd(q)));
    events_post_conversations(q, 1);
    assert_true(fd_readable(events_fd(q)));
    events_post_conversations(q, 2);
    assert_true(events_pop(q, &ev));
    assert_true(fd_readable(events_fd(q))); /* one still pending */
    assert_true(events_pop(q, &ev));
    assert_false(fd_readable(events_fd(q)));
    events_free(q);
}

static void progress_at_the_tail_is_replaced_not_queued(void **state)
{
    struct events *q = events_new();
    struct fd_event ev = {.type = FD_EVENT_PROGRESS}, out;

    for (int i = 1; i <= 100; i++) {
        ev.u.progress.pages_done = i;
        events_push(q, &ev);
    }
    assert_int_equal(events_pending(q), 1);
    events_post_error(q, "x");
    ev.u.progress.pages_done = 101;
    events_push(q, &ev);
    assert_int_equal(events_pending(q), 3); /* not merged across the error */
    assert_true(events_pop(q, &out));
    assert_int_equal(out.u.progress.pages_done, 100);
    assert_true(events_pop(q, &out));
    assert_int_equal(out.type, FD_EVENT_ERROR);
    assert_true(events_pop(q, &out));
    assert_int_equal(out.u.progress.pages_done, 101);
    events_free(q);
}

static void ticket_changes_merge_ids_and_ranges(void **state)
{
    struct events *q = events_new();
    struct fd_event out;

    for (int i = 1; i <= 40; i++)
        events_post_ticket(q, 1000 + i, 5000 - i, i == 20);
    assert_int_equal(events_pending(q), 1);
    assert_true(events_pop(q, &out));
    assert_int_equal(out.type, FD_EVENT_TICKETS_CHANGED);
    assert_int_equal(out.u.tickets.count, 40);
    assert_int_equal(out.u.tickets.id_count, EVENTS_MAX_IDS);
    assert_int_equal(out.u.tickets.ids[0], 1001);
    assert_int_equal(out.u.tickets.min_id, 1001);
    assert_int_equal(out.u.tickets.max_id, 1040);
    assert_int_equal(out.u.tickets.updated_min, 4960);
    assert_int_equal(out.u.tickets.updated_max, 4999);
    assert_true(out.u.tickets.removed);
    events_free(q);
}

static void wait_times_out_on_an_empty_queue(void **state)
{
    struct events *q = events_new();
    struct fd_event out;

    assert_false(events_wait(q, &out, 20));
    assert_false(events_wait(q, &out, 0));
    events_post_conversations(q, 3);
    assert_true(events_wait(q, &out, 0));
    events_free(q);
}

#define PRODUCERS    8
#define PER_PRODUCER 2000

struct producer {
    struct events *q;
    int index;
    int failures; /* cmocka asserts are not thread-safe: count instead */
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    for (int i = 0; i < PER_PRODUCER; i++) {
        struct fd_event ev = {.type = FD_EVENT_CONVERSATIONS};
        ev.u.ticket_id = (fd_id)p->index * 1000000 + i;
        if (events_push(p->q, &ev) != 0)
            p->failures++;
    }
    return NULL;
}

static void many_producers_lose_nothing_and_keep_each_producers_order(void **state)
{
    struct events *q = events_new();
    pthread_t threads[PRODUCERS];
    struct producer prod[PRODUCERS];
    int next[PRODUCERS] = {0};
    int received = 0;
    struct fd_event ev;

    for (int i = 0; i < PRODUCERS; i++) {
        prod[i] = (struct producer){q, i, 0};
        pthread_create(&threads[i], NULL, produce, &prod[i]);
    }
    while (received < PRODUCERS * PER_PRODUCER) {
        struct pollfd p = {.fd = events_fd(q), .events = POLLIN};
        assert_true(poll(&p, 1, 5000) == 1); /* the wake fd never misses a push */
        while (events_pop(q, &ev)) {
            int who = (int)(ev.u.ticket_id / 1000000);
            int seq = (int)(ev.u.ticket_id % 1000000);
            assert_int_equal(ev.type, FD_EVENT_CONVERSATIONS);
            assert_in_range(who, 0, PRODUCERS - 1);
            assert_int_equal(seq, next[who]);
            next[who]++;
            received++;
        }
    }
    for (int i = 0; i < PRODUCERS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(prod[i].failures, 0);
    }
    assert_false(events_pop(q, &ev));
    assert_false(fd_readable(events_fd(q)));
    events_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(events_come_out_in_the_order_they_went_in),
        cmocka_unit_test(wake_fd_is_readable_exactly_while_events_are_pending),
        cmocka_unit_test(progress_at_the_tail_is_replaced_not_queued),
        cmocka_unit_test(ticket_changes_merge_ids_and_ranges),
        cmocka_unit_test(wait_times_out_on_an_empty_queue),
        cmocka_unit_test(many_producers_lose_nothing_and_keep_each_producers_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
