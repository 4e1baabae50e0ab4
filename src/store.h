/* store.h: the local cache of one Freshdesk account (SQLite today).
 *
 * The store is the only module that speaks SQL; everything else (sync engine,
 * TUI, scripting commands) goes through these functions, so that a later step
 * can put a second implementation (a team's shared PostgreSQL) behind the same
 * interface. The cache is disposable: it can be deleted at any time and is
 * rebuilt by sync. It never holds a secret.
 *
 * Threads: a `struct store` is one connection and belongs to one thread. Each
 * thread that needs the cache calls store_open() on the same path (the sync
 * thread writes, the UI reads; WAL mode means the reader never waits for the
 * writer). Nothing here is shared between connections except the file.
 *
 * Errors: functions that can fail return -1 (or NULL) and leave a one-line
 * message for store_error(); the message never contains user secrets.
 *
 * Strings handed back (rows, tickets, names) are untrusted server text: they
 * must go through the sanitiser (text.h) before they reach a terminal. */
#ifndef FD_STORE_H
#define FD_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/model.h"

struct store;
struct view_expr; /* a parsed view query, see src/views.h */

/* ---- Opening -------------------------------------------------------------- */

enum store_open_flags {
    /* Create the file (and its parent directories, mode 0700) if it is
     * missing. Without it a missing cache is an error (store_open sets
     * *missing when the caller passes a non-NULL pointer). */
    STORE_OPEN_CREATE = 1 << 0,
};

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 2

/* Opens (and if needed creates and migrates) the cache at path. WAL mode,
 * synchronous=NORMAL, a busy timeout, secure_delete off, SQLITE_OPEN_NOMUTEX.
 * Migrations run one per transaction. A cache written by a newer fdesk is
 * refused (NULL, message). A corrupt or unreadable cache file is renamed to
 * "PATH.corrupt-YYYYMMDDTHHMMSSZ" and a fresh one is created: the open then
 * succeeds and store_notice() says what happened. On failure returns NULL with
 * a message in err (and *missing = true if the file does not exist and
 * STORE_OPEN_CREATE was not given; missing may be NULL). */
struct store *store_open(const char *path, int flags, bool *missing, char *err, size_t errsize);

/* Finalizes every statement and closes the connection. NULL is fine. */
void store_close(struct store *s);

/* The message of the last failed call on this connection. */
const char *store_error(const struct store *s);

/* A one-line message about something store_open() did that the user should
 * know (the corrupt cache moved aside), or NULL. */
const char *store_notice(const struct store *s);

/* True if a cache file exists at path (does not open it). */
bool store_exists(const char *path);

/* A number that changes whenever any connection commits a change to the
 * cache (PRAGMA data_version plus this connection's own changes). The UI
 * compares it to decide whether its visible window may be stale. */
int store_data_version(struct store *s, int64_t *version);

/* ---- Writing (the sync thread) -------------------------------------------- */

/* One transaction per page: store_begin, upserts, store_commit. Writes done
 * outside begin/commit run in their own implicit transaction (slow; avoid in
 * loops). store_rollback is harmless when no transaction is open. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* Inserts or updates a ticket, keyed by id. Never replaces a row with a newer
 * updated_at by an older one. A copy with the same updated_at only refreshes
 * the row when it carries a description that differs from the stored one
 * (the detail fetch after a list page) or newly says deleted/spam; otherwise
 * it is a no-op (cheap idle re-syncs). Also upserts the embedded requester
 * (t->requester) and company (t->company). A NULL description_text /
 * description_html keeps what is stored (lists carry no description).
 * Updates the FTS index, tags and counters in the same transaction. Returns
 * 1 if the ticket row was written, 0 if nothing changed (older or same copy),
 * -1 on error. A ticket with deleted or spam set is stored but leaves every
 * view, as with store_mark_ticket_gone; a newer live copy brings it back. */
int store_upsert_ticket(struct store *s, const struct fd_ticket *t);

/* The ticket was deleted, marked spam or merged on the server: it leaves
 * every view (the row stays so an older copy can never bring it back).
 * Returns 1 if a live ticket was marked, 0 if unknown or already gone. */
int store_mark_ticket_gone(struct store *s, fd_id id);

/* Replaces the ticket's conversations with this complete list (server order
 * is kept by created_at, id) and records that they are current for the
 * ticket's updated_at `for_updated_at`. Updates the FTS index. */
