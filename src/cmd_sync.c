/* cmd_sync.c: `fdesk sync [--full]`, the sync engine in the foreground.
 *
 * It starts the same engine thread the TUI uses, in run-once mode, and shows
 * its events: a progress bar on stderr when stderr is a terminal, plain lines
 * (at most one a second) otherwise. SIGINT/SIGTERM stop the engine cleanly
 * (the cache stays consistent; the next run continues where this one
 * stopped). Exit status: 0 when the cache is complete, FD_EXIT_CONFIG for
 * settings, FD_EXIT_ERROR (with the engine's message) for authentication,
 * network and cache errors, 130 when interrupted. */
#include "src/cli.h"
#include "src/config.h"
#include "src/events.h"
#include "src/jobs.h"
#include "src/log.h"
#include "src/sync.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t sync_interrupted;
static int sync_signal_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    char c = (char)sig;

    sync_interrupted = 1;
    if (write(sync_signal_pipe[1], &c, 1) < 0) {
        /* nothing to do: the flag is set */
    }
    errno = saved;
}

struct sync_display {
    bool tty;
    bool drew_bar;
    time_t last_line;
    struct fd_event_progress last;
    bool have_progress;
    bool failed;
};

static void format_eta(int seconds, char *buf, size_t size)
{
    if (seconds < 0)
        snprintf(buf, size, "--");
    else if (seconds < 60)
        snprintf(buf, size, "%ds", seconds);
    else
        snprintf(buf, size, "%dm%02ds", seconds / 60, seconds % 60);
}

static void show_progress(struct sync_display *d, const struct fd_event_progress *p)
{
    char eta[32], credits[32];
    int width = 30, filled = 0, percent = -1;

    d->last = *p;
    d->have_progress = true;
    format_eta(p->eta_seconds, eta, sizeof eta);
    if (p->credits_left >= 0)
        snprintf(credits, sizeof credits, "%d", p->credits_left);
    else
        snprintf(credits, sizeof credits, "?");
    if (p->pages_estimated > 0) {
        percent = p->pages_done * 100 / p->pages_estimated;
        percent = percent > 100 ? 100 : percent;
        filled = percent * width / 100;
    }
    if (d->tty) {
        fprintf(stderr, "\r[%.*s%.*s] %3d%% %lld tickets, %d pages, %s credits left, ETA %s\033[K",
                filled, "##############################", width - filled,
                "..............................", percent < 0 ? 0 : percent,
                (long long)p->tickets_stored, p->pages_done, credits, eta);
        d->drew_bar = true;
        return;
    }
    time_t now = time(NULL);
    if (now == d->last_line)
        return;
    d->last_line = now;
    fprintf(stderr, "fdesk: sync: %d pages, %lld tickets, %s credits left, ETA %s\n", p->pages_done,
            (long long)p->tickets_stored, credits, eta);
}

static void end_bar(struct sync_display *d)
{
    if (d->drew_bar) {
        fputc('\n', stderr);
        d->drew_bar = false;
    }
}

/* Shows one event; returns true when the run is over. */
static bool show_event(struct sync_display *d, const struct fd_event *ev, bool *ok)
{
    switch (ev->type) {
    case FD_EVENT_PROGRESS:
        show_progress(d, &ev->u.progress);
        break;
    case FD_EVENT_ERROR:
        end_bar(d);
        fprintf(stderr, "fdesk: %s\n", ev->message);
        d->failed = true;
        break;
    case FD_EVENT_NOTICE:
        end_bar(d);
        fprintf(stderr, "fdesk: %s\n", ev->message);
        break;
    case FD_EVENT_OFFLINE:
        end_bar(d);
        fprintf(stderr, "fdesk: cannot reach Freshdesk (attempt %d): %s\n", ev->u.offline.attempt,
                ev->message);
        break;
    case FD_EVENT_SYNC_FINISHED:
        end_bar(d);
        *ok = ev->u.finished.ok && ev->u.finished.complete && !d->failed;
        if (*ok)
            fprintf(stderr, "fdesk: sync complete: %lld tickets received, %d requests\n",
                    (long long)ev->u.finished.tickets_stored, ev->u.finished.requests);
        return true;
    default:
        break;
    }
    return false;
}

static int parse_args(int argc, char **argv, bool *full)
{
    static const struct option options[] = {
        {"full", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            *full = true;
            break;
        case 'h':
            printf("Usage: fdesk sync [--full]\n"
                   "Fetch changed tickets into the local cache (--full: all of them again).\n");
            return 1;
        default:
            return cli_usage_error("sync: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("sync: unexpected argument '%s'", argv[optind]);
    return 0;
}

static void install_signals(struct sigaction *old_int, struct sigaction *old_term)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
    signal(SIGPIPE, SIG_IGN);
}

/* Shows events until the engine finishes; stops it on a signal. */
static bool follow_engine(struct events *events, struct jobs *jobs, bool *interrupted)
{
    struct sync_display d = {.tty = isatty(STDERR_FILENO) == 1};
    struct fd_event ev;
    bool ok = false;

    for (;;) {
        struct pollfd fds[2] = {
            {.fd = events_fd(events), .events = POLLIN},
            {.fd = sync_signal_pipe[0], .events = POLLIN},
        };
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (sync_interrupted && !jobs_stopping(jobs)) {
            end_bar(&d);
            fprintf(stderr, "fdesk: sync interrupted; the next run continues from here\n");
            jobs_stop(jobs);
            *interrupted = true;
        }
        while (events_pop(events, &ev))
            if (show_event(&d, &ev, &ok))
                return ok;
        if (jobs_stopping(jobs))
            return false; /* the engine is stopping; sync_stop joins it */
    }
    return false;
}

static int run_engine(const struct fd_config *cfg, bool full)
{
    struct events *events = events_new();
    struct jobs *jobs = jobs_new();
    struct sync_options so = {.cfg = cfg, .run_once = true};
    struct sync *engine = NULL;
    struct sigaction old_int, old_term;
    char err[256];
    bool ok = false, interrupted = false;

    if (!events || !jobs || pipe(sync_signal_pipe) != 0) {
        fprintf(stderr, "fdesk: out of resources: %s\n", strerror(errno));
        events_free(events);
        jobs_free(jobs);
        return FD_EXIT_ERROR;
    }
    so.events = events;
    so.jobs = jobs;
    jobs_push_sync(jobs, full);
    install_signals(&old_int, &old_term);
    if (sync_start(&so, &engine, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
    } else {
        ok = follow_engine(events, jobs, &interrupted);
        sync_stop(engine);
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close(sync_signal_pipe[0]);
    close(sync_signal_pipe[1]);
    sync_signal_pipe[0] = sync_signal_pipe[1] = -1;
    events_free(events);
    jobs_free(jobs);
    if (interrupted)
        return 130;
    return ok ? FD_EXIT_OK : FD_EXIT_ERROR;
}

int cmd_sync(struct cli_options *opts, int argc, char **argv)
{
    struct fd_config cfg;
    char err[512];
    bool full = false;
    int rc = parse_args(argc, argv, &full);

    if (rc != 0)
        return rc == 1 ? FD_EXIT_OK : rc;
    memset(&cfg, 0, sizeof cfg);
    if (config_load(&cfg, opts->config_path, err, sizeof err) != 0 ||
        config_require_account(&cfg, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
        config_free(&cfg);
        return FD_EXIT_CONFIG;
    }
    /* Before any thread starts (the TUI's main does the same). */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = run_engine(&cfg, full);
    curl_global_cleanup();
    config_free(&cfg);
    return rc;
}
