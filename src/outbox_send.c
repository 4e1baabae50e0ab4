/* outbox_send.c: sends outbox items to Freshdesk and decides, from the answer,
 * what state each one is in (see the life cycle in outbox.h). Before an item
 * whose earlier attempt may have landed is sent again, the ticket is read back
 * so that a reply is never posted twice. */
#include "src/api.h"
#include "src/log.h"
#include "src/outbox.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Back-off after an attempt the server did not confirm: 5 s, doubling, at
 * most 15 minutes (or what Retry-After says). */
#define OUTBOX_BACKOFF_BASE_MS ((int64_t)5000)
#define OUTBOX_BACKOFF_MAX_MS  ((int64_t)15 * 60 * 1000)

static void set_message(struct outbox_send_result *res, const char *fmt, const char *detail)
{
    snprintf(res->message, sizeof res->message, fmt, detail ? detail : "");
}

/* The error text stored with the item: the message plus every field error. */
static void describe_error(const struct fd_error *err, char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, "%s", fd_error_message(err));
    bool first = true;

    for (size_t i = 0; i < err->field_count && used < size; i++) {
        const struct fd_field_error *f = &err->fields[i];
        if (f->message && strstr(out, f->message))
            continue; /* the message already names it */
        used += (size_t)snprintf(out + used, size - used, "%s%s: %s", first ? " — " : "; ",
                                 f->field ? f->field : "(request)",
                                 f->message ? f->message : (f->code ? f->code : "invalid"));
        first = false;
    }
}

/* Maps a failed write to the item's next state. */
static enum outbox_outcome classify(const struct fd_error *err, struct outbox_send_result *res)
{
    res->offline = fd_error_is_offline(err);
    res->stop_all = res->offline;
    if (err->kind == FD_ERR_HTTP) {
        long s = err->http_status;
        if (s == 429) {
            res->retry_after = err->retry_after;
            return OUTBOX_OUTCOME_QUEUED; /* a 429 was not processed */
        }
        if (s == 401) {
            res->stop_all = true;
            return OUTBOX_OUTCOME_QUEUED; /* the key is wrong, not the item */
        }
        if (s >= 400 && s < 500)
            return OUTBOX_OUTCOME_FAILED;
        return OUTBOX_OUTCOME_UNKNOWN; /* 5xx: it may have been applied */
    }
    if (err->kind == FD_ERR_NOMEM || err->kind == FD_ERR_INVALID || err->kind == FD_ERR_CONFIG ||
        err->kind == FD_ERR_IO)
        return err->request_sent ? OUTBOX_OUTCOME_UNKNOWN : OUTBOX_OUTCOME_QUEUED;
    return err->request_sent ? OUTBOX_OUTCOME_UNKNOWN : OUTBOX_OUTCOME_QUEUED;
}

/* A JSON array of strings as a NULL-terminated vector pointing into json. */
static const char **string_vector(const cJSON *arr, size_t *count)
{
    size_t n = (size_t)cJSON_GetArraySize(arr), k = 0;
    const char **v = calloc(n + 1, sizeof *v);
    const cJSON *e;

    if (!v)
        return NULL;
    cJSON_ArrayForEach(e, arr)
    {
        if (cJSON_IsString(e))
            v[k++] = e->valuestring;
    }
    *count = k;
    return v;
}

static int send_conversation(struct api *api, const struct outbox_item *item,
                             struct outbox_send_result *res, fd_id *remote_id, struct fd_error *err)
{
    cJSON *root = cJSON_Parse(item->payload);
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(root, "body");
    struct fd_conversation conv = {0};
    int rc;

    if (!cJSON_IsString(body)) {
        cJSON_Delete(root);
        return fd_error_set(err, FD_ERR_INVALID, "outbox item %lld is damaged (no body)",
                            (long long)item->id);
    }
    size_t nfiles = 0;
    const char **files = string_vector(cJSON_GetObjectItem(root, "fdesk_attachments"), &nfiles);
    if (item->kind == OUTBOX_REPLY) {
        struct api_reply r = {
            .body_html = body->valuestring, .attachments = files, .attachment_count = nfiles};
        const char **cc = string_vector(cJSON_GetObjectItem(root, "cc_emails"), &r.cc_count);
        const char **bcc = string_vector(cJSON_GetObjectItem(root, "bcc_emails"), &r.bcc_count);
        r.cc_emails = cc;
        r.bcc_emails = bcc;
        rc = api_reply(api, item->ticket_id, &r, &conv, err);
        free(cc);
        free(bcc);
    } else {
        struct api_note n = {
            .body_html = body->valuestring, .attachments = files, .attachment_count = nfiles};
        n.is_private = !cJSON_IsFalse(cJSON_GetObjectItem(root, "private"));
        rc = api_note(api, item->ticket_id, &n, &conv, err);
    }
    free(files);
    *remote_id = conv.id;
    if (rc == 0 && conv.id && (res->conversation = malloc(sizeof conv)))
        *res->conversation = conv; /* the caller may cache it */
    else
        model_conversation_clear(&conv);
    cJSON_Delete(root);
    return rc;
}

