#!/bin/sh
# fdesk-sim's command line: the first stdout line names the port, the key comes from
# --api-key or FDESK_SIM_API_KEY (default sim-api-key), SIGTERM and SIGINT stop it with
# exit 0, usage errors exit 2.
. "$top_srcdir/tests/lib/tap.sh"
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# start_sim ARGS...: starts fdesk-sim, waits for its first line, sets $pid and $url
start_sim() {
  rm -f "$tmp/out" # else the previous simulator's line may be read before the shell truncates it
  "$FDESK_SIM" --port 0 "$@" > "$tmp/out" 2> "$tmp/err" &
  pid=$!
  i=0
  while [ $i -lt 100 ] && ! grep -q . "$tmp/out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
  url=$(head -n 1 "$tmp/out" | sed -n 's|^listening on \(http://127\.0\.0\.1:[0-9][0-9]*\)$|\1|p')
}

# stop_sim SIGNAL: sends it and sets $status to the exit status
stop_sim() {
  kill "-$1" "$pid"
  wait "$pid"
  status=$?
  pid=
}

code() { curl -s -o "$tmp/body" -w '%{http_code}' "$@"; }

start_sim --tickets 50
check "the first line is 'listening on http://127.0.0.1:PORT'" [ -n "$url" ]
check "the default key is sim-api-key" [ "$(code -u sim-api-key:X "$url/api/v2/agents/me")" = 200 ]
check "another key is refused with 401" [ "$(code -u other:X "$url/api/v2/agents/me")" = 401 ]
check "the 401 body is invalid_credentials" grep -q '"code":"invalid_credentials"' "$tmp/body"
stop_sim TERM
check "SIGTERM stops it with exit 0" [ "$status" -eq 0 ]

FDESK_SIM_API_KEY=from-env start_sim --tickets 10
check "FDESK_SIM_API_KEY sets the key" [ "$(code -u from-env:X "$url/api/v2/tickets/1")" = 200 ]
stop_sim INT
check "SIGINT stops it with exit 0" [ "$status" -eq 0 ]

FDESK_SIM_API_KEY=from-env start_sim --tickets 10 --api-key from-arg
check "--api-key wins over the environment" [ "$(code -u from-arg:X "$url/api/v2/tickets/1")" = 200 ]
check "... and the environment key is then refused" [ "$(code -u from-env:X "$url/api/v2/tickets/1")" = 401 ]
stop_sim TERM

start_sim --tickets 60 --now 2020-02-29T10:00:00Z
code -u sim-api-key:X "$url/api/v2/tickets?per_page=100&updated_since=2000-01-01T00:00:00Z" > /dev/null
newest=$(grep -o '"created_at":"[^"]*"' "$tmp/body" | cut -d'"' -f4 | sort | tail -n 1)
oldest=$(grep -o '"created_at":"[^"]*"' "$tmp/body" | cut -d'"' -f4 | sort | head -n 1)
case "$newest" in 2020-02-2*) ok "--now sets the account's time (newest ticket $newest)" ;;
  *) not_ok "--now sets the account's time (newest ticket $newest)" ;; esac
case "$oldest" in 2019-0[89]*) ok "the data spreads over the months before --now ($oldest)" ;;
  *) not_ok "the data spreads over the months before --now ($oldest)" ;; esac
stop_sim TERM

start_sim --tickets 100000
check "it starts with 100,000 tickets" [ "$(code -u sim-api-key:X "$url/api/v2/tickets/100000")" = 200 ]
stop_sim TERM

"$FDESK_SIM" --bogus > "$tmp/out" 2> "$tmp/err"; s=$?
check "an unknown option exits 2" [ $s -eq 2 ]
check "... and names the option" grep -q "unknown option '--bogus'" "$tmp/err"
"$FDESK_SIM" --tickets 2000000 > "$tmp/out" 2> "$tmp/err"; s=$?
check "more than 1,000,000 tickets is a usage error" [ $s -eq 2 ]
"$FDESK_SIM" --drop 1.5 > "$tmp/out" 2> "$tmp/err"; s=$?
check "a rate above 1 is a usage error" [ $s -eq 2 ]
"$FDESK_SIM" --help > "$tmp/out"
for opt in --port --bind --api-key --seed --tickets --now --latency --jitter --rate-limit \
    --list-rate-limit --create-rate-limit --update-rate-limit --contacts-list-rate-limit --fail-500 --drop --stall --throttle --log --hostile --data --activity --admin; do
  check "--help lists $opt" grep -q -- "$opt" "$tmp/out"
done
done_testing
