/* loop.c: the TUI's main loop. It waits in poll() on the keyboard, the sync
 * engine's wake fd and a self-pipe fed by the signal handlers (which only
 * write the signal number), so an idle fdesk uses no CPU and never wakes up
 * on a timer. Keys already waiting are all applied before one frame is
 * painted; repaints caused by background events are limited to one every
 * UI_BG_PAINT_MS and happen only when a view says what it shows changed.
 * Each frame is one doupdate(), which leaves in a single write() because the
 * screen's output stream is fully buffered (tui.c). */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define UI_BG_PAINT_MS 150

bool commands_generic(struct tui *t, enum fd_action action);

double tui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void tui_message(struct tui *t, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    va_end(ap);
    t->message_error = error;
    t->need_paint = true;
}

const struct view *tui_current_view(const struct tui *t)
{
    return t->view_index < t->views.count ? &t->views.items[t->view_index] : NULL;
}

static struct ui_view *focused_view(struct tui *t)
{
    if (t->help_open)
        return &t->help;
    if (t->mode == LAYOUT_DETAIL || (t->mode == LAYOUT_SPLIT && t->focus_detail))
        return &t->detail;
    return &t->list;
}

void tui_relayout(struct tui *t)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    layout_compute(&t->layout, rows, cols, t->mode, 0);
    struct rect body = {0, 0, rows - 2 > 0 ? rows - 2 : 0, cols};
    if (t->list.ops->resize)
        t->list.ops->resize(&t->list, t, &t->layout.list);
    if (t->detail.ops->resize)
        t->detail.ops->resize(&t->detail, t, &t->layout.detail);
    if (t->help.ops->resize)
        t->help.ops->resize(&t->help, t, &body);
    t->need_paint = true;
}

static void paint_too_small(struct tui *t)
{
    int rows = t->layout.rows, cols = t->layout.cols;
    draw_blank(0, 0, rows, cols);
    const char *msg = "terminal too small";
    int len = (int)strlen(msg);
    draw_set(UI_BOLD);
    mvaddnstr(rows / 2, cols > len ? (cols - len) / 2 : 0, msg, cols);
    draw_set(UI_NORMAL);
}

static void paint(struct tui *t)
{
    if (t->need_clear) {
        clearok(curscr, TRUE);
        t->need_clear = false;
    }
    if (t->layout.too_small) {
        paint_too_small(t);
    } else if (t->help_open) {
        struct rect body = {0, 0, t->layout.rows - 2, t->layout.cols};
        t->help.ops->draw(&t->help, t, &body, true);
        status_draw(t);
        prompt_draw(t);
    } else {
        if (t->layout.list.h > 0)
            t->list.ops->draw(&t->list, t, &t->layout.list, focused_view(t) == &t->list);
        if (t->layout.detail.h > 0)
            t->detail.ops->draw(&t->detail, t, &t->layout.detail, focused_view(t) == &t->detail);
        status_draw(t);
        prompt_draw(t);
        act_paint(t); /* the editor, review and pickers, over the rest */
    }
    wnoutrefresh(stdscr);
    doupdate();
    if (t->notify_fd >= 0) {
        ssize_t r = write(t->notify_fd, "f", 1);
        (void)r;
    }
    t->need_paint = false;
    t->bg_dirty = false;
    t->last_paint_ms = tui_now_ms();
}

/* ---- keys ---- */

static fd_key key_from_curses(int kind, wint_t ch)
{
    if (kind == OK)
        return keymap_key_from_char((uint32_t)ch);
    switch (ch) {
    case KEY_DOWN:
        return FD_KEY_DOWN;
    case KEY_UP:
        return FD_KEY_UP;
    case KEY_LEFT:
        return FD_KEY_LEFT;
    case KEY_RIGHT:
        return FD_KEY_RIGHT;
    case KEY_NPAGE:
        return FD_KEY_PAGE_DOWN;
    case KEY_PPAGE:
        return FD_KEY_PAGE_UP;
    case KEY_HOME:
        return FD_KEY_HOME;
    case KEY_END:
        return FD_KEY_END;
    case KEY_ENTER:
        return FD_KEY_ENTER;
    case KEY_BACKSPACE:
        return FD_KEY_BACKSPACE;
    case KEY_DC:
        return FD_KEY_DELETE;
    case KEY_IC:
        return FD_KEY_INSERT;
    case KEY_BTAB:
        return FD_KEY_BACKTAB;
    default:
        if (ch >= KEY_F(1) && ch <= KEY_F(12))
            return FD_KEY_F(ch - KEY_F0);
        return 0;
    }
}

