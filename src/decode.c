/* decode.c: lenient cJSON decoding of Freshdesk answers into model.h structs.
 *
 * The body is checked before cJSON sees it (nesting at most
 * DECODE_MAX_DEPTH), so a hostile server cannot push cJSON into deep
 * recursion. Invalid UTF-8 and NUL bytes are replaced by U+FFFD (and logged)
 * rather than refused: one hostile subject must not stop a whole page, or the
 * sync, forever; the replaced text still goes through the sanitiser before it
 * is drawn. Each record
 * is read through a small `struct reader` that remembers the first key with a
 * wrong type; a record with such a key is skipped (and logged) instead of
 * failing the whole list. */
#include "src/decode.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/log.h"

#define DECODE_MAX_DEPTH 64
/* Integers above 2^53 cannot come through cJSON's double exactly. */
#define DECODE_MAX_EXACT 9007199254740992.0

/* ---- Checking and parsing the body ------------------------------------- */

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 if invalid. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    unsigned cp;
    if (c < 0x80)
        return c == 0 ? 0 : 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Nesting within the limit. Returns NULL or a reason; counts the bytes that
 * are not valid UTF-8 (or are NUL) in *bad. */
static const char *check_body(const char *json, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)json;
    int depth = 0;
    bool in_string = false;
    *bad = 0;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence(s + i, len - i);
        if (n == 0) {
            (*bad)++;
            i++;
            continue;
        }
        if (n == 1) {
            char c = (char)s[i];
            if (in_string) {
                if (c == '\\')
                    n = i + 1 < len ? 2 : 1;
                else if (c == '"')
                    in_string = false;
            } else if (c == '"') {
                in_string = true;
            } else if (c == '[' || c == '{') {
                if (++depth > DECODE_MAX_DEPTH)
                    return "nesting too deep";
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        i += n;
    }
    return NULL;
}

/* A copy of json with every invalid UTF-8 byte and NUL replaced by U+FFFD. */
static char *repair_utf8(const char *json, size_t len, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)json;
    char *out = malloc(len * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_sequence(s + i, len - i);
        if (n == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(o, s + i, n);
            o += n;
            i += n;
        }
    }
    *o = 0;
    *out_len = (size_t)(o - out);
    return out;
}

static cJSON *parse_body(const char *json, size_t len, const char *what, struct fd_error *err)
{
    if (!json || len == 0) {
        fd_error_set(err, FD_ERR_DECODE, "Freshdesk sent an empty answer for %s", what);
        return NULL;
    }
    size_t bad = 0;
    const char *why = check_body(json, len, &bad);
    if (why) {
        fd_error_set(err, FD_ERR_DECODE, "Freshdesk's answer for %s is not valid JSON (%s)", what,
                     why);
        return NULL;
    }
    char *repaired = NULL;
    if (bad) {
        log_warn("decode", "answer for %s: %zu bytes of invalid UTF-8 or NUL replaced by U+FFFD",
                 what, bad);
        repaired = repair_utf8(json, len, &len);
        if (!repaired) {
            fd_error_set(err, FD_ERR_DECODE, "out of memory decoding %s", what);
            return NULL;
        }
        json = repaired;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, false);
    if (!root) {
        free(repaired);
        fd_error_set(err, FD_ERR_DECODE, "Freshdesk's answer for %s is not valid JSON", what);
        return NULL;
    }
    while (end && end < json + len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    bool trailing = end && end < json + len;
    free(repaired);
    if (trailing) {
        cJSON_Delete(root);
        fd_error_set(err, FD_ERR_DECODE, "Freshdesk's answer for %s has trailing data", what);
        return NULL;
    }
    return root;
}

static cJSON *parse_kind(const char *json, size_t len, int array, const char *what,
                         struct fd_error *err)
{
    cJSON *root = parse_body(json, len, what, err);
    if (root && !(array ? cJSON_IsArray(root) : cJSON_IsObject(root))) {
        cJSON_Delete(root);
        fd_error_set(err, FD_ERR_DECODE, "Freshdesk's answer for %s is not a JSON %s", what,
                     array ? "array" : "object");
        return NULL;
    }
    return root;
}

/* ---- Reading fields leniently ------------------------------------------ */

struct reader {
    const cJSON *obj;
    const char *bad; /* first key with a wrong type, or NULL */
    bool nomem;
};

static const cJSON *field(struct reader *r, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->obj, key);
    return v && !cJSON_IsNull(v) ? v : NULL;
}

