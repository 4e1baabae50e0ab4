/* outbox.h: every write fdesk makes to Freshdesk (reply, note, update,
 * bulk update) goes through this durable queue in the state database.
 *
 * Life of an item:
 *     queued ──claim──► sending ──2xx──► sent
 *        ▲                 │  ├──4xx──► failed   (field errors kept in `error`)
 *        │                 │  └──timeout, dropped connection, 5xx, crash──► unknown
 *        └──not sent at all (refused, DNS, 429)
 * An item is stored (committed to disk) before the caller reports success to
 * the agent, and it is never removed except by outbox_drop() (the agent asked)
 * or outbox_prune_sent(). Items are sent in order per ticket: an item waits
 * while an older item touching one of its tickets is still queued, sending or
 * unknown.
 *
 * Never twice. Each item has a client-generated marker ("fdesk-" + 32 hex
 * digits). Replies and notes carry it in their HTML body as an HTML comment,
 * `<!-- fdesk:MARKER -->`, invisible in every mail client and web view. Before
 * an item in state sending or unknown is sent again, the ticket's
 * conversations are read back: a conversation whose body holds the marker is
 * the item (exact). Because a server may strip comments when it sanitises
 * HTML, a conversation without any fdesk marker also matches when it is not
 * incoming, has the same privacy, was created no earlier than two minutes
 * before the first attempt (clock skew) and its text equals the item's text
 * after whitespace is collapsed (a signature after it is allowed);
 * conversations already credited to another item are never matched. Only
 * when nothing matches is the POST repeated.
 * Why a comment: the marker must not show to the customer (so no visible
 * token), must survive e-mail clients (it is never rendered), and costs no
 * markup the agent did not write; a data-* attribute on an empty element is
 * as likely to be stripped by a sanitiser and adds an element. The text
 * fallback keeps the guarantee when the server does strip it.
 *
 * Updates are checked by reading the ticket: when it already has every
 * requested value the item is marked sent; otherwise the PUT is repeated,
 * which is idempotent.
 *
 * Several processes (the TUI's sync thread, `fdesk outbox flush`) may share one
 * outbox: a claim is an IMMEDIATE transaction that records the claiming pid,
 * and an item in state sending whose owner is still alive is left alone.
 *
 * Using it from the TUI (each thread has its own state_open() connection):
 *   UI thread   - the editor is a `struct compose` (compose.h); "send" is
 *                 compose_queue() then jobs_push_outbox(jobs, item); property
 *                 changes are outbox_add_update() then jobs_push_outbox();
 *                 rows show outbox_overlay_for(); the status bar shows
 *                 outbox_pending_count(); on FD_EVENT_OUTBOX_FAILED,
 *                 outbox_return_to_draft(item) puts the text back in the
 *                 editor's draft and the event's message has the field errors.
 *   sync thread - sync_options.outbox_send = outbox_sync_send and
 *                 outbox_data = outbox_sync_new(cfg->state_dir, cfg->account,
 *                 events) (freed after sync_stop). jobs_push_outbox(jobs, 0)
 *                 at start and when the link returns sends whatever is
 *                 pending, one event per item. */
#ifndef FD_OUTBOX_H
#define FD_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/model.h"
#include "src/state.h"

enum outbox_kind { OUTBOX_REPLY = 1, OUTBOX_NOTE = 2, OUTBOX_UPDATE = 3, OUTBOX_BULK_UPDATE = 4 };

enum outbox_state {
    OUTBOX_QUEUED = 0,
    OUTBOX_SENDING = 1,
    OUTBOX_SENT = 2,
    OUTBOX_FAILED = 3,  /* the server refused it (4xx); see error */
    OUTBOX_UNKNOWN = 4, /* it may or may not have landed; checked before any retry */
};

#define OUTBOX_MARKER_LEN 38 /* "fdesk-" + 32 hex digits */

struct outbox_item {
    int64_t id;
    enum outbox_kind kind;
    enum outbox_state state;
    fd_id ticket_id; /* the first ticket of a bulk update */
    fd_id *ticket_ids;
    size_t ticket_count;
    char marker[OUTBOX_MARKER_LEN + 1];
    char *text;    /* plain text as written (replies and notes), else "" */
    char *payload; /* the JSON sent (see outbox_add_*) */
    int attempts;
    int64_t created_at, first_sent_at, updated_at; /* ms since the epoch */
    int owner_pid;
    char *error;     /* why it failed or is unknown, "" when none */
    fd_id remote_id; /* the conversation id the server gave, or 0 */
};

