/* bench_sim.c: fdesk-sim's speed targets. (1) Start-up with 100,000 (and 1,000,000)
 * generated tickets: wall time from exec to the "listening on" line. (2) Server CPU per
 * request for a 100-ticket page with include=requester,company (plain and gzip), read from
 * the simulator's /proc/PID/stat over many keep-alive requests, against a baseline measured in
 * the same run: the smallest request (GET /agents/me, 5x as many requests because the kernel
 * counts CPU in 10 ms ticks). Medians of several rounds.
 * Usage: bench_sim [PATH-TO-fdesk-sim]
 */
#include "config.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct child {
    pid_t pid;
    int port;
};

/* Starts the simulator and returns when it has printed its first line. */
static double start_sim(const char *bin, const char *tickets, struct child *c)
{
    int fd[2];
    char line[256] = "";
    if (pipe(fd))
        exit(1);
    double t0 = now_s();
    c->pid = fork();
    if (c->pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        execl(bin, bin, "--port", "0", "--tickets", tickets, "--rate-limit", "100000000", "--now",
              "2026-06-01T12:00:00Z", (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *f = fdopen(fd[0], "r");
    if (!fgets(line, sizeof line, f)) {
        fprintf(stderr, "bench_sim: %s did not start\n", bin);
        exit(1);
    }
    double t = now_s() - t0;
    fclose(f);
    char *colon = strrchr(line, ':');
    c->port = colon ? atoi(colon + 1) : 0;
    return t;
}

static void stop_sim(struct child *c)
{
    int st;
    kill(c->pid, SIGTERM);
    waitpid(c->pid, &st, 0);
}

/* utime + stime of a process, in seconds */
static double cpu_of(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(buf, sizeof buf, f))
        exit(1);
    fclose(f);
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    /* fields after the command: state(3) ... utime(14) stime(15) */
    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static size_t sink(char *p, size_t s, size_t n, void *ud)
{
    *(size_t *)ud += s * n;
    return s * n;
}

/* Server CPU per request (ms) over n keep-alive requests to path. */
static double cpu_per_request(struct child *c, const char *path, int n, bool gzip, size_t *bytes)
{
    CURL *h = curl_easy_init();
    char url[512];
    size_t got = 0;
    curl_easy_setopt(h, CURLOPT_USERPWD, "sim-api-key:X");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
    struct curl_slist *hdr = gzip ? curl_slist_append(NULL, "Accept-Encoding: gzip") : NULL;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    double c0 = cpu_of(c->pid);
    for (int i = 0; i < n; i++) {
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s&page=%d", c->port, path, 1 + i % 250);
        curl_easy_setopt(h, CURLOPT_URL, url);
        if (curl_easy_perform(h) != CURLE_OK) {
            fprintf(stderr, "bench_sim: request failed\n");
            exit(1);
        }
    }
    double c1 = cpu_of(c->pid);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    *bytes = got / (size_t)n;
    return (c1 - c0) * 1000.0 / n;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

int main(int argc, char **argv)
{
    const char *bin = argc > 1 ? argv[1] : "./fdesk-sim";
    enum { ROUNDS = 5, N = 1000 };
    double s100k[ROUNDS], page[ROUNDS], pagez[ROUNDS], base[ROUNDS], s1m[3];
    size_t bytes = 0, zbytes = 0, bbytes = 0;
    struct child c;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    for (int r = 0; r < ROUNDS; r++) {
        s100k[r] = start_sim(bin, "100000", &c);
        base[r] = cpu_per_request(&c, "/api/v2/agents/me?x=1", 5 * N, false, &bbytes);
        page[r] = cpu_per_request(&c,
                                  "/api/v2/tickets?per_page=100&include=requester,company"
                                  "&updated_since=2000-01-01T00:00:00Z",
                                  N, false, &bytes);
        pagez[r] = cpu_per_request(&c,
                                   "/api/v2/tickets?per_page=100&include=requester,company"
                                   "&updated_since=2000-01-01T00:00:00Z",
                                   N, true, &zbytes);
        stop_sim(&c);
    }
    for (int r = 0; r < 3; r++) {
        s1m[r] = start_sim(bin, "1000000", &c);
        stop_sim(&c);
    }
    double b = median(base, ROUNDS), p = median(page, ROUNDS), pz = median(pagez, ROUNDS);
    printf("fdesk-sim benchmark (%d rounds of %d keep-alive requests, medians)\n", ROUNDS, N);
    printf("start-up, 100,000 tickets:   %.3f s to the 'listening on' line (target <= 2 s)\n",
           median(s100k, ROUNDS));
    printf("start-up, 1,000,000 tickets: %.3f s\n", median(s1m, 3));
    printf("baseline GET /agents/me:     %.3f ms server CPU per request (%zu bytes)\n", b, bbytes);
    printf(
        "100-ticket page, include=requester,company: %.3f ms server CPU (%.1fx baseline, %zu bytes)"
        " (target <= 2 ms)\n",
        p, p / b, bytes);
    printf("same page gzipped:           %.3f ms server CPU (%.1fx baseline, %zu bytes)\n", pz,
           pz / b, zbytes);
    curl_global_cleanup();
    return 0;
}
