/* http.c: the libcurl transport (see http.h). Every transfer, single or
 * parallel, runs on a pooled easy handle driven by one multi handle, so all
 * of a thread's requests share one connection cache (keep-alive, TLS session
 * reuse, HTTP/2 multiplexing). Options are set in one place (setup_handle)
 * so no request can miss the hardening. */
#include "src/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "src/log.h"

#define HTTP_MAX_PARALLEL 16
#define HTTP_DEFAULT_CAP  ((size_t)64 * 1024 * 1024)

struct http_client {
    struct http_options opts;
    char *api_key;
    char *ca_file;
    CURLM *multi;
    CURL *pool[HTTP_MAX_PARALLEL];
};

/* One transfer in flight. */
struct xfer {
    struct http_client *client;
    const struct http_request *req;
    struct http_response *resp;
    struct fd_error *err;
    int *result;
    CURL *h;
    curl_mime *mime;
    struct curl_slist *headers;
    size_t alloc;
    bool too_large;
    char errbuf[CURL_ERROR_SIZE];
};

/* ---- URLs ------------------------------------------------------------------ */

static bool host_is_loopback(const char *host)
{
    unsigned char addr[16];
    if (strcasecmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
        strcmp(host, "::1") == 0)
        return true;
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    return false;
}

static void url_parts_free(char *scheme, char *host, char *port, char *user)
{
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(user);
}

/* Parses url into its scheme, host and port (with the default port filled in). */
static int url_parts(const char *url, char **scheme, char **host, char **port, char **user)
{
    CURLU *u = curl_url();
    int rc = -1;
    *scheme = *host = *port = NULL;
    if (user)
        *user = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        rc = 0;
    if (rc == 0 && user)
        curl_url_get(u, CURLUPART_USER, user, 0);
    curl_url_cleanup(u);
    if (rc != 0) {
        url_parts_free(*scheme, *host, *port, NULL);
        *scheme = *host = *port = NULL;
    }
    return rc;
}

bool http_url_allowed(const char *url, struct fd_error *err)
{
    char *scheme, *host, *port, *user;
    bool ok = false;
    if (!url || url_parts(url, &scheme, &host, &port, &user) != 0) {
        fd_error_set(err, FD_ERR_INVALID, "'%.200s' is not a valid URL", url ? url : "(null)");
        return false;
    }
    if (user)
        fd_error_set(err, FD_ERR_INVALID,
                     "URLs with a user name are not allowed (the key "
                     "belongs in FRESHDESK_API_KEY)");
    else if (strcasecmp(scheme, "https") == 0)
        ok = true;
    else if (strcasecmp(scheme, "http") == 0 && host_is_loopback(host))
        ok = true;
    else if (strcasecmp(scheme, "http") == 0)
        fd_error_set(err, FD_ERR_INVALID,
                     "plain http to %.200s is refused: use https (http is allowed only for "
                     "loopback addresses such as 127.0.0.1)",
                     host);
    else
        fd_error_set(err, FD_ERR_INVALID, "only https URLs are allowed, not %.20s", scheme);
    url_parts_free(scheme, host, port, user);
    return ok;
}

bool http_same_origin(const char *a, const char *b)
{
    char *s1, *h1, *p1, *s2, *h2, *p2;
    if (!a || !b || url_parts(a, &s1, &h1, &p1, NULL) != 0)
        return false;
    if (url_parts(b, &s2, &h2, &p2, NULL) != 0) {
        url_parts_free(s1, h1, p1, NULL);
        return false;
    }
    bool same = strcasecmp(s1, s2) == 0 && strcasecmp(h1, h2) == 0 && strcmp(p1, p2) == 0;
    url_parts_free(s1, h1, p1, NULL);
    url_parts_free(s2, h2, p2, NULL);
    return same;
}

/* Is ` rel="next"` (or rel=next, or rel="x next") among the parameters in [p, end)? */
static bool params_have_next(const char *p, const char *end)
{
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
            p++;
        if (end - p > 4 && strncasecmp(p, "rel=", 4) == 0) {
            p += 4;
            bool quoted = *p == '"';
            if (quoted)
                p++;
            const char *stop = p;
            while (stop < end && (quoted ? *stop != '"' : (*stop != ';' && *stop != ' ')))
                stop++;
            for (const char *w = p; w < stop;) {
                const char *we = w;
                while (we < stop && *we != ' ')
                    we++;
                if (we - w == 4 && strncasecmp(w, "next", 4) == 0)
                    return true;
                w = we + (we < stop);
            }
            p = stop + (stop < end);
        } else {
            while (p < end && *p != ';')
                p++;
        }
    }
    return false;
}

