# Tests for the sync area (included from tests/local.mk).
# They must also pass under ThreadSanitizer:
#     mkdir build-sync-tsan && cd build-sync-tsan && ../configure --enable-tsan && make -j2 &&
#     make check TESTS="tests/sync/test_events tests/sync/test_jobs tests/sync/test_sync_engine tests/sync/sync-cli.sh"
# No TSan suppressions are needed (none for fdesk's code, and none so far for
# libcurl, SQLite, cJSON or libmicrohttpd either); add one only for a
# third-party library, with the reason, in tests/sync/tsan.supp.
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
