/* act_change.c: property changes of the selected, open or marked tickets:
 * status, priority, agent (take = me), group, type, tags, resolve and close.
 * Each asks with a picker filled from the cache when it needs a value, then
 * queues the change in the outbox (one bulk_update for several tickets),
 * shows it at once over the cached copy (act_overlay.c) and asks the sync
 * thread to send it. Also the attachment download question. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/picker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/outbox.h"

void act_marks_clear(struct tui *t);
void act_notify_changed(struct tui *t, const fd_id *ids, size_t n);
bool act_change(struct tui *t, enum fd_action action, const fd_id *ids, size_t n);

struct change_req {
    enum fd_action action;
    fd_id *ids;
    size_t count;
    struct fd_string_list tags; /* the ticket's tags (tags picker) */
};

static void req_free(void *data)
{
    struct change_req *r = data;
    if (!r)
        return;
    free(r->ids);
    model_string_list_clear(&r->tags);
    free(r);
}

static bool tags_has(const struct fd_string_list *l, const char *tag)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], tag) == 0)
            return true;
    return false;
}

static void apply(struct tui *t, const fd_id *ids, size_t n, const struct outbox_update *u,
                  const char *what)
{
    if (!t->state) {
        tui_message(t, true, "the state database could not be opened: nothing can be sent");
        return;
    }
    int64_t item = 0;
    char err[400];
    if (outbox_add_update(t->state, ids, n, u, &item, err, sizeof err) != 0) {
        tui_message(t, true, "cannot queue the change: %s", err);
        return;
    }
    act_overlay_add(t, item, ids, n, u); /* shown at once, over the cache */
    act_notify_changed(t, ids, n);
    t->outbox_pending = outbox_pending_count(t->state);
    act_outbox_kick(t, item);
    if (n == 1)
        tui_message(t, false, "#%lld: %s (queued, sending…)", (long long)ids[0], what);
    else
        tui_message(t, false, "%zu tickets: %s (one bulk update queued, sending…)", n, what);
    if (n > 1)
        act_marks_clear(t);
}

static void apply_req(struct tui *t, struct change_req *r, const struct outbox_update *u,
                      const char *what)
{
    apply(t, r->ids, r->count, u, what);
}

/* ---- the pickers ---- */

static void value_done(struct tui *t, void *data, const struct picker_item *chosen,
                       const char *typed)
{
    struct change_req *r = data;
    struct outbox_update u = {0};
    char what[300];
    if (!typed || (!chosen && r->action != FD_ACTION_TAGS)) {
        req_free(r);
        return;
    }
    const char *label = chosen ? chosen->label : "";
    switch (r->action) {
    case FD_ACTION_SET_STATUS:
        u.status = (int)chosen->value;
        snprintf(what, sizeof what, "status → %s", label);
        break;
    case FD_ACTION_SET_PRIORITY:
        u.priority = (int)chosen->value;
        snprintf(what, sizeof what, "priority → %s", label);
        break;
    case FD_ACTION_ASSIGN:
        u.set_responder = true;
        u.responder_id = (fd_id)chosen->value;
        snprintf(what, sizeof what, "assigned to %s", label);
        break;
    case FD_ACTION_SET_GROUP:
        u.set_group = true;
        u.group_id = (fd_id)chosen->value;
        snprintf(what, sizeof what, "group → %s", label);
        break;
    case FD_ACTION_SET_TYPE:
        u.type = chosen->text ? chosen->text : label;
        snprintf(what, sizeof what, "type → %s", u.type);
        break;
    case FD_ACTION_TAGS: {
        bool remove = typed[0] == '-';
        const char *tag = chosen ? (chosen->text ? chosen->text : chosen->label)
                                 : typed + (typed[0] == '-' || typed[0] == '+');
        while (*tag == ' ')
            tag++;
        if (!*tag) {
            req_free(r);
            return;
        }
        if (remove) {
            u.tags_remove = &tag;
            u.tags_remove_count = 1;
        } else {
            u.tags_add = &tag;
            u.tags_add_count = 1;
        }
        snprintf(what, sizeof what, "tag %s %s", remove ? "removed:" : "added:", tag);
        if (r->count == 1) {
            apply_req(t, r, &u, what);
        } else {
            /* Freshdesk's bulk update replaces tags rather than adding or
             * removing one: each marked ticket gets its own update. */
            for (size_t i = 0; i < r->count; i++)
                apply(t, &r->ids[i], 1, &u, what);
            tui_message(t, false, "%zu tickets: %s (%zu updates queued, sending…)", r->count, what,
                        r->count);
            act_marks_clear(t);
        }
        req_free(r);
        return;
    }
    default:
        req_free(r);
        return;
    }
    apply_req(t, r, &u, what);
    req_free(r);
}

