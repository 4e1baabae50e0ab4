# lib.sh: shared set-up for the outbox integration tests: a private XDG tree,
# an fdesk-sim on a loopback port, and helpers to stop and restart it on the
# same port. Source after tests/lib/tap.sh.

work=$(mktemp -d "${TMPDIR:-/tmp}/fdesk-outbox-XXXXXX")
export XDG_STATE_HOME="$work/state" XDG_CACHE_HOME="$work/cache" XDG_CONFIG_HOME="$work/config"
export FRESHDESK_API_KEY=sim-api-key
unset FRESHDESK_DOMAIN FDESK_CONFIG
SIMCTL="${PYTHON3:-python3} $top_srcdir/tests/outbox/simctl.py"
sim_pid=
PORT=0

cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    [ -n "${hole_pid:-}" ] && kill "$hole_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# start_sim [ARGS...]: starts fdesk-sim on $PORT (0 = any free port) and sets
# PORT and FDESK_URL from its first line.
start_sim() {
    : >"$work/sim.out"
    "$FDESK_SIM" --port "$PORT" --tickets 40 --admin "$@" >"$work/sim.out" 2>"$work/sim.err" &
    sim_pid=$!
    i=0
    while ! grep -q '^listening on http://127.0.0.1:' "$work/sim.out"; do
        i=$((i + 1))
        if [ $i -gt 200 ] || ! kill -0 "$sim_pid" 2>/dev/null; then
            diag "fdesk-sim did not start:" "$(cat "$work/sim.err")"
            return 1
        fi
        sleep 0.05
    done
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$work/sim.out" | head -n 1)
    export FDESK_URL="http://127.0.0.1:$PORT"
}

stop_sim() {
    kill "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
    sim_pid=
}

# count_replies TICKET TEXT: conversations of TICKET that hold TEXT.
count_convs() {
    $SIMCTL count "$PORT" "$1" "$2"
}

# fdesk_rc CMD...: runs fdesk, keeps its output in $work/out, $work/err; prints the status.
fdesk_rc() {
    "$FDESK" "$@" >"$work/out" 2>"$work/err"
    echo $?
}

need_python() {
    if ! ${PYTHON3:-python3} -c 'import json, urllib.request' 2>/dev/null; then
        echo "1..0 # SKIP python3 is needed to read the simulator back"
        exit 77
    fi
}
