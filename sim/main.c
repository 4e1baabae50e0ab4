/* main.c: fdesk-sim's entry point. Parses the options, builds the dataset, prints
 * "listening on http://ADDR:PORT" as the first stdout line, and serves until SIGTERM/SIGINT.
 */
#include "sim/sim.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    struct sim_options opts;
    char err[512];
    sigset_t set;
    int sig = 0;

    sim_options_init(&opts);
    int rc = sim_options_parse(&opts, argc, argv, err, sizeof err);
    if (rc > 0)
        return 0;
    if (rc < 0) {
        fprintf(stderr, "fdesk-sim: %s\nTry 'fdesk-sim --help'.\n", err);
        return 2;
    }
    /* handle the stop signals synchronously; threads inherit the mask */
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct sim *sim = sim_create(&opts, err, sizeof err);
    if (!sim || sim_start(sim, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk-sim: %s\n", err);
        sim_destroy(sim);
        return 1;
    }
    const char *host = strchr(opts.bind, ':') ? NULL : opts.bind;
    if (host)
        printf("listening on http://%s:%d\n", host, sim_port(sim));
    else
        printf("listening on http://[%s]:%d\n", opts.bind, sim_port(sim));
    fflush(stdout);
    sigwait(&set, &sig);
    sim_destroy(sim);
    return 0;
}
