/* server.c: the HTTP side of fdesk-sim on libmicrohttpd. One thread per connection
 * (keep-alive, many concurrent clients, stalls that only hold their own connection), Basic
 * auth with the key as user name, the per-minute credit window and its headers, the
 * deterministic fault injection, gzip, the request log, and the simulator's life cycle.
 */
#include "sim/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_BODY (64L * 1024 * 1024)

/* ---- request bookkeeping */
static void req_free(struct sim_req *r)
{
    if (!r)
        return;
    free(r->path);
    free(r->query);
    free(r->body);
    cJSON_Delete(r->json);
    cJSON_Delete(r->form);
    free(r->resp);
    for (int i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r);
}

struct query_build {
    char *s;
    size_t len, cap;
};

/* Appends s to the query, percent-encoding it unless raw. */
static void query_add(struct query_build *q, const char *s, bool raw)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (q->len + 4 >= q->cap) {
            q->cap = q->cap * 2 + 64;
            q->s = realloc(q->s, q->cap);
        }
        if (raw || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~,:", c)) {
            q->s[q->len++] = (char)c;
        } else {
            q->s[q->len++] = '%';
            q->s[q->len++] = hex[c >> 4];
            q->s[q->len++] = hex[c & 15];
        }
    }
    q->s[q->len] = '\0';
}

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *value)
{
    struct query_build *q = cls;
    if (q->len)
        query_add(q, "&", true);
    query_add(q, key, false);
    if (value) {
        query_add(q, "=", true);
        query_add(q, value, false);
    }
    return MHD_YES;
}

static char *build_query(struct MHD_Connection *conn)
{
    struct query_build q = {calloc(1, 64), 0, 64};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
    return q.s;
}

/* ---- auth */
static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static bool auth_ok(struct sim *sim, struct MHD_Connection *conn)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    char dec[600];
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    if (!h || strncasecmp(h, "Basic ", 6))
        return false;
    for (h += 6; *h == ' '; h++)
        ;
    for (; *h && *h != '='; h++) {
        int v = b64val((unsigned char)*h);
        if (v < 0)
            return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= sizeof dec)
                return false;
            dec[n++] = (char)((acc >> bits) & 0xFF);
        }
    }
    dec[n] = '\0';
    char *colon = strchr(dec, ':');
    if (colon)
        *colon = '\0';
    if (strchr(dec, '@'))
        return false; /* e-mail + password login is not simulated */
    return dec[0] && !strcmp(dec, sim->opts.api_key);
}

/* ---- rate window (called with the lock held) */
static void window_roll(struct sim *sim, int64_t now_ms)
{
    if (now_ms - sim->window_start_ms >= 60000) {
        sim->window_start_ms = now_ms;
        sim->window_used = 0;
        memset(sim->class_used, 0, sizeof sim->class_used);
    }
}

static void set_rate_headers(struct sim_req *r, int credits)
{
    struct sim *sim = r->sim;
    char buf[32];
    long rem = sim->opts.rate_limit - sim->window_used;
    snprintf(buf, sizeof buf, "%d", sim->opts.rate_limit);
    sim_add_header(r, "X-RateLimit-Total", buf);
    snprintf(buf, sizeof buf, "%ld", rem > 0 ? rem : 0);
    sim_add_header(r, "X-RateLimit-Remaining", buf);
    snprintf(buf, sizeof buf, "%d", credits);
    sim_add_header(r, "X-RateLimit-Used-CurrentRequest", buf);
}

static void reply_429(struct sim_req *r, int64_t now_ms, long retry_after)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", retry_after);
    sim_add_header(r, "Retry-After", buf);
    sim_reply_message(r, 429, "You have exceeded the limit of requests per minute");
    if (now_ms + retry_after * 1000 > r->sim->retry_until_ms)
        r->sim->retry_until_ms = now_ms + retry_after * 1000;
}

