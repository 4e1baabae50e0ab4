/* cmd_search.c: `fdesk search [--format table|tsv|json] [--page N | --all]
 * QUERY`, a Freshdesk server search (GET /search/tickets, Freshdesk's own
 * query language) whose results are merged into the local cache and printed
 * like `fdesk list` prints them.
 *
 * The results are stored the way the sync engine stores a search
 * (sync_store_tickets), and the requesters and companies they name that the
 * cache does not know yet are fetched like the engine fetches them
 * (sync_fetch_people: search results carry no include=), so the TUI and
 * `fdesk list` see the tickets with their names afterwards. The rows are then
 * read back from the cache in the server's order and printed with the list's
 * printer (cmd_read.h), so the columns and formats are exactly the list's. */
#include "src/cli.h"
#include "src/cmd_read.h"
#include "src/decode.h"
#include "src/events.h"
#include "src/jobs.h"
#include "src/sync_internal.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Freshdesk's limit on the query, counting the double quotes around it. */
#define SEARCH_MAX_QUERY 512
#define SEARCH_MAX_PAGE  10

struct search_options {
    enum list_format format;
    int page; /* 1..10 */
    bool all;
    char *query; /* the arguments joined by spaces (malloc'd) */
};

static int search_usage(FILE *out)
{
    fprintf(out, "Usage: fdesk search [--format table|tsv|json] [--page N | --all] QUERY\n"
                 "Searches tickets on the server (Freshdesk's query language, e.g.\n"
                 "\"status:2 AND priority:4\" or \"tag:'vip'\"), adds them to the cache\n"
                 "and lists them like `fdesk list`. 30 results a page, pages 1 to 10.\n");
    return out == stdout ? FD_EXIT_OK : FD_EXIT_USAGE;
}

/* The words of the query joined by single spaces, so that an unquoted
 * `fdesk search status:2 AND priority:4` works too. */
static char *join_words(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len), *p = q;
    if (!q)
        return NULL;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i)
            *p++ = ' ';
        memcpy(p, argv[i], n);
        p += n;
    }
    *p = '\0';
    return q;
}

/* Checks what the server would refuse anyway, before any request: an empty
 * query, one longer than SEARCH_MAX_QUERY with its quotes. */
static int check_query(const char *q)
{
    size_t n = strlen(q);
    if (n >= 2 && q[0] == '"' && q[n - 1] == '"')
        n -= 2; /* already wrapped in double quotes: the api sends it as is */
    if (n == 0)
        return cli_usage_error("search: the query is empty");
    if (n + 2 > SEARCH_MAX_QUERY)
        return cli_usage_error("search: the query is %zu characters long; Freshdesk accepts at "
                               "most %d, counting the double quotes around it",
                               n + 2, SEARCH_MAX_QUERY);
    return FD_EXIT_OK;
}