int store_set_conversations(struct store *s, fd_id ticket_id, const struct fd_conversation *convs,
                            size_t count, fd_time for_updated_at);

/* Inserts or replaces one conversation (e.g. the reply the server returned
 * after a POST); does not change the "conversations are current" mark. */
int store_upsert_conversation(struct store *s, const struct fd_conversation *c);

int store_upsert_contact(struct store *s, const struct fd_contact *c);
int store_upsert_company(struct store *s, const struct fd_company *c);
int store_upsert_agent(struct store *s, const struct fd_agent *a);
/* Marks which agent is the account's own user (from /agents/me). */
int store_set_me(struct store *s, fd_id agent_id);
int store_upsert_group(struct store *s, const struct fd_group *g);
/* Replaces the whole set of statuses (built-in and custom, from /ticket_fields). */
int store_replace_statuses(struct store *s, const struct fd_status *statuses, size_t count);
/* Replaces the set of ticket types (the ticket_type field's choices). */
int store_replace_ticket_types(struct store *s, const char *const *types, size_t count);
int store_upsert_canned_folder(struct store *s, const struct fd_canned_folder *f);
int store_upsert_canned_response(struct store *s, const struct fd_canned_response *r);

/* Sync bookkeeping, a small key/value table. store_sync_get returns 1 and a
 * malloc'd copy in *value if the key exists, 0 (and *value = NULL) if not,
 * -1 on error. */
int store_sync_get(struct store *s, const char *key, char **value);
int store_sync_set(struct store *s, const char *key, const char *value);
int store_sync_get_int(struct store *s, const char *key, int64_t *value, int64_t fallback);
int store_sync_set_int(struct store *s, const char *key, int64_t value);

/* Whether the stored ticket has its description (list pages carry none, so
 * it is fetched with the ticket when the ticket is opened). Returns 1 if it
 * has one, 0 if not or if the ticket is unknown, -1 on error. */
int store_ticket_has_description(struct store *s, fd_id ticket_id);

/* The newest updated_at of any stored ticket (0 when empty). */
int store_max_updated_at(struct store *s, fd_time *out);

/* What the sync engine needs to decide whether to (re)fetch conversations:
 * the ticket's updated_at and the updated_at the stored conversations are
 * current for (0 = never fetched). Returns 1 if the ticket exists, 0 if not. */
int store_conversation_state(struct store *s, fd_id ticket_id, fd_time *ticket_updated_at,
                             fd_time *conversations_for);

/* ---- Reading lists (the UI, `fdesk list`) --------------------------------- */

/* Sort orders the list offers. Each has a fixed direction; ties on the sort
 * key are broken by the ticket id, so every order is total and a keyset
 * anchor (key, id) names one position exactly. */
enum store_sort {
    STORE_SORT_UPDATED,  /* most recently updated first */
    STORE_SORT_CREATED,  /* newest first */
    STORE_SORT_DUE,      /* soonest due_by first; tickets without one last */
    STORE_SORT_PRIORITY, /* urgent first, then most recently updated */
    STORE_SORT_STATUS,   /* by status id (open, pending, ...), then most recently updated */
    STORE_SORT_COUNT
};

/* Short names ("updated", "created", "due", "priority", "status") and back.
 * store_sort_from_name returns -1 for an unknown name. */
const char *store_sort_name(enum store_sort sort);
int store_sort_from_name(const char *name);

/* A position in a sorted list: the row's sort key and id (from a store_row,
 * or store_anchor_for). */
struct store_anchor {
    int64_t key;
    fd_id id;
};

/* What to list: a filter, a narrowing search and an order. */
struct store_query {
    const struct view_expr *filter; /* NULL: every live ticket */
    const char *search;             /* what the user typed to narrow (FTS prefix match), or NULL */
    enum store_sort sort;
    bool reverse;   /* list the sort order backwards (oldest first, ...) */
    fd_time now;    /* "now" for relative dates in the filter; 0 = the real time */
    bool with_json; /* fill store_row.json (Freshdesk v2 object with requester/company) */
};