/* What an update changes. Fields left at their zero value are unchanged
 * (set_responder/set_group also allow unassigning with id 0). */
struct outbox_update {
    int status;   /* 0 = unchanged */
    int priority; /* 0 = unchanged */
    bool set_responder;
    fd_id responder_id;
    bool set_group;
    fd_id group_id;
    const char *type; /* NULL = unchanged */
    const char *const *tags_add;
    size_t tags_add_count;
    const char *const *tags_remove;
    size_t tags_remove_count;
};

/* Queues a reply or a note (kind OUTBOX_REPLY or OUTBOX_NOTE) on ticket_id.
 * text is the agent's plain text; it is turned into the HTML body here. cc and
 * bcc are comma-separated addresses (replies only; NULL or "" for none).
 * is_public matters for notes only. Durable when it returns 0 with *item_id
 * set; -1 with err filled otherwise. */
int outbox_add_conversation(struct state_db *st, enum outbox_kind kind, fd_id ticket_id,
                            const char *text, const char *cc, const char *bcc, bool is_public,
                            int64_t *item_id, char *err, size_t errsize);

/* The same with every option, including attachments. */
struct outbox_conversation {
    enum outbox_kind kind; /* OUTBOX_REPLY or OUTBOX_NOTE */
    fd_id ticket_id;
    const char *text;
    const char *cc, *bcc;           /* replies only */
    bool is_public;                 /* notes only */
    const char *const *attachments; /* local file paths */
    size_t attachment_count;
};

/* Freshdesk's limit on the attachments of one request. */
#define OUTBOX_MAX_ATTACHMENT_BYTES (20L * 1024 * 1024)

/* Like outbox_add_conversation. Attachments are checked first (regular,
 * readable files of at most OUTBOX_MAX_ATTACHMENT_BYTES together) and copied
 * into the state directory (attachments/MARKER/, mode 0600, synced to disk)
 * so the item is sent as written even if the originals change or vanish; the
 * copies are removed when the item is sent or dropped. */
int outbox_add_conversation_full(struct state_db *st, const struct outbox_conversation *c,
                                 int64_t *item_id, char *err, size_t errsize);

/* Queues a property change of one ticket (count == 1) or a bulk update of
 * several (count > 1; tags cannot be changed in bulk). Returns 0 with *item_id
 * set, or -1 with err filled (nothing to change, bad arguments). */
int outbox_add_update(struct state_db *st, const fd_id *ticket_ids, size_t count,
                      const struct outbox_update *update, int64_t *item_id, char *err,
                      size_t errsize);

/* Loads one item. Returns 1 found, 0 no such item, -1 error. */
int outbox_get(struct state_db *st, int64_t id, struct outbox_item *out);

/* Loads the items not yet sent (queued, sending, unknown, failed), oldest
 * first. *items is NULL when there are none. Free with outbox_items_free(). */
int outbox_list(struct state_db *st, struct outbox_item **items, size_t *count);

/* Items waiting to be sent (queued, sending, unknown); -1 on error. */
int outbox_pending_count(struct state_db *st);

/* Finds the next item that may be sent now: the oldest queued/sending/unknown
 * item that has no older pending item on any of its tickets, is not being
 * sent by another live process and is not backing off (outbox_defer).
 * Returns 1 with *id set, 0 if none, -1 error. */
int outbox_next(struct state_db *st, int64_t *id);

/* Like outbox_next, but only items whose back-off ends by not_after (ms)
 * count, and with target > 0 only target and the older items it waits for.
 * outbox_next() is outbox_next_due(st, 0, now, id). */
int outbox_next_due(struct state_db *st, int64_t target, int64_t not_after, int64_t *id);

/* Puts off the next attempt of a queued or unknown item until retry_at (ms
 * since the epoch): outbox_next skips it until then. Returns 0 or -1. */
int outbox_defer(struct state_db *st, int64_t id, int64_t retry_at);

/* Like outbox_next, limited to item `target` and the older items it waits
 * for (those sharing a ticket with it): what a command that queued `target`
 * must send before it can report. 1 with *id set, 0 if none, -1 error. */
int outbox_next_for(struct state_db *st, int64_t target, int64_t *id);

