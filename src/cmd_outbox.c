/* cmd_outbox.c: `fdesk outbox [list]`, `fdesk outbox flush` and
 * `fdesk outbox drop ITEM [--yes]`: the agent's view of the writes that have
 * not been confirmed by the server yet (queued, being sent, of unknown
 * outcome, or refused with a reason). */
#include "src/api.h"
#include "src/cli.h"
#include "src/cmd_write.h"
#include "src/outbox.h"

#include <cjson/cJSON.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The first line of text, at most max bytes (cut at a UTF-8 boundary). */
static void first_line(const char *text, char *buf, size_t max)
{
    size_t n = strcspn(text, "\n");
    if (n >= max) {
        n = max - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(buf, text, n);
    buf[n] = '\0';
}

static void print_item(const struct outbox_item *it)
{
    char when[32], summary[64];
    time_t t = (time_t)(it->created_at / 1000);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    if (it->kind == OUTBOX_REPLY || it->kind == OUTBOX_NOTE)
        first_line(it->text, summary, sizeof summary);
    else
        first_line(it->payload, summary, sizeof summary);
    printf("%-6lld %-8s %-11s", (long long)it->id, outbox_state_name(it->state),
           outbox_kind_name(it->kind));
    for (size_t i = 0; i < it->ticket_count; i++)
        printf("%s%lld", i ? "," : " #", (long long)it->ticket_ids[i]);
    printf("  %s  %s\n", when, summary);
    if (it->error[0])
        printf("       %s\n", it->error);
}

/* One item as JSON; the ticket ids as an array. */
static cJSON *item_json(const struct outbox_item *it)
{
    cJSON *o = cJSON_CreateObject(), *ids = cJSON_AddArrayToObject(o, "ticket_ids");
    char when[32];

    cJSON_AddNumberToObject(o, "id", (double)it->id);
    cJSON_AddStringToObject(o, "kind", outbox_kind_name(it->kind));
    cJSON_AddStringToObject(o, "state", outbox_state_name(it->state));
    for (size_t i = 0; i < it->ticket_count; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)it->ticket_ids[i]));
    model_format_time(it->created_at / 1000, when, sizeof when);
    cJSON_AddStringToObject(o, "created_at", when);
    cJSON_AddNumberToObject(o, "attempts", it->attempts);
    if (it->kind == OUTBOX_REPLY || it->kind == OUTBOX_NOTE)
        cJSON_AddStringToObject(o, "text", it->text);
    else
        cJSON_AddItemToObject(o, "changes", cJSON_Parse(it->payload));
    if (it->error[0])
        cJSON_AddStringToObject(o, "error", it->error);
    else
        cJSON_AddNullToObject(o, "error");
    return o;
}

static int print_json(const struct outbox_item *items, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, item_json(&items[i]));
    char *text = cJSON_Print(arr);
    cJSON_Delete(arr);
    if (!text) {
        fprintf(stderr, "fdesk: out of memory\n");
        return FD_EXIT_ERROR;
    }
    puts(text);
    free(text);
    return FD_EXIT_OK;
}

static int outbox_list_command(struct write_session *ws, bool json)
{
    struct outbox_item *items;
    size_t n;

    if (outbox_list(ws->st, &items, &n) != 0) {
        fprintf(stderr, "fdesk: the outbox (%s) cannot be read\n", ws->st->path);
        return FD_EXIT_ERROR;
    }
    int status = FD_EXIT_OK;
    if (json)
        status = print_json(items, n);
    else if (n == 0)
        printf("The outbox is empty.\n");
    for (size_t i = 0; !json && i < n; i++)
        print_item(&items[i]);
    outbox_items_free(items, n);
    return status;
}

struct flush_tally {
    struct write_session *ws;
    int sent, failed;
    char last_problem[480];
};

static void flush_report(const struct outbox_send_result *r, void *data)
{
    struct flush_tally *t = data;
    const char *kind = outbox_kind_name(r->kind);

    write_session_cache_result(t->ws, r);
    if (r->outcome == OUTBOX_OUTCOME_SENT) {
        t->sent++;
        printf("item %lld (%s, ticket %lld): %s\n", (long long)r->item, kind,
               (long long)r->ticket_id, r->verified ? "already on the server" : "sent");
    } else if (r->outcome == OUTBOX_OUTCOME_FAILED) {
        t->failed++;
        printf("item %lld (%s, ticket %lld): refused: %s\n", (long long)r->item, kind,
               (long long)r->ticket_id, r->message);
    } else {
        snprintf(t->last_problem, sizeof t->last_problem, "%s", r->message);
    }
}