static int rate_class(struct sim_req *r)
{
    const char *p = r->path + strlen("/api/v2");
    int64_t id;
    if (!strcmp(r->method, "GET") && !strcmp(p, "/tickets"))
        return SIM_RATE_TICKETS_LIST;
    if (!strcmp(r->method, "GET") && !strcmp(p, "/contacts"))
        return SIM_RATE_CONTACTS_LIST;
    if (!strcmp(r->method, "POST") && !strcmp(p, "/tickets"))
        return SIM_RATE_TICKET_CREATE;
    if (!strcmp(r->method, "PUT") && !strncmp(p, "/tickets/", 9) && sim_parse_id(p + 9, &id))
        return SIM_RATE_TICKET_UPDATE;
    return SIM_RATE_NONE;
}

/* The per-minute limit of an endpoint class; 0 = only the account limit. */
static int class_limit(const struct sim *sim, int c)
{
    switch (c) {
    case SIM_RATE_TICKETS_LIST:
        return sim->opts.list_rate_limit;
    case SIM_RATE_TICKET_CREATE:
        return sim->opts.create_rate_limit;
    case SIM_RATE_TICKET_UPDATE:
        return sim->opts.update_rate_limit;
    case SIM_RATE_CONTACTS_LIST:
        return sim->opts.contacts_list_rate_limit;
    default:
        return 0;
    }
}

/* ---- dispatch */
static int split_path(char *path, char **seg, int max)
{
    int n = 0;
    for (char *p = strtok(path, "/"); p && n < max; p = strtok(NULL, "/"))
        seg[n++] = p;
    return n;
}

static void dispatch_api(struct sim_req *r)
{
    char *copy = strdup(r->path + strlen("/api/v2"));
    char *seg[8];
    int n = split_path(copy, seg, 8);
    if (!(n > 0 && (sim_api_tickets(r, seg, n) || sim_api_search(r, seg, n) ||
                    sim_api_misc(r, seg, n) || sim_api_conversations(r, seg, n))))
        sim_reply_empty(r, 404);
    free(copy);
}

struct fault_plan {
    bool drop;
    long stall_ms;
    long delay_ms;
};

/* Serves an /api/v2 request: auth, window, faults, the endpoint. Lock held. */
static void serve_api(struct sim_req *r, struct fault_plan *fp)
{
    struct sim *sim = r->sim;
    int64_t now_ms = sim_mono_ms();
    const struct sim_faults *f = &sim->opts.faults;
    if (!auth_ok(sim, r->conn)) {
        sim_reply_code(r, 401, "invalid_credentials",
                       "You have to be logged in to perform this action.");
        return;
    }
    uint64_t no = ++sim->request_no, h = sim_hash(sim->opts.seed ^ 0xFA017ULL, no);
    if (sim->suspended) {
        sim_reply_code(r, 403, "account_suspended", "Your account has been suspended.");
        return;
    }
    if (now_ms + 100 < sim->retry_until_ms) {
        r->early_retry = true;
        sim->stats.early_retries++;
    }
    window_roll(sim, now_ms);
    r->rate_class = rate_class(r);
    int climit = class_limit(sim, r->rate_class);
    long retry = (sim->window_start_ms + 60000 - now_ms + 999) / 1000;
    if (sim->window_used + 1 > sim->opts.rate_limit ||
        (climit > 0 && sim->class_used[r->rate_class] + 1 > climit)) {
        set_rate_headers(r, 0);
        reply_429(r, now_ms, retry > 0 ? retry : 1);
        return;
    }
    fp->delay_ms =
        f->latency_ms + (f->jitter_ms > 0 ? sim_pick(sim_hash(h, 5), f->jitter_ms + 1) : 0);
    if (sim_unit(sim_hash(h, 1)) < f->throttle) {
        set_rate_headers(r, 0);
        reply_429(r, now_ms, 1);
        return;
    }
    if (sim_unit(sim_hash(h, 2)) < f->fail_500) {
        sim->window_used++;
        set_rate_headers(r, 1);
        sim_reply_message(r, 500, "We're sorry, but something went wrong.");
        return;
    }
    r->credits = 1;
    if (sim->read_only && strcmp(r->method, "GET"))
        sim_reply_code(r, 403, "access_denied", "You are not authorized to perform this action.");
    else
        dispatch_api(r);
    sim->window_used += r->credits;
    sim->class_used[r->rate_class]++;
    sim->stats.credits_used += r->credits;
    set_rate_headers(r, r->credits);
    if (sim_unit(sim_hash(h, 3)) < f->stall || (f->stall_writes && strcmp(r->method, "GET")))
        fp->stall_ms = f->stall_ms > 0 ? f->stall_ms : 60000;
    if (sim_unit(sim_hash(h, 4)) < f->drop)
        fp->drop = true;
}

