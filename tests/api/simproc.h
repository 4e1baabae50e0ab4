/* simproc.h: starts the fdesk-sim binary ($FDESK_SIM) on a loopback port for
 * the api integration tests, reads its "listening on http://127.0.0.1:PORT"
 * line, and stops it again. */
#ifndef FD_TESTS_SIMPROC_H
#define FD_TESTS_SIMPROC_H

#include <sys/types.h>

struct simproc {
    pid_t pid;
    int port;
    char url[64]; /* "http://127.0.0.1:PORT" */
    int out_fd;   /* its stdout, kept open so a later write cannot SIGPIPE it */
};

/* Starts fdesk-sim --port 0 --admin plus args (NULL-terminated, may be NULL).
 * Returns 0, or -1 (message on stderr). */
int simproc_start(struct simproc *s, const char *const *args);
/* SIGTERM, then waits for it. */
void simproc_stop(struct simproc *s);

#endif
