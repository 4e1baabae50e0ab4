/* view_help.c: the `?` screen. Its lines are generated from the action table
 * and the live keymap (keymap_help) for the screen it was opened from, so it
 * can never disagree with what the keys do. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct help_state {
    struct keymap_help_line *lines;
    size_t count;
    enum fd_context context;
    size_t top;
    int height;
};

/* Opens the help for the given context (called by the loop on `help`). */
void help_open(struct tui *t, enum fd_context ctx);
void help_open(struct tui *t, enum fd_context ctx)
{
    struct help_state *s = t->help.data;
    free(s->lines);
    s->lines = keymap_help(t->keymap, ctx, &s->count);
    if (!s->lines)
        s->count = 0;
    s->context = ctx;
    s->top = 0;
    t->help_open = true;
    t->need_paint = true;
}

static void help_draw(struct ui_view *v, struct tui *t, const struct rect *area, bool focused)
{
    struct help_state *s = v->data;
    char title[128];
    s->height = area->h - 1;
    snprintf(title, sizeof title, "Keys: %s screen (q closes)", action_context_name(s->context));
    draw_set(UI_HEADER);
    draw_clean(area->y, 0, area->w, title);
    draw_set(UI_NORMAL);
    int keyw = area->w / 4 > 16 ? 16 : area->w / 4;
    int namew = area->w / 4 > 20 ? 20 : area->w / 4;
    for (int i = 1; i < area->h; i++) {
        size_t n = s->top + (size_t)i - 1;
        int y = area->y + i;
        if (n >= s->count) {
            draw_clear_to_eol(y, 0);
            continue;
        }
        const struct keymap_help_line *l = &s->lines[n];
        draw_set(UI_BOLD);
        draw_clean(y, 0, keyw, l->keys[0] ? l->keys : "");
        draw_set(UI_NORMAL);
        mvaddch(y, keyw, ' ');
        draw_clean(y, keyw + 1, namew, l->name);
        mvaddch(y, keyw + 1 + namew, ' ');
        draw_clean(y, keyw + 2 + namew, area->w - keyw - 2 - namew, l->help);
    }
}

static int help_handle(struct ui_view *v, struct tui *t, enum fd_action action)
{
    struct help_state *s = v->data;
    long top = (long)s->top, page = s->height > 1 ? s->height : 1;
    switch (action) {
    case FD_ACTION_BACK:
    case FD_ACTION_HELP:
        return VIEW_HANDLED | VIEW_CLOSE;
    case FD_ACTION_SCROLL_DOWN:
    case FD_ACTION_MOVE_DOWN:
        top++;
        break;
    case FD_ACTION_SCROLL_UP:
    case FD_ACTION_MOVE_UP:
        top--;
        break;
    case FD_ACTION_PAGE_DOWN:
    case FD_ACTION_HALF_PAGE_DOWN:
        top += page;
        break;
    case FD_ACTION_PAGE_UP:
    case FD_ACTION_HALF_PAGE_UP:
        top -= page;
        break;
    case FD_ACTION_FIRST:
        top = 0;
        break;
    case FD_ACTION_LAST:
        top = (long)s->count;
        break;
    case FD_ACTION_QUIT:
    case FD_ACTION_REDRAW:
    case FD_ACTION_SUSPEND:
    case FD_ACTION_COMMAND_LINE:
        return 0;
    default:
        return VIEW_HANDLED; /* nothing else acts behind the help screen */
    }
    long max = (long)s->count - page;
    if (top > max)
        top = max;
    if (top < 0)
        top = 0;
    s->top = (size_t)top;
    return VIEW_HANDLED | VIEW_REDRAW;
}

static int help_on_event(struct ui_view *v, struct tui *t, const struct fd_event *ev)
{
    return 0;
}

static int help_open_view(struct ui_view *v, struct tui *t)
{
    v->data = calloc(1, sizeof(struct help_state));
    return v->data ? 0 : -1;
}

static void help_close(struct ui_view *v)
{
    struct help_state *s = v->data;
    free(s->lines);
    free(s);
    v->data = NULL;
}

const struct view_ops view_help_ops = {
    .name = "help",
    .context = FD_CTX_DETAIL,
    .open = help_open_view,
    .draw = help_draw,
    .handle = help_handle,
    .on_event = help_on_event,
    .resize = NULL,
    .close = help_close,
};
