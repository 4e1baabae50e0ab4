/* cmd_read.c: the shared part of the cache-reading commands `fdesk list` and
 * `fdesk show`: config and cache opening with actionable messages, and the
 * formatting of times, statuses and due dates they both print. */
#include "src/cmd_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int read_session_open(struct read_session *rs, struct cli_options *opts)
{
    char err[1024];
    bool missing = false;

    memset(rs, 0, sizeof *rs);
    if (config_load(&rs->cfg, opts->config_path, err, sizeof err) != 0) {
        fprintf(stderr, "fdesk: %s\n", err);
        return FD_EXIT_CONFIG;
    }
    rs->cfg_loaded = true;
    if (!rs->cfg.account || !rs->cfg.cache_path) {
        /* config_require_account says exactly what to set */
        if (config_require_account(&rs->cfg, err, sizeof err) != 0 || !rs->cfg.cache_path) {
            fprintf(stderr, "fdesk: %s\n", err);
            return FD_EXIT_CONFIG;
        }
    }
    rs->store = store_open(rs->cfg.cache_path, 0, &missing, err, sizeof err);
    if (!rs->store) {
        if (missing)
            fprintf(stderr, "fdesk: no cache for account %s yet: run `fdesk sync`\n",
                    rs->cfg.account);
        else
            fprintf(stderr, "fdesk: %s\n", err);
        return FD_EXIT_ERROR;
    }
    if (store_notice(rs->store))
        fprintf(stderr, "fdesk: %s\n", store_notice(rs->store));
    return FD_EXIT_OK;
}

void read_session_close(struct read_session *rs)
{
    store_close(rs->store);
    if (rs->cfg_loaded)
        config_free(&rs->cfg);
    memset(rs, 0, sizeof *rs);
}

void read_format_local_time(fd_time t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (t == 0 || !localtime_r(&tt, &tm)) {
        snprintf(buf, size, "-");
        return;
    }
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

const char *read_status_name(int status, const char *label, char *buf, size_t size)
{
    if (label && *label)
        return label;
    if (model_status_name(status))
        return model_status_name(status);
    snprintf(buf, size, "%d", status);
    return buf;
}

/* "5m", "3h", "2d": the largest whole unit. */
static void format_span(fd_time seconds, char *buf, size_t size)
{
    if (seconds < 3600)
        snprintf(buf, size, "%lldm", (long long)(seconds / 60));
    else if (seconds < 2 * 86400)
        snprintf(buf, size, "%lldh", (long long)(seconds / 3600));
    else
        snprintf(buf, size, "%lldd", (long long)(seconds / 86400));
}

void read_format_due(fd_time due, int status, fd_time now, char *buf, size_t size)
{
    char span[32];

    if (due == 0 || status == FD_STATUS_RESOLVED || status == FD_STATUS_CLOSED) {
        snprintf(buf, size, "-");
        return;
    }
    format_span(due >= now ? due - now : now - due, span, sizeof span);
    snprintf(buf, size, due >= now ? "in %s" : "overdue %s", span);
}

int read_parse_ticket_id(const char *s, fd_id *id)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return cli_usage_error("'%s' is not a ticket id", s);
    *id = (fd_id)v;
    return FD_EXIT_OK;
}
