# Tests for the store area (included from tests/local.mk).
EXTRA_DIST += tests/store/helpers.h tests/store/cmd-list-show.sh

check_PROGRAMS += tests/store/test_store_window tests/store/test_store_open \
	tests/store/test_store_write tests/store/test_views tests/store/make_cache
tests_store_test_store_window_SOURCES = tests/store/test_store_window.c
tests_store_test_store_window_CFLAGS = $(TEST_CFLAGS)
tests_store_test_store_window_LDADD = $(TEST_LIBS)
tests_store_test_store_open_SOURCES = tests/store/test_store_open.c
tests_store_test_store_open_CFLAGS = $(TEST_CFLAGS)
tests_store_test_store_open_LDADD = $(TEST_LIBS)
tests_store_test_store_write_SOURCES = tests/store/test_store_write.c
tests_store_test_store_write_CFLAGS = $(TEST_CFLAGS)
tests_store_test_store_write_LDADD = $(TEST_LIBS)
tests_store_test_views_SOURCES = tests/store/test_views.c
tests_store_test_views_CFLAGS = $(TEST_CFLAGS)
tests_store_test_views_LDADD = $(TEST_LIBS)
TESTS += tests/store/test_store_window tests/store/test_store_open tests/store/test_store_write \
	tests/store/test_views
tests_store_make_cache_SOURCES = tests/store/make_cache.c
tests_store_make_cache_CFLAGS = $(TEST_CFLAGS)
tests_store_make_cache_LDADD = $(TEST_LIBS)
TESTS += tests/store/cmd-list-show.sh
TESTS += tests/store/search-cli.sh
EXTRA_DIST += tests/store/search-cli.sh
