# Core files of the outbox area: the state database, drafts, the outbox and
# its sender, the editor buffer, canned responses, the collision check and
# the reply/note/update/outbox commands.
libfdcore_a_SOURCES += src/state.c src/state.h src/drafts.c src/drafts.h \
	src/outbox.c src/outbox.h src/outbox_send.c src/outbox_match.c src/outbox_sync.c src/outbox_attach.c \
	src/outbox_overlay.c
libfdcore_a_SOURCES += src/editbuf.c src/editbuf.h src/canned.c src/canned.h \
	src/collision.c src/collision.h src/editbuf_editor.c src/compose.c src/compose.h
libfdcore_a_SOURCES += src/cmd_write.c src/cmd_write.h src/cmd_update.c src/cmd_outbox.c
