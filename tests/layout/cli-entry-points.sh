#!/bin/sh
# The entry points behave as fdesk(1) says: --version, --help, usage errors exit 2,
# an unconfigured account gets instructions.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state"
"$FDESK" --version > "$tmp/version"; check "fdesk --version prints the version" grep -qE '^fdesk [0-9]+\.[0-9]+' "$tmp/version"
"$FDESK" --help > "$tmp/help"; check "fdesk --help exits 0" [ $? -eq 0 ]
check "fdesk --help mentions --demo" grep -q -- '--demo' "$tmp/help"
check "fdesk-sim --help exits 0" "$FDESK_SIM" --help
"$FDESK" --bogus > "$tmp/out" 2> "$tmp/err"; s=$?
check "unknown option exits 2" [ $s -eq 2 ]
check "unknown option names the option" grep -q "unknown option '--bogus'" "$tmp/err"
check "usage errors point at --help" grep -q "fdesk --help" "$tmp/err"
check "usage error is short (2 lines)" [ "$(wc -l < "$tmp/err")" -eq 2 ]
"$FDESK" frobnicate > "$tmp/out" 2> "$tmp/err"; s=$?
check "unknown command exits 2" [ $s -eq 2 ]
check "unknown command is named" grep -q "unknown command 'frobnicate'" "$tmp/err"
"$FDESK" < /dev/null > "$tmp/out" 2> "$tmp/err"; s=$?
check "an unconfigured account exits 3" [ $s -eq 3 ]
check "the message names FRESHDESK_DOMAIN" grep -q FRESHDESK_DOMAIN "$tmp/err"
check "the message names FRESHDESK_API_KEY" grep -q FRESHDESK_API_KEY "$tmp/err"
check "the message mentions the config file" grep -q 'config' "$tmp/err"
check "the message suggests --demo" grep -q -- '--demo' "$tmp/err"
done_testing