static bool taken_cb(fd_id id, void *data)
{
    const void *const *ctx = data;
    return outbox_remote_id_taken((struct state_db *)ctx[0], id, *(const int64_t *)ctx[1]);
}

/* Did an earlier attempt of this reply/note land? 1 yes (*remote_id), 0 no,
 * -1 the server could not be asked (err set). */
static int conversation_landed(struct state_db *st, struct api *api, const struct outbox_item *item,
                               fd_id *remote_id, struct fd_error *err)
{
    struct fd_conversation *convs = NULL;
    size_t n = 0;
    const void *ctx[2] = {st, &item->id};

    if (api_list_conversations(api, item->ticket_id, &convs, &n, err) != 0)
        return -1;
    long i = outbox_match_conversation(item, convs, n, taken_cb, ctx);
    if (i >= 0)
        *remote_id = convs[i].id;
    for (size_t k = 0; k < n; k++)
        model_conversation_clear(&convs[k]);
    free(convs);
    return i >= 0;
}

/* The tag list after applying the item's additions and removals to current. */
static const char **apply_tags(const struct fd_string_list *current, const cJSON *add,
                               const cJSON *remove, size_t *count)
{
    size_t cap = current->count + (size_t)cJSON_GetArraySize(add) + 1, n = 0;
    const char **tags = calloc(cap, sizeof *tags);
    const cJSON *e;

    if (!tags)
        return NULL;
    for (size_t i = 0; i < current->count; i++)
        tags[n++] = current->items[i];
    cJSON_ArrayForEach(e, add)
    {
        bool present = false;
        for (size_t i = 0; i < n; i++)
            present = present || strcmp(tags[i], e->valuestring) == 0;
        if (cJSON_IsString(e) && !present)
            tags[n++] = e->valuestring;
    }
    cJSON_ArrayForEach(e, remove)
    {
        for (size_t i = 0; cJSON_IsString(e) && i < n; i++)
            if (strcmp(tags[i], e->valuestring) == 0) {
                memmove(&tags[i], &tags[i + 1], (n - i - 1) * sizeof *tags);
                n--;
                i--;
            }
    }
    *count = n;
    return tags;
}

/* The id in a property that may be null (unassign): -1 for null, 0 absent. */
static fd_id nullable_id(const cJSON *props, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, name);
    if (cJSON_IsNull(v))
        return -1;
    return cJSON_IsNumber(v) ? (fd_id)v->valuedouble : 0;
}

static void changes_from_json(const cJSON *props, struct api_ticket_changes *c)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(props, "type");

    memset(c, 0, sizeof *c);
    c->status = cJSON_GetNumberValue(cJSON_GetObjectItem(props, "status")) > 0
                    ? (int)cJSON_GetObjectItem(props, "status")->valuedouble
                    : 0;
    c->priority = cJSON_GetNumberValue(cJSON_GetObjectItem(props, "priority")) > 0
                      ? (int)cJSON_GetObjectItem(props, "priority")->valuedouble
                      : 0;
    c->responder_id = nullable_id(props, "responder_id");
    c->group_id = nullable_id(props, "group_id");
    c->type = cJSON_IsString(type) ? type->valuestring : NULL;
}

static bool same_id(fd_id wanted, fd_id have)
{
    return wanted == 0 || (wanted == -1 ? have == 0 : wanted == have);
}