static void mark_bad(struct reader *r, const char *key)
{
    if (!r->bad)
        r->bad = key;
}

static bool exact_integer(const cJSON *v, double lo, double hi)
{
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) &&
           v->valuedouble == floor(v->valuedouble) && v->valuedouble >= lo && v->valuedouble <= hi;
}

static fd_id read_id(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    if (!v)
        return 0;
    if (!exact_integer(v, 0, DECODE_MAX_EXACT)) {
        mark_bad(r, key);
        return 0;
    }
    return (fd_id)v->valuedouble;
}

static int read_int(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    if (!v)
        return 0;
    if (!exact_integer(v, -2147483647.0, 2147483647.0)) {
        mark_bad(r, key);
        return 0;
    }
    return (int)v->valuedouble;
}

static bool read_bool(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    if (!v)
        return false;
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v);
    if (exact_integer(v, 0, 1)) /* auto_ticket_assign is 0/1 on real accounts */
        return v->valuedouble != 0;
    mark_bad(r, key);
    return false;
}

static char *dup_or_mark(struct reader *r, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        r->nomem = true;
    return copy;
}

static char *read_str(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    if (!v)
        return NULL;
    if (!cJSON_IsString(v) || !v->valuestring) {
        mark_bad(r, key);
        return NULL;
    }
    return dup_or_mark(r, v->valuestring);
}

/* Phone numbers arrive as strings on real accounts, as numbers in doc examples. */
static char *read_phone(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    if (v && exact_integer(v, 0, DECODE_MAX_EXACT)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%.0f", v->valuedouble);
        return dup_or_mark(r, buf);
    }
    return read_str(r, key);
}

static fd_time read_time(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    fd_time t = 0;
    if (!v)
        return 0;
    if (!cJSON_IsString(v) || model_parse_time(v->valuestring, &t) != 0) {
        mark_bad(r, key);
        return 0;
    }
    return t;
}

static void read_strlist(struct reader *r, const char *key, struct fd_string_list *out)
{
    const cJSON *v = field(r, key);
    const cJSON *item;
    if (!v)
        return;
    if (!cJSON_IsArray(v)) {
        mark_bad(r, key);
        return;
    }
    cJSON_ArrayForEach(item, v)
    {
        if (cJSON_IsNull(item))
            continue;
        if (!cJSON_IsString(item)) {
            mark_bad(r, key);
            return;
        }
        if (model_string_list_add(out, item->valuestring) != 0)
            r->nomem = true;
    }
}

static char *read_raw_object(struct reader *r, const char *key)
{
    const cJSON *v = field(r, key);
    if (!v)
        return NULL;
    if (!cJSON_IsObject(v)) {
        mark_bad(r, key);
        return NULL;
    }
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        r->nomem = true;
    return s;
}

static void log_skip(const char *what, const struct reader *r, const char *reason)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(r->obj, "id");
    if (cJSON_IsNumber(id))
        log_warn("decode", "skipped %s %.0f: %s%s%s", what, id->valuedouble, reason,
                 r->bad ? " " : "", r->bad ? r->bad : "");
    else
        log_warn("decode", "skipped a %s: %s%s%s", what, reason, r->bad ? " " : "",
                 r->bad ? r->bad : "");
}

/* ---- Records ------------------------------------------------------------ */

typedef int (*decode_record_fn)(const cJSON *obj, void *out);
typedef void (*clear_record_fn)(void *rec);

/* Reports how a record went: 0 kept, -1 skipped (wrong type), -2 out of memory. */
static int finish_record(struct reader *r, const char *what)
{
    if (r->nomem)
        return -2;
    if (r->bad) {
        log_skip(what, r, "wrong type for");
        return -1;
    }
    return 0;
}