/* Removes an item whatever its state, unless another live process is sending
 * it (returns 0 and sets *busy). Returns 1 removed, 0 not found/busy, -1 error. */
int outbox_drop(struct state_db *st, int64_t id, bool *busy);

/* Deletes sent items confirmed more than max_age_ms ago; returns how many. */
int outbox_prune_sent(struct state_db *st, int64_t max_age_ms);

/* For the editor: moves the text of a failed reply/note back into the draft
 * of its ticket (unless a newer draft exists, which is kept) and removes the
 * item, in one transaction. Returns 1 done, 0 not a failed conversation, -1. */
int outbox_return_to_draft(struct state_db *st, int64_t id);

/* What a ticket will look like once its pending writes are confirmed, so
 * views can show a change at once (and drop it if the server refuses). */
struct outbox_overlay {
    bool has_status, has_priority, has_responder, has_group, has_type;
    int status, priority;
    fd_id responder_id, group_id; /* 0 = unassigned / no group */
    char type[128];
    struct fd_string_list tags_add;    /* tags the pending updates add ... */
    struct fd_string_list tags_remove; /* ... and remove (a later change wins) */
    int pending_updates;               /* queued, sending or unknown updates */
    int pending_messages;              /* replies and notes not yet confirmed */
};

/* Applies ticket_id's pending updates (single and bulk, oldest first) to an
 * empty overlay. Returns 1 when something is pending, 0 when nothing, -1.
 * Release with outbox_overlay_clear() whatever it returned. */
int outbox_overlay_for(struct state_db *st, fd_id ticket_id, struct outbox_overlay *out);
void outbox_overlay_clear(struct outbox_overlay *o);

void outbox_item_clear(struct outbox_item *item);
void outbox_items_free(struct outbox_item *items, size_t count);

const char *outbox_kind_name(enum outbox_kind kind);    /* "reply", "note", ... */
const char *outbox_state_name(enum outbox_state state); /* "queued", ... */

/* ---- pieces shared with the sender (outbox_send.c) and the tests ---- */

/* Collapses runs of whitespace (including &nbsp; as U+00A0) to one space and
 * trims both ends; newly allocated. The comparison form of a body text. */
char *outbox_normalize_text(const char *text);

/* 1 when a conversation is a reply or note this agent sent through fdesk
 * (kept in the outbox until pruned): not incoming, its body carries the
 * item's marker and its text is the item's (so a message quoting ours, marker
 * and all, is not taken for ours). 0 if not, -1 on error. The collision check
 * leaves such messages out: they are not "someone else". */
int outbox_is_own_conversation(struct state_db *st, const struct fd_conversation *c);

/* Plain text to the HTML body Freshdesk expects, with the marker comment
 * appended. Newly allocated, NULL on allocation failure. */
char *outbox_body_html(const char *text, const char *marker);

/* Claims item id for sending by this process: moves it to state sending with
 * owner = getpid(), attempts + 1, first_sent_at set on the first attempt.
 * *prior receives the state it had (so the caller knows whether to check the
 * server first). Returns 1 claimed, 0 not claimable (sent, failed, or a live
 * owner is sending it), -1 error. */
int outbox_claim(struct state_db *st, int64_t id, enum outbox_state *prior);

/* Records the end of an attempt: new state, error text (NULL = ""), the
 * server's id. On OUTBOX_SENT of a reply or note, also removes the draft that
 * still holds exactly the sent text (drafts_delete_if_sent), in the same
 * transaction. Returns 0 or -1. */
int outbox_finish(struct state_db *st, int64_t id, enum outbox_state state, const char *error,
                  fd_id remote_id);

/* Copies of an item's attachments (outbox_attach.c). attach_store returns a
 * JSON array of the copies' paths (or NULL with err set); attach_remove
 * deletes the copies of marker (no-op when there are none). */
struct cJSON;
struct cJSON *outbox_attach_store(struct state_db *st, const char *marker, const char *const *paths,
                                  size_t count, char *err, size_t errsize);
void outbox_attach_remove(struct state_db *st, const char *marker);

/* True when a conversation id is already credited to a sent item other than
 * except_id (so it cannot be matched again). */
bool outbox_remote_id_taken(struct state_db *st, fd_id remote_id, int64_t except_id);

/* ---- sending (called by the sync thread, and by `fdesk outbox flush`) ---- */

