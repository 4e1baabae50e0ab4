/* cmd_update.c: `fdesk update ID... [--status S] [--priority P] [--assign
 * me|EMAIL|NAME|ID|none] [--group NAME|ID|none] [--type T] [--tag +x]
 * [--tag -y]`. Names are resolved through the local cache (ticket fields,
 * agents, groups, filled by `fdesk sync`); numbers are taken as ids. One
 * ticket is a PUT /tickets/ID, several are one POST /tickets/bulk_update.
 * Like reply and note, the change goes through the outbox. */
#include "src/api.h"
#include "src/cli.h"
#include "src/cmd_write.h"
#include "src/outbox.h"
#include "src/store.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define UPDATE_MAX_TAGS 64
#define UPDATE_MAX_IDS  100 /* what one bulk_update may carry */

struct update_args {
    const char *status, *priority, *assign, *group, *type;
    const char *tags_add[UPDATE_MAX_TAGS], *tags_remove[UPDATE_MAX_TAGS];
    size_t add_count, remove_count;
    fd_id ids[UPDATE_MAX_IDS];
    size_t id_count;
};

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Opens the cache for name lookups, once; NULL (message printed) if missing. */
static struct store *cache(struct write_session *ws, struct store **s)
{
    char err[512];
    bool missing = false;

    if (!*s && !(*s = store_open(ws->cfg.cache_path, 0, &missing, err, sizeof err)))
        fprintf(stderr, "fdesk: %s\n",
                missing ? "no local cache yet: run 'fdesk sync' first, or give numeric ids" : err);
    return *s;
}

