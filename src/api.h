/* api.h: the Freshdesk API v2 endpoints fdesk uses, on top of http.h,
 * ratelimit.h and decode.h.
 *
 * One `struct api` per thread (it owns an http_client). Several api handles
 * share one `struct ratelimit` budget (api_options.budget), so every thread's
 * requests count against the same account limit.
 *
 * Every call:
 *   - waits while the budget says the kind of request is blocked by a 429
 *     (never sends early), and updates the budget from every response;
 *   - on 429 waits Retry-After (60 s + jitter when absent) and tries again,
 *     up to max_throttle_waits times (a 429 means the request was not
 *     processed, so this is safe for POST too);
 *   - retries GET and PUT after 5xx, timeouts and dropped connections with
 *     capped exponential backoff and jitter, up to max_attempts; never
 *     retries POST or DELETE after such failures (err->request_sent says
 *     whether the server may have acted: the outbox checks before resending);
 *   - returns 0, or -1 with err set (see error.h) and every output empty;
 *   - stops within about a second when *cancel is raised (FD_ERR_CANCELLED).
 * Paths are relative to the base URL ("/api/v2/..." is added here); a
 * pagination URL from a Link header must stay on the base URL's origin,
 * otherwise the call fails with FD_ERR_PROTOCOL and sends nothing there. */
#ifndef FD_API_H
#define FD_API_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "src/config.h"
#include "src/error.h"
#include "src/http.h"
#include "src/model.h"
#include "src/ratelimit.h"

struct api_options {
    const char *base_url;      /* "https://acme.freshdesk.com" or $FDESK_URL, no /api/v2 */
    const char *api_key;       /* copied; wiped on api_free */
    const char *ca_file;       /* or NULL */
    long connect_timeout;      /* seconds; 0 = 15 */
    long low_speed_time;       /* seconds below 100 B/s before a stall counts as timeout; 0 = 30 */
    size_t max_response_bytes; /* 0 = 64 MiB */
    struct ratelimit *budget;  /* shared budget (not owned); NULL = a private one */
    const atomic_int *cancel;  /* may be NULL */
    int max_attempts;          /* GET/PUT tries including the first; 0 = 5 */
    long backoff_base_ms;      /* 0 = 500 */
    long backoff_cap_ms;       /* 0 = 30000 */
    int max_throttle_waits;    /* 429 waits per call; 0 = 8 */
    bool debug;                /* log requests (without Authorization) via log.h */
};

/* Fills o from a loaded config (base_url, api_key, ca_file, connect_timeout);
 * the other fields are zeroed (defaults). o points into cfg: keep cfg alive
 * until api_new() returns. */
void api_options_from_config(struct api_options *o, const struct fd_config *cfg);

struct api;

/* Returns 0 and *out, or -1 with err set (bad base URL, plain http to a
 * non-loopback host, out of memory). */
int api_new(const struct api_options *opts, struct api **out, struct fd_error *err);
void api_free(struct api *api);
/* The budget this handle uses (shared or private). */
struct ratelimit *api_budget(struct api *api);
const char *api_base_url(const struct api *api);

/* ---- Generic request ---------------------------------------------------- */

/* method + path ("/api/v2/tickets/1") or an absolute same-origin URL, with
 * an optional JSON body. Returns 0 only for a 2xx answer (resp filled; release
 * it with http_response_clear), else -1 with err set (resp is still filled
 * when an answer arrived). Applies the rate-limit and retry rules above. */
int api_request(struct api *api, const char *method, const char *path, const char *json_body,
                struct http_response *resp, struct fd_error *err);

/* ---- Tickets: listing ---------------------------------------------------- */

/* GET /api/v2/tickets parameters; zero/NULL fields are not sent. */
struct api_ticket_query {
    const char *filter; /* new_and_my_open, watching, spam, deleted */
    fd_id requester_id;
    const char *email; /* requester's e-mail (URL-encoded here) */
    const char *unique_external_id;
    fd_id company_id;
    fd_time updated_since;  /* sent as YYYY-MM-DDTHH:MM:SSZ */
    const char *order_by;   /* created_at, due_by, updated_at, status */
    const char *order_type; /* asc, desc */
    const char *include;    /* "requester,company", "description", "stats" */
    int page;               /* 1..300; 0 = not sent (page 1) */
    int per_page;           /* 1..100; 0 = not sent (30) */
};

/* Builds the absolute URL for q (so the sync engine can request pages 1..k in
 * parallel). Returns 0, or -1 with err set (FD_ERR_INVALID for out-of-range
 * page/per_page or unknown filter/order values). */
