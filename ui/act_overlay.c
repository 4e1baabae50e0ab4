/* act_overlay.c: property changes the agent made that the cache does not
 * hold yet. A change is queued in the outbox and, until the server's own copy
 * of the ticket reaches the cache, the list and the detail draw the ticket
 * with the change applied on top of the cached copy. The cache itself is
 * never written by the UI, so what it holds is always the server's word:
 * when the server refuses a change, forgetting it is all the undoing needed;
 * when it accepts, the change stays on screen until the sync has stored the
 * newer copy (no flicker back to the old value in between). */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"

#include <stdlib.h>
#include <string.h>

#include "src/outbox.h"

struct act_change {
    fd_id ticket_id;
    int64_t item;
    bool sent;                 /* confirmed; kept until the cache has the server's copy */
    fd_time cached_updated_at; /* the cache's copy when the change was made */
    int status, priority;      /* 0 = unchanged */
    bool set_responder, set_group;
    fd_id responder_id, group_id;
    char *type;
    struct fd_string_list tags_add, tags_remove;
};

struct act_overlay {
    struct act_change *changes;
    size_t count;
    struct fd_status *statuses; /* names, loaded on first use */
    size_t status_count;
    struct fd_group *groups;
    size_t group_count;
    bool names_loaded;
    char label[128]; /* scratch for act_overlay_row's borrowed strings */
    char agent[128];
    char group[128];
};

struct act_overlay **act_overlay_slot(struct tui *t);

static struct act_overlay *overlay_of(struct tui *t)
{
    struct act_overlay **slot = act_overlay_slot(t);
    if (!slot)
        return NULL;
    if (!*slot)
        *slot = calloc(1, sizeof **slot);
    return *slot;
}

static void change_clear(struct act_change *c)
{
    free(c->type);
    model_string_list_clear(&c->tags_add);
    model_string_list_clear(&c->tags_remove);
}

static void remove_at(struct act_overlay *o, size_t i)
{
    change_clear(&o->changes[i]);
    memmove(&o->changes[i], &o->changes[i + 1], (o->count - i - 1) * sizeof *o->changes);
    o->count--;
}

void act_overlay_add(struct tui *t, int64_t item, const fd_id *ids, size_t n,
                     const struct outbox_update *u)
{
    struct act_overlay *o = overlay_of(t);
    if (!o)
        return;
    struct act_change *p = realloc(o->changes, (o->count + n) * sizeof *p);
    if (!p)
        return;
    o->changes = p;
    for (size_t i = 0; i < n; i++) {
        struct act_change *c = &o->changes[o->count++];
        memset(c, 0, sizeof *c);
        c->ticket_id = ids[i];
        c->item = item;
        fd_time cf = 0;
        store_conversation_state(t->store, ids[i], &c->cached_updated_at, &cf);
        c->status = u->status;
        c->priority = u->priority;
        c->set_responder = u->set_responder;
        c->responder_id = u->responder_id;
        c->set_group = u->set_group;
        c->group_id = u->group_id;
        c->type = u->type ? strdup(u->type) : NULL;
        for (size_t k = 0; k < u->tags_add_count; k++)
            model_string_list_add(&c->tags_add, u->tags_add[k]);
        for (size_t k = 0; k < u->tags_remove_count; k++)
            model_string_list_add(&c->tags_remove, u->tags_remove[k]);
    }
}

/* Collects the tickets of item's changes into ids (at most max). */
static size_t tickets_of(struct act_overlay *o, int64_t item, fd_id *ids, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < o->count && n < max; i++)
        if (o->changes[i].item == item)
            ids[n++] = o->changes[i].ticket_id;
    return n;
}

size_t act_overlay_refused(struct tui *t, int64_t item, fd_id *ids, size_t max)
{
    struct act_overlay *o = overlay_of(t);
    if (!o)
        return 0;
    size_t n = tickets_of(o, item, ids, max);
    for (size_t i = o->count; i-- > 0;)
        if (o->changes[i].item == item)
            remove_at(o, i);
    return n;
}

