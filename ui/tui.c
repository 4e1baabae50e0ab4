/* tui.c: start-up and shut-down of the terminal UI. Loads the config, the
 * keymap and the views, opens the UI's own store connection, starts the sync
 * engine, sets the terminal up for low-bandwidth painting (a fully buffered
 * output stream so each frame is one write(), ESCDELAY 25 ms, mouse off) and
 * runs the loop. Every way out goes through tui_teardown(), which restores
 * the terminal and stops the sync thread. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/tui.h"
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "src/demo.h"
#include "src/log.h"
#include "src/outbox.h"
#include "src/state.h"
#include "src/sync.h"

void tui_signals_install(struct tui *t);

static FILE *tui_out;
static bool tui_curses_active;
static struct outbox_sync *tui_outbox; /* the sync thread's way into the outbox */

/* Restores the terminal if curses is still active (also from atexit, so a
 * fatal error path that calls exit() leaves a usable terminal). */
static void tui_restore_terminal(void)
{
    if (tui_curses_active) {
        endwin();
        tui_curses_active = false;
    }
}

/* A programmer fault (SIGSEGV, abort ...) must not leave the terminal in raw
 * mode on the alternate screen: put the saved modes back with async-signal-
 * safe calls only, then die of the same signal. */
static struct termios tui_saved_modes;
static bool tui_saved_modes_valid;

static void on_fatal_signal(int sig)
{
    static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
    if (tui_saved_modes_valid)
        tcsetattr(STDIN_FILENO, TCSANOW, &tui_saved_modes);
    ssize_t r = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)r;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_fatal_handlers(void)
{
    tui_saved_modes_valid = tcgetattr(STDIN_FILENO, &tui_saved_modes) == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

static void restore_env(const char *name, char *saved)
{
    if (saved)
        setenv(name, saved, 1);
    else
        unsetenv(name);
    free(saved);
}

static int start_curses(struct tui *t)
{
    install_fatal_handlers();
    setlocale(LC_ALL, "");
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    int fd = dup(STDOUT_FILENO);
    tui_out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!tui_out)
        return -1;
    setvbuf(tui_out, NULL, _IOFBF, 1 << 17);
    /* ncurses writes its output through a buffer of (2 + LINES) * (6 + COLS)
     * bytes sized when the screen is created: a frame bigger than that (a new
     * page, a full redraw) would leave in two write()s. Create the screen as
     * if the terminal were large, so the buffer is, then take the real size. */
    char *saved_lines = getenv("LINES") ? strdup(getenv("LINES")) : NULL;
    char *saved_columns = getenv("COLUMNS") ? strdup(getenv("COLUMNS")) : NULL;
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
        ws.ws_row = 24, ws.ws_col = 80;
    char big[16];
    snprintf(big, sizeof big, "%d", 2 * ws.ws_row + 2); /* six times the buffer */
    setenv("LINES", big, 1);
    snprintf(big, sizeof big, "%d", 3 * ws.ws_col + 12);
    setenv("COLUMNS", big, 1);
    SCREEN *screen = newterm(NULL, tui_out, stdin);
    restore_env("LINES", saved_lines);
    restore_env("COLUMNS", saved_columns);
    if (!screen)
        return -1;
    set_term(screen);
    resizeterm(ws.ws_row, ws.ws_col);
    tui_curses_active = true;
    atexit(tui_restore_terminal);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    mousemask(0, NULL);
    draw_init_colors(&t->color);
    /* ncurses writes once per cursor jump until the first endwin/doupdate
     * cycle; after it, each frame is one buffered write. */
    endwin();
    doupdate();
    return 0;
}

static void load_agents(struct tui *t)
{
    for (size_t i = 0; i < t->agent_count; i++)
        model_agent_clear(&t->agents[i]);
    free(t->agents);
    t->agents = NULL;
    t->agent_count = 0;
    if (store_list_agents(t->store, &t->agents, &t->agent_count) != 0) {
        t->agents = NULL;
        t->agent_count = 0;
    }
}

const char *tui_agent_name(struct tui *t, fd_id id)
{
    if (t->agent_count == 0)
        load_agents(t);
    for (size_t i = 0; i < t->agent_count; i++)
        if (t->agents[i].id == id)
            return t->agents[i].name ? t->agents[i].name : t->agents[i].email;
    return NULL;
}

