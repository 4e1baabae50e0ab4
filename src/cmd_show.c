/* cmd_show.c: `fdesk show ID [--format text|json] [--cached]`: one ticket
 * from the cache with its whole conversation.
 *
 * When the cache has never held the ticket's conversation, or holds one older
 * than the ticket, and the account is reachable, the conversation is fetched
 * first and stored (a ticket missing from the cache altogether is fetched
 * too). Without a connection the cache is shown as it is, with a note on
 * stderr. --cached never touches the network.
 *
 * text: a header and each message marked customer, agent reply or PRIVATE
 * NOTE, every server string through the sanitiser so no escape sequence
 * from the server reaches the terminal. json: the Freshdesk v2 ticket object
 * with requester and company embedded and "conversations" as
 * include=conversations gives it (but complete). */
#include "src/api.h"
#include "src/cli.h"
#include "src/cmd_read.h"
#include "src/html.h"
#include "src/text.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct show_options {
    fd_id id;
    bool json;
    bool cached;
};

static int parse_options(int argc, char **argv, struct show_options *o)
{
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},
        {"cached", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (strcmp(optarg, "json") == 0)
                o->json = true;
            else if (strcmp(optarg, "text") != 0)
                return cli_usage_error("show: unknown format '%s' (text, json)", optarg);
            break;
        case 'C':
            o->cached = true;
            break;
        case 'h':
            printf("Usage: fdesk show ID [--format text|json] [--cached]\n"
                   "Shows one cached ticket and its conversation.\n");
            return -1;
        case ':':
            return cli_usage_error("show: option '%s' needs an argument", argv[optind - 1]);
        default:
            return cli_usage_error("show: unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error("show: which ticket? (fdesk show ID)");
    if (optind + 1 < argc)
        return cli_usage_error("show: unexpected argument '%s'", argv[optind + 1]);
    return read_parse_ticket_id(argv[optind], &o->id);
}

/* ---- fetching what the cache lacks ---------------------------------------------- */

/* Fetches the ticket (with its description) and its whole conversation into
 * the cache. Returns 0, or -1 after printing why on stderr (the caller then
 * shows what the cache has). */
static int fetch_into_cache(struct read_session *rs, fd_id id)
{
    struct api_options ao;
    struct api *api = NULL;
    struct fd_error err = FD_ERROR_INIT;
    struct fd_ticket t = {0};
    struct fd_conversation *convs = NULL;
    size_t count = 0;
    char msg[512];
    int rc = -1;

    if (config_require_account(&rs->cfg, msg, sizeof msg) != 0) {
        fprintf(stderr, "fdesk: not fetching from Freshdesk: %s\n", msg);
        return -1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    api_options_from_config(&ao, &rs->cfg);
    ao.max_attempts = 2; /* a command should not hang long on a dead link */
    if (api_new(&ao, &api, &err) == 0 &&
        api_view_ticket(api, id, "requester,company", &t, NULL, NULL, &err) == 0 &&
        api_list_conversations(api, id, &convs, &count, &err) == 0) {
        if (store_begin(rs->store) == 0 && store_upsert_ticket(rs->store, &t) >= 0 &&
            store_set_conversations(rs->store, id, convs, count, t.updated_at) == 0 &&
            store_commit(rs->store) == 0) {
            rc = 0;
        } else {
            fprintf(stderr, "fdesk: %s\n", store_error(rs->store));
            store_rollback(rs->store);
        }
    } else {
        fprintf(stderr, "fdesk: could not fetch ticket %lld from Freshdesk: %s\n", (long long)id,
                fd_error_message(&err));
    }
    for (size_t i = 0; i < count; i++)
        model_conversation_clear(&convs[i]);
    free(convs);
    model_ticket_clear(&t);
    fd_error_clear(&err);
    api_free(api);
    curl_global_cleanup();
    return rc;
}

/* ---- text ------------------------------------------------------------------------ */

static void print_clean(const char *label, const char *text)
{
    char *clean = text_sanitize(text ? text : "-", (size_t)-1, TEXT_SINGLE_LINE);
    printf("%-10s %s\n", label, clean ? clean : "");
    free(clean);
}

static void print_body(const char *text, const char *html)
{
    char *body =
        text && *text ? text_sanitize(text, (size_t)-1, TEXT_MULTI_LINE) : html_to_text(html);
    if (body) {
        size_t len = strlen(body);
        while (len && body[len - 1] == '\n')
            body[--len] = '\0';
        printf("%s\n", len ? body : "(empty)");
    }
    free(body);
}

static void print_attachments(const struct fd_attachment *a, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char *name = text_sanitize(a[i].name ? a[i].name : "?", (size_t)-1, TEXT_SINGLE_LINE);
        printf("[attachment] %s (%lld bytes)\n", name ? name : "", (long long)a[i].size);
        free(name);
    }
}

static void print_header(const struct store_ticket_detail *d)
{
    const struct fd_ticket *t = &d->ticket;
    char buf[256], status[16], when[32], due[32];
    const char *priority = model_priority_name(t->priority);
    fd_time now = (fd_time)time(NULL);

    char *subject = text_sanitize(t->subject ? t->subject : "", (size_t)-1, TEXT_SINGLE_LINE);
    printf("#%lld %s\n", (long long)t->id, subject ? subject : "");
    free(subject);
    print_clean("Status:", read_status_name(t->status, d->status_label, status, sizeof status));
    print_clean("Priority:", priority ? priority : "-");
    print_clean("Type:", t->type);
    if (t->requester && t->requester->email && t->requester->name) {
        snprintf(buf, sizeof buf, "%s <%s>", t->requester->name, t->requester->email);
        print_clean("Requester:", buf);
    } else {
        print_clean("Requester:",
                    t->requester ? (t->requester->name ? t->requester->name : t->requester->email)
                                 : NULL);
    }
    print_clean("Company:", t->company ? t->company->name : NULL);
    print_clean("Agent:", d->agent_name);
    print_clean("Group:", d->group_name);
    buf[0] = '\0';
    for (size_t i = 0; i < t->tags.count; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? ", " : "",
                 t->tags.items[i]);
    print_clean("Tags:", buf[0] ? buf : NULL);
    read_format_local_time(t->created_at, when, sizeof when);
    print_clean("Created:", when);
    read_format_local_time(t->updated_at, when, sizeof when);
    print_clean("Updated:", when);
    read_format_local_time(t->due_by, when, sizeof when);
    read_format_due(t->due_by, t->status, now, due, sizeof due);
    snprintf(buf, sizeof buf, "%s (%s)", when, due);
    print_clean("Due:", t->due_by ? buf : NULL);
    if (t->deleted || t->spam)
        printf("%-10s %s\n", "Note:", t->spam ? "marked as spam" : "deleted");
}

/* Who wrote a message: the requester, an agent by id, else the address. */
static const char *author_of(const struct store_ticket_detail *d, const struct fd_conversation *c,
                             const struct fd_agent *agents, size_t agent_count)
{
    const struct fd_ticket *t = &d->ticket;
    if (c->user_id && c->user_id == t->requester_id && t->requester)
        return t->requester->name ? t->requester->name : t->requester->email;
    for (size_t i = 0; i < agent_count; i++)
        if (agents[i].id == c->user_id && agents[i].name)
            return agents[i].name;
    return c->from_email ? c->from_email : "unknown";
}

static void print_text(struct store *s, const struct store_ticket_detail *d)
{
    struct fd_agent *agents = NULL;
    size_t agent_count = 0;
    char when[32], line[512];

    print_header(d);
    printf("\n--- Description ---\n");
    print_body(d->ticket.description_text, d->ticket.description_html);
    print_attachments(d->ticket.attachments, d->ticket.attachment_count);
    if (store_list_agents(s, &agents, &agent_count) != 0)
        agent_count = 0;
    for (size_t i = 0; i < d->conversation_count; i++) {
        const struct fd_conversation *c = &d->conversations[i];
        const char *kind = c->is_private    ? "PRIVATE NOTE"
                           : c->incoming    ? "Customer"
                           : c->source == 2 ? "Public note"
                                            : "Agent reply";
        read_format_local_time(c->created_at, when, sizeof when);
        snprintf(line, sizeof line, "%s · %s · %s", kind, author_of(d, c, agents, agent_count),
                 when);
        char *clean = text_sanitize(line, (size_t)-1, TEXT_SINGLE_LINE);
        printf("\n--- %s ---\n", clean ? clean : kind);
        free(clean);
        print_body(c->body_text, c->body_html);
        print_attachments(c->attachments, c->attachment_count);
    }
    for (size_t i = 0; i < agent_count; i++)
        model_agent_clear(&agents[i]);
    free(agents);
}

/* ---- json ------------------------------------------------------------------------- */

static void add_json_time(cJSON *o, const char *name, fd_time t)
{
    char buf[32];
    if (!t) {
        cJSON_AddNullToObject(o, name);
        return;
    }
    model_format_time(t, buf, sizeof buf);
    cJSON_AddStringToObject(o, name, buf);
}

static void add_json_list(cJSON *o, const char *name, const struct fd_string_list *l)
{
    cJSON *arr = cJSON_AddArrayToObject(o, name);
    for (size_t i = 0; arr && i < l->count; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(l->items[i]));
}

static cJSON *conversation_json(const struct fd_conversation *c)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "id", (double)c->id);
    cJSON_AddStringToObject(o, "body", c->body_html ? c->body_html : "");
    cJSON_AddStringToObject(o, "body_text", c->body_text ? c->body_text : "");
    cJSON_AddBoolToObject(o, "incoming", c->incoming);
    cJSON_AddBoolToObject(o, "private", c->is_private);
    if (c->user_id)
        cJSON_AddNumberToObject(o, "user_id", (double)c->user_id);
    else
        cJSON_AddNullToObject(o, "user_id");
    cJSON_AddNumberToObject(o, "source", c->source);
    cJSON_AddNumberToObject(o, "ticket_id", (double)c->ticket_id);
    if (c->from_email)
        cJSON_AddStringToObject(o, "from_email", c->from_email);
    else
        cJSON_AddNullToObject(o, "from_email");
    add_json_list(o, "to_emails", &c->to_emails);
    add_json_list(o, "cc_emails", &c->cc_emails);
    add_json_list(o, "bcc_emails", &c->bcc_emails);
    cJSON *att = cJSON_AddArrayToObject(o, "attachments");
    for (size_t i = 0; att && i < c->attachment_count; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddNumberToObject(a, "id", (double)c->attachments[i].id);
        cJSON_AddStringToObject(a, "name", c->attachments[i].name ? c->attachments[i].name : "");
        cJSON_AddNumberToObject(a, "size", (double)c->attachments[i].size);
        cJSON_AddItemToArray(att, a);
    }
    add_json_time(o, "created_at", c->created_at);
    add_json_time(o, "updated_at", c->updated_at);
    return o;
}

