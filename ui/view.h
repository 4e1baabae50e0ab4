/* view.h: the one interface every screen of the TUI implements.
 *
 * A view (list, detail, help ...) lives in its own file and exposes one
 * `const struct view_ops`. The main loop owns the views, routes actions and
 * sync events to them and does all painting: a handler never draws, it
 * returns flags saying what it did (VIEW_HANDLED, VIEW_REDRAW, VIEW_QUIT), and
 * the loop paints once when the pending input has been drained.
 *
 * draw() paints into the rectangle it is given on stdscr, every row of it
 * (rows that did not change cost nothing: curses sends only differences). */
#ifndef FD_UI_VIEW_H
#define FD_UI_VIEW_H

#include <stdbool.h>

#include "src/actions.h"
#include "src/events.h"
#include "ui/layout.h"

struct tui;
struct ui_view;

enum {
    VIEW_HANDLED = 1 << 0, /* the action meant something here */
    VIEW_REDRAW = 1 << 1,  /* the screen must be painted again */
    VIEW_QUIT = 1 << 2,    /* leave fdesk */
    VIEW_CLOSE = 1 << 3,   /* close this view (help, detail) */
};

struct view_ops {
    const char *name;
    enum fd_context context; /* where its keys are looked up */
    /* Allocates the view's private state in v->data. Returns 0 or -1. */
    int (*open)(struct ui_view *v, struct tui *t);
    /* Paints area (on stdscr); focused says whether it has the keyboard. */
    void (*draw)(struct ui_view *v, struct tui *t, const struct rect *area, bool focused);
    /* Reacts to an action; returns VIEW_* flags (0: not for this view). */
    int (*handle)(struct ui_view *v, struct tui *t, enum fd_action action);
    /* Reacts to a sync event; returns VIEW_REDRAW if what it shows changed. */
    int (*on_event)(struct ui_view *v, struct tui *t, const struct fd_event *ev);
    /* The view's area changed size (before the next draw). */
    void (*resize)(struct ui_view *v, struct tui *t, const struct rect *area);
    void (*close)(struct ui_view *v);
};

struct ui_view {
    const struct view_ops *ops;
    void *data;
    struct rect area;
};

extern const struct view_ops view_list_ops;
extern const struct view_ops view_detail_ops;
extern const struct view_ops view_help_ops;

#endif