struct api;

enum outbox_outcome {
    OUTBOX_OUTCOME_SENT = 1, /* confirmed (now, or found on the server) */
    OUTBOX_OUTCOME_FAILED,   /* refused (4xx); message has the field errors */
    OUTBOX_OUTCOME_QUEUED,   /* certainly not sent (offline, 429, 401); try later */
    OUTBOX_OUTCOME_UNKNOWN,  /* may have landed; checked before the next attempt */
    OUTBOX_OUTCOME_BUSY,     /* another live process is sending it */
    OUTBOX_OUTCOME_GONE,     /* no such item, or it was already sent or failed */
};

struct outbox_send_result {
    enum outbox_outcome outcome;
    int64_t item;
    enum outbox_kind kind;
    fd_id ticket_id;
    fd_id remote_id;  /* the conversation id, when the server gave one */
    bool offline;     /* the server could not be reached */
    bool verified;    /* SENT because an earlier attempt was found on the server */
    long retry_after; /* seconds, when the server asked to wait (429) */
    bool stop_all;    /* nothing else can succeed now either (offline, key refused) */
    /* The server's copy of what was just written, when it sent one back: the
     * new conversation (reply, note) or the updated ticket (update). NULL
     * otherwise. Release with outbox_send_result_clear(). */
    struct fd_conversation *conversation;
    struct fd_ticket *ticket;
    char message[480];
};

/* Sends one item with the caller's api handle (the caller's thread owns both
 * st and api). An item in state sending (left by a crash) or unknown is first
 * checked against the server, as described at the top of this file. The
 * outcome is stored before this returns. Returns 0 with *res filled, or -1
 * when the state database failed (res->message says so). */
int outbox_send_one(struct state_db *st, struct api *api, int64_t item_id,
                    struct outbox_send_result *res);
/* (outbox_flush clears each result after report has seen it.) */

void outbox_send_result_clear(struct outbox_send_result *res);

/* Sends what may be sent now, in order, until nothing is left or the server
 * cannot be reached (stop_all). Items backing off are sent too (this is "send
 * now"), but each at most once per call: one that fails again is put off and
 * the others go on. With
 * only_for non-zero, sends just that item and the older items it waits for
 * (outbox_next_for). Calls report (may be NULL) after each item. Returns the
 * number of items still pending in the whole outbox, or -1 on a database error. */
int outbox_flush(struct state_db *st, struct api *api, int64_t only_for,
                 void (*report)(const struct outbox_send_result *res, void *data), void *data);

/* ---- the sync engine's hook (sync.h: sync_options.outbox_send) ----
 * The TUI creates one outbox_sync before sync_start() and passes
 * outbox_sync_send / the handle as sync_options.outbox_send / outbox_data.
 * The handle opens its own state-database connection lazily, in the sync
 * thread, on the first call; free it only after sync_stop(). */

struct fd_event;
struct outbox_sync;

/* Copies state_dir and account; events (not owned, may be NULL) receives an
 * event per item when the hook is called with item 0. NULL when out of memory. */
struct events;
struct outbox_sync *outbox_sync_new(const char *state_dir, const char *account,
                                    struct events *events);
void outbox_sync_free(struct outbox_sync *os);

/* A sync_outbox_fn: sends item with the engine's api handle. Returns 0 when
 * that item reached a final state, with *result filled as
 * FD_EVENT_OUTBOX_SENT or FD_EVENT_OUTBOX_FAILED (item, ticket_id,
 * remote_id, message) for the engine to post; -1 when it must be tried again
 * later (offline, outcome unknown, another process is sending it), with
 * result->message saying why.
 * item 0 means "everything that may be sent now": the hook sends the items
 * in order, posts an event for each one that reached a final state to the
 * events queue given to outbox_sync_new, and returns -1 (nothing left for the
 * engine to post) with result->message saying why it stopped. */
int outbox_sync_send(void *data, struct api *api, int64_t item, struct fd_event *result);

/* Which conversation of convs (if any) is the item, by the rules at the top of
 * this file. taken(id, data) says whether a conversation id is credited to
 * another item (may be NULL). Returns its index, or -1. */
long outbox_match_conversation(const struct outbox_item *item, const struct fd_conversation *convs,
                               size_t count, bool (*taken)(fd_id id, void *data), void *data);

#endif
