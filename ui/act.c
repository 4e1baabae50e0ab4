/* act.c: acting on tickets from the list and the detail (see act.h): the
 * stack of act screens and their keys, marks for bulk changes, property
 * changes through pickers, and the outbox seen from the UI.
 *
 * A property change is queued in the outbox (sent by the sync thread) and
 * shown at once by drawing it over the cached copy (act_overlay.c) until
 * the server's own copy reaches the cache; when the server refuses it, it is
 * forgotten, which undoes it on screen, and the agent is told why. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/picker.h"

#include <curses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "src/canned.h"
#include "src/html.h"
#include "src/outbox.h"

#define ACT_STACK_MAX 6
/* Key codes for the bracketed-paste markers (define_key). */
#define ACT_KEY_PASTE_BEGIN (KEY_MAX + 101)
#define ACT_KEY_PASTE_END   (KEY_MAX + 102)

void help_open(struct tui *t, enum fd_context ctx);
void tui_suspend(struct tui *t);
void editor_before_close(struct tui *t, struct ui_view *v);
fd_id detail_ticket_id(struct tui *t);

struct act_layer {
    const struct overlay_ops *ops;
    struct ui_view view;
};

struct act {
    struct act_layer stack[ACT_STACK_MAX];
    size_t depth;
    fd_key keys[FD_KEYSEQ_MAX];
    size_t key_count;
    fd_id *marks;
    size_t mark_count, mark_cap;
    struct act_overlay *overlay; /* changes not in the cache yet (act_overlay.c) */
};

struct act_overlay **act_overlay_slot(struct tui *t);
struct act_overlay **act_overlay_slot(struct tui *t)
{
    return t->act ? &t->act->overlay : NULL;
}

/* ---- the stack ---- */

int act_push(struct tui *t, const struct overlay_ops *ops, void *data)
{
    struct act *a = t->act;
    struct ui_view v = {.ops = ops->view, .data = data};
    if (!a || a->depth >= ACT_STACK_MAX) {
        ops->view->close(&v);
        tui_message(t, true, "too many screens open");
        return -1;
    }
    a->stack[a->depth].ops = ops;
    a->stack[a->depth].view = v;
    act_body(t, &a->stack[a->depth].view.area);
    a->depth++;
    a->key_count = 0;
    t->need_paint = true;
    return 0;
}

static void close_layer(struct tui *t, struct act_layer *l)
{
    editor_before_close(t, &l->view);
    l->ops->view->close(&l->view);
}

void act_pop(struct tui *t)
{
    struct act *a = t->act;
    if (!a || a->depth == 0)
        return;
    a->depth--;
    close_layer(t, &a->stack[a->depth]);
    a->key_count = 0;
    if (a->depth == 0) {
        curs_set(0);
        leaveok(stdscr, TRUE);
    }
    t->need_paint = true;
}

struct ui_view *act_below(struct tui *t, const struct ui_view *v)
{
    struct act *a = t->act;
    if (!a || a->depth == 0)
        return NULL;
    if (!v)
        return &a->stack[a->depth - 1].view;
    for (size_t i = a->depth; i-- > 1;)
        if (&a->stack[i].view == v)
            return &a->stack[i - 1].view;
    return NULL;
}

void act_body(struct tui *t, struct rect *out)
{
    int rows = t->layout.rows, cols = t->layout.cols;
    out->y = 0;
    out->x = 0;
    out->h = rows - 2 > 0 ? rows - 2 : 0;
    out->w = cols;
}

const char *act_keys(struct tui *t, enum fd_context ctx, enum fd_action action, char *buf,
                     size_t size)
{
    buf[0] = '\0';
    keymap_keys_for(t->keymap, ctx, action, buf, size);
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '\0'; /* the first key is enough for a hint */
    if (!buf[0])
        snprintf(buf, size, ":%s", action_name(action));
    return buf;
}

