/* outbox_overlay.c: the pending (not yet confirmed) changes of one ticket,
 * folded together so a view can show the agent's change at once. */
#include "src/outbox.h"

#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void apply(struct outbox_overlay *o, const cJSON *props)
{
    const cJSON *v;

    if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(props, "status")))
        o->has_status = true, o->status = v->valueint;
    if (cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(props, "priority")))
        o->has_priority = true, o->priority = v->valueint;
    if ((v = cJSON_GetObjectItemCaseSensitive(props, "responder_id"))) {
        o->has_responder = true;
        o->responder_id = cJSON_IsNumber(v) ? (fd_id)v->valuedouble : 0;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(props, "group_id"))) {
        o->has_group = true;
        o->group_id = cJSON_IsNumber(v) ? (fd_id)v->valuedouble : 0;
    }
    if (cJSON_IsString(v = cJSON_GetObjectItemCaseSensitive(props, "type"))) {
        o->has_type = true;
        snprintf(o->type, sizeof o->type, "%s", v->valuestring);
    }
}

static void list_drop(struct fd_string_list *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0) {
            free(l->items[i]);
            memmove(&l->items[i], &l->items[i + 1], (l->count - i - 1) * sizeof *l->items);
            l->count--;
            return;
        }
}

/* A tag added by one update and removed by a later one ends up removed. */
static void apply_tags(struct outbox_overlay *o, const cJSON *root, const char *name, bool add)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(root, name))
    {
        if (!cJSON_IsString(v))
            continue;
        list_drop(&o->tags_add, v->valuestring);
        list_drop(&o->tags_remove, v->valuestring);
        model_string_list_add(add ? &o->tags_add : &o->tags_remove, v->valuestring);
    }
}

void outbox_overlay_clear(struct outbox_overlay *o)
{
    model_string_list_clear(&o->tags_add);
    model_string_list_clear(&o->tags_remove);
}

int outbox_overlay_for(struct state_db *st, fd_id ticket_id, struct outbox_overlay *out)
{
    static const char sql[] = "SELECT o.kind, o.payload FROM outbox o"
                              " JOIN outbox_tickets t ON t.item_id = o.id"
                              " WHERE t.ticket_id = ? AND o.state IN (0, 1, 4) ORDER BY o.id";
    sqlite3_stmt *stmt;
    int rc;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, ticket_id);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        int kind = sqlite3_column_int(stmt, 0);
        if (kind == OUTBOX_REPLY || kind == OUTBOX_NOTE) {
            out->pending_messages++;
            continue;
        }
        cJSON *root = cJSON_Parse((const char *)sqlite3_column_text(stmt, 1));
        const cJSON *props = root;
        if (kind == OUTBOX_BULK_UPDATE)
            props = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "bulk_action"), "properties");
        apply(out, props);
        if (kind == OUTBOX_UPDATE) {
            apply_tags(out, root, "fdesk_tags_add", true);
            apply_tags(out, root, "fdesk_tags_remove", false);
        }
        out->pending_updates++;
        cJSON_Delete(root);
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return -1;
    return out->pending_updates + out->pending_messages > 0;
}
