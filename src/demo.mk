# `fdesk --demo`: starts fdesk-sim and points fdesk at it (core, no curses).
libfdcore_a_SOURCES += src/demo.c src/demo.h
