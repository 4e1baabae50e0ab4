#!/bin/sh
# configure must stop with one line naming the Debian package when a library is missing.
# We hide libcjson.pc from pkg-config by pointing PKG_CONFIG_LIBDIR at a copy of the
# system's .pc files without it, and run configure in a scratch copy of the tree.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/pc" "$tmp/tree/build-aux" "$tmp/tree/src"
for d in $(pkg-config --variable pc_path pkg-config | tr : ' '); do
  [ -d "$d" ] && for f in "$d"/*.pc; do [ -e "$f" ] && cp -n "$f" "$tmp/pc/" 2>/dev/null; done
done
rm -f "$tmp/pc/libcjson.pc" "$tmp/pc/libcjson_utils.pc"
cp "$top_srcdir/configure" "$top_srcdir/config.h.in" "$top_srcdir/Makefile.in" "$tmp/tree/"
cp "$top_srcdir"/build-aux/* "$tmp/tree/build-aux/"
cp "$top_srcdir/src/cli.c" "$tmp/tree/src/"
cd "$tmp/tree" || exit 1
PKG_CONFIG_LIBDIR="$tmp/pc" PKG_CONFIG_PATH= ./configure >"$tmp/out" 2>&1
status=$?
check "configure fails when libcjson is missing" [ "$status" -ne 0 ]
check "the error names the Debian package libcjson-dev" grep -q 'error: .*install the Debian package libcjson-dev' "$tmp/out"
grep 'error:' "$tmp/out" | sed 's/^/# /'
done_testing