bool act_active(struct tui *t)
{
    return t->act && t->act->depth > 0;
}

static int generic(struct tui *t, enum fd_context ctx, enum fd_action action)
{
    switch (action) {
    case FD_ACTION_HELP:
        help_open(t, ctx);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_REDRAW:
        t->need_clear = true;
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_SUSPEND:
        act_terminal_leave(t);
        tui_suspend(t);
        act_terminal_enter(t);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_QUIT:
        return VIEW_HANDLED | VIEW_QUIT; /* act_free saves the draft */
    default:
        return 0;
    }
}

int act_key(struct tui *t, fd_key key)
{
    struct act *a = t->act;
    struct act_layer *top = &a->stack[a->depth - 1];
    if (top->ops->key) {
        int f = top->ops->key(&top->view, t, key);
        if (f >= 0)
            return f;
    }
    a->keys[a->key_count++] = key;
    enum fd_action action = FD_ACTION_NONE;
    enum fd_context ctx = top->ops->view->context;
    enum keymap_match m = keymap_lookup(t->keymap, ctx, a->keys, a->key_count, &action);
    if (m == KEYMAP_PENDING && a->key_count < FD_KEYSEQ_MAX)
        return 0;
    size_t n = a->key_count;
    a->key_count = 0;
    if (m == KEYMAP_MATCH) {
        int flags = top->ops->view->handle(&top->view, t, action);
        if (!(flags & VIEW_HANDLED))
            flags = generic(t, ctx, action);
        return flags | VIEW_REDRAW;
    }
    if (n == 1 && keymap_key_is_text(key) && top->ops->text)
        return top->ops->text(&top->view, t, key);
    char name[64];
    keymap_format_keys(&key, 1, name, sizeof name);
    tui_message(t, false, "%s: no action bound in this screen (? shows the keys)", name);
    return VIEW_REDRAW;
}

void act_paste(struct tui *t, const char *text, size_t len)
{
    struct act *a = t->act;
    if (!act_active(t)) {
        tui_message(t, false, "a paste only goes into the editor or a question");
        return;
    }
    struct act_layer *top = &a->stack[a->depth - 1];
    if (top->ops->paste)
        top->ops->paste(&top->view, t, text, len);
    t->need_paint = true;
}

/* Appends the UTF-8 form of c to buf. */
static void put_utf8(char **buf, size_t *len, size_t *cap, uint32_t c)
{
    if (*len + 5 > *cap) {
        size_t ncap = *cap ? *cap * 2 : 4096;
        char *p = realloc(*buf, ncap);
        if (!p)
            return;
        *buf = p;
        *cap = ncap;
    }
    char *o = *buf + *len;
    if (c < 0x80) {
        o[0] = (char)c;
        *len += 1;
    } else if (c < 0x800) {
        o[0] = (char)(0xC0 | (c >> 6));
        o[1] = (char)(0x80 | (c & 0x3F));
        *len += 2;
    } else if (c < 0x10000) {
        o[0] = (char)(0xE0 | (c >> 12));
        o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        *len += 3;
    } else {
        o[0] = (char)(0xF0 | (c >> 18));
        o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        o[3] = (char)(0x80 | (c & 0x3F));
        *len += 4;
    }
}

bool act_input_key(struct tui *t, void *input_window, int kind, unsigned int ch)
{
    if (kind != KEY_CODE_YES || ch != ACT_KEY_PASTE_BEGIN)
        return false;
    WINDOW *input = input_window;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    wint_t c;
    for (;;) {
        int k = wget_wch(input, &c);
        if (k == ERR) {
            /* The rest of a large paste is still on its way. */
            struct pollfd p = {STDIN_FILENO, POLLIN, 0};
            if (poll(&p, 1, 1000) <= 0)
                break;
            continue;
        }
        if (k == KEY_CODE_YES) {
            if (c == ACT_KEY_PASTE_END)
                break;
            if (c == KEY_ENTER)
                put_utf8(&buf, &len, &cap, '\n');
            continue;
        }
        put_utf8(&buf, &len, &cap, c == '\r' ? '\n' : (uint32_t)c);
    }
    if (buf && len)
        act_paste(t, buf, len);
    free(buf);
    return true;
}

