/* cmd_write.c: the scripting commands that write to Freshdesk: `fdesk reply`,
 * `fdesk note` and `fdesk update`. Each one stores its write in the outbox
 * first (durably), then sends it and waits for the server's answer: exit 0
 * once confirmed, 1 when refused (the item is kept with the reason), 4 when
 * the server could not be reached (the item stays queued). The TUI uses the
 * same outbox, so a write is sent exactly once whoever sends it. */
#include "src/api.h"
#include "src/cli.h"
#include "src/cmd_write.h"
#include "src/editbuf.h"
#include "src/log.h"
#include "src/outbox.h"
#include "src/store.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* How long a command waits for another process that is sending the same
 * ticket's items before it reports "queued". */
#define WRITE_BUSY_WAIT_MS    90000
#define WRITE_MAX_ATTACHMENTS 32
#define WRITE_KEEP_SENT_MS    ((int64_t)7 * 24 * 3600 * 1000)

int write_session_open(struct write_session *ws, struct cli_options *opts)
{
    char err[512];

    memset(ws, 0, sizeof *ws);
    signal(SIGPIPE, SIG_IGN);
    if (config_load(&ws->cfg, opts->config_path, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
        return FD_EXIT_CONFIG;
    }
    ws->cfg_loaded = true;
    if (!ws->cfg.account && config_require_account(&ws->cfg, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
        return FD_EXIT_CONFIG;
    }
    ws->st = state_open(ws->cfg.state_dir, ws->cfg.account, err, sizeof err);
    if (!ws->st) {
        fprintf(stderr, "fdesk: %s\n", err);
        return FD_EXIT_ERROR;
    }
    /* Sent items are kept a week: their conversation ids keep an unknown
     * item from being matched to a reply that was already credited. */
    outbox_prune_sent(ws->st, WRITE_KEEP_SENT_MS);
    return FD_EXIT_OK;
}

int write_session_connect(struct write_session *ws)
{
    struct api_options o;
    struct fd_error err = FD_ERROR_INIT;
    char msg[512];

    if (ws->api)
        return FD_EXIT_OK;
    if (config_require_account(&ws->cfg, msg, sizeof msg) != 0) {
        fprintf(stderr, "fdesk: %s\n", msg);
        return FD_EXIT_CONFIG;
    }
    if (!ws->curl_started) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        ws->curl_started = true;
    }
    api_options_from_config(&o, &ws->cfg);
    if (api_new(&o, &ws->api, &err) != 0) {
        fprintf(stderr, "fdesk: %s\n", fd_error_message(&err));
        fd_error_clear(&err);
        return FD_EXIT_CONFIG;
    }
    return FD_EXIT_OK;
}

void write_session_cache_result(struct write_session *ws, const struct outbox_send_result *res)
{
    char err[256];

    if (res->outcome != OUTBOX_OUTCOME_SENT || (!res->conversation && !res->ticket))
        return;
    if (!ws->cache_tried) {
        ws->cache_tried = true;
        if (store_exists(ws->cfg.cache_path))
            ws->cache = store_open(ws->cfg.cache_path, 0, NULL, err, sizeof err);
    }
    if (!ws->cache)
        return;
    /* The cache is only a copy: a failure here changes nothing for the write. */
    if (res->conversation && store_upsert_conversation(ws->cache, res->conversation) != 0)
        log_warn("outbox", "caching the new conversation failed: %s", store_error(ws->cache));
    if (res->ticket && store_upsert_ticket(ws->cache, res->ticket) < 0)
        log_warn("outbox", "caching the updated ticket failed: %s", store_error(ws->cache));
}

void write_session_close(struct write_session *ws)
{
    store_close(ws->cache);
    api_free(ws->api);
    state_close(ws->st);
    if (ws->cfg_loaded)
        config_free(&ws->cfg);
    if (ws->curl_started)
        curl_global_cleanup();
    memset(ws, 0, sizeof *ws);
}

struct wait_state {
    struct write_session *ws;
    struct outbox_send_result last; /* the last result about any item (no objects) */
    bool busy;
};

static void note_result(const struct outbox_send_result *res, void *data)
{
    struct wait_state *w = data;
    write_session_cache_result(w->ws, res);
    w->last = *res;
    w->last.conversation = NULL; /* owned by outbox_flush, cleared after this call */
    w->last.ticket = NULL;
    w->busy = w->busy || res->outcome == OUTBOX_OUTCOME_BUSY;
    if (res->outcome == OUTBOX_OUTCOME_SENT && res->verified)
        log_info("outbox", "item %lld was already on the server", (long long)res->item);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static const char *what(enum outbox_kind kind)
{
    switch (kind) {
    case OUTBOX_REPLY:
        return "reply";
    case OUTBOX_NOTE:
        return "note";
    case OUTBOX_UPDATE:
        return "update";
    default:
        return "bulk update";
    }
}

/* Reports the final state of item; returns the exit status. */
static int report_state(const struct outbox_item *it, const struct wait_state *w)
{
    switch (it->state) {
    case OUTBOX_SENT:
        if (it->kind == OUTBOX_BULK_UPDATE)
            printf("%s of %zu tickets: sent (outbox item %lld)\n", what(it->kind), it->ticket_count,
                   (long long)it->id);
        else
            printf("%s to ticket %lld: sent (outbox item %lld)\n", what(it->kind),
                   (long long)it->ticket_id, (long long)it->id);
        return FD_EXIT_OK;
    case OUTBOX_FAILED:
        fprintf(stderr,
                "fdesk: Freshdesk refused the %s to ticket %lld: %s\n"
                "fdesk: it is kept as outbox item %lld ('fdesk outbox drop %lld' removes it)\n",
                what(it->kind), (long long)it->ticket_id, it->error, (long long)it->id,
                (long long)it->id);
        return FD_EXIT_ERROR;
    default:
        fprintf(stderr,
                "fdesk: %s\n"
                "fdesk: the %s to ticket %lld is queued as outbox item %lld; "
                "'fdesk outbox flush' or the next fdesk session sends it%s\n",
                w->last.message[0] ? w->last.message : "Freshdesk could not be reached",
                what(it->kind), (long long)it->ticket_id, (long long)it->id,
                it->state == OUTBOX_UNKNOWN ? " (after checking that it did not already arrive)"
                                            : "");
        return FD_EXIT_QUEUED;
    }
}

int write_send_and_wait(struct write_session *ws, int64_t item)
{
    struct outbox_item it;
    struct wait_state w;
    long waited = 0;
    int status;

    for (;;) {
        memset(&w, 0, sizeof w);
        w.ws = ws;
        if (outbox_flush(ws->st, ws->api, item, note_result, &w) < 0 ||
            outbox_get(ws->st, item, &it) != 1) {
            fprintf(stderr, "fdesk: the outbox (%s) cannot be read\n", ws->st->path);
            return FD_EXIT_ERROR;
        }
        bool in_flight = it.state == OUTBOX_SENDING || w.busy;
        if (!in_flight || waited >= WRITE_BUSY_WAIT_MS)
            break;
        /* Another fdesk is sending this ticket's items: wait for its answer. */
        outbox_item_clear(&it);
        sleep_ms(200);
        waited += 200;
    }
    status = report_state(&it, &w);
    outbox_item_clear(&it);
    return status;
}

/* ---- reading the text --------------------------------------------------- */

static char *read_stream(FILE *f)
{
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);

    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                return NULL;
            }
            buf = grown;
        }
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* The text of a reply or note from FILE, or stdin for "-" (or no -f with
 * stdin not a terminal), cleaned like typed text (valid UTF-8, no controls). */
