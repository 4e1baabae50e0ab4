# Keymap files. default.keys and emacs.keys are installed for users to copy,
# and also compiled into the core as C strings (keymaps/builtin-keys.c, made
# here in the build directory), so fdesk works without installed data.
keymapsdir = $(pkgdatadir)/keymaps
dist_keymaps_DATA = keymaps/default.keys keymaps/emacs.keys

nodist_libfdcore_a_SOURCES = keymaps/builtin-keys.c
BUILT_SOURCES += keymaps/builtin-keys.c
CLEANFILES += keymaps/builtin-keys.c

# Each line becomes a C string literal: backslashes and quotes escaped.
FD_KEYS_TO_C = sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/'

keymaps/builtin-keys.c: $(srcdir)/keymaps/default.keys $(srcdir)/keymaps/emacs.keys $(srcdir)/keymaps/local.mk
	$(AM_V_GEN)$(MKDIR_P) keymaps && { \
	  echo '/* Generated from keymaps/default.keys and emacs.keys by keymaps/local.mk: do not edit. */'; \
	  echo '#include "src/keymap.h"'; \
	  echo 'const char keymap_default_text[] ='; \
	  $(FD_KEYS_TO_C) $(srcdir)/keymaps/default.keys; \
	  echo '    "";'; \
	  echo 'const char keymap_emacs_text[] ='; \
	  $(FD_KEYS_TO_C) $(srcdir)/keymaps/emacs.keys; \
	  echo '    "";'; \
	} > $@.tmp && mv $@.tmp $@
