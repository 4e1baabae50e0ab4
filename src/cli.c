/* cli.c: fdesk's entry point logic. Parses the global options, installs the
 * debug log, and hands over to a subcommand from commands.def or to the TUI.
 * Every usage error is one line plus the usage hint, exit status 2. */
#include "src/actions.h"
#include "src/cli.h"
#include "src/config.h"
#include "src/log.h"

#include <curl/curl.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct cli_command {
    const char *name;
    int (*fn)(struct cli_options *, int, char **);
    const char *synopsis;
    const char *summary;
};

static const struct cli_command commands[] = {
#define CLI_COMMAND(name, fn, synopsis, summary) {#name, fn, synopsis, summary},
#include "src/commands.def"
#undef CLI_COMMAND
    {NULL, NULL, NULL, NULL},
};

static void print_usage(FILE *out)
{
    fprintf(
        out,
        "Usage: fdesk [OPTIONS]                 open the terminal UI\n"
        "       fdesk [OPTIONS] COMMAND [ARGS]  run one scripting command\n"
        "\n"
        "A keyboard-driven terminal client for the Freshdesk helpdesk.\n"
        "\n"
        "Options:\n"
        "  -c, --config FILE      read FILE instead of $XDG_CONFIG_HOME/fdesk/config\n"
        "  -d, --debug FILE       append a diagnostic log to FILE (never holds the API key)\n"
        "      --demo             try fdesk without an account: runs fdesk-sim with sample data\n"
        "  -h, --help             show this help and exit\n"
        "      --list-actions     list the actions keys can be bound to, and exit\n"
        "  -V, --version          show the version and exit\n");
    if (commands[0].name) {
        fprintf(out, "\nCommands:\n");
        for (const struct cli_command *c = commands; c->name; c++)
            fprintf(out, "  %-34s %s\n", c->synopsis, c->summary);
    }
    fprintf(out, "\n"
                 "Account: set FRESHDESK_DOMAIN and FRESHDESK_API_KEY, or write the config file.\n"
                 "See fdesk(1) for the keys, the config file and the exit statuses.\n");
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("fdesk: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'fdesk --help' for more information.\n", stderr);
    return FD_EXIT_USAGE;
}

static const struct cli_command *find_command(const char *name)
{
    for (const struct cli_command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int cli_main(int argc, char **argv, const struct cli_hooks *hooks)
{
    static const struct option long_options[] = {
        {"config", required_argument, NULL, 'c'},
        {"debug", required_argument, NULL, 'd'},
        {"demo", no_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"list-actions", optional_argument, NULL, 'L'},
        {NULL, 0, NULL, 0},
    };
    struct cli_options opts = {.argv0 = argv[0]};
    int c;

    opterr = 0;
    /* '+' stops at the first non-option, so subcommands keep their own options. */
    while ((c = getopt_long(argc, argv, "+:c:d:hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            opts.config_path = optarg;
            break;
        case 'd':
            opts.debug_log = optarg;
            break;
        case 'D':
            opts.demo = true;
            break;
        case 'h':
            print_usage(stdout);
            return FD_EXIT_OK;
        case 'L':
            if (optarg && strcmp(optarg, "man") != 0)
                return cli_usage_error("--list-actions takes no value or 'man'");
            action_print_list(stdout, optarg ? ACTION_LIST_MAN : ACTION_LIST_TEXT);
            return FD_EXIT_OK;
        case 'V':
            printf("fdesk %s\n", PACKAGE_VERSION);
            return FD_EXIT_OK;
        case ':':
            return cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (!opts.config_path)
        opts.config_path = getenv("FDESK_CONFIG");
    if (opts.debug_log && log_open_file(opts.debug_log) != 0) {
        fprintf(stderr, "fdesk: cannot open debug log '%s': %s\n", opts.debug_log, strerror(errno));
        return FD_EXIT_ERROR;
    }

    /* Before any thread starts: no core dumps or ptrace of a process holding
     * the key, and libcurl's global state set up exactly once. */
    config_harden_process();
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "fdesk: cannot initialise libcurl\n");
        return FD_EXIT_ERROR;
    }

    int status;
    if (optind < argc) {
        const struct cli_command *cmd = find_command(argv[optind]);
        if (!cmd)
            return cli_usage_error("unknown command '%s'", argv[optind]);
        if (opts.demo)
            return cli_usage_error("--demo opens the terminal UI; it takes no command");
        char **sub_argv = argv + optind;
        int sub_argc = argc - optind;
        optind = 0; /* full getopt reset for the subcommand */
        status = cmd->fn(&opts, sub_argc, sub_argv);
    } else {
        status = hooks->run_tui(&opts);
    }
    curl_global_cleanup();
    log_close();
    return status;
}
