/* cli.h: fdesk's command line: global options, subcommand dispatch, usage.
 *
 * The core cannot see curses, so the program's main() (ui/main.c) passes the
 * TUI entry point in as a hook; everything else (the scripting subcommands)
 * lives in src/ and is listed once in src/commands.def. */
#ifndef FD_CLI_H
#define FD_CLI_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses shared by every subcommand (documented in fdesk(1)). */
enum {
    FD_EXIT_OK = 0,
    FD_EXIT_ERROR = 1,  /* the operation failed; the message says why */
    FD_EXIT_USAGE = 2,  /* bad option, subcommand or argument */
    FD_EXIT_CONFIG = 3, /* no account configured, or a bad config file */
    FD_EXIT_QUEUED = 4, /* a write was stored in the outbox but the server was unreachable */
};

struct cli_options {
    const char *config_path; /* -c FILE, else $FDESK_CONFIG, else the XDG default */
    const char *debug_log;   /* -d FILE */
    bool demo;               /* --demo */
    const char *argv0;       /* how we were started, to find fdesk-sim beside us */
};

struct cli_hooks {
    /* Runs the TUI; argc/argv are what follows the global options. */
    int (*run_tui)(struct cli_options *opts);
};

/* Parses argv, sets up logging, dispatches. Returns the process exit status. */
int cli_main(int argc, char **argv, const struct cli_hooks *hooks);

/* Prints "fdesk: MESSAGE" and the usage hint to stderr; returns FD_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Each subcommand: argv[0] is the subcommand name; getopt state is reset. */
#define CLI_COMMAND(name, fn, synopsis, summary) \
    int fn(struct cli_options *opts, int argc, char **argv);
#include "src/commands.def"
#undef CLI_COMMAND

#endif
