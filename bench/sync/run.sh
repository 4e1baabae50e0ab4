#!/bin/sh
# run.sh: `fdesk sync` against the naive tutorial loop (naive.sh), in one run,
# against fdesk-sim with --latency 50 (never part of make check).
# Usage: bench/sync/run.sh [BUILD_DIR] [TICKETS]     (defaults: . and 20000)
# Reports wall time, requests and credits (from the simulator's /__sim/stats),
# tickets fetched, and fdesk's peak RSS (GNU time), then the ratios.
set -eu
build=${1:-.}
tickets=${2:-20000}
days=${FDESK_BENCH_DAYS:-365}
work=$(mktemp -d)
trap 'kill $simpid 2>/dev/null; rm -rf "$work"' EXIT INT TERM

"$build/fdesk-sim" --port 0 --tickets "$tickets" --latency 50 --rate-limit 100000000 \
    --log "$work/requests.log" > "$work/sim.out" 2>&1 &
simpid=$!
i=0
until grep -q 'listening on' "$work/sim.out" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 300 ] && { echo "fdesk-sim did not start" >&2; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$work/sim.out" | head -1)
# Requests and credits so far, from the simulator's request log (one JSON line each).
stat() {
    case $1 in
    requests) wc -l < "$work/requests.log" ;;
    credits_used) sed -n 's/.*"credits":\([0-9]*\).*/\1/p' "$work/requests.log" | awk '{ n += $1 } END { print n + 0 }' ;;
    esac
}
now=$(date -u +%s)
since=$(date -u -d "@$((now - days * 86400))" +%Y-%m-%dT%H:%M:%SZ)
export FRESHDESK_API_KEY=sim-api-key FDESK_URL="$url"
export XDG_CACHE_HOME="$work/cache" XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_CONFIG_HOME/fdesk"
printf 'sync_since_days = %s\n' "$days" > "$XDG_CONFIG_HOME/fdesk/config"
chmod 600 "$XDG_CONFIG_HOME/fdesk/config"

r0=$(stat requests); c0=$(stat credits_used)
t0=$(date +%s.%N)
naive=$(sh "$(dirname "$0")/naive.sh" "$url" "$since" "$work")
t1=$(date +%s.%N)
r1=$(stat requests); c1=$(stat credits_used)
/usr/bin/time -f '%M' -o "$work/rss" "$build/fdesk" sync 2> "$work/sync.err"
t2=$(date +%s.%N)
r2=$(stat requests); c2=$(stat credits_used)
stored=$("$build/fdesk" list --format tsv | wc -l)

naive_t=$(echo "$t1 - $t0" | bc); fdesk_t=$(echo "$t2 - $t1" | bc)
naive_tickets=$(echo "$naive" | awk '{print $4}')
echo "tickets in account: $tickets, range: $days days, latency 50 ms"
echo "naive:  $naive_t s, $((r1 - r0)) requests, $((c1 - c0)) credits, $naive_tickets tickets"
echo "fdesk:  $fdesk_t s, $((r2 - r1)) requests, $((c2 - c1)) credits, $stored tickets, peak RSS $(cat "$work/rss") KiB"
echo "per ticket: time ratio $(echo "scale=1; ($naive_t / $naive_tickets) / ($fdesk_t / $stored)" | bc)x," \
     "request ratio $(echo "scale=2; ($((r1 - r0)) / $naive_tickets) / ($((r2 - r1)) / $stored)" | bc)x"
tail -1 "$work/sync.err"
