/* simproc.c: see simproc.h. */
#include "tests/api/simproc.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Reads one line from fd within 20 s. */
static int read_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    while (n + 1 < size) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 20000) <= 0)
            return -1;
        ssize_t r = read(fd, buf + n, 1);
        if (r <= 0)
            return -1;
        if (buf[n] == '\n')
            break;
        n++;
    }
    buf[n] = '\0';
    return 0;
}

int simproc_start(struct simproc *s, const char *const *args)
{
    const char *bin = getenv("FDESK_SIM");
    const char *argv[40] = {bin ? bin : "./fdesk-sim", "--port", "0", "--admin"};
    int argc = 4, fds[2];
    for (int i = 0; args && args[i] && argc < 38; i++)
        argv[argc++] = args[i];
    argv[argc] = NULL;
    memset(s, 0, sizeof *s);
    if (pipe(fds) != 0)
        return -1;
    s->pid = fork();
    if (s->pid == 0) {
        dup2(fds[1], 1);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, 2);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    char line[256];
    int rc = s->pid > 0 ? read_line(fds[0], line, sizeof line) : -1;
    s->out_fd = fds[0];
    const char *p = rc == 0 ? strstr(line, "listening on http://127.0.0.1:") : NULL;
    if (!p) {
        fprintf(stderr, "# could not start %s\n", argv[0]);
        if (s->pid > 0)
            simproc_stop(s);
        return -1;
    }
    s->port = atoi(p + strlen("listening on http://127.0.0.1:"));
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", s->port);
    return 0;
}

void simproc_stop(struct simproc *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
    }
    if (s->out_fd > 0)
        close(s->out_fd);
    s->out_fd = -1;
    s->pid = 0;
}