/* ---- painting, ticks ---- */

void act_paint(struct tui *t)
{
    struct act *a = t->act;
    if (!a || a->depth == 0 || t->layout.too_small)
        return;
    size_t base = 0;
    for (size_t i = 0; i < a->depth; i++)
        if (a->stack[i].ops->full_screen)
            base = i;
    struct rect body;
    act_body(t, &body);
    for (size_t i = base; i < a->depth; i++) {
        struct act_layer *l = &a->stack[i];
        l->view.area = body;
        l->ops->view->draw(&l->view, t, &body, i + 1 == a->depth);
    }
    if (a->stack[a->depth - 1].ops->full_screen == false ||
        a->stack[a->depth - 1].ops->text == NULL) {
        curs_set(0);
        leaveok(stdscr, TRUE);
    }
}

int act_timeout_ms(struct tui *t)
{
    struct act *a = t->act;
    int best = -1;
    for (size_t i = 0; a && i < a->depth; i++) {
        struct act_layer *l = &a->stack[i];
        if (!l->ops->timeout_ms)
            continue;
        int ms = l->ops->timeout_ms(&l->view, t);
        if (ms >= 0 && (best < 0 || ms < best))
            best = ms;
    }
    return best;
}

void act_tick(struct tui *t)
{
    struct act *a = t->act;
    for (size_t i = 0; a && i < a->depth; i++)
        if (a->stack[i].ops->tick)
            a->stack[i].ops->tick(&a->stack[i].view, t);
}

void act_terminal_leave(struct tui *t)
{
    ssize_t w = write(STDOUT_FILENO, "\033[?2004l", 8);
    (void)w;
    endwin();
}

void act_terminal_enter(struct tui *t)
{
    reset_prog_mode();
    if (act_active(t)) {
        ssize_t w = write(STDOUT_FILENO, "\033[?2004h", 8);
        (void)w;
    }
    t->need_clear = true;
    tui_relayout(t);
}

/* ---- marks ---- */

bool act_is_marked(struct tui *t, fd_id id)
{
    struct act *a = t->act;
    for (size_t i = 0; a && i < a->mark_count; i++)
        if (a->marks[i] == id)
            return true;
    return false;
}

static void toggle_mark(struct tui *t, fd_id id)
{
    struct act *a = t->act;
    if (!id)
        return;
    for (size_t i = 0; i < a->mark_count; i++)
        if (a->marks[i] == id) {
            a->marks[i] = a->marks[--a->mark_count];
            tui_message(t, false, "%zu marked", a->mark_count);
            return;
        }
    if (a->mark_count == a->mark_cap) {
        size_t cap = a->mark_cap ? a->mark_cap * 2 : 16;
        fd_id *p = realloc(a->marks, cap * sizeof *p);
        if (!p)
            return;
        a->marks = p;
        a->mark_cap = cap;
    }
    a->marks[a->mark_count++] = id;
    tui_message(t, false, "%zu marked — s, P, a, x, X change them all; M unmarks", a->mark_count);
}

/* ---- the outbox seen from the UI ---- */

void act_outbox_kick(struct tui *t, int64_t item)
{
    (void)item; /* the sender keeps per-ticket order: always "the next one" */
    if (t->jobs)
        jobs_push_outbox(t->jobs, 0);
}

