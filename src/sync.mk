# Core files of the sync area: the event and job queues, the sync engine, `fdesk sync`.
libfdcore_a_SOURCES += src/events.c src/events.h src/jobs.c src/jobs.h \
	src/sync.c src/sync.h src/sync_internal.h src/sync_tickets.c src/sync_fetch.c src/sync_pipe.c \
	src/cmd_sync.c
libfdcore_a_SOURCES += src/sync_act.c
