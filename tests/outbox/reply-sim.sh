#!/bin/sh
# reply-sim.sh: `fdesk reply` and `fdesk note` against fdesk-sim: exactly one
# conversation per command, the HTML body escaped as Freshdesk expects (also
# for non-Latin text, checked in what the simulator received), a note private
# unless --public, exit 0 once confirmed, nothing left in the outbox.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/outbox/lib.sh"
need_python
start_sim || { not_ok "simulator starts"; done_testing; exit 1; }

tag="fdesk-test-$$"
text="Hello <b>not bold</b> & more ($tag)
Здравствуйте, 你好, مرحبا

second paragraph"
rc=$(printf '%s\n' "$text" | fdesk_rc reply 7 -)
check "fdesk reply exits 0 once the server confirmed" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$work/err")"
check "it says it was sent" grep -q "reply to ticket 7: sent" "$work/out"
check "the ticket has exactly one conversation with the text" [ "$(count_convs 7 "$tag")" = 1 ]

body=$($SIMCTL posts "$PORT" reply 7 | grep "$tag")
check "the simulator received one reply body" [ "$(printf '%s\n' "$body" | grep -c .)" = 1 ]
check "'<' and '>' arrive escaped" sh -c 'printf "%s" "$1" | grep -q "Hello &lt;b&gt;not bold&lt;/b&gt;"' _ "$body"
check "'&' arrives escaped" sh -c 'printf "%s" "$1" | grep -q " &amp; more"' _ "$body"
check "no raw tag reached the server" sh -c '! printf "%s" "$1" | grep -q "<b>not"' _ "$body"
check "non-Latin text arrives as UTF-8" sh -c 'printf "%s" "$1" | grep -q "Здравствуйте, 你好, مرحبا"' _ "$body"
check "lines and paragraphs are kept" sh -c 'printf "%s" "$1" | grep -q "<br>Здравствуйте.*</p><p>second paragraph</p>"' _ "$body"

rc=$(fdesk_rc outbox list)
check "the outbox is empty afterwards" grep -q "The outbox is empty" "$work/out"

printf 'internal remark %s\n' "$tag" >"$work/note.txt"
rc=$(fdesk_rc note 7 -f "$work/note.txt")
check "fdesk note exits 0" [ "$rc" = 0 ]
conv=$($SIMCTL convs "$PORT" 7 "internal remark $tag")
check "a note is private by default" sh -c 'printf "%s" "$1" | grep -q "\"private\": true"' _ "$conv"

rc=$(printf 'shared remark %s\n' "$tag" | fdesk_rc note 7 --public -)
check "fdesk note --public exits 0" [ "$rc" = 0 ]
conv=$($SIMCTL convs "$PORT" 7 "shared remark $tag")
check "a note made --public is public" sh -c 'printf "%s" "$1" | grep -q "\"private\": false"' _ "$conv"
check "each note arrived once" [ "$(count_convs 7 "remark $tag")" = 2 ]

rc=$(printf '  \n\n' | fdesk_rc reply 7 -)
check "an empty reply is refused before anything is queued" [ "$rc" = 1 ]
rc=$(fdesk_rc reply abc -)
check "a bad ticket id is a usage error" [ "$rc" = 2 ]

done_testing
