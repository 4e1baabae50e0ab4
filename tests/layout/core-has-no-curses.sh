#!/bin/sh
# The core (src/) must never include curses or a ui/ header (DESIGN.md §2).
. "$top_srcdir/tests/lib/tap.sh"
bad=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|ui/)' "$top_srcdir/src" 2>/dev/null)
if [ -z "$bad" ]; then ok "no file under src/ includes curses or ui/ headers"
else not_ok "src/ includes curses or ui/: $bad"; fi
# Prove the check itself can fail: a planted include must be caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#include <ncursesw/curses.h>\n' > "$tmp/x.c"
if grep -rlqE '#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|term\.h|ui/)' "$tmp"; then ok "the check catches a planted curses include"
else not_ok "the check misses a planted curses include"; fi
done_testing
