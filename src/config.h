/* config.h: fdesk's settings: the account, the secret, the file locations and
 * the tunables, from the environment and the config file.
 *
 * Config file syntax (line-based, like tig/mutt "set" files):
 *     # comment
 *     domain = acme
 *     api_key_command = pass show freshdesk
 *     refresh = 60
 *     view mine-urgent = agent:me AND priority:urgent
 *     bind list <C-d> page-down
 * `key = value` lines set the settings below; lines whose first word is
 * bind, unbind, view or column are kept verbatim in `extra` (with file and
 * line) for the modules that own that grammar (keymap.c, views). Errors name
 * the file and the line.
 *
 * The API key is a secret: it comes from FRESHDESK_API_KEY (which is then
 * removed from the environment so children such as $EDITOR never see it), from
 * api_key_command's stdout, or from api_key in a file only its owner can read.
 * It must never be logged, printed, put in argv, an error message or the cache. */
#ifndef FD_CONFIG_H
#define FD_CONFIG_H

#include <stddef.h>

struct fd_config_extra {
    char *file;
    int line;
    char *text; /* the whole line, trimmed */
};

struct fd_config {
    char *path;     /* the config file that was read, or NULL if none exists */
    char *domain;   /* "acme.freshdesk.com", or NULL when FDESK_URL is used */
    char *base_url; /* "https://acme.freshdesk.com" or $FDESK_URL, no trailing '/' */
    char *account;  /* safe file-name form of the account: "acme", "127.0.0.1-8080" */
    char *api_key;  /* the secret: from config_load (environment, file) or, for
                     * api_key_command, config_require_account; else NULL */
    char *api_key_command;
    char *ca_file;
    char *cache_dir;  /* $XDG_CACHE_HOME/fdesk */
    char *cache_path; /* cache_dir/<account>.db */
    char *state_dir;  /* $XDG_STATE_HOME/fdesk (drafts, outbox) */
    char *keymap_file;
    char *signature;
    char *columns;        /* list columns, e.g. "id,status,priority,sla,requester,subject" */
    int refresh_seconds;  /* incremental sync period; default 60 */
    int sync_since_days;  /* first-sync horizon; default 90 */
    int max_parallel;     /* page requests in flight; default 4 */
    int headroom_percent; /* rate budget kept for interactive work; default 20 */
    int connect_timeout;  /* seconds; default 15 */
    int scroll_jump;      /* rows the list scrolls past its edge: 0 = half a page
                           * (default), -1 = a page, else that many rows */
    struct fd_config_extra *extra;
    size_t extra_count;
};

/* Reads the environment and the config file (path, else $FDESK_CONFIG, else
 * $XDG_CONFIG_HOME/fdesk/config; a missing default file is not an error).
 * Does not require an account. Returns 0, or -1 with a one-line message in err
 * naming the file and line. */
int config_load(struct fd_config *cfg, const char *path, char *err, size_t errsize);

/* Makes sure an account is set (domain or FDESK_URL) and the key is available,
 * running api_key_command if needed. Returns 0, or -1 with a message in err that
 * says exactly what to set (environment variables, config file, --demo). */
int config_require_account(struct fd_config *cfg, char *err, size_t errsize);

/* Releases everything; the key is wiped before it is freed. */
void config_free(struct fd_config *cfg);

/* Process-level protection of the secret, for main() to call once at start-up
 * before any thread: no core dumps and no ptrace attach by other processes of
 * the same user (prctl PR_SET_DUMPABLE 0, RLIMIT_CORE 0). Returns 0 or -1. */
int config_harden_process(void);

/* Normalises a FRESHDESK_DOMAIN / `domain =` value ("acme", "acme.freshdesk.com",
 * "https://acme.freshdesk.com/") into a host name ("acme.freshdesk.com"),
 * newly allocated. Returns NULL (with a message in err) when it is malformed. */
char *config_normalize_domain(const char *value, char *err, size_t errsize);

#endif