/* Tells the list and the detail that tickets changed in the cache. */
static void notify_changed(struct tui *t, const fd_id *ids, size_t n)
{
    struct fd_event ev = {.type = FD_EVENT_TICKETS_CHANGED};
    ev.u.tickets.count = n;
    for (size_t i = 0; i < n && i < EVENTS_MAX_IDS; i++) {
        ev.u.tickets.ids[i] = ids[i];
        ev.u.tickets.id_count++;
        if (!ev.u.tickets.min_id || ids[i] < ev.u.tickets.min_id)
            ev.u.tickets.min_id = ids[i];
        if (ids[i] > ev.u.tickets.max_id)
            ev.u.tickets.max_id = ids[i];
    }
    t->list.ops->on_event(&t->list, t, &ev);
    t->detail.ops->on_event(&t->detail, t, &ev);
    t->need_paint = true;
}

static void outbox_result(struct tui *t, const struct fd_event *ev)
{
    struct outbox_item it;
    int found = t->state ? outbox_get(t->state, ev->u.outbox.item, &it) : 0;
    bool conv = found == 1 && (it.kind == OUTBOX_REPLY || it.kind == OUTBOX_NOTE);
    enum draft_kind dk = found == 1 && it.kind == OUTBOX_NOTE ? DRAFT_NOTE : DRAFT_REPLY;
    fd_id tid = ev->u.outbox.ticket_id ? ev->u.outbox.ticket_id : (found == 1 ? it.ticket_id : 0);
    if (ev->type == FD_EVENT_OUTBOX_SENT) {
        if (conv) {
            tui_message(t, false, "%s to #%lld sent", dk == DRAFT_NOTE ? "note" : "reply",
                        (long long)tid);
            struct fd_job job = {
                .kind = JOB_REFRESH_TICKET, .priority = JOB_INTERACTIVE, .ticket_id = tid};
            jobs_push(t->jobs, &job);
        } else {
            /* Shown as changed until the sync brings the server's copy. */
            act_overlay_sent(t, ev->u.outbox.item);
            if (found == 1)
                act_overlay_outbox_done(t, it.ticket_ids, it.ticket_count, true);
            tui_message(t, false, "change to #%lld confirmed by the server", (long long)tid);
            jobs_push_sync(t->jobs, false);
        }
    } else if (!conv) {
        fd_id ids[EVENTS_MAX_IDS];
        size_t n = act_overlay_refused(t, ev->u.outbox.item, ids, EVENTS_MAX_IDS);
        if (found == 1) {
            act_overlay_outbox_done(t, it.ticket_ids, it.ticket_count, false);
            for (size_t k = 0; k < it.ticket_count && n < EVENTS_MAX_IDS; k++)
                ids[n++] = it.ticket_ids[k];
        }
        notify_changed(t, ids, n);
        tui_message(t, true, "the server refused the change to #%lld, so it was undone: %s",
                    (long long)tid, ev->message);
    } else if (conv && outbox_return_to_draft(t->state, ev->u.outbox.item) == 1) {
        if (!act_active(t))
            editor_open(t, tid, dk, ev->message);
        else
            tui_message(t, true, "the server refused your %s to #%lld: %s — it is a draft again",
                        dk == DRAFT_NOTE ? "note" : "reply", (long long)tid, ev->message);
    }
    if (found == 1)
        outbox_item_clear(&it);
    if (t->state)
        t->outbox_pending = outbox_pending_count(t->state);
    if (t->outbox_pending > 0)
        act_outbox_kick(t, 0);
}

void act_on_event(struct tui *t, const struct fd_event *ev)
{
    struct act *a = t->act;
    if (!a)
        return;
    /* Bottom up: the editor takes a fresh snapshot before the review above
     * it compares with it. A handler may close screens: re-check the depth. */
    for (size_t i = 0; i < a->depth; i++) {
        struct act_layer *l = &a->stack[i];
        if (l->ops->view->on_event && l->ops->view->on_event(&l->view, t, ev))
            t->need_paint = true;
    }
    switch (ev->type) {
    case FD_EVENT_OUTBOX_SENT:
    case FD_EVENT_OUTBOX_FAILED:
        outbox_result(t, ev);
        break;
    case FD_EVENT_NOTICE:
        tui_message(t, false, "%s", ev->message);
        break;
    case FD_EVENT_TICKETS_CHANGED:
        act_overlay_settle(t); /* the server's copies replace confirmed changes */
        break;
    case FD_EVENT_ONLINE:
    case FD_EVENT_SYNC_FINISHED:
        if (ev->type == FD_EVENT_SYNC_FINISHED && !ev->u.finished.ok)
            break;
        if (t->state && (t->outbox_pending = outbox_pending_count(t->state)) > 0)
            act_outbox_kick(t, 0);
        break;
    default:
        break;
    }
}