static struct picker_item *items_new(size_t n)
{
    return calloc(n ? n : 1, sizeof(struct picker_item));
}

static struct picker_item *status_items(struct tui *t, size_t *n)
{
    struct fd_status *st = NULL;
    size_t count = 0;
    *n = 0;
    if (store_list_statuses(t->store, &st, &count) != 0 || count == 0) {
        static const int builtin[] = {FD_STATUS_OPEN, FD_STATUS_PENDING, FD_STATUS_RESOLVED,
                                      FD_STATUS_CLOSED};
        struct picker_item *items = items_new(4);
        for (size_t i = 0; items && i < 4; i++)
            if (picker_item_set(&items[*n], model_status_name(builtin[i]), NULL, builtin[i],
                                NULL) == 0)
                (*n)++;
        return items;
    }
    struct picker_item *items = items_new(count);
    for (size_t i = 0; items && i < count; i++)
        if (picker_item_set(&items[*n], st[i].agent_label ? st[i].agent_label : "?", NULL, st[i].id,
                            NULL) == 0)
            (*n)++;
    for (size_t i = 0; i < count; i++)
        model_status_clear(&st[i]);
    free(st);
    return items;
}

static struct picker_item *priority_items(size_t *n)
{
    struct picker_item *items = items_new(4);
    *n = 0;
    for (int p = FD_PRIORITY_URGENT; items && p >= FD_PRIORITY_LOW; p--)
        if (picker_item_set(&items[*n], model_priority_name(p), NULL, p, NULL) == 0)
            (*n)++;
    return items;
}

static struct picker_item *agent_items(struct tui *t, size_t *n)
{
    struct fd_agent *ag = NULL;
    size_t count = 0;
    *n = 0;
    store_list_agents(t->store, &ag, &count);
    struct picker_item *items = items_new(count + 1);
    if (items && picker_item_set(&items[0], "nobody (unassign)", NULL, 0, NULL) == 0)
        *n = 1;
    for (size_t i = 0; items && i < count; i++)
        if (picker_item_set(&items[*n], ag[i].name ? ag[i].name : (ag[i].email ? ag[i].email : "?"),
                            ag[i].email, ag[i].id, NULL) == 0)
            (*n)++;
    for (size_t i = 0; i < count; i++)
        model_agent_clear(&ag[i]);
    free(ag);
    return items;
}

static struct picker_item *group_items(struct tui *t, size_t *n)
{
    struct fd_group *g = NULL;
    size_t count = 0;
    *n = 0;
    store_list_groups(t->store, &g, &count);
    struct picker_item *items = items_new(count + 1);
    if (items && picker_item_set(&items[0], "no group", NULL, 0, NULL) == 0)
        *n = 1;
    for (size_t i = 0; items && i < count; i++)
        if (picker_item_set(&items[*n], g[i].name ? g[i].name : "?", NULL, g[i].id, NULL) == 0)
            (*n)++;
    for (size_t i = 0; i < count; i++)
        model_group_clear(&g[i]);
    free(g);
    return items;
}

static struct picker_item *type_items(struct tui *t, size_t *n)
{
    struct fd_string_list types = {0};
    *n = 0;
    store_list_ticket_types(t->store, &types);
    struct picker_item *items = items_new(types.count);
    for (size_t i = 0; items && i < types.count; i++)
        if (picker_item_set(&items[*n], types.items[i], NULL, 0, types.items[i]) == 0)
            (*n)++;
    model_string_list_clear(&types);
    return items;
}

/* Tags: with a leading '-' the ticket's own tags (to remove), else the tags
 * seen on cached tickets (to add), most used first. */