static int resolve_status(struct write_session *ws, struct store **s, const char *name, int *out)
{
    static const char *const builtin[] = {"open", "pending", "resolved", "closed"};
    struct fd_status st = {0};

    if (all_digits(name)) {
        *out = atoi(name);
        return 0;
    }
    if (cache(ws, s) && store_find_status(*s, name, &st) == 1) {
        *out = st.id;
        model_status_clear(&st);
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (strcasecmp(name, builtin[i]) == 0) {
            *out = FD_STATUS_OPEN + i;
            return 0;
        }
    fprintf(stderr, "fdesk: unknown status '%s'\n", name);
    return -1;
}

static int resolve_priority(const char *name, int *out)
{
    static const char *const names[] = {"low", "medium", "high", "urgent"};

    if (all_digits(name) && atoi(name) >= 1 && atoi(name) <= 4) {
        *out = atoi(name);
        return 0;
    }
    for (int i = 0; i < 4; i++)
        if (strcasecmp(name, names[i]) == 0) {
            *out = FD_PRIORITY_LOW + i;
            return 0;
        }
    fprintf(stderr, "fdesk: unknown priority '%s' (low, medium, high, urgent or 1-4)\n", name);
    return -1;
}

static int resolve_agent(struct write_session *ws, struct store **s, const char *who, fd_id *out)
{
    struct fd_agent a = {0};
    struct fd_error err = FD_ERROR_INIT;

    if (strcasecmp(who, "none") == 0 || strcasecmp(who, "nobody") == 0) {
        *out = 0;
        return 0;
    }
    if (all_digits(who)) {
        *out = strtoll(who, NULL, 10);
        return 0;
    }
    if (strcasecmp(who, "me") == 0) {
        if (cache(ws, s) && store_get_me(*s, &a) == 1) {
            *out = a.id;
            model_agent_clear(&a);
            return 0;
        }
        /* The cache has not learnt who we are yet: ask the server. */
        if (api_agent_me(ws->api, &a, &err) == 0) {
            *out = a.id;
            model_agent_clear(&a);
            return 0;
        }
        fprintf(stderr, "fdesk: cannot tell who 'me' is: %s\n", fd_error_message(&err));
        fd_error_clear(&err);
        return -1;
    }
    if (cache(ws, s) && store_find_agent(*s, who, &a) == 1) {
        *out = a.id;
        model_agent_clear(&a);
        return 0;
    }
    if (*s)
        fprintf(stderr, "fdesk: no agent '%s' in the cache (unknown or ambiguous)\n", who);
    return -1;
}

static int resolve_group(struct write_session *ws, struct store **s, const char *name, fd_id *out)
{
    struct fd_group g = {0};

    if (strcasecmp(name, "none") == 0) {
        *out = 0;
        return 0;
    }
    if (all_digits(name)) {
        *out = strtoll(name, NULL, 10);
        return 0;
    }
    if (cache(ws, s) && store_find_group(*s, name, &g) == 1) {
        *out = g.id;
        model_group_clear(&g);
        return 0;
    }
    if (*s)
        fprintf(stderr, "fdesk: no group '%s' in the cache\n", name);
    return -1;
}

/* Turns the arguments into an outbox_update (names resolved). */
static int resolve(struct write_session *ws, const struct update_args *a, struct outbox_update *u)
{
    struct store *s = NULL;
    int rc = 0;

    memset(u, 0, sizeof *u);
    if (a->status && resolve_status(ws, &s, a->status, &u->status) != 0)
        rc = -1;
    if (a->priority && resolve_priority(a->priority, &u->priority) != 0)
        rc = -1;
    if (a->assign && (u->set_responder = true) &&
        resolve_agent(ws, &s, a->assign, &u->responder_id) != 0)
        rc = -1;
    if (a->group && (u->set_group = true) && resolve_group(ws, &s, a->group, &u->group_id) != 0)
        rc = -1;
    u->type = a->type;
    u->tags_add = a->tags_add;
    u->tags_add_count = a->add_count;
    u->tags_remove = a->tags_remove;
    u->tags_remove_count = a->remove_count;
    store_close(s);
    return rc;
}

static int parse_update_args(int argc, char **argv, struct update_args *a)
{
    static const struct option longopts[] = {
        {"status", required_argument, NULL, 's'}, {"priority", required_argument, NULL, 'p'},
        {"assign", required_argument, NULL, 'a'}, {"group", required_argument, NULL, 'g'},
        {"type", required_argument, NULL, 't'},   {"tag", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    int c;

    memset(a, 0, sizeof *a);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            a->status = optarg;
            break;
        case 'p':
            a->priority = optarg;
            break;
        case 'a':
            a->assign = optarg;
            break;
        case 'g':
            a->group = optarg;
            break;
        case 't':
            a->type = optarg;
            break;
        case 'T':
            if (a->add_count == UPDATE_MAX_TAGS || a->remove_count == UPDATE_MAX_TAGS)
                return cli_usage_error("too many --tag options");
            if (optarg[0] == '-' && optarg[1])
                a->tags_remove[a->remove_count++] = optarg + 1;
            else if (optarg[0] != '-' && optarg[optarg[0] == '+'])
                a->tags_add[a->add_count++] = optarg + (optarg[0] == '+');
            else
                return cli_usage_error("--tag needs +NAME or -NAME");
            break;
        case 'h':
            printf("Usage: fdesk update ID... [--status S] [--priority P] "
                   "[--assign me|EMAIL|NAME|ID|none] [--group NAME|ID|none] [--type T] "
                   "[--tag +x] [--tag -y]\n");
            return -1;
        case ':':
            return cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            return cli_usage_error("update: unknown option '%s'", argv[optind - 1]);
        }
    }
    for (int i = optind; i < argc; i++) {
        char *end;
        long long v = strtoll(argv[i], &end, 10);
        if (*end || end == argv[i] || v <= 0)
            return cli_usage_error("'%s' is not a ticket id", argv[i]);
        if (a->id_count == UPDATE_MAX_IDS)
            return cli_usage_error("at most %d tickets at once", UPDATE_MAX_IDS);
        a->ids[a->id_count++] = (fd_id)v;
    }
    if (a->id_count == 0)
        return cli_usage_error("update: which ticket? (fdesk update ID [--status S] ...)");
    if (!a->status && !a->priority && !a->assign && !a->group && !a->type &&
        a->add_count + a->remove_count == 0)
        return cli_usage_error("update: nothing to change (--status, --priority, --assign, "
                               "--group, --type, --tag)");
    return 0;
}

int cmd_update(struct cli_options *opts, int argc, char **argv)
{
    struct update_args a;
    struct outbox_update u;
    struct write_session ws;
    int status, rc = parse_update_args(argc, argv, &a);

    if (rc != 0)
        return rc < 0 ? FD_EXIT_OK : rc; /* -1: --help was printed */
    if ((status = write_session_open(&ws, opts)) == FD_EXIT_OK &&
        (status = write_session_connect(&ws)) == FD_EXIT_OK) {
        char err[256];
        int64_t item;
        if (resolve(&ws, &a, &u) != 0) {
            status = FD_EXIT_ERROR;
        } else if (outbox_add_update(ws.st, a.ids, a.id_count, &u, &item, err, sizeof err) != 0) {
            fprintf(stderr, "fdesk: %s\n", err);
            status = FD_EXIT_ERROR;
        } else {
            status = write_send_and_wait(&ws, item);
        }
    }
    write_session_close(&ws);
    return status;
}
