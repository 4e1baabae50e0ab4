/* outbox.c: the durable write queue in the state database: adding items,
 * listing, per-ticket ordering, claiming an item for sending and recording
 * the outcome. The network side (sending, checking whether a write already
 * landed) is in outbox_send.c; the rules are in outbox.h. */
#include "src/outbox.h"
#include "src/drafts.h"
#include "src/html.h"
#include "src/log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* A claim older than this is stale even if its pid is alive (pid reuse):
 * no request lives this long with fdesk's timeouts. */
#define OUTBOX_CLAIM_STALE_MS (10 * 60 * 1000)

static const char *const kind_names[] = {"?", "reply", "note", "update", "bulk_update"};
static const char *const state_names[] = {"queued", "sending", "sent", "failed", "unknown"};

const char *outbox_kind_name(enum outbox_kind kind)
{
    return kind >= OUTBOX_REPLY && kind <= OUTBOX_BULK_UPDATE ? kind_names[kind] : "?";
}

const char *outbox_state_name(enum outbox_state state)
{
    return (unsigned)state <= OUTBOX_UNKNOWN ? state_names[state] : "?";
}

static int make_marker(char out[OUTBOX_MARKER_LEN + 1])
{
    unsigned char raw[16];
    size_t got = 0;

    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0)
            got += (size_t)n;
    }
    memcpy(out, "fdesk-", 6);
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(out + 6 + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* Inserts the item row and its ticket rows in one transaction. */
static int insert_item(struct state_db *st, enum outbox_kind kind, const fd_id *ids, size_t count,
                       const char *text, const char *payload, const char *marker, int64_t *item_id)
{
    sqlite3_stmt *stmt = NULL;
    int64_t now = state_now_ms();
    int rc;

    if (state_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    rc = sqlite3_prepare_v2(st->db,
                            "INSERT INTO outbox (kind, ticket_id, marker, text, payload, state,"
                            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
                            -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int(stmt, 1, kind);
    sqlite3_bind_int64(stmt, 2, ids[0]);
    sqlite3_bind_text(stmt, 3, marker, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, text ? text : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, payload, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, now);
    sqlite3_bind_int64(stmt, 7, now);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(stmt);
    *item_id = sqlite3_last_insert_rowid(st->db);
    rc = sqlite3_prepare_v2(
        st->db, "INSERT OR IGNORE INTO outbox_tickets (item_id, ticket_id) VALUES (?, ?)", -1,
        &stmt, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        sqlite3_bind_int64(stmt, 1, *item_id);
        sqlite3_bind_int64(stmt, 2, ids[i]);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(stmt);
    }
    sqlite3_finalize(stmt);
    return state_exec(st, "COMMIT");
fail:
    log_error("outbox", "storing an item failed: %s", sqlite3_errmsg(st->db));
    sqlite3_finalize(stmt);
    state_exec(st, "ROLLBACK");
    return -1;
}

/* Adds a comma-separated address list as a JSON array (skips empty items). */
static void add_address_list(cJSON *obj, const char *name, const char *list)
{
    if (!list || !*list)
        return;
    cJSON *arr = cJSON_AddArrayToObject(obj, name);
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        const char *s = p, *e = p + len;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > s) {
            char *one = strndup(s, (size_t)(e - s));
            if (one)
                cJSON_AddItemToArray(arr, cJSON_CreateString(one));
            free(one);
        }
        p += len;
        if (*p == ',')
            p++;
    }
}

static bool text_is_blank(const char *text)
{
    char *norm = outbox_normalize_text(text ? text : "");
    bool blank = !norm || !*norm;
    free(norm);
    return blank;
}

int outbox_add_conversation(struct state_db *st, enum outbox_kind kind, fd_id ticket_id,
                            const char *text, const char *cc, const char *bcc, bool is_public,
                            int64_t *item_id, char *err, size_t errsize)
{
    struct outbox_conversation c = {.kind = kind,
                                    .ticket_id = ticket_id,
                                    .text = text,
                                    .cc = cc,
                                    .bcc = bcc,
                                    .is_public = is_public};
    return outbox_add_conversation_full(st, &c, item_id, err, errsize);
}

int outbox_add_conversation_full(struct state_db *st, const struct outbox_conversation *c,
                                 int64_t *item_id, char *err, size_t errsize)
{
    const char *what = c->kind == OUTBOX_REPLY ? "reply" : "note";
    char marker[OUTBOX_MARKER_LEN + 1];
    char *html = NULL, *payload = NULL;
    cJSON *obj = NULL, *files = NULL;
    int rc = -1;

    if ((c->kind != OUTBOX_REPLY && c->kind != OUTBOX_NOTE) || c->ticket_id <= 0) {
        snprintf(err, errsize, "a reply or a note needs a ticket id");
        return -1;
    }
    if (text_is_blank(c->text)) {
        snprintf(err, errsize, "the %s is empty; nothing was queued", what);
        return -1;
    }
    if (make_marker(marker) != 0 || !(html = outbox_body_html(c->text, marker)) ||
        !(obj = cJSON_CreateObject())) {
        snprintf(err, errsize, "out of memory");
        goto out;
    }
    cJSON_AddStringToObject(obj, "body", html);
    if (c->kind == OUTBOX_REPLY) {
        add_address_list(obj, "cc_emails", c->cc);
        add_address_list(obj, "bcc_emails", c->bcc);
    } else {
        cJSON_AddBoolToObject(obj, "private", !c->is_public);
    }
    if (c->attachment_count > 0) {
        files = outbox_attach_store(st, marker, c->attachments, c->attachment_count, err, errsize);
        if (!files)
            goto out;
        cJSON_AddItemToObject(obj, "fdesk_attachments", files);
    }
    if (!(payload = cJSON_PrintUnformatted(obj))) {
        snprintf(err, errsize, "out of memory");
        goto out;
    }
    rc = insert_item(st, c->kind, &c->ticket_id, 1, c->text, payload, marker, item_id);
    if (rc != 0)
        snprintf(err, errsize, "cannot store the %s in the outbox (%s)", what, st->path);
out:
    if (rc != 0 && files)
        outbox_attach_remove(st, marker);
    cJSON_Delete(obj);
    free(html);
    free(payload);
    return rc;
}

static void add_tag_list(cJSON *obj, const char *name, const char *const *tags, size_t n)
{
    if (n == 0)
        return;
    cJSON *arr = cJSON_AddArrayToObject(obj, name);
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(tags[i]));
}

