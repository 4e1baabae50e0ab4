#!/bin/sh
# attach-sim.sh: files attached to a reply or note reach the simulator; a
# private copy in the state directory makes a queued reply send the file as
# attached even after the original is deleted, and is removed once sent; more
# than 20 MB is refused before anything is queued.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/outbox/lib.sh"
need_python
start_sim || { not_ok "simulator starts"; done_testing; exit 1; }

attachments() { # attachments TICKET TEXT: "name:size" of the matching conversation's files
    $SIMCTL convs "$PORT" "$1" "$2" | ${PYTHON3:-python3} -c '
import json, sys
for line in sys.stdin:
    for a in json.loads(line).get("attachments") or []:
        print("%s:%s" % (a["name"], a["size"]))'
}

printf 'log line %s\n' 1 2 3 >"$work/server.log"
size=$(wc -c <"$work/server.log" | tr -d ' ')
rc=$(printf 'See the log, attached.\n' | fdesk_rc reply 8 -a "$work/server.log" -)
check "a reply with an attachment exits 0" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$work/err")"
check "the file arrived with its name and size" \
    [ "$(attachments 8 "See the log, attached.")" = "server.log:$size" ]

rc=$(printf 'Internal: screenshot\n' | fdesk_rc note 8 --attach "$work/server.log" -)
check "a note with an attachment exits 0" [ "$rc" = 0 ]
check "the note's file arrived" [ "$(attachments 8 "Internal: screenshot")" = "server.log:$size" ]

stop_sim
printf 'queued attachment body\n' >"$work/later.txt"
size=$(wc -c <"$work/later.txt" | tr -d ' ')
rc=$(printf 'File follows when online.\n' | fdesk_rc reply 8 -a "$work/later.txt" -)
check "offline, the reply with a file is queued (exit 4)" [ "$rc" = 4 ]
copies=$(find "$XDG_STATE_HOME/fdesk/attachments" -type f | wc -l | tr -d ' ')
check "a private copy of the file is kept in the state directory" [ "$copies" = 1 ]
mode=$(find "$XDG_STATE_HOME/fdesk/attachments" -type f -exec stat -c %a {} \;)
check "the copy is readable only by its owner" [ "$mode" = 600 ]
rm -f "$work/later.txt"
start_sim || { not_ok "simulator restarts"; done_testing; exit 1; }
rc=$(fdesk_rc outbox flush)
check "flush sends it although the original is gone" [ "$rc" = 0 ]
check "the queued file arrived intact" \
    [ "$(attachments 8 "File follows when online.")" = "later.txt:$size" ]
copies=$(find "$XDG_STATE_HOME/fdesk/attachments" -type f | wc -l | tr -d ' ')
check "the copy is removed once the server confirmed" [ "$copies" = 0 ]

truncate -s 21M "$work/big.bin"
rc=$(printf 'Too big.\n' | fdesk_rc reply 8 -a "$work/big.bin" -)
check "more than 20 MB of attachments is refused" [ "$rc" = 1 ]
check "the message names the limit" grep -q "20 MB" "$work/err"
rc=$(fdesk_rc outbox list)
check "nothing was queued" grep -q "The outbox is empty" "$work/out"
rc=$(printf 'Missing file.\n' | fdesk_rc reply 8 -a "$work/nope.txt" -)
check "a missing file is refused" [ "$rc" = 1 ]
done_testing
