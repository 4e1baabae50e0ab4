#!/bin/sh
# The code is formatted with the root .clang-format (STYLE.md: formatting is
# mechanical). Checked with the clang-format major version the tree was
# formatted with; other versions format some constructs differently, so the
# check is skipped there (and says why).
. "$top_srcdir/tests/lib/tap.sh"
want=14
if ! command -v clang-format >/dev/null 2>&1; then
    skip "clang-format is not installed (apt-get install clang-format)"
    done_testing; exit
fi
have=$(clang-format --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
if [ "$have" != "$want" ]; then
    skip "clang-format $have is not $want, the version the tree is formatted with"
    done_testing; exit
fi
cd "$top_srcdir" || exit 1
bad=
for f in src/*.[ch] ui/*.[ch] sim/*.[ch] tests/*.c tests/*/*.[ch] bench/*/*.c; do
    [ -f "$f" ] || continue
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -z "$bad" ]; then ok "every C file matches .clang-format"; else not_ok "not formatted:$bad"; fi
# The check itself can fail: a badly formatted file is caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp .clang-format "$tmp/"
printf 'int  main( void ){return 0;}\n' > "$tmp/x.c"
if (cd "$tmp" && clang-format --dry-run -Werror x.c >/dev/null 2>&1); then
    not_ok "a badly formatted file passes the check"
else
    ok "a badly formatted file is caught"
fi
done_testing
