/* view_review.c: the screen between writing and sending. It shows exactly
 * what will go out (public or private, to whom, CC/BCC, attachments, the
 * text) and offers: y send, e edit, E external editor, p postpone (keep the
 * draft), D discard (asks first).
 *
 * Sending first re-reads the ticket through the sync thread
 * (JOB_REFRESH_TICKET); if someone replied or changed it since the editor
 * opened, the changes are shown and the agent decides. Then the item is
 * written to the outbox (durable) and only then is the agent told it is
 * queued; the sync thread sends it. Offline, the check cannot be made: the
 * item is queued and goes out when the link returns. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/log.h"
#include "src/outbox.h"

enum review_state { REVIEW_READY, REVIEW_CONFIRM_DISCARD, REVIEW_CHECKING, REVIEW_COLLISION };

struct review {
    struct editor *editor; /* the editor below (owned by the stack) */
    enum review_state state;
    char *collision;
    size_t top;
    int height;
};

static struct review *review_of(struct ui_view *v)
{
    return v->data;
}

/* Closes the review and the editor under it. */
static void close_both(struct tui *t)
{
    act_pop(t);
    act_pop(t);
}

static void queue(struct tui *t, struct review *r, const char *note)
{
    struct editor_view ev;
    int64_t item = 0;
    char err[512];
    editor_describe(r->editor, &ev);
    /* The draft is saved with exactly this text first, so it is removed
     * when (and only when) the server confirms this send. */
    int rc = editor_queue(t, r->editor, &item, err, sizeof err);
    log_debug("review", "queue: %d item %lld %s", rc, (long long)item, rc ? err : "");
    if (rc != 0) {
        r->state = REVIEW_READY;
        tui_message(t, true, "not queued: %s", err);
        return;
    }
    fd_id id = ev.ticket_id;
    bool note_kind = ev.kind == DRAFT_NOTE;
    editor_finish(t, r->editor);
    close_both(t);
    t->outbox_pending = outbox_pending_count(t->state);
    act_outbox_kick(t, item);
    tui_message(t, false, "%s to #%lld queued in the outbox (item %lld)%s",
                note_kind ? "note" : "reply", (long long)id, (long long)item,
                note ? note : ", sending…");
}

static void start_send(struct tui *t, struct review *r)
{
    struct editor_view ev;
    editor_describe(r->editor, &ev);
    struct fd_job job = {
        .kind = JOB_REFRESH_TICKET, .priority = JOB_INTERACTIVE, .ticket_id = ev.ticket_id};
    if (jobs_push(t->jobs, &job) != 0) {
        queue(t, r, " (the ticket could not be checked for changes)");
        return;
    }
    r->state = REVIEW_CHECKING;
    tui_message(t, false, "checking whether #%lld changed since you opened it…",
                (long long)ev.ticket_id);
}

static int discard(struct tui *t, struct review *r)
{
    struct editor_view ev;
    editor_describe(r->editor, &ev);
    if (editor_discard(t, r->editor) != 0) {
        tui_message(t, true, "cannot remove the draft from the state database");
        r->state = REVIEW_READY;
        return VIEW_HANDLED | VIEW_REDRAW;
    }
    fd_id id = ev.ticket_id;
    editor_finish(t, r->editor);
    close_both(t);
    tui_message(t, false, "draft for #%lld discarded", (long long)id);
    return VIEW_HANDLED | VIEW_REDRAW;
}

/* Keys while a question is open go here first. */
static int review_key(struct ui_view *v, struct tui *t, fd_key key)
{
    struct review *r = review_of(v);
    switch (r->state) {
    case REVIEW_CONFIRM_DISCARD:
        if (key == 'y' || key == 'Y')
            return discard(t, r);
        r->state = REVIEW_READY;
        tui_message(t, false, "the draft is kept");
        return VIEW_HANDLED | VIEW_REDRAW;
    case REVIEW_CHECKING:
        if (key == FD_KEY_ESC || key == 'q') {
            r->state = REVIEW_READY;
            tui_message(t, false, "not sent");
        }
        return VIEW_HANDLED | VIEW_REDRAW;
    case REVIEW_COLLISION:
        if (key == 'y' || key == 'Y') {
            queue(t, r, " despite the changes");
        } else if (key == 'e') {
            act_pop(t);
        } else {
            r->state = REVIEW_READY;
            tui_message(t, false, "not sent");
        }
        return VIEW_HANDLED | VIEW_REDRAW;
    case REVIEW_READY:
        break;
    }
    return -1;
}

