/* cmd_list.c: `fdesk list [--view NAME] [--sort KEY] [--format table|tsv|json]
 * [--limit N]`: the cached tickets, read window by window from the store so
 * memory stays flat however many there are.
 *
 * Without --view every live cached ticket is listed, most recently updated
 * first. json is an array of Freshdesk v2 ticket objects with requester and
 * company embedded (as include= does); tsv is one ticket per line for
 * scripts (columns in fdesk(1)); table fits the terminal width when stdout is
 * a terminal and is printed in full otherwise. Every string from the server
 * goes through the sanitiser before it is printed (json is escaped by the
 * JSON encoder instead). */
#include "src/cli.h"
#include "src/cmd_read.h"
#include "src/text.h"
#include "src/views.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define LIST_WINDOW 256

struct list_options {
    const char *view;
    enum store_sort sort;
    enum list_format format;
    size_t limit; /* 0 = all */
};

static int list_usage(FILE *out)
{
    fprintf(out, "Usage: fdesk list [--view NAME] [--sort updated|created|due|priority|status]\n"
                 "                  [--format table|tsv|json] [--limit N]\n"
                 "Lists the cached tickets (all of them unless --view is given).\n");
    return out == stdout ? FD_EXIT_OK : FD_EXIT_USAGE;
}

