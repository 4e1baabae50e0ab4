#!/bin/sh
# fdesk --list-actions prints every action of the table with its contexts and
# help, one per line; --list-actions=man prints the man page block.
. "$top_srcdir/tests/lib/tap.sh"
tmp="${TMPDIR:-/tmp}/fdesk-list-actions.$$"
trap 'rm -f "$tmp".*' EXIT

"$FDESK" --list-actions >"$tmp.out" 2>"$tmp.err"
check "fdesk --list-actions exits 0" test $? -eq 0
check "nothing on stderr" test ! -s "$tmp.err"
expected=$(grep -c '^ACTION(' "$top_srcdir/src/actions.def")
lines=$(wc -l <"$tmp.out")
check "one line per action in src/actions.def ($expected)" test "$lines" -eq "$expected"
bad=$(awk -F '\t' 'NF != 3 || $1 !~ /^[a-z-]+$/ || $2 !~ /^[a-z,]+$/ || $3 == ""' "$tmp.out" | wc -l)
check "every line is NAME<TAB>CONTEXTS<TAB>HELP" test "$bad" -eq 0
check "reply applies in the list and the detail" grep -q "^reply	list,detail	" "$tmp.out"
check "quit is generic" grep -q "^quit	generic	" "$tmp.out"
check "external-editor is listed" grep -q "^external-editor	" "$tmp.out"
dups=$(cut -f1 "$tmp.out" | sort | uniq -d | wc -l)
check "names are unique" test "$dups" -eq 0

"$FDESK" --list-actions=man >"$tmp.man"
check "--list-actions=man has one .TP per action" test "$(grep -c '^\.TP$' "$tmp.man")" -eq "$expected"
"$FDESK" --list-actions=bogus >/dev/null 2>&1
check "--list-actions=bogus is a usage error (2)" test $? -eq 2
done_testing