char *http_parse_link_next(const char *header)
{
    const char *p = header;
    while (p && *p) {
        const char *lt = strchr(p, '<');
        if (!lt)
            return NULL;
        const char *gt = strchr(lt, '>');
        if (!gt)
            return NULL;
        const char *end = strchr(gt, ',');
        if (!end)
            end = gt + strlen(gt);
        if (params_have_next(gt + 1, end))
            return strndup(lt + 1, (size_t)(gt - lt - 1));
        p = end;
    }
    return NULL;
}

char *http_escape(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

/* ---- Callbacks ---------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct xfer *x = userdata;
    struct http_response *r = x->resp;
    size_t n = size * nmemb;
    size_t cap = x->client->opts.max_response_bytes;
    if (r->body_len + n > cap) {
        x->too_large = true;
        return 0;
    }
    if (x->req->sink) {
        if (fwrite(data, 1, n, x->req->sink) != n)
            return 0;
        r->body_len += n;
        return n;
    }
    if (r->body_len + n + 1 > x->alloc) {
        size_t want = x->alloc ? x->alloc * 2 : 16384;
        while (want < r->body_len + n + 1)
            want *= 2;
        char *grown = realloc(r->body, want);
        if (!grown)
            return 0;
        r->body = grown;
        x->alloc = want;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return n;
}

static long header_long(const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    return end == v || n < 0 ? -1 : n;
}

static void take_string(char **slot, const char *v)
{
    free(*slot);
    *slot = strdup(v);
}

/* A fresh status line starts a new header block (e.g. after 100 Continue). */
static void reset_headers(struct http_response *r)
{
    free(r->link_next);
    free(r->location);
    free(r->content_type);
    r->link_next = r->location = r->content_type = NULL;
    r->request_id[0] = '\0';
    r->retry_after = r->rl_total = r->rl_remaining = r->rl_used = -1;
}

static void store_header(struct http_response *r, const char *name, const char *v)
{
    if (strcasecmp(name, "link") == 0) {
        char *next = http_parse_link_next(v);
        if (next) {
            free(r->link_next);
            r->link_next = next;
        }
    } else if (strcasecmp(name, "location") == 0)
        take_string(&r->location, v);
    else if (strcasecmp(name, "content-type") == 0)
        take_string(&r->content_type, v);
    else if (strcasecmp(name, "x-request-id") == 0)
        snprintf(r->request_id, sizeof r->request_id, "%s", v);
    else if (strcasecmp(name, "retry-after") == 0)
        r->retry_after = header_long(v);
    else if (strcasecmp(name, "x-ratelimit-total") == 0)
        r->rl_total = header_long(v);
    else if (strcasecmp(name, "x-ratelimit-remaining") == 0)
        r->rl_remaining = header_long(v);
    else if (strcasecmp(name, "x-ratelimit-used-currentrequest") == 0)
        r->rl_used = header_long(v);
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct xfer *x = userdata;
    size_t n = size * nmemb;
    char line[4096];
    if (n >= sizeof line)
        return n; /* ignore absurd header lines */
    memcpy(line, data, n);
    line[n] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    if (strncmp(line, "HTTP/", 5) == 0) {
        reset_headers(x->resp);
        return n;
    }
    char *colon = strchr(line, ':');
    if (!colon)
        return n;
    *colon = '\0';
    char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    store_header(x->resp, line, v);
    return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct xfer *x = userdata;
    const atomic_int *cancel = x->client->opts.cancel;
    return cancel && atomic_load(cancel) ? 1 : 0;
}

/* Logs one line of libcurl's trace, dropping credentials. */
static void debug_line(struct http_client *c, char prefix, const char *line, size_t n)
{
    if (n == 0)
        return;
    if (n > 7 && (strncasecmp(line, "Authorization:", n < 14 ? n : 14) == 0 ||
                  strncasecmp(line, "Proxy-Authorization:", n < 20 ? n : 20) == 0))
        return;
    char buf[1024];
    size_t len = n < sizeof buf - 1 ? n : sizeof buf - 1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    /* libcurl's own text names the user ("Server auth using Basic with user '...'"). */
    if (c->api_key && *c->api_key && strstr(buf, c->api_key))
        return;
    if (strncasecmp(buf, "Server auth using", 17) == 0)
        return;
    log_debug("http", "%c %s", prefix, buf);
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *userdata)
{
    struct http_client *c = userdata;
    char prefix;
    if (type == CURLINFO_TEXT)
        prefix = '*';
    else if (type == CURLINFO_HEADER_OUT)
        prefix = '>';
    else if (type == CURLINFO_HEADER_IN)
        prefix = '<';
    else
        return 0; /* bodies and TLS data are never logged */
    const char *p = data, *end = data + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t len = (size_t)(stop - p);
        if (len && p[len - 1] == '\r')
            len--;
        debug_line(c, prefix, p, len);
        p = nl ? nl + 1 : end;
    }
    return 0;
}