static struct picker_item *tag_refill(struct tui *t, void *data, const char *typed, size_t *n)
{
    struct change_req *r = data;
    struct fd_string_list seen = {0};
    const struct fd_string_list *from = &r->tags;
    *n = 0;
    if (typed[0] != '-') {
        store_list_tags(t->store, NULL, 500, &seen);
        from = &seen;
    }
    struct picker_item *items = items_new(from->count);
    for (size_t i = 0; items && i < from->count; i++)
        if (picker_item_set(
                &items[*n], from->items[i],
                typed[0] == '-'
                    ? "remove"
                    : (tags_has(&r->tags, from->items[i]) ? "already on the ticket" : NULL),
                0, from->items[i]) == 0)
            (*n)++;
    model_string_list_clear(&seen);
    return items;
}

static bool open_picker(struct tui *t, struct change_req *r, const char *title,
                        struct picker_item *items, size_t n)
{
    struct picker_spec spec = {.title = title,
                               .items = items,
                               .count = n,
                               .done = value_done,
                               .data = r,
                               .free_data = req_free};
    if (r->action == FD_ACTION_TAGS) {
        spec.free_text = true;
        spec.refill = tag_refill;
    }
    picker_open(t, &spec);
    return true;
}

static void title_for(char *buf, size_t size, const char *what, const struct change_req *r)
{
    if (r->count == 1)
        snprintf(buf, size, "%s of #%lld", what, (long long)r->ids[0]);
    else
        snprintf(buf, size, "%s of %zu marked tickets", what, r->count);
}

bool act_change(struct tui *t, enum fd_action action, const fd_id *ids, size_t n)
{
    struct outbox_update u = {0};
    struct change_req *r = calloc(1, sizeof *r);
    if (!r || !(r->ids = malloc(n * sizeof *ids))) {
        req_free(r);
        return true;
    }
    memcpy(r->ids, ids, n * sizeof *ids);
    r->count = n;
    r->action = action;
    char title[200];
    size_t count = 0;
    struct picker_item *items;
    switch (action) {
    case FD_ACTION_RESOLVE:
    case FD_ACTION_CLOSE:
        u.status = action == FD_ACTION_RESOLVE ? FD_STATUS_RESOLVED : FD_STATUS_CLOSED;
        apply_req(t, r, &u, action == FD_ACTION_RESOLVE ? "resolved" : "closed");
        break;
    case FD_ACTION_TAKE: {
        struct fd_agent me = {0};
        if (store_get_me(t->store, &me) != 1) {
            tui_message(t, true, "who you are is not known yet (it comes with the first sync)");
        } else {
            u.set_responder = true;
            u.responder_id = me.id;
            apply_req(t, r, &u, "assigned to you");
        }
        model_agent_clear(&me);
        break;
    }
    case FD_ACTION_SET_STATUS:
        title_for(title, sizeof title, "Status", r);
        items = status_items(t, &count);
        return open_picker(t, r, title, items, count);
    case FD_ACTION_SET_PRIORITY:
        title_for(title, sizeof title, "Priority", r);
        items = priority_items(&count);
        return open_picker(t, r, title, items, count);
    case FD_ACTION_ASSIGN:
        title_for(title, sizeof title, "Agent", r);
        items = agent_items(t, &count);
        return open_picker(t, r, title, items, count);
    case FD_ACTION_SET_GROUP:
        title_for(title, sizeof title, "Group", r);
        items = group_items(t, &count);
        return open_picker(t, r, title, items, count);
    case FD_ACTION_SET_TYPE:
        title_for(title, sizeof title, "Type", r);
        items = type_items(t, &count);
        return open_picker(t, r, title, items, count);
    case FD_ACTION_TAGS: {
        /* The tags the agent sees on the chosen tickets, offered for removal. */
        for (size_t k = 0; k < n; k++) {
            struct store_ticket_detail d;
            if (store_get_ticket(t->store, ids[k], &d) != 1)
                continue;
            act_overlay_ticket(t, &d);
            for (size_t i = 0; i < d.ticket.tags.count; i++)
                if (!tags_has(&r->tags, d.ticket.tags.items[i]))
                    model_string_list_add(&r->tags, d.ticket.tags.items[i]);
            store_ticket_detail_clear(&d);
        }
        if (n == 1)
            snprintf(title, sizeof title, "Tags of #%lld: type a tag to add it, -tag to remove it",
                     (long long)ids[0]);
        else
            snprintf(title, sizeof title,
                     "Tags of %zu marked tickets: type a tag to add it, -tag to remove it", n);
        return open_picker(t, r, title, NULL, 0);
    }
    default:
        break;
    }
    req_free(r);
    return true;
}

/* ---- attachments ---- */

