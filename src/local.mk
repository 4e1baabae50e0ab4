# The core library (no curses). Areas add their files with +=.
libfdcore_a_SOURCES += src/cli.c src/cli.h src/commands.def src/log.c src/log.h src/model.c src/model.h
include src/api.mk
include src/store.mk
include src/sync.mk
include src/text.mk
include src/outbox.mk
include src/demo.mk
