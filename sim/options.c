/* options.c: fdesk-sim's command line. Defaults, the API key from --api-key, then
 * FDESK_SIM_API_KEY, then "sim-api-key", and strict parsing of every number and rate.
 */
#include "sim/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: fdesk-sim [OPTIONS]\n"
    "A Freshdesk API v2 simulator for fdesk's demo, tests and benchmarks.\n"
    "\n"
    "  --port N              listen on port N (0 = any free port; default 0)\n"
    "  --bind ADDR           listen address (default 127.0.0.1)\n"
    "  --api-key KEY         the accepted API key (else $FDESK_SIM_API_KEY, else sim-api-key)\n"
    "  --seed N              dataset seed (default 1)\n"
    "  --tickets N           number of tickets, up to 1000000 (default 1000)\n"
    "  --now ISO8601         the account's current time (default: the real time)\n"
    "  --latency MS          delay every answer by MS milliseconds\n"
    "  --jitter MS           plus a random 0..MS milliseconds\n"
    "  --rate-limit N        credits per minute (default 200)\n"
    "  --list-rate-limit N   tickets-list calls per minute (default: no separate limit)\n"
    "  --create-rate-limit N, --update-rate-limit N, --contacts-list-rate-limit N\n"
    "                        ticket creations, ticket updates, contacts-list calls per minute\n"
    "  --fail-500 RATE       answer 500 to this share of requests (0..1)\n"
    "  --drop RATE           close the connection mid-body for this share\n"
    "  --stall RATE          hold this share of answers for --stall-ms (default 60000)\n"
    "  --stall-ms MS         how long a stalled answer is held\n"
    "  --throttle RATE       answer 429 with Retry-After to this share\n"
    "  --log FILE            append one JSON line per request to FILE\n"
    "  --hostile             put terminal attacks into the newest tickets\n"
    "  --data DIR            load the dataset from JSON files in DIR\n"
    "  --activity SECONDS    every SECONDS, a customer replies, a ticket arrives or changes\n"
    "  --admin               serve the /__sim/ test hooks\n"
    "  --help, --version\n";

void sim_options_init(struct sim_options *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->seed = 1;
    o->tickets = 1000;
    o->rate_limit = 200;
    o->faults.stall_ms = 60000;
    const char *k = getenv("FDESK_SIM_API_KEY");
    snprintf(o->api_key, sizeof o->api_key, "%s", k && *k ? k : "sim-api-key");
}

static int num(const char *s, double lo, double hi, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

struct numopt {
    const char *name;
    double lo, hi;
    int kind; /* 0 int, 1 long, 2 double, 3 uint64 */
    size_t off;
};

#define OFF(f) offsetof(struct sim_options, f)
static const struct numopt numopts[] = {
    {"--port", 0, 65535, 0, OFF(port)},
    {"--seed", 0, 1e18, 3, OFF(seed)},
    {"--tickets", 0, 1000000, 1, OFF(tickets)},
    {"--latency", 0, 600000, 0, OFF(faults.latency_ms)},
    {"--jitter", 0, 600000, 0, OFF(faults.jitter_ms)},
    {"--rate-limit", 1, 1e9, 0, OFF(rate_limit)},
    {"--list-rate-limit", 0, 1e9, 0, OFF(list_rate_limit)},
    {"--create-rate-limit", 0, 1e9, 0, OFF(create_rate_limit)},
    {"--update-rate-limit", 0, 1e9, 0, OFF(update_rate_limit)},
    {"--contacts-list-rate-limit", 0, 1e9, 0, OFF(contacts_list_rate_limit)},
    {"--fail-500", 0, 1, 2, OFF(faults.fail_500)},
    {"--drop", 0, 1, 2, OFF(faults.drop)},
    {"--stall", 0, 1, 2, OFF(faults.stall)},
    {"--stall-ms", 0, 3600000, 0, OFF(faults.stall_ms)},
    {"--throttle", 0, 1, 2, OFF(faults.throttle)},
    {"--activity", 0, 86400, 0, OFF(activity_seconds)},
};

static void set_num(struct sim_options *o, const struct numopt *n, double v)
{
    char *p = (char *)o + n->off;
    switch (n->kind) {
    case 0:
        *(int *)p = (int)v;
        break;
    case 1:
        *(long *)p = (long)v;
        break;
    case 2:
        *(double *)p = v;
        break;
    default:
        *(uint64_t *)p = (uint64_t)v;
    }
}

static int one_option(struct sim_options *o, const char *opt, const char *val, bool *used_val,
                      char *err, size_t errlen)
{
    *used_val = true;
    for (size_t i = 0; i < sizeof numopts / sizeof *numopts; i++) {
        double v;
        if (strcmp(opt, numopts[i].name))
            continue;
        if (num(val, numopts[i].lo, numopts[i].hi, &v)) {
            snprintf(err, errlen, "%s needs a number from %g to %g", opt, numopts[i].lo,
                     numopts[i].hi);
            return -1;
        }
        set_num(o, &numopts[i], v);
        return 0;
    }
    if (!val && (!strcmp(opt, "--bind") || !strcmp(opt, "--api-key") || !strcmp(opt, "--now") ||
                 !strcmp(opt, "--log") || !strcmp(opt, "--data"))) {
        snprintf(err, errlen, "%s needs a value", opt);
        return -1;
    }
    if (!strcmp(opt, "--bind"))
        o->bind = val;
    else if (!strcmp(opt, "--api-key"))
        snprintf(o->api_key, sizeof o->api_key, "%s", val);
    else if (!strcmp(opt, "--log"))
        o->log_path = val;
    else if (!strcmp(opt, "--data"))
        o->data_dir = val;
    else if (!strcmp(opt, "--now")) {
        int64_t t;
        if (sim_parse_time(val, &t)) {
            snprintf(err, errlen, "--now needs an ISO 8601 time such as 2026-01-31T12:00:00Z");
            return -1;
        }
        o->now = (time_t)t;
    } else {
        *used_val = false;
        if (!strcmp(opt, "--hostile"))
            o->hostile = true;
        else if (!strcmp(opt, "--admin"))
            o->admin = true;
        else {
            snprintf(err, errlen, "unknown option '%s'", opt);
            return -1;
        }
    }
    return 0;
}

int sim_options_parse(struct sim_options *o, int argc, char **argv, char *err, size_t errlen)
{
    for (int i = 1; i < argc; i++) {
        char opt[64];
        const char *a = argv[i], *val = NULL, *eq = strchr(a, '=');
        bool used;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 1;
        }
        if (!strcmp(a, "--version")) {
            printf("fdesk-sim %s\n", PACKAGE_VERSION);
            return 1;
        }
        if (strncmp(a, "--", 2)) {
            snprintf(err, errlen, "unexpected argument '%s'", a);
            return -1;
        }
        if (eq && eq - a < (long)sizeof opt) {
            snprintf(opt, sizeof opt, "%.*s", (int)(eq - a), a);
            val = eq + 1;
        } else {
            snprintf(opt, sizeof opt, "%s", a);
            val = i + 1 < argc ? argv[i + 1] : NULL;
        }
        if (one_option(o, opt, val, &used, err, errlen) < 0)
            return -1;
        if (used && !eq)
            i++;
        else if (!used && eq) {
            snprintf(err, errlen, "%s takes no value", opt);
            return -1;
        }
    }
    return 0;
}