static void read_attachments(struct reader *r, const char *key, struct fd_attachment **out,
                             size_t *count)
{
    const cJSON *v = field(r, key);
    const cJSON *item;
    if (!v)
        return;
    if (!cJSON_IsArray(v)) {
        mark_bad(r, key);
        return;
    }
    int n = cJSON_GetArraySize(v);
    if (n == 0)
        return;
    *out = calloc((size_t)n, sizeof **out);
    if (!*out) {
        r->nomem = true;
        return;
    }
    cJSON_ArrayForEach(item, v)
    {
        struct reader a = {.obj = item};
        if (!cJSON_IsObject(item)) {
            mark_bad(r, key);
            return;
        }
        struct fd_attachment *at = &(*out)[(*count)++];
        at->id = read_id(&a, "id");
        at->name = read_str(&a, "name");
        at->content_type = read_str(&a, "content_type");
        at->size = read_id(&a, "size");
        at->url = read_str(&a, "attachment_url");
        at->created_at = read_time(&a, "created_at");
        if (a.bad)
            mark_bad(r, key);
        if (a.nomem)
            r->nomem = true;
    }
}

static void contact_fields(struct reader *r, struct fd_contact *c)
{
    c->id = read_id(r, "id");
    c->name = read_str(r, "name");
    c->email = read_str(r, "email");
    c->phone = read_phone(r, "phone");
    c->mobile = read_phone(r, "mobile");
    c->company_id = read_id(r, "company_id");
    c->updated_at = read_time(r, "updated_at");
}

static void company_fields(struct reader *r, struct fd_company *c)
{
    c->id = read_id(r, "id");
    c->name = read_str(r, "name");
    c->updated_at = read_time(r, "updated_at");
}

/* An embedded requester/company: a wrong shape marks the ticket bad. */
static void read_embedded(struct reader *r, struct fd_ticket *t)
{
    const cJSON *req = field(r, "requester");
    const cJSON *com = field(r, "company");
    if (req && !cJSON_IsObject(req))
        mark_bad(r, "requester");
    if (com && !cJSON_IsObject(com))
        mark_bad(r, "company");
    if (cJSON_IsObject(req)) {
        struct reader sub = {.obj = req};
        t->requester = calloc(1, sizeof *t->requester);
        if (t->requester)
            contact_fields(&sub, t->requester);
        if (!t->requester || sub.nomem)
            r->nomem = true;
        if (sub.bad)
            mark_bad(r, "requester");
    }
    if (cJSON_IsObject(com)) {
        struct reader sub = {.obj = com};
        t->company = calloc(1, sizeof *t->company);
        if (t->company)
            company_fields(&sub, t->company);
        if (!t->company || sub.nomem)
            r->nomem = true;
        if (sub.bad)
            mark_bad(r, "company");
    }
}

/* The ticket as received, without what is stored elsewhere. */
static char *ticket_json(struct reader *r)
{
    cJSON *copy = cJSON_Duplicate(r->obj, true);
    if (!copy) {
        r->nomem = true;
        return NULL;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "requester");
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "company");
    cJSON_DeleteItemFromObjectCaseSensitive(copy, "conversations");
    char *s = cJSON_PrintUnformatted(copy);
    cJSON_Delete(copy);
    if (!s)
        r->nomem = true;
    return s;
}

static int ticket_record(const cJSON *obj, void *out)
{
    struct fd_ticket *t = out;
    struct reader r = {.obj = obj};
    t->id = read_id(&r, "id");
    t->subject = read_str(&r, "subject");
    t->description_html = read_str(&r, "description");
    t->description_text = read_str(&r, "description_text");
    t->type = read_str(&r, "type");
    t->status = read_int(&r, "status");
    t->priority = read_int(&r, "priority");
    t->source = read_int(&r, "source");
    t->requester_id = read_id(&r, "requester_id");
    t->responder_id = read_id(&r, "responder_id");
    t->group_id = read_id(&r, "group_id");
    t->company_id = read_id(&r, "company_id");
    t->spam = read_bool(&r, "spam");
    t->deleted = read_bool(&r, "deleted");
    t->is_escalated = read_bool(&r, "is_escalated");
    t->fr_escalated = read_bool(&r, "fr_escalated");
    t->due_by = read_time(&r, "due_by");
    t->fr_due_by = read_time(&r, "fr_due_by");
    t->created_at = read_time(&r, "created_at");
    t->updated_at = read_time(&r, "updated_at");
    read_strlist(&r, "tags", &t->tags);
    read_strlist(&r, "cc_emails", &t->cc_emails);
    t->custom_fields_json = read_raw_object(&r, "custom_fields");
    read_attachments(&r, "attachments", &t->attachments, &t->attachment_count);
    read_embedded(&r, t);
    if (t->id <= 0)
        mark_bad(&r, "id");
    if (!r.bad)
        t->json = ticket_json(&r);
    return finish_record(&r, "ticket");
}

