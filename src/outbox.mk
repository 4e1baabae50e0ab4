# Core files of the outbox area: the state database, drafts, the outbox and
# its sender, the editor buffer, canned responses, the collision check and
# the reply/note/update/outbox commands.
libfdcore_a_SOURCES += src/state.c src/state.h src/drafts.c src/drafts.h \
	src/outbox.c src/outbox.h src/outbox_send.c
libfdcore_a_SOURCES += src/editbuf.c src/editbuf.h src/canned.c src/canned.h \
	src/collision.c src/collision.h
