#!/bin/sh
# editor-sim.sh: `fdesk reply ID` at a terminal without -f opens $EDITOR on a
# private file; what the editor saves is sent; a failing editor or an empty
# text queues nothing. The terminal is a pseudo-terminal from python3.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/outbox/lib.sh"
need_python
start_sim || { not_ok "simulator starts"; done_testing; exit 1; }

# on_tty CMD...: runs CMD with a pty as its terminal; prints its exit status.
on_tty() {
    ${PYTHON3:-python3} -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
_, status = os.waitpid(pid, 0)
open(os.environ["TTY_LOG"], "wb").write(out)
print(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128)' "$@"
}
export TTY_LOG="$work/tty.log"

tag="edited-$$"
cat >"$work/editor.sh" <<EOS
#!/bin/sh
stat -c %a "\$1" >"$work/mode"
printf 'Written in the editor %s\n' "$tag" >>"\$1"
EOS
chmod +x "$work/editor.sh"
rc=$(EDITOR="$work/editor.sh" VISUAL= on_tty "$FDESK" reply 7)
check "fdesk reply at a terminal runs the editor and exits 0" [ "$rc" = 0 ]
[ "$rc" = 0 ] || diag "$(cat "$TTY_LOG")"
check "the editor's file was private (0600)" [ "$(cat "$work/mode")" = 600 ]
check "what the editor saved was sent once" [ "$(count_convs 7 "Written in the editor $tag")" = 1 ]
check "no temporary file is left" [ -z "$(find "$XDG_STATE_HOME" -name 'fdesk-edit-*')" ]

rc=$(EDITOR=false VISUAL= on_tty "$FDESK" note 7)
check "a failing editor exits 1" [ "$rc" = 1 ]
check "it says nothing was queued" grep -q "nothing was queued" "$TTY_LOG"
rc=$(EDITOR=true VISUAL= on_tty "$FDESK" reply 7)
check "an editor that saves nothing exits 1" [ "$rc" = 1 ]
rc=$(fdesk_rc outbox list)
check "nothing was queued by either" grep -q "The outbox is empty" "$work/out"
done_testing
