# Tests for the sync area (included from tests/local.mk).
check_PROGRAMS += tests/sync/test_events
tests_sync_test_events_SOURCES = tests/sync/test_events.c
tests_sync_test_events_CFLAGS = $(TEST_CFLAGS)
tests_sync_test_events_LDADD = $(TEST_LIBS)
TESTS += tests/sync/test_events

check_PROGRAMS += tests/sync/test_jobs
tests_sync_test_jobs_SOURCES = tests/sync/test_jobs.c
tests_sync_test_jobs_CFLAGS = $(TEST_CFLAGS)
tests_sync_test_jobs_LDADD = $(TEST_LIBS)
TESTS += tests/sync/test_jobs
