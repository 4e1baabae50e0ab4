/* internal.h: the simulator's shared internal types: the dataset, the request being served
 * and the helpers the endpoint files use. Not installed, not used outside sim/ and tests/sim.
 */
#ifndef FDESK_SIM_INTERNAL_H
#define FDESK_SIM_INTERNAL_H

#include "sim/sim.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>

/* Id bases: every id but the ticket's display id is a large 64-bit number, as in real data. */
#define SIM_CONTACT_BASE 67038000000LL
#define SIM_COMPANY_BASE 67001000000LL
#define SIM_AGENT_BASE   67013469900LL
#define SIM_GROUP_BASE   67000259990LL
#define SIM_CONV_BASE    68000000000LL   /* + ticket id * 1000 + n for generated ones */
#define SIM_NEWCONV_BASE 5000000000000LL /* + counter for conversations added at run time */
#define SIM_ATTACH_BASE  70000000000LL
#define SIM_GENATT_BASE  71000000000LL /* + (conversation id - SIM_CONV_BASE) */
#define SIM_FIELD_BASE   67000439400LL
#define SIM_FOLDER_BASE  67000078780LL
#define SIM_CANNED_BASE  67000143800LL
#define SIM_EMAIL_CONFIG 67000041667LL

enum sim_ticket_flag {
    SIM_T_SPAM = 1,
    SIM_T_DELETED = 2,
    SIM_T_FR_ESCALATED = 4,
    SIM_T_ESCALATED = 8,
};

/* What a ticket carries once something about it changed (NULL while it is as generated). */
struct sim_ticket_ext {
    cJSON *over;  /* keys that replace the generated ones (subject, tags, custom_fields...) */
    cJSON *convs; /* the materialised conversation array, oldest first */
    int64_t *watchers;
    int nwatchers;
    int64_t agent_responded_at, requester_responded_at, status_updated_at;
    long attach_bytes; /* total size of the ticket's attachments */
};

struct sim_ticket {
    int64_t id;
    int64_t created_at, updated_at, due_by, fr_due_by; /* epoch seconds; due 0 = null */
    int32_t requester;                                 /* contact index */
    int32_t company;                                   /* company index, -1 = null */
    int16_t responder;                                 /* agent index, -1 = unassigned */
    int8_t group;                                      /* group index, -1 = none */
    int8_t status, priority, source, type;             /* type -1 = null */
    uint8_t flags;
    uint8_t hostile; /* 0 or the number of the attack it carries */
    uint32_t touch;  /* order of the last change within one second (0 = generated) */
    struct sim_ticket_ext *ext;
};

struct sim_contact {
    int64_t created_at;
    int32_t company; /* -1 = none */
    uint8_t deleted;
    cJSON *over; /* created or edited contacts: name, email, phone... */
};

struct sim_company {
    int64_t created_at;
    cJSON *over;
};

struct sim_agent {
    int64_t id;
    char name[96], email[128];
    int group_mask;
};

struct sim_attachment {
    int64_t id;
    char *name, *content_type;
    unsigned char *data;
    size_t size;
    int64_t created_at;
};

/* Endpoints with their own per-minute limit, as on real plans. */
enum sim_rate_class {
    SIM_RATE_NONE,
    SIM_RATE_TICKETS_LIST,
    SIM_RATE_TICKET_CREATE,
    SIM_RATE_TICKET_UPDATE,
    SIM_RATE_CONTACTS_LIST,
};

/* Counters the admin hooks report. */
struct sim_stats {
    long requests, replies, notes, early_retries, credits_used;
    long by_status[600];
};

struct sim {
    struct sim_options opts;
    int64_t start_now;     /* the account's now at start (epoch seconds) */
    struct timespec mono0; /* real monotonic time at start */

