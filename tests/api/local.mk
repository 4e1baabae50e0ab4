# Tests for the api area (included from tests/local.mk).
check_PROGRAMS += tests/api/test_decode
tests_api_test_decode_SOURCES = tests/api/test_decode.c
tests_api_test_decode_CFLAGS = $(TEST_CFLAGS)
tests_api_test_decode_LDADD = $(TEST_LIBS)
TESTS += tests/api/test_decode

check_PROGRAMS += tests/api/test_config
tests_api_test_config_SOURCES = tests/api/test_config.c
tests_api_test_config_CFLAGS = $(TEST_CFLAGS)
tests_api_test_config_LDADD = $(TEST_LIBS)
TESTS += tests/api/test_config

check_PROGRAMS += tests/api/test_errors
tests_api_test_errors_SOURCES = tests/api/test_errors.c
tests_api_test_errors_CFLAGS = $(TEST_CFLAGS)
tests_api_test_errors_LDADD = $(TEST_LIBS)
TESTS += tests/api/test_errors

# Integration tests against the fdesk-sim binary on loopback.
check_PROGRAMS += tests/api/test_sim
tests_api_test_sim_SOURCES = tests/api/test_sim.c tests/api/simproc.c tests/api/simproc.h
tests_api_test_sim_CFLAGS = $(TEST_CFLAGS)
tests_api_test_sim_LDADD = $(TEST_LIBS)
TESTS += tests/api/test_sim

check_PROGRAMS += tests/api/test_secret
tests_api_test_secret_SOURCES = tests/api/test_secret.c tests/api/simproc.c tests/api/simproc.h
tests_api_test_secret_CFLAGS = $(TEST_CFLAGS)
tests_api_test_secret_LDADD = $(TEST_LIBS)
TESTS += tests/api/test_secret