static void serve(struct sim_req *r, struct fault_plan *fp)
{
    struct sim *sim = r->sim;
    char id[40];
    pthread_mutex_lock(&sim->lock);
    snprintf(id, sizeof id, "sim-%08llx-%06llu", (unsigned long long)sim->opts.seed,
             (unsigned long long)++sim->served);
    sim_add_header(r, "X-Request-Id", id);
    if (!strncmp(r->path, "/api/v2/", 8)) {
        sim_add_header(r, "X-Freshdesk-API-Version", "latest=v2; requested=v2");
        sim->stats.requests++;
        if (r->body_too_big)
            sim_reply_message(r, 413, "Request entity too large");
        else
            serve_api(r, fp);
        if (r->status > 0 && r->status < 600 && strncmp(r->path, "/__sim", 6))
            sim->stats.by_status[r->status]++;
    } else if (!strncmp(r->path, "/__sim/", 7) && sim->opts.admin) {
        char *copy = strdup(r->path + 7), *seg[8];
        int n = split_path(copy, seg, 8);
        if (!sim_admin(r, seg, n))
            sim_reply_empty(r, 404);
        free(copy);
    } else if (!strncmp(r->path, "/attachments/", 13) && !strcmp(r->method, "GET")) {
        sim_attachment_serve(r, strtoll(r->path + 13, NULL, 10));
    } else {
        sim_reply_empty(r, 404);
    }
    pthread_mutex_unlock(&sim->lock);
}

/* ---- logging */
static void log_request(struct sim_req *r)
{
    struct sim *sim = r->sim;
    if (!sim->log)
        return;
    cJSON *o = cJSON_CreateObject();
    struct timespec ts;
    char when[40], t[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    sim_fmt_time(ts.tv_sec, t);
    snprintf(when, sizeof when, "%.19s.%03ldZ", t, ts.tv_nsec / 1000000);
    cJSON_AddStringToObject(o, "time", when);
    cJSON_AddStringToObject(o, "method", r->method);
    cJSON_AddStringToObject(o, "path", r->path);
    cJSON_AddStringToObject(o, "query", r->query ? r->query : "");
    cJSON_AddNumberToObject(o, "status", r->status);
    cJSON_AddNumberToObject(o, "credits", r->credits);
    if (r->json)
        cJSON_AddItemToObject(o, "body", cJSON_Duplicate(r->json, true));
    else if (r->form)
        cJSON_AddItemToObject(o, "body", cJSON_Duplicate(r->form, true));
    else
        cJSON_AddNullToObject(o, "body");
    cJSON_AddBoolToObject(o, "early_retry", r->early_retry);
    if (r->dropped)
        cJSON_AddBoolToObject(o, "dropped", true);
    char *line = cJSON_PrintUnformatted(o);
    pthread_mutex_lock(&sim->log_lock);
    fprintf(sim->log, "%s\n", line);
    fflush(sim->log);
    pthread_mutex_unlock(&sim->log_lock);
    free(line);
    cJSON_Delete(o);
}

/* ---- response */
static bool wants_gzip(struct MHD_Connection *conn)
{
    const char *ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding");
    return ae && strstr(ae, "gzip");
}

static int gzip_buffer(const char *in, size_t len, char **out, size_t *outlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)len) + 32;
    *out = malloc(cap);
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)*out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *outlen = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(*out);
        return -1;
    }
    return 0;
}