/* ---- init and free ---- */

int act_init(struct tui *t)
{
    t->act = calloc(1, sizeof *t->act);
    if (!t->act)
        return -1;
    define_key("\033[200~", ACT_KEY_PASTE_BEGIN);
    define_key("\033[201~", ACT_KEY_PASTE_END);
    /* Ctrl-S and Ctrl-Q are editor keys (<C-x><C-s> finishes), not flow
     * control: as in emacs and nano. curses restores the shell's modes. */
    struct termios tio;
    if (tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)IXON;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        def_prog_mode();
    }
    if (t->state && outbox_pending_count(t->state) > 0) {
        act_overlay_load(t); /* updates queued in an earlier run show too */
        act_outbox_kick(t, 0);
    }
    return 0;
}

void act_free(struct tui *t)
{
    struct act *a = t->act;
    if (!a)
        return;
    while (a->depth > 0) {
        a->depth--;
        close_layer(t, &a->stack[a->depth]);
    }
    act_overlay_free(t);
    free(a->marks);
    free(a);
    t->act = NULL;
}

/* ---- dispatch from the list and the detail ---- */

static bool detail_has_focus(struct tui *t)
{
    return t->mode == LAYOUT_DETAIL || (t->mode == LAYOUT_SPLIT && t->focus_detail);
}

static fd_id current_ticket(struct tui *t)
{
    fd_id id = detail_has_focus(t) ? detail_ticket_id(t) : 0;
    return id ? id : list_selected_id(t);
}

bool act_change(struct tui *t, enum fd_action action, const fd_id *ids, size_t n);
void act_download(struct tui *t, fd_id id);

bool act_dispatch(struct tui *t, enum fd_action action)
{
    struct act *a = t->act;
    if (!a)
        return false;
    fd_id id = current_ticket(t);
    switch (action) {
    case FD_ACTION_REPLY:
    case FD_ACTION_NOTE:
        editor_open(t, id, action == FD_ACTION_NOTE ? DRAFT_NOTE : DRAFT_REPLY, NULL);
        return true;
    case FD_ACTION_CANNED:
        if (editor_open(t, id, DRAFT_REPLY, NULL) == 0)
            act_canned_picker(t, id, editor_of(act_below(t, NULL)));
        return true;
    case FD_ACTION_MARK:
        toggle_mark(t, list_selected_id(t));
        if (!detail_has_focus(t))
            list_move(t, 1);
        t->need_paint = true;
        return true;
    case FD_ACTION_MARK_CLEAR:
        a->mark_count = 0;
        tui_message(t, false, "no ticket marked");
        return true;
    case FD_ACTION_DOWNLOAD_ATTACHMENT:
        act_download(t, id);
        return true;
    case FD_ACTION_SET_STATUS:
    case FD_ACTION_SET_PRIORITY:
    case FD_ACTION_ASSIGN:
    case FD_ACTION_TAKE:
    case FD_ACTION_SET_GROUP:
    case FD_ACTION_SET_TYPE:
    case FD_ACTION_TAGS:
    case FD_ACTION_RESOLVE:
    case FD_ACTION_CLOSE:
        if (a->mark_count > 0 && !detail_has_focus(t))
            return act_change(t, action, a->marks, a->mark_count);
        if (!id) {
            tui_message(t, false, "no ticket selected");
            return true;
        }
        return act_change(t, action, &id, 1);
    default:
        return false;
    }
}