/* ---- Client ---------------------------------------------------------------- */

int http_client_new(const struct http_options *opts, struct http_client **out, struct fd_error *err)
{
    struct http_client *c = calloc(1, sizeof *c);
    *out = NULL;
    if (!c)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    c->opts = *opts;
    if (!c->opts.connect_timeout)
        c->opts.connect_timeout = 15;
    if (!c->opts.low_speed_time)
        c->opts.low_speed_time = 30;
    if (!c->opts.max_response_bytes)
        c->opts.max_response_bytes = HTTP_DEFAULT_CAP;
    c->api_key = opts->api_key ? strdup(opts->api_key) : NULL;
    c->ca_file = opts->ca_file ? strdup(opts->ca_file) : NULL;
    c->opts.api_key = c->api_key;
    c->opts.ca_file = c->ca_file;
    c->multi = curl_multi_init();
    if (!c->multi || (opts->api_key && !c->api_key) || (opts->ca_file && !c->ca_file)) {
        http_client_free(c);
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory setting up HTTP");
    }
    curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
    *out = c;
    return 0;
}

void http_client_free(struct http_client *c)
{
    if (!c)
        return;
    for (int i = 0; i < HTTP_MAX_PARALLEL; i++)
        if (c->pool[i])
            curl_easy_cleanup(c->pool[i]);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    if (c->api_key) {
        explicit_bzero(c->api_key, strlen(c->api_key));
        free(c->api_key);
    }
    free(c->ca_file);
    free(c);
}

void http_response_clear(struct http_response *r)
{
    if (!r)
        return;
    free(r->body);
    free(r->link_next);
    free(r->location);
    free(r->content_type);
    memset(r, 0, sizeof *r);
    r->retry_after = r->rl_total = r->rl_remaining = r->rl_used = -1;
}

/* ---- Setting up one transfer ------------------------------------------------ */

static int add_parts(struct xfer *x, struct fd_error *err)
{
    const struct http_request *req = x->req;
    x->mime = curl_mime_init(x->h);
    if (!x->mime)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < req->part_count; i++) {
        const struct http_part *p = &req->parts[i];
        curl_mimepart *part = curl_mime_addpart(x->mime);
        if (!part || curl_mime_name(part, p->name) != CURLE_OK)
            return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
        if (p->value) {
            curl_mime_data(part, p->value, CURL_ZERO_TERMINATED);
            continue;
        }
        if (!p->file_path || access(p->file_path, R_OK) != 0)
            return fd_error_set(err, FD_ERR_IO, "cannot read the attachment %.200s",
                                p->file_path ? p->file_path : "(none)");
        const char *base = strrchr(p->file_path, '/');
        if (curl_mime_filedata(part, p->file_path) != CURLE_OK ||
            curl_mime_filename(part, p->file_name ? p->file_name
                                     : base       ? base + 1
                                                  : p->file_path) != CURLE_OK)
            return fd_error_set(err, FD_ERR_IO, "cannot attach %.200s", p->file_path);
    }
    curl_easy_setopt(x->h, CURLOPT_MIMEPOST, x->mime);
    return 0;
}