static void handle_flags(struct tui *t, struct ui_view *v, int flags)
{
    if (flags & VIEW_REDRAW)
        t->need_paint = true;
    if (flags & VIEW_QUIT)
        t->quit = true;
    if ((flags & VIEW_CLOSE) && v == &t->help) {
        t->help_open = false;
        t->need_paint = true;
    }
}

void tui_dispatch(struct tui *t, enum fd_action action)
{
    struct ui_view *v = focused_view(t);
    int flags = v->ops->handle ? v->ops->handle(v, t, action) : 0;
    handle_flags(t, v, flags);
    if (flags & VIEW_HANDLED)
        return;
    if (v == &t->detail && t->mode == LAYOUT_SPLIT) {
        /* Keys the detail pane does not use fall through to the list. */
        flags = t->list.ops->handle(&t->list, t, action);
        handle_flags(t, &t->list, flags);
        if (flags & VIEW_HANDLED)
            return;
    }
    if (commands_generic(t, action))
        return;
    if (action != FD_ACTION_NONE)
        tui_message(t, false, "%s: not available here", action_name(action));
}

static void handle_key(struct tui *t, fd_key key)
{
    if (t->prompt.kind != PROMPT_NONE) {
        int flags = prompt_key(t, key);
        handle_flags(t, &t->list, flags);
        return;
    }
    if (act_active(t) && !t->help_open) {
        handle_flags(t, &t->list, act_key(t, key));
        return;
    }
    struct ui_view *v = focused_view(t);
    t->pending_keys[t->pending_count++] = key;
    enum fd_action action = FD_ACTION_NONE;
    enum keymap_match m =
        keymap_lookup(t->keymap, v->ops->context, t->pending_keys, t->pending_count, &action);
    if (m == KEYMAP_PENDING && t->pending_count < FD_KEYSEQ_MAX)
        return;
    t->pending_count = 0;
    if (m != KEYMAP_MATCH) {
        char name[64];
        keymap_format_keys(&key, 1, name, sizeof name);
        tui_message(t, false, "%s: no action bound in this screen (? shows the keys)", name);
        return;
    }
    tui_dispatch(t, action);
}

/* Reads every key that is already waiting (the input window never needs a
 * refresh, so wget_wch cannot paint behind our back). */
static void read_keys(struct tui *t, WINDOW *input)
{
    wint_t ch;
    int kind;
    bool meta = false;
    while ((kind = wget_wch(input, &ch)) != ERR) {
        if (kind == KEY_CODE_YES && ch == KEY_RESIZE)
            continue; /* queued by our own resizeterm(); SIGWINCH did the work */
        if (act_input_key(t, input, kind, (unsigned int)ch))
            continue; /* a bracketed paste, read whole */
        fd_key key = key_from_curses(kind, ch);
        if (key == 0)
            continue;
        if (t->message[0]) {
            t->message[0] = '\0'; /* a message stays until the next key */
            t->need_paint = true;
        }
        /* ESC followed at once by a key is Meta-key (Alt sends it so). */
        if (key == FD_KEY_ESC && !meta && t->prompt.kind == PROMPT_NONE) {
            meta = true;
            continue;
        }
        if (meta) {
            meta = false;
            if (key != FD_KEY_ESC && !(key & FD_KEY_META)) {
                handle_key(t, key | FD_KEY_META);
                continue;
            }
        }
        handle_key(t, key);
        if (t->quit)
            return;
    }
    if (meta)
        handle_key(t, FD_KEY_ESC);
}

/* ---- signals ---- */

static int signal_write_fd = -1;

static void on_signal(int sig)
{
    int saved = errno;
    unsigned char b = (unsigned char)sig;
    ssize_t r = write(signal_write_fd, &b, 1);
    (void)r;
    errno = saved;
}