/* The Freshdesk properties object of an update (tags excluded). */
static cJSON *update_properties(const struct outbox_update *u)
{
    cJSON *p = cJSON_CreateObject();

    if (!p)
        return NULL;
    if (u->status)
        cJSON_AddNumberToObject(p, "status", u->status);
    if (u->priority)
        cJSON_AddNumberToObject(p, "priority", u->priority);
    if (u->set_responder) {
        if (u->responder_id)
            cJSON_AddNumberToObject(p, "responder_id", (double)u->responder_id);
        else
            cJSON_AddNullToObject(p, "responder_id");
    }
    if (u->set_group) {
        if (u->group_id)
            cJSON_AddNumberToObject(p, "group_id", (double)u->group_id);
        else
            cJSON_AddNullToObject(p, "group_id");
    }
    if (u->type)
        cJSON_AddStringToObject(p, "type", u->type);
    return p;
}

int outbox_add_update(struct state_db *st, const fd_id *ticket_ids, size_t count,
                      const struct outbox_update *u, int64_t *item_id, char *err, size_t errsize)
{
    char marker[OUTBOX_MARKER_LEN + 1];
    bool has_tags = u->tags_add_count + u->tags_remove_count > 0;
    cJSON *props, *root;
    char *payload;
    int rc;

    if (count == 0) {
        snprintf(err, errsize, "no ticket to update");
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        if (ticket_ids[i] <= 0) {
            snprintf(err, errsize, "bad ticket id %lld", (long long)ticket_ids[i]);
            return -1;
        }
    if (count > 1 && has_tags) {
        snprintf(err, errsize, "tags cannot be changed on several tickets at once");
        return -1;
    }
    if (!(props = update_properties(u)) || make_marker(marker) != 0) {
        cJSON_Delete(props);
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    if (!props->child && !has_tags) {
        cJSON_Delete(props);
        snprintf(err, errsize, "nothing to change");
        return -1;
    }
    if (count == 1) {
        /* Tags are applied at send time against the ticket's current tags. */
        root = props;
        add_tag_list(root, "fdesk_tags_add", u->tags_add, u->tags_add_count);
        add_tag_list(root, "fdesk_tags_remove", u->tags_remove, u->tags_remove_count);
    } else {
        root = cJSON_CreateObject();
        cJSON *bulk = cJSON_AddObjectToObject(root, "bulk_action");
        cJSON *ids = cJSON_AddArrayToObject(bulk, "ids");
        for (size_t i = 0; i < count; i++)
            cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)ticket_ids[i]));
        cJSON_AddItemToObject(bulk, "properties", props);
    }
    payload = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!payload) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    rc = insert_item(st, count == 1 ? OUTBOX_UPDATE : OUTBOX_BULK_UPDATE, ticket_ids, count, "",
                     payload, marker, item_id);
    free(payload);
    if (rc != 0)
        snprintf(err, errsize, "cannot store the update in the outbox (%s)", st->path);
    return rc;
}