static int review_handle(struct ui_view *v, struct tui *t, enum fd_action action)
{
    struct review *r = review_of(v);
    switch (action) {
    case FD_ACTION_SEND:
        start_send(t, r);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_EDIT:
    case FD_ACTION_BACK:
    case FD_ACTION_CANCEL:
        act_pop(t);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_EXTERNAL_EDITOR:
        editor_external(t, r->editor);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_POSTPONE: {
        struct editor_view ev;
        editor_describe(r->editor, &ev);
        fd_id id = ev.ticket_id;
        if (editor_save(t, r->editor) == 0) {
            close_both(t);
            tui_message(t, false, "draft for #%lld kept for later (r or N reopens it)",
                        (long long)id);
        }
        return VIEW_HANDLED | VIEW_REDRAW;
    }
    case FD_ACTION_DISCARD:
        r->state = REVIEW_CONFIRM_DISCARD;
        tui_message(t, true, "discard this draft for good? y discards it, any other key keeps it");
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_SCROLL_DOWN:
    case FD_ACTION_MOVE_DOWN:
        r->top++;
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_SCROLL_UP:
    case FD_ACTION_MOVE_UP:
        if (r->top > 0)
            r->top--;
        return VIEW_HANDLED | VIEW_REDRAW;
    default:
        return 0;
    }
}

static int review_event(struct ui_view *v, struct tui *t, const struct fd_event *ev)
{
    struct review *r = review_of(v);
    if (r->state != REVIEW_CHECKING)
        return 0;
    struct editor_view e;
    editor_describe(r->editor, &e);
    if (ev->type == FD_EVENT_TICKET_REFRESHED && ev->u.ticket_id == e.ticket_id) {
        char *what = NULL;
        bool changed = editor_collision(t, r->editor, &what);
        log_debug("review", "check of #%lld: %s", (long long)e.ticket_id,
                  changed ? (what ? what : "changed") : "unchanged");
        if (changed) {
            free(r->collision);
            r->collision = what ? what : strdup("the ticket changed (details unknown)");
            r->state = REVIEW_COLLISION;
            editor_rebase(t, r->editor);
            tui_message(t, true, "someone else changed #%lld: y sends anyway, e edits, n waits",
                        (long long)e.ticket_id);
        } else {
            free(what);
            queue(t, r, NULL);
        }
        return VIEW_REDRAW;
    }
    if (ev->type == FD_EVENT_OFFLINE || ev->type == FD_EVENT_ERROR) {
        queue(t, r, " — offline, so it could not be checked; it is sent when the link returns");
        return VIEW_REDRAW;
    }
    return 0;
}

static void draw_lines(int y, int h, int w, const char *clean, enum ui_color c, size_t skip)
{
    struct text_lines lines;
    if (h <= 0 || text_wrap(clean, w, &lines) != 0)
        return;
    for (size_t i = skip; i < lines.count && (int)(i - skip) < h; i++) {
        draw_set(c);
        draw_clean(y + (int)(i - skip), 0, w, lines.lines[i]);
    }
    draw_set(UI_NORMAL);
    text_lines_free(&lines);
}

