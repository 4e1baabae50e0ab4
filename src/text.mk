# Core files of the text area: the sanitiser, widths, HTML, actions, keymaps.
libfdcore_a_SOURCES += src/text.c src/text.h src/text_internal.h src/text_width.c \
	src/html.c src/html_text.c src/html.h \
	src/actions.c src/actions.h src/actions.def \
	src/keymap.c src/keymap_load.c src/keymap.h