/* Method, body and request headers. */
static int set_body(struct xfer *x, struct fd_error *err)
{
    const struct http_request *req = x->req;
    const char *m = req->method ? req->method : "GET";
    bool get = strcmp(m, "GET") == 0;
    x->headers = curl_slist_append(NULL, "Accept: application/json");
    if (req->json_body) {
        x->headers = curl_slist_append(x->headers, "Content-Type: application/json");
        curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, req->json_body);
        curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(req->json_body));
    } else if (req->part_count) {
        if (add_parts(x, err) != 0)
            return -1;
    } else if (!get && strcmp(m, "DELETE") != 0) {
        curl_easy_setopt(x->h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(x->h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
    x->headers = curl_slist_append(x->headers, "Expect:");
    if (!x->headers)
        return fd_error_set(err, FD_ERR_NOMEM, "out of memory");
    curl_easy_setopt(x->h, CURLOPT_HTTPHEADER, x->headers);
    if (strcmp(m, "POST") != 0 && !get)
        curl_easy_setopt(x->h, CURLOPT_CUSTOMREQUEST, m);
    return 0;
}

static bool url_is_loopback_http(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0;
}

/* Every option of every request, in one place. */
static int setup_handle(struct xfer *x, struct fd_error *err)
{
    struct http_client *c = x->client;
    CURL *h = x->h;
    curl_easy_reset(h); /* keeps live connections, DNS and TLS session caches */
    curl_easy_setopt(h, CURLOPT_URL, x->req->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR,
                     url_is_loopback_http(x->req->url) ? "http" : "https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, c->opts.connect_timeout);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 100L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->opts.low_speed_time);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "fdesk/" PACKAGE_VERSION);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->opts.max_response_bytes);
    if (c->api_key && !x->req->no_auth) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->api_key);
        curl_easy_setopt(h, CURLOPT_PASSWORD, "X");
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(h, CURLOPT_PRIVATE, x);
    if (c->opts.debug) {
        curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
        curl_easy_setopt(h, CURLOPT_DEBUGDATA, c);
        curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    }
    return set_body(x, err);
}

/* ---- Finishing a transfer ---------------------------------------------------- */

static enum fd_error_kind kind_for(CURLcode rc, bool too_large)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return FD_ERR_DNS;
    case CURLE_COULDNT_CONNECT:
        return FD_ERR_REFUSED;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
        return FD_ERR_TLS;
    case CURLE_OPERATION_TIMEDOUT:
        return FD_ERR_TIMEOUT;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return FD_ERR_DROPPED;
    case CURLE_FILESIZE_EXCEEDED:
        return FD_ERR_TOO_LARGE;
    case CURLE_WRITE_ERROR:
        return too_large ? FD_ERR_TOO_LARGE : FD_ERR_IO;
    case CURLE_ABORTED_BY_CALLBACK:
        return FD_ERR_CANCELLED;
    default:
        return FD_ERR_NETWORK;
    }
}

static void transport_error(struct xfer *x, CURLcode rc)
{
    struct http_client *c = x->client;
    enum fd_error_kind kind = kind_for(rc, x->too_large);
    char *scheme = NULL, *host = NULL, *port = NULL;
    url_parts(x->req->url, &scheme, &host, &port, NULL);
    const char *where = host ? host : "the server";
    const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
    if (c->api_key && *c->api_key && strstr(detail, c->api_key))
        detail = curl_easy_strerror(rc);
    switch (kind) {
    case FD_ERR_DNS:
        fd_error_set(x->err, kind,
                     "cannot find %s: check the domain (FRESHDESK_DOMAIN) and "
                     "your network",
                     where);
        break;
    case FD_ERR_REFUSED:
        fd_error_set(x->err, kind,
                     "cannot connect to %s (%s): check the URL and your network; "
                     "fdesk keeps working offline",
                     where, detail);
        break;
    case FD_ERR_TLS:
        fd_error_set(x->err, kind,
                     "secure connection to %s failed (%s): check the system clock "
                     "and CA certificates (ca_file)",
                     where, detail);
        break;
    case FD_ERR_TIMEOUT:
        fd_error_set(x->err, kind,
                     "%s did not answer in time (slow or broken network); try "
                     "again later",
                     where);
        break;
    case FD_ERR_DROPPED:
        fd_error_set(x->err, kind, "the connection to %s dropped before the answer was complete",
                     where);
        break;
    case FD_ERR_TOO_LARGE:
        fd_error_set(x->err, kind, "%s sent more than %zu bytes: refused", where,
                     c->opts.max_response_bytes);
        break;
    case FD_ERR_CANCELLED:
        fd_error_set(x->err, kind, "cancelled");
        break;
    default:
        fd_error_set(x->err, kind, "talking to %s failed: %s", where, detail);
    }
    url_parts_free(scheme, host, port, NULL);
    curl_off_t sent = 0;
    curl_easy_getinfo(x->h, CURLINFO_REQUEST_SIZE, &sent);
    x->err->request_sent =
        sent > 0 && kind != FD_ERR_DNS && kind != FD_ERR_REFUSED && kind != FD_ERR_TLS;
}

