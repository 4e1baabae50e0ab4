# Core files of the text area: the sanitiser, widths, HTML, actions, keymaps.
libfdcore_a_SOURCES += src/text.h src/html.h src/keymap.h \
	src/actions.c src/actions.h src/actions.def