static int conversation_record(const cJSON *obj, void *out)
{
    struct fd_conversation *c = out;
    struct reader r = {.obj = obj};
    c->id = read_id(&r, "id");
    c->ticket_id = read_id(&r, "ticket_id");
    c->user_id = read_id(&r, "user_id");
    c->body_html = read_str(&r, "body");
    c->body_text = read_str(&r, "body_text");
    c->from_email = read_str(&r, "from_email");
    c->incoming = read_bool(&r, "incoming");
    c->is_private = read_bool(&r, "private");
    c->source = read_int(&r, "source");
    c->created_at = read_time(&r, "created_at");
    c->updated_at = read_time(&r, "updated_at");
    read_strlist(&r, "to_emails", &c->to_emails);
    read_strlist(&r, "cc_emails", &c->cc_emails);
    read_strlist(&r, "bcc_emails", &c->bcc_emails);
    read_attachments(&r, "attachments", &c->attachments, &c->attachment_count);
    if (c->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "conversation");
}

static int agent_record(const cJSON *obj, void *out)
{
    struct fd_agent *a = out;
    struct reader r = {.obj = obj};
    a->id = read_id(&r, "id");
    a->signature_html = read_str(&r, "signature");
    a->ticket_scope = read_int(&r, "ticket_scope");
    a->available = read_bool(&r, "available");
    a->occasional = read_bool(&r, "occasional");
    a->updated_at = read_time(&r, "updated_at");
    const cJSON *contact = field(&r, "contact");
    if (contact && !cJSON_IsObject(contact))
        mark_bad(&r, "contact");
    if (cJSON_IsObject(contact)) {
        struct reader sub = {.obj = contact};
        a->name = read_str(&sub, "name");
        a->email = read_str(&sub, "email");
        if (sub.bad)
            mark_bad(&r, "contact");
        r.nomem |= sub.nomem;
    }
    if (a->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "agent");
}

static int group_record(const cJSON *obj, void *out)
{
    struct fd_group *g = out;
    struct reader r = {.obj = obj};
    g->id = read_id(&r, "id");
    g->name = read_str(&r, "name");
    g->updated_at = read_time(&r, "updated_at");
    if (g->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "group");
}

static int folder_record(const cJSON *obj, void *out)
{
    struct fd_canned_folder *f = out;
    struct reader r = {.obj = obj};
    f->id = read_id(&r, "id");
    f->name = read_str(&r, "name");
    f->personal = read_bool(&r, "personal");
    f->responses_count = read_int(&r, "responses_count");
    if (f->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "canned response folder");
}

static int canned_record(const cJSON *obj, void *out)
{
    struct fd_canned_response *c = out;
    struct reader r = {.obj = obj};
    c->id = read_id(&r, "id");
    c->folder_id = read_id(&r, "folder_id");
    c->title = read_str(&r, "title");
    c->content_text = read_str(&r, "content");
    c->content_html = read_str(&r, "content_html");
    if (c->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "canned response");
}

static void clear_ticket(void *p)
{
    model_ticket_clear(p);
}
static void clear_conversation(void *p)
{
    model_conversation_clear(p);
}
static void clear_agent(void *p)
{
    model_agent_clear(p);
}
static void clear_group(void *p)
{
    model_group_clear(p);
}
static void clear_folder(void *p)
{
    model_canned_folder_clear(p);
}
static void clear_canned(void *p)
{
    model_canned_response_clear(p);
}

/* ---- Arrays --------------------------------------------------------------- */

struct record_type {
    const char *what;
    size_t size;
    decode_record_fn decode;
    clear_record_fn clear;
};

static const struct record_type TICKET = {"ticket", sizeof(struct fd_ticket), ticket_record,
                                          clear_ticket};
static const struct record_type CONVERSATION = {"conversation", sizeof(struct fd_conversation),
                                                conversation_record, clear_conversation};
static const struct record_type AGENT = {"agent", sizeof(struct fd_agent), agent_record,
                                         clear_agent};
static const struct record_type GROUP = {"group", sizeof(struct fd_group), group_record,
                                         clear_group};