static char *column_dup(sqlite3_stmt *stmt, int col)
{
    const unsigned char *s = sqlite3_column_text(stmt, col);
    return strdup(s ? (const char *)s : "");
}

#define ITEM_COLUMNS                                                           \
    "id, kind, state, ticket_id, marker, text, payload, attempts, created_at," \
    " first_sent_at, updated_at, owner_pid, error, remote_id"

static int load_ticket_ids(struct state_db *st, struct outbox_item *it)
{
    sqlite3_stmt *stmt;
    size_t cap = 0;

    if (sqlite3_prepare_v2(st->db,
                           "SELECT ticket_id FROM outbox_tickets WHERE item_id = ? ORDER BY rowid",
                           -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, it->id);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        if (it->ticket_count == cap) {
            cap = cap ? cap * 2 : 4;
            fd_id *grown = realloc(it->ticket_ids, cap * sizeof *grown);
            if (!grown) {
                sqlite3_finalize(stmt);
                return -1;
            }
            it->ticket_ids = grown;
        }
        it->ticket_ids[it->ticket_count++] = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
    return 0;
}

static int read_item(struct state_db *st, sqlite3_stmt *stmt, struct outbox_item *it)
{
    memset(it, 0, sizeof *it);
    it->id = sqlite3_column_int64(stmt, 0);
    it->kind = sqlite3_column_int(stmt, 1);
    it->state = sqlite3_column_int(stmt, 2);
    it->ticket_id = sqlite3_column_int64(stmt, 3);
    snprintf(it->marker, sizeof it->marker, "%s", (const char *)sqlite3_column_text(stmt, 4));
    it->text = column_dup(stmt, 5);
    it->payload = column_dup(stmt, 6);
    it->attempts = sqlite3_column_int(stmt, 7);
    it->created_at = sqlite3_column_int64(stmt, 8);
    it->first_sent_at = sqlite3_column_int64(stmt, 9);
    it->updated_at = sqlite3_column_int64(stmt, 10);
    it->owner_pid = sqlite3_column_int(stmt, 11);
    it->error = column_dup(stmt, 12);
    it->remote_id = sqlite3_column_int64(stmt, 13);
    if (!it->text || !it->payload || !it->error || load_ticket_ids(st, it) != 0) {
        outbox_item_clear(it);
        return -1;
    }
    return 0;
}

int outbox_get(struct state_db *st, int64_t id, struct outbox_item *out)
{
    sqlite3_stmt *stmt;
    int rc, found = 0;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(st->db, "SELECT " ITEM_COLUMNS " FROM outbox WHERE id = ?", -1, &stmt,
                           NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        found = read_item(st, stmt, out) == 0 ? 1 : -1;
    else if (rc != SQLITE_DONE)
        found = -1;
    sqlite3_finalize(stmt);
    return found;
}

int outbox_list(struct state_db *st, struct outbox_item **items, size_t *count)
{
    sqlite3_stmt *stmt;
    size_t cap = 0;

    *items = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " ITEM_COLUMNS " FROM outbox WHERE state != 2 ORDER BY id", -1,
                           &stmt, NULL) != SQLITE_OK)
        return -1;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            struct outbox_item *grown = realloc(*items, cap * sizeof *grown);
            if (!grown)
                goto fail;
            *items = grown;
        }
        if (read_item(st, stmt, &(*items)[*count]) != 0)
            goto fail;
        (*count)++;
    }
    sqlite3_finalize(stmt);
    return 0;
