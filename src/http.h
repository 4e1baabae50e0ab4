/* http.h: fdesk's HTTP transport on libcurl.
 *
 * One `struct http_client` belongs to one thread (CURL handles are never
 * shared between threads). It keeps one easy handle for sequential requests
 * and a small pool of easy handles behind a multi handle for several
 * transfers at once, so connections and TLS sessions are reused (keep-alive;
 * HTTP/2 where the server offers it). Every handle gets the same hardening:
 *   - TLS verification always on (system CAs, or ca_file); https only, plain
 *     http only for loopback hosts (127.0.0.0/8, ::1, localhost);
 *     CURLOPT_PROTOCOLS_STR; no redirects followed;
 *   - Accept-Encoding: every encoding libcurl supports (gzip, ...);
 *   - connect timeout, low-speed limit (100 B/s over low_speed_time), a cap on
 *     the response size, CURLOPT_NOSIGNAL (callers block or ignore SIGPIPE);
 *   - User-Agent: fdesk/VERSION;
 *   - the API key via CURLOPT_USERNAME with password "X" (never in a URL);
 *   - a cancel flag checked from the progress callback, so a raised flag
 *     stops a transfer within about a second;
 *   - an optional debug log of requests and response headers through log.h,
 *     with every Authorization header dropped.
 * curl_global_init() must have been called by main() before any thread starts.
 *
 * http_perform() returns 0 whenever an HTTP answer arrived, whatever its
 * status: mapping statuses to errors, rate limits and retries is api.c's job. */
#ifndef FD_HTTP_H
#define FD_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "src/error.h"

struct http_options {
    const char *api_key;       /* Basic-auth user name; NULL = no authentication */
    const char *ca_file;       /* extra CA bundle, or NULL for the system store */
    long connect_timeout;      /* seconds; 0 = 15 */
    long low_speed_time;       /* seconds below 100 B/s before giving up; 0 = 30 */
    size_t max_response_bytes; /* 0 = 64 MiB */
    const atomic_int *cancel;  /* raised (non-zero) = stop now; may be NULL */
    bool debug;                /* log request lines and headers (never Authorization) */
};

/* One part of a multipart/form-data body: either a value or a file. */
struct http_part {
    const char *name;      /* "body", "attachments[]", "cc_emails[]", ... */
    const char *value;     /* text value, or NULL for a file part */
    const char *file_path; /* file to upload (value must be NULL) */
    const char *file_name; /* name sent to the server; NULL = basename of file_path */
};

struct http_request {
    const char *method;            /* "GET", "POST", "PUT", "DELETE" */
    const char *url;               /* absolute URL; checked by http_url_allowed() */
    const char *json_body;         /* NUL-terminated JSON sent as application/json, or NULL */
    const struct http_part *parts; /* multipart/form-data when part_count > 0 */
    size_t part_count;
    bool no_auth; /* true for attachment downloads (signed URLs on another host) */
    FILE *sink;   /* when set, the body is written here instead of into memory */
};

struct http_response {
    long status;     /* HTTP status, 0 if none */
    char *body;      /* NUL-terminated (NULL when written to a sink or empty) */
    size_t body_len; /* bytes received (also counted when written to a sink) */
    char *link_next; /* URL of Link: <...>; rel="next", or NULL */
    char *location;  /* Location header (201 creates), or NULL */
    char *content_type;
    char request_id[80]; /* X-Request-Id, "" when absent */
    long retry_after;    /* Retry-After seconds, -1 when absent */
    long rl_total;       /* X-RateLimit-Total, -1 when absent */
    long rl_remaining;   /* X-RateLimit-Remaining, -1 when absent */
    long rl_used;        /* X-RateLimit-Used-CurrentRequest, -1 when absent */
};

struct http_client;

/* Creates a client for the calling thread; the options are copied. Returns 0,
 * or -1 with err set. */
int http_client_new(const struct http_options *opts, struct http_client **out,
                    struct fd_error *err);
void http_client_free(struct http_client *client);

/* Performs one request on the reused easy handle. Returns 0 when an HTTP
 * answer arrived (resp->status may be >= 400), or -1 with err describing the
 * transport failure (DNS, refused, TLS, timeout, dropped, too large,
 * cancelled, refused URL). err->request_sent tells whether the request may
 * have reached the server. resp is overwritten (release an earlier answer
 * first) and must be released with http_response_clear() in both cases. */
int http_perform(struct http_client *client, const struct http_request *req,
                 struct http_response *resp, struct fd_error *err);

/* Performs n requests at the same time through the multi handle (at most
 * 16 at once; more are queued). results[i] is 0 or -1 as for http_perform,
 * with errs[i] set on -1. Returns the number of requests that failed at
 * transport level. Every resps[i] must be released with http_response_clear(). */
size_t http_perform_many(struct http_client *client, const struct http_request *reqs,
                         struct http_response *resps, int *results, struct fd_error *errs,
                         size_t n);

void http_response_clear(struct http_response *resp);

/* Whether fdesk may talk to url: https, or http to a loopback host. On false
 * err (may be NULL) explains why. */
bool http_url_allowed(const char *url, struct fd_error *err);

/* True when a and b have the same scheme, host and port. */
bool http_same_origin(const char *a, const char *b);

/* The URL of rel="next" in a Link header value, newly allocated, or NULL. */
char *http_parse_link_next(const char *link_header);

/* Percent-encodes s for a query value (RFC 3986 unreserved kept). Newly
 * allocated, NULL on allocation failure. */
char *http_escape(const char *s);

#endif