void act_overlay_sent(struct tui *t, int64_t item)
{
    struct act_overlay *o = overlay_of(t);
    for (size_t i = 0; o && i < o->count; i++)
        if (o->changes[i].item == item)
            o->changes[i].sent = true;
}

void act_overlay_settle(struct tui *t)
{
    struct act_overlay *o = overlay_of(t);
    for (size_t i = o ? o->count : 0; i-- > 0;) {
        struct act_change *c = &o->changes[i];
        fd_time updated = 0, cf = 0;
        if (c->sent && store_conversation_state(t->store, c->ticket_id, &updated, &cf) == 1 &&
            updated != c->cached_updated_at)
            remove_at(o, i);
    }
}

/* A change read back from the outbox at start-up (item 0: it stands for
 * every pending update of the ticket, as outbox_overlay_for() adds them). */
static void copy_list(struct fd_string_list *to, const struct fd_string_list *from)
{
    model_string_list_clear(to);
    for (size_t i = 0; i < from->count; i++)
        model_string_list_add(to, from->items[i]);
}

static void set_from_outbox(struct act_change *c, const struct outbox_overlay *ov)
{
    c->status = ov->has_status ? ov->status : 0;
    c->priority = ov->has_priority ? ov->priority : 0;
    c->set_responder = ov->has_responder;
    c->responder_id = ov->responder_id;
    c->set_group = ov->has_group;
    c->group_id = ov->group_id;
    free(c->type);
    c->type = ov->has_type ? strdup(ov->type) : NULL;
    copy_list(&c->tags_add, &ov->tags_add);
    copy_list(&c->tags_remove, &ov->tags_remove);
}

static struct act_change *from_outbox(struct act_overlay *o, fd_id ticket)
{
    for (size_t i = 0; i < o->count; i++)
        if (o->changes[i].item == 0 && o->changes[i].ticket_id == ticket)
            return &o->changes[i];
    return NULL;
}

void act_overlay_load(struct tui *t)
{
    struct act_overlay *o = overlay_of(t);
    struct outbox_item *items = NULL;
    size_t n = 0;
    if (!o || !t->state || outbox_list(t->state, &items, &n) != 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const struct outbox_item *it = &items[i];
        if ((it->kind != OUTBOX_UPDATE && it->kind != OUTBOX_BULK_UPDATE) ||
            it->state == OUTBOX_FAILED)
            continue;
        for (size_t k = 0; k < it->ticket_count; k++) {
            struct outbox_overlay ov;
            if (from_outbox(o, it->ticket_ids[k]))
                continue;
            if (outbox_overlay_for(t->state, it->ticket_ids[k], &ov) != 1 ||
                ov.pending_updates == 0) {
                outbox_overlay_clear(&ov);
                continue;
            }
            struct outbox_update none = {0};
            act_overlay_add(t, 0, &it->ticket_ids[k], 1, &none);
            struct act_change *c = from_outbox(o, it->ticket_ids[k]);
            if (c)
                set_from_outbox(c, &ov);
            outbox_overlay_clear(&ov);
        }
    }
    outbox_items_free(items, n);
}

void act_overlay_outbox_done(struct tui *t, const fd_id *ids, size_t n, bool sent)
{
    struct act_overlay *o = overlay_of(t);
    for (size_t k = 0; o && k < n; k++) {
        struct act_change *c = from_outbox(o, ids[k]);
        struct outbox_overlay ov;
        if (!c)
            continue;
        if (outbox_overlay_for(t->state, ids[k], &ov) == 1 && ov.pending_updates > 0)
            set_from_outbox(c, &ov); /* other updates of the ticket still wait */
        else if (sent)
            c->sent = true;
        else
            remove_at(o, (size_t)(c - o->changes));
        outbox_overlay_clear(&ov);
    }
}

static void load_names(struct tui *t, struct act_overlay *o)
{
    if (o->names_loaded)
        return;
    o->names_loaded = true;
    if (store_list_statuses(t->store, &o->statuses, &o->status_count) != 0)
        o->status_count = 0;
    if (store_list_groups(t->store, &o->groups, &o->group_count) != 0)
        o->group_count = 0;
}

