/* config.c: settings from the environment and the config file (see config.h),
 * the account check with its one-message guidance, and the protection of the
 * API key: it is taken out of the environment as soon as it is read, a file
 * holding it must be private to its owner, and the process can be made
 * non-dumpable. */
#include "src/config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/http.h"

#define CONFIG_MAX_LINE 4096
#define CONFIG_MAX_KEY  1024

static int fail(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errsize, const char *fmt, ...)
{
    if (err && errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static int replace(char **slot, const char *value)
{
    char *copy = value ? strdup(value) : NULL;
    if (value && !copy)
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", a, b);
    return s;
}

/* $VAR, else $HOME/fallback, + "/fdesk". */
static char *xdg_dir(const char *var, const char *fallback)
{
    const char *base = getenv(var);
    if (base && base[0] == '/')
        return join(base, "/fdesk");
    const char *home = getenv("HOME");
    if (!home || !*home)
        home = "/tmp";
    size_t n = strlen(home) + strlen(fallback) + 16;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s/fdesk", home, fallback);
    return s;
}

static char *default_config_path(void)
{
    char *dir = xdg_dir("XDG_CONFIG_HOME", ".config");
    char *path = dir ? join(dir, "/config") : NULL;
    free(dir);
    return path;
}

/* ---- Domain and URL forms ---------------------------------------------- */

char *config_normalize_domain(const char *value, char *err, size_t errsize)
{
    const char *p = value;
    if (!p || !*p) {
        fail(err, errsize,
             "the Freshdesk domain is empty: use e.g. `acme` or `acme.freshdesk.com`");
        return NULL;
    }
    if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else if (strstr(p, "://")) {
        fail(err, errsize, "the Freshdesk domain '%.100s' must use https (or just write `acme`)",
             value);
        return NULL;
    }
    size_t n = strcspn(p, "/");
    if (p[n] == '/' && p[n + 1] != '\0') {
        fail(err, errsize, "the Freshdesk domain '%.100s' must not contain a path", value);
        return NULL;
    }
    if (n == 0 || n > 253) {
        fail(err, errsize, "the Freshdesk domain '%.100s' is not a host name", value);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (!isalnum(c) && c != '-' && c != '.') {
            fail(err, errsize,
                 "the Freshdesk domain '%.100s' is not a host name: use e.g. `acme` or "
                 "`acme.freshdesk.com`",
                 value);
            return NULL;
        }
    }
    bool bare = memchr(p, '.', n) == NULL;
    size_t size = n + (bare ? sizeof ".freshdesk.com" : 1);
    char *host = malloc(size);
    if (!host) {
        fail(err, errsize, "out of memory");
        return NULL;
    }
    snprintf(host, size, "%.*s%s", (int)n, p, bare ? ".freshdesk.com" : "");
    for (char *c = host; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return host;
}

/* "acme" from acme.freshdesk.com; "127.0.0.1-8080" from http://127.0.0.1:8080. */
static char *account_name(const char *host_or_url)
{
    const char *p = strstr(host_or_url, "://");
    p = p ? p + 3 : host_or_url;
    char *s = strdup(p);
    if (!s)
        return NULL;
    char *dot = strstr(s, ".freshdesk.com");
    if (dot && dot[14] == '\0')
        *dot = '\0';
    for (char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-' && *c != '_')
            *c = '-';
    return s;
}

/* FDESK_URL: scheme://host[:port][/], https or loopback http. */
static int set_base_url(struct fd_config *cfg, const char *url, char *err, size_t errsize)
{
    struct fd_error e = FD_ERROR_INIT;
    if (!http_url_allowed(url, &e)) {
        fail(err, errsize, "FDESK_URL: %s", fd_error_message(&e));
        fd_error_clear(&e);
        return -1;
    }
    const char *host = strstr(url, "://") + 3;
    const char *slash = strchr(host, '/');
    if (slash && slash[1] != '\0')
        return fail(err, errsize,
                    "FDESK_URL must be scheme://host[:port] without a path (fdesk adds /api/v2)");
    size_t n = slash ? (size_t)(slash - url) : strlen(url);
    free(cfg->base_url);
    cfg->base_url = strndup(url, n);
    free(cfg->account);
    cfg->account = cfg->base_url ? account_name(cfg->base_url) : NULL;
    free(cfg->domain);
    cfg->domain = NULL;
    return cfg->account ? 0 : fail(err, errsize, "out of memory");
}

static int set_domain(struct fd_config *cfg, const char *value, const char *where, char *err,
                      size_t errsize)
{
    char why[256];
    char *host = config_normalize_domain(value, why, sizeof why);
    if (!host)
        return fail(err, errsize, "%s: %s", where, why);
    free(cfg->domain);
    cfg->domain = host;
    free(cfg->base_url);
    cfg->base_url = join("https://", host);
    free(cfg->account);
    cfg->account = account_name(host);
    return cfg->base_url && cfg->account ? 0 : fail(err, errsize, "out of memory");
}

/* ---- The file ------------------------------------------------------------ */

struct file_ctx {
    const char *path;
    int line;
    bool has_key;
};

static int parse_int(const char *value, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

struct int_setting {
    const char *name;
    size_t offset;
    int lo, hi;
};

static const struct int_setting INT_SETTINGS[] = {
    {"refresh", offsetof(struct fd_config, refresh_seconds), 10, 86400},
    {"sync_since_days", offsetof(struct fd_config, sync_since_days), 1, 3650},
    {"max_parallel", offsetof(struct fd_config, max_parallel), 1, 16},
    {"headroom_percent", offsetof(struct fd_config, headroom_percent), 0, 90},
    {"connect_timeout", offsetof(struct fd_config, connect_timeout), 1, 300},
};

struct str_setting {
    const char *name;
    size_t offset;
};

static const struct str_setting STR_SETTINGS[] = {
    {"api_key_command", offsetof(struct fd_config, api_key_command)},
    {"ca_file", offsetof(struct fd_config, ca_file)},
    {"keymap", offsetof(struct fd_config, keymap_file)},
    {"signature", offsetof(struct fd_config, signature)},
    {"columns", offsetof(struct fd_config, columns)},
};

static int set_setting(struct fd_config *cfg, struct file_ctx *ctx, const char *key,
                       const char *value, char *err, size_t errsize)
{
    char where[PATH_MAX + 32];
    snprintf(where, sizeof where, "%s:%d", ctx->path, ctx->line);
    if (strcmp(key, "domain") == 0)
        return set_domain(cfg, value, where, err, errsize);
    if (strcmp(key, "api_key") == 0) {
        ctx->has_key = true;
        wipe_free(cfg->api_key);
        cfg->api_key = strdup(value);
        return cfg->api_key ? 0 : fail(err, errsize, "out of memory");
    }
    if (strcmp(key, "scroll_jump") == 0) {
        if (strcmp(value, "page") == 0 || strcmp(value, "half") == 0) {
            cfg->scroll_jump = value[0] == 'h' ? 0 : -1;
            return 0;
        }
        if (parse_int(value, 1, 1000, &cfg->scroll_jump) == 0)
            return 0;
        return fail(err, errsize,
                    "%s: scroll_jump must be page, half or a number of rows from 1 to 1000", where);
    }
    for (size_t i = 0; i < sizeof STR_SETTINGS / sizeof STR_SETTINGS[0]; i++)
        if (strcmp(key, STR_SETTINGS[i].name) == 0)
            return replace((char **)((char *)cfg + STR_SETTINGS[i].offset), value) == 0
                       ? 0
                       : fail(err, errsize, "out of memory");
    for (size_t i = 0; i < sizeof INT_SETTINGS / sizeof INT_SETTINGS[0]; i++) {
        const struct int_setting *s = &INT_SETTINGS[i];
        if (strcmp(key, s->name) == 0) {
            if (parse_int(value, s->lo, s->hi, (int *)((char *)cfg + s->offset)) == 0)
                return 0;
            return fail(err, errsize, "%s: %s must be a whole number from %d to %d", where, key,
                        s->lo, s->hi);
        }
    }
    return fail(err, errsize, "%s: unknown setting '%.64s'", where, key);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int add_extra(struct fd_config *cfg, const char *path, int line, const char *text)
{
    struct fd_config_extra *grown =
        realloc(cfg->extra, (cfg->extra_count + 1) * sizeof *cfg->extra);
    if (!grown)
        return -1;
    cfg->extra = grown;
    struct fd_config_extra *x = &cfg->extra[cfg->extra_count];
    x->file = strdup(path);
    x->text = strdup(text);
    x->line = line;
    cfg->extra_count++;
    return x->file && x->text ? 0 : -1;
}

static bool is_extra_line(const char *s)
{
    static const char *const words[] = {"bind", "unbind", "view", "column"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(s, words[i], n) == 0 && (s[n] == ' ' || s[n] == '\t'))
            return true;
    }
    return false;
}

static int parse_line(struct fd_config *cfg, struct file_ctx *ctx, char *line, char *err,
                      size_t errsize)
{
    char *s = trim(line);
    if (*s == '\0' || *s == '#')
        return 0;
    if (is_extra_line(s))
        return add_extra(cfg, ctx->path, ctx->line, s) == 0 ? 0
                                                            : fail(err, errsize, "out of memory");
    if (strncmp(s, "set ", 4) == 0 || strncmp(s, "set\t", 4) == 0)
        s = trim(s + 4);
    char *eq = strchr(s, '=');
    if (!eq)
        return fail(err, errsize, "%s:%d: expected `key = value`", ctx->path, ctx->line);
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    size_t vlen = strlen(value);
    if (vlen >= 2 && ((value[0] == '"' && value[vlen - 1] == '"') ||
                      (value[0] == '\'' && value[vlen - 1] == '\''))) {
        value[vlen - 1] = '\0';
        value++;
    }
    if (*key == '\0')
        return fail(err, errsize, "%s:%d: missing setting name before '='", ctx->path, ctx->line);
    return set_setting(cfg, ctx, key, value, err, errsize);
}

/* A file that holds api_key must be readable by its owner only. */
static int check_private(FILE *f, const char *path, char *err, size_t errsize)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        return fail(err, errsize, "%s: %s", path, strerror(errno));
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) || st.st_uid != geteuid())
        return fail(err, errsize,
                    "%s holds api_key but other users can read it: run `chmod 600 %s` (or use "
                    "api_key_command instead)",
                    path, path);
    return 0;
}

static int read_file(struct fd_config *cfg, FILE *f, const char *path, char *err, size_t errsize)
{
    struct file_ctx ctx = {.path = path};
    char *line = malloc(CONFIG_MAX_LINE);
    int rc = 0;
    if (!line)
        return fail(err, errsize, "out of memory");
    while (rc == 0 && fgets(line, CONFIG_MAX_LINE, f)) {
        ctx.line++;
        size_t n = strlen(line);
        if (n == CONFIG_MAX_LINE - 1 && line[n - 1] != '\n' && !feof(f))
            rc = fail(err, errsize, "%s:%d: line too long", path, ctx.line);
        else
            rc = parse_line(cfg, &ctx, line, err, errsize);
    }
    explicit_bzero(line, CONFIG_MAX_LINE);
    free(line);
    if (rc == 0 && ferror(f))
        rc = fail(err, errsize, "%s: read error", path);
    if (rc == 0 && ctx.has_key)
        rc = check_private(f, path, err, errsize);
    return rc;
}

static int load_file(struct fd_config *cfg, const char *path, bool must_exist, char *err,
                     size_t errsize)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        if (errno == ENOENT && !must_exist)
            return 0;
        return fail(err, errsize, "cannot read config file %s: %s", path, strerror(errno));
    }
    cfg->path = strdup(path);
    int rc =
        cfg->path ? read_file(cfg, f, path, err, errsize) : fail(err, errsize, "out of memory");
    fclose(f);
    return rc;
}