static int start_core(struct tui *t, char *err, size_t errsize)
{
    t->keymap = keymap_new();
    if (!t->keymap || keymap_load_config(t->keymap, t->cfg, err, errsize) != 0)
        return -1;
    if (views_load(&t->views, t->cfg, err, errsize) != 0)
        return -1;
    t->store = store_open(t->cfg->cache_path, STORE_OPEN_CREATE, NULL, err, errsize);
    if (!t->store)
        return -1;
    if (store_notice(t->store))
        snprintf(t->message, sizeof t->message, "%s", store_notice(t->store));
    char serr[256];
    t->state = state_open(t->cfg->state_dir, t->cfg->account, serr, sizeof serr);
    if (t->state)
        t->outbox_pending = outbox_pending_count(t->state);
    t->events = events_new();
    t->jobs = jobs_new();
    if (!t->events || !t->jobs) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    tui_outbox = outbox_sync_new(t->cfg->state_dir, t->cfg->account, t->events);
    struct sync_options so = {.cfg = t->cfg,
                              .events = t->events,
                              .jobs = t->jobs,
                              .outbox_send = tui_outbox ? outbox_sync_send : NULL,
                              .outbox_data = tui_outbox};
    if (sync_start(&so, &t->sync, err, errsize) != 0)
        return -1;
    jobs_push_sync(t->jobs, false);
    t->sync_state.syncing = true;
    t->sync_state.credits_left = -1;
    return 0;
}

static void tui_teardown(struct tui *t)
{
    act_free(t); /* saves a draft being written, before anything else */
    if (t->list.ops && t->list.data)
        t->list.ops->close(&t->list);
    if (t->detail.ops && t->detail.data)
        t->detail.ops->close(&t->detail);
    if (t->help.ops && t->help.data)
        t->help.ops->close(&t->help);
    tui_restore_terminal();
    if (tui_out) {
        fclose(tui_out);
        tui_out = NULL;
    }
    sync_stop(t->sync); /* raises the stop flag; returns within about a second */
    t->sync = NULL;
    outbox_sync_free(tui_outbox);
    tui_outbox = NULL;
    if (t->jobs)
        jobs_free(t->jobs);
    if (t->events)
        events_free(t->events);
    store_close(t->store);
    if (t->state)
        state_close(t->state);
    for (size_t i = 0; i < t->agent_count; i++)
        model_agent_clear(&t->agents[i]);
    free(t->agents);
    views_free(&t->views);
    keymap_free(t->keymap);
    if (t->signal_pipe[0] > 0) {
        close(t->signal_pipe[0]);
        close(t->signal_pipe[1]);
    }
}

static int open_views(struct tui *t)
{
    t->list.ops = &view_list_ops;
    t->detail.ops = &view_detail_ops;
    t->help.ops = &view_help_ops;
    if (t->list.ops->open(&t->list, t) != 0 || t->detail.ops->open(&t->detail, t) != 0 ||
        t->help.ops->open(&t->help, t) != 0 || act_init(t) != 0)
        return -1;
    return 0;
}

static int config_error(const char *err)
{
    fprintf(stderr, "fdesk: %s\n", err);
    return FD_EXIT_CONFIG;
}

int tui_run(struct cli_options *opts)
{
    struct fd_config cfg;
    struct tui t;
    char err[1024] = "";
    memset(&cfg, 0, sizeof cfg);
    memset(&t, 0, sizeof t);
    t.opts = opts;
    t.cfg = &cfg;
    t.notify_fd = -1;
    if (opts->demo && demo_start(err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
        return FD_EXIT_ERROR;
    }
    if (config_load(&cfg, opts->config_path, err, sizeof err) != 0) {
        config_free(&cfg);
        return config_error(err);
    }
    if (config_require_account(&cfg, err, sizeof err) != 0) {
        config_free(&cfg);
        return config_error(err);
    }
    if (opts->demo)
        cfg.refresh_seconds = DEMO_REFRESH_SECONDS;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        config_free(&cfg);
        fprintf(stderr, "fdesk: the terminal UI needs a terminal; see 'fdesk --help' for "
                        "the scripting commands\n");
        return FD_EXIT_USAGE;
    }
    const char *notify = getenv("FDESK_NOTIFY_FD");
    if (notify && *notify)
        t.notify_fd = atoi(notify);
    int status = FD_EXIT_OK;
    if (pipe2(t.signal_pipe, O_NONBLOCK | O_CLOEXEC) != 0 || start_core(&t, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err[0] ? err : "cannot start");
        status = FD_EXIT_ERROR;
    } else {
        /* Before newterm, so curses does not install handlers of its own. */
        tui_signals_install(&t);
        if (start_curses(&t) != 0 || open_views(&t) != 0) {
            tui_restore_terminal();
            fprintf(stderr, "fdesk: cannot set up the terminal (TERM=%s)\n",
                    getenv("TERM") ? getenv("TERM") : "");
            status = FD_EXIT_ERROR;
        } else {
            status = tui_loop(&t);
        }
    }
    tui_teardown(&t);
    config_free(&cfg);
    if (opts->demo)
        demo_stop();
    return status > 128 ? 0 : status;
}