static void review_draw(struct ui_view *v, struct tui *t, const struct rect *area, bool focused)
{
    struct review *r = review_of(v);
    struct editor_view e;
    editor_describe(r->editor, &e);
    int w = area->w, y = area->y;
    char line[1024];
    enum ui_color c = e.kind == DRAFT_REPLY ? UI_AGENT : e.is_public ? UI_CUSTOMER : UI_NOTE;
    snprintf(line, sizeof line, " REVIEW — %s — #%lld %s",
             e.kind == DRAFT_REPLY ? "PUBLIC REPLY to the customer"
             : e.is_public         ? "PUBLIC NOTE (the customer can see it)"
                                   : "PRIVATE NOTE (agents only)",
             (long long)e.ticket_id, e.subject);
    draw_blank(area->y, 0, area->h, w);
    draw_set(c);
    if (c != UI_NOTE)
        attron(A_REVERSE | A_BOLD);
    draw_text(y, 0, w, line, TEXT_ALIGN_LEFT);
    draw_set(UI_NORMAL);
    if (e.kind == DRAFT_REPLY)
        snprintf(line, sizeof line, "To: %s   CC: %s   BCC: %s", e.to[0] ? e.to : "(requester)",
                 e.cc[0] ? e.cc : "-", e.bcc[0] ? e.bcc : "-");
    else
        snprintf(line, sizeof line, "%s", e.is_public ? "Visible to the requester" : "Agents only");
    draw_text(y + 1, 0, w, line, TEXT_ALIGN_LEFT);
    char attached[1024] = "── this is what will be sent ──";
    for (size_t i = 0; i < e.attachment_count; i++) {
        size_t used = i ? strlen(attached) : 0;
        const char *slash = strrchr(e.attachments[i], '/');
        snprintf(attached + used, sizeof attached - used, "%s%s",
                 i ? ", " : "Attached: ", slash ? slash + 1 : e.attachments[i]);
    }
    int body_y = y + 3, body_h = area->h - 4;
    if (r->state == REVIEW_COLLISION && r->collision) {
        draw_set(UI_ERROR);
        draw_clean(y + 2, 0, w, "SOMEONE ELSE CHANGED THIS TICKET SINCE YOU OPENED IT:");
        char *clean = text_sanitize(r->collision, (size_t)-1, TEXT_MULTI_LINE);
        draw_lines(body_y, body_h / 2, w, clean ? clean : "", UI_ERROR, 0);
        free(clean);
        body_y += body_h / 2;
        body_h -= body_h / 2;
    } else {
        draw_set(UI_DIM);
        if (r->state == REVIEW_CHECKING)
            draw_clean(y + 2, 0, w, "checking the ticket for changes…");
        else
            draw_text(y + 2, 0, w, attached, TEXT_ALIGN_LEFT); /* file names: sanitised */
        draw_set(UI_NORMAL);
    }
    char *clean = text_sanitize(e.text, (size_t)-1, TEXT_MULTI_LINE);
    draw_lines(body_y, body_h, w, clean ? clean : "", UI_NORMAL, r->top);
    free(clean);
    char hint[512], a[40], b[40], d[40], f[40], g[40];
    if (r->state == REVIEW_COLLISION)
        snprintf(hint, sizeof hint, " y send anyway │ e edit │ n not now");
    else if (r->state == REVIEW_CONFIRM_DISCARD)
        snprintf(hint, sizeof hint, " y discard the draft │ any other key keeps it");
    else
        snprintf(hint, sizeof hint,
                 " %s send │ %s edit │ %s external editor │ %s postpone (keep draft) │ %s discard",
                 act_keys(t, FD_CTX_REVIEW, FD_ACTION_SEND, a, sizeof a),
                 act_keys(t, FD_CTX_REVIEW, FD_ACTION_EDIT, b, sizeof b),
                 act_keys(t, FD_CTX_REVIEW, FD_ACTION_EXTERNAL_EDITOR, d, sizeof d),
                 act_keys(t, FD_CTX_REVIEW, FD_ACTION_POSTPONE, f, sizeof f),
                 act_keys(t, FD_CTX_REVIEW, FD_ACTION_DISCARD, g, sizeof g));
    draw_set(UI_STATUSBAR);
    draw_clean(area->y + area->h - 1, 0, w, hint);
    draw_set(UI_NORMAL);
}

static int review_noop_open(struct ui_view *v, struct tui *t)
{
    return 0;
}

static void review_close(struct ui_view *v)
{
    struct review *r = v->data;
    if (!r)
        return;
    free(r->collision);
    free(r);
    v->data = NULL;
}

static const struct view_ops review_view_ops = {
    .name = "review",
    .context = FD_CTX_REVIEW,
    .open = review_noop_open,
    .draw = review_draw,
    .handle = review_handle,
    .on_event = review_event,
    .close = review_close,
};

static const struct overlay_ops review_overlay = {
    .view = &review_view_ops,
    .key = review_key,
    .full_screen = true,
};

int review_open(struct tui *t, struct editor *e)
{
    struct review *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->editor = e;
    return act_push(t, &review_overlay, r);
}