/* The marks are spent once a bulk change is queued. */
void act_marks_clear(struct tui *t);
void act_marks_clear(struct tui *t)
{
    if (t->act)
        t->act->mark_count = 0;
}

void act_notify_changed(struct tui *t, const fd_id *ids, size_t n);
void act_notify_changed(struct tui *t, const fd_id *ids, size_t n)
{
    notify_changed(t, ids, n);
}

/* ---- canned responses ---- */

struct canned_req {
    fd_id ticket_id;
};

static void canned_done(struct tui *t, void *data, const struct picker_item *chosen,
                        const char *typed)
{
    struct canned_req *r = data;
    struct editor *e = editor_of(act_below(t, NULL));
    if (!chosen || !e || !chosen->text) {
        free(r);
        return;
    }
    struct store_ticket_detail d;
    struct canned_context ctx = {0};
    bool have = store_get_ticket(t->store, r->ticket_id, &d) == 1;
    if (have) {
        ctx.ticket = &d.ticket;
        if (d.ticket.requester) {
            ctx.requester_name = d.ticket.requester->name;
            ctx.requester_email = d.ticket.requester->email;
        }
        ctx.agent_name = d.agent_name;
        ctx.agent_email = d.agent_email;
        ctx.group_name = d.group_name;
        ctx.company_name = d.ticket.company ? d.ticket.company->name : NULL;
        ctx.status_label = d.status_label;
    }
    char *filled = canned_fill(chosen->text, &ctx);
    if (filled) {
        act_paste(t, filled, strlen(filled));
        tui_message(t, false, "inserted canned response \"%s\"", chosen->label);
    }
    free(filled);
    if (have)
        store_ticket_detail_clear(&d);
    free(r);
}

static struct picker_item *canned_items(struct tui *t, size_t *count)
{
    struct fd_canned_folder *folders = NULL;
    size_t nf = 0, n = 0, cap = 0;
    struct picker_item *items = NULL;
    *count = 0;
    if (store_list_canned_folders(t->store, &folders, &nf) != 0)
        return NULL;
    for (size_t i = 0; i < nf; i++) {
        struct fd_canned_response *rs = NULL;
        size_t nr = 0;
        if (store_list_canned_responses(t->store, folders[i].id, &rs, &nr) != 0)
            continue;
        for (size_t j = 0; j < nr; j++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 32;
                struct picker_item *p = realloc(items, cap * sizeof *p);
                if (!p)
                    break;
                items = p;
            }
            char *text = rs[j].content_text && *rs[j].content_text
                             ? strdup(rs[j].content_text)
                             : html_to_text(rs[j].content_html);
            if (picker_item_set(&items[n], rs[j].title, folders[i].name, rs[j].id, text) == 0)
                n++;
            free(text);
        }
        for (size_t j = 0; j < nr; j++)
            model_canned_response_clear(&rs[j]);
        free(rs);
    }
    for (size_t i = 0; i < nf; i++)
        model_canned_folder_clear(&folders[i]);
    free(folders);
    *count = n;
    return items;
}

void act_canned_picker(struct tui *t, fd_id id, struct editor *e)
{
    if (!e)
        return;
    size_t n = 0;
    struct picker_item *items = canned_items(t, &n);
    if (n == 0) {
        picker_items_free(items, n);
        tui_message(t, false, "no canned responses in the cache yet (they come with the sync)");
        return;
    }
    struct canned_req *r = calloc(1, sizeof *r);
    if (!r) {
        picker_items_free(items, n);
        return;
    }
    r->ticket_id = id;
    struct picker_spec spec = {.title = "Canned response (type to filter)",
                               .items = items,
                               .count = n,
                               .done = canned_done,
                               .data = r,
                               .free_data = free};
    picker_open(t, &spec);
}