/* ---- Environment and derived paths -------------------------------------- */

static int apply_environment(struct fd_config *cfg, char *err, size_t errsize)
{
    const char *key = getenv("FRESHDESK_API_KEY");
    if (key && *key) {
        wipe_free(cfg->api_key);
        cfg->api_key = strdup(key);
        if (!cfg->api_key)
            return fail(err, errsize, "out of memory");
    }
    if (key) {
        /* Children ($EDITOR, api_key_command) must not inherit the secret. */
        explicit_bzero((char *)key, strlen(key));
        unsetenv("FRESHDESK_API_KEY");
    }
    const char *domain = getenv("FRESHDESK_DOMAIN");
    if (domain && *domain && set_domain(cfg, domain, "FRESHDESK_DOMAIN", err, errsize) != 0)
        return -1;
    const char *url = getenv("FDESK_URL");
    if (url && *url && set_base_url(cfg, url, err, errsize) != 0)
        return -1;
    return 0;
}

static int derive_paths(struct fd_config *cfg, char *err, size_t errsize)
{
    cfg->cache_dir = xdg_dir("XDG_CACHE_HOME", ".cache");
    cfg->state_dir = xdg_dir("XDG_STATE_HOME", ".local/state");
    if (!cfg->cache_dir || !cfg->state_dir)
        return fail(err, errsize, "out of memory");
    if (cfg->account) {
        size_t n = strlen(cfg->cache_dir) + strlen(cfg->account) + 8;
        cfg->cache_path = malloc(n);
        if (!cfg->cache_path)
            return fail(err, errsize, "out of memory");
        snprintf(cfg->cache_path, n, "%s/%s.db", cfg->cache_dir, cfg->account);
    }
    return 0;
}

