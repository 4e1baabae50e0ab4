/* sim.h: the public interface of fdesk-sim, the Freshdesk API v2 simulator.
 *
 * Everything but main() lives in libfdsim.a so tests can start a simulator in-process:
 *     struct sim_options o;
 *     sim_options_init(&o);
 *     o.port = 0; o.admin = true;
 *     struct sim *s = sim_create(&o, err, sizeof err);
 *     if (s && sim_start(s, err, sizeof err) == 0) ... sim_port(s) ...
 *     sim_destroy(s);   (stops it first when running)
 * The simulator is written from ../shared/freshdesk-api.md alone; it shares no
 * API-interpreting code with src/.
 */
#ifndef FDESK_SIM_H
#define FDESK_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Fault probabilities (0..1), drawn deterministically from the seed and the request number. */
struct sim_faults {
    double fail_500;   /* answer 500 with the base-error body */
    double drop;       /* send part of the body, then close the connection */
    double stall;      /* hold the answer for stall_ms (or until shutdown) */
    double throttle;   /* answer 429 with Retry-After although under the limit */
    int latency_ms;    /* added to every answer */
    int jitter_ms;     /* plus a uniform 0..jitter_ms */
    int stall_ms;      /* how long a stall lasts (default 60000) */
    bool stall_writes; /* stall every write (POST, PUT, DELETE) after it was applied */
};

struct sim_options {
    const char *bind;             /* address to listen on; default 127.0.0.1 */
    int port;                     /* 0 = any free port */
    char api_key[256];            /* --api-key, FDESK_SIM_API_KEY or "sim-api-key" */
    uint64_t seed;                /* default 1 */
    long tickets;                 /* default 1000, at most 1,000,000 */
    time_t now;                   /* the account's "now" at start; default: the real time */
    int rate_limit;               /* credits per minute; default 200 */
    int list_rate_limit;          /* tickets-list calls per minute; 0 = no separate limit */
    int create_rate_limit;        /* ticket creations per minute; 0 = no separate limit */
    int update_rate_limit;        /* ticket updates per minute; 0 = no separate limit */
    int contacts_list_rate_limit; /* contacts-list calls per minute; 0 = no separate limit */
    struct sim_faults faults;
    const char *log_path; /* one JSON line per request; NULL = none */
    bool hostile;         /* put terminal attacks into the newest tickets */
    const char *data_dir; /* load the dataset from JSON files instead of generating it */
    int activity_seconds; /* 0 = the account is quiet */
    bool admin;           /* serve the /__sim/ test hooks */
};

struct sim;

/* Fills defaults (reads FDESK_SIM_API_KEY). */
void sim_options_init(struct sim_options *opts);

/* Parses the command line into opts (after sim_options_init). Returns 0 on success, 1 when
 * --help or --version was printed to stdout (exit 0), -1 on a usage error (message in err). */
int sim_options_parse(struct sim_options *opts, int argc, char **argv, char *err, size_t errlen);

/* Builds the dataset. NULL on failure with a message in err. */
struct sim *sim_create(const struct sim_options *opts, char *err, size_t errlen);

/* Starts serving in background threads. 0 on success. */
int sim_start(struct sim *sim, char *err, size_t errlen);

/* The bound port (after sim_start). */
int sim_port(const struct sim *sim);

/* Stops serving (wakes stalled answers). Safe to call twice. */
void sim_stop(struct sim *sim);

/* Stops if needed and frees everything. NULL is fine. */
void sim_destroy(struct sim *sim);

/* Number of tickets in the dataset (including deleted and spam ones). */
long sim_ticket_count(const struct sim *sim);

#endif
