/* view_list.c: the ticket list. It holds only the rows on screen: every
 * movement reads a window of rows next to a keyset anchor from the store
 * (store_window), so 100,000 cached tickets scroll as fast as 100. The
 * selection follows a ticket id, not a row number, so when the list is
 * refreshed under it (sync, a new sort) the same ticket stays selected.
 *
 * The selected row is shown by a reverse-video marker in the first column
 * rather than a full-width bar (mutt's arrow_cursor, "on slow network or
 * modem links ... less that has to be redrawn"): moving the selection then
 * rewrites two cells instead of two whole rows. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct list_state {
    struct store_query query;
    char search[512];
    struct store_rows rows; /* the visible window, in list order */
    size_t sel;             /* index of the selected row in rows */
    fd_id sel_id;
    int height;
    size_t position; /* 0-based index of the selected row in the whole list */
    size_t count;
    bool position_known;
    bool user_moved; /* until the agent moves, the list stays at its top */
    bool at_top;     /* the window starts at the first row of the list */
    struct layout_column columns[LAYOUT_MAX_COLUMNS];
    size_t column_count;
    int columns_width;
    int64_t data_version;
};

static struct list_state *state_of(struct tui *t)
{
    return t->list.data;
}

static void update_query(struct tui *t, struct list_state *s)
{
    const struct view *v = tui_current_view(t);
    s->query.filter = v ? v->expr : NULL;
    s->query.search = s->search[0] ? s->search : NULL;
}

static int window(struct tui *t, struct list_state *s, const struct store_anchor *a,
                  enum store_direction dir, size_t limit, struct store_rows *out)
{
    memset(out, 0, sizeof *out);
    if (limit == 0)
        return 0;
    if (store_window(t->store, &s->query, a, dir, limit, out) != 0) {
        tui_message(t, true, "cache: %s", store_error(t->store));
        return -1;
    }
    return 0;
}

static void set_rows(struct list_state *s, struct store_rows *rows)
{
    store_rows_clear(&s->rows);
    s->rows = *rows;
    memset(rows, 0, sizeof *rows);
}

static void select_index(struct list_state *s, size_t i)
{
    if (s->rows.count == 0) {
        s->sel = 0;
        s->sel_id = 0;
        return;
    }
    if (i >= s->rows.count)
        i = s->rows.count - 1;
    s->sel = i;
    s->sel_id = s->rows.rows[i].id;
}

/* Loads the screen around anchor a (the row of ticket id) so that it sits at
 * screen row offset when the list allows; fills the screen at the ends. */
static void load_around(struct tui *t, struct list_state *s, const struct store_anchor *a, fd_id id,
                        int offset)
{
    struct store_rows after, before, win;
    int h = s->height > 0 ? s->height : 1;
    if (window(t, s, a, STORE_AFTER, (size_t)h - 1, &after) != 0)
        return;
    int o = offset;
    if (o < h - 1 - (int)after.count)
        o = h - 1 - (int)after.count;
    if (o > h - 1)
        o = h - 1;
    if (o < 0)
        o = 0;
    store_rows_clear(&after);
    if (window(t, s, a, STORE_BEFORE, (size_t)o + 1, &before) != 0)
        return;
    int rc;
    bool from_top = before.count != (size_t)o + 1;
    if (!from_top)
        rc = window(t, s, &before.rows[0].anchor, STORE_AFTER, (size_t)h, &win);
    else
        rc = window(t, s, NULL, STORE_AFTER, (size_t)h, &win);
    s->at_top = from_top;
    store_rows_clear(&before);
    if (rc != 0)
        return;
    set_rows(s, &win);
    for (size_t i = 0; i < s->rows.count; i++)
        if (s->rows.rows[i].id == id) {
            select_index(s, i);
            return;
        }
    select_index(s, (size_t)o);
}

static void refresh_count(struct tui *t, struct list_state *s)
{
    size_t n = 0;
    if (store_count(t->store, &s->query, &n) == 0)
        s->count = n;
    s->position_known = false;
}

static void compute_position(struct tui *t, struct list_state *s)
{
    if (s->position_known || s->rows.count == 0)
        return;
    size_t p = 0;
    if (store_position(t->store, &s->query, &s->rows.rows[s->sel].anchor, &p) == 0) {
        s->position = p;
        s->position_known = true;
    }
}

static void go_first(struct tui *t, struct list_state *s);

/* Reloads the top of the list and selects the same ticket in it. Returns
 * false (nothing changed) when the ticket is no longer in the window. */