/* One list row: what the list columns need, nothing more. */
struct store_row {
    fd_id id;
    int status;
    int priority;
    bool is_escalated;
    bool fr_escalated;
    fd_time due_by; /* 0 = none */
    fd_time fr_due_by;
    fd_time created_at;
    fd_time updated_at;
    fd_id responder_id;
    char *status_label; /* agent label from ticket fields, or NULL if unknown */
    char *requester;    /* requester name (else email), or NULL */
    char *company;      /* company name or NULL */
    char *agent;        /* assigned agent's name or NULL */
    char *group;        /* group name or NULL */
    char *subject;
    char *json; /* only with store_query.with_json */
    struct store_anchor anchor;
};

struct store_rows {
    struct store_row *rows;
    size_t count;
};

enum store_direction {
    STORE_AFTER,  /* rows after the anchor, in list order (NULL anchor: from the top) */
    STORE_BEFORE, /* the rows just before the anchor, still in list order (NULL: the bottom) */
};

/* Fetches up to limit rows next to the anchor (the anchor row itself is not
 * included). Replaces the contents of out (clearing what it held). Cost is
 * proportional to limit, not to the number of tickets. */
int store_window(struct store *s, const struct store_query *q, const struct store_anchor *anchor,
                 enum store_direction dir, size_t limit, struct store_rows *out);

/* The anchor of ticket id under this sort order (regardless of any filter).
 * Returns 1 if found, 0 if no such live ticket. */
int store_anchor_for(struct store *s, enum store_sort sort, fd_id id, struct store_anchor *out);

/* Number of tickets the query lists (cheap: counters or an index scan,
 * cached until the data changes). */
int store_count(struct store *s, const struct store_query *q, size_t *count);

/* 0-based position of the anchor's row in the query's list (the number of
 * rows before it), for "12/340". */
int store_position(struct store *s, const struct store_query *q, const struct store_anchor *anchor,
                   size_t *position);

void store_row_clear(struct store_row *row);
void store_rows_clear(struct store_rows *rows);

/* ---- Reading one ticket ---------------------------------------------------- */

struct store_ticket_detail {
    struct fd_ticket ticket; /* requester and company embedded when known */
    char *status_label;      /* agent label, NULL if unknown */
    char *agent_name;        /* NULL if unassigned or unknown */
    char *agent_email;
    char *group_name;
    struct fd_conversation *conversations; /* oldest first */
    size_t conversation_count;
    fd_time conversations_for; /* updated_at they are current for; 0 = never fetched */
};

/* Reads ticket id with names and conversations. Returns 1 if found, 0 if the
 * cache has no such ticket (gone tickets are found, with deleted/spam set),
 * -1 on error. */
int store_get_ticket(struct store *s, fd_id id, struct store_ticket_detail *out);
void store_ticket_detail_clear(struct store_ticket_detail *d);

/* The stored Freshdesk JSON of ticket id with requester and company embedded
 * (malloc'd), as `fdesk list --format json` prints it. 1 found, 0 not. */
int store_ticket_json(struct store *s, fd_id id, char **json);

/* ---- Lookups (for `fdesk update --assign EMAIL`, pickers, views) ----------- */

/* Finds an agent by email (exact, case-insensitive) or name (exact, else a
 * unique case-insensitive prefix). 1 found, 0 none or ambiguous, -1 error. */
int store_find_agent(struct store *s, const char *name_or_email, struct fd_agent *out);
int store_find_group(struct store *s, const char *name, struct fd_group *out);
/* Status by agent label (case-insensitive) or number; 1 found, 0 not. */
int store_find_status(struct store *s, const char *label, struct fd_status *out);
/* The agent who is "me" (1), or 0 if sync has not learnt it yet. */
int store_get_me(struct store *s, struct fd_agent *out);

/* Whole lists, sorted by name (pickers). Free with the model *_clear
 * functions on each element, then free(). */
int store_list_agents(struct store *s, struct fd_agent **out, size_t *count);
int store_list_groups(struct store *s, struct fd_group **out, size_t *count);
int store_list_statuses(struct store *s, struct fd_status **out, size_t *count);
int store_list_ticket_types(struct store *s, struct fd_string_list *out);
int store_list_canned_folders(struct store *s, struct fd_canned_folder **out, size_t *count);
int store_list_canned_responses(struct store *s, fd_id folder_id, struct fd_canned_response **out,
                                size_t *count);
/* Tags seen on live tickets, most used first, those starting with prefix
 * (NULL or "" = all), at most limit. */
int store_list_tags(struct store *s, const char *prefix, size_t limit, struct fd_string_list *out);

#endif
