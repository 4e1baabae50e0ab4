# The test suite. Every test prints TAP. Each area keeps its own fragment.
EXTRA_DIST += tests/fixtures tests/lib/tap.sh

TESTS += tests/layout/core-has-no-curses.sh tests/build/configure-missing-dep.sh \
	tests/layout/man-pages-lint.sh tests/layout/cli-entry-points.sh tests/layout/clang-format.sh
EXTRA_DIST += tests/layout/clang-format.sh tests/layout/core-has-no-curses.sh tests/build/configure-missing-dep.sh \
	tests/layout/man-pages-lint.sh tests/layout/cli-entry-points.sh

check_PROGRAMS += tests/test_log
tests_test_log_SOURCES = tests/test_log.c
tests_test_log_CFLAGS = $(TEST_CFLAGS)
tests_test_log_LDADD = $(TEST_LIBS)
TESTS += tests/test_log

include tests/sim/local.mk
include tests/api/local.mk
include tests/store/local.mk
include tests/text/local.mk
include tests/ui/local.mk
include tests/e2e/local.mk
include tests/sync/local.mk
include tests/outbox/local.mk
include tests/valgrind.mk

# The tests that exercise threads; CI runs them in a --enable-tsan build.
THREAD_TESTS = tests/sync/test_events tests/sync/test_jobs tests/sync/test_sync_engine \
	tests/sync/sync-cli.sh
check-threads:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$(THREAD_TESTS)"
.PHONY: check-threads
