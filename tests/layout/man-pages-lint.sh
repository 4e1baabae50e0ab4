#!/bin/sh
# Every man page renders without a warning (groff -ww) and passes mandoc -Tlint when present.
. "$top_srcdir/tests/lib/tap.sh"
for page in "$top_srcdir"/man/*.[1-8]; do
  name=$(basename "$page")
  out=$(LC_ALL=C.UTF-8 "${GROFF:-groff}" -ww -mandoc -z "$page" 2>&1)
  if [ -z "$out" ]; then ok "$name renders without groff warnings"; else not_ok "$name: $out"; fi
  if command -v mandoc >/dev/null 2>&1; then
    out=$(mandoc -Tlint -W warning "$page" 2>&1)
    if [ -z "$out" ]; then ok "$name passes mandoc -Tlint"; else not_ok "$name: $out"; fi
  fi
done
done_testing