    pthread_mutex_t lock; /* guards everything below */
    struct sim_ticket *tickets;
    long nticket, cap_ticket;
    long *by_updated; /* ticket indexes sorted by (updated_at, id) */
    struct sim_contact *contacts;
    long ncontact, cap_contact;
    struct sim_company *companies;
    long ncompany, cap_company;
    struct sim_agent *agents;
    int nagent;
    cJSON *agents_json, *groups_json, *fields_json, *folders_json, *canned_json;
    int ngroup;
    struct sim_attachment *attachments;
    long nattach, cap_attach;
    int64_t next_conv_id;
    uint32_t touches;
    long next_job;
    cJSON *posts; /* every write body received, for GET /__sim/posts */
    struct sim_stats stats;
    /* email -> contact index (built on first use) */
    char **email_keys;
    long *email_vals;
    long email_cap;
    bool email_built;

    /* account states switched by the admin hook */
    bool suspended; /* every API call: 403 account_suspended */
    bool read_only; /* writes: 403 access_denied */

    /* rate limiting */
    int64_t window_start_ms;
    long window_used;
    long class_used[5]; /* calls per endpoint class (enum sim_rate_class) in the window */
    int64_t retry_until_ms;
    uint64_t request_no; /* API requests that passed auth (drives the faults) */
    uint64_t served;     /* every request, for X-Request-Id */

    /* runtime */
    FILE *log;
    pthread_mutex_t log_lock;
    struct MHD_Daemon *daemon;
    int port;
    bool stopping;
    pthread_cond_t stop_cond;
    pthread_t activity_thread;
    bool activity_running;
};

/* ---- rng.c: deterministic randomness from (seed, salts). */
uint64_t sim_hash(uint64_t a, uint64_t b);
uint64_t sim_hash3(uint64_t a, uint64_t b, uint64_t c);
/* Uniform 0..n-1 from a hash. */
long sim_pick(uint64_t h, long n);
/* Uniform in [0,1). */
double sim_unit(uint64_t h);

/* ---- clock.c: times. */
int64_t sim_now(const struct sim *sim); /* the account's current time */
int64_t sim_mono_ms(void);
/* Writes "YYYY-MM-DDTHH:MM:SSZ". */
void sim_fmt_time(int64_t t, char out[32]);
/* Parses ISO 8601 (date, date-time, Z or offset). 0 on success. */
int sim_parse_time(const char *s, int64_t *out);
/* A JSON string time, or null when t == 0. */
cJSON *sim_json_time(int64_t t);

/* ---- words.c: text in many scripts. */
struct sim_text {
    char *html, *text;
};
void sim_person_name(uint64_t seed, long idx, char *name, size_t nlen, char *handle, size_t hlen);
void sim_company_name(uint64_t seed, long idx, char *name, size_t nlen, char *domain, size_t dlen);
void sim_ticket_subject(uint64_t seed, int64_t id, char *out, size_t len);
/* A message body; kind 0 customer, 1 agent reply, 2 note. quoted: include quoted history. */
void sim_message(uint64_t seed, uint64_t salt, int kind, bool quoted, const char *from_name,
                 int64_t when, struct sim_text *out);
void sim_text_free(struct sim_text *t);
/* Hostile strings: attack n (1..SIM_HOSTILE_COUNT) for a field: 0 subject, 1 name, 2 company, 3
 * body. */
#define SIM_HOSTILE_COUNT 12
char *sim_hostile_text(int n, int field);
/* HTML <-> text helpers. */
char *sim_html_escape(const char *s);
char *sim_html_to_text(const char *html);

