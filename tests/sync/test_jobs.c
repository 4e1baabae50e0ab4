/* test_jobs.c: the sync thread's job queue serves interactive work before
 * prefetching before background paging, keeps FIFO order within a priority,
 * never queues the same job twice, bounds prefetches, and stops waiters. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/jobs.h"

static void interactive_jumps_ahead_of_prefetch_and_background(void **state)
{
    struct jobs *q = jobs_new();
    struct fd_job job;

    jobs_push_sync(q, false);
    jobs_push_conversations(q, 10, JOB_PREFETCH);
    jobs_push_conversations(q, 11, JOB_PREFETCH);
    jobs_push_outbox(q, 5);
    jobs_push_conversations(q, 12, JOB_INTERACTIVE);

    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.kind, JOB_OUTBOX);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.kind, JOB_CONVERSATIONS);
    assert_int_equal(job.ticket_id, 12);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.ticket_id, 10);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.ticket_id, 11);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.kind, JOB_SYNC);
    assert_false(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    jobs_free(q);
}

static void pop_can_be_limited_to_urgent_jobs(void **state)
{
    struct jobs *q = jobs_new();
    struct fd_job job;

    jobs_push_sync(q, true);
    assert_false(jobs_pop(q, &job, JOB_PREFETCH, 0));
    assert_int_equal(jobs_pending(q, JOB_INTERACTIVE), 0);
    assert_int_equal(jobs_pending(q, JOB_BACKGROUND), 1);
    jobs_push_conversations(q, 3, JOB_PREFETCH);
    assert_true(jobs_pop(q, &job, JOB_PREFETCH, 0));
    assert_int_equal(job.ticket_id, 3);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.kind, JOB_SYNC_FULL);
    jobs_free(q);
}

static void a_repeated_job_is_queued_once_and_promoted(void **state)
{
    struct jobs *q = jobs_new();
    struct fd_job job;

    jobs_push_conversations(q, 42, JOB_PREFETCH);
    jobs_push_conversations(q, 43, JOB_PREFETCH);
    jobs_push_conversations(q, 42, JOB_PREFETCH);
    jobs_push_sync(q, false);
    jobs_push_sync(q, false);
    assert_int_equal(jobs_pending(q, JOB_BACKGROUND), 3);
    jobs_push_conversations(q, 43, JOB_INTERACTIVE); /* the agent opened it */
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.ticket_id, 43);
    assert_int_equal(job.priority, JOB_INTERACTIVE);
    jobs_free(q);
}

static void prefetches_are_bounded_dropping_the_oldest(void **state)
{
    struct jobs *q = jobs_new();
    struct fd_job job;

    for (int i = 1; i <= JOBS_MAX_PREFETCH + 10; i++)
        jobs_push_conversations(q, i, JOB_PREFETCH);
    assert_int_equal(jobs_pending(q, JOB_PREFETCH), JOBS_MAX_PREFETCH);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 0));
    assert_int_equal(job.ticket_id, 11);
    jobs_clear_prefetch(q);
    assert_int_equal(jobs_pending(q, JOB_BACKGROUND), 0);
    jobs_free(q);
}

static void *stop_later(void *arg)
{
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    jobs_stop(arg);
    return NULL;
}

static void stop_wakes_a_waiting_consumer_and_refuses_new_jobs(void **state)
{
    struct jobs *q = jobs_new();
    struct fd_job job;
    pthread_t t;

    assert_false(jobs_stopping(q));
    pthread_create(&t, NULL, stop_later, q);
    assert_false(jobs_pop(q, &job, JOB_BACKGROUND, -1)); /* returns only because of stop */
    pthread_join(t, NULL);
    assert_true(jobs_stopping(q));
    assert_int_not_equal(*jobs_cancel_flag(q), 0);
    assert_int_equal(jobs_push_sync(q, false), -1);
    jobs_free(q);
}

static void *push_later(void *arg)
{
    struct timespec ts = {0, 30 * 1000000L};
    nanosleep(&ts, NULL);
    jobs_push_outbox(arg, 9);
    return NULL;
}

static void a_waiting_consumer_gets_a_job_pushed_later(void **state)
{
    struct jobs *q = jobs_new();
    struct fd_job job;
    pthread_t t;

    assert_false(jobs_pop(q, &job, JOB_BACKGROUND, 10)); /* times out */
    pthread_create(&t, NULL, push_later, q);
    assert_true(jobs_pop(q, &job, JOB_BACKGROUND, 10000));
    assert_int_equal(job.item, 9);
    pthread_join(t, NULL);
    jobs_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interactive_jumps_ahead_of_prefetch_and_background),
        cmocka_unit_test(pop_can_be_limited_to_urgent_jobs),
        cmocka_unit_test(a_repeated_job_is_queued_once_and_promoted),
        cmocka_unit_test(prefetches_are_bounded_dropping_the_oldest),
        cmocka_unit_test(stop_wakes_a_waiting_consumer_and_refuses_new_jobs),
        cmocka_unit_test(a_waiting_consumer_gets_a_job_pushed_later),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
