#!/bin/sh
# update-sim.sh: `fdesk update` resolves agent, group and status names from
# the cache filled by `fdesk sync`, adds and removes tags, changes several
# tickets with one bulk_update, and a refused write (400 with a field error,
# 404) is kept in the outbox with the server's message until dropped.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/outbox/lib.sh"
need_python
start_sim || { not_ok "simulator starts"; done_testing; exit 1; }

field() { # field TICKET EXPR: a value of the ticket as the simulator has it
    $SIMCTL ticket "$PORT" "$1" | ${PYTHON3:-python3} -c "import json,sys; t=json.load(sys.stdin); print($2)"
}

rc=$(fdesk_rc update 3 --group Escalations)
check "names need the cache: without it the update is refused" [ "$rc" = 1 ]
check "it says to run fdesk sync" grep -q "fdesk sync" "$work/err"
rc=$(fdesk_rc outbox)
check "nothing was queued for an unresolved name" grep -q "The outbox is empty" "$work/out"

rc=$(fdesk_rc sync)
check "fdesk sync fills the cache" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$work/err")"

rc=$(fdesk_rc update 3 --status pending --priority urgent \
    --assign bjorn@acme-support.example.com --group Escalations --tag +vip --tag +later)
check "fdesk update with names exits 0" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$work/err")"
check "status set by its label" [ "$(field 3 't["status"]')" = 3 ]
check "priority set by name" [ "$(field 3 't["priority"]')" = 4 ]
check "agent found by e-mail" [ "$(field 3 't["responder_id"]')" = 67013469901 ]
check "group found by name" [ "$(field 3 't["group_id"]')" = 67000259992 ]
check "tags added" [ "$(field 3 '",".join(sorted(t["tags"]))')" = "later,vip" ]
"$FDESK" show 3 --format json >"$work/show.json" 2>/dev/null
check "the cache has the server's copy at once (no sync needed)" ${PYTHON3:-python3} -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert t["status"] == 3 and t["priority"] == 4, (t["status"], t["priority"])' "$work/show.json"
rc=$(printf 'Cached at once %s\n' "$$" | fdesk_rc reply 3 -)
check "a confirmed reply is in the cache before the next sync" \
    sh -c '"$1" show 3 2>/dev/null | grep -q "Cached at once $2"' _ "$FDESK" "$$"

rc=$(fdesk_rc update 3 --type Question --group none)
check "--type and --group none exit 0" [ "$rc" = 0 ]
check "the type is set" [ "$(field 3 't["type"]')" = Question ]
check "the group is cleared" [ "$(field 3 't["group_id"]')" = None ]

rc=$(fdesk_rc update 3 --assign me --tag -vip)
check "--assign me and --tag -x exit 0" [ "$rc" = 0 ]
check "assigned to the key's own agent" [ "$(field 3 't["responder_id"]')" = 67013469900 ]
check "only the removed tag is gone" [ "$(field 3 '",".join(t["tags"])')" = "later" ]

rc=$(fdesk_rc update 4 5 6 --status resolved)
check "an update of several tickets exits 0" [ "$rc" = 0 ]
check "it went out as one bulk_update" [ "$($SIMCTL posts "$PORT" bulk_update | grep -c '"ids": \[4, 5, 6\]')" = 1 ]
check "every ticket of the bulk update is resolved" \
    [ "$(field 4 't["status"]') $(field 5 't["status"]') $(field 6 't["status"]')" = "4 4 4" ]

rc=$(fdesk_rc update 3 --status 99)
check "a validation error exits 1" [ "$rc" = 1 ]
check "it shows the field message" grep -q "status: .*It should be one of these values" "$work/err"
rc=$(fdesk_rc outbox list)
check "the refused item is kept with the field message" grep -q "It should be one of these values" "$work/out"
item=$(sed -n 's/^\([0-9][0-9]*\) *failed *update.*/\1/p' "$work/out")
rc=$(printf 'To a ticket that does not exist\n' | fdesk_rc reply 999999 -)
check "a reply to a missing ticket exits 1" [ "$rc" = 1 ]
rc=$(fdesk_rc outbox list)
check "that reply is kept too" grep -q "failed *reply *#999999" "$work/out"

rc=$(fdesk_rc outbox drop "$item" </dev/null)
check "drop without --yes and without a terminal refuses" [ "$rc" = 2 ]
rc=$(fdesk_rc outbox drop "$item" --yes)
check "drop --yes removes the item" [ "$rc" = 0 ]
rc=$(fdesk_rc outbox list)
check "it is gone from the list" sh -c '! grep -q "failed *update" "$1"' _ "$work/out"
done_testing