static bool reload_top(struct tui *t, struct list_state *s)
{
    struct store_rows win;
    if (window(t, s, NULL, STORE_AFTER, (size_t)(s->height > 0 ? s->height : 1), &win) != 0)
        return false;
    for (size_t i = 0; i < win.count; i++)
        if (win.rows[i].id == s->sel_id) {
            set_rows(s, &win);
            select_index(s, i);
            s->position = i;
            s->position_known = true;
            return true;
        }
    store_rows_clear(&win);
    return false;
}

/* Conversations of the first tickets of the view are fetched at low priority
 * (the engine skips those already current and keeps the agent's headroom),
 * so opening them later is instant. */
#define LIST_PREFETCH 5

static void prefetch_top(struct tui *t, struct list_state *s)
{
    if (!t->jobs || !s->at_top)
        return;
    jobs_clear_prefetch(t->jobs);
    for (size_t i = 0; i < s->rows.count && i < LIST_PREFETCH; i++)
        jobs_push_conversations(t->jobs, s->rows.rows[i].id, JOB_PREFETCH);
}

/* Re-reads the window, keeping the selected ticket (and its screen row). */
static void reload(struct tui *t, struct list_state *s)
{
    struct store_anchor a;
    int offset = (int)s->sel;
    refresh_count(t, s);
    if (!s->user_moved) {
        go_first(t, s);
    } else if (s->at_top && reload_top(t, s)) {
        /* New tickets show up at the top; the selection stays on its ticket. */
    } else if (s->sel_id && store_anchor_for(t->store, s->query.sort, s->sel_id, &a) == 1) {
        load_around(t, s, &a, s->sel_id, offset);
    } else {
        struct store_rows win;
        if (window(t, s, NULL, STORE_AFTER, (size_t)(s->height > 0 ? s->height : 1), &win) == 0)
            set_rows(s, &win);
        select_index(s, 0);
    }
    store_data_version(t->store, &s->data_version);
    prefetch_top(t, s);
}

static void go_first(struct tui *t, struct list_state *s)
{
    struct store_rows win;
    if (window(t, s, NULL, STORE_AFTER, (size_t)s->height, &win) != 0)
        return;
    set_rows(s, &win);
    select_index(s, 0);
    s->position = 0;
    s->position_known = true;
    s->at_top = true;
}

static void go_last(struct tui *t, struct list_state *s)
{
    struct store_rows win;
    if (window(t, s, NULL, STORE_BEFORE, (size_t)s->height, &win) != 0)
        return;
    set_rows(s, &win);
    s->at_top = s->rows.count < (size_t)s->height;
    select_index(s, s->rows.count ? s->rows.count - 1 : 0);
    s->position = s->count ? s->count - 1 : 0;
    s->position_known = true;
}

/* How far the list scrolls when j or k moves the selection past its bottom or
 * top row: by default half a page (scroll_jump = page or a number of rows in
 * the config). Each row that comes into view costs about 100 bytes however it
 * comes, but every scroll adds the scroll itself and the selection's rows:
 * holding j through a long list costs 12% fewer bytes per key scrolling half
 * a page than line by line (BENCHMARKS.md), the way vim's scrolljump and
 * mutt's page-wise menus are meant for slow terminals. */
static int scroll_jump(const struct tui *t, const struct list_state *s)
{
    int h = s->height > 0 ? s->height : 1;
    int setting = t->cfg ? t->cfg->scroll_jump : 0;
    int jump = setting > 0 ? setting : setting < 0 ? h : h / 2;
    if (jump > h)
        jump = h;
    return jump > 0 ? jump : 1;
}

/* Moves the selection by delta rows; keep_offset keeps its screen row (pages). */
static bool move_by(struct tui *t, struct list_state *s, int delta, bool keep_offset)
{
    if (s->rows.count == 0 || delta == 0)
        return false;
    long target = (long)s->sel + delta;
    if (!keep_offset && target >= 0 && target < (long)s->rows.count) {
        select_index(s, (size_t)target);
        s->position += (size_t)delta; /* wraps correctly for negative delta */
        return true;
    }
    struct store_rows ext;
    size_t n = (size_t)(delta > 0 ? delta : -delta);
    const struct store_anchor *from = &s->rows.rows[s->sel].anchor;
    if (window(t, s, from, delta > 0 ? STORE_AFTER : STORE_BEFORE, n, &ext) != 0)
        return false;
    if (ext.count == 0) {
        store_rows_clear(&ext);
        return false;
    }
    struct store_row *pick = delta > 0 ? &ext.rows[ext.count - 1] : &ext.rows[0];
    struct store_anchor a = pick->anchor;
    fd_id id = pick->id;
    int moved = (int)ext.count;
    store_rows_clear(&ext);
    int offset = (int)s->sel;
    if (!keep_offset) {
        /* past the edge by `beyond` rows: scroll at least scroll_jump rows */
        int beyond = delta > 0 ? (int)(target - (s->height - 1)) : (int)-target;
        int extra = scroll_jump(t, s) - beyond;
        if (extra < 0)
            extra = 0;
        offset = delta > 0 ? s->height - 1 - extra : extra;
    }
    load_around(t, s, &a, id, offset);
    if (s->position_known)
        s->position = delta > 0 ? s->position + (size_t)moved : s->position - (size_t)moved;
    return true;
}

