/* model.h: plain C structs for the Freshdesk objects fdesk works with.
 *
 * These are the shared vocabulary of the core: decode.c fills them from API
 * JSON, store.c writes and reads them, the UI and the scripting commands show
 * them. Conventions:
 *   - every id is 64-bit (fd_id); 0 means "none" (JSON null or absent);
 *   - times are fd_time, seconds since the epoch in UTC; 0 means null;
 *   - strings are heap-allocated UTF-8 owned by the struct, NULL when null or
 *     absent; text from the server is untrusted and must go through the
 *     sanitiser (text.h) before it reaches a terminal;
 *   - string lists are never NULL-vs-empty ambiguous: count 0 means empty/null.
 * Each *_free() releases the members and then the struct itself; *_clear()
 * releases only the members (for structs embedded in arrays or on the stack). */
#ifndef FD_MODEL_H
#define FD_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t fd_id;
typedef int64_t fd_time;

/* Built-in ticket statuses and priorities; accounts may add custom statuses. */
enum { FD_STATUS_OPEN = 2, FD_STATUS_PENDING = 3, FD_STATUS_RESOLVED = 4, FD_STATUS_CLOSED = 5 };
enum { FD_PRIORITY_LOW = 1, FD_PRIORITY_MEDIUM = 2, FD_PRIORITY_HIGH = 3, FD_PRIORITY_URGENT = 4 };

struct fd_string_list {
    char **items;
    size_t count;
};

struct fd_attachment {
    fd_id id;
    char *name;
    char *content_type;
    int64_t size;
    char *url; /* attachment_url: time-limited, fetched without Basic auth */
    fd_time created_at;
};

struct fd_contact {
    fd_id id;
    char *name;
    char *email;
    char *phone;
    char *mobile;
    fd_id company_id;
    fd_time updated_at;
};

struct fd_company {
    fd_id id;
    char *name;
    fd_time updated_at;
};

struct fd_agent {
    fd_id id; /* equals the agent's contact id */
    char *name;
    char *email;
    char *signature_html;
    int ticket_scope; /* 1 global, 2 group, 3 restricted */
    bool available;
    bool occasional;
    fd_time updated_at;
};

struct fd_group {
    fd_id id;
    char *name;
    fd_time updated_at;
};

/* One status choice from /ticket_fields (built-in or custom). */
struct fd_status {
    int id;
    char *agent_label;
    char *customer_label;
};

struct fd_ticket {
    fd_id id; /* the per-account display id */
    char *subject;
    char *description_html; /* "description"; absent from lists without include=description */
    char *description_text;
    char *type;
    int status;
    int priority;
    int source;
    fd_id requester_id;
    fd_id responder_id;
    fd_id group_id;
    fd_id company_id;
    bool spam;
    bool deleted;
    bool is_escalated;
    bool fr_escalated;
    fd_time due_by;
    fd_time fr_due_by;
    fd_time created_at;
    fd_time updated_at;
    struct fd_string_list tags;
    struct fd_string_list cc_emails;
    char *custom_fields_json; /* the raw "custom_fields" object, or NULL */
    struct fd_attachment *attachments;
    size_t attachment_count;
    struct fd_contact *requester; /* embedded by include=requester, else NULL */
    struct fd_company *company;   /* embedded by include=company, else NULL */
    /* The ticket object exactly as received, without the embedded requester and
     * company, so `--format json` can give back Freshdesk's own field names. */
    char *json;
};

struct fd_conversation {
    fd_id id;
    fd_id ticket_id;
    fd_id user_id;
    char *body_html;
    char *body_text;
    char *from_email;
    bool incoming; /* true: from the customer side */
    bool is_private;
    int source; /* 0 reply, 2 note, ... */
    fd_time created_at;
    fd_time updated_at;
    struct fd_string_list to_emails;
    struct fd_string_list cc_emails;
    struct fd_string_list bcc_emails;
    struct fd_attachment *attachments;
    size_t attachment_count;
};

struct fd_canned_folder {
    fd_id id;
    char *name;
    bool personal;
    int responses_count;
};

struct fd_canned_response {
    fd_id id;
    fd_id folder_id;
    char *title;
    char *content_text; /* "content" */
    char *content_html;
};

void model_string_list_clear(struct fd_string_list *list);
/* Appends a copy of s; returns 0 or -1 on allocation failure. */
int model_string_list_add(struct fd_string_list *list, const char *s);
void model_attachment_clear(struct fd_attachment *a);
void model_contact_free(struct fd_contact *c);
void model_company_free(struct fd_company *c);
void model_agent_clear(struct fd_agent *a);
void model_group_clear(struct fd_group *g);
void model_status_clear(struct fd_status *s);
void model_ticket_clear(struct fd_ticket *t);
void model_ticket_free(struct fd_ticket *t);
void model_conversation_clear(struct fd_conversation *c);
void model_conversation_free(struct fd_conversation *c);
void model_canned_folder_clear(struct fd_canned_folder *f);
void model_canned_response_clear(struct fd_canned_response *r);

/* Parses an ISO 8601 date-time ("2025-07-24T18:24:46Z", also with +05:30
 * offsets or fractional seconds) into UTC seconds. Returns 0 on success, -1 if
 * the text is not a valid date-time. */
int model_parse_time(const char *text, fd_time *out);
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void model_format_time(fd_time t, char *buf, size_t size);

/* English names of the built-in values; NULL for unknown ids (custom statuses
 * are resolved through the cached ticket fields instead). */
const char *model_status_name(int status);
const char *model_priority_name(int priority);

#endif
