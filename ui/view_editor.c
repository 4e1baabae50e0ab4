/* view_editor.c: the reply and note editor. The text lives in an editbuf
 * (src/editbuf.h: UTF-8 graphemes, words, undo, soft wrap); this file only
 * maps actions onto it, draws it, and keeps the draft on disk: a change
 * starts a save that happens within a second (the loop's poll timeout is set
 * only while something is unsaved, so an idle editor costs nothing), and
 * closing for any reason saves at once.
 *
 * The first row says loudly what is being written: PUBLIC REPLY (goes to the
 * customer) on a green bar, PRIVATE NOTE (agents only) on a yellow one, or
 * PUBLIC NOTE; switching is an explicit key. The last row always says how to
 * finish (the review screen) and how to cancel. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"
#include "ui/picker.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "src/collision.h"
#include "src/compose.h"
#include "src/editbuf.h"
#include "src/outbox.h"

#define EDITOR_MAX_ATTACHMENTS 16

struct editor {
    fd_id ticket_id;
    struct compose c; /* the text, CC/BCC, kind and its draft (src/compose.h) */
    char *attachments[EDITOR_MAX_ATTACHMENTS];
    size_t attachment_count;
    char to[256], subject[256];
    struct collision_snapshot snap;
    bool snap_pending; /* the conversations were not cached when it opened */
    bool finished;     /* sent or discarded: nothing to save on close */
    size_t top;        /* first display row shown */
    int text_rows;
    int width;
    char banner[600];
    bool banner_error;
};

static const struct overlay_ops editor_overlay;
static const struct view_ops editor_view_ops;

struct editor *editor_of(struct ui_view *v)
{
    return v && v->ops == &editor_view_ops ? v->data : NULL;
}

static void touch(struct editor *e)
{
    compose_touch(&e->c, state_now_ms());
}

static bool text_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t')
            return false;
    return true;
}

int editor_save(struct tui *t, struct editor *e)
{
    if (!e->c.dirty_since || e->finished)
        return 0;
    /* Everything deleted: nothing worth keeping. */
    int rc = text_blank(e->c.buf.text) ? compose_discard(&e->c, t->state)
                                       : compose_save(&e->c, t->state);
    if (rc != 0)
        tui_message(t, true, "cannot save the draft to the state database");
    return rc;
}

/* ---- opening ---- */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static void take_ticket(struct tui *t, struct editor *e)
{
    struct store_ticket_detail d;
    if (store_get_ticket(t->store, e->ticket_id, &d) != 1)
        return;
    const struct fd_contact *rq = d.ticket.requester;
    if (rq)
        snprintf(e->to, sizeof e->to, "%s <%s>", or_empty(rq->name), or_empty(rq->email));
    snprintf(e->subject, sizeof e->subject, "%s", or_empty(d.ticket.subject));
    collision_snapshot_take(&e->snap, &d.ticket, d.conversations, d.conversation_count);
    if (d.conversations_for == 0) {
        e->snap_pending = true;
        jobs_push_conversations(t->jobs, e->ticket_id, JOB_INTERACTIVE);
    }
    store_ticket_detail_clear(&d);
}

/* True when the outbox already holds this text for the ticket (sent but not
 * yet confirmed): restoring it would invite a second send. */
