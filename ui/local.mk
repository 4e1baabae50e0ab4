# The curses UI.
fdesk_SOURCES += ui/main.c ui/tui.c ui/tui.h ui/app.h ui/view.h ui/loop.c ui/draw.c ui/draw.h \
	ui/layout.c ui/layout.h ui/status.c ui/prompt.c ui/commands.c \
	ui/view_list.c ui/view_detail.c ui/view_help.c
fdesk_SOURCES += ui/act.c ui/act.h ui/act_change.c ui/act_overlay.c ui/picker.c ui/picker.h ui/view_editor.c ui/view_review.c
