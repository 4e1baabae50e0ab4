#!/bin/sh
# cmd-list-show.sh: `fdesk list` and `fdesk show` on a known cache (built by
# tests/store/make_cache through the store API): formats, views, limits, the
# missing-cache message, usage errors, no terminal escape from ticket data in
# the output, and `show` fetching a conversation from fdesk-sim.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d /tmp/fdesk-cmd-list-XXXXXX)
sim_pid=
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

export XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
export FDESK_URL=http://127.0.0.1:9 FRESHDESK_API_KEY=test-key TZ=UTC
make_cache="$top_builddir/tests/store/make_cache"
cache="$XDG_CACHE_HOME/fdesk/127.0.0.1-9.db"
have_python=no
command -v python3 >/dev/null 2>&1 && have_python=yes

# --- before any cache exists
"$FDESK" list >"$work/out" 2>"$work/err"
check "list without a cache exits 1" test $? -eq 1
check "and says to run fdesk sync" grep -q 'no cache for account 127.0.0.1-9 yet: run `fdesk sync`' "$work/err"
check "and creates no cache file" test ! -e "$cache"

"$make_cache" "$cache" || { not_ok "make_cache"; done_testing; exit 1; }

# --- table (stdout is not a terminal: full width)
"$FDESK" list >"$work/out" 2>"$work/err"
check "list exits 0" test $? -eq 0
check "table has a header" sh -c "head -1 '$work/out' | grep -q '^ *ID STATUS'"
ids=$(tail -n +2 "$work/out" | awk '{print $1}' | tr '\n' ' ')
check "table lists live tickets, newest update first (got: $ids)" test "$ids" = "101 102 103 104 "
check "table shows requester, agent and company names" \
    sh -c "grep '^ *101 ' '$work/out' | grep -q 'Rita Requester.*Me Agent.*Acme'"
check "custom status label is shown" grep -q 'Waiting on Customer' "$work/out"

# --- table on a terminal fits its width (script(1) gives fdesk a pty)
if command -v script >/dev/null 2>&1 && [ $have_python = yes ]; then
    script -qc "stty cols 60 rows 24; '$FDESK' list" /dev/null >"$work/tty" 2>&1
    check "table on a 60-column terminal fits in 60 columns" python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().replace("\r", "").splitlines()
assert len(lines) == 5, lines
assert all(len(l) <= 60 for l in lines), [l for l in lines if len(l) > 60]
assert lines[1].split()[0] == "101" and "Printer on fire" in lines[1]
' "$work/tty"
else
    skip "table fitting needs script(1) and python3"
fi

"$FDESK" list --limit 2 >"$work/out"
check "--limit 2 gives two rows" test "$(tail -n +2 "$work/out" | wc -l)" -eq 2

"$FDESK" list --sort priority --format tsv >"$work/out"
check "tsv has one line per ticket" test "$(wc -l <"$work/out")" -eq 4
check "tsv lines have 12 fields" test "$(awk -F'\t' 'NF != 12' "$work/out" | wc -l)" -eq 0
check "--sort priority puts urgent first" test "$(cut -f1 "$work/out" | tr '\n' ' ')" = "101 103 104 102 "
check "tsv times are ISO 8601 UTC" sh -c "grep '^101' '$work/out' | cut -f11 | grep -qx '2026-11-18T[0-9:]*Z'"

# --- json
"$FDESK" list --format json >"$work/out"
check "json list exits 0" test $? -eq 0
if [ $have_python = yes ]; then
    check "json is an array of 4 tickets with requester and company embedded" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [t["id"] for t in a] == [101, 102, 103, 104], a
assert a[0]["requester"]["name"] == "Rita Requester" and a[0]["company"]["name"] == "Acme"
assert a[1]["company"]["name"] == "Globex" and a[2]["company"] is None
assert all("subject" in t and "status" in t for t in a)
' "$work/out"
else
    skip "json checks need python3"
fi

# --- views
"$FDESK" list --view mine --format tsv >"$work/out"
check "--view mine lists my unresolved tickets" test "$(cut -f1 "$work/out" | tr '\n' ' ')" = "101 "
"$FDESK" list --view all --format tsv >"$work/out"
check "--view all lists unresolved tickets" test "$(cut -f1 "$work/out" | tr '\n' ' ')" = "101 102 103 "
"$FDESK" list --view nope >"$work/out" 2>"$work/err"
check "an unknown view exits 2" test $? -eq 2
check "and names the views" grep -q 'new-and-my-open' "$work/err"
mkdir -p "$XDG_CONFIG_HOME/fdesk"
printf 'view vip = tag:vip OR requester:sam@example.com\n' >"$XDG_CONFIG_HOME/fdesk/config"
"$FDESK" list --view vip --format tsv >"$work/out" 2>"$work/err"
check "a view from the config file works" test "$(cut -f1 "$work/out" | tr '\n' ' ')" = "101 102 "
printf '# comment\nview broken = status:open AND (\n' >"$XDG_CONFIG_HOME/fdesk/config"
"$FDESK" list --view broken >"$work/out" 2>"$work/err"
check "a broken view exits 3" test $? -eq 3
check "and names file, line and column" grep -q 'config:2: view .broken., column 18' "$work/err"
rm "$XDG_CONFIG_HOME/fdesk/config"