/* ---- cells ---- */

static void format_age(fd_time then, fd_time now, char *buf, size_t size)
{
    long d = (long)(now - then);
    if (then == 0)
        snprintf(buf, size, "-");
    else if (d < 60)
        snprintf(buf, size, "now");
    else if (d < 3600)
        snprintf(buf, size, "%ldm", d / 60);
    else if (d < 86400)
        snprintf(buf, size, "%ldh", d / 3600);
    else if (d < 86400 * 60)
        snprintf(buf, size, "%ldd", d / 86400);
    else {
        time_t tt = (time_t)then;
        struct tm tm;
        localtime_r(&tt, &tm);
        strftime(buf, size, "%b%y", &tm);
    }
}

static void format_span(long secs, char *buf, size_t size)
{
    if (secs < 3600)
        snprintf(buf, size, "%ldm", secs / 60 > 0 ? secs / 60 : 1);
    else if (secs < 2 * 86400)
        snprintf(buf, size, "%ldh", secs / 3600);
    else
        snprintf(buf, size, "%ldd", secs / 86400);
}

/* SLA cell: time left until the ticket is due, or how long it is overdue.
 * The first-response deadline counts while a ticket is still open. Returns
 * true when overdue. */
bool list_format_sla(const struct store_row *r, fd_time now, char *buf, size_t size);
bool list_format_sla(const struct store_row *r, fd_time now, char *buf, size_t size)
{
    buf[0] = '\0';
    if (r->status == FD_STATUS_RESOLVED || r->status == FD_STATUS_CLOSED)
        return false;
    fd_time due = r->due_by;
    if (r->status == FD_STATUS_OPEN && r->fr_due_by && !r->fr_escalated &&
        (!due || r->fr_due_by < due))
        due = r->fr_due_by;
    if (!due)
        return false;
    char span[24];
    if (due < now) {
        format_span((long)(now - due), span, sizeof span);
        snprintf(buf, size, "overdue %s", span);
        return true;
    }
    format_span((long)(due - now), span, sizeof span);
    snprintf(buf, size, "%s", span);
    return false;
}

static enum ui_color status_color(int status)
{
    switch (status) {
    case FD_STATUS_OPEN:
        return UI_STATUS_OPEN;
    case FD_STATUS_PENDING:
        return UI_STATUS_PENDING;
    case FD_STATUS_RESOLVED:
    case FD_STATUS_CLOSED:
        return UI_STATUS_DONE;
    default:
        return UI_NORMAL;
    }
}

static enum ui_color priority_color(int priority)
{
    switch (priority) {
    case FD_PRIORITY_URGENT:
        return UI_URGENT;
    case FD_PRIORITY_HIGH:
        return UI_HIGH;
    case FD_PRIORITY_LOW:
        return UI_LOW;
    default:
        return UI_NORMAL;
    }
}

