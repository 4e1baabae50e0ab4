/* test_secret.c: the API key never shows up where others can see it. A child
 * process gets the key the way users give it (FRESHDESK_API_KEY), talks to
 * fdesk-sim with the debug log on, meets errors (404, wrong key, refused
 * connection), prints every error message, and then waits; the parent checks
 * the child's /proc/PID/cmdline and /proc/PID/environ, its printed messages and
 * its debug log for the key and for its Basic-auth (base64) form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/api.h"
#include "src/config.h"
#include "src/decode.h"
#include "src/log.h"
#include "tests/api/simproc.h"

#define SECRET "sk-Zq81-secret-4242"

static char self_path[4096]; /* this program, to start the child (argv[0], not /proc/self/exe,
                               so it also works under valgrind) */

/* ---- The child: an ordinary client run -------------------------------------- */

static void report(const char *what, const struct fd_error *err)
{
    printf("%s: %s\n", what, fd_error_message(err));
}

static int child(const char *log_path)
{
    struct fd_config cfg;
    char msg[1024];
    struct fd_error err = FD_ERROR_INIT;
    config_harden_process();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (config_load(&cfg, NULL, msg, sizeof msg) != 0 ||
        config_require_account(&cfg, msg, sizeof msg) != 0) {
        printf("config: %s\n", msg);
        return 1;
    }
    log_open_file(log_path);
    struct api_options o;
    api_options_from_config(&o, &cfg);
    o.debug = true;
    o.max_attempts = 1;
    struct api *api = NULL;
    if (api_new(&o, &api, &err) != 0) {
        report("api_new", &err);
        return 1;
    }
    struct api_ticket_page page;
    if (api_list_tickets_page(api, &(struct api_ticket_query){.per_page = 5}, NULL, &page, &err))
        report("list", &err);
    api_ticket_page_clear(&page);
    struct api_reply r = {.body_html = "<p>hello</p>"};
    if (api_reply(api, 2, &r, NULL, &err) != 0)
        report("reply", &err);
    struct fd_ticket t;
    if (api_view_ticket(api, 987654321, NULL, &t, NULL, NULL, &err) != 0)
        report("view missing", &err);
    api_free(api);

    o.api_key = SECRET "-wrong";
    api_new(&o, &api, &err);
    if (api_view_ticket(api, 1, NULL, &t, NULL, NULL, &err) != 0)
        report("wrong key", &err);
    api_free(api);

    o.api_key = cfg.api_key;
    o.base_url = "http://127.0.0.1:1";
    api_new(&o, &api, &err);
    if (api_view_ticket(api, 1, NULL, &t, NULL, NULL, &err) != 0)
        report("refused", &err);
    api_free(api);
    fd_error_clear(&err);
    log_close();
    config_free(&cfg);
    printf("ready\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) /* wait until the parent has looked */
        ;
    curl_global_cleanup();
    return 0;
}

/* ---- The parent: looking for the key ------------------------------------------ */

static char *base64(const char *in)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in);
    char *out = calloc(1, n * 2 + 8), *o = out;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)in[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)in[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)in[i + 2];
        *o++ = tbl[(v >> 18) & 63];
        *o++ = tbl[(v >> 12) & 63];
        *o++ = i + 1 < n ? tbl[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? tbl[v & 63] : '=';
    }
    return out;
}

/* Whole file (NULs turned into spaces); NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    ssize_t r;
    while ((r = read(fd, buf + n, cap - n)) > 0) {
        n += (size_t)r;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    close(fd);
    for (size_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void assert_clean(const char *what, const char *text)
{
    char *b64 = base64(SECRET ":X");
    if (strstr(text, SECRET))
        fail_msg("the key appears in %s", what);
    if (strstr(text, b64))
        fail_msg("the Basic-auth form of the key appears in %s", what);
    free(b64);
}

static void key_never_reaches_argv_environ_messages_or_log(void **state)
{
    const char *sim_args[] = {"--api-key", SECRET, NULL};
    struct simproc sim;
    if (simproc_start(&sim, sim_args) != 0)
        fail_msg("fdesk-sim did not start");
    char dir[] = "/tmp/fdesk-secret-XXXXXX", log_path[256];
    assert_non_null(mkdtemp(dir));
    snprintf(log_path, sizeof log_path, "%s/debug.log", dir);
    int to_child[2], from_child[2];
    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(from_child), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        close(to_child[1]);
        close(from_child[0]);
        setenv("FRESHDESK_API_KEY", SECRET, 1);
        setenv("FDESK_URL", sim.url, 1);
        setenv("XDG_CONFIG_HOME", dir, 1);
        setenv("XDG_CACHE_HOME", dir, 1);
        setenv("XDG_STATE_HOME", dir, 1);
        execl(self_path, "test_secret", "--child", log_path, (char *)NULL);
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    FILE *out = fdopen(from_child[0], "r");
    char line[2048], printed[16384] = "";
    bool ready = false;
    while (!ready && fgets(line, sizeof line, out)) {
        ready = strcmp(line, "ready\n") == 0;
        strncat(printed, line, sizeof printed - strlen(printed) - 1);
    }
    assert_true(ready);

    /* the child is alive and waiting: look at what others could see */
    char path[64];
    size_t len;
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    char *cmdline = slurp(path, &len);
    assert_non_null(cmdline);
    assert_non_null(strstr(cmdline, "--child"));
    assert_clean("/proc/PID/cmdline", cmdline);
    free(cmdline);
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    char *environ_text = slurp(path, &len);
    if (environ_text) { /* unreadable (EACCES) is fine too: the process is not dumpable */
        assert_non_null(strstr(environ_text, "FDESK_URL="));
        assert_clean("/proc/PID/environ", environ_text);
        free(environ_text);
    } else {
        assert_int_equal(errno, EACCES);
    }
    close(to_child[1]);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(out);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* the messages: every error was met, and none names the key */
    assert_non_null(strstr(printed, "view missing: GET /api/v2/tickets/987654321: HTTP 404"));
    assert_non_null(strstr(printed, "wrong key: GET /api/v2/tickets/1: HTTP 401"));
    assert_non_null(strstr(printed, "refused: cannot connect"));
    assert_clean("error messages", printed);

    /* the debug log: requests and headers are there, credentials are not */
    char *log = slurp(log_path, &len);
    assert_non_null(log);
    assert_non_null(strstr(log, "> GET /api/v2/tickets?per_page=5"));
    assert_non_null(strstr(log, "> POST /api/v2/tickets/2/reply"));
    assert_non_null(strstr(log, "< X-RateLimit-Remaining"));
    assert_null(strstr(log, "Authorization"));
    assert_clean("the debug log", log);
    free(log);
    unlink(log_path);
    rmdir(dir);
    simproc_stop(&sim);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--child") == 0)
        return child(argv[2]);
    if (!realpath(argv[0], self_path))
        snprintf(self_path, sizeof self_path, "%s", argv[0]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_never_reaches_argv_environ_messages_or_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
