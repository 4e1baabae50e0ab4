/* view_detail.c: one ticket, full screen or in the lower pane of the split
 * layout. The ticket is read from the store and laid out once into a list of
 * display lines (header, then the description and every conversation in
 * order, each marked CUSTOMER, AGENT REPLY or PRIVATE NOTE, with its author and
 * time, word-wrapped), which is rebuilt only when the ticket, the width or the
 * quote folding changes; scrolling just moves an offset. Missing or stale
 * conversations are asked of the sync engine as an interactive job, and the
 * view re-reads the ticket when the engine says they arrived. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/html.h"

struct doc_line {
    char *text; /* clean text */
    enum ui_color color;
};

struct detail_state {
    fd_id id;
    struct store_ticket_detail d;
    bool loaded;
    bool waiting; /* conversations were asked for */
    bool show_quoted;
    struct doc_line *lines;
    size_t count, cap;
    int width; /* the lines were laid out for this width */
    size_t top;
    int height;
};

static void doc_clear(struct detail_state *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->lines[i].text);
    s->count = 0;
}

static void doc_add(struct detail_state *s, enum ui_color color, char *clean_owned)
{
    if (!clean_owned)
        return;
    if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct doc_line *p = realloc(s->lines, cap * sizeof *p);
        if (!p) {
            free(clean_owned);
            return;
        }
        s->lines = p;
        s->cap = cap;
    }
    s->lines[s->count].text = clean_owned;
    s->lines[s->count].color = color;
    s->count++;
}

