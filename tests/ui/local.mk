# Tests for the ui area (included from tests/local.mk): the parts of the UI
# that need no terminal.
check_PROGRAMS += tests/ui/test_layout
tests_ui_test_layout_SOURCES = tests/ui/test_layout.c ui/layout.c ui/layout.h
tests_ui_test_layout_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_ui_test_layout_LDADD = $(CMOCKA_LIBS)
TESTS += tests/ui/test_layout
