/* compose.h: the text an editor starts from when the agent opens a reply:
 * the quoted last customer message and the signature, built as plain text
 * (the outbox turns the final text into HTML). No curses: unit-tested. */
#ifndef FD_COMPOSE_H
#define FD_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "src/model.h"

/* Index of the newest message from the customer in convs (oldest first):
 * the last incoming conversation, or -1 when there is none (then quote the
 * ticket's description). */
long compose_last_customer_message(const struct fd_conversation *convs, size_t count);

/* A quote for a reply: an attribution line "On 2024-06-03 14:02 UTC, Ann
 * wrote:" (author NULL: "the customer"; when 0: no date), then every line
 * of body_text prefixed with "> " (blank lines with ">"), trailing blank
 * lines dropped, CRLF read as LF. The body is sanitised (text.h) first.
 * Newly allocated; NULL only when out of memory. */
char *compose_quote(const char *author, fd_time when, const char *body_text);

/* The signature block to append: "\n-- \n" + the signature as text.
 * signature is HTML (an agent's profile signature) when is_html, else plain
 * text (the config's `signature`). "" when signature is NULL or blank. */
char *compose_signature(const char *signature, bool is_html);

/* ---- an editing session: the editor buffer tied to its draft ----------
 * What the reply/note editor needs below the screen: open restores the saved
 * draft (restored = true, so the UI can say so), every edit is followed by
 * compose_touch(), the UI's poll() timeout comes from compose_autosave_in(),
 * and compose_save() writes the draft durably. compose_queue() puts the text
 * in the outbox (the draft stays until the server confirms the send);
 * compose_discard() throws the draft away. The UI also calls compose_save()
 * at once on SIGHUP, SIGTERM, SIGINT or when the terminal goes away. */

#include "src/drafts.h"
#include "src/editbuf.h"
#include "src/state.h"

/* An unsaved change is saved this long after the last keystroke, and never
 * later than COMPOSE_SAVE_MAX_MS after the first unsaved one. */
#define COMPOSE_SAVE_IDLE_MS 300
#define COMPOSE_SAVE_MAX_MS  1000

struct compose {
    fd_id ticket_id;
    enum draft_kind kind;
    bool is_public; /* notes only; a reply is always public */
    char *cc, *bcc; /* never NULL while open */
    struct editbuf buf;
    bool restored;       /* the text came from a saved draft */
    int64_t restored_at; /* when that draft was saved (ms) */
    int64_t dirty_since; /* first unsaved change (ms), 0 = all saved */
    int64_t last_change; /* last change (ms) */
};

/* Opens the editor state for (ticket, kind), restoring the draft if one is
 * saved. Returns 0, or -1 (database error or out of memory). */
int compose_open(struct compose *c, struct state_db *st, fd_id ticket_id, enum draft_kind kind);

/* Records that the text (or cc, bcc, public flag) changed at now_ms. */
void compose_touch(struct compose *c, int64_t now_ms);

/* Milliseconds until the draft should be saved (0 = now), or -1 when
 * everything is saved: the UI's poll() timeout. */
long compose_autosave_in(const struct compose *c, int64_t now_ms);

/* Saves the draft durably (also when nothing changed). 0 or -1. */
int compose_save(struct compose *c, struct state_db *st);

/* Switches between reply and note: the text moves to the other kind's draft
 * (replacing it) and the old one is removed, in one transaction. 0 or -1. */
int compose_switch_kind(struct compose *c, struct state_db *st, enum draft_kind kind);

/* Saves the draft, then queues the text (with the attachments) in the
 * outbox. Returns 0 with *item set, or -1 with err filled (empty text, too
 * large attachments, database error); the draft is kept either way. */
int compose_queue(struct compose *c, struct state_db *st, const char *const *attachments,
                  size_t attachment_count, int64_t *item, char *err, size_t errsize);

/* Removes the draft (the agent discarded it). 0 or -1. */
int compose_discard(struct compose *c, struct state_db *st);

void compose_close(struct compose *c);

#endif
