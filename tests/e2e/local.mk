# Tests for the e2e area (included from tests/local.mk): fdesk in a
# pseudo-terminal against fdesk-sim, the screen read back through libvterm.
check_LIBRARIES += tests/e2e/libterm.a
tests_e2e_libterm_a_SOURCES = tests/e2e/term.c tests/e2e/term.h
tests_e2e_libterm_a_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS)
E2E_LIBS = tests/e2e/libterm.a $(VTERM_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/e2e/test_term
tests_e2e_test_term_SOURCES = tests/e2e/test_term.c
tests_e2e_test_term_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS) $(CMOCKA_CFLAGS)
tests_e2e_test_term_LDADD = $(E2E_LIBS)
TESTS += tests/e2e/test_term

# fdesk in a pty against fdesk-sim (each test program runs in a few seconds).
check_PROGRAMS += tests/e2e/test_tui tests/e2e/test_live
tests_e2e_test_tui_SOURCES = tests/e2e/test_tui.c tests/e2e/e2e.h
tests_e2e_test_tui_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_e2e_test_tui_LDADD = $(E2E_LIBS) $(CJSON_LIBS)
tests_e2e_test_live_SOURCES = tests/e2e/test_live.c tests/e2e/e2e.h
tests_e2e_test_live_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS) $(CMOCKA_CFLAGS)
tests_e2e_test_live_LDADD = $(E2E_LIBS)
TESTS += tests/e2e/test_tui tests/e2e/test_live

# Acting on tickets: replies, notes, drafts, the outbox, bulk changes (issue 7).
check_PROGRAMS += tests/e2e/test_act
tests_e2e_test_act_SOURCES = tests/e2e/test_act.c tests/e2e/e2e.h
tests_e2e_test_act_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_e2e_test_act_LDADD = $(E2E_LIBS) $(CJSON_LIBS)
TESTS += tests/e2e/test_act
