# Tests for the sim area (included from tests/local.mk). The C tests run fdesk-sim
# in-process on 127.0.0.1 port 0 and talk HTTP to it with libcurl.
SIM_TEST_LIBS = $(FDSIM_LIBS) $(CURL_LIBS) $(CMOCKA_LIBS)
SIM_TEST_SOURCES = tests/sim/harness.c tests/sim/harness.h

check_PROGRAMS += tests/sim/test_sim_tickets
tests_sim_test_sim_tickets_SOURCES = tests/sim/test_sim_tickets.c $(SIM_TEST_SOURCES)
tests_sim_test_sim_tickets_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_tickets_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/sim/test_sim_tickets

check_PROGRAMS += tests/sim/test_sim_errors
tests_sim_test_sim_errors_SOURCES = tests/sim/test_sim_errors.c $(SIM_TEST_SOURCES)
tests_sim_test_sim_errors_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_errors_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/sim/test_sim_errors

check_PROGRAMS += tests/sim/test_sim_writes
tests_sim_test_sim_writes_SOURCES = tests/sim/test_sim_writes.c $(SIM_TEST_SOURCES)
tests_sim_test_sim_writes_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_writes_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/sim/test_sim_writes

check_PROGRAMS += tests/sim/test_sim_search
tests_sim_test_sim_search_SOURCES = tests/sim/test_sim_search.c $(SIM_TEST_SOURCES)
tests_sim_test_sim_search_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_search_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/sim/test_sim_search

check_PROGRAMS += tests/sim/test_sim_admin
tests_sim_test_sim_admin_SOURCES = tests/sim/test_sim_admin.c $(SIM_TEST_SOURCES)
tests_sim_test_sim_admin_CFLAGS = $(TEST_CFLAGS) $(ZLIB_CFLAGS)
tests_sim_test_sim_admin_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/sim/test_sim_admin

check_PROGRAMS += tests/sim/test_sim_fixtures
tests_sim_test_sim_fixtures_SOURCES = tests/sim/test_sim_fixtures.c $(SIM_TEST_SOURCES)
tests_sim_test_sim_fixtures_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_sim_fixtures_LDADD = $(SIM_TEST_LIBS)
TESTS += tests/sim/test_sim_fixtures

TESTS += tests/sim/sim-cli.sh
EXTRA_DIST += tests/sim/sim-cli.sh
EXTRA_DIST += tests/sim/data
