#!/bin/sh
# offline-sim.sh: with the simulator stopped a reply is queued (exit 4) and
# listed; after the simulator is started again `fdesk outbox flush` sends it
# exactly once, and a second flush sends nothing.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/outbox/lib.sh"
need_python
start_sim || { not_ok "simulator starts"; done_testing; exit 1; }
stop_sim # keep its port, nothing listens there now

tag="offline-$$"
rc=$(printf 'Sent while offline %s\n' "$tag" | fdesk_rc reply 5 -)
check "fdesk reply exits 4 (queued) when the server is unreachable" [ "$rc" = 4 ]
check "it says the reply is queued" grep -q "queued as outbox item" "$work/err"
rc=$(fdesk_rc outbox)
check "fdesk outbox lists the queued reply with its ticket" grep -q "queued *reply *#5" "$work/out"
rc=$(fdesk_rc outbox list --format json)
check "--format json lists it as data" ${PYTHON3:-python3} -c '
import json, sys
items = json.load(open(sys.argv[1]))
assert len(items) == 1, items
i = items[0]
assert i["state"] == "queued" and i["kind"] == "reply" and i["ticket_ids"] == [5], i
assert sys.argv[2] in i["text"] and "127.0.0.1" in i["error"], i  # why the last try failed' "$work/out" "$tag"
rc=$(fdesk_rc outbox flush)
check "flush while still offline exits 4 and keeps it" [ "$rc" = 4 ]

start_sim || { not_ok "simulator restarts"; done_testing; exit 1; }
check "the restarted simulator has no such reply yet" [ "$(count_convs 5 "$tag")" = 0 ]
rc=$(fdesk_rc outbox flush)
check "fdesk outbox flush exits 0" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$work/out" "$work/err")"
check "it reports the item sent" grep -q "(reply, ticket 5): sent" "$work/out"
check "the reply arrived exactly once" [ "$(count_convs 5 "$tag")" = 1 ]
rc=$(fdesk_rc outbox flush)
check "a second flush has nothing to send" grep -q "Nothing to send" "$work/out"
check "still exactly one reply" [ "$(count_convs 5 "$tag")" = 1 ]

# Order per ticket: two replies queued offline go out before a third one
# written once the link is back, in the order they were written.
stop_sim
for n in first second; do
    rc=$(printf '%s queued %s\n' "$n" "$tag" | fdesk_rc reply 6 -)
    check "the $n reply is queued" [ "$rc" = 4 ]
done
start_sim || { not_ok "simulator restarts"; done_testing; exit 1; }
rc=$(printf 'third queued %s\n' "$tag" | fdesk_rc reply 6 -)
check "the third reply is confirmed" [ "$rc" = 0 ]
order=$($SIMCTL convs "$PORT" 6 "queued $tag" | ${PYTHON3:-python3} -c '
import json, sys
convs = sorted((json.loads(l) for l in sys.stdin), key=lambda c: (c["created_at"], c["id"]))
print(" ".join(c["body_text"].split()[0] for c in convs))')
check "all three arrived once, in the order written" [ "$order" = "first second third" ]
done_testing