fail:
    sqlite3_finalize(stmt);
    outbox_items_free(*items, *count);
    *items = NULL;
    *count = 0;
    return -1;
}

static int query_int(struct state_db *st, const char *sql, int64_t arg, int64_t *out)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_bind_parameter_count(stmt) > 0)
        sqlite3_bind_int64(stmt, 1, arg);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int outbox_pending_count(struct state_db *st)
{
    int64_t n = 0;
    return query_int(st, "SELECT count(*) FROM outbox WHERE state IN (0, 1, 4)", 0, &n) < 0
               ? -1
               : (int)n;
}

/* True when a live process (this one included: another thread of it) holds
 * the claim on an item in state sending. A sender always finishes its claim
 * before returning, so only a crash leaves one behind, and then the pid is
 * dead (or reused much later: hence the age limit). */
static bool claim_is_live(int owner_pid, int64_t updated_at)
{
    if (owner_pid <= 0)
        return false;
    if (owner_pid == (int)getpid())
        return state_now_ms() - updated_at <= OUTBOX_CLAIM_STALE_MS;
    if (state_now_ms() - updated_at > OUTBOX_CLAIM_STALE_MS)
        return false;
    return kill(owner_pid, 0) == 0 || errno == EPERM;
}

/* The oldest sendable item; with target > 0 only among target and the items
 * sharing a ticket with it that are older. */
static int next_sendable(struct state_db *st, int64_t target, int64_t not_after, int64_t *id)
{
    static const char sql[] =
        "SELECT o.id, o.state, o.owner_pid, o.updated_at FROM outbox o"
        " WHERE o.state IN (0, 1, 4) AND NOT EXISTS ("
        "  SELECT 1 FROM outbox_tickets a JOIN outbox_tickets b ON b.ticket_id = a.ticket_id"
        "  JOIN outbox p ON p.id = b.item_id"
        "  WHERE a.item_id = o.id AND p.id < o.id AND p.state IN (0, 1, 4))"
        " AND (?1 = 0 OR (o.id <= ?1 AND EXISTS ("
        "  SELECT 1 FROM outbox_tickets x JOIN outbox_tickets y ON y.ticket_id = x.ticket_id"
        "  WHERE x.item_id = o.id AND y.item_id = ?1)))"
        " AND o.retry_at <= ?2"
        " ORDER BY o.id";
    sqlite3_stmt *stmt;
    int found = 0, rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, target);
    sqlite3_bind_int64(stmt, 2, not_after);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (sqlite3_column_int(stmt, 1) == OUTBOX_SENDING &&
            claim_is_live(sqlite3_column_int(stmt, 2), sqlite3_column_int64(stmt, 3)))
            continue;
        *id = sqlite3_column_int64(stmt, 0);
        found = 1;
        break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        found = -1;
    sqlite3_finalize(stmt);
    return found;
}

int outbox_next(struct state_db *st, int64_t *id)
{
    return next_sendable(st, 0, state_now_ms(), id);
}

int outbox_next_for(struct state_db *st, int64_t target, int64_t *id)
{
    return next_sendable(st, target, state_now_ms(), id);
}

int outbox_next_due(struct state_db *st, int64_t target, int64_t not_after, int64_t *id)
{
    return next_sendable(st, target, not_after, id);
}

/* Reads state, owner and claim time of one item; 1 found, 0 none, -1 error. */
static int item_claim_info(struct state_db *st, int64_t id, int *state, int *owner,
                           int64_t *updated_at)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->db, "SELECT state, owner_pid, updated_at FROM outbox WHERE id = ?",
                           -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, id);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        *state = sqlite3_column_int(stmt, 0);
        *owner = sqlite3_column_int(stmt, 1);
        *updated_at = sqlite3_column_int64(stmt, 2);
    }
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int exec_bound(struct state_db *st, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, a);
    if (sqlite3_bind_parameter_count(stmt) > 1)
        sqlite3_bind_int64(stmt, 2, b);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

