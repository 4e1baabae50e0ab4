/* api_write.c: the endpoints that change things: reply, note, forward,
 * update, create, bulk update, merge, watch/unwatch. Each builds a JSON body,
 * or a multipart/form-data body (attachments[], name[] for lists,
 * custom_fields[cf_x] for custom fields) when files are attached. POSTs are
 * never retried after an unknown outcome (see api.h). */
#include "src/api.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/api_internal.h"
#include "src/decode.h"

static int nomem(struct fd_error *err)
{
    return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
}

static cJSON *string_array(const char *const *items, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *s = cJSON_CreateString(items[i] ? items[i] : "");
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

static bool add_array(cJSON *obj, const char *key, const char *const *items, size_t n)
{
    cJSON *arr = string_array(items, n);
    if (!arr || !cJSON_AddItemToObject(obj, key, arr)) {
        cJSON_Delete(arr);
        return false;
    }
    return true;
}

/* id > 0: the number; -1: null. */
static bool add_id_or_null(cJSON *obj, const char *key, fd_id id)
{
    if (id == -1)
        return cJSON_AddNullToObject(obj, key) != NULL;
    return cJSON_AddNumberToObject(obj, key, (double)id) != NULL;
}

/* Adds the set fields of c to obj. Returns 0, -1 (err set). */
static int changes_into(cJSON *obj, const struct api_ticket_changes *c, struct fd_error *err)
{
    bool ok = true;
    if (c->status)
        ok &= cJSON_AddNumberToObject(obj, "status", c->status) != NULL;
    if (c->priority)
        ok &= cJSON_AddNumberToObject(obj, "priority", c->priority) != NULL;
    if (c->source)
        ok &= cJSON_AddNumberToObject(obj, "source", c->source) != NULL;
    if (c->type)
        ok &= cJSON_AddStringToObject(obj, "type", c->type) != NULL;
    if (c->responder_id)
        ok &= add_id_or_null(obj, "responder_id", c->responder_id);
    if (c->group_id)
        ok &= add_id_or_null(obj, "group_id", c->group_id);
    if (c->set_tags || c->tag_count)
        ok &= add_array(obj, "tags", c->tags, c->tag_count);
    if (!ok)
        return nomem(err);
    if (c->custom_fields_json) {
        cJSON *cf = cJSON_Parse(c->custom_fields_json);
        if (!cJSON_IsObject(cf)) {
            cJSON_Delete(cf);
            return fd_error_set(err, FD_ERR_INVALID, "custom fields must be a JSON object");
        }
        cJSON_AddItemToObject(obj, "custom_fields", cf);
    }
    return 0;
}

/* Prints obj (and deletes it) into *json. */
static int print_json(cJSON *obj, char **json, struct fd_error *err)
{
    *json = obj ? cJSON_PrintUnformatted(obj) : NULL;
    cJSON_Delete(obj);
    return *json ? 0 : nomem(err);
}

int api_ticket_changes_json(const struct api_ticket_changes *c, char **json, struct fd_error *err)
{
    *json = NULL;
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return nomem(err);
    if (changes_into(obj, c, err) != 0) {
        cJSON_Delete(obj);
        return -1;
    }
    if (!obj->child) {
        cJSON_Delete(obj);
        return fd_error_set(err, FD_ERR_INVALID, "nothing to change");
    }
    return print_json(obj, json, err);
}

/* The JSON object obj as multipart parts: arrays as name[], objects as
 * name[key] (custom_fields[cf_x]), scalars as text. */
static void object_to_parts(const cJSON *obj, struct api_parts *p)
{
    const cJSON *item;
    char name[256];
    cJSON_ArrayForEach(item, obj)
    {
        if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
            const cJSON *el;
            cJSON_ArrayForEach(el, item)
            {
                if (cJSON_IsArray(item))
                    snprintf(name, sizeof name, "%s[]", item->string);
                else
                    snprintf(name, sizeof name, "%s[%s]", item->string, el->string);
                char *text = cJSON_IsString(el) ? NULL : cJSON_PrintUnformatted(el);
                api_parts_add(p, name, cJSON_IsString(el) ? el->valuestring : text);
                free(text);
            }
        } else if (cJSON_IsString(item)) {
            api_parts_add(p, item->string, item->valuestring);
        } else if (!cJSON_IsNull(item)) {
            char *text = cJSON_PrintUnformatted(item);
            api_parts_add(p, item->string, text);
            free(text);
        } else {
            api_parts_add(p, item->string, "");
        }
    }
}