int api_tickets_url(struct api *api, const struct api_ticket_query *q, char **url,
                    struct fd_error *err);

struct api_ticket_page {
    struct fd_ticket *tickets;
    size_t count;
    size_t skipped; /* records dropped by the lenient decoder */
    char *next_url; /* Link rel="next" (same origin, checked), NULL on the last page */
    long total;     /* search only: "total"; -1 otherwise */
};
void api_ticket_page_clear(struct api_ticket_page *page);

/* Fetches one page: url (a next_url from a previous page) when non-NULL,
 * else the URL built from q. */
int api_list_tickets_page(struct api *api, const struct api_ticket_query *q, const char *url,
                          struct api_ticket_page *out, struct fd_error *err);

/* Fetches n page URLs at the same time (multi handle), with the same rate
 * and retry rules per page. Pages already in flight when one of them gets a
 * 429 were sent before the client could know: keep n small (the budget's
 * headroom) so that costs little; later rounds wait for Retry-After. results[i] is 0 or -1 (errs[i]
 * set). Returns the number of failed pages. Every pages[i] must be cleared. */
size_t api_list_tickets_many(struct api *api, const char *const *urls, size_t n,
                             struct api_ticket_page *pages, int *results, struct fd_error *errs);

/* Follows Link rel="next" from q's first page to the end (at most max_pages;
 * 0 = no limit). The tickets of all pages, in order. */
int api_list_tickets_all(struct api *api, const struct api_ticket_query *q, int max_pages,
                         struct fd_ticket **out, size_t *count, struct fd_error *err);

/* ---- Tickets: one ticket, conversations --------------------------------- */

/* GET /tickets/{id}?include=... (include may be NULL; e.g.
 * "conversations,requester,company,stats"). conversations may be NULL. */
int api_view_ticket(struct api *api, fd_id id, const char *include, struct fd_ticket *out,
                    struct fd_conversation **conversations, size_t *conversation_count,
                    struct fd_error *err);

/* GET /tickets/{id}/conversations, all pages (per_page=100), oldest first. */
int api_list_conversations(struct api *api, fd_id ticket_id, struct fd_conversation **out,
                           size_t *count, struct fd_error *err);

/* ---- Tickets: writing ---------------------------------------------------- */
/* Lists in these structs are (array, count); attachments are local file
 * paths sent as multipart attachments[] (the request is then
 * multipart/form-data instead of JSON). */

struct api_reply {
    const char *body_html; /* required */
    const char *from_email;
    const char *const *cc_emails;
    size_t cc_count;
    const char *const *bcc_emails;
    size_t bcc_count;
    const char *const *attachments;
    size_t attachment_count;
};
/* POST /tickets/{id}/reply -> the new conversation (out may be NULL). */
int api_reply(struct api *api, fd_id ticket_id, const struct api_reply *r,
              struct fd_conversation *out, struct fd_error *err);

struct api_note {
    const char *body_html; /* required */
    bool is_private;       /* the API's default is private; send what the agent chose */
    const char *const *notify_emails;
    size_t notify_count;
    const char *const *attachments;
    size_t attachment_count;
};
/* POST /tickets/{id}/notes. */
int api_note(struct api *api, fd_id ticket_id, const struct api_note *n,
             struct fd_conversation *out, struct fd_error *err);

struct api_forward {
    const char *body_html;
    const char *const *to_emails; /* required, at least one */
    size_t to_count;
    const char *const *cc_emails;
    size_t cc_count;
    const char *const *bcc_emails;
    size_t bcc_count;
    bool no_quoted_text;          /* include_quoted_text = false */
    bool no_original_attachments; /* include_original_attachments = false */
};
/* POST /tickets/{id}/forward. */
int api_forward(struct api *api, fd_id ticket_id, const struct api_forward *f,
                struct fd_conversation *out, struct fd_error *err);

/* Ticket properties to set; 0/NULL = leave unchanged. */
struct api_ticket_changes {
    int status;
    int priority;
    int source;
    const char *type;
    fd_id responder_id; /* -1 = unassign (null) */
    fd_id group_id;     /* -1 = no group (null) */
    const char *const *tags;
    size_t tag_count;
    bool set_tags;                  /* send tags even when tag_count is 0 (clears them) */
    const char *custom_fields_json; /* a JSON object {"cf_x": ...} */
    const char *const *attachments;
    size_t attachment_count;
};
/* The JSON body for changes (without attachments), newly allocated. Returns
 * 0, or -1 (FD_ERR_INVALID: nothing to change or bad custom_fields_json). */
