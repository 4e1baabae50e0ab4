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

# The engine against an in-process fdesk-sim on 127.0.0.1.
check_PROGRAMS += tests/sync/test_sync_engine
tests_sync_test_sync_engine_SOURCES = tests/sync/test_sync_engine.c
tests_sync_test_sync_engine_CFLAGS = $(TEST_CFLAGS) $(MHD_CFLAGS)
tests_sync_test_sync_engine_LDADD = $(TEST_LIBS) $(FDSIM_LIBS)
TESTS += tests/sync/test_sync_engine

# `fdesk sync` as a user runs it, against fdesk-sim.
TESTS += tests/sync/sync-cli.sh
EXTRA_DIST += tests/sync/sync-cli.sh