/* Draws one cell; returns its colour. */
static enum ui_color draw_cell(const struct store_row *r, const struct layout_column *c, int y,
                               fd_time now)
{
    char buf[64];
    const char *text = NULL;
    enum ui_color color = UI_NORMAL;
    switch (c->id) {
    case COLUMN_ID:
        return UI_NORMAL; /* drawn with the marker */
    case COLUMN_STATUS:
        text = r->status_label ? r->status_label : model_status_name(r->status);
        if (!text) {
            snprintf(buf, sizeof buf, "%d", r->status);
            text = buf;
        }
        color = status_color(r->status);
        break;
    case COLUMN_PRIORITY:
        text = model_priority_name(r->priority);
        color = priority_color(r->priority);
        break;
    case COLUMN_SLA:
        if (list_format_sla(r, now, buf, sizeof buf))
            color = UI_OVERDUE;
        text = buf;
        break;
    case COLUMN_REQUESTER:
        text = r->requester;
        break;
    case COLUMN_COMPANY:
        text = r->company;
        break;
    case COLUMN_AGENT:
        text = r->agent;
        break;
    case COLUMN_GROUP:
        text = r->group;
        break;
    case COLUMN_UPDATED:
        format_age(r->updated_at, now, buf, sizeof buf);
        text = buf;
        break;
    case COLUMN_CREATED:
        format_age(r->created_at, now, buf, sizeof buf);
        text = buf;
        break;
    case COLUMN_SUBJECT:
        text = r->subject;
        color = UI_NORMAL;
        break;
    case COLUMN_COUNT:
        break;
    }
    draw_set(color);
    draw_text(y, c->x, c->shown, text ? text : "", TEXT_ALIGN_LEFT);
    return color;
}

static void draw_row(struct list_state *s, const struct store_row *r, int y, bool selected,
                     bool focused, fd_time now)
{
    char id[32];
    for (size_t i = 0; i < s->column_count; i++) {
        const struct layout_column *c = &s->columns[i];
        enum ui_color color = UI_NORMAL;
        if (!c->shown)
            continue;
        if (c->id == COLUMN_ID) {
            draw_set(selected && focused ? UI_SELECTED : (selected ? UI_BOLD : UI_NORMAL));
            draw_clean(y, c->x, 1, selected ? ">" : " ");
            snprintf(id, sizeof id, "%lld", (long long)r->id);
            draw_set(UI_NORMAL);
            if (c->shown > 1)
                draw_clean(y, c->x + 1, c->shown - 1, id);
        } else {
            color = draw_cell(r, c, y, now);
        }
        /* The blank between two coloured cells keeps the first one's colour:
         * no switch back to normal and out again on the terminal. */
        draw_set_blank_after(color);
        if (c->x + c->shown < COLS)
            mvaddch(y, c->x + c->shown, ' ');
    }
    draw_clear_to_eol(y, COLS - 1 > 0 ? COLS - 1 : 0);
}

static void draw_header(struct list_state *s, int y)
{
    draw_set(UI_HEADER);
    for (size_t i = 0; i < s->column_count; i++) {
        const struct layout_column *c = &s->columns[i];
        if (!c->shown)
            continue;
        draw_clean(y, c->x, c->shown + 1 < COLS - c->x ? c->shown + 1 : COLS - c->x,
                   c->id == COLUMN_ID ? " #" : layout_column_title(c->id));
    }
    draw_set(UI_NORMAL);
}

static void list_draw(struct ui_view *v, struct tui *t, const struct rect *area, bool focused)
{
    struct list_state *s = v->data;
    if (s->columns_width != area->w) {
        layout_columns(s->columns, s->column_count, 0, area->w);
        s->columns_width = area->w;
    }
    draw_header(s, t->layout.list_header.y);
    fd_time now = (fd_time)time(NULL);
    for (int i = 0; i < area->h; i++) {
        int y = area->y + i;
        if ((size_t)i < s->rows.count) {
            struct store_row shown = s->rows.rows[i];
            act_overlay_row(t, &shown); /* changes not in the cache yet (ui/act_overlay.c) */
            draw_row(s, &shown, y, (size_t)i == s->sel, focused, now);
            if ((size_t)i != s->sel && act_is_marked(t, s->rows.rows[i].id)) {
                draw_set(UI_BOLD);
                mvaddch(y, 0, '*'); /* marked for a bulk change (ui/act.c) */
                draw_set(UI_NORMAL);
            }
        } else {
            draw_clear_to_eol(y, 0);
            if (i == 0 && s->rows.count == 0) {
                draw_set(UI_DIM);
                draw_clean(y, 1, area->w - 1,
                           s->search[0]                        ? "no ticket matches the search"
                           : t->sync_state.first_sync_complete ? "no tickets in this view"
                                                               : "waiting for the first sync…");
                draw_set(UI_NORMAL);
            }
        }
    }
}

/* ---- actions ---- */