static bool same_tags(const struct fd_string_list *have, const char **tags, size_t n)
{
    if (have->count != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < have->count; k++)
            found = found || strcmp(have->items[k], tags[i]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* True when the ticket already has every value the change asks for. */
static bool ticket_has(const struct fd_ticket *t, const struct api_ticket_changes *c)
{
    return (!c->status || c->status == t->status) && (!c->priority || c->priority == t->priority) &&
           same_id(c->responder_id, t->responder_id) && same_id(c->group_id, t->group_id) &&
           (!c->type || (t->type && strcmp(c->type, t->type) == 0)) &&
           (!c->set_tags || same_tags(&t->tags, (const char **)c->tags, c->tag_count));
}

/* PUT one ticket or POST a bulk update. For a single ticket the current copy
 * is read first when tags change (they are set as a whole list) or when an
 * earlier attempt may have landed (then nothing is sent if it did). */
static int send_update(struct api *api, const struct outbox_item *item, bool check_first,
                       struct outbox_send_result *res, struct fd_error *err)
{
    cJSON *root = cJSON_Parse(item->payload);
    struct api_ticket_changes c;
    struct fd_ticket current = {0};
    const char **tags = NULL;
    int rc = -1;

    if (!root) {
        fd_error_set(err, FD_ERR_INVALID, "outbox item %lld is damaged", (long long)item->id);
        return -1;
    }
    if (item->kind == OUTBOX_BULK_UPDATE) {
        const cJSON *props =
            cJSON_GetObjectItem(cJSON_GetObjectItem(root, "bulk_action"), "properties");
        changes_from_json(props, &c);
        rc = api_bulk_update(api, item->ticket_ids, item->ticket_count, &c, NULL, err);
        cJSON_Delete(root);
        return rc;
    }
    changes_from_json(root, &c);
    const cJSON *add = cJSON_GetObjectItem(root, "fdesk_tags_add");
    const cJSON *remove = cJSON_GetObjectItem(root, "fdesk_tags_remove");
    if (add || remove || check_first) {
        if (api_view_ticket(api, item->ticket_id, NULL, &current, NULL, NULL, err) != 0) {
            err->request_sent = false; /* only a read failed: the change was not sent */
            goto out;
        }
        if (add || remove) {
            if (!(tags = apply_tags(&current.tags, add, remove, &c.tag_count))) {
                fd_error_set(err, FD_ERR_NOMEM, "out of memory");
                goto out;
            }
            c.tags = tags;
            c.set_tags = true;
        }
        if (check_first && ticket_has(&current, &c)) {
            res->verified = true;
            rc = 0;
            goto out;
        }
    }
    struct fd_ticket *updated = calloc(1, sizeof *updated);
    rc = api_update_ticket(api, item->ticket_id, &c, updated, err);
    if (rc == 0 && updated && updated->id)
        res->ticket = updated; /* the caller may cache it */
    else
        model_ticket_free(updated);
out:
    free(tags);
    model_ticket_clear(&current);
    cJSON_Delete(root);
    return rc;
}

static void record(struct state_db *st, const struct outbox_item *item, enum outbox_outcome outcome,
                   const char *error, fd_id remote_id, struct outbox_send_result *res, int *rc)
{
    static const enum outbox_state next[] = {
        [OUTBOX_OUTCOME_SENT] = OUTBOX_SENT,
        [OUTBOX_OUTCOME_FAILED] = OUTBOX_FAILED,
        [OUTBOX_OUTCOME_QUEUED] = OUTBOX_QUEUED,
        [OUTBOX_OUTCOME_UNKNOWN] = OUTBOX_UNKNOWN,
    };

    enum outbox_state state = next[outcome];
    res->outcome = outcome;
    res->remote_id = remote_id;
    if (outbox_finish(st, item->id, state, error, remote_id) != 0) {
        snprintf(res->message, sizeof res->message,
                 "cannot record the outcome of outbox item %lld in %s", (long long)item->id,
                 st->path);
        *rc = -1;
        return;
    }
    /* Reachable but not confirmed (5xx, 429, a failed check): back off so the
     * other tickets' items are not held up. Offline, everything waits anyway. */
    if ((state == OUTBOX_QUEUED || state == OUTBOX_UNKNOWN) && !res->stop_all) {
        int64_t delay = res->retry_after > 0 ? (int64_t)res->retry_after * 1000
                                             : OUTBOX_BACKOFF_BASE_MS
                                                   << (item->attempts > 9 ? 8 : item->attempts - 1);
        if (delay > OUTBOX_BACKOFF_MAX_MS)
            delay = OUTBOX_BACKOFF_MAX_MS;
        if (outbox_defer(st, item->id, state_now_ms() + delay) != 0)
            *rc = -1;
    }
}

/* Sends a claimed item; prior is the state it had before the claim. */
static int send_claimed(struct state_db *st, struct api *api, const struct outbox_item *item,
                        enum outbox_state prior, struct outbox_send_result *res)
{
    struct fd_error err = FD_ERROR_INIT;
    char error[400] = "";
    fd_id remote_id = 0;
    int rc = 0, sent;
    bool check_first = prior == OUTBOX_SENDING || prior == OUTBOX_UNKNOWN;

    if (check_first && (item->kind == OUTBOX_REPLY || item->kind == OUTBOX_NOTE)) {
        int landed = conversation_landed(st, api, item, &remote_id, &err);
        if (landed != 0) {
            if (landed > 0) {
                res->verified = true;
                set_message(res, "already on the server%s", "");
            }
            /* If the ticket cannot be read any more (deleted: 404, no access:
             * 403) the item cannot be sent either: it fails, with the reason. */
            enum outbox_outcome outcome = OUTBOX_OUTCOME_SENT;
            if (landed < 0) {
                outcome = classify(&err, res) == OUTBOX_OUTCOME_FAILED ? OUTBOX_OUTCOME_FAILED
                                                                       : OUTBOX_OUTCOME_UNKNOWN;
                describe_error(&err, error, sizeof error);
                set_message(res, "could not check whether it was sent: %s", error);
            }
            record(st, item, outcome, landed > 0 ? NULL : error, remote_id, res, &rc);
            fd_error_clear(&err);
            return rc;
        }
        log_info("outbox", "item %lld: not found on ticket %lld, sending again",
                 (long long)item->id, (long long)item->ticket_id);
    }
    if (item->kind == OUTBOX_REPLY || item->kind == OUTBOX_NOTE)
        sent = send_conversation(api, item, res, &remote_id, &err);
    else
        sent = send_update(api, item, check_first, res, &err);
    if (sent == 0) {
        set_message(res, "%s", res->verified ? "already on the server" : "sent");
        record(st, item, OUTBOX_OUTCOME_SENT, NULL, remote_id, res, &rc);
    } else {
        enum outbox_outcome outcome = classify(&err, res);
        describe_error(&err, error, sizeof error);
        set_message(res, "%s", error);
        if (outcome == OUTBOX_OUTCOME_QUEUED && check_first)
            outcome = OUTBOX_OUTCOME_UNKNOWN; /* still needs the check next time */
        record(st, item, outcome, error, 0, res, &rc);
    }
    fd_error_clear(&err);
    return rc;
}

int outbox_send_one(struct state_db *st, struct api *api, int64_t item_id,
                    struct outbox_send_result *res)
{
    struct outbox_item item;
    enum outbox_state prior = OUTBOX_QUEUED;
    int claimed, rc;

    memset(res, 0, sizeof *res);
    res->item = item_id;
    claimed = outbox_claim(st, item_id, &prior);
    if (claimed < 0 || outbox_get(st, item_id, &item) < 0) {
        snprintf(res->message, sizeof res->message, "the outbox (%s) cannot be read", st->path);
        return -1;
    }
    if (claimed == 0) {
        bool exists = item.id == item_id;
        res->outcome =
            exists && item.state == OUTBOX_SENDING ? OUTBOX_OUTCOME_BUSY : OUTBOX_OUTCOME_GONE;
        if (exists) {
            res->kind = item.kind;
            res->ticket_id = item.ticket_id;
            res->remote_id = item.remote_id;
            snprintf(res->message, sizeof res->message, "%s", item.error);
            outbox_item_clear(&item);
        }
        return 0;
    }
    res->kind = item.kind;
    res->ticket_id = item.ticket_id;
    rc = send_claimed(st, api, &item, prior, res);
    log_info("outbox", "item %lld (%s on ticket %lld): %s", (long long)item_id,
             outbox_kind_name(item.kind), (long long)item.ticket_id, res->message);
    outbox_item_clear(&item);
    return rc;
}

int outbox_flush(struct state_db *st, struct api *api, int64_t only_for,
                 void (*report)(const struct outbox_send_result *res, void *data), void *data)
{
    struct outbox_send_result res;
    int64_t id;
    int found;

    /* Items put off before this call are due now; an item that fails again
     * is put off past `start`, so each is tried at most once here. */
    int64_t start = state_now_ms();
    while ((found = outbox_next_due(st, only_for, start, &id)) == 1) {
        if (outbox_send_one(st, api, id, &res) != 0)
            return -1;
        if (report)
            report(&res, data);
        outbox_send_result_clear(&res);
        if (res.stop_all || res.outcome == OUTBOX_OUTCOME_BUSY)
            break;
    }
    if (found < 0)
        return -1;
    return outbox_pending_count(st);
}

void outbox_send_result_clear(struct outbox_send_result *res)
{
    if (res->conversation) {
        model_conversation_clear(res->conversation);
        free(res->conversation);
    }
    model_ticket_free(res->ticket);
    res->conversation = NULL;
    res->ticket = NULL;
}