/* Sends obj as JSON, or as multipart with the files attached. Consumes obj. */
static int send_object(struct api *api, const char *method, const char *path, cJSON *obj,
                       const char *const *files, size_t file_count, struct http_response *resp,
                       struct fd_error *err)
{
    memset(resp, 0, sizeof *resp);
    http_response_clear(resp);
    if (!obj)
        return nomem(err);
    if (file_count == 0) {
        char *json = NULL;
        if (print_json(obj, &json, err) != 0)
            return -1;
        int rc = api_call(api, method, path, json, NULL, 0, resp, err);
        free(json);
        return rc;
    }
    struct api_parts parts = {0};
    object_to_parts(obj, &parts);
    cJSON_Delete(obj);
    for (size_t i = 0; i < file_count; i++)
        api_parts_add_file(&parts, "attachments[]", files[i]);
    int rc = parts.nomem ? nomem(err)
                         : api_call(api, method, path, NULL, parts.items, parts.count, resp, err);
    api_parts_clear(&parts);
    return rc;
}

static int take_conversation(struct http_response *resp, struct fd_conversation *out,
                             struct fd_error *err)
{
    int rc = out ? decode_conversation(resp->body, resp->body_len, out, err) : 0;
    http_response_clear(resp);
    return rc;
}

static int take_ticket(struct http_response *resp, struct fd_ticket *out, struct fd_error *err)
{
    int rc = out ? decode_ticket(resp->body, resp->body_len, out, NULL, NULL, err) : 0;
    http_response_clear(resp);
    return rc;
}

int api_reply(struct api *api, fd_id ticket_id, const struct api_reply *r,
              struct fd_conversation *out, struct fd_error *err)
{
    char path[64];
    struct http_response resp;
    if (out)
        memset(out, 0, sizeof *out);
    if (ticket_id <= 0 || !r || !r->body_html || !*r->body_html)
        return fd_error_set(err, FD_ERR_INVALID, "a reply needs a ticket and a body");
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && cJSON_AddStringToObject(obj, "body", r->body_html);
    if (ok && r->from_email)
        ok = cJSON_AddStringToObject(obj, "from_email", r->from_email) != NULL;
    if (ok && r->cc_count)
        ok = add_array(obj, "cc_emails", r->cc_emails, r->cc_count);
    if (ok && r->bcc_count)
        ok = add_array(obj, "bcc_emails", r->bcc_emails, r->bcc_count);
    if (!ok) {
        cJSON_Delete(obj);
        return nomem(err);
    }
    snprintf(path, sizeof path, "/tickets/%lld/reply", (long long)ticket_id);
    if (send_object(api, "POST", path, obj, r->attachments, r->attachment_count, &resp, err) != 0) {
        http_response_clear(&resp);
        return -1;
    }
    return take_conversation(&resp, out, err);
}

int api_note(struct api *api, fd_id ticket_id, const struct api_note *n,
             struct fd_conversation *out, struct fd_error *err)
{
    char path[64];
    struct http_response resp;
    if (out)
        memset(out, 0, sizeof *out);
    if (ticket_id <= 0 || !n || !n->body_html || !*n->body_html)
        return fd_error_set(err, FD_ERR_INVALID, "a note needs a ticket and a body");
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && cJSON_AddStringToObject(obj, "body", n->body_html) &&
              cJSON_AddBoolToObject(obj, "private", n->is_private);
    if (ok && n->notify_count)
        ok = add_array(obj, "notify_emails", n->notify_emails, n->notify_count);
    if (!ok) {
        cJSON_Delete(obj);
        return nomem(err);
    }
    snprintf(path, sizeof path, "/tickets/%lld/notes", (long long)ticket_id);
    if (send_object(api, "POST", path, obj, n->attachments, n->attachment_count, &resp, err) != 0) {
        http_response_clear(&resp);
        return -1;
    }
    return take_conversation(&resp, out, err);
}