int api_ticket_changes_json(const struct api_ticket_changes *c, char **json, struct fd_error *err);

/* PUT /tickets/{id} -> the updated ticket (out may be NULL). */
int api_update_ticket(struct api *api, fd_id id, const struct api_ticket_changes *c,
                      struct fd_ticket *out, struct fd_error *err);

struct api_ticket_new {
    const char *subject;          /* required */
    const char *description_html; /* required */
    const char *email;            /* requester: email or requester_id */
    fd_id requester_id;
    const char *name;               /* requester name (for a new contact) */
    int status;                     /* 0 = Open */
    int priority;                   /* 0 = Low */
    struct api_ticket_changes more; /* type, group, responder, tags, custom fields, attachments */
    const char *const *cc_emails;
    size_t cc_count;
};
/* POST /tickets -> the new ticket (out may be NULL). */
int api_create_ticket(struct api *api, const struct api_ticket_new *t, struct fd_ticket *out,
                      struct fd_error *err);

/* POST /tickets/bulk_update {"bulk_action":{"ids":[...],"properties":{...}}}.
 * *job_id (may be NULL) receives the job id when the server returns one. */
int api_bulk_update(struct api *api, const fd_id *ids, size_t n,
                    const struct api_ticket_changes *properties, char **job_id,
                    struct fd_error *err);

/* PUT /tickets/merge: merges ids into primary_id; note_html (may be NULL)
 * becomes note_in_primary. */
int api_merge(struct api *api, fd_id primary_id, const fd_id *ids, size_t n, const char *note_html,
              struct fd_error *err);

/* POST /tickets/{id}/watch and PUT /tickets/{id}/unwatch (as the key's agent). */
int api_watch(struct api *api, fd_id ticket_id, struct fd_error *err);
int api_unwatch(struct api *api, fd_id ticket_id, struct fd_error *err);

/* ---- Search --------------------------------------------------------------- */

/* GET /search/tickets?query="..."&page=N. query is the bare expression
 * (priority:4 AND status:2; strings in single quotes); it is wrapped in
 * double quotes and URL-encoded here (a query already wrapped in double
 * quotes is accepted as is). More than 512 characters, an inner double quote
 * or page outside 1..10 -> FD_ERR_INVALID. out->total gets "total"; next_url
 * is always NULL (search pages are numbered). */
int api_search_tickets(struct api *api, const char *query, int page, struct api_ticket_page *out,
                       struct fd_error *err);
/* Pages 1..10 until a short page or `total` is reached. */
int api_search_tickets_all(struct api *api, const char *query, struct fd_ticket **out,
                           size_t *count, long *total, struct fd_error *err);

/* ---- People and account data -------------------------------------------- */

int api_view_contact(struct api *api, fd_id id, struct fd_contact **out, struct fd_error *err);
int api_view_company(struct api *api, fd_id id, struct fd_company **out, struct fd_error *err);
/* GET /agents (all pages) and GET /agents/me. */
int api_list_agents(struct api *api, struct fd_agent **out, size_t *count, struct fd_error *err);
int api_agent_me(struct api *api, struct fd_agent *out, struct fd_error *err);
/* GET /groups (all pages). */
int api_list_groups(struct api *api, struct fd_group **out, size_t *count, struct fd_error *err);
/* GET /ticket_fields. Any output may be NULL; raw_json receives the body as
 * received (to cache it and decode again later). */
int api_ticket_fields(struct api *api, struct fd_status **statuses, size_t *status_count,
                      struct fd_string_list *types, char **raw_json, struct fd_error *err);

/* ---- Canned responses ---------------------------------------------------- */

int api_list_canned_folders(struct api *api, struct fd_canned_folder **out, size_t *count,
                            struct fd_error *err);
/* GET /canned_response_folders/{id}/responses (all pages). */
int api_list_canned_responses(struct api *api, fd_id folder_id, struct fd_canned_response **out,
                              size_t *count, struct fd_error *err);
int api_view_canned_response(struct api *api, fd_id id, struct fd_canned_response *out,
                             struct fd_error *err);

/* ---- Attachments ----------------------------------------------------------- */

/* Downloads an attachment_url into `to` WITHOUT Basic auth (it is a signed
 * link, usually on another host; https only, loopback http allowed). Retries
 * like a GET; the size cap applies. *size (may be NULL) gets the byte count. */
int api_download_attachment(struct api *api, const char *url, FILE *to, size_t *size,
                            struct fd_error *err);

#endif