struct drop_ctx {
    char *data;
    size_t len;
};

static ssize_t drop_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct drop_ctx *d = cls;
    size_t half = d->len / 2;
    if (pos >= half)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = half - (size_t)pos < max ? half - (size_t)pos : max;
    memcpy(buf, d->data + pos, n);
    return (ssize_t)n;
}

static void drop_free(void *cls)
{
    struct drop_ctx *d = cls;
    free(d->data);
    free(d);
}

static enum MHD_Result send_reply(struct sim_req *r, bool drop)
{
    struct MHD_Response *resp;
    char *data = r->resp;
    size_t len = r->resp_len;
    bool gz = false;
    if (len > 0 && r->status != 429 && wants_gzip(r->conn)) {
        char *z;
        size_t zl;
        if (gzip_buffer(data, len, &z, &zl) == 0) {
            data = z;
            len = zl;
            gz = true;
        }
    }
    if (drop && len <= 1) {
        if (gz)
            free(data);
        return MHD_NO; /* nothing to cut in half: close without an answer */
    }
    if (drop) {
        struct drop_ctx *d = malloc(sizeof *d);
        d->data = gz ? data : memcpy(malloc(len), data, len);
        d->len = len;
        resp = MHD_create_response_from_callback(len, 4096, drop_reader, d, drop_free);
    } else {
        resp = MHD_create_response_from_buffer(len, data,
                                               gz ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_MUST_COPY);
    }
    bool has_type = false;
    for (int i = 0; i < r->nheaders; i++)
        has_type = has_type || !strcasecmp(r->headers[i].name, "Content-Type");
    if (!has_type && r->resp_len > 0)
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    if (gz)
        MHD_add_response_header(resp, "Content-Encoding", "gzip");
    MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void wait_ms(struct sim *sim, long ms)
{
    struct timespec ts;
    if (ms <= 0)
        return;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&sim->lock);
    while (!sim->stopping)
        if (pthread_cond_timedwait(&sim->stop_cond, &sim->lock, &ts) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&sim->lock);
}

static void parse_body(struct sim_req *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    if (!r->body_len || r->body_too_big)
        return;
    if (ct && !strncasecmp(ct, "multipart/form-data", 19))
        return; /* parsed by the endpoint, which knows where files go */
    r->json = cJSON_ParseWithLength(r->body, r->body_len);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct sim *sim = cls;
    struct sim_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        r->sim = sim;
        r->conn = conn;
        r->method = method;
        r->path = strdup(url);
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->body_len + *upload_size > (size_t)MAX_BODY) {
            r->body_too_big = true;
        } else {
            if (r->body_len + *upload_size + 1 > r->body_cap) {
                r->body_cap = (r->body_len + *upload_size + 1) * 2;
                r->body = realloc(r->body, r->body_cap);
            }
            memcpy(r->body + r->body_len, upload_data, *upload_size);
            r->body_len += *upload_size;
            r->body[r->body_len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }
    struct fault_plan fp = {0};
    r->query = build_query(conn);
    parse_body(r);
    serve(r, &fp);
    wait_ms(sim, fp.delay_ms);
    wait_ms(sim, fp.stall_ms);
    r->dropped = fp.drop;
    log_request(r);
    return send_reply(r, fp.drop);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    req_free(*con_cls);
    *con_cls = NULL;
}