int config_load(struct fd_config *cfg, const char *path, char *err, size_t errsize)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->refresh_seconds = 60;
    cfg->sync_since_days = 90;
    cfg->max_parallel = 4;
    cfg->headroom_percent = 20;
    cfg->connect_timeout = 15;
    if (err && errsize)
        err[0] = '\0';

    bool explicit_path = path && *path;
    if (!explicit_path) {
        path = getenv("FDESK_CONFIG");
        explicit_path = path && *path;
    }
    char *fallback = explicit_path ? NULL : default_config_path();
    int rc = explicit_path || fallback
                 ? load_file(cfg, explicit_path ? path : fallback, explicit_path, err, errsize)
                 : fail(err, errsize, "out of memory");
    free(fallback);
    if (rc == 0)
        rc = apply_environment(cfg, err, errsize);
    else
        unsetenv("FRESHDESK_API_KEY");
    if (rc == 0)
        rc = derive_paths(cfg, err, errsize);
    if (rc != 0) {
        config_free(cfg);
        return -1;
    }
    return 0;
}

/* ---- The account check ---------------------------------------------------- */

/* Runs api_key_command with sh -c and keeps its trimmed stdout. */
static int run_key_command(struct fd_config *cfg, char *err, size_t errsize)
{
    FILE *p = popen(cfg->api_key_command, "re");
    if (!p)
        return fail(err, errsize, "api_key_command could not be started: %s", strerror(errno));
    char *buf = calloc(1, CONFIG_MAX_KEY + 1);
    size_t n = buf ? fread(buf, 1, CONFIG_MAX_KEY, p) : 0;
    /* Drain anything beyond the limit so the child is not killed by SIGPIPE. */
    char sink[256];
    while (fread(sink, 1, sizeof sink, p) > 0)
        n = CONFIG_MAX_KEY + 1;
    int status = pclose(p);
    if (!buf)
        return fail(err, errsize, "out of memory");
    int rc = 0;
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = fail(err, errsize, "api_key_command `%.200s` failed (exit status %d): fix it in %s",
                  cfg->api_key_command, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                  cfg->path ? cfg->path : "the config file");
    else if (n > CONFIG_MAX_KEY)
        rc = fail(err, errsize,
                  "api_key_command printed more than %d bytes: it should print "
                  "only the API key",
                  CONFIG_MAX_KEY);
    char *key = trim(buf);
    if (rc == 0 && (*key == '\0' || strpbrk(key, " \t\r\n")))
        rc = fail(err, errsize, "api_key_command `%.200s` must print the API key on one line",
                  cfg->api_key_command);
    if (rc == 0) {
        wipe_free(cfg->api_key);
        cfg->api_key = strdup(key);
        if (!cfg->api_key)
            rc = fail(err, errsize, "out of memory");
    }
    explicit_bzero(buf, CONFIG_MAX_KEY + 1);
    free(buf);
    return rc;
}

