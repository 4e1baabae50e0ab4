/* decode.h: Freshdesk API JSON -> the plain structs of model.h.
 *
 * Lenient by design, because the real API varies by account and by year:
 *   - a missing key, JSON null and an empty value all mean "empty" (0, NULL,
 *     an empty list); null arrays are empty lists; unknown keys are ignored;
 *   - ids are 64-bit; numbers that do not fit (or are not integers) are type
 *     errors;
 *   - in a list, a record with a wrong type in a field we read (an id that is
 *     a string, a subject that is a number, ...) is skipped and the reason is
 *     logged (module "decode"); the rest of the page is kept and *skipped
 *     counts the casualties;
 *   - a body that is not JSON at all, is truncated, nests deeper than 64
 *     levels, holds invalid UTF-8 in a string, or has the wrong top-level
 *     shape fails the whole call with FD_ERR_DECODE.
 * ticket->json keeps the ticket object exactly as received minus the embedded
 * "requester" and "company" objects (which are decoded into ticket->requester
 * and ticket->company) and "conversations" (decoded separately, see
 * decode_ticket). Custom fields stay raw JSON (custom_fields_json).
 *
 * Every function takes the body as (json, len) (no NUL needed), returns 0, or
 * -1 with err set (err may be NULL). On -1 the outputs are left empty. */
#ifndef FD_DECODE_H
#define FD_DECODE_H

#include <stddef.h>

#include "src/error.h"
#include "src/model.h"

/* GET /tickets/{id} (with or without include=). Fills *out (cleared first).
 * When conversations is non-NULL, embedded "conversations" (include=
 * conversations) are decoded into a new array (or NULL/0 when absent). */
int decode_ticket(const char *json, size_t len, struct fd_ticket *out,
                  struct fd_conversation **conversations, size_t *conversation_count,
                  struct fd_error *err);

/* GET /tickets: a JSON array of tickets. */
int decode_tickets(const char *json, size_t len, struct fd_ticket **out, size_t *count,
                   size_t *skipped, struct fd_error *err);

/* GET /search/tickets: {"results":[...],"total":N}. total may be NULL. */
int decode_search_tickets(const char *json, size_t len, struct fd_ticket **out, size_t *count,
                          size_t *skipped, long *total, struct fd_error *err);

/* One conversation object (reply, note, forward responses). */
int decode_conversation(const char *json, size_t len, struct fd_conversation *out,
                        struct fd_error *err);
/* GET /tickets/{id}/conversations: an array. */
int decode_conversations(const char *json, size_t len, struct fd_conversation **out, size_t *count,
                         size_t *skipped, struct fd_error *err);

/* GET /contacts/{id}, GET /companies/{id}: a new struct (free with model_*_free). */
int decode_contact(const char *json, size_t len, struct fd_contact **out, struct fd_error *err);
int decode_company(const char *json, size_t len, struct fd_company **out, struct fd_error *err);

/* GET /agents/me or /agents/{id}; GET /agents (array). Name and e-mail come
 * from the nested "contact" object. */
int decode_agent(const char *json, size_t len, struct fd_agent *out, struct fd_error *err);
int decode_agents(const char *json, size_t len, struct fd_agent **out, size_t *count,
                  size_t *skipped, struct fd_error *err);

/* GET /groups (array). */
int decode_groups(const char *json, size_t len, struct fd_group **out, size_t *count,
                  size_t *skipped, struct fd_error *err);

/* GET /ticket_fields: the choices of the "status" field (built-in and custom
 * statuses, sorted by id): {"2":["Open","Being Processed"],...}. */
int decode_ticket_statuses(const char *json, size_t len, struct fd_status **out, size_t *count,
                           struct fd_error *err);
/* GET /ticket_fields: the choices of the "ticket_type" field (an array of labels). */
int decode_ticket_types(const char *json, size_t len, struct fd_string_list *out,
                        struct fd_error *err);

/* GET /canned_response_folders (array). */
int decode_canned_folders(const char *json, size_t len, struct fd_canned_folder **out,
                          size_t *count, size_t *skipped, struct fd_error *err);
/* GET /canned_response_folders/{id}/responses (array), GET /canned_responses/{id} (object). */
int decode_canned_responses(const char *json, size_t len, struct fd_canned_response **out,
                            size_t *count, size_t *skipped, struct fd_error *err);
int decode_canned_response(const char *json, size_t len, struct fd_canned_response *out,
                           struct fd_error *err);

/* The label of status id from a decoded status list, or the built-in English
 * name, or NULL when unknown. */
const char *decode_status_label(const struct fd_status *statuses, size_t count, int id);

/* Array releasers for what the list decoders return (NULL-safe). */
void decode_free_tickets(struct fd_ticket *tickets, size_t count);
void decode_free_conversations(struct fd_conversation *convs, size_t count);
void decode_free_agents(struct fd_agent *agents, size_t count);
void decode_free_groups(struct fd_group *groups, size_t count);
void decode_free_statuses(struct fd_status *statuses, size_t count);
void decode_free_canned_folders(struct fd_canned_folder *folders, size_t count);
void decode_free_canned_responses(struct fd_canned_response *responses, size_t count);

#endif
