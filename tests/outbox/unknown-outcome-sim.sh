#!/bin/sh
# unknown-outcome-sim.sh: a reply whose outcome is unknown is never posted
# twice. (1) The simulator drops the connection after taking the reply: the
# command exits 4, and flush finds the reply on the server instead of posting
# it again. (2) `fdesk reply` is killed with SIGKILL while its POST is held by
# a stalled simulator: flush checks the server, then sends it exactly once.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/outbox/lib.sh"
need_python
start_sim || { not_ok "simulator starts"; done_testing; exit 1; }

tag="dropped-$$"
$SIMCTL faults "$PORT" '{"drop": 1}'
rc=$(printf 'Answer through a dropped link %s\n' "$tag" | fdesk_rc reply 9 -)
check "a dropped connection leaves the reply queued (exit 4)" [ "$rc" = 4 ]
[ "$rc" = 4 ] || diag "$(cat "$work/out" "$work/err")"
rc=$(fdesk_rc outbox list)
check "the item's outcome is unknown" grep -q "unknown *reply *#9" "$work/out"
$SIMCTL faults "$PORT" '{"drop": 0}'
check "the simulator did take the reply once" [ "$(count_convs 9 "$tag")" = 1 ]
rc=$(fdesk_rc outbox flush)
check "flush exits 0" [ "$rc" = 0 ]
check "flush found it already on the server" grep -q "already on the server" "$work/out"
check "still exactly one reply" [ "$(count_convs 9 "$tag")" = 1 ]
check "the simulator received exactly one reply POST" \
    [ "$($SIMCTL posts "$PORT" reply 9 | grep -c "$tag")" = 1 ]

tag="killed-$$"
$SIMCTL faults "$PORT" '{"stall": 1, "stall_ms": 600000}'
printf 'Answer from a process that gets killed %s\n' "$tag" >"$work/text"
"$FDESK" reply 11 -f "$work/text" >"$work/kill.out" 2>&1 &
reply_pid=$!
i=0
while ! "$FDESK" outbox list 2>/dev/null | grep -q "sending *reply *#11"; do
    i=$((i + 1))
    [ $i -gt 200 ] && break
    sleep 0.05
done
check "the reply is being sent" [ $i -le 200 ]
# The simulator takes the write, then holds its answer: wait until it has it.
i=0
until $SIMCTL posts "$PORT" reply 11 | grep -q "$tag"; do
    i=$((i + 1))
    [ $i -gt 200 ] && break
    sleep 0.05
done
check "the simulator took the POST and holds the answer" [ $i -le 200 ]
kill -9 "$reply_pid"
wait "$reply_pid" 2>/dev/null
$SIMCTL faults "$PORT" '{"stall": 0}'
rc=$(fdesk_rc outbox list)
check "after kill -9 the item is still there" grep -q "sending *reply *#11" "$work/out"
rc=$(fdesk_rc outbox flush)
check "flush after kill -9 exits 0" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$work/out" "$work/err")"
check "flush found the killed send on the server instead of posting again" \
    grep -q "already on the server" "$work/out"
check "exactly one reply after kill -9 and flush" [ "$(count_convs 11 "$tag")" = 1 ]
check "the simulator holds exactly one reply POST with that text" \
    [ "$($SIMCTL posts "$PORT" reply 11 | grep -c "$tag")" = 1 ]

# Killed while the POST had not reached the server: flush finds nothing
# and sends it, once. A listener that never answers stands in for the server.
stop_sim
${PYTHON3:-python3} "$top_srcdir/tests/outbox/blackhole.py" "$PORT" >"$work/hole.out" 2>&1 &
hole_pid=$!
i=0
until grep -q listening "$work/hole.out" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 200 ] && break
    sleep 0.05
done
tag="unsent-$$"
printf 'Answer that never left %s\n' "$tag" >"$work/text"
"$FDESK" reply 12 -f "$work/text" >"$work/kill.out" 2>&1 &
reply_pid=$!
i=0
while ! "$FDESK" outbox list 2>/dev/null | grep -q "sending *reply *#12"; do
    i=$((i + 1))
    [ $i -gt 200 ] && break
    sleep 0.05
done
check "the reply is being sent to a server that does not answer" [ $i -le 200 ]
kill -9 "$reply_pid"
wait "$reply_pid" 2>/dev/null
kill "$hole_pid"
wait "$hole_pid" 2>/dev/null
hole_pid=
start_sim || { not_ok "simulator restarts"; done_testing; exit 1; }
rc=$(fdesk_rc outbox flush)
check "flush after the kill exits 0" [ "$rc" = 0 ]
check "it checked, found nothing, and sent it" grep -q "(reply, ticket 12): sent" "$work/out"
check "exactly one reply" [ "$(count_convs 12 "$tag")" = 1 ]

# An update whose answer is lost is checked by reading the ticket back.
$SIMCTL faults "$PORT" '{"drop": 1}'
rc=$(fdesk_rc update 13 --priority urgent --tag +checked)
check "an update through a dropped link stays queued (exit 4)" [ "$rc" = 4 ]
$SIMCTL faults "$PORT" '{"drop": 0}'
rc=$(fdesk_rc outbox flush)
check "flush confirms the update" [ "$rc" = 0 ]
check "the ticket has the change" sh -c '$1 ticket "$2" 13 | grep -q "\"priority\": 4"' _ "$SIMCTL" "$PORT"
done_testing