# --- show
"$FDESK" show 101 >"$work/out" 2>"$work/err"
check "show exits 0" test $? -eq 0
check "show prints the header" sh -c "head -1 '$work/out' | grep -qx '#101 Printer on fire'"
check "show names requester and agent" sh -c "grep -q 'Rita Requester <rita@example.com>' '$work/out' && grep -q '^Agent: *Me Agent' '$work/out'"
check "show prints the description" grep -q 'The printer is on fire.' "$work/out"
order=$(grep '^--- ' "$work/out" | sed 's/ · .*//' | tr '\n' '|')
check "messages in order, marked (got: $order)" \
    test "$order" = "--- Description ---|--- Customer|--- Agent reply|--- PRIVATE NOTE|"
check "show did not go to the network for a current ticket" test ! -s "$work/err"

"$FDESK" show 101 --format json >"$work/out"
if [ $have_python = yes ]; then
    check "show json has the conversation and the requester" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert t["id"] == 101 and t["requester"]["email"] == "rita@example.com"
c = t["conversations"]
assert [x["id"] for x in c] == [1001, 1002, 1003], c
assert c[2]["private"] is True and c[0]["incoming"] is True
assert t["description_text"] == "The printer is on fire."
' "$work/out"
else
    skip "json checks need python3"
fi

# --- hostile data never reaches the terminal as control sequences
"$FDESK" show 103 >"$work/show103" 2>&1
"$FDESK" list >"$work/list" 2>&1
"$FDESK" list --format tsv >"$work/tsv" 2>&1
for f in show103 list tsv; do
    check "$f output has no ESC, BEL, BS or CR byte" \
        test "$(LC_ALL=C tr -d -c '\033\007\010\r' <"$work/$f" | wc -c)" -eq 0
    check "$f output has no C1 control" \
        sh -c "! LC_ALL=C grep -q \"\$(printf '\\302[\\200-\\237]')\" '$work/$f'"
    check "$f output has no bidi override" sh -c "! grep -q \"\$(printf '\\342\\200\\256')\" '$work/$f'"
done
check "the hostile subject stays on one line" sh -c "head -1 '$work/show103' | grep -q 'title second line'"

# --- errors
"$FDESK" show abc >/dev/null 2>&1
check "show with a bad id exits 2" test $? -eq 2
"$FDESK" list --format xml >/dev/null 2>&1
check "list with a bad format exits 2" test $? -eq 2
"$FDESK" show 999 >"$work/out" 2>"$work/err"
check "show of a ticket in no cache, offline, exits 1" test $? -eq 1
check "and says it is not in the cache" grep -q 'ticket 999 is not in the cache' "$work/err"
"$FDESK" show 102 >"$work/out" 2>"$work/err"
check "show of a never-opened ticket offline still shows it" test $? -eq 0
check "with a note that the conversation is missing" grep -q 'without its conversation' "$work/err"
"$FDESK" show 102 --cached >"$work/out" 2>"$work/err"
check "show --cached does not try the network" test ! -s "$work/err"

# --- show fetches the conversation from the server (fdesk-sim)
"$FDESK_SIM" --port 0 --tickets 20 --seed 3 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    grep -q listening "$work/sim.out" 2>/dev/null && break
    sleep 0.2
done
port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/sim.out" | head -1)
if [ -n "$port" ]; then
    export FDESK_URL="http://127.0.0.1:$port" FRESHDESK_API_KEY=sim-api-key
    simcache="$XDG_CACHE_HOME/fdesk/127.0.0.1-$port.db"
    "$make_cache" "$simcache" 7
    "$FDESK" show 7 --cached --format json >"$work/before" 2>&1
    "$FDESK" show 7 >"$work/out" 2>"$work/err"
    check "show against the simulator exits 0" test $? -eq 0
    check "the fresh copy replaced the old one" sh -c "! grep -q 'old copy' '$work/out'"
    check "the description was fetched" sh -c "sed -n '/^--- Description ---/{n;p;}' '$work/out' | grep -qv '^(empty)'"
    "$FDESK" show 7 --cached --format json >"$work/after" 2>&1
    if [ $have_python = yes ]; then
        check "the cache now holds the server's whole conversation" python3 -c '
import base64, json, sys, urllib.request
before = json.load(open(sys.argv[1])); after = json.load(open(sys.argv[2]))
assert before["conversations"] == [] and before["subject"] == "subject of 7"
req = urllib.request.Request(sys.argv[3] + "/api/v2/tickets/7/conversations?per_page=100")
req.add_header("Authorization", "Basic " + base64.b64encode(b"sim-api-key:X").decode())
server = json.load(urllib.request.urlopen(req))
assert len(server) > 0, "the simulator ticket has no conversation"
assert [c["id"] for c in after["conversations"]] == [c["id"] for c in server]
' "$work/before" "$work/after" "$FDESK_URL"
    else
        skip "json checks need python3"
    fi
else
    not_ok "fdesk-sim did not start: $(cat "$work/sim.err")"
fi

done_testing