int outbox_defer(struct state_db *st, int64_t id, int64_t retry_at)
{
    return exec_bound(st, "UPDATE outbox SET retry_at = ? WHERE id = ? AND state IN (0, 4)",
                      retry_at, id);
}

int outbox_drop(struct state_db *st, int64_t id, bool *busy)
{
    int state, owner, found;
    int64_t updated_at;

    *busy = false;
    if (state_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    found = item_claim_info(st, id, &state, &owner, &updated_at);
    if (found == 1 && state == OUTBOX_SENDING && claim_is_live(owner, updated_at)) {
        *busy = true;
        found = 0;
    }
    struct outbox_item it = {0};
    if (found == 1 && outbox_get(st, id, &it) != 1)
        found = -1;
    if (found == 1 && exec_bound(st, "DELETE FROM outbox WHERE id = ?", id, 0) != 0)
        found = -1;
    if (found < 0 || state_exec(st, "COMMIT") != 0) {
        outbox_item_clear(&it);
        state_exec(st, "ROLLBACK");
        return -1;
    }
    if (found == 1)
        outbox_attach_remove(st, it.marker);
    outbox_item_clear(&it);
    return found;
}

int outbox_prune_sent(struct state_db *st, int64_t max_age_ms)
{
    if (exec_bound(st, "DELETE FROM outbox WHERE state = 2 AND updated_at < ?",
                   state_now_ms() - max_age_ms, 0) != 0)
        return -1;
    return sqlite3_changes(st->db);
}

static int mark_claimed(struct state_db *st, int64_t id)
{
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "UPDATE outbox SET state = 1, owner_pid = ?1, attempts = attempts + 1,"
                           " first_sent_at = CASE first_sent_at WHEN 0 THEN ?2"
                           " ELSE first_sent_at END, updated_at = ?2 WHERE id = ?3",
                           -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(stmt, 1, (int)getpid());
    sqlite3_bind_int64(stmt, 2, state_now_ms());
    sqlite3_bind_int64(stmt, 3, id);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    return rc == SQLITE_DONE ? 0 : -1;
}

int outbox_claim(struct state_db *st, int64_t id, enum outbox_state *prior)
{
    int state, owner, found;
    int64_t updated_at;

    if (state_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    found = item_claim_info(st, id, &state, &owner, &updated_at);
    if (found == 1 && (state == OUTBOX_SENT || state == OUTBOX_FAILED ||
                       (state == OUTBOX_SENDING && claim_is_live(owner, updated_at))))
        found = 0;
    if (found == 1) {
        *prior = state;
        if (mark_claimed(st, id) != 0)
            found = -1;
    }
    if (found < 0 || state_exec(st, "COMMIT") != 0) {
        state_exec(st, "ROLLBACK");
        return -1;
    }
    return found;
}

int outbox_finish(struct state_db *st, int64_t id, enum outbox_state state, const char *error,
                  fd_id remote_id)
{
    struct outbox_item it;
    sqlite3_stmt *stmt = NULL;
    int rc;

    if (state_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (outbox_get(st, id, &it) != 1) {
        state_exec(st, "ROLLBACK");
        return -1;
    }
    rc = sqlite3_prepare_v2(st->db,
                            "UPDATE outbox SET state = ?, error = ?, remote_id = ?,"
                            " owner_pid = 0, retry_at = 0, updated_at = ? WHERE id = ?",
                            -1, &stmt, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(stmt, 1, state);
        sqlite3_bind_text(stmt, 2, error ? error : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 3, remote_id ? remote_id : it.remote_id);
        sqlite3_bind_int64(stmt, 4, state_now_ms());
        sqlite3_bind_int64(stmt, 5, id);
        rc = sqlite3_step(stmt) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(stmt);
    if (rc == SQLITE_OK && state == OUTBOX_SENT &&
        (it.kind == OUTBOX_REPLY || it.kind == OUTBOX_NOTE) &&
        drafts_delete_if_sent(st, it.ticket_id, it.kind == OUTBOX_REPLY ? DRAFT_REPLY : DRAFT_NOTE,
                              it.text) < 0)
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK || state_exec(st, "COMMIT") != 0) {
        log_error("outbox", "recording the outcome of item %lld failed: %s", (long long)id,
                  sqlite3_errmsg(st->db));
        state_exec(st, "ROLLBACK");
        outbox_item_clear(&it);
        return -1;
    }
    if (state == OUTBOX_SENT)
        outbox_attach_remove(st, it.marker);
    outbox_item_clear(&it);
    return 0;
}

bool outbox_remote_id_taken(struct state_db *st, fd_id remote_id, int64_t except_id)
{
    sqlite3_stmt *stmt;
    bool taken = false;

    if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM outbox WHERE remote_id = ? AND id != ?", -1,
                           &stmt, NULL) != SQLITE_OK)
        return false;
    sqlite3_bind_int64(stmt, 1, remote_id);
    sqlite3_bind_int64(stmt, 2, except_id);
    taken = sqlite3_step(stmt) == SQLITE_ROW;
    sqlite3_finalize(stmt);
    return taken;
}

int outbox_return_to_draft(struct state_db *st, int64_t id)
{
    struct outbox_item it;
    struct draft d = {0}, existing;
    int found, rc = 0;

    if (state_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    found = outbox_get(st, id, &it);
    /* Drafts hold no attachments: such an item stays, visible, in the outbox. */
    if (found != 1 || it.state != OUTBOX_FAILED ||
        (it.kind != OUTBOX_REPLY && it.kind != OUTBOX_NOTE) ||
        strstr(it.payload, "\"fdesk_attachments\"")) {
        if (found == 1)
            outbox_item_clear(&it);
        state_exec(st, "ROLLBACK");
        return found < 0 ? -1 : 0;
    }
    d.ticket_id = it.ticket_id;
    d.kind = it.kind == OUTBOX_REPLY ? DRAFT_REPLY : DRAFT_NOTE;
    found = drafts_load(st, d.ticket_id, d.kind, &existing);
    if (found == 1 && existing.updated_at > it.created_at) {
        /* The agent already started a newer draft: keep it, keep this item. */
        drafts_clear(&existing);
        outbox_item_clear(&it);
        state_exec(st, "ROLLBACK");
        return 0;
    }
    if (found == 1)
        drafts_clear(&existing);
    d.body = it.text;
    d.is_public = it.kind == OUTBOX_REPLY || strstr(it.payload, "\"private\":false") != NULL;
    if (found < 0 || drafts_save(st, &d) != 0 ||
        exec_bound(st, "DELETE FROM outbox WHERE id = ?", id, 0) != 0)
        rc = -1;
    outbox_item_clear(&it);
    if (rc != 0 || state_exec(st, "COMMIT") != 0) {
        state_exec(st, "ROLLBACK");
        return -1;
    }
    return 1;
}

void outbox_item_clear(struct outbox_item *item)
{
    free(item->ticket_ids);
    free(item->text);
    free(item->payload);
    free(item->error);
    item->ticket_ids = NULL;
    item->ticket_count = 0;
    item->text = item->payload = item->error = NULL;
}

void outbox_items_free(struct outbox_item *items, size_t count)
{
    for (size_t i = 0; i < count; i++)
        outbox_item_clear(&items[i]);
    free(items);
}

char *outbox_normalize_text(const char *text)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1), *o = out;
    bool pending_space = false;

    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)text; *p;) {
        size_t skip = 0;
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
            skip = 1;
        else if (p[0] == 0xc2 && p[1] == 0xa0) /* U+00A0 no-break space */
            skip = 2;
        if (skip) {
            pending_space = o != out;
            p += skip;
            continue;
        }
        if (pending_space)
            *o++ = ' ';
        pending_space = false;
        *o++ = (char)*p++;
    }
    *o = '\0';
    return out;
}

char *outbox_body_html(const char *text, const char *marker)
{
    char *html = html_from_text(text);
    if (!html || !marker)
        return html;
    /* The marker goes last, in a comment: invisible wherever the body is shown. */
    size_t len = strlen(html), extra = strlen(marker) + sizeof "<!-- fdesk: -->";
    char *with = realloc(html, len + extra);
    if (!with) {
        free(html);
        return NULL;
    }
    snprintf(with + len, extra, "<!-- fdesk:%s -->", marker);
    return with;
}