static int outbox_flush_command(struct write_session *ws)
{
    struct flush_tally t = {.ws = ws};
    int status = write_session_connect(ws), pending;

    if (status != FD_EXIT_OK)
        return status;
    pending = outbox_flush(ws->st, ws->api, 0, flush_report, &t);
    if (pending < 0) {
        fprintf(stderr, "fdesk: the outbox (%s) cannot be read\n", ws->st->path);
        return FD_EXIT_ERROR;
    }
    if (pending > 0) {
        fprintf(stderr, "fdesk: %s%s%d item%s still queued\n", t.last_problem,
                t.last_problem[0] ? "; " : "", pending, pending == 1 ? "" : "s");
        return FD_EXIT_QUEUED;
    }
    if (t.sent == 0 && t.failed == 0)
        printf("Nothing to send.\n");
    return t.failed ? FD_EXIT_ERROR : FD_EXIT_OK;
}

/* Asks on the terminal; false when there is none to ask on. */
static bool confirm(const struct outbox_item *it)
{
    char answer[16];

    if (!isatty(STDIN_FILENO))
        return false;
    fprintf(stderr, "Drop outbox item %lld (%s %s, ticket %lld)? It will never be sent. [y/N] ",
            (long long)it->id, outbox_state_name(it->state), outbox_kind_name(it->kind),
            (long long)it->ticket_id);
    if (!fgets(answer, sizeof answer, stdin))
        return false;
    return answer[0] == 'y' || answer[0] == 'Y';
}

static int outbox_drop_command(struct write_session *ws, const char *which, bool yes)
{
    struct outbox_item it;
    char *end;
    long long id = strtoll(which, &end, 10);
    bool busy;
    int found;

    if (*end || end == which || id <= 0)
        return cli_usage_error("'%s' is not an outbox item (see 'fdesk outbox list')", which);
    found = outbox_get(ws->st, id, &it);
    if (found <= 0) {
        fprintf(stderr, "fdesk: %s\n", found < 0 ? "the outbox cannot be read" : "no such item");
        return FD_EXIT_ERROR;
    }
    if (!yes && !confirm(&it)) {
        outbox_item_clear(&it);
        if (!isatty(STDIN_FILENO))
            return cli_usage_error("outbox drop asks first; add --yes to drop without asking");
        fprintf(stderr, "Kept.\n");
        return FD_EXIT_ERROR;
    }
    outbox_item_clear(&it);
    found = outbox_drop(ws->st, id, &busy);
    if (found != 1) {
        fprintf(stderr, "fdesk: %s\n",
                busy ? "another fdesk is sending that item right now; try again in a moment"
                     : "the item could not be dropped");
        return FD_EXIT_ERROR;
    }
    printf("Dropped outbox item %lld.\n", id);
    return FD_EXIT_OK;
}

int cmd_outbox(struct cli_options *opts, int argc, char **argv)
{
    static const struct option longopts[] = {{"yes", no_argument, NULL, 'y'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    struct write_session ws;
    bool yes = false, json = false;
    int c, status;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "yh", longopts, NULL)) != -1) {
        if (c == 'y') {
            yes = true;
        } else if (c == 'F') {
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return cli_usage_error("outbox: --format is text or json");
            json = strcmp(optarg, "json") == 0;
        } else if (c == 'h') {
            printf("Usage: fdesk outbox [list] [--format text|json]\n       fdesk outbox flush\n"
                   "       fdesk outbox drop ITEM [--yes]\n");
            return FD_EXIT_OK;
        } else {
            return cli_usage_error("outbox: unknown option '%s'", argv[optind - 1]);
        }
    }
    const char *sub = optind < argc ? argv[optind] : "list";
    int rest = argc - optind - (optind < argc);
    bool is_drop = strcmp(sub, "drop") == 0;
    if (strcmp(sub, "list") != 0 && strcmp(sub, "flush") != 0 && !is_drop)
        return cli_usage_error("outbox: unknown subcommand '%s' (list, flush, drop ITEM)", sub);
    if (rest != (is_drop ? 1 : 0))
        return cli_usage_error(is_drop ? "outbox drop: which item? (fdesk outbox drop ITEM)"
                                       : "outbox %s: unexpected argument",
                               sub);
    if ((status = write_session_open(&ws, opts)) == FD_EXIT_OK) {
        if (strcmp(sub, "list") == 0)
            status = outbox_list_command(&ws, json);
        else if (strcmp(sub, "flush") == 0)
            status = outbox_flush_command(&ws);
        else
            status = outbox_drop_command(&ws, argv[optind + 1], yes);
    }
    write_session_close(&ws);
    return status;
}
