# Tests for the text area (included from tests/local.mk).
check_PROGRAMS += tests/text/test_sanitize tests/text/test_width tests/text/test_html \
	tests/text/test_keymap tests/text/test_text_props tests/text/print_actions
tests_text_test_sanitize_SOURCES = tests/text/test_sanitize.c
tests_text_test_sanitize_CFLAGS = $(TEST_CFLAGS)
tests_text_test_sanitize_LDADD = $(TEST_LIBS)
tests_text_test_width_SOURCES = tests/text/test_width.c
tests_text_test_width_CFLAGS = $(TEST_CFLAGS)
tests_text_test_width_LDADD = $(TEST_LIBS)
tests_text_test_html_SOURCES = tests/text/test_html.c
tests_text_test_html_CFLAGS = $(TEST_CFLAGS)
tests_text_test_html_LDADD = $(TEST_LIBS)
tests_text_test_keymap_SOURCES = tests/text/test_keymap.c
tests_text_test_keymap_CFLAGS = $(TEST_CFLAGS)
tests_text_test_keymap_LDADD = $(TEST_LIBS)
tests_text_test_text_props_SOURCES = tests/text/test_text_props.c
tests_text_test_text_props_CFLAGS = $(TEST_CFLAGS)
tests_text_test_text_props_LDADD = $(TEST_LIBS)
# Not a test by itself: man-actions.sh compares its output with fdesk.conf(5).
tests_text_print_actions_SOURCES = tests/text/print_actions.c
tests_text_print_actions_CFLAGS = $(TEST_CFLAGS)
tests_text_print_actions_LDADD = $(TEST_LIBS)

TESTS += tests/text/test_sanitize tests/text/test_width tests/text/test_html \
	tests/text/test_keymap tests/text/test_text_props tests/text/man-actions.sh tests/text/list-actions.sh
EXTRA_DIST += tests/text/man-actions.sh tests/text/list-actions.sh
