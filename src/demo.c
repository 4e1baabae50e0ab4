/* demo.c: runs fdesk-sim for `fdesk --demo` and points fdesk at it (see
 * demo.h). The state is file-scope because atexit() handlers take no argument
 * and there is only ever one demo per process. */
#include "src/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t demo_pid;
static int demo_out_fd = -1;
static char demo_dir[PATH_MAX];
static bool demo_atexit_done;

pid_t demo_sim_pid(void)
{
    return demo_pid;
}

static bool is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int demo_find_sim(char *out, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = '\0';
            if ((size_t)snprintf(out, size, "%s/fdesk-sim", self) < size && is_executable(out))
                return 0;
        }
    }
    const char *path = getenv("PATH");
    if (!path)
        return -1;
    while (*path) {
        size_t len = strcspn(path, ":");
        if (len > 0 && (size_t)snprintf(out, size, "%.*s/fdesk-sim", (int)len, path) < size &&
            is_executable(out))
            return 0;
        path += len;
        if (*path == ':')
            path++;
    }
    return -1;
}

/* A random key for this run only: the simulator and fdesk agree on it. */
static int make_key(char *key, size_t size)
{
    unsigned char raw[16];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, raw, sizeof raw) != (ssize_t)sizeof raw) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    for (size_t i = 0; i < sizeof raw && 2 * i + 2 < size; i++)
        snprintf(key + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

static int make_private_dirs(char *err, size_t errsize)
{
    const char *tmp = getenv("TMPDIR");
    char path[PATH_MAX + 16];
    snprintf(demo_dir, sizeof demo_dir, "%s/fdesk-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(demo_dir)) {
        snprintf(err, errsize, "cannot create a temporary directory: %s", strerror(errno));
        demo_dir[0] = '\0';
        return -1;
    }
    static const char *const sub[] = {"cache", "state", "config"};
    static const char *const var[] = {"XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"};
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", demo_dir, sub[i]);
        if (mkdir(path, 0700) != 0 || setenv(var[i], path, 1) != 0) {
            snprintf(err, errsize, "cannot prepare %s: %s", path, strerror(errno));
            return -1;
        }
    }
    /* The demo must not pick up the user's config file or account. */
    unsetenv("FDESK_CONFIG");
    unsetenv("FRESHDESK_DOMAIN");
    return 0;
}

static void exec_sim(const char *sim, int out_w, const char *key)
{
    char tickets[16], activity[16];
    snprintf(tickets, sizeof tickets, "%d", DEMO_TICKETS);
    snprintf(activity, sizeof activity, "%d", DEMO_ACTIVITY_SECONDS);
    /* Die with fdesk, even if fdesk is killed outright. */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(out_w, STDOUT_FILENO);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
        dup2(devnull, STDIN_FILENO);
        dup2(devnull, STDERR_FILENO);
    }
    setenv("FDESK_SIM_API_KEY", key, 1);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* A comfortable rate limit: the demo shows the credits, it should not
     * spend its first minute waiting for them. */
    execl(sim, sim, "--port", "0", "--tickets", tickets, "--activity", activity, "--rate-limit",
          "1000", (char *)NULL);
    _exit(127);
}

/* Reads the simulator's first line; returns the port or -1. */
static int read_port(int fd, int timeout_ms)
{
    char line[256];
    size_t len = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    while (len + 1 < sizeof line) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long spent = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        struct pollfd p = {fd, POLLIN, 0};
        if (spent >= timeout_ms || poll(&p, 1, (int)(timeout_ms - spent)) <= 0)
            return -1;
        ssize_t n = read(fd, line + len, 1);
        if (n <= 0)
            return -1;
        if (line[len] == '\n')
            break;
        len++;
    }
    line[len] = '\0';
    const char *p = strstr(line, "http://127.0.0.1:");
    return p ? atoi(p + strlen("http://127.0.0.1:")) : -1;
}

int demo_start(char *err, size_t errsize)
{
    char sim[PATH_MAX], key[40], url[64];
    int out[2];
    if (demo_find_sim(sim, sizeof sim) != 0) {
        snprintf(err, errsize, "--demo needs fdesk-sim, which is neither beside fdesk nor on PATH");
        return -1;
    }
    if (!demo_atexit_done) {
        atexit(demo_stop);
        demo_atexit_done = true;
    }
    if (make_private_dirs(err, errsize) != 0 || make_key(key, sizeof key) != 0)
        return err[0] ? -1 : (snprintf(err, errsize, "cannot make a demo key"), -1);
    if (pipe2(out, O_CLOEXEC) != 0) {
        snprintf(err, errsize, "cannot start fdesk-sim: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errsize, "cannot start fdesk-sim: %s", strerror(errno));
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pid == 0)
        exec_sim(sim, out[1], key);
    demo_pid = pid;
    close(out[1]);
    demo_out_fd = out[0]; /* kept open so a later line cannot raise SIGPIPE there */
    int port = read_port(out[0], 10000);
    if (port <= 0) {
        snprintf(err, errsize, "fdesk-sim (%s) did not start", sim);
        demo_stop();
        return -1;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    setenv("FDESK_URL", url, 1);
    setenv("FRESHDESK_API_KEY", key, 1);
    memset(key, 0, sizeof key);
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void demo_stop(void)
{
    if (demo_pid > 0) {
        kill(demo_pid, SIGTERM);
        for (int i = 0; i < 100; i++) {
            pid_t r = waitpid(demo_pid, NULL, WNOHANG);
            if (r == demo_pid || (r < 0 && errno != EINTR))
                break;
            if (i == 99) {
                kill(demo_pid, SIGKILL);
                waitpid(demo_pid, NULL, 0);
                break;
            }
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        demo_pid = 0;
    }
    if (demo_out_fd >= 0) {
        close(demo_out_fd);
        demo_out_fd = -1;
    }
    if (demo_dir[0]) {
        nftw(demo_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        demo_dir[0] = '\0';
    }
}