static bool waiting_in_outbox(struct tui *t, fd_id ticket_id, const char *body)
{
    struct outbox_item *items = NULL;
    size_t n = 0;
    bool found = false;
    if (outbox_list(t->state, &items, &n) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (items[i].ticket_id == ticket_id && items[i].state != OUTBOX_FAILED &&
            (items[i].kind == OUTBOX_REPLY || items[i].kind == OUTBOX_NOTE) &&
            strcmp(items[i].text, body) == 0)
            found = true;
    outbox_items_free(items, n);
    return found;
}

static char *signature_text(struct tui *t)
{
    struct fd_agent me = {0};
    char *sig = NULL;
    if (store_get_me(t->store, &me) == 1 && me.signature_html && !text_blank(me.signature_html))
        sig = compose_signature(me.signature_html, true);
    else if (t->cfg->signature && *t->cfg->signature)
        sig = compose_signature(t->cfg->signature, false);
    model_agent_clear(&me);
    if (sig && !*sig) {
        free(sig);
        sig = NULL;
    }
    return sig;
}

/* Says that a saved draft came back, or hides one that is already waiting
 * in the outbox. */
static void after_restore(struct tui *t, struct editor *e)
{
    if (!e->c.restored)
        return;
    if (waiting_in_outbox(t, e->ticket_id, e->c.buf.text)) {
        editbuf_set_text(&e->c.buf, "");
        e->c.restored = false;
        snprintf(e->banner, sizeof e->banner,
                 "your last %s to this ticket is waiting in the outbox; this is a new one",
                 e->c.kind == DRAFT_NOTE ? "note" : "reply");
        return;
    }
    char when[32];
    time_t tt = (time_t)(e->c.restored_at / 1000);
    struct tm tm;
    localtime_r(&tt, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    snprintf(e->banner, sizeof e->banner, "restored your draft of %s", when);
}

int editor_open(struct tui *t, fd_id id, enum draft_kind kind, const char *error)
{
    if (!id) {
        tui_message(t, false, "no ticket selected");
        return -1;
    }
    if (!t->state) {
        tui_message(t, true,
                    "the state database could not be opened, so nothing written here "
                    "could be kept: see the message at start-up");
        return -1;
    }
    struct editor *e = calloc(1, sizeof *e);
    if (!e || compose_open(&e->c, t->state, id, kind) != 0) {
        free(e);
        tui_message(t, true, "cannot open the draft of #%lld", (long long)id);
        return -1;
    }
    e->ticket_id = id;
    take_ticket(t, e);
    after_restore(t, e);
    if (!e->c.restored) {
        char *sig = kind == DRAFT_REPLY ? signature_text(t) : NULL;
        if (sig) {
            char *start = malloc(strlen(sig) + 2);
            if (start) {
                snprintf(start, strlen(sig) + 2, "\n%s", sig);
                editbuf_set_text(&e->c.buf, start);
                editbuf_top(&e->c.buf);
                free(start);
            }
            free(sig);
        }
    }
    if (error && *error) {
        snprintf(e->banner, sizeof e->banner, "the server refused it: %s", error);
        e->banner_error = true;
    }
    if (act_push(t, &editor_overlay, e) != 0)
        return -1;
    /* Bracketed paste: a paste arrives as one insertion, not as typed keys. */
    ssize_t w = write(STDOUT_FILENO, "\033[?2004h", 8);
    (void)w;
    return 0;
}

void editor_finish(struct tui *t, struct editor *e)
{
    e->finished = true;
}

int editor_queue(struct tui *t, struct editor *e, int64_t *item, char *err, size_t errsize)
{
    return compose_queue(&e->c, t->state, (const char *const *)e->attachments, e->attachment_count,
                         item, err, errsize);
}

int editor_discard(struct tui *t, struct editor *e)
{
    return compose_discard(&e->c, t->state);
}

void editor_describe(struct editor *e, struct editor_view *out)
{
    out->ticket_id = e->ticket_id;
    out->kind = e->c.kind;
    out->is_public = e->c.kind == DRAFT_REPLY || e->c.is_public;
    out->text = e->c.buf.text;
    out->cc = e->c.kind == DRAFT_REPLY ? or_empty(e->c.cc) : "";
    out->bcc = e->c.kind == DRAFT_REPLY ? or_empty(e->c.bcc) : "";
    out->attachments = (const char *const *)e->attachments;
    out->attachment_count = e->attachment_count;
    out->to = e->to;
    out->subject = e->subject;
}

static const char *names_agent(fd_id id, void *data)
{
    return tui_agent_name(data, id);
}

static const char *names_status(int status, void *data)
{
    return model_status_name(status);
}

void editor_rebase(struct tui *t, struct editor *e)
{
    struct store_ticket_detail d;
    if (store_get_ticket(t->store, e->ticket_id, &d) == 1) {
        collision_snapshot_take(&e->snap, &d.ticket, d.conversations, d.conversation_count);
        store_ticket_detail_clear(&d);
    }
}

bool editor_collision(struct tui *t, struct editor *e, char **what)
{
    struct store_ticket_detail d;
    *what = NULL;
    if (store_get_ticket(t->store, e->ticket_id, &d) != 1)
        return false;
    struct collision_names names = {.agent = names_agent, .status = names_status, .data = t};
    /* The agent's own replies and notes (sent through fdesk, maybe from
     * another screen a moment ago) are not someone else's: leave them out,
     * and the updated_at they moved with them. */
    size_t n = 0, own_new = 0;
    struct fd_conversation *others =
        d.conversation_count ? calloc(d.conversation_count, sizeof *others) : NULL;
    for (size_t i = 0; i < d.conversation_count; i++) {
        const struct fd_conversation *c = &d.conversations[i];
        if (others && t->state && outbox_is_own_conversation(t->state, c) == 1) {
            own_new += c->id > e->snap.last_conversation_id;
            continue;
        }
        if (others)
            others[n] = *c; /* borrowed: freed once, with d */
        n++;
    }
    if (own_new)
        d.ticket.updated_at = e->snap.updated_at;
    bool changed = collision_describe(&e->snap, &d.ticket, others ? others : d.conversations,
                                      others ? n : d.conversation_count, &names, what);
    free(others);
    store_ticket_detail_clear(&d);
    return changed;
}

/* ---- external editor ---- */

bool editor_external(struct tui *t, struct editor *e)
{
    char err[512] = "";
    act_terminal_leave(t);
    int rc = editbuf_run_editor(&e->c.buf, NULL, t->cfg->state_dir, err, sizeof err);
    act_terminal_enter(t);
    if (rc == 1) {
        touch(e);
        editor_save(t, e);
        tui_message(t, false, "text taken from the editor");
        return true;
    }
    tui_message(t, true, "%s", err[0] ? err : "the editor failed; your text is unchanged");
    return false;
}

/* ---- questions ---- */

static void cc_done(struct tui *t, void *data, const struct picker_item *chosen, const char *typed)
{
    struct ui_view *top = act_below(t, NULL);
    struct editor *e = editor_of(top);
    if (!e || !typed)
        return;
    char **field = (intptr_t)data ? &e->c.bcc : &e->c.cc;
    free(*field);
    *field = strdup(typed);
    touch(e);
}

static void ask_cc(struct tui *t, struct editor *e, bool bcc)
{
    if (e->c.kind != DRAFT_REPLY) {
        tui_message(t, false, "CC and BCC are for public replies (Ctrl-T switches)");
        return;
    }
    struct picker_spec spec = {.title = bcc ? "BCC (comma-separated addresses; empty for none)"
                                            : "CC (comma-separated addresses; empty for none)",
                               .free_text = true,
                               .initial = bcc ? e->c.bcc : e->c.cc,
                               .done = cc_done,
                               .data = (void *)(intptr_t)bcc};
    picker_open(t, &spec);
}

static int64_t attachments_size(struct editor *e)
{
    int64_t total = 0;
    struct stat st;
    for (size_t i = 0; i < e->attachment_count; i++)
        if (stat(e->attachments[i], &st) == 0)
            total += st.st_size;
    return total;
}

static void attach_done(struct tui *t, void *data, const struct picker_item *chosen,
                        const char *typed)
{
    struct editor *e = editor_of(act_below(t, NULL));
    struct stat st;
    if (!e || !typed || !*typed)
        return;
    char path[4096];
    if (typed[0] == '~' && typed[1] == '/' && getenv("HOME"))
        snprintf(path, sizeof path, "%s/%s", getenv("HOME"), typed + 2);
    else
        snprintf(path, sizeof path, "%s", typed);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || access(path, R_OK) != 0) {
        tui_message(t, true, "cannot attach %s: %s", path,
                    errno ? strerror(errno) : "not a readable file");
        return;
    }
    if (e->attachment_count >= EDITOR_MAX_ATTACHMENTS) {
        tui_message(t, true, "at most %d attachments", EDITOR_MAX_ATTACHMENTS);
        return;
    }
    int64_t total = attachments_size(e) + st.st_size;
    if (total > OUTBOX_MAX_ATTACHMENT_BYTES) {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        tui_message(t, true, "over the 20 MB limit: with %s the attachments would be %.1f MB", base,
                    (double)total / (1024.0 * 1024.0));
        return;
    }
    e->attachments[e->attachment_count++] = strdup(path);
    tui_message(t, false, "attached %s (%lld KB in all)", path, (long long)((total + 1023) / 1024));
}

static void ask_attachment(struct tui *t)
{
    struct picker_spec spec = {
        .title = "Attach a file (path; 20 MB in all)", .free_text = true, .done = attach_done};
    picker_open(t, &spec);
}

/* ---- inserting ---- */

static void insert_text(struct editor *e, const char *s)
{
    if (s && *s) {
        editbuf_paste(&e->c.buf, s, strlen(s));
        touch(e);
    }
}

static void insert_quote(struct tui *t, struct editor *e)
{
    struct store_ticket_detail d;
    if (store_get_ticket(t->store, e->ticket_id, &d) != 1) {
        tui_message(t, true, "the ticket is not in the cache");
        return;
    }
    long i = compose_last_customer_message(d.conversations, d.conversation_count);
    const struct fd_contact *rq = d.ticket.requester;
    const char *author = rq ? (rq->name ? rq->name : rq->email) : NULL;
    char *quote;
    if (i >= 0)
        quote = compose_quote(author, d.conversations[i].created_at,
                              or_empty(d.conversations[i].body_text));
    else
        quote = compose_quote(author, d.ticket.created_at, or_empty(d.ticket.description_text));
    store_ticket_detail_clear(&d);
    if (quote) {
        char *q = malloc(strlen(quote) + 3);
        if (q) {
            snprintf(q, strlen(quote) + 3, "%s\n\n", quote);
            insert_text(e, q);
            free(q);
        }
        free(quote);
    }
}

static void switch_kind(struct tui *t, struct editor *e)
{
    /* reply -> private note -> public note -> reply */
    if (e->c.kind == DRAFT_REPLY) {
        if (compose_switch_kind(&e->c, t->state, DRAFT_NOTE) != 0)
            tui_message(t, true, "cannot move the draft");
    } else if (!e->c.is_public) {
        e->c.is_public = true;
        touch(e);
    } else if (compose_switch_kind(&e->c, t->state, DRAFT_REPLY) != 0) {
        tui_message(t, true, "cannot move the draft");
    }
    tui_message(t, false, "now a %s",
                e->c.kind == DRAFT_REPLY ? "PUBLIC REPLY: it goes to the customer"
                : e->c.is_public         ? "PUBLIC NOTE: the customer can see it in the portal"
                                         : "PRIVATE NOTE: only agents see it");
}

/* ---- keys ---- */

static int move_action(struct editor *e, enum fd_action action)
{
    int w = e->width > 0 ? e->width : 80;
    switch (action) {
    case FD_ACTION_CURSOR_LEFT:
        editbuf_left(&e->c.buf);
        break;
    case FD_ACTION_CURSOR_RIGHT:
        editbuf_right(&e->c.buf);
        break;
    case FD_ACTION_CURSOR_UP:
        editbuf_row_up(&e->c.buf, w);
        break;
    case FD_ACTION_CURSOR_DOWN:
        editbuf_row_down(&e->c.buf, w);
        break;
    case FD_ACTION_WORD_LEFT:
        editbuf_word_left(&e->c.buf);
        break;
    case FD_ACTION_WORD_RIGHT:
        editbuf_word_right(&e->c.buf);
        break;
    case FD_ACTION_LINE_START:
        editbuf_home(&e->c.buf);
        break;
    case FD_ACTION_LINE_END:
        editbuf_end(&e->c.buf);
        break;
    case FD_ACTION_PAGE_UP:
    case FD_ACTION_PAGE_DOWN:
        for (int i = 0; i < (e->text_rows > 1 ? e->text_rows - 1 : 1); i++) {
            if (action == FD_ACTION_PAGE_UP)
                editbuf_row_up(&e->c.buf, w);
            else
                editbuf_row_down(&e->c.buf, w);
        }
        break;
    default:
        return 0;
    }
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int edit_action(struct editor *e, enum fd_action action)
{
    int r;
    switch (action) {
    case FD_ACTION_DELETE_BACK:
        r = editbuf_backspace(&e->c.buf);
        break;
    case FD_ACTION_DELETE_FORWARD:
        r = editbuf_delete(&e->c.buf);
        break;
    case FD_ACTION_DELETE_WORD_BACK:
        r = editbuf_delete_word_before(&e->c.buf);
        break;
    case FD_ACTION_KILL_LINE:
        r = editbuf_kill_to_line_end(&e->c.buf);
        break;
    case FD_ACTION_NEWLINE:
        r = editbuf_insert(&e->c.buf, "\n", 1) == 0;
        break;
    case FD_ACTION_UNDO:
        r = editbuf_undo(&e->c.buf);
        break;
    default:
        return 0;
    }
    if (r > 0)
        touch(e);
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int cancel(struct tui *t, struct editor *e)
{
    editor_save(t, e);
    bool kept = !text_blank(e->c.buf.text);
    fd_id id = e->ticket_id;
    act_pop(t);
    if (kept)
        tui_message(t, false, "draft kept for #%lld — %s reopens it", (long long)id,
                    "r or N on the ticket");
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int editor_handle(struct ui_view *v, struct tui *t, enum fd_action action)
{
    struct editor *e = v->data;
    int flags = move_action(e, action);
    if (flags)
        return flags;
    if ((flags = edit_action(e, action)) != 0)
        return flags;
    switch (action) {
    case FD_ACTION_FINISH:
        if (text_blank(e->c.buf.text)) {
            tui_message(t, true, "nothing to send yet");
            return VIEW_HANDLED | VIEW_REDRAW;
        }
        editor_save(t, e);
        review_open(t, e);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_CANCEL:
    case FD_ACTION_BACK:
        return cancel(t, e);
    case FD_ACTION_EXTERNAL_EDITOR:
        editor_external(t, e);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_TOGGLE_PUBLIC:
        switch_kind(t, e);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_EDIT_CC:
    case FD_ACTION_EDIT_BCC:
        ask_cc(t, e, action == FD_ACTION_EDIT_BCC);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_INSERT_QUOTE:
        insert_quote(t, e);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_INSERT_SIGNATURE: {
        char *sig = signature_text(t);
        if (sig)
            insert_text(e, sig);
        else
            tui_message(t, false,
                        "no signature: set one in your Freshdesk profile or "
                        "`signature =` in the config");
        free(sig);
        return VIEW_HANDLED | VIEW_REDRAW;
    }
    case FD_ACTION_CANNED:
        act_canned_picker(t, e->ticket_id, e);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_ATTACH_FILE:
        ask_attachment(t);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_QUIT:
    case FD_ACTION_REDRAW:
    case FD_ACTION_SUSPEND:
    case FD_ACTION_HELP:
        return 0; /* the generic ones */
    default:
        return VIEW_HANDLED;
    }
}

static int editor_text(struct ui_view *v, struct tui *t, fd_key key)
{
    struct editor *e = v->data;
    char u[8];
    size_t n = 0;
    uint32_t c = key;
    if (c < 0x80)
        u[n++] = (char)c;
    else if (c < 0x800) {
        u[n++] = (char)(0xC0 | (c >> 6));
        u[n++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        u[n++] = (char)(0xE0 | (c >> 12));
        u[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[n++] = (char)(0x80 | (c & 0x3F));
    } else {
        u[n++] = (char)(0xF0 | (c >> 18));
        u[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[n++] = (char)(0x80 | (c & 0x3F));
    }
    if (editbuf_insert(&e->c.buf, u, n) == 0)
        touch(e);
    return VIEW_HANDLED | VIEW_REDRAW;
}

static void editor_paste(struct ui_view *v, struct tui *t, const char *s, size_t n)
{
    struct editor *e = v->data;
    if (editbuf_paste(&e->c.buf, s, n) == 0)
        touch(e);
    t->need_paint = true;
}

static int editor_timeout(struct ui_view *v, struct tui *t)
{
    struct editor *e = v->data;
    if (e->finished)
        return -1;
    long ms = compose_autosave_in(&e->c, state_now_ms());
    return ms < 0 ? -1 : (int)ms + 1;
}

static void editor_tick(struct ui_view *v, struct tui *t)
{
    struct editor *e = v->data;
    if (!e->finished && compose_autosave_in(&e->c, state_now_ms()) == 0)
        editor_save(t, e);
}

/* ---- drawing ---- */

static void draw_bar(struct tui *t, struct editor *e, int y, int w)
{
    char bar[512];
    enum ui_color c;
    if (e->c.kind == DRAFT_REPLY) {
        snprintf(bar, sizeof bar, " PUBLIC REPLY — goes to the customer — #%lld %s",
                 (long long)e->ticket_id, e->subject);
        c = UI_AGENT;
    } else if (e->c.is_public) {
        snprintf(bar, sizeof bar, " PUBLIC NOTE — the customer can see it — #%lld %s",
                 (long long)e->ticket_id, e->subject);
        c = UI_CUSTOMER;
    } else {
        snprintf(bar, sizeof bar, " PRIVATE NOTE — only agents see it — #%lld %s",
                 (long long)e->ticket_id, e->subject);
        c = UI_NOTE;
    }
    draw_set(c);
    attron(A_REVERSE | A_BOLD);
    if (c == UI_NOTE)
        attroff(A_REVERSE); /* already black on yellow */
    draw_text(y, 0, w, bar, TEXT_ALIGN_LEFT);
    draw_set(UI_NORMAL);
}

/* Draws the header line and the banner (a restored draft, the server's
 * refusal with its field errors: wrapped over up to 3 rows). Returns the
 * number of rows used. */
static int draw_header(struct tui *t, struct editor *e, int y, int w)
{
    char line[1024];
    int n = e->attachment_count
                ? snprintf(line, sizeof line, "[%zu attached] ", e->attachment_count)
                : 0;
    if (e->c.kind == DRAFT_REPLY)
        snprintf(line + n, sizeof line - (size_t)n, "To: %s   CC: %s   BCC: %s",
                 e->to[0] ? e->to : "(requester)", *e->c.cc ? e->c.cc : "-",
                 *e->c.bcc ? e->c.bcc : "-");
    else
        snprintf(line + n, sizeof line - (size_t)n, "%s",
                 e->c.is_public ? "Note visible to the requester in the portal (not emailed)"
                                : "Private: agents only");
    draw_text(y, 0, w, line, TEXT_ALIGN_LEFT);
    draw_set(e->banner_error ? UI_ERROR : UI_DIM);
    int rows = 1;
    char *clean = text_sanitize(e->banner, (size_t)-1, TEXT_SINGLE_LINE);
    struct text_lines lines;
    if (clean && *clean && text_wrap(clean, w, &lines) == 0) {
        rows = lines.count < 1 ? 1 : (lines.count > 3 ? 3 : (int)lines.count);
        for (int i = 0; i < rows; i++)
            draw_clean(y + 1 + i, 0, w, (size_t)i < lines.count ? lines.lines[i] : "");
        text_lines_free(&lines);
    } else {
        draw_clear_to_eol(y + 1, 0);
    }
    free(clean);
    draw_set(UI_NORMAL);
    return 1 + rows;
}

static void draw_hint(struct tui *t, int y, int w)
{
    char hint[512], a[48], b[48], c[48], d[48], f[48];
    snprintf(hint, sizeof hint,
             " %s finish (review) │ %s cancel (keeps the draft) │ %s public/private │ %s editor │ "
             "%s canned",
             act_keys(t, FD_CTX_EDITOR, FD_ACTION_FINISH, a, sizeof a),
             act_keys(t, FD_CTX_EDITOR, FD_ACTION_CANCEL, b, sizeof b),
             act_keys(t, FD_CTX_EDITOR, FD_ACTION_TOGGLE_PUBLIC, c, sizeof c),
             act_keys(t, FD_CTX_EDITOR, FD_ACTION_EXTERNAL_EDITOR, d, sizeof d),
             act_keys(t, FD_CTX_EDITOR, FD_ACTION_CANNED, f, sizeof f));
    draw_set(UI_STATUSBAR);
    draw_clean(y, 0, w, hint);
    draw_set(UI_NORMAL);
}

static void editor_draw(struct ui_view *v, struct tui *t, const struct rect *area, bool focused)
{
    struct editor *e = v->data;
    int w = area->w, y0 = area->y;
    draw_bar(t, e, y0, w);
    int top = 1 + draw_header(t, e, y0 + 1, w); /* rows above the text */
    e->text_rows = area->h - top - 1;
    e->width = w > 2 ? w - 1 : 1;
    struct editbuf_layout lay;
    if (e->text_rows <= 0 || editbuf_layout(&e->c.buf, e->width, &lay) != 0)
        return;
    if (lay.cursor_row < e->top)
        e->top = lay.cursor_row;
    if (lay.cursor_row >= e->top + (size_t)e->text_rows)
        e->top = lay.cursor_row - (size_t)e->text_rows + 1;
    for (int i = 0; i < e->text_rows; i++) {
        int y = y0 + top + i;
        size_t r = e->top + (size_t)i;
        draw_clear_to_eol(y, 0);
        if (r < lay.count) {
            char *row = strndup(e->c.buf.text + lay.rows[r].start, lay.rows[r].len);
            if (row) {
                size_t n = strlen(row);
                if (n && row[n - 1] == '\n')
                    row[n - 1] = '\0';
                draw_text(y, 0, e->width, row, TEXT_ALIGN_LEFT);
                free(row);
            }
        } else if (r == lay.count && lay.count == 0) {
            draw_set(UI_DIM);
            draw_clean(y, 0, e->width, "");
            draw_set(UI_NORMAL);
        }
    }
    draw_hint(t, y0 + area->h - 1, w);
    /* The real cursor, placed last (act_paint leaves it here). */
    int cy = y0 + top + (int)(lay.cursor_row - e->top), cx = lay.cursor_col;
    editbuf_layout_free(&lay);
    leaveok(stdscr, FALSE);
    curs_set(1);
    move(cy, cx < w ? cx : w - 1);
}

static int editor_event(struct ui_view *v, struct tui *t, const struct fd_event *ev)
{
    struct editor *e = v->data;
    if (ev->type == FD_EVENT_CONVERSATIONS && ev->u.ticket_id == e->ticket_id && e->snap_pending) {
        /* What the agent sees once the conversation arrived is the baseline. */
        struct store_ticket_detail d;
        if (store_get_ticket(t->store, e->ticket_id, &d) == 1) {
            collision_snapshot_take(&e->snap, &d.ticket, d.conversations, d.conversation_count);
            store_ticket_detail_clear(&d);
        }
        e->snap_pending = false;
    }
    return 0;
}

static int editor_noop_open(struct ui_view *v, struct tui *t)
{
    return 0;
}

static void editor_close(struct ui_view *v)
{
    struct editor *e = v->data;
    if (!e)
        return;
    ssize_t w = write(STDOUT_FILENO, "\033[?2004l", 8);
    (void)w;
    compose_close(&e->c);
    for (size_t i = 0; i < e->attachment_count; i++)
        free(e->attachments[i]);
    free(e);
    v->data = NULL;
}

/* act_free and act_pop call this before close: the draft is saved at once. */
void editor_before_close(struct tui *t, struct ui_view *v);
void editor_before_close(struct tui *t, struct ui_view *v)
{
    struct editor *e = editor_of(v); /* NULL for the other screens */
    if (e)
        editor_save(t, e);
}

static const struct view_ops editor_view_ops = {
    .name = "editor",
    .context = FD_CTX_EDITOR,
    .open = editor_noop_open,
    .draw = editor_draw,
    .handle = editor_handle,
    .on_event = editor_event,
    .close = editor_close,
};

static const struct overlay_ops editor_overlay = {
    .view = &editor_view_ops,
    .text = editor_text,
    .paste = editor_paste,
    .timeout_ms = editor_timeout,
    .tick = editor_tick,
    .full_screen = true,
};
