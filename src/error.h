/* error.h: one error value for everything that can go wrong talking to
 * Freshdesk: an HTTP error answer (status, Freshdesk `code`, field errors,
 * X-Request-Id) or a network-level failure (DNS, refused, TLS, timeout,
 * dropped connection, size cap, cancelled), plus local failures (bad
 * response JSON, bad argument, out of memory, file I/O).
 *
 * Every error carries `message`: one line that tells the agent what happened
 * and what to do ("Freshdesk rejected the API key (401): check
 * FRESHDESK_API_KEY and the domain."). The message never contains the API key.
 * Code that must branch uses `kind`, `http_status` and `code`, never the
 * message text.
 *
 * Usage: `struct fd_error err = FD_ERROR_INIT;` ... `fd_error_clear(&err);`.
 * Setting an error on a value that already holds one replaces it. */
#ifndef FD_ERROR_H
#define FD_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fd_error_kind {
    FD_ERR_NONE = 0,
    FD_ERR_HTTP,      /* the server answered with a status >= 400 */
    FD_ERR_DNS,       /* the host name did not resolve */
    FD_ERR_REFUSED,   /* nothing listens there (connection refused / unreachable) */
    FD_ERR_TLS,       /* certificate or handshake failure */
    FD_ERR_TIMEOUT,   /* connect timeout, or the transfer stalled (low-speed limit) */
    FD_ERR_DROPPED,   /* the connection closed mid-request or mid-response */
    FD_ERR_TOO_LARGE, /* the response exceeded the size cap */
    FD_ERR_CANCELLED, /* the caller's cancel flag was raised */
    FD_ERR_NETWORK,   /* any other transport failure */
    FD_ERR_DECODE,    /* the response was not the JSON we expected */
    FD_ERR_PROTOCOL,  /* the server broke a rule (e.g. a Link to another origin) */
    FD_ERR_INVALID,   /* the caller passed something unusable (bad query, page 11) */
    FD_ERR_CONFIG,    /* missing or malformed settings */
    FD_ERR_IO,        /* a local file could not be read or written */
    FD_ERR_NOMEM,
};

/* One entry of a 400/409 "Validation failed" body. */
struct fd_field_error {
    char *field;        /* "email", or NULL */
    char *nested_field; /* or NULL */
    char *code;         /* "duplicate_value", "invalid_field", ... or NULL */
    char *message;      /* the server's text (do not branch on it) */
    int64_t user_id;    /* additional_info.user_id (409 duplicate contact), else 0 */
};

struct fd_error {
    enum fd_error_kind kind;
    long http_status;     /* 0 when no HTTP answer was received */
    char *code;           /* Freshdesk "code" ("access_denied", ...), or NULL */
    char *server_message; /* Freshdesk "message"/"description", or NULL */
    struct fd_field_error *fields;
    size_t field_count;
    char request_id[80]; /* X-Request-Id, "" when absent */
    long retry_after;    /* seconds (429 and 503), 0 when absent */
    bool request_sent;   /* the request may have reached the server (outcome unknown for POST) */
    char *message;       /* agent-facing text; never NULL once kind != FD_ERR_NONE */
};

#define FD_ERROR_INIT \
    {                 \
        0             \
    }

/* Releases the members and resets err to FD_ERR_NONE. Safe on a cleared value. */
void fd_error_clear(struct fd_error *err);

/* Sets a local or network error with a printf-style message (replaces any
 * previous error). Returns -1 so callers can `return fd_error_set(...)`. */
int fd_error_set(struct fd_error *err, enum fd_error_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Builds an FD_ERR_HTTP error from a response: parses the three Freshdesk
 * body shapes ({code,message}, {message}, {description,errors[]}) and the
 * empty 404 body, never failing on a malformed body, and writes a message
 * that says what to do for 400, 401, 403 (access_denied, require_feature,
 * account_suspended, ssl_required), 404, 405, 406, 409, 415, 429, 5xx.
 * `what` names the request for the message ("GET /api/v2/tickets/42"), may be
 * NULL. Returns -1. */
int fd_error_from_http(struct fd_error *err, long status, const char *body, size_t body_len,
                       const char *request_id, long retry_after, const char *what);

/* The agent-facing message, or "" when there is no error. */
const char *fd_error_message(const struct fd_error *err);

/* Short stable name of a kind ("http", "dns", "timeout", ...), for logs and JSON. */
const char *fd_error_kind_name(enum fd_error_kind kind);

/* True when the same request may succeed later without any change: network
 * failures, timeouts, drops, 429, 5xx. (Whether it is safe to retry a POST
 * is a separate question: see request_sent.) */
bool fd_error_is_transient(const struct fd_error *err);

/* True for network-level failures that mean "offline" (DNS, refused, TLS,
 * timeout, dropped, other network errors). */
bool fd_error_is_offline(const struct fd_error *err);

/* Copies src into dst (deep). Returns 0 or -1 on allocation failure. */
int fd_error_copy(struct fd_error *dst, const struct fd_error *src);

#endif