static int parse_options(int argc, char **argv, struct search_options *o)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"page", required_argument, NULL, 'p'},
        {"all", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    bool paged = false;
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:p:ah", longopts, NULL)) != -1) {
        char *end;
        long n;
        switch (c) {
        case 'f':
            if (list_format_from_name(optarg) < 0)
                return cli_usage_error("search: unknown format '%s' (table, tsv, json)", optarg);
            o->format = (enum list_format)list_format_from_name(optarg);
            break;
        case 'p':
            n = strtol(optarg, &end, 10);
            if (end == optarg || *end || n < 1 || n > SEARCH_MAX_PAGE)
                return cli_usage_error("search: --page goes from 1 to %d, not '%s'",
                                       SEARCH_MAX_PAGE, optarg);
            o->page = (int)n;
            paged = true;
            break;
        case 'a':
            o->all = true;
            break;
        case 'h':
            return search_usage(stdout) == FD_EXIT_OK ? -1 : FD_EXIT_USAGE;
        case ':':
            return cli_usage_error("search: option '%s' needs an argument", argv[optind - 1]);
        default:
            return cli_usage_error("search: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (paged && o->all)
        return cli_usage_error("search: --page and --all do not go together");
    if (optind >= argc)
        return cli_usage_error("search: what to search for? (e.g. fdesk search 'status:2')");
    o->query = join_words(argc - optind, argv + optind);
    if (!o->query) {
        fprintf(stderr, "fdesk: search: out of memory\n");
        return FD_EXIT_ERROR;
    }
    return check_query(o->query);
}

/* ---- Asking the server ------------------------------------------------------ */

/* Runs the search: one page, or every page (--all). */
static int fetch_results(struct api *api, const struct search_options *o,
                         struct fd_ticket **tickets, size_t *count, long *total,
                         struct fd_error *err)
{
    struct api_ticket_page page;

    if (o->all)
        return api_search_tickets_all(api, o->query, tickets, count, total, err);
    if (api_search_tickets(api, o->query, o->page, &page, err) != 0)
        return -1;
    *tickets = page.tickets;
    *count = page.count;
    *total = page.total;
    page.tickets = NULL;
    page.count = 0;
    api_ticket_page_clear(&page);
    return 0;
}

/* The first error the engine functions posted, or a generic message. */
static void print_posted_error(struct events *events)
{
    struct fd_event ev;
    while (events_pop(events, &ev))
        if (ev.type == FD_EVENT_ERROR) {
            fprintf(stderr, "fdesk: search: %s\n", ev.message);
            return;
        }
    fprintf(stderr, "fdesk: search: cannot write the cache\n");
}

/* Stores the tickets and fetches the people they name, with the sync
 * engine's own functions (on this thread: no engine runs here). */
static int merge_results(const struct fd_config *cfg, struct store *store, struct api *api,
                         const struct fd_ticket *tickets, size_t count)
{
    struct events *events = events_new();
    struct jobs *jobs = jobs_new();
    int rc = -1;

    if (events && jobs) {
        struct sync_run r = {
            .cfg = cfg,
            .store = store,
            .api = api,
            .budget = api_budget(api),
            .events = events,
            .jobs = jobs,
            .ok = true,
        };
        rc = sync_store_tickets(&r, tickets, count, NULL, false, NULL);
        if (rc == 0)
            rc = sync_fetch_people(&r, tickets, count);
        if (rc != 0)
            print_posted_error(events);
    } else {
        fprintf(stderr, "fdesk: search: out of memory\n");
    }
    events_free(events);
    jobs_free(jobs);
    return rc;
}

/* ---- Printing -------------------------------------------------------------- */

/* The list row of ticket id as `fdesk list` builds it: the row just before
 * the ticket's position in the list order, then the one after that. Returns
 * 1 (row filled), 0 (not a live ticket in the cache), -1 (store error). */
static int row_for(struct store *s, const struct store_query *q, fd_id id, struct store_rows *rows)
{
    struct store_anchor at, before;
    int rc = store_anchor_for(s, q->sort, id, &at);

    if (rc <= 0)
        return rc;
    if (store_window(s, q, &at, STORE_BEFORE, 1, rows) != 0)
        return -1;
    bool first = rows->count == 0;
    if (!first)
        before = rows->rows[0].anchor;
    if (store_window(s, q, first ? NULL : &before, STORE_AFTER, 1, rows) != 0)
        return -1;
    return rows->count == 1 && rows->rows[0].id == id;
}

/* Prints the result tickets in the server's order. */
static int print_results(struct store *s, const struct search_options *o,
                         const struct fd_ticket *tickets, size_t count)
{
    struct store_query q = {.sort = STORE_SORT_UPDATED, .with_json = o->format == LIST_JSON};
    struct store_rows rows = {0};
    struct list_printer *p = list_printer_new(o->format);
    int status = FD_EXIT_OK;

    if (!p) {
        fprintf(stderr, "fdesk: search: out of memory\n");
        return FD_EXIT_ERROR;
    }
    for (size_t i = 0; i < count && status == FD_EXIT_OK; i++) {
        int rc = row_for(s, &q, tickets[i].id, &rows);
        if (rc < 0) {
            fprintf(stderr, "\nfdesk: search: %s\n", store_error(s));
            status = FD_EXIT_ERROR;
        } else if (rc == 1) {
            list_printer_row(p, &rows.rows[0]);
        }
    }
    store_rows_clear(&rows);
    int end = list_printer_end(p, "search");
    return status != FD_EXIT_OK ? status : end;
}

/* ---- The command -------------------------------------------------------------- */

/* An api handle for the account. */
static int open_api(const struct fd_config *cfg, struct api **api)
{
    struct api_options ao;
    struct fd_error err = FD_ERROR_INIT;

    api_options_from_config(&ao, cfg);
    if (api_new(&ao, api, &err) != 0) {
        fprintf(stderr, "fdesk: %s\n", fd_error_message(&err));
        fd_error_clear(&err);
        return FD_EXIT_CONFIG;
    }
    return FD_EXIT_OK;
}

/* Opens the account's cache, creating it (a search may come before any
 * sync): only once the search has succeeded, so a failed one leaves none. */
static int open_store(const struct fd_config *cfg, struct store **store)
{
    char msg[1024];

    *store = store_open(cfg->cache_path, STORE_OPEN_CREATE, NULL, msg, sizeof msg);
    if (!*store) {
        fprintf(stderr, "fdesk: %s\n", msg);
        return FD_EXIT_ERROR;
    }
    if (store_notice(*store))
        fprintf(stderr, "fdesk: %s\n", store_notice(*store));
    return FD_EXIT_OK;
}

static int run_search(const struct fd_config *cfg, const struct search_options *o)
{
    struct store *store = NULL;
    struct api *api = NULL;
    struct fd_ticket *tickets = NULL;
    struct fd_error err = FD_ERROR_INIT;
    size_t count = 0;
    long total = 0;
    int status = open_api(cfg, &api);

    if (status != FD_EXIT_OK)
        goto out;
    if (fetch_results(api, o, &tickets, &count, &total, &err) != 0) {
        /* FD_ERR_INVALID: refused before sending (e.g. a double quote inside) */
        fprintf(stderr, "fdesk: search: %s\n", fd_error_message(&err));
        status = err.kind == FD_ERR_INVALID ? FD_EXIT_USAGE : FD_EXIT_ERROR;
        goto out;
    }
    if ((status = open_store(cfg, &store)) != FD_EXIT_OK)
        goto out;
    if (merge_results(cfg, store, api, tickets, count) != 0) {
        status = FD_EXIT_ERROR;
        goto out;
    }
    status = print_results(store, o, tickets, count);
    if (status == FD_EXIT_OK && isatty(STDOUT_FILENO))
        fprintf(stderr, "%zu of %ld results\n", count, total < 0 ? (long)count : total);
out:
    fd_error_clear(&err);
    decode_free_tickets(tickets, count);
    api_free(api);
    store_close(store);
    return status;
}

int cmd_search(struct cli_options *opts, int argc, char **argv)
{
    struct search_options o = {.format = LIST_TABLE, .page = 1};
    struct fd_config cfg;
    char err[1024];
    int status = parse_options(argc, argv, &o);

    if (status != FD_EXIT_OK) {
        free(o.query);
        return status < 0 ? FD_EXIT_OK : status;
    }
    memset(&cfg, 0, sizeof cfg);
    if (config_load(&cfg, opts->config_path, err, sizeof err) != 0 ||
        config_require_account(&cfg, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
        status = FD_EXIT_CONFIG;
    } else if (!cfg.cache_path) {
        fprintf(stderr, "fdesk: no cache location for account %s (set XDG_CACHE_HOME or HOME)\n",
                cfg.account);
        status = FD_EXIT_CONFIG;
    } else {
        status = run_search(&cfg, &o);
    }
    config_free(&cfg);
    free(o.query);
    return status;
}
