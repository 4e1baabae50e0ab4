#!/bin/sh
# run.sh: `fdesk sync` against the naive tutorial loop (naive.sh), measured in
# the same run against one fdesk-sim with --latency 50 (never part of make check).
#
# Usage: bench/sync/run.sh [BUILD_DIR] [TICKETS] [REPEAT]   (defaults: . 20000 3)
#
# The two are interleaved REPEAT times (naive, fdesk, naive, fdesk, ...) and
# the medians are reported. Requests and credits come from the simulator's
# request log; fdesk's peak RSS from GNU time. The range is 365 days
# (sync_since_days = 365 for fdesk, updated_since for the naive loop) so both
# aim at every ticket of the generated account (its tickets span 180 days).
# The naive loop stops at Freshdesk's 300-page cap (9,000 tickets at
# per_page=30), as the tutorial loop does, so the ratios are per ticket.
# FDESK_BENCH_DAYS and FDESK_BENCH_PARALLEL (max_parallel, default 4) vary fdesk's settings.
set -eu
build=${1:-.}
tickets=${2:-20000}
repeat=${3:-3}
days=${FDESK_BENCH_DAYS:-365}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
simpid=
trap '[ -n "$simpid" ] && kill $simpid 2>/dev/null; rm -rf "$work"' EXIT INT TERM

"$build/fdesk-sim" --port 0 --tickets "$tickets" --latency 50 --rate-limit 100000000 \
    --log "$work/requests.log" > "$work/sim.out" 2>&1 &
simpid=$!
i=0
until grep -q 'listening on' "$work/sim.out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 600 ] && { echo "fdesk-sim did not start" >&2; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/sim.out" | head -1)

requests() { wc -l < "$work/requests.log"; }
credits() {
    sed -n 's/.*"credits":\([0-9]*\).*/\1/p' "$work/requests.log" | awk '{ n += $1 } END { print n + 0 }'
}
now() { date +%s.%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

since=$(date -u -d "@$(( $(date -u +%s) - days * 86400 ))" +%Y-%m-%dT%H:%M:%SZ)
export FRESHDESK_API_KEY=sim-api-key FDESK_URL="$url"
export XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_CONFIG_HOME/fdesk"
printf 'sync_since_days = %s\n' "$days" > "$XDG_CONFIG_HOME/fdesk/config"
[ -n "${FDESK_BENCH_PARALLEL:-}" ] &&
    printf 'max_parallel = %s\n' "$FDESK_BENCH_PARALLEL" >> "$XDG_CONFIG_HOME/fdesk/config"
chmod 600 "$XDG_CONFIG_HOME/fdesk/config"

n=1
while [ $n -le "$repeat" ]; do
    r0=$(requests); c0=$(credits); t0=$(now)
    naive=$(sh "$here/naive.sh" "$url" "$since" "$work")
    t1=$(now); r1=$(requests); c1=$(credits)
    export XDG_CACHE_HOME="$work/cache$n"
    /usr/bin/time -f '%M' -o "$work/rss" "$build/fdesk" sync 2> "$work/sync.err"
    t2=$(now); r2=$(requests); c2=$(credits)
    stored=$("$build/fdesk" list --format tsv | wc -l) # distinct tickets in the cache
    echo "$t0 $t1" | awk '{ print $2 - $1 }' >> "$work/naive.time"
    echo "$t1 $t2" | awk '{ print $2 - $1 }' >> "$work/fdesk.time"
    echo "$naive" | awk '{ print $4 }' > "$work/naive.tickets"
    echo "$stored" > "$work/fdesk.tickets"
    echo $((r1 - r0)) > "$work/naive.requests"; echo $((c1 - c0)) > "$work/naive.credits"
    echo $((r2 - r1)) > "$work/fdesk.requests"; echo $((c2 - c1)) > "$work/fdesk.credits"
    cat "$work/rss" >> "$work/fdesk.rss"
    echo "run $n: naive $(tail -1 "$work/naive.time") s, fdesk $(tail -1 "$work/fdesk.time") s" >&2
    n=$((n + 1))
done

nt=$(median < "$work/naive.time"); ft=$(median < "$work/fdesk.time")
nk=$(cat "$work/naive.tickets"); fk=$(cat "$work/fdesk.tickets")
nr=$(cat "$work/naive.requests"); fr=$(cat "$work/fdesk.requests")
echo "account: $tickets tickets; range $days days; latency 50 ms; max_parallel ${FDESK_BENCH_PARALLEL:-4};" \
    "medians of $repeat interleaved runs"
echo "naive loop:  $nt s, $nr requests, $(cat "$work/naive.credits") credits, $nk tickets"
echo "fdesk sync:  $ft s, $fr requests, $(cat "$work/fdesk.credits") credits, $fk tickets," \
    "peak RSS $(median < "$work/fdesk.rss") KiB"
awk -v nt="$nt" -v ft="$ft" -v nk="$nk" -v fk="$fk" -v nr="$nr" -v fr="$fr" 'BEGIN {
    printf "per ticket: fdesk is %.1fx faster and makes %.1fx fewer requests\n",
        (nt / nk) / (ft / fk), (nr / nk) / (fr / fk)
    printf "absolute:   %.1fx the tickets in %.2fx the time with %.2fx the requests\n",
        fk / nk, ft / nt, fr / nr
}'