static const struct record_type FOLDER = {"canned response folder", sizeof(struct fd_canned_folder),
                                          folder_record, clear_folder};
static const struct record_type CANNED = {"canned response", sizeof(struct fd_canned_response),
                                          canned_record, clear_canned};

static void free_array(const struct record_type *type, void *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        type->clear((char *)items + i * type->size);
    free(items);
}

/* Decodes every object of arr; skips the bad ones. Returns 0 or -1 (no memory). */
static int decode_array(const struct record_type *type, const cJSON *arr, void **out, size_t *count,
                        size_t *skipped, struct fd_error *err)
{
    size_t n = (size_t)cJSON_GetArraySize(arr), kept = 0, dropped = 0;
    char *items = n ? calloc(n, type->size) : NULL;
    const cJSON *item;
    if (n && !items)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding %ss", type->what);
    cJSON_ArrayForEach(item, arr)
    {
        void *rec = items + kept * type->size;
        int rc = -1;
        if (cJSON_IsObject(item))
            rc = type->decode(item, rec);
        else
            log_warn("decode", "skipped a %s: not a JSON object", type->what);
        if (rc == 0) {
            kept++;
            continue;
        }
        type->clear(rec);
        dropped++;
        if (rc == -2) {
            free_array(type, items, kept);
            return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding %ss", type->what);
        }
    }
    if (kept == 0) {
        free(items);
        items = NULL;
    }
    *out = items;
    *count = kept;
    if (skipped)
        *skipped = dropped;
    return 0;
}

static int decode_list(const struct record_type *type, const char *json, size_t len, void **out,
                       size_t *count, size_t *skipped, struct fd_error *err)
{
    *out = NULL;
    *count = 0;
    if (skipped)
        *skipped = 0;
    cJSON *root = parse_kind(json, len, 1, type->what, err);
    if (!root)
        return -1;
    int rc = decode_array(type, root, out, count, skipped, err);
    cJSON_Delete(root);
    return rc;
}

/* Decodes one object into *out (cleared first). */
static int decode_single(const struct record_type *type, const char *json, size_t len, void *out,
                         struct fd_error *err)
{
    memset(out, 0, type->size);
    cJSON *root = parse_kind(json, len, 0, type->what, err);
    if (!root)
        return -1;
    int rc = type->decode(root, out);
    cJSON_Delete(root);
    if (rc == 0)
        return 0;
    type->clear(out);
    if (rc == -2)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding a %s", type->what);
    return fd_error_set(err, FD_ERR_DECODE, "Freshdesk sent a %s with unexpected field types",
                        type->what);
}

/* ---- Public decoders ------------------------------------------------------ */

int decode_ticket(const char *json, size_t len, struct fd_ticket *out,
                  struct fd_conversation **conversations, size_t *conversation_count,
                  struct fd_error *err)
{
    if (conversations) {
        *conversations = NULL;
        *conversation_count = 0;
    }
    memset(out, 0, sizeof *out);
    cJSON *root = parse_kind(json, len, 0, "ticket", err);
    if (!root)
        return -1;
    int rc = ticket_record(root, out);
    if (rc == 0 && conversations) {
        const cJSON *convs = cJSON_GetObjectItemCaseSensitive(root, "conversations");
        if (cJSON_IsArray(convs))
            rc = decode_array(&CONVERSATION, convs, (void **)conversations, conversation_count,
                              NULL, err) == 0
                     ? 0
                     : -3;
    }
    cJSON_Delete(root);
    if (rc == 0)
        return 0;
    model_ticket_clear(out);
    if (rc == -3)
        return -1;
    if (rc == -2)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding a ticket");
    return fd_error_set(err, FD_ERR_DECODE, "Freshdesk sent a ticket with unexpected field types");
}

int decode_tickets(const char *json, size_t len, struct fd_ticket **out, size_t *count,
                   size_t *skipped, struct fd_error *err)
{
    return decode_list(&TICKET, json, len, (void **)out, count, skipped, err);
}