/* ---- data.c: the dataset. */
int sim_data_generate(struct sim *sim, char *err, size_t errlen);
void sim_data_free(struct sim *sim);
struct sim_ticket *sim_ticket_find(struct sim *sim, int64_t id);
long sim_contact_index(struct sim *sim, int64_t id); /* -1 when unknown */
long sim_company_index(struct sim *sim, int64_t id);
int sim_agent_index(struct sim *sim, int64_t id);
int sim_group_index(struct sim *sim, int64_t id);
int64_t sim_contact_id(long idx);
int64_t sim_company_id(long idx);
int64_t sim_group_id(int idx);
long sim_contact_by_email(struct sim *sim, const char *email);
void sim_contact_info(struct sim *sim, long idx, char *name, size_t nlen, char *email, size_t elen);
void sim_company_info(struct sim *sim, long idx, char *name, size_t nlen);
long sim_contact_add(struct sim *sim, cJSON *over, long company, int64_t now);
long sim_company_add(struct sim *sim, cJSON *over, int64_t now);
struct sim_ticket *sim_ticket_add(struct sim *sim);
struct sim_ticket_ext *sim_ticket_ext(struct sim_ticket *t);
/* Sets updated_at to the current time and keeps by_updated sorted. */
void sim_ticket_touch(struct sim *sim, struct sim_ticket *t);
void sim_ticket_set_updated(struct sim *sim, struct sim_ticket *t, int64_t when);
void sim_by_updated_rebuild(struct sim *sim);
bool sim_ticket_visible(const struct sim_ticket *t); /* not deleted, not spam */
long sim_attachment_add(struct sim *sim, const char *name, const char *type, const void *data,
                        size_t size);
int sim_data_load(struct sim *sim, const char *dir, char *err, size_t errlen);

/* ---- render.c: objects as the API shows them. */
enum sim_include {
    SIM_INC_REQUESTER = 1,
    SIM_INC_COMPANY = 2,
    SIM_INC_STATS = 4,
    SIM_INC_DESCRIPTION = 8,
    SIM_INC_CONVERSATIONS = 16,
};
cJSON *sim_render_ticket(struct sim *sim, struct sim_ticket *t, bool view, int includes);
cJSON *sim_render_contact(struct sim *sim, long idx);
cJSON *sim_render_company(struct sim *sim, long idx);
cJSON *sim_render_requester(struct sim *sim, long idx);
const char *sim_ticket_subject_of(struct sim *sim, struct sim_ticket *t, char *buf, size_t len);
cJSON *sim_ticket_tags(struct sim *sim, struct sim_ticket *t);
cJSON *sim_ticket_custom_fields(struct sim *sim, struct sim_ticket *t);

/* ---- convs.c: conversations. */
/* The conversations of a ticket (a new array the caller frees). */
cJSON *sim_convs_get(struct sim *sim, struct sim_ticket *t);
/* Materialises and appends a conversation; returns the stored object (owned by the ticket). */
cJSON *sim_convs_append(struct sim *sim, struct sim_ticket *t, cJSON *conv);
cJSON *sim_conv_new(struct sim *sim, struct sim_ticket *t, const char *html, int64_t user_id,
                    bool incoming, bool private_, int source, int category);

/* The content of a generated attachment (malloc'd), or NULL when id is not one. */
char *sim_generated_attachment(struct sim *sim, int64_t id, size_t *len);
/* The URL an attachment is served at (the simulator's own address). */
void sim_attachment_url(struct sim *sim, int64_t id, const char *base, char *out, size_t len);

/* ---- build.c: static account objects (agents, groups, fields, canned responses). */
void sim_build_account(struct sim *sim);

/* json_out.c: compact JSON like cJSON_PrintUnformatted, faster; the caller frees. */
char *sim_json_print(const cJSON *item, size_t *len);

/* ---- the request being served (server.c, helpers in reply.c). */
struct sim_header {
    char *name, *value;
};
struct sim_req {
    struct sim *sim;
    struct MHD_Connection *conn;
    const char *method;
    char *path;
    char *query; /* re-encoded query string (no '?'), for the log and Link */
    char *body;
    size_t body_len, body_cap;
    bool body_too_big;
    cJSON *json; /* the parsed JSON body, if any */
    cJSON *form; /* multipart fields as JSON (arrays for name[]) */
    int status;
    char *resp;
    size_t resp_len;
    struct sim_header headers[12];
    int nheaders;
    int credits;
    int rate_class; /* enum sim_rate_class */
    bool early_retry;
    bool dropped; /* the --drop fault cut this answer */
};