static int print_json(struct store *s, const struct store_ticket_detail *d)
{
    char *text = NULL;
    if (store_ticket_json(s, d->ticket.id, &text) != 1) {
        fprintf(stderr, "fdesk: %s\n", store_error(s));
        return FD_EXIT_ERROR;
    }
    cJSON *ticket = cJSON_Parse(text);
    free(text);
    cJSON *convs = ticket ? cJSON_AddArrayToObject(ticket, "conversations") : NULL;
    for (size_t i = 0; convs && i < d->conversation_count; i++)
        cJSON_AddItemToArray(convs, conversation_json(&d->conversations[i]));
    char *out = convs ? cJSON_Print(ticket) : NULL;
    cJSON_Delete(ticket);
    if (!out) {
        fprintf(stderr, "fdesk: out of memory\n");
        return FD_EXIT_ERROR;
    }
    printf("%s\n", out);
    free(out);
    return FD_EXIT_OK;
}

/* ---- the command ------------------------------------------------------------------ */

/* Reads the ticket, fetching first what the cache lacks (unless cached). */
static int load_ticket(struct read_session *rs, const struct show_options *o,
                       struct store_ticket_detail *d)
{
    int found = store_get_ticket(rs->store, o->id, d);
    if (found < 0) {
        fprintf(stderr, "fdesk: %s\n", store_error(rs->store));
        return FD_EXIT_ERROR;
    }
    /* lists carry no description, and the conversation is fetched on demand */
    bool stale = found == 1 && (d->conversations_for < d->ticket.updated_at ||
                                (!d->ticket.description_text && !d->ticket.description_html));
    if (!o->cached && (found == 0 || stale)) {
        if (fetch_into_cache(rs, o->id) == 0) {
            store_ticket_detail_clear(d);
            found = store_get_ticket(rs->store, o->id, d);
        } else if (found == 1 && d->conversations_for == 0) {
            fprintf(stderr,
                    "fdesk: showing ticket %lld without its conversation (not in the "
                    "cache yet)\n",
                    (long long)o->id);
        }
    }
    if (found != 1) {
        if (found == 0)
            fprintf(stderr, "fdesk: ticket %lld is not in the cache of account %s\n",
                    (long long)o->id, rs->cfg.account);
        else
            fprintf(stderr, "fdesk: %s\n", store_error(rs->store));
        return FD_EXIT_ERROR;
    }
    return FD_EXIT_OK;
}

int cmd_show(struct cli_options *opts, int argc, char **argv)
{
    struct show_options o = {0};
    struct read_session rs;
    struct store_ticket_detail d = {0};
    int status = parse_options(argc, argv, &o);

    if (status != FD_EXIT_OK)
        return status < 0 ? FD_EXIT_OK : status;
    if ((status = read_session_open(&rs, opts)) == FD_EXIT_OK &&
        (status = load_ticket(&rs, &o, &d)) == FD_EXIT_OK) {
        if (o.json) {
            status = print_json(rs.store, &d);
        } else {
            print_text(rs.store, &d);
            status = fflush(stdout) == 0 ? FD_EXIT_OK : FD_EXIT_ERROR;
        }
    }
    store_ticket_detail_clear(&d);
    read_session_close(&rs);
    return status;
}