static int not_configured(const struct fd_config *cfg, const char *what, char *err, size_t errsize)
{
    char *fallback = cfg->path ? NULL : default_config_path();
    const char *file = cfg->path ? cfg->path : fallback ? fallback : "~/.config/fdesk/config";
    fail(err, errsize,
         "%s: set FRESHDESK_DOMAIN and FRESHDESK_API_KEY, or write %s with `domain = ...` and "
         "`api_key_command = ...`, or try `fdesk --demo`",
         what, file);
    free(fallback);
    return -1;
}

int config_require_account(struct fd_config *cfg, char *err, size_t errsize)
{
    if (!cfg->base_url)
        return not_configured(cfg, "no Freshdesk account is configured", err, errsize);
    if (!cfg->api_key && cfg->api_key_command)
        return run_key_command(cfg, err, errsize);
    if (!cfg->api_key)
        return not_configured(cfg, "no Freshdesk API key is configured", err, errsize);
    for (const char *c = cfg->api_key; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return fail(err, errsize,
                        "the API key contains spaces or control characters: check "
                        "FRESHDESK_API_KEY or api_key in %s",
                        cfg->path ? cfg->path : "the config file");
    return 0;
}

void config_free(struct fd_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->domain);
    free(cfg->base_url);
    free(cfg->account);
    wipe_free(cfg->api_key);
    free(cfg->api_key_command);
    free(cfg->ca_file);
    free(cfg->cache_dir);
    free(cfg->cache_path);
    free(cfg->state_dir);
    free(cfg->keymap_file);
    free(cfg->signature);
    free(cfg->columns);
    for (size_t i = 0; i < cfg->extra_count; i++) {
        free(cfg->extra[i].file);
        free(cfg->extra[i].text);
    }
    free(cfg->extra);
    memset(cfg, 0, sizeof *cfg);
}

int config_harden_process(void)
{
    int rc = 0;
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        rc = -1;
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        rc = -1;
    return rc;
}