static int read_text(const char *file, char **out)
{
    FILE *f = stdin;
    struct editbuf b;

    *out = NULL;
    if (file && strcmp(file, "-") != 0 && !(f = fopen(file, "r"))) {
        fprintf(stderr, "fdesk: %s: %s\n", file, strerror(errno));
        return FD_EXIT_ERROR;
    }
    char *raw = read_stream(f);
    if (f != stdin)
        fclose(f);
    int rc = raw ? editbuf_init(&b) : -1;
    if (rc == 0 && editbuf_set_text(&b, raw) != 0) {
        editbuf_free(&b);
        rc = -1;
    }
    free(raw);
    if (rc != 0) {
        fprintf(stderr, "fdesk: out of memory\n");
        return FD_EXIT_ERROR;
    }
    *out = b.text;
    b.text = NULL;
    editbuf_free(&b);
    return FD_EXIT_OK;
}

static int parse_ticket_id(const char *s, fd_id *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return cli_usage_error("'%s' is not a ticket id", s);
    *id = (fd_id)v;
    return FD_EXIT_OK;
}

/* At a terminal without -f: the text is written in the agent's $VISUAL or
 * $EDITOR, like `git commit`. A failed editor queues nothing. */
static int edit_text(struct write_session *ws, char **out)
{
    struct editbuf b;
    char err[512];

    if (editbuf_init(&b) != 0)
        return FD_EXIT_ERROR;
    int rc = editbuf_run_editor(&b, NULL, ws->cfg.state_dir, err, sizeof err);
    if (rc != 1) {
        fprintf(stderr, "fdesk: %s; nothing was queued\n", err);
        editbuf_free(&b);
        return FD_EXIT_ERROR;
    }
    *out = b.text;
    b.text = NULL;
    editbuf_free(&b);
    return FD_EXIT_OK;
}

