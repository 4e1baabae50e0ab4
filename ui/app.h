/* app.h: the TUI's one context (struct tui), passed explicitly to every part
 * of the UI instead of globals, and the small interfaces between the parts:
 * drawing primitives (draw.c), the status bar (status.c), the prompt line
 * (prompt.c), the `:` commands (commands.c) and the list view's accessors
 * that the detail view and the loop use. Only ui/ includes this file. */
#ifndef FD_UI_APP_H
#define FD_UI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/config.h"
#include "src/events.h"
#include "src/jobs.h"
#include "src/keymap.h"
#include "src/model.h"
#include "src/store.h"
#include "src/views.h"
#include "ui/layout.h"
#include "ui/view.h"

struct sync;
struct state_db;

/* What the status bar knows about the sync engine (from events). */
struct sync_status {
    bool syncing;
    int pages_done, pages_estimated;
    bool offline;
    fd_time retry_at;
    fd_time last_ok;  /* when a sync run last finished fine; 0 = never */
    int credits_left; /* -1 unknown */
    int credits_total;
    bool first_sync_complete;
};

enum prompt_kind { PROMPT_NONE, PROMPT_COMMAND, PROMPT_SEARCH, PROMPT_JUMP };

struct prompt {
    enum prompt_kind kind;
    char text[512];
    size_t len;             /* bytes */
    size_t cursor;          /* byte offset */
    char saved_search[512]; /* search text when the / prompt opened (Esc restores) */
};

struct tui {
    struct cli_options *opts;
    struct fd_config *cfg;
    struct keymap *keymap;
    struct view_set views;
    size_t view_index;
    struct store *store; /* the UI's own read connection */
    struct state_db *state;
    struct events *events;
    struct jobs *jobs;
    struct sync *sync;
    char cache_path[1024];

    enum layout_mode mode;
    bool focus_detail; /* in split: the detail pane has the keyboard */
    bool help_open;
    struct layout layout;
    struct ui_view list, detail, help;

    struct prompt prompt;
    struct sync_status sync_state;
    char message[512];
    bool message_error;
    int outbox_pending;

    int signal_pipe[2];
    int notify_fd; /* FDESK_NOTIFY_FD: one byte per painted frame (tests), or -1 */
    bool color;
    bool need_paint; /* a key changed something: paint after draining input */
    bool need_clear; /* repaint every cell (Ctrl-L, resize, resume) */
    bool bg_dirty;   /* background events changed what is visible */
    double last_paint_ms;
    bool quit;
    int exit_status;

    fd_key pending_keys[FD_KEYSEQ_MAX];
    size_t pending_count;

    /* agents by id, for conversation authors */
    struct fd_agent *agents;
    size_t agent_count;

    struct act *act; /* acting on tickets: editor, review, pickers (ui/act.h) */
};

/* ---- loop.c ---- */
int tui_loop(struct tui *t);
/* Sets the message line (stays until the next key). printf-like. */
void tui_message(struct tui *t, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs an action as if its key had been pressed. */
void tui_dispatch(struct tui *t, enum fd_action action);
/* The layout changed (mode, focus, size): recompute and tell the views. */
void tui_relayout(struct tui *t);
/* The current named view. */
const struct view *tui_current_view(const struct tui *t);
/* Milliseconds, monotonic. */
double tui_now_ms(void);

/* ---- status.c ---- */
void status_draw(struct tui *t);
void status_on_event(struct tui *t, const struct fd_event *ev);

/* ---- prompt.c ---- */
void prompt_open(struct tui *t, enum prompt_kind kind, const char *initial);
/* Feeds one key; returns VIEW_* flags. */
int prompt_key(struct tui *t, fd_key key);
void prompt_draw(struct tui *t);

/* ---- commands.c ---- */
/* Runs a `:` command line ("view mine", "sort due", "quit", an action name,
 * a ticket number). Errors go to the message line. */
void commands_run(struct tui *t, const char *line);
/* Switches to the named view (index into t->views). */
void commands_set_view(struct tui *t, size_t index);

/* ---- view_list.c: what the others need from the list ---- */
fd_id list_selected_id(struct tui *t);
/* Moves the selection by delta rows (n/p from the detail); returns true if it moved. */
bool list_move(struct tui *t, int delta);
/* Re-reads the list after the query (view, search, sort) changed; keeps the selection. */
void list_requery(struct tui *t);
/* Selects ticket id if the list holds it; returns true if found. */
bool list_select_id(struct tui *t, fd_id id);
void list_set_search(struct tui *t, const char *text);
const char *list_search(struct tui *t);
int list_set_sort(struct tui *t, int sort);
int list_sort(struct tui *t);
/* Flips the direction of the current sort (keeps the selection). */
int list_reverse_sort(struct tui *t);
bool list_sort_reversed(struct tui *t);
void list_position(struct tui *t, size_t *position, size_t *count);

/* ---- view_detail.c ---- */
/* Shows ticket id (asks the sync engine for its conversations if needed). */
void detail_show(struct tui *t, fd_id id);
/* The ticket the detail shows, or 0. */
fd_id detail_ticket_id(struct tui *t);

/* ---- agents ---- */
const char *tui_agent_name(struct tui *t, fd_id id);

#endif
