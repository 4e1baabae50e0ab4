/* harness.c: see harness.h. */
#include "config.h"

#include "tests/sim/harness.h"
#include "sim/sim.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct sim *sim;
static char base[64];
static long timeout_ms = 30000;

void th_set_timeout_ms(long ms)
{
    timeout_ms = ms;
}

void th_start(const char *const *opts)
{
    struct sim_options o;
    char err[256];
    const char *argv[40] = {"fdesk-sim"};
    int argc = 1;
    for (; opts && opts[argc - 1] && argc < 39; argc++)
        argv[argc] = opts[argc - 1];
    setenv("FDESK_SIM_API_KEY", "test-key", 1);
    sim_options_init(&o);
    if (sim_options_parse(&o, argc, (char **)argv, err, sizeof err) != 0) {
        fprintf(stderr, "bad options: %s\n", err);
        abort();
    }
    o.port = 0;
    sim = sim_create(&o, err, sizeof err);
    if (!sim || sim_start(sim, err, sizeof err) != 0) {
        fprintf(stderr, "cannot start the simulator: %s\n", err);
        abort();
    }
    snprintf(base, sizeof base, "http://127.0.0.1:%d", sim_port(sim));
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

void th_stop(void)
{
    sim_destroy(sim);
    sim = NULL;
    curl_global_cleanup();
}

const char *th_base(void)
{
    return base;
}

struct buf {
    char *p;
    size_t len;
};

static size_t on_data(char *ptr, size_t size, size_t n, void *ud)
{
    struct buf *b = ud;
    b->p = realloc(b->p, b->len + size * n + 1);
    memcpy(b->p + b->len, ptr, size * n);
    b->len += size * n;
    b->p[b->len] = '\0';
    return size * n;
}

void th_req(struct th_resp *r, const char *method, const char *path, const char *ctype,
            const char *body, size_t body_len, const char *key, const char *extra_header)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    struct buf b = {calloc(1, 1), 0}, hb = {calloc(1, 1), 0};
    char url[4096], hdr[512];
    memset(r, 0, sizeof *r);
    snprintf(url, sizeof url, "%s%s", base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    if (!key || *key) {
        curl_easy_setopt(c, CURLOPT_USERNAME, key ? key : "test-key");
        curl_easy_setopt(c, CURLOPT_PASSWORD, "X");
    }
    if (ctype) {
        snprintf(hdr, sizeof hdr, "Content-Type: %s", ctype);
        h = curl_slist_append(h, hdr);
    }
    h = curl_slist_append(h, "Expect:");
    if (extra_header)
        h = curl_slist_append(h, extra_header);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hb);
    r->curl_rc = (int)curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    r->body = b.p;
    r->len = b.len;
    r->headers = hb.p;
    r->json = b.len ? cJSON_ParseWithLength(b.p, b.len) : NULL;
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

void th_get(struct th_resp *r, const char *path)
{
    th_req(r, "GET", path, NULL, NULL, 0, NULL, NULL);
}

void th_send(struct th_resp *r, const char *method, const char *path, const char *json)
{
    th_req(r, method, path, "application/json", json, json ? strlen(json) : 0, NULL, NULL);
}

bool th_header(const struct th_resp *r, const char *name, char *buf, size_t len)
{
    size_t n = strlen(name);
    for (const char *p = r->headers; p && *p;) {
        const char *eol = strstr(p, "\r\n");
        size_t ll = eol ? (size_t)(eol - p) : strlen(p);
        if (ll > n && !strncasecmp(p, name, n) && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            snprintf(buf, len, "%.*s", (int)(ll - (size_t)(v - p)), v);
            return true;
        }
        if (!eol)
            break;
        p = eol + 2;
    }
    return false;
}

void th_free(struct th_resp *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

bool th_next_link(const struct th_resp *r, char *buf, size_t len)
{
    char link[4096];
    if (!th_header(r, "Link", link, sizeof link))
        return false;
    const char *start = strchr(link, '<'), *end = strstr(link, ">; rel=\"next\"");
    if (!start || !end)
        return false;
    start++;
    const char *path = strstr(start, "/api/v2/");
    if (!path || path > end)
        return false;
    snprintf(buf, len, "%.*s", (int)(end - path), path);
    return true;
}