int decode_search_tickets(const char *json, size_t len, struct fd_ticket **out, size_t *count,
                          size_t *skipped, long *total, struct fd_error *err)
{
    *out = NULL;
    *count = 0;
    if (skipped)
        *skipped = 0;
    if (total)
        *total = 0;
    cJSON *root = parse_kind(json, len, 0, "search", err);
    if (!root)
        return -1;
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(root, "results");
    const cJSON *tot = cJSON_GetObjectItemCaseSensitive(root, "total");
    int rc = 0;
    if (results && !cJSON_IsNull(results) && !cJSON_IsArray(results))
        rc = fd_error_set(err, FD_ERR_DECODE, "Freshdesk's search answer has no results list");
    else if (results)
        rc = decode_array(&TICKET, results, (void **)out, count, skipped, err);
    if (rc == 0 && total)
        *total = exact_integer(tot, 0, 1e9) ? (long)tot->valuedouble : (long)*count;
    cJSON_Delete(root);
    return rc;
}

int decode_conversation(const char *json, size_t len, struct fd_conversation *out,
                        struct fd_error *err)
{
    return decode_single(&CONVERSATION, json, len, out, err);
}

int decode_conversations(const char *json, size_t len, struct fd_conversation **out, size_t *count,
                         size_t *skipped, struct fd_error *err)
{
    return decode_list(&CONVERSATION, json, len, (void **)out, count, skipped, err);
}

static int contact_record(const cJSON *obj, void *out)
{
    struct reader r = {.obj = obj};
    contact_fields(&r, out);
    if (((struct fd_contact *)out)->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "contact");
}

static int company_record(const cJSON *obj, void *out)
{
    struct reader r = {.obj = obj};
    company_fields(&r, out);
    if (((struct fd_company *)out)->id <= 0)
        mark_bad(&r, "id");
    return finish_record(&r, "company");
}

static void clear_contact(void *p)
{
    struct fd_contact *c = p;
    free(c->name);
    free(c->email);
    free(c->phone);
    free(c->mobile);
    memset(c, 0, sizeof *c);
}

static void clear_company(void *p)
{
    struct fd_company *c = p;
    free(c->name);
    memset(c, 0, sizeof *c);
}

static const struct record_type CONTACT = {"contact", sizeof(struct fd_contact), contact_record,
                                           clear_contact};
static const struct record_type COMPANY = {"company", sizeof(struct fd_company), company_record,
                                           clear_company};

int decode_contact(const char *json, size_t len, struct fd_contact **out, struct fd_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding a contact");
    if (decode_single(&CONTACT, json, len, *out, err) == 0)
        return 0;
    free(*out);
    *out = NULL;
    return -1;
}

int decode_company(const char *json, size_t len, struct fd_company **out, struct fd_error *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding a company");
    if (decode_single(&COMPANY, json, len, *out, err) == 0)
        return 0;
    free(*out);
    *out = NULL;
    return -1;
}

int decode_agent(const char *json, size_t len, struct fd_agent *out, struct fd_error *err)
{
    return decode_single(&AGENT, json, len, out, err);
}

int decode_agents(const char *json, size_t len, struct fd_agent **out, size_t *count,
                  size_t *skipped, struct fd_error *err)
{
    return decode_list(&AGENT, json, len, (void **)out, count, skipped, err);
}

int decode_groups(const char *json, size_t len, struct fd_group **out, size_t *count,
                  size_t *skipped, struct fd_error *err)
{
    return decode_list(&GROUP, json, len, (void **)out, count, skipped, err);
}

int decode_canned_folders(const char *json, size_t len, struct fd_canned_folder **out,
                          size_t *count, size_t *skipped, struct fd_error *err)
{
    return decode_list(&FOLDER, json, len, (void **)out, count, skipped, err);
}

int decode_canned_responses(const char *json, size_t len, struct fd_canned_response **out,
                            size_t *count, size_t *skipped, struct fd_error *err)
{
    return decode_list(&CANNED, json, len, (void **)out, count, skipped, err);
}

int decode_canned_response(const char *json, size_t len, struct fd_canned_response *out,
                           struct fd_error *err)
{
    return decode_single(&CANNED, json, len, out, err);
}

