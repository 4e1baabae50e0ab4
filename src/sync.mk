# Core files of the sync area: the event and job queues, the sync engine.
libfdcore_a_SOURCES += src/events.c src/events.h src/jobs.c src/jobs.h