struct conversation_args {
    const char *file, *cc, *bcc;
    const char *attach[WRITE_MAX_ATTACHMENTS];
    size_t attach_count;
    bool is_public;
    fd_id ticket;
};

/* Returns FD_EXIT_OK, a usage status, or -1 when --help was printed. */
static int parse_conversation_args(int argc, char **argv, enum outbox_kind kind,
                                   struct conversation_args *a)
{
    static const struct option longopts[] = {
        {"file", required_argument, NULL, 'f'},
        {"public", no_argument, NULL, 'P'},
        {"cc", required_argument, NULL, 'C'},
        {"bcc", required_argument, NULL, 'B'},
        {"attach", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, status;

    memset(a, 0, sizeof *a);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:a:h", longopts, NULL)) != -1) {
        if (c == 'f')
            a->file = optarg;
        else if (c == 'a' && a->attach_count < WRITE_MAX_ATTACHMENTS)
            a->attach[a->attach_count++] = optarg;
        else if (c == 'a')
            return cli_usage_error("at most %d attachments", WRITE_MAX_ATTACHMENTS);
        else if (c == 'P' && kind == OUTBOX_NOTE)
            a->is_public = true;
        else if (c == 'C' && kind == OUTBOX_REPLY)
            a->cc = optarg;
        else if (c == 'B' && kind == OUTBOX_REPLY)
            a->bcc = optarg;
        else if (c == 'h') {
            printf(kind == OUTBOX_REPLY
                       ? "Usage: fdesk reply ID [-f FILE | -] [--cc ADDRS] [--bcc ADDRS] "
                         "[-a FILE]...\n"
                       : "Usage: fdesk note ID [--public] [-f FILE | -] [-a FILE]...\n");
            return -1;
        } else if (c == 'P')
            return cli_usage_error("reply: a reply always goes to the customer; --public is "
                                   "for notes");
        else if (c == 'C' || c == 'B')
            return cli_usage_error("note: --cc and --bcc are for replies");
        else if (c == ':')
            return cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
        else
            return cli_usage_error("%s: unknown option '%s'", argv[0], argv[optind - 1]);
    }
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0 && !a->file)
            a->file = "-";
        else if (a->ticket || strcmp(argv[i], "-") == 0)
            return cli_usage_error("%s: unexpected argument '%s'", argv[0], argv[i]);
        else if ((status = parse_ticket_id(argv[i], &a->ticket)) != FD_EXIT_OK)
            return status;
    }
    if (!a->ticket)
        return cli_usage_error("%s: which ticket? (fdesk %s ID)", argv[0], argv[0]);
    return FD_EXIT_OK;
}

/* reply and note: the same command with a different kind. */
static int conversation_command(struct cli_options *opts, int argc, char **argv,
                                enum outbox_kind kind)
{
    struct conversation_args a;
    struct write_session ws;
    char *text = NULL;
    int status = parse_conversation_args(argc, argv, kind, &a);

    if (status != FD_EXIT_OK)
        return status < 0 ? FD_EXIT_OK : status;
    bool interactive = !a.file && isatty(STDIN_FILENO);
    if (!interactive && (status = read_text(a.file, &text)) != FD_EXIT_OK)
        return status;
    /* The account is checked before anything is queued; connecting does no
     * network I/O, so an unreachable server still gets the item queued. */
    if ((status = write_session_open(&ws, opts)) == FD_EXIT_OK &&
        (status = write_session_connect(&ws)) == FD_EXIT_OK && interactive)
        status = edit_text(&ws, &text);
    if (status == FD_EXIT_OK) {
        char err[600];
        int64_t item;
        struct outbox_conversation conv = {.kind = kind,
                                           .ticket_id = a.ticket,
                                           .text = text,
                                           .cc = a.cc,
                                           .bcc = a.bcc,
                                           .is_public = a.is_public,
                                           .attachments = a.attach,
                                           .attachment_count = a.attach_count};
        if (outbox_add_conversation_full(ws.st, &conv, &item, err, sizeof err) != 0) {
            fprintf(stderr, "fdesk: %s\n", err);
            status = FD_EXIT_ERROR;
        } else {
            status = write_send_and_wait(&ws, item);
        }
    }
    write_session_close(&ws);
    free(text);
    return status;
}

int cmd_reply(struct cli_options *opts, int argc, char **argv)
{
    return conversation_command(opts, argc, argv, OUTBOX_REPLY);
}

int cmd_note(struct cli_options *opts, int argc, char **argv)
{
    return conversation_command(opts, argc, argv, OUTBOX_NOTE);
}