/* ---- life cycle */
struct sim *sim_create(const struct sim_options *opts, char *err, size_t errlen)
{
    struct sim *sim = calloc(1, sizeof *sim);
    if (!sim) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    sim->opts = *opts;
    sim->start_now = opts->now ? (int64_t)opts->now : (int64_t)time(NULL);
    clock_gettime(CLOCK_MONOTONIC, &sim->mono0);
    pthread_mutex_init(&sim->lock, NULL);
    pthread_mutex_init(&sim->log_lock, NULL);
    pthread_cond_init(&sim->stop_cond, NULL);
    sim->window_start_ms = sim_mono_ms();
    int rc = opts->data_dir ? sim_data_load(sim, opts->data_dir, err, errlen)
                            : sim_data_generate(sim, err, errlen);
    if (rc != 0) {
        sim_destroy(sim);
        return NULL;
    }
    return sim;
}

/* Binds and listens on ss, and returns the socket with its bound port in
 * *port, or -1 with errno set. The port is known before the daemon's threads
 * start, so they read it without a race. */
static int sim_listen(const struct sockaddr_storage *ss, int *port)
{
    socklen_t len =
        ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0)
        return -1;
    struct sockaddr_storage got;
    socklen_t got_len = sizeof got;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (ss->ss_family == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, SOMAXCONN) != 0 ||
        getsockname(fd, (struct sockaddr *)&got, &got_len) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    *port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
                                            : ((struct sockaddr_in *)&got)->sin_port);
    return fd;
}

int sim_start(struct sim *sim, char *err, size_t errlen)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
    const char *bind = sim->opts.bind ? sim->opts.bind : "127.0.0.1";
    if (strchr(bind, ':')) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)sim->opts.port);
        if (inet_pton(AF_INET6, bind, &a->sin6_addr) != 1)
            goto bad_addr;
        flags |= MHD_USE_IPv6;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)sim->opts.port);
        if (inet_pton(AF_INET, bind, &a->sin_addr) != 1)
            goto bad_addr;
    }
    if (sim->opts.log_path) {
        sim->log = fopen(sim->opts.log_path, "a");
        if (!sim->log) {
            snprintf(err, errlen, "cannot open log %s: %s", sim->opts.log_path, strerror(errno));
            return -1;
        }
    }
    int fd = sim_listen(&ss, &sim->port);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s port %d: %s", bind, sim->opts.port,
                 strerror(errno));
        return -1;
    }
    /* The daemon owns fd from here and closes it when stopped. */
    sim->daemon = MHD_start_daemon(flags, (uint16_t)sim->opts.port, NULL, NULL, on_request, sim,
                                   MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
                                   MHD_OPTION_NOTIFY_COMPLETED, on_completed, sim,
                                   MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300, MHD_OPTION_END);
    if (!sim->daemon) {
        snprintf(err, errlen, "cannot start the server on %s port %d: %s", bind, sim->port,
                 strerror(errno));
        return -1; /* fd is not closed here: some libmicrohttpd versions already did */
    }
    if (sim->opts.activity_seconds > 0 && sim_activity_start(sim) != 0) {
        snprintf(err, errlen, "cannot start the activity thread");
        return -1;
    }
    return 0;
bad_addr:
    snprintf(err, errlen, "invalid bind address '%s'", bind);
    return -1;
}

int sim_port(const struct sim *sim)
{
    return sim->port;
}

long sim_ticket_count(const struct sim *sim)
{
    return sim->nticket;
}

void sim_stop(struct sim *sim)
{
    if (!sim)
        return;
    pthread_mutex_lock(&sim->lock);
    sim->stopping = true;
    pthread_cond_broadcast(&sim->stop_cond);
    pthread_mutex_unlock(&sim->lock);
    sim_activity_stop(sim);
    if (sim->daemon) {
        MHD_stop_daemon(sim->daemon);
        sim->daemon = NULL;
    }
    if (sim->log) {
        fclose(sim->log);
        sim->log = NULL;
    }
}

void sim_destroy(struct sim *sim)
{
    if (!sim)
        return;
    sim_stop(sim);
    sim_data_free(sim);
    pthread_mutex_destroy(&sim->lock);
    pthread_mutex_destroy(&sim->log_lock);
    pthread_cond_destroy(&sim->stop_cond);
    free(sim);
}