void decode_free_tickets(struct fd_ticket *tickets, size_t count)
{
    free_array(&TICKET, tickets, count);
}
void decode_free_conversations(struct fd_conversation *convs, size_t count)
{
    free_array(&CONVERSATION, convs, count);
}
void decode_free_agents(struct fd_agent *agents, size_t count)
{
    free_array(&AGENT, agents, count);
}
void decode_free_groups(struct fd_group *groups, size_t count)
{
    free_array(&GROUP, groups, count);
}
void decode_free_canned_folders(struct fd_canned_folder *folders, size_t count)
{
    free_array(&FOLDER, folders, count);
}
void decode_free_canned_responses(struct fd_canned_response *responses, size_t count)
{
    free_array(&CANNED, responses, count);
}

void decode_free_statuses(struct fd_status *statuses, size_t count)
{
    for (size_t i = 0; statuses && i < count; i++)
        model_status_clear(&statuses[i]);
    free(statuses);
}

/* ---- Ticket fields: statuses and types ----------------------------------- */

/* The /ticket_fields entry named `name`, or NULL. */
static const cJSON *find_ticket_field(const cJSON *root, const char *name, const char *type)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, root)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(f, "name");
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(f, "type");
        if ((cJSON_IsString(n) && strcmp(n->valuestring, name) == 0) ||
            (cJSON_IsString(t) && strcmp(t->valuestring, type) == 0))
            return f;
    }
    return NULL;
}

static int status_compare(const void *a, const void *b)
{
    const struct fd_status *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* "2": ["Open", "Being Processed"] (or a bare label). Returns false to skip. */
static bool status_choice(const cJSON *choice, struct fd_status *s)
{
    char *end = NULL;
    long id = strtol(choice->string ? choice->string : "", &end, 10);
    if (!choice->string || end == choice->string || *end || id <= 0 || id > 100000)
        return false;
    const cJSON *agent = cJSON_IsArray(choice) ? cJSON_GetArrayItem(choice, 0) : choice;
    const cJSON *customer = cJSON_IsArray(choice) ? cJSON_GetArrayItem(choice, 1) : NULL;
    if (!cJSON_IsString(agent))
        return false;
    s->id = (int)id;
    s->agent_label = strdup(agent->valuestring);
    s->customer_label = cJSON_IsString(customer) ? strdup(customer->valuestring) : NULL;
    return true;
}

int decode_ticket_statuses(const char *json, size_t len, struct fd_status **out, size_t *count,
                           struct fd_error *err)
{
    *out = NULL;
    *count = 0;
    cJSON *root = parse_kind(json, len, 1, "ticket fields", err);
    if (!root)
        return -1;
    const cJSON *field_obj = find_ticket_field(root, "status", "default_status");
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(field_obj, "choices");
    int n = cJSON_IsObject(choices) ? cJSON_GetArraySize(choices) : 0;
    struct fd_status *list = n ? calloc((size_t)n, sizeof *list) : NULL;
    size_t kept = 0;
    const cJSON *c;
    if (n && !list) {
        cJSON_Delete(root);
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding ticket statuses");
    }
    if (n)
        cJSON_ArrayForEach(c, choices)
        {
            if (status_choice(c, &list[kept]))
                kept++;
            else
                log_warn("decode", "skipped a status choice with an unexpected shape");
        }
    cJSON_Delete(root);
    if (kept)
        qsort(list, kept, sizeof *list, status_compare);
    else {
        free(list);
        list = NULL;
    }
    *out = list;
    *count = kept;
    return 0;
}

int decode_ticket_types(const char *json, size_t len, struct fd_string_list *out,
                        struct fd_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = parse_kind(json, len, 1, "ticket fields", err);
    if (!root)
        return -1;
    const cJSON *field_obj = find_ticket_field(root, "ticket_type", "default_ticket_type");
    const cJSON *choices = cJSON_GetObjectItemCaseSensitive(field_obj, "choices");
    const cJSON *c;
    int rc = 0;
    if (cJSON_IsArray(choices))
        cJSON_ArrayForEach(c, choices)
        {
            if (cJSON_IsString(c) && model_string_list_add(out, c->valuestring) != 0) {
                model_string_list_clear(out);
                rc = fd_error_set(err, FD_ERR_NOMEM, "out of memory decoding ticket types");
                break;
            }
        }
    cJSON_Delete(root);
    return rc;
}

const char *decode_status_label(const struct fd_status *statuses, size_t count, int id)
{
    for (size_t i = 0; statuses && i < count; i++)
        if (statuses[i].id == id && statuses[i].agent_label)
            return statuses[i].agent_label;
    return model_status_name(id);
}
