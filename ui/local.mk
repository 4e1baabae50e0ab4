# The curses UI.
fdesk_SOURCES += ui/main.c ui/tui.c ui/tui.h