int api_forward(struct api *api, fd_id ticket_id, const struct api_forward *f,
                struct fd_conversation *out, struct fd_error *err)
{
    char path[64];
    struct http_response resp;
    if (out)
        memset(out, 0, sizeof *out);
    if (ticket_id <= 0 || !f || f->to_count == 0)
        return fd_error_set(err, FD_ERR_INVALID, "a forward needs a ticket and a recipient");
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && add_array(obj, "to_emails", f->to_emails, f->to_count);
    if (ok && f->body_html)
        ok = cJSON_AddStringToObject(obj, "body", f->body_html) != NULL;
    if (ok && f->cc_count)
        ok = add_array(obj, "cc_emails", f->cc_emails, f->cc_count);
    if (ok && f->bcc_count)
        ok = add_array(obj, "bcc_emails", f->bcc_emails, f->bcc_count);
    if (ok && f->no_quoted_text)
        ok = cJSON_AddFalseToObject(obj, "include_quoted_text") != NULL;
    if (ok && f->no_original_attachments)
        ok = cJSON_AddFalseToObject(obj, "include_original_attachments") != NULL;
    if (!ok) {
        cJSON_Delete(obj);
        return nomem(err);
    }
    snprintf(path, sizeof path, "/tickets/%lld/forward", (long long)ticket_id);
    if (send_object(api, "POST", path, obj, NULL, 0, &resp, err) != 0) {
        http_response_clear(&resp);
        return -1;
    }
    return take_conversation(&resp, out, err);
}

int api_update_ticket(struct api *api, fd_id id, const struct api_ticket_changes *c,
                      struct fd_ticket *out, struct fd_error *err)
{
    char path[64];
    struct http_response resp;
    if (out)
        memset(out, 0, sizeof *out);
    if (id <= 0 || !c)
        return fd_error_set(err, FD_ERR_INVALID, "an update needs a ticket");
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return nomem(err);
    if (changes_into(obj, c, err) != 0) {
        cJSON_Delete(obj);
        return -1;
    }
    if (!obj->child && c->attachment_count == 0) {
        cJSON_Delete(obj);
        return fd_error_set(err, FD_ERR_INVALID, "nothing to change");
    }
    snprintf(path, sizeof path, "/tickets/%lld", (long long)id);
    if (send_object(api, "PUT", path, obj, c->attachments, c->attachment_count, &resp, err) != 0) {
        http_response_clear(&resp);
        return -1;
    }
    return take_ticket(&resp, out, err);
}

