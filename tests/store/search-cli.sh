#!/bin/sh
# search-cli.sh: `fdesk search` against fdesk-sim on 127.0.0.1: the results
# are the simulator's own results for the same query (ids, in its order, one
# page or --all), they land in the cache with requester and company names
# (`fdesk list --format json` afterwards), json and tsv output, and the
# errors: a too-long query refused before any request, a malformed query
# giving the server's 400 message, no account, usage errors.
. "$top_srcdir/tests/lib/tap.sh"

if ! command -v python3 >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
    skip "search-cli.sh needs python3 and curl"
    done_testing
    exit 0
fi

work=$(mktemp -d /tmp/fdesk-search-XXXXXX)
simpid=
cleanup() {
    [ -n "$simpid" ] && kill "$simpid" 2>/dev/null && wait "$simpid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

export XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
unset FDESK_URL FRESHDESK_API_KEY FRESHDESK_DOMAIN FDESK_CONFIG
export TZ=UTC

# --- no account: nothing configured at all
"$FDESK" search 'status:2' >"$work/out" 2>"$work/err"
check "no account exits 3" test $? -eq 3
check "and says what to set" grep -q 'fdesk: .*FRESHDESK_DOMAIN\|fdesk: .*domain' "$work/err"
check "and prints nothing on stdout" test ! -s "$work/out"

"$FDESK_SIM" --port 0 --admin --tickets 150 --rate-limit 10000000 >"$work/sim.out" 2>&1 &
simpid=$!
i=0
until grep -q 'listening on' "$work/sim.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 600 ] && { not_ok "fdesk-sim did not start"; cat "$work/sim.out"; done_testing; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/sim.out" | head -1)
export FDESK_URL="$url" FRESHDESK_API_KEY=sim-api-key

requests() {
    curl -s "$url/__sim/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])'
}
# The simulator's own answer for a query and page: "TOTAL id id id ...".
sim_search() {
    curl -s -G -u sim-api-key:X "$url/api/v2/search/tickets" \
        --data-urlencode "query=\"$1\"" --data-urlencode "page=${2:-1}" |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], *[t["id"] for t in d["results"]])'
}
ids_of_tsv() { cut -f1 "$1" | tr '\n' ' ' | sed 's/ $//'; }

# --- one page, tsv: the simulator's results, in its order
q='status:2 AND priority:4'
expected=$(sim_search "$q")
"$FDESK" search --format tsv "$q" >"$work/out" 2>"$work/err"
check "search exits 0" test $? -eq 0
got=$(ids_of_tsv "$work/out")
check "tsv ids are the simulator's own results ($got)" test "$got" = "${expected#* }"
check "there is at least one result to compare" test -n "$got"
check "tsv lines have 12 fields like fdesk list" test "$(awk -F'\t' 'NF != 12' "$work/out" | wc -l)" -eq 0
check "no result count on stderr when stdout is not a terminal" test ! -s "$work/err"

# --- the results are in the cache, with requester and company names
"$FDESK" list --format json >"$work/list.json" 2>"$work/err"
check "fdesk list works afterwards (no sync ran)" test $? -eq 0
check "fdesk list has the search results with requester and company names" python3 -c '
import json, sys
listed = {t["id"]: t for t in json.load(open(sys.argv[1]))}
want = [int(i) for i in sys.argv[2].split()]
assert want and set(listed) == set(want), (sorted(listed), want)
for i in want:
    t = listed[i]
    assert t["requester"] and t["requester"]["name"], t
    assert (t["company"] and t["company"]["name"]) if t["company_id"] else t["company"] is None, t
' "$work/list.json" "$got"

# --- json: Freshdesk v2 objects with requester and company embedded
"$FDESK" search --format json "$q" >"$work/out.json"
check "json search exits 0" test $? -eq 0
check "json is an array of the same tickets, requester and company embedded" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [t["id"] for t in a] == [int(i) for i in sys.argv[2].split()], a
assert all(t["status"] == 2 and t["priority"] == 4 for t in a)
assert all(t["requester"]["name"] and "subject" in t for t in a)
' "$work/out.json" "$got"

