/* drafts.h: the agent's unsent replies and notes, one per (ticket, kind), kept
 * in the state database so they survive a crash, a hang-up or a reboot.
 *
 * Rules (issue 7): drafts_save() has committed to disk when it returns 0; a
 * draft is removed only by drafts_discard() (the agent threw it away) or by
 * drafts_delete_if_sent() when the server confirmed the send of exactly that
 * text. Nothing else deletes a draft. */
#ifndef FD_DRAFTS_H
#define FD_DRAFTS_H

#include <stdbool.h>
#include <stdint.h>

#include "src/model.h"
#include "src/state.h"

enum draft_kind { DRAFT_REPLY = 0, DRAFT_NOTE = 1 };

struct draft {
    fd_id ticket_id;
    enum draft_kind kind;
    char *body; /* plain text as typed, UTF-8; never NULL after a load */
    char *cc;   /* comma-separated addresses, "" when none */
    char *bcc;
    bool is_public;     /* a reply is always public; a note is private unless made public */
    int64_t updated_at; /* ms since the epoch */
};

/* Stores d (insert or replace), stamping updated_at with the current time.
 * NULL strings are stored as "". Durable before it returns 0; -1 on failure. */
int drafts_save(struct state_db *st, struct draft *d);

/* Loads the draft of (ticket_id, kind) into *out. Returns 1 when found, 0 when
 * there is none, -1 on a database error. Release with drafts_clear(). */
int drafts_load(struct state_db *st, fd_id ticket_id, enum draft_kind kind, struct draft *out);

/* Removes the draft of (ticket_id, kind): the agent discarded it. */
int drafts_discard(struct state_db *st, fd_id ticket_id, enum draft_kind kind);

/* Called when the server confirmed a send of body: removes the draft of
 * (ticket_id, kind) only if it still holds exactly that body (the agent may
 * have started a new one since). Returns 1 if removed, 0 if not, -1 on error. */
int drafts_delete_if_sent(struct state_db *st, fd_id ticket_id, enum draft_kind kind,
                          const char *body);

/* Every draft, most recently saved first (a list of unsent work). *out is
 * NULL when there is none. Free with drafts_free_list(). 0 or -1. */
int drafts_list(struct state_db *st, struct draft **out, size_t *count);
void drafts_free_list(struct draft *drafts, size_t count);

/* Number of drafts stored (for the status bar). -1 on error. */
int drafts_count(struct state_db *st);

void drafts_clear(struct draft *d);

#endif