static cJSON *new_ticket_object(const struct api_ticket_new *t, struct fd_error *err)
{
    cJSON *obj = cJSON_CreateObject();
    bool ok = obj && cJSON_AddStringToObject(obj, "subject", t->subject) &&
              cJSON_AddStringToObject(obj, "description", t->description_html) &&
              cJSON_AddNumberToObject(obj, "status", t->status ? t->status : FD_STATUS_OPEN) &&
              cJSON_AddNumberToObject(obj, "priority", t->priority ? t->priority : FD_PRIORITY_LOW);
    if (ok && t->email)
        ok = cJSON_AddStringToObject(obj, "email", t->email) != NULL;
    if (ok && t->requester_id > 0)
        ok = cJSON_AddNumberToObject(obj, "requester_id", (double)t->requester_id) != NULL;
    if (ok && t->name)
        ok = cJSON_AddStringToObject(obj, "name", t->name) != NULL;
    if (ok && t->cc_count)
        ok = add_array(obj, "cc_emails", t->cc_emails, t->cc_count);
    struct api_ticket_changes more = t->more;
    more.status = more.priority = 0; /* already set above */
    if (!ok) {
        cJSON_Delete(obj);
        nomem(err);
        return NULL;
    }
    if (changes_into(obj, &more, err) != 0) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

int api_create_ticket(struct api *api, const struct api_ticket_new *t, struct fd_ticket *out,
                      struct fd_error *err)
{
    struct http_response resp;
    if (out)
        memset(out, 0, sizeof *out);
    if (!t || !t->subject || !t->description_html || (!t->email && t->requester_id <= 0))
        return fd_error_set(err, FD_ERR_INVALID,
                            "a new ticket needs a subject, a description and a requester");
    cJSON *obj = new_ticket_object(t, err);
    if (!obj)
        return -1;
    if (send_object(api, "POST", "/tickets", obj, t->more.attachments, t->more.attachment_count,
                    &resp, err) != 0) {
        http_response_clear(&resp);
        return -1;
    }
    return take_ticket(&resp, out, err);
}

static cJSON *id_array(const fd_id *ids, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++) {
        cJSON *v = cJSON_CreateNumber((double)ids[i]);
        if (!v || !cJSON_AddItemToArray(arr, v)) {
            cJSON_Delete(v);
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}

int api_bulk_update(struct api *api, const fd_id *ids, size_t n,
                    const struct api_ticket_changes *properties, char **job_id,
                    struct fd_error *err)
{
    struct http_response resp;
    if (job_id)
        *job_id = NULL;
    if (n == 0 || !properties)
        return fd_error_set(err, FD_ERR_INVALID, "a bulk update needs tickets and changes");
    cJSON *root = cJSON_CreateObject(), *action = cJSON_AddObjectToObject(root, "bulk_action");
    cJSON *props = cJSON_AddObjectToObject(action, "properties");
    cJSON *list = id_array(ids, n);
    if (!props || !list || !cJSON_AddItemToObject(action, "ids", list)) {
        cJSON_Delete(list);
        cJSON_Delete(root);
        return nomem(err);
    }
    if (changes_into(props, properties, err) != 0) {
        cJSON_Delete(root);
        return -1;
    }
    if (send_object(api, "POST", "/tickets/bulk_update", root, NULL, 0, &resp, err) != 0) {
        http_response_clear(&resp);
        return -1;
    }
    cJSON *answer = resp.body ? cJSON_ParseWithLength(resp.body, resp.body_len) : NULL;
    const cJSON *job = cJSON_GetObjectItemCaseSensitive(answer, "job_id");
    if (job_id && cJSON_IsString(job))
        *job_id = strdup(job->valuestring);
    cJSON_Delete(answer);
    http_response_clear(&resp);
    return 0;
}

int api_merge(struct api *api, fd_id primary_id, const fd_id *ids, size_t n, const char *note_html,
              struct fd_error *err)
{
    struct http_response resp;
    if (primary_id <= 0 || n == 0)
        return fd_error_set(err, FD_ERR_INVALID, "a merge needs a primary ticket and others");
    cJSON *root = cJSON_CreateObject();
    cJSON *list = id_array(ids, n);
    bool ok = root && list && cJSON_AddNumberToObject(root, "primary_id", (double)primary_id) &&
              cJSON_AddItemToObject(root, "ticket_ids", list);
    if (ok && note_html) {
        cJSON *note = cJSON_AddObjectToObject(root, "note_in_primary");
        ok = note && cJSON_AddStringToObject(note, "body", note_html);
    }
    if (!ok) {
        if (!cJSON_GetObjectItemCaseSensitive(root, "ticket_ids"))
            cJSON_Delete(list);
        cJSON_Delete(root);
        return nomem(err);
    }
    int rc = send_object(api, "PUT", "/tickets/merge", root, NULL, 0, &resp, err);
    http_response_clear(&resp);
    return rc;
}

static int watch_call(struct api *api, const char *method, fd_id ticket_id, const char *verb,
                      struct fd_error *err)
{
    char path[64];
    struct http_response resp;
    if (ticket_id <= 0)
        return fd_error_set(err, FD_ERR_INVALID, "bad ticket id");
    snprintf(path, sizeof path, "/tickets/%lld/%s", (long long)ticket_id, verb);
    int rc = api_call(api, method, path, "{}", NULL, 0, &resp, err);
    http_response_clear(&resp);
    return rc;
}

int api_watch(struct api *api, fd_id ticket_id, struct fd_error *err)
{
    return watch_call(api, "POST", ticket_id, "watch", err);
}

int api_unwatch(struct api *api, fd_id ticket_id, struct fd_error *err)
{
    return watch_call(api, "PUT", ticket_id, "unwatch", err);
}