static void finish(struct xfer *x, CURLcode rc)
{
    long status = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    x->resp->status = status;
    if (rc == CURLE_OK && status > 0) {
        curl_off_t ra = -1;
        if (x->resp->retry_after >= 0 ||
            (curl_easy_getinfo(x->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0))
            x->resp->retry_after = x->resp->retry_after >= 0 ? x->resp->retry_after : (long)ra;
        *x->result = 0;
    } else {
        transport_error(x, rc);
        *x->result = -1;
    }
    /* The handle outlives this transfer: leave it no pointers into it. */
    curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(x->h, CURLOPT_PRIVATE, NULL);
    curl_mime_free(x->mime);
    curl_slist_free_all(x->headers);
    x->mime = NULL;
    x->headers = NULL;
}

/* ---- Running transfers --------------------------------------------------------- */

static CURL *pool_handle(struct http_client *c, int i)
{
    if (!c->pool[i])
        c->pool[i] = curl_easy_init();
    return c->pool[i];
}

/* Starts transfer x on pool slot `slot`. Returns 0, or -1 (x finished with an error). */
static int start(struct http_client *c, struct xfer *x, int slot)
{
    http_response_clear(x->resp);
    if (!http_url_allowed(x->req->url, x->err)) {
        *x->result = -1;
        return -1;
    }
    x->h = pool_handle(c, slot);
    if (!x->h) {
        fd_error_set(x->err, FD_ERR_NOMEM, "out of memory");
        *x->result = -1;
        return -1;
    }
    if (setup_handle(x, x->err) != 0 || curl_multi_add_handle(c->multi, x->h) != CURLM_OK) {
        if (x->err->kind == FD_ERR_NONE)
            fd_error_set(x->err, FD_ERR_NETWORK, "could not start the transfer");
        curl_mime_free(x->mime);
        curl_slist_free_all(x->headers);
        x->mime = NULL;
        x->headers = NULL;
        *x->result = -1;
        return -1;
    }
    return 0;
}

/* Collects finished transfers; returns the pool slots they free in `freed`. */
static int collect(struct http_client *c, int *freed)
{
    int n = 0, left;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(c->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct xfer *x = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        CURLcode rc = msg->data.result;
        curl_multi_remove_handle(c->multi, msg->easy_handle);
        finish(x, rc);
        for (int i = 0; i < HTTP_MAX_PARALLEL; i++)
            if (c->pool[i] == msg->easy_handle)
                freed[n++] = i;
    }
    return n;
}

size_t http_perform_many(struct http_client *c, const struct http_request *reqs,
                         struct http_response *resps, int *results, struct fd_error *errs, size_t n)
{
    struct xfer *xs = calloc(n ? n : 1, sizeof *xs);
    size_t next = 0, running = 0, failed = 0;
    int free_slots[HTTP_MAX_PARALLEL], nfree = 0;
    for (int i = HTTP_MAX_PARALLEL - 1; i >= 0; i--)
        free_slots[nfree++] = i;
    for (size_t i = 0; i < n; i++) {
        memset(&resps[i], 0, sizeof resps[i]);
        http_response_clear(&resps[i]);
        fd_error_clear(&errs[i]);
        results[i] = -1;
        if (xs)
            xs[i] = (struct xfer){.client = c,
                                  .req = &reqs[i],
                                  .resp = &resps[i],
                                  .err = &errs[i],
                                  .result = &results[i]};
        else
            fd_error_set(&errs[i], FD_ERR_NOMEM, "out of memory");
    }
    while (xs && (next < n || running > 0)) {
        while (next < n && nfree > 0) {
            int slot = free_slots[--nfree];
            if (start(c, &xs[next++], slot) == 0)
                running++;
            else
                free_slots[nfree++] = slot;
        }
        int still = 0;
        curl_multi_perform(c->multi, &still);
        int freed[HTTP_MAX_PARALLEL];
        int done = collect(c, freed);
        for (int i = 0; i < done; i++)
            free_slots[nfree++] = freed[i];
        running -= (size_t)done;
        /* Wake at least every 100 ms while transfers run, so a raised cancel
         * flag (quit mid-transfer, even during a stall) is seen promptly. */
        if (running > 0 && done == 0)
            curl_multi_poll(c->multi, NULL, 0, 100, NULL);
    }
    for (size_t i = 0; i < n; i++)
        failed += results[i] != 0;
    free(xs);
    return failed;
}

int http_perform(struct http_client *c, const struct http_request *req, struct http_response *resp,
                 struct fd_error *err)
{
    int result = -1;
    struct fd_error local = FD_ERROR_INIT;
    http_perform_many(c, req, resp, &result, err ? err : &local, 1);
    fd_error_clear(&local);
    return result;
}