struct download_req {
    fd_id ticket_id;
    fd_id attachment_id;
};

static void path_done(struct tui *t, void *data, const struct picker_item *chosen,
                      const char *typed)
{
    struct download_req *r = data;
    char path[4096];
    if (!typed || !*typed) {
        free(r);
        return;
    }
    if (typed[0] == '~' && typed[1] == '/' && getenv("HOME"))
        snprintf(path, sizeof path, "%s/%s", getenv("HOME"), typed + 2);
    else
        snprintf(path, sizeof path, "%s", typed);
    struct fd_job job = {.kind = JOB_DOWNLOAD,
                         .priority = JOB_INTERACTIVE,
                         .ticket_id = r->ticket_id,
                         .item = r->attachment_id};
    if (access(path, F_OK) == 0)
        tui_message(t, true, "%s exists; fdesk never overwrites a file (d again, another name)",
                    path);
    else if (strlen(path) >= sizeof job.query)
        tui_message(t, true, "the path is too long");
    else if (snprintf(job.query, sizeof job.query, "%s", path) >= 0 &&
             jobs_push(t->jobs, &job) == 0)
        tui_message(t, false, "downloading to %s …", path);
    free(r);
}

/* A file name from an attachment's (untrusted) name: no directories, no
 * leading dot, nothing but printable characters. */
static void safe_name(const char *name, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = name ? name : ""; *p && n + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        out[n++] = (c < 0x20 || c == 0x7f || c == '/' || c == '\\') ? '_' : (char)c;
    }
    out[n] = '\0';
    if (n == 0 || out[0] == '.')
        snprintf(out, size, "attachment%s", n ? out : "");
}

static void attachment_done(struct tui *t, void *data, const struct picker_item *chosen,
                            const char *typed)
{
    struct download_req *r = data;
    if (!chosen) {
        free(r);
        return;
    }
    r->attachment_id = (fd_id)chosen->value;
    char name[256], initial[4096];
    safe_name(chosen->text, name, sizeof name);
    const char *home = getenv("HOME");
    char downloads[4000];
    snprintf(downloads, sizeof downloads, "%s/Downloads", home ? home : ".");
    snprintf(initial, sizeof initial, "%s/%s",
             access(downloads, W_OK) == 0 ? downloads : (home ? home : "."), name);
    struct picker_spec spec = {.title = "Save the attachment to (Enter confirms, Esc cancels)",
                               .free_text = true,
                               .initial = initial,
                               .done = path_done,
                               .data = r,
                               .free_data = free};
    picker_open(t, &spec);
}

static void add_attachments(struct picker_item **items, size_t *n, size_t *cap,
                            const struct fd_attachment *a, size_t count, const char *where)
{
    for (size_t i = 0; i < count; i++) {
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 8;
            struct picker_item *p = realloc(*items, ncap * sizeof *p);
            if (!p)
                return;
            *items = p;
            *cap = ncap;
        }
        char detail[160];
        snprintf(detail, sizeof detail, "%lld KB, %s", (long long)((a[i].size + 1023) / 1024),
                 where);
        if (picker_item_set(&(*items)[*n], a[i].name ? a[i].name : "(no name)", detail, a[i].id,
                            a[i].name ? a[i].name : "attachment") == 0)
            (*n)++;
    }
}

void act_download(struct tui *t, fd_id id);
void act_download(struct tui *t, fd_id id)
{
    struct store_ticket_detail d;
    if (!id || store_get_ticket(t->store, id, &d) != 1) {
        tui_message(t, false, "no ticket open");
        return;
    }
    struct picker_item *items = NULL;
    size_t n = 0, cap = 0;
    add_attachments(&items, &n, &cap, d.ticket.attachments, d.ticket.attachment_count,
                    "the request");
    for (size_t i = 0; i < d.conversation_count; i++)
        add_attachments(&items, &n, &cap, d.conversations[i].attachments,
                        d.conversations[i].attachment_count, "a message");
    store_ticket_detail_clear(&d);
    struct download_req *r = n ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        picker_items_free(items, n);
        tui_message(t, false, "#%lld has no attachments", (long long)id);
        return;
    }
    r->ticket_id = id;
    struct picker_spec spec = {.title = "Download which attachment?",
                               .items = items,
                               .count = n,
                               .done = attachment_done,
                               .data = r,
                               .free_data = free};
    picker_open(t, &spec);
}