static int parse_options(int argc, char **argv, struct list_options *o)
{
    static const struct option longopts[] = {
        {"view", required_argument, NULL, 'v'},  {"format", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'n'}, {"sort", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":v:f:n:s:h", longopts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'v':
            o->view = optarg;
            break;
        case 'f':
            if (list_format_from_name(optarg) < 0)
                return cli_usage_error("list: unknown format '%s' (table, tsv, json)", optarg);
            o->format = (enum list_format)list_format_from_name(optarg);
            break;
        case 'n': {
            long long n = strtoll(optarg, &end, 10);
            if (end == optarg || *end || n <= 0)
                return cli_usage_error("list: --limit needs a positive number, not '%s'", optarg);
            o->limit = (size_t)n;
            break;
        }
        case 's':
            if (store_sort_from_name(optarg) < 0)
                return cli_usage_error(
                    "list: unknown sort '%s' (updated, created, due, priority, status)", optarg);
            o->sort = (enum store_sort)store_sort_from_name(optarg);
            break;
        case 'h':
            return list_usage(stdout) == FD_EXIT_OK ? -1 : FD_EXIT_USAGE;
        case ':':
            return cli_usage_error("list: option '%s' needs an argument", argv[optind - 1]);
        default:
            return cli_usage_error("list: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("list: unexpected argument '%s'", argv[optind]);
    return FD_EXIT_OK;
}

/* ---- table ------------------------------------------------------------------ */

enum column_id {
    COL_ID,
    COL_STATUS,
    COL_PRIORITY,
    COL_DUE,
    COL_REQUESTER,
    COL_AGENT,
    COL_UPDATED,
    COL_COMPANY,
    COL_GROUP,
    COL_SUBJECT,
    COL_COUNT
};

static const struct {
    const char *title;
    int width;
    enum text_align align;
    int min_terminal; /* shown on a terminal at least this wide */
} columns[COL_COUNT] = {
    [COL_ID] = {"ID", 7, TEXT_ALIGN_RIGHT, 0},
    [COL_STATUS] = {"STATUS", 10, TEXT_ALIGN_LEFT, 0},
    [COL_PRIORITY] = {"PRIORITY", 8, TEXT_ALIGN_LEFT, 72},
    [COL_DUE] = {"DUE", 11, TEXT_ALIGN_LEFT, 50},
    [COL_REQUESTER] = {"REQUESTER", 16, TEXT_ALIGN_LEFT, 64},
    [COL_AGENT] = {"AGENT", 14, TEXT_ALIGN_LEFT, 100},
    [COL_UPDATED] = {"UPDATED", 16, TEXT_ALIGN_LEFT, 118},
    [COL_COMPANY] = {"COMPANY", 14, TEXT_ALIGN_LEFT, 134},
    [COL_GROUP] = {"GROUP", 14, TEXT_ALIGN_LEFT, 150},
    [COL_SUBJECT] = {"SUBJECT", 0, TEXT_ALIGN_LEFT, 0},
};

struct table {
    bool fit;          /* stdout is a terminal: fit its width */
    int subject_width; /* when fitting */
    bool shown[COL_COUNT];
    fd_time now;
};

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    int n = env ? atoi(env) : 0;
    return n > 0 ? n : 80;
}

static void table_init(struct table *t)
{
    t->fit = isatty(STDOUT_FILENO);
    t->now = (fd_time)time(NULL);
    int width = t->fit ? terminal_width() : 0, used = 0;
    for (int c = 0; c < COL_COUNT; c++) {
        t->shown[c] = !t->fit || width >= columns[c].min_terminal;
        if (t->shown[c] && c != COL_SUBJECT)
            used += columns[c].width + 1;
    }
    t->subject_width = width - used > 8 ? width - used : 8;
}

/* Prints one cell: sanitised, fitted to the column on a terminal, else padded
 * but never cut. */
static void print_cell(const struct table *t, int c, const char *text)
{
    char *clean = text_sanitize(text ? text : "", (size_t)-1, TEXT_SINGLE_LINE);
    int width = c == COL_SUBJECT ? t->subject_width : columns[c].width;
    if (!clean)
        return;
    if (c == COL_SUBJECT && !t->fit) {
        fputs(clean, stdout);
    } else if (t->fit) {
        char *fitted = c == COL_SUBJECT ? text_truncate(clean, width)
                                        : text_fit(clean, width, columns[c].align);
        fputs(fitted ? fitted : "", stdout);
        free(fitted);
    } else {
        int pad = width - text_width(clean);
        if (columns[c].align == TEXT_ALIGN_RIGHT)
            printf("%*s%s", pad > 0 ? pad : 0, "", clean);
        else
            printf("%s%*s", clean, pad > 0 ? pad : 0, "");
    }
    free(clean);
    fputc(c == COL_SUBJECT ? '\n' : ' ', stdout);
}

static void table_header(const struct table *t)
{
    for (int c = 0; c < COL_COUNT; c++)
        if (t->shown[c])
            print_cell(t, c, columns[c].title);
}

static void table_row(const struct table *t, const struct store_row *r)
{
    char id[24], status[16], due[32], updated[32];
    const char *priority = model_priority_name(r->priority);
    const char *cells[COL_COUNT];

    snprintf(id, sizeof id, "%lld", (long long)r->id);
    read_format_due(r->due_by, r->status, t->now, due, sizeof due);
    read_format_local_time(r->updated_at, updated, sizeof updated);
    cells[COL_ID] = id;
    cells[COL_STATUS] = read_status_name(r->status, r->status_label, status, sizeof status);
    cells[COL_PRIORITY] = priority ? priority : "-";
    cells[COL_DUE] = due;
    cells[COL_REQUESTER] = r->requester ? r->requester : "-";
    cells[COL_AGENT] = r->agent ? r->agent : "-";
    cells[COL_UPDATED] = updated;
    cells[COL_COMPANY] = r->company ? r->company : "-";
    cells[COL_GROUP] = r->group ? r->group : "-";
    cells[COL_SUBJECT] = r->subject ? r->subject : "";
    for (int c = 0; c < COL_COUNT; c++)
        if (t->shown[c])
            print_cell(t, c, cells[c]);
}

/* ---- tsv, json ------------------------------------------------------------------ */

static void tsv_field(const char *text, char end)
{
    char *clean = text_sanitize(text ? text : "", (size_t)-1, TEXT_SINGLE_LINE);
    fputs(clean ? clean : "", stdout);
    fputc(end, stdout);
    free(clean);
}

static void tsv_time(fd_time t)
{
    char buf[32] = "";
    if (t)
        model_format_time(t, buf, sizeof buf);
    fputs(buf, stdout);
    fputc('\t', stdout);
}

static void tsv_row(const struct store_row *r)
{
    char status[16];
    const char *priority = model_priority_name(r->priority);

    printf("%lld\t", (long long)r->id);
    tsv_field(read_status_name(r->status, r->status_label, status, sizeof status), '\t');
    tsv_field(priority ? priority : "", '\t');
    tsv_time(r->due_by);
    tsv_time(r->fr_due_by);
    tsv_field(r->requester, '\t');
    tsv_field(r->company, '\t');
    tsv_field(r->agent, '\t');
    tsv_field(r->group, '\t');
    tsv_time(r->created_at);
    tsv_time(r->updated_at);
    tsv_field(r->subject, '\n');
}

/* ---- the printer (shared with `fdesk search`, see cmd_read.h) ---------------------- */

struct list_printer {
    enum list_format format;
    struct table table;
    size_t printed;
};

int list_format_from_name(const char *name)
{
    if (strcmp(name, "table") == 0)
        return LIST_TABLE;
    if (strcmp(name, "tsv") == 0)
        return LIST_TSV;
    if (strcmp(name, "json") == 0)
        return LIST_JSON;
    return -1;
}

struct list_printer *list_printer_new(enum list_format format)
{
    struct list_printer *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->format = format;
    if (format == LIST_TABLE) {
        table_init(&p->table);
        table_header(&p->table);
    } else if (format == LIST_JSON) {
        fputs("[", stdout);
    }
    return p;
}

void list_printer_row(struct list_printer *p, const struct store_row *r)
{
    if (p->format == LIST_JSON)
        printf("%s\n%s", p->printed ? "," : "", r->json ? r->json : "null");
    else if (p->format == LIST_TSV)
        tsv_row(r);
    else
        table_row(&p->table, r);
    p->printed++;
}

int list_printer_end(struct list_printer *p, const char *what)
{
    int status = FD_EXIT_OK;

    if (p->format == LIST_JSON)
        fputs(p->printed ? "\n]\n" : "]\n", stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "fdesk: %s: %s\n", what, strerror(errno));
        status = FD_EXIT_ERROR;
    }
    free(p);
    return status;
}

/* ---- the loop ---------------------------------------------------------------------- */

/* Prints every row of the query, one window at a time. */
static int print_rows(struct store *s, const struct store_query *q, const struct list_options *o)
{
    struct store_rows rows = {0};
    struct store_anchor anchor;
    struct list_printer *p = list_printer_new(o->format);
    size_t printed = 0;
    bool first = true;

    if (!p) {
        fprintf(stderr, "fdesk: list: out of memory\n");
        return FD_EXIT_ERROR;
    }
    for (;;) {
        size_t want = LIST_WINDOW;
        if (o->limit && o->limit - printed < want)
            want = o->limit - printed;
        if (want == 0)
            break;
        if (store_window(s, q, first ? NULL : &anchor, STORE_AFTER, want, &rows) != 0) {
            fprintf(stderr, "\nfdesk: %s\n", store_error(s));
            store_rows_clear(&rows);
            list_printer_end(p, "list");
            return FD_EXIT_ERROR;
        }
        for (size_t i = 0; i < rows.count; i++)
            list_printer_row(p, &rows.rows[i]);
        printed += rows.count;
        if (rows.count < want)
            break;
        anchor = rows.rows[rows.count - 1].anchor;
        first = false;
    }
    store_rows_clear(&rows);
    return list_printer_end(p, "list");
}

int cmd_list(struct cli_options *opts, int argc, char **argv)
{
    struct list_options o = {.sort = STORE_SORT_UPDATED, .format = LIST_TABLE};
    struct read_session rs;
    struct view_set views = {0};
    char err[512];
    int status = parse_options(argc, argv, &o);

    if (status != FD_EXIT_OK)
        return status < 0 ? FD_EXIT_OK : status;
    if ((status = read_session_open(&rs, opts)) != FD_EXIT_OK) {
        read_session_close(&rs);
        return status;
    }
    struct store_query q = {.sort = o.sort, .with_json = o.format == LIST_JSON};
    if (o.view) {
        if (views_load(&views, &rs.cfg, err, sizeof err) != 0) {
            fprintf(stderr, "fdesk: %s\n", err);
            read_session_close(&rs);
            return FD_EXIT_CONFIG;
        }
        const struct view *v = views_find(&views, o.view);
        if (!v) {
            fprintf(stderr, "fdesk: list: no view named '%s'; the views are:", o.view);
            for (size_t i = 0; i < views.count; i++)
                fprintf(stderr, " %s", views.items[i].name);
            fputc('\n', stderr);
            views_free(&views);
            read_session_close(&rs);
            return FD_EXIT_USAGE;
        }
        q.filter = v->expr;
    }
    status = print_rows(rs.store, &q, &o);
    views_free(&views);
    read_session_close(&rs);
    return status;
}