const char *sim_arg(struct sim_req *r, const char *name);
void sim_add_header(struct sim_req *r, const char *name, const char *value);
/* Sets the answer: takes ownership of body (may be NULL for an empty body). */
void sim_reply_json(struct sim_req *r, int status, cJSON *body);
void sim_reply_empty(struct sim_req *r, int status);
void sim_reply_code(struct sim_req *r, int status, const char *code, const char *message);
void sim_reply_message(struct sim_req *r, int status, const char *message);
void sim_reply_field(struct sim_req *r, int status, const char *field, const char *code,
                     const char *message);
/* The 405 base error for a path that only allows `allowed`. */
void sim_reply_405(struct sim_req *r, const char *allowed);
/* Checks the write body: Content-Type, JSON. Returns the object, or NULL having replied. */
cJSON *sim_write_body(struct sim_req *r, bool multipart_ok);
/* Replies 400 invalid_field for the first key of obj not in allowed (NULL-terminated); true if it
 * did. */
bool sim_reject_unknown(struct sim_req *r, cJSON *obj, const char *const *allowed);
void sim_record_post(struct sim *sim, const char *kind, int64_t ticket_id, cJSON *body);
char *sim_base_url(struct sim_req *r);

/* ---- endpoints. Each returns true when it recognised the path (and replied). */
bool sim_api_tickets(struct sim_req *r, char **seg, int nseg);
bool sim_api_ticket_writes(struct sim_req *r, char **seg, int nseg);
bool sim_api_misc(struct sim_req *r, char **seg, int nseg);
bool sim_api_conversations(struct sim_req *r, char **seg, int nseg); /* convs.c */
bool sim_api_search(struct sim_req *r, char **seg, int nseg);
bool sim_admin(struct sim_req *r, char **seg, int nseg);
void sim_attachment_serve(struct sim_req *r, int64_t id);

/* multipart.c: parses r->body into r->form and stores files as attachments. 0 ok, -1 replied. */
int sim_multipart_parse(struct sim_req *r, const char *content_type, cJSON **files_out,
                        long *total_bytes);

/* search.c: evaluates a search query. NULL + message on a syntax error. */
struct sim_query;
/* fields: the names a term may use (NULL = the ticket fields). */
struct sim_query *sim_query_parse(const char *q, const char *const *fields, char *err,
                                  size_t errlen);
bool sim_query_match(struct sim *sim, const struct sim_query *q, struct sim_ticket *t);
void sim_query_free(struct sim_query *q);

/* activity.c */
void sim_activity_event(struct sim *sim, uint64_t n);
int sim_activity_start(struct sim *sim);
void sim_activity_stop(struct sim *sim);

/* Ticket write helpers shared by the API and the admin hooks (ticket_write.c). */
cJSON *sim_conv_customer_reply(struct sim *sim, struct sim_ticket *t, const char *html);

/* ---- paging helpers (paging.c) */
/* Strict decimal parse; false when s is not a number. */
bool sim_parse_id(const char *s, int64_t *out);
/* Reads page/per_page (per_page absent when fixed_per_page > 0). -1 = replied 400. */
int sim_page_params(struct sim_req *r, long *page, long *per_page, long max_page,
                    long fixed_per_page);
/* Adds the Link header for page+1. */
void sim_link_next(struct sim_req *r, long page);
/* Answers a page of a JSON array (takes ownership of all): Link when more remain. */
void sim_reply_page(struct sim_req *r, cJSON *all);
/* Replies 400 for a query parameter not in allowed; true if it did. */
bool sim_reject_unknown_args(struct sim_req *r, const char *const *allowed);
/* Parses include=a,b against allowed names (bit i+... per table), -1 = replied 400. */
int sim_parse_includes(struct sim_req *r, const char *const *names, const int *bits, int *count);

/* ticket_fields.c: validates a ticket write body (400 replied, false) and applies it. */
bool sim_ticket_validate(struct sim_req *r, cJSON *b, bool create);
void sim_ticket_apply(struct sim *sim, struct sim_ticket *t, cJSON *b);
/* Renders an attachment object; base is the simulator's URL. */
cJSON *sim_attachment_json(struct sim *sim, long idx, const char *base);
#endif
