# Tests of the outbox area: state database, drafts, outbox, editor buffer,
# canned responses, collision check, and the write commands against fdesk-sim.
EXTRA_DIST += tests/outbox/helpers.h

check_PROGRAMS += tests/outbox/test_state tests/outbox/test_drafts tests/outbox/test_outbox_queue \
	tests/outbox/test_canned tests/outbox/test_collision
tests_outbox_test_state_SOURCES = tests/outbox/test_state.c
tests_outbox_test_state_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_state_LDADD = $(TEST_LIBS)
tests_outbox_test_drafts_SOURCES = tests/outbox/test_drafts.c
tests_outbox_test_drafts_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_drafts_LDADD = $(TEST_LIBS)
tests_outbox_test_outbox_queue_SOURCES = tests/outbox/test_outbox_queue.c
tests_outbox_test_outbox_queue_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_outbox_queue_LDADD = $(TEST_LIBS)
tests_outbox_test_canned_SOURCES = tests/outbox/test_canned.c
tests_outbox_test_canned_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_canned_LDADD = $(TEST_LIBS)
tests_outbox_test_collision_SOURCES = tests/outbox/test_collision.c
tests_outbox_test_collision_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_collision_LDADD = $(TEST_LIBS)
TESTS += tests/outbox/test_state tests/outbox/test_drafts tests/outbox/test_outbox_queue \
	tests/outbox/test_canned tests/outbox/test_collision

check_PROGRAMS += tests/outbox/test_editbuf
tests_outbox_test_editbuf_SOURCES = tests/outbox/test_editbuf.c
tests_outbox_test_editbuf_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_editbuf_LDADD = $(TEST_LIBS)
TESTS += tests/outbox/test_editbuf

# Integration against fdesk-sim (shell, TAP).
OUTBOX_SIM_TESTS = tests/outbox/reply-sim.sh tests/outbox/offline-sim.sh \
	tests/outbox/unknown-outcome-sim.sh tests/outbox/update-sim.sh \
	tests/outbox/attach-sim.sh tests/outbox/editor-sim.sh
TESTS += $(OUTBOX_SIM_TESTS)
EXTRA_DIST += $(OUTBOX_SIM_TESTS) tests/outbox/lib.sh tests/outbox/simctl.py \
	tests/outbox/blackhole.py

# The sync engine's outbox hook and concurrent senders, against an in-process fdesk-sim.
check_PROGRAMS += tests/outbox/test_outbox_sync
tests_outbox_test_outbox_sync_SOURCES = tests/outbox/test_outbox_sync.c
tests_outbox_test_outbox_sync_CFLAGS = $(TEST_CFLAGS) $(MHD_CFLAGS)
tests_outbox_test_outbox_sync_LDADD = $(TEST_LIBS) $(FDSIM_LIBS)
TESTS += tests/outbox/test_outbox_sync

check_PROGRAMS += tests/outbox/test_compose
tests_outbox_test_compose_SOURCES = tests/outbox/test_compose.c
tests_outbox_test_compose_CFLAGS = $(TEST_CFLAGS)
tests_outbox_test_compose_LDADD = $(TEST_LIBS)
TESTS += tests/outbox/test_compose