/* Adds untrusted text as one sanitised line (cut at the width when drawn). */
static void doc_addf(struct detail_state *s, enum ui_color color, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void doc_addf(struct detail_state *s, enum ui_color color, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    doc_add(s, color, text_sanitize(buf, (size_t)-1, TEXT_SINGLE_LINE));
}

/* Adds clean multi-line text, word-wrapped to the width. */
static void doc_wrap(struct detail_state *s, enum ui_color color, const char *clean, int width)
{
    struct text_lines lines;
    if (text_wrap(clean, width, &lines) != 0)
        return;
    for (size_t i = 0; i < lines.count; i++) {
        doc_add(s, color, lines.lines[i]);
        lines.lines[i] = NULL;
    }
    text_lines_free(&lines);
}

static void format_time(fd_time t, char *buf, size_t size)
{
    if (!t) {
        snprintf(buf, size, "-");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static void build_header(struct detail_state *s, int width)
{
    const struct fd_ticket *tk = &s->d.ticket;
    char created[32], updated[32], due[32], status[32];
    const char *st = s->d.status_label ? s->d.status_label : model_status_name(tk->status);
    if (!st) {
        snprintf(status, sizeof status, "%d", tk->status);
        st = status;
    }
    format_time(tk->created_at, created, sizeof created);
    format_time(tk->updated_at, updated, sizeof updated);
    format_time(tk->due_by, due, sizeof due);
    char *subject =
        text_sanitize(tk->subject ? tk->subject : "(no subject)", (size_t)-1, TEXT_SINGLE_LINE);
    if (subject) {
        /* A subject longer than about three lines is cut: the header must
         * stay on screen whatever the subject holds. */
        char *cut = text_truncate(subject, 3 * width - width / 2);
        doc_wrap(s, UI_BOLD, cut ? cut : "", width);
        free(cut);
        free(subject);
    }
    doc_addf(s, UI_NORMAL, "#%lld  Status: %s  Priority: %s  Type: %s", (long long)tk->id, st,
             or_dash(model_priority_name(tk->priority)), or_dash(tk->type));
    doc_addf(s, UI_NORMAL, "Requester: %s <%s>",
             or_dash(tk->requester ? tk->requester->name : NULL),
             or_dash(tk->requester ? tk->requester->email : NULL));
    doc_addf(s, UI_NORMAL, "Company: %s", or_dash(tk->company ? tk->company->name : NULL));
    doc_addf(s, UI_NORMAL, "Agent: %s  Group: %s", or_dash(s->d.agent_name),
             or_dash(s->d.group_name));
    char tags[1024] = "";
    for (size_t i = 0; i < tk->tags.count; i++)
        snprintf(tags + strlen(tags), sizeof tags - strlen(tags), "%s%s", i ? ", " : "",
                 tk->tags.items[i]);
    doc_addf(s, UI_NORMAL, "Tags: %s", or_dash(tags));
    doc_addf(s, UI_NORMAL, "Created: %s  Updated: %s  Due: %s", created, updated, due);
}

/* The body as clean multi-line text: body_text, else HTML rendered. */
static char *body_of(const char *text, const char *html)
{
    if (text && *text)
        return text_sanitize(text, (size_t)-1, TEXT_MULTI_LINE);
    return html_to_text(html);
}

static void build_body(struct detail_state *s, const char *body, int width)
{
    if (!body)
        return;
    size_t len = strlen(body);
    size_t tail = s->show_quoted ? len : html_quoted_tail(body);
    if (tail < len) {
        char *head = strndup(body, tail);
        if (head) {
            doc_wrap(s, UI_NORMAL, head, width);
            free(head);
        }
        int quoted = 0;
        for (size_t i = tail; i < len; i++)
            quoted += body[i] == '\n';
        doc_addf(s, UI_DIM, "[… %d quoted lines folded: toggle-quoted shows them]", quoted + 1);
    } else {
        doc_wrap(s, UI_NORMAL, body, width);
    }
}

static void build_attachments(struct detail_state *s, const struct fd_attachment *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        doc_addf(s, UI_DIM, "  [attachment] %s (%lld KB)", or_dash(a[i].name),
                 (long long)((a[i].size + 1023) / 1024));
}

static void build_conversation(struct tui *t, struct detail_state *s,
                               const struct fd_conversation *c, int width)
{
    enum ui_color color;
    const char *label, *author = NULL;
    char when[32];
    if (c->is_private) {
        color = UI_NOTE;
        label = "PRIVATE NOTE";
    } else if (c->incoming) {
        color = UI_CUSTOMER;
        label = "CUSTOMER";
    } else {
        color = UI_AGENT;
        label = "AGENT REPLY";
    }
    if (!c->incoming && c->user_id)
        author = tui_agent_name(t, c->user_id);
    if (!author)
        author = c->from_email;
    format_time(c->created_at, when, sizeof when);
    doc_addf(s, UI_NORMAL, "%s", "");
    doc_addf(s, color, "%s  %s  %s", label, or_dash(author), when);
    char *body = body_of(c->body_text, c->body_html);
    build_body(s, body, width);
    free(body);
    build_attachments(s, c->attachments, c->attachment_count);
}

static void build(struct tui *t, struct detail_state *s, int width)
{
    doc_clear(s);
    s->width = width;
    if (!s->loaded)
        return;
    build_header(s, width);
    const struct fd_ticket *tk = &s->d.ticket;
    doc_addf(s, UI_NORMAL, "%s", "");
    doc_addf(s, UI_CUSTOMER, "CUSTOMER  %s  %s",
             or_dash(tk->requester
                         ? (tk->requester->name ? tk->requester->name : tk->requester->email)
                         : NULL),
             "(the request)");
    char *body = body_of(tk->description_text, tk->description_html);
    build_body(s, body, width);
    free(body);
    build_attachments(s, tk->attachments, tk->attachment_count);
    for (size_t i = 0; i < s->d.conversation_count; i++)
        build_conversation(t, s, &s->d.conversations[i], width);
    if (s->waiting)
        doc_addf(s, UI_DIM, "%s", "loading the conversation…");
    else if (s->d.conversations_for == 0)
        doc_addf(s, UI_DIM, "%s", "the conversation is not cached yet (offline?)");
}

static void load(struct tui *t, struct detail_state *s, bool ask)
{
    if (s->loaded)
        store_ticket_detail_clear(&s->d);
    memset(&s->d, 0, sizeof s->d);
    s->loaded = s->id && store_get_ticket(t->store, s->id, &s->d) == 1;
    if (s->loaded)
        act_overlay_ticket(t, &s->d); /* changes not in the cache yet (ui/act_overlay.c) */
    if (s->loaded && ask &&
        (s->d.conversations_for == 0 || s->d.conversations_for < s->d.ticket.updated_at)) {
        s->waiting = jobs_push_conversations(t->jobs, s->id, JOB_INTERACTIVE) == 0;
    }
    s->width = -1;
}

void detail_show(struct tui *t, fd_id id)
{
    struct detail_state *s = t->detail.data;
    if (s->id == id && s->loaded)
        return;
    s->id = id;
    s->top = 0;
    s->waiting = false;
    s->show_quoted = false;
    load(t, s, true);
    t->need_paint = true;
}

fd_id detail_ticket_id(struct tui *t)
{
    struct detail_state *s = t->detail.data;
    return s ? s->id : 0;
}

static void detail_draw(struct ui_view *v, struct tui *t, const struct rect *area, bool focused)
{
    struct detail_state *s = v->data;
    int width = area->w - 2 > 10 ? area->w - 2 : 10;
    if (s->width != width)
        build(t, s, width);
    s->height = area->h;
    const struct rect *bar = &t->layout.detail_bar;
    if (bar->h > 0) {
        char title[128];
        snprintf(title, sizeof title, "─ #%lld ─ %zu/%zu lines %s", (long long)s->id,
                 s->count ? s->top + 1 : 0, s->count, focused ? "─ focus ─" : "");
        draw_set(focused ? UI_STATUSBAR : UI_HEADER);
        draw_clean(bar->y, 0, bar->w, title);
        draw_set(UI_NORMAL);
    }
    for (int i = 0; i < area->h; i++) {
        size_t n = s->top + (size_t)i;
        int y = area->y + i;
        if (n < s->count) {
            draw_set(s->lines[n].color);
            draw_clean(y, 1, width, s->lines[n].text);
            draw_set(UI_NORMAL);
            draw_clear_to_eol(y, 1 + width);
            mvaddch(y, 0, ' ');
        } else {
            draw_clear_to_eol(y, 0);
            if (!s->loaded && i == 0) {
                draw_set(UI_DIM);
                draw_clean(y, 1, width, s->id ? "ticket not in the cache" : "no ticket");
                draw_set(UI_NORMAL);
            }
        }
    }
}

static int scroll_to(struct detail_state *s, long top)
{
    long max = (long)s->count - (long)(s->height > 0 ? s->height : 1);
    if (top > max)
        top = max;
    if (top < 0)
        top = 0;
    s->top = (size_t)top;
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int next_ticket(struct tui *t, int delta)
{
    if (!list_move(t, delta)) {
        tui_message(t, false, delta > 0 ? "last ticket of the list" : "first ticket of the list");
        return VIEW_HANDLED | VIEW_REDRAW;
    }
    detail_show(t, list_selected_id(t));
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int detail_handle(struct ui_view *v, struct tui *t, enum fd_action action)
{
    struct detail_state *s = v->data;
    long page = s->height > 1 ? s->height - 1 : 1;
    switch (action) {
    case FD_ACTION_SCROLL_DOWN:
    case FD_ACTION_MOVE_DOWN:
        return scroll_to(s, (long)s->top + 1);
    case FD_ACTION_SCROLL_UP:
    case FD_ACTION_MOVE_UP:
        return scroll_to(s, (long)s->top - 1);
    case FD_ACTION_PAGE_DOWN:
        return scroll_to(s, (long)s->top + page);
    case FD_ACTION_PAGE_UP:
        return scroll_to(s, (long)s->top - page);
    case FD_ACTION_HALF_PAGE_DOWN:
        return scroll_to(s, (long)s->top + page / 2);
    case FD_ACTION_HALF_PAGE_UP:
        return scroll_to(s, (long)s->top - page / 2);
    case FD_ACTION_FIRST:
        return scroll_to(s, 0);
    case FD_ACTION_LAST:
        return scroll_to(s, (long)s->count);
    case FD_ACTION_NEXT_TICKET:
        return next_ticket(t, 1);
    case FD_ACTION_PREV_TICKET:
        return next_ticket(t, -1);
    case FD_ACTION_TOGGLE_QUOTED:
        s->show_quoted = !s->show_quoted;
        s->width = -1;
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_TOGGLE_FOCUS:
        if (t->mode == LAYOUT_SPLIT)
            t->focus_detail = false;
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_TOGGLE_SPLIT:
        t->mode = t->mode == LAYOUT_SPLIT ? LAYOUT_DETAIL : LAYOUT_SPLIT;
        t->focus_detail = true;
        tui_relayout(t);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_BACK:
        if (t->mode == LAYOUT_SPLIT) {
            t->focus_detail = false;
        } else {
            t->mode = LAYOUT_LIST;
            t->focus_detail = false;
            tui_relayout(t);
        }
        return VIEW_HANDLED | VIEW_REDRAW;
    default:
        return 0;
    }
}

static int detail_on_event(struct ui_view *v, struct tui *t, const struct fd_event *ev)
{
    struct detail_state *s = v->data;
    if (!s->id)
        return 0;
    bool mine = false;
    if (ev->type == FD_EVENT_CONVERSATIONS)
        mine = ev->u.ticket_id == s->id;
    else if (ev->type == FD_EVENT_TICKETS_CHANGED) {
        const struct fd_event_tickets *tk = &ev->u.tickets;
        if (tk->count > tk->id_count)
            mine = s->id >= tk->min_id && s->id <= tk->max_id;
        for (size_t i = 0; i < tk->id_count; i++)
            mine |= tk->ids[i] == s->id;
    }
    if (!mine)
        return 0;
    if (ev->type == FD_EVENT_CONVERSATIONS)
        s->waiting = false;
    size_t top = s->top;
    load(t, s, ev->type == FD_EVENT_TICKETS_CHANGED);
    s->top = top;
    return VIEW_REDRAW;
}

static void detail_resize(struct ui_view *v, struct tui *t, const struct rect *area)
{
    v->area = *area;
    ((struct detail_state *)v->data)->height = area->h;
}

static int detail_open(struct ui_view *v, struct tui *t)
{
    v->data = calloc(1, sizeof(struct detail_state));
    return v->data ? 0 : -1;
}

static void detail_close(struct ui_view *v)
{
    struct detail_state *s = v->data;
    doc_clear(s);
    free(s->lines);
    if (s->loaded)
        store_ticket_detail_clear(&s->d);
    free(s);
    v->data = NULL;
}

const struct view_ops view_detail_ops = {
    .name = "detail",
    .context = FD_CTX_DETAIL,
    .open = detail_open,
    .draw = detail_draw,
    .handle = detail_handle,
    .on_event = detail_on_event,
    .resize = detail_resize,
    .close = detail_close,
};