# --- --all walks the pages; --page picks one
q2='priority:1 OR priority:2 OR priority:3 OR priority:4'
sim_all=$(python3 - "$url" "$q2" <<'EOF'
import base64, json, sys, urllib.parse, urllib.request
url, q = sys.argv[1], sys.argv[2]
ids, total, page = [], None, 1
auth = base64.b64encode(b"sim-api-key:X").decode()
while page <= 10:
    u = url + "/api/v2/search/tickets?" + urllib.parse.urlencode({"query": '"%s"' % q, "page": page})
    r = urllib.request.Request(u, headers={"Authorization": "Basic " + auth})
    d = json.load(urllib.request.urlopen(r))
    total = d["total"]
    ids += [t["id"] for t in d["results"]]
    if len(d["results"]) < 30 or page * 30 >= total:
        break
    page += 1
print(total, *ids)
EOF
)
total=${sim_all%% *}
check "the --all query spans more than one page (total $total)" test "$total" -gt 30
"$FDESK" search --all --format tsv "$q2" >"$work/out" 2>"$work/err"
check "--all exits 0" test $? -eq 0
check "--all gives every result the simulator has, in its order" test "$(ids_of_tsv "$work/out")" = "${sim_all#* }"
expected=$(sim_search "$q2" 2)
"$FDESK" search --page 2 --format tsv "$q2" >"$work/out"
check "--page 2 gives the simulator's second page" test "$(ids_of_tsv "$work/out")" = "${expected#* }"

# --- table on a terminal: "N of TOTAL results" on stderr
if command -v script >/dev/null 2>&1; then
    script -qc "stty cols 120 rows 24; '$FDESK' search '$q2'" /dev/null >"$work/tty" 2>&1
    check "on a terminal it says '30 of $total results'" sh -c "tr -d '\r' <'$work/tty' | grep -q '^30 of $total results'"
    check "and prints the list's table header" grep -q '^ *ID STATUS' "$work/tty"
else
    skip "the terminal check needs script(1)"
    skip "the terminal check needs script(1)"
fi

# --- a query longer than 512 characters is refused before any request
long=$(python3 -c 'print("status:2 AND " + "x" * 500)')
before=$(requests)
"$FDESK" search "$long" >"$work/out" 2>"$work/err"
check "a 513-character query exits 2" test $? -eq 2
check "with a clear message" grep -q 'at most 512' "$work/err"
check "and sends no request" test "$(requests)" -eq "$before"

# --- a malformed query: the server's 400 message, exit 1
"$FDESK" search 'nosuchfield:3' >"$work/out" 2>"$work/err"
check "a malformed query exits 1" test $? -eq 1
check "with the server's message" grep -q 'nosuchfield is not a valid search field' "$work/err"

# --- usage errors
"$FDESK" search >"$work/out" 2>"$work/err"
check "no query is a usage error" test $? -eq 2
"$FDESK" search --page 11 'status:2' 2>"$work/err"
check "--page 11 is a usage error" test $? -eq 2
"$FDESK" search --page 2 --all 'status:2' 2>"$work/err"
check "--page with --all is a usage error" test $? -eq 2
"$FDESK" search --format xml 'status:2' 2>"$work/err"
check "an unknown format is a usage error" test $? -eq 2

# --- unreachable server: exit 1 with the network message
FDESK_URL=http://127.0.0.1:9 "$FDESK" search 'status:2' >"$work/out" 2>"$work/err"
check "an unreachable server exits 1" test $? -eq 1
check "with a message" grep -q '^fdesk: search: ' "$work/err"
rm -rf "$XDG_CACHE_HOME"
FDESK_URL=http://127.0.0.1:9 "$FDESK" search 'status:2' 2>"$work/err"
check "a failed search creates no cache" test ! -e "$XDG_CACHE_HOME/fdesk/127.0.0.1-9.db"

done_testing