static int open_selected(struct tui *t, struct list_state *s, enum layout_mode mode)
{
    if (!s->sel_id) {
        tui_message(t, false, "no ticket selected");
        return VIEW_HANDLED | VIEW_REDRAW;
    }
    t->mode = mode;
    t->focus_detail = mode == LAYOUT_DETAIL;
    tui_relayout(t);
    detail_show(t, s->sel_id);
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int sort_action(struct tui *t, enum fd_action action)
{
    switch (action) {
    case FD_ACTION_SORT_CYCLE:
        return list_set_sort(t, (list_sort(t) + 1) % STORE_SORT_COUNT);
    case FD_ACTION_SORT_BY_UPDATED:
        return list_set_sort(t, STORE_SORT_UPDATED);
    case FD_ACTION_SORT_BY_CREATED:
        return list_set_sort(t, STORE_SORT_CREATED);
    case FD_ACTION_SORT_BY_DUE:
        return list_set_sort(t, STORE_SORT_DUE);
    case FD_ACTION_SORT_BY_PRIORITY:
        return list_set_sort(t, STORE_SORT_PRIORITY);
    case FD_ACTION_SORT_BY_STATUS:
        return list_set_sort(t, STORE_SORT_STATUS);
    case FD_ACTION_SORT_REVERSE:
        return list_reverse_sort(t);
    default:
        return -1;
    }
}

static int list_handle(struct ui_view *v, struct tui *t, enum fd_action action)
{
    struct list_state *s = v->data;
    int page = s->height > 1 ? s->height : 1;
    const int done = VIEW_HANDLED | VIEW_REDRAW;
    s->user_moved = true;
    switch (action) {
    case FD_ACTION_MOVE_DOWN:
        move_by(t, s, 1, false);
        break;
    case FD_ACTION_MOVE_UP:
        move_by(t, s, -1, false);
        break;
    case FD_ACTION_PAGE_DOWN:
        if (!move_by(t, s, page, true))
            select_index(s, s->rows.count ? s->rows.count - 1 : 0), s->position_known = false;
        break;
    case FD_ACTION_PAGE_UP:
        if (!move_by(t, s, -page, true))
            select_index(s, 0), s->position_known = false;
        break;
    case FD_ACTION_HALF_PAGE_DOWN:
        move_by(t, s, page / 2 > 0 ? page / 2 : 1, true);
        break;
    case FD_ACTION_HALF_PAGE_UP:
        move_by(t, s, -(page / 2 > 0 ? page / 2 : 1), true);
        break;
    case FD_ACTION_FIRST:
        go_first(t, s);
        break;
    case FD_ACTION_LAST:
        go_last(t, s);
        break;
    case FD_ACTION_OPEN:
        return open_selected(t, s, LAYOUT_DETAIL);
    case FD_ACTION_TOGGLE_SPLIT:
        /* split <-> full-screen detail, as the action says; q closes the split */
        return open_selected(t, s, t->mode == LAYOUT_SPLIT ? LAYOUT_DETAIL : LAYOUT_SPLIT);
    case FD_ACTION_TOGGLE_FOCUS:
        if (t->mode != LAYOUT_SPLIT)
            return open_selected(t, s, LAYOUT_SPLIT);
        t->focus_detail = true;
        return done;
    case FD_ACTION_BACK:
        if (s->search[0]) {
            list_set_search(t, "");
            return done;
        }
        if (t->mode == LAYOUT_SPLIT) {
            t->mode = LAYOUT_LIST;
            tui_relayout(t);
            return done;
        }
        return VIEW_HANDLED | VIEW_QUIT;
    default:
        if (sort_action(t, action) >= 0)
            return done;
        return 0;
    }
    if (t->mode == LAYOUT_SPLIT)
        detail_show(t, s->sel_id);
    return done;
}

/* Rows on screen changed? Compares ids and update times. */
static bool same_rows(const struct store_rows *a, const struct store_rows *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++)
        if (a->rows[i].id != b->rows[i].id || a->rows[i].updated_at != b->rows[i].updated_at ||
            a->rows[i].status != b->rows[i].status)
            return false;
    return true;
}

static int list_on_event(struct ui_view *v, struct tui *t, const struct fd_event *ev)
{
    struct list_state *s = v->data;
    if (ev->type != FD_EVENT_TICKETS_CHANGED && ev->type != FD_EVENT_SYNC_FINISHED)
        return 0;
    size_t old_count = s->count;
    /* A copy of what is on screen now, to tell whether the reload changed it. */
    struct store_rows before_copy = {.count = s->rows.count};
    before_copy.rows = calloc(s->rows.count ? s->rows.count : 1, sizeof *before_copy.rows);
    for (size_t i = 0; before_copy.rows && i < s->rows.count; i++) {
        before_copy.rows[i].id = s->rows.rows[i].id;
        before_copy.rows[i].updated_at = s->rows.rows[i].updated_at;
        before_copy.rows[i].status = s->rows.rows[i].status;
    }
    reload(t, s);
    bool changed = !before_copy.rows || !same_rows(&before_copy, &s->rows) || old_count != s->count;
    free(before_copy.rows);
    return changed ? VIEW_REDRAW : 0;
}

