#!/bin/sh
# The action list in man/fdesk.conf.5 is generated from src/actions.def: this
# test fails when the page is stale. To regenerate the block after changing
# the table, run from the build directory:
#   top_srcdir=.. top_builddir=. sh ../tests/text/man-actions.sh --update
. "$top_srcdir/tests/lib/tap.sh"
page="$top_srcdir/man/fdesk.conf.5"
gen="$top_builddir/tests/text/print_actions"
tmp="${TMPDIR:-/tmp}/fdesk-man-actions.$$"
trap 'rm -f "$tmp".*' EXIT
begin='^\.\\" BEGIN GENERATED ACTIONS'
end='^\.\\" END GENERATED ACTIONS'

if ! "$gen" >"$tmp.want"; then
  not_ok "print_actions runs"
  done_testing
  exit 1
fi
check "the table has actions" test -s "$tmp.want"
check "fdesk.conf.5 has the BEGIN marker" grep -q "$begin" "$page"
check "fdesk.conf.5 has the END marker" grep -q "$end" "$page"

if [ "$1" = "--update" ]; then
  awk -v want="$tmp.want" '
    /^\.\\" BEGIN GENERATED ACTIONS/ { print; while ((getline l < want) > 0) print l; skip = 1; next }
    /^\.\\" END GENERATED ACTIONS/ { skip = 0 }
    !skip { print }' "$page" >"$tmp.new" && cat "$tmp.new" >"$page"
fi

sed -n "/$begin/,/$end/p" "$page" | sed '1d;$d' >"$tmp.have"
if cmp -s "$tmp.want" "$tmp.have"; then
  ok "fdesk.conf.5 lists exactly the actions of src/actions.def"
else
  not_ok "fdesk.conf.5's action list is stale: run this script with --update"
  diff "$tmp.have" "$tmp.want" | sed 's/^/# /' | head -40
fi
done_testing
