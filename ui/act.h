/* act.h: acting on tickets from the TUI (issue 7): the reply/note editor,
 * the review screen, pickers, property changes and bulk changes, drafts and
 * the outbox as the agent sees them.
 *
 * The loop knows act only through the functions in the first block. While
 * act_active() is true an act screen (the editor, the review, a picker) has
 * the keyboard: the loop hands every key to act_key() and paints the screens
 * with act_paint() after the list and detail. Everything act writes goes
 * through the state database (drafts, outbox) before the agent is told it is
 * done; the sync thread sends the outbox (JOB_OUTBOX) and act reacts to its
 * events. The screens themselves (view_editor.c, view_review.c, picker.c)
 * are overlays on a small stack kept here. */
#ifndef FD_UI_ACT_H
#define FD_UI_ACT_H

#include <stdbool.h>
#include <stddef.h>

#include "src/drafts.h"
#include "src/keymap.h"
#include "ui/view.h"

struct tui;

/* ---- what the loop, tui.c and commands.c call ---- */

/* Sets up t->act after the views are open and asks the sync thread to send
 * what the outbox still holds. Returns 0 or -1 (out of memory). */
int act_init(struct tui *t);
/* Saves a draft being written (durably), closes every act screen and frees
 * t->act. Called on every way out: quit, SIGHUP, SIGTERM, SIGINT, a lost
 * terminal. Safe when act_init failed. */
void act_free(struct tui *t);
/* An action from the list or the detail that no view took (reply, note,
 * set-status, ..., mark). Returns true when it was one of act's. */
bool act_dispatch(struct tui *t, enum fd_action action);
/* True while an act screen has the keyboard. */
bool act_active(struct tui *t);
/* Feeds one key to the top act screen; returns VIEW_* flags. */
int act_key(struct tui *t, fd_key key);
/* A bracketed paste arrived (already read in full): one insertion. */
void act_paste(struct tui *t, const char *text, size_t len);
/* Called by the loop for each key read (wget_wch's kind and character):
 * when it is the start of a bracketed paste, reads the paste to its end
 * marker, hands it to act_paste and returns true. */
bool act_input_key(struct tui *t, void *input_window, int kind, unsigned int ch);
/* Paints the act screens (after the list/detail, status bar and message). */
void act_paint(struct tui *t);
/* Reacts to a sync event (outbox results, a re-read ticket, offline). */
void act_on_event(struct tui *t, const struct fd_event *ev);
/* Milliseconds until act needs the loop again (a draft to save), or -1 for
 * never: an idle editor with nothing unsaved causes no wake-ups. */
int act_timeout_ms(struct tui *t);
/* Called after every poll: saves a draft whose time has come. */
void act_tick(struct tui *t);
/* True when ticket id is marked for a bulk change (the list draws a '*'). */
bool act_is_marked(struct tui *t, fd_id id);

/* The terminal modes act needs around an external program: bracketed paste
 * off and curses suspended (act_terminal_leave), then back (enter). */
void act_terminal_leave(struct tui *t);
void act_terminal_enter(struct tui *t);

/* ---- the overlay stack (for view_editor.c, view_review.c, picker.c) ---- */

struct overlay_ops {
    const struct view_ops *view; /* draw, handle (actions), on_event, close */
    /* Sees every key before the keymap; returns VIEW_* flags, or -1 to let
     * the keymap look it up in view->context. NULL = keymap only. */
    int (*key)(struct ui_view *v, struct tui *t, fd_key key);
    /* A text key no binding took (typing). NULL = ignored. */
    int (*text)(struct ui_view *v, struct tui *t, fd_key key);
    /* A bracketed paste. NULL = typed key by key through text. */
    void (*paste)(struct ui_view *v, struct tui *t, const char *s, size_t n);
    /* Milliseconds until it needs a tick, -1 never; and the tick. */
    int (*timeout_ms)(struct ui_view *v, struct tui *t);
    void (*tick)(struct ui_view *v, struct tui *t);
    bool full_screen; /* covers the list and detail (editor, review) */
};

/* Pushes a screen with its private data (owned from now on; freed by
 * ops->view->close). Returns 0, or -1 (data closed) when the stack is full. */