static void list_resize(struct ui_view *v, struct tui *t, const struct rect *area)
{
    struct list_state *s = v->data;
    v->area = *area;
    if (area->h <= 0)
        return; /* hidden behind the full-screen detail: keep the window as it is */
    if (area->h == s->height && s->rows.count)
        return;
    s->height = area->h;
    s->columns_width = -1;
    if (s->sel >= (size_t)s->height)
        s->sel = (size_t)s->height - 1; /* keeps the selection on screen in reload */
    reload(t, s);
}

static int list_open(struct ui_view *v, struct tui *t)
{
    struct list_state *s = calloc(1, sizeof *s);
    char err[200];
    if (!s)
        return -1;
    v->data = s;
    int n = layout_parse_columns(t->cfg->columns, s->columns, LAYOUT_MAX_COLUMNS, err, sizeof err);
    if (n < 0) {
        tui_message(t, true, "columns: %s", err);
        n = layout_parse_columns(NULL, s->columns, LAYOUT_MAX_COLUMNS, err, sizeof err);
    }
    s->column_count = (size_t)n;
    s->columns_width = -1;
    s->query.sort = STORE_SORT_UPDATED;
    s->height = 1;
    update_query(t, s);
    return 0;
}

static void list_close(struct ui_view *v)
{
    struct list_state *s = v->data;
    store_rows_clear(&s->rows);
    free(s);
    v->data = NULL;
}

const struct view_ops view_list_ops = {
    .name = "list",
    .context = FD_CTX_LIST,
    .open = list_open,
    .draw = list_draw,
    .handle = list_handle,
    .on_event = list_on_event,
    .resize = list_resize,
    .close = list_close,
};

/* ---- accessors for the other parts of the UI ---- */

fd_id list_selected_id(struct tui *t)
{
    return state_of(t)->sel_id;
}

bool list_move(struct tui *t, int delta)
{
    state_of(t)->user_moved = true;
    return move_by(t, state_of(t), delta, false);
}

void list_requery(struct tui *t)
{
    struct list_state *s = state_of(t);
    update_query(t, s);
    s->user_moved = false; /* a new list starts at its top */
    reload(t, s);
    t->need_paint = true;
}

bool list_select_id(struct tui *t, fd_id id)
{
    struct list_state *s = state_of(t);
    struct store_anchor a;
    if (store_anchor_for(t->store, s->query.sort, id, &a) != 1)
        return false;
    load_around(t, s, &a, id, s->height / 2);
    s->position_known = false;
    s->user_moved = true;
    return s->sel_id == id;
}

void list_set_search(struct tui *t, const char *text)
{
    struct list_state *s = state_of(t);
    snprintf(s->search, sizeof s->search, "%s", text ? text : "");
    list_requery(t);
}

const char *list_search(struct tui *t)
{
    return state_of(t)->search;
}

/* A new order of the same tickets: the selected ticket stays selected. */
static void requery_keeping_selection(struct tui *t, struct list_state *s)
{
    fd_id id = s->sel_id;
    list_requery(t);
    if (id)
        list_select_id(t, id);
}

int list_set_sort(struct tui *t, int sort)
{
    struct list_state *s = state_of(t);
    if (sort < 0 || sort >= STORE_SORT_COUNT)
        return -1;
    s->query.sort = (enum store_sort)sort;
    requery_keeping_selection(t, s);
    tui_message(t, false, "sorted by %s", store_sort_name(s->query.sort));
    return 0;
}

int list_reverse_sort(struct tui *t)
{
    struct list_state *s = state_of(t);
    s->query.reverse = !s->query.reverse;
    requery_keeping_selection(t, s);
    tui_message(t, false, "sorted by %s%s", store_sort_name(s->query.sort),
                s->query.reverse ? ", reversed" : "");
    return 0;
}

bool list_sort_reversed(struct tui *t)
{
    return state_of(t)->query.reverse;
}

int list_sort(struct tui *t)
{
    return (int)state_of(t)->query.sort;
}

void list_position(struct tui *t, size_t *position, size_t *count)
{
    struct list_state *s = state_of(t);
    compute_position(t, s);
    *position = s->rows.count ? s->position + 1 : 0;
    *count = s->count;
}