static const char *status_label(struct act_overlay *o, int status)
{
    for (size_t i = 0; i < o->status_count; i++)
        if (o->statuses[i].id == status && o->statuses[i].agent_label)
            return o->statuses[i].agent_label;
    return model_status_name(status);
}

static const char *group_name(struct act_overlay *o, fd_id id)
{
    for (size_t i = 0; i < o->group_count; i++)
        if (o->groups[i].id == id)
            return o->groups[i].name;
    return NULL;
}

static void copy_name(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s", name ? name : "");
}

void act_overlay_row(struct tui *t, struct store_row *row)
{
    struct act_overlay *o = t->act ? overlay_of(t) : NULL;
    for (size_t i = 0; o && i < o->count; i++) {
        const struct act_change *c = &o->changes[i];
        if (c->ticket_id != row->id)
            continue;
        load_names(t, o);
        if (c->status) {
            row->status = c->status;
            copy_name(o->label, sizeof o->label, status_label(o, c->status));
            row->status_label = o->label[0] ? o->label : NULL;
        }
        if (c->priority)
            row->priority = c->priority;
        if (c->set_responder) {
            row->responder_id = c->responder_id;
            copy_name(o->agent, sizeof o->agent,
                      c->responder_id ? tui_agent_name(t, c->responder_id) : NULL);
            row->agent = o->agent[0] ? o->agent : NULL;
        }
        if (c->set_group) {
            copy_name(o->group, sizeof o->group, c->group_id ? group_name(o, c->group_id) : NULL);
            row->group = o->group[0] ? o->group : NULL;
        }
    }
}

static void replace(char **field, const char *value)
{
    free(*field);
    *field = value ? strdup(value) : NULL;
}

static void apply_tags(struct fd_string_list *tags, const struct act_change *c)
{
    for (size_t k = 0; k < c->tags_add.count; k++) {
        bool have = false;
        for (size_t j = 0; j < tags->count; j++)
            have |= strcmp(tags->items[j], c->tags_add.items[k]) == 0;
        if (!have)
            model_string_list_add(tags, c->tags_add.items[k]);
    }
    for (size_t k = 0; k < c->tags_remove.count; k++)
        for (size_t j = 0; j < tags->count; j++)
            if (strcmp(tags->items[j], c->tags_remove.items[k]) == 0) {
                free(tags->items[j]);
                memmove(&tags->items[j], &tags->items[j + 1],
                        (tags->count - j - 1) * sizeof *tags->items);
                tags->count--;
                break;
            }
}

void act_overlay_ticket(struct tui *t, struct store_ticket_detail *d)
{
    struct act_overlay *o = t->act ? overlay_of(t) : NULL;
    for (size_t i = 0; o && i < o->count; i++) {
        const struct act_change *c = &o->changes[i];
        if (c->ticket_id != d->ticket.id)
            continue;
        load_names(t, o);
        if (c->status) {
            d->ticket.status = c->status;
            replace(&d->status_label, status_label(o, c->status));
        }
        if (c->priority)
            d->ticket.priority = c->priority;
        if (c->set_responder) {
            d->ticket.responder_id = c->responder_id;
            replace(&d->agent_name, c->responder_id ? tui_agent_name(t, c->responder_id) : NULL);
        }
        if (c->set_group) {
            d->ticket.group_id = c->group_id;
            replace(&d->group_name, c->group_id ? group_name(o, c->group_id) : NULL);
        }
        if (c->type)
            replace(&d->ticket.type, c->type);
        apply_tags(&d->ticket.tags, c);
    }
}

void act_overlay_free(struct tui *t)
{
    struct act_overlay **slot = act_overlay_slot(t);
    struct act_overlay *o = slot ? *slot : NULL;
    if (!o)
        return;
    for (size_t i = 0; i < o->count; i++)
        change_clear(&o->changes[i]);
    free(o->changes);
    for (size_t i = 0; i < o->status_count; i++)
        model_status_clear(&o->statuses[i]);
    free(o->statuses);
    for (size_t i = 0; i < o->group_count; i++)
        model_group_clear(&o->groups[i]);
    free(o->groups);
    free(o);
    *slot = NULL;
}