int act_push(struct tui *t, const struct overlay_ops *ops, void *data);
/* Closes the top screen. */
void act_pop(struct tui *t);
/* The screen under v (NULL: the top screen itself), or NULL. */
struct ui_view *act_below(struct tui *t, const struct ui_view *v);
/* The body rectangle act screens draw in (all rows but status and message). */
void act_body(struct tui *t, struct rect *out);
/* The keys bound to action in ctx, for hint lines ("<C-x><C-s>"), or "" . */
const char *act_keys(struct tui *t, enum fd_context ctx, enum fd_action action, char *buf,
                     size_t size);

/* ---- the editor (view_editor.c) ---- */

/* Opens the editor for a reply (DRAFT_REPLY) or a note (DRAFT_NOTE) on
 * ticket id, restoring a saved draft of that ticket and kind with a message.
 * error (may be NULL) is shown in the editor: the server's refusal of an
 * earlier send. Returns 0 or -1 (message set). */
int editor_open(struct tui *t, fd_id id, enum draft_kind kind, const char *error);
/* The editor's text for the review screen. */
struct editor;
struct editor *editor_of(struct ui_view *v);
/* Hands the editor's text to $VISUAL/$EDITOR; returns true if it changed. */
bool editor_external(struct tui *t, struct editor *e);
/* Saves the draft now if it changed (durable). Returns 0 or -1. */
int editor_save(struct tui *t, struct editor *e);
/* Saves the draft and queues its text in the outbox (durable when it returns
 * 0 with *item set; the draft stays until the server confirms). -1 with err. */
int editor_queue(struct tui *t, struct editor *e, int64_t *item, char *err, size_t errsize);
/* Removes the draft (the agent discarded it). 0 or -1. */
int editor_discard(struct tui *t, struct editor *e);
/* What the review shows and sends. */
struct editor_view {
    fd_id ticket_id;
    enum draft_kind kind;
    bool is_public;
    const char *text, *cc, *bcc;
    const char *const *attachments;
    size_t attachment_count;
    const char *to; /* "Name <email>" of the requester, or "" */
    const char *subject;
};
void editor_describe(struct editor *e, struct editor_view *out);
/* After a send was queued (item) or the draft discarded: closes the editor
 * without saving again. */
void editor_finish(struct tui *t, struct editor *e);
/* True when the ticket changed since the editor opened (fresh copy in the
 * cache); *what (malloc'd, may be NULL) says how. */
bool editor_collision(struct tui *t, struct editor *e, char **what);
/* The agent has been shown the changes: the cached copy becomes the new
 * baseline, so a later send warns only about what changes after this. */
void editor_rebase(struct tui *t, struct editor *e);

/* ---- the review screen (view_review.c) ---- */

/* Opens the review of the editor below it. */
int review_open(struct tui *t, struct editor *e);

/* ---- changes shown before the cache has them (act_overlay.c) ---- */

struct outbox_update;
struct store_row;
struct store_ticket_detail;
/* Item changes tickets ids[0..n) by u (copied): drawn over the cache. */
void act_overlay_add(struct tui *t, int64_t item, const fd_id *ids, size_t n,
                     const struct outbox_update *u);
/* The server refused item: its changes are forgotten. Returns how many of
 * their tickets it wrote to ids (at most max). */
size_t act_overlay_refused(struct tui *t, int64_t item, fd_id *ids, size_t max);
/* Start-up: the updates still waiting in the outbox (from an earlier run)
 * are drawn too, as outbox_overlay_for() sums them up per ticket. */
void act_overlay_load(struct tui *t);
/* An update of tickets ids[0..n) reached a final state: the start-up
 * entries of those tickets are summed up again (or marked sent, or dropped). */
void act_overlay_outbox_done(struct tui *t, const fd_id *ids, size_t n, bool sent);
/* The server took item: drawn until the cache holds a newer copy. */
void act_overlay_sent(struct tui *t, int64_t item);
/* Forgets confirmed changes whose ticket the cache has updated since. */
void act_overlay_settle(struct tui *t);
/* Applies the changes to a list row (strings borrowed until the next call)
 * or to a ticket read for the detail (strings replaced, owned by d). */
void act_overlay_row(struct tui *t, struct store_row *row);
void act_overlay_ticket(struct tui *t, struct store_ticket_detail *d);
void act_overlay_free(struct tui *t);

/* ---- act.c helpers the screens use ---- */

/* Runs the canned-response picker; the chosen text (placeholders filled for
 * ticket id) is pasted into editor e. */
void act_canned_picker(struct tui *t, fd_id id, struct editor *e);
/* Asks the sync thread to send the outbox (item, or 0 = whatever is next). */
void act_outbox_kick(struct tui *t, int64_t item);

#endif