void tui_signals_install(struct tui *t);
void tui_signals_install(struct tui *t)
{
    signal_write_fd = t->signal_pipe[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int sigs[] = {SIGWINCH, SIGHUP, SIGTERM, SIGINT, SIGCONT, SIGTSTP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void tui_suspend(struct tui *t);
void tui_suspend(struct tui *t)
{
    endwin();
    signal(SIGTSTP, SIG_DFL);
    kill(0, SIGTSTP); /* the whole job, as the shell expects */
    /* ... stopped here until fg ... */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &sa, NULL);
    reset_prog_mode();
    t->need_clear = true;
    tui_relayout(t);
}

static void resize_from_tty(struct tui *t)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    t->need_clear = true;
    tui_relayout(t);
}

static void handle_signals(struct tui *t)
{
    unsigned char sigs[64];
    ssize_t n = read(t->signal_pipe[0], sigs, sizeof sigs);
    for (ssize_t i = 0; i < n; i++) {
        switch (sigs[i]) {
        case SIGWINCH:
            resize_from_tty(t);
            break;
        case SIGCONT:
            reset_prog_mode();
            resize_from_tty(t);
            break;
        case SIGTSTP:
            tui_suspend(t);
            break;
        case SIGHUP:
            t->quit = true;
            t->exit_status = 129;
            break;
        default: /* SIGTERM, SIGINT */
            t->quit = true;
            t->exit_status = 128 + sigs[i];
            break;
        }
    }
}

/* ---- events ---- */

static void handle_events(struct tui *t)
{
    struct fd_event ev;
    while (events_pop(t->events, &ev)) {
        int flags = 0;
        status_on_event(t, &ev);
        flags |= t->list.ops->on_event(&t->list, t, &ev);
        if (t->mode != LAYOUT_LIST || t->help_open)
            flags |= t->detail.ops->on_event(&t->detail, t, &ev);
        if (ev.type == FD_EVENT_ERROR || ev.type == FD_EVENT_OUTBOX_FAILED)
            tui_message(t, true, "%s", ev.message);
        act_on_event(t, &ev);
        if (flags & VIEW_REDRAW)
            t->bg_dirty = true;
        /* Status changes are cheap to paint and matter (offline, syncing). */
        if (ev.type != FD_EVENT_TICKETS_CHANGED && ev.type != FD_EVENT_CONVERSATIONS)
            t->bg_dirty = true;
    }
}

int tui_loop(struct tui *t)
{
    WINDOW *input = newwin(1, 1, 0, 0);
    keypad(input, TRUE);
    nodelay(input, TRUE);
    /* wget_wch refreshes its window when it was touched: a new window is, and
     * that would write a blank over the screen's top-left cell. */
    untouchwin(input);
    tui_relayout(t);
    paint(t);
    while (!t->quit) {
        int timeout = -1;
        if (t->need_paint) {
            timeout = 0;
        } else if (t->bg_dirty) {
            double wait = t->last_paint_ms + UI_BG_PAINT_MS - tui_now_ms();
            timeout = wait > 0 ? (int)wait + 1 : 0;
        }
        int act_ms = act_timeout_ms(t); /* a draft to save; -1 when nothing is unsaved */
        if (act_ms >= 0 && (timeout < 0 || act_ms < timeout))
            timeout = act_ms;
        struct pollfd fds[3] = {
            {STDIN_FILENO, POLLIN, 0},
            {t->signal_pipe[0], POLLIN, 0},
            {t->events ? events_fd(t->events) : -1, POLLIN, 0},
        };
        int r = poll(fds, 3, timeout);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0 && fds[1].revents)
            handle_signals(t);
        if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN)) {
            t->quit = true; /* the terminal went away */
            t->exit_status = 129;
        }
        if (r > 0 && (fds[0].revents & POLLIN))
            read_keys(t, input);
        if (r > 0 && fds[2].revents)
            handle_events(t);
        act_tick(t);
        if (t->quit)
            break;
        if (t->need_paint || (t->bg_dirty && tui_now_ms() - t->last_paint_ms >= UI_BG_PAINT_MS))
            paint(t);
    }
    delwin(input);
    return t->exit_status;
}
