#!/bin/sh
# sync-cli.sh: `fdesk sync` as a user runs it, against fdesk-sim on 127.0.0.1:
# clear exit statuses and messages for configuration, authentication and
# network errors; a first sync of 5,000 tickets after which `fdesk list
# --format json` holds exactly the tickets in range, each once, with requester
# and company names; a change made through the admin hook arriving with the
# next run; an idle run costing at most one credit; faults (429, 500, dropped
# and stalled connections) costing no ticket; an interrupted sync that the
# next run completes.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d)
simpid=
cleanup() {
    [ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

export XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
unset FDESK_URL FRESHDESK_API_KEY FRESHDESK_DOMAIN FDESK_CONFIG

sims=0
start_sim() {
    [ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
    # A new file each time: the shell truncates a reused one only when the
    # background job gets to it, which races with reading the old one.
    sims=$((sims + 1))
    out="$work/sim$sims.out"
    "$FDESK_SIM" --port 0 --admin --rate-limit 10000000 "$@" > "$out" 2>&1 &
    simpid=$!
    i=0
    until grep -q 'listening on' "$out" 2>/dev/null; do
        i=$((i + 1))
        [ $i -gt 600 ] && { diag "fdesk-sim did not start"; cat "$out"; return 1; }
        sleep 0.1
    done
    url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$out" | head -1)
    export FDESK_URL="$url"
}

fresh_cache() { rm -rf "$XDG_CACHE_HOME"; }
# Shows what fdesk said when a step failed.
show_err() { grep -v '^fdesk: sync:' "$work/err" | tail -5 | while IFS= read -r l; do diag "$l"; done; }

# GET an admin hook; prints the body.
admin_get() { curl -s "$url$1"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
credits() { admin_get /__sim/stats | json_field credits_used; }

horizon=$(python3 -c 'import time; print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 90 * 86400)))')

# Checks the JSON list against the simulator: every ticket once, requester and
# company names present, each updated since the horizon or still unresolved,
# and as many of each kind as the simulator counts.
check_list() {
    "$FDESK" list --format json > "$work/list.json" 2> "$work/list.err" || return 1
    expected=$(admin_get "/__sim/tickets/count?updated_since=$horizon" | json_field count)
    expected_old=$(admin_get "/__sim/tickets/count?updated_before=$horizon&unresolved=true" |
        json_field count)
    python3 - "$work/list.json" "$horizon" "$expected" "$expected_old" <<'EOF'
import json, sys, calendar, time
tickets = json.load(open(sys.argv[1]))
horizon = calendar.timegm(time.strptime(sys.argv[2], "%Y-%m-%dT%H:%M:%SZ"))
expected = int(sys.argv[3])
expected_old = int(sys.argv[4])
ids = [t["id"] for t in tickets]
assert len(ids) == len(set(ids)), "duplicate tickets"
recent = old = 0
for t in tickets:
    assert t.get("requester") and t["requester"].get("name"), "no requester name on %d" % t["id"]
    if t.get("company_id"):
        assert t.get("company") and t["company"].get("name"), "no company name on %d" % t["id"]
    upd = calendar.timegm(time.strptime(t["updated_at"], "%Y-%m-%dT%H:%M:%SZ"))
    if upd >= horizon:
        recent += 1
    else:
        assert t["status"] not in (4, 5), "old resolved ticket %d" % t["id"]
        old += 1
assert recent == expected, "%d recent tickets, the simulator has %d" % (recent, expected)
assert old == expected_old, "%d old unresolved tickets, the simulator has %d" % (old, expected_old)
print("# %d tickets listed: %d updated in range (simulator: %d), %d older unresolved (simulator: %d)"
      % (len(ids), recent, expected, old, expected_old))
EOF
}

# --- errors
fresh_cache
"$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
check "without an account sync exits 3 (config)" [ "$rc" -eq 3 ]
check "and says what to set" grep -q FRESHDESK "$work/err"

"$FDESK" sync --bogus > "$work/out" 2> "$work/err"
rc=$?
check "an unknown option is a usage error (exit 2)" [ "$rc" -eq 2 ]
check "that names the option" grep -q -- "--bogus" "$work/err"

start_sim --tickets 300 || exit 1
FRESHDESK_API_KEY=wrong-key "$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
check "a rejected key exits 1" [ "$rc" -eq 1 ]
check "with a message about the key" grep -qi "key\|401" "$work/err"
if [ -s "$work/err" ] && ! grep -q wrong-key "$work/err"; then ok "the key is not printed"; else not_ok "the key is not printed"; fi

# A damaged cache is moved aside and rebuilt: a message, not a failure.
port=${url##*:}
mkdir -p "$XDG_CACHE_HOME/fdesk"
printf 'this is not an SQLite database %0500d' 0 > "$XDG_CACHE_HOME/fdesk/127.0.0.1-$port.db"
FRESHDESK_API_KEY=sim-api-key "$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
[ "$rc" -eq 0 ] || show_err
check "a damaged cache is rebuilt (exit 0)" [ "$rc" -eq 0 ]
check "and fdesk says it moved the damaged one aside" grep -q "corrupt-" "$work/err"
fresh_cache

FDESK_URL=http://127.0.0.1:1 FRESHDESK_API_KEY=sim-api-key "$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
check "an unreachable server exits 1" [ "$rc" -eq 1 ]
check "with a message saying so" grep -qi "connect\|reach" "$work/err"
diag "$(tail -1 "$work/err")"

# --- a first sync of 5,000 tickets
export FRESHDESK_API_KEY=sim-api-key
start_sim --tickets 5000 || exit 1
fresh_cache
"$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
[ "$rc" -eq 0 ] || show_err
check "first sync of 5,000 tickets exits 0" [ "$rc" -eq 0 ]
check "progress is plain lines when stderr is not a terminal" \
    sh -c "grep -q '^fdesk: sync' '$work/err' && ! grep -q \"$(printf '\r')\" '$work/err'"
check "it reports completion" grep -q "sync complete" "$work/err"
check "fdesk list --format json holds exactly the tickets in range" check_list

# --- an idle run
before=$(credits)
"$FDESK" sync 2> "$work/err"
rc=$?
after=$(credits)
diag "idle sync used $((after - before)) credit(s)"
check "an idle incremental sync exits 0" [ "$rc" -eq 0 ]
check "and costs one credit (it asks once)" [ $((after - before)) -eq 1 ]

# --- a change through the admin hook
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$work/list.json")
status=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    -d '{"subject":"Changed through the admin hook"}' "$url/__sim/tickets/$id")
check "the admin hook accepted the change" [ "$status" = 200 ]
"$FDESK" sync 2> "$work/err"
"$FDESK" list --format json > "$work/list2.json"
check "the change appears after the next incremental sync" \
    grep -q "Changed through the admin hook" "$work/list2.json"
before=$(admin_get /__sim/stats | json_field requests)
"$FDESK" sync --full 2> "$work/err"
rc=$?
after=$(admin_get /__sim/stats | json_field requests)
diag "sync --full made $((after - before)) requests"
if [ "$rc" -eq 0 ] && [ $((after - before)) -ge 30 ]; then
    ok "sync --full pages everything again"
else
    not_ok "sync --full pages everything again"
fi
check "and the cache still holds exactly the tickets in range" check_list

# --- faults
start_sim --tickets 3000 --throttle 0.05 --fail-500 0.05 --drop 0.05 --stall 0.02 --stall-ms 1500 ||
    exit 1
fresh_cache
"$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
[ "$rc" -eq 0 ] || show_err
check "sync rides through throttling, 500s, drops and stalls" [ "$rc" -eq 0 ]
check "with no duplicate and no missing ticket" check_list

# --- interrupted and continued
start_sim --tickets 5000 --latency 250 || exit 1
fresh_cache
"$FDESK" sync > "$work/out" 2> "$work/err" &
syncpid=$!
sleep 1
kill -INT "$syncpid"
i=0
while kill -0 "$syncpid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait "$syncpid"
rc=$?
diag "interrupted sync ended $i tenths of a second after SIGINT with status $rc"
check "SIGINT stops fdesk sync (status 130)" [ "$rc" -eq 130 ]
"$FDESK" sync > "$work/out" 2> "$work/err"
rc=$?
[ "$rc" -eq 0 ] || show_err
check "the next run completes the interrupted sync" [ "$rc" -eq 0 ]
check "and the cache holds exactly the tickets in range" check_list

done_testing
