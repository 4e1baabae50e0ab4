/* harness.h: the sim tests' helper. Starts an fdesk-sim in-process on 127.0.0.1 port 0
 * (options given as on the command line) and talks real HTTP to it with libcurl.
 */
#ifndef TESTS_SIM_HARNESS_H
#define TESTS_SIM_HARNESS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

struct th_resp {
    long status;
    char *body;
    size_t len;
    char *headers; /* raw header block */
    cJSON *json;   /* parsed body, or NULL */
    int curl_rc;
};

/* Starts a simulator with these extra options (NULL-terminated), e.g. {"--tickets","200",NULL}.
 * Aborts the test program if it cannot start. */
void th_start(const char *const *opts);
void th_stop(void);
const char *th_base(void);

/* Timeout for the following requests (default 30000 ms). */
void th_set_timeout_ms(long ms);

/* A request with the default key (key NULL) or `key` ("" = no Authorization at all).
 * ctype NULL = no Content-Type. extra_header may be NULL. Path starts with "/". */
void th_req(struct th_resp *r, const char *method, const char *path, const char *ctype,
            const char *body, size_t body_len, const char *key, const char *extra_header);
/* GET with the default key. */
void th_get(struct th_resp *r, const char *path);
/* JSON write with the default key. */
void th_send(struct th_resp *r, const char *method, const char *path, const char *json);
/* A header's value (case-insensitive name) into buf; false when absent. */
bool th_header(const struct th_resp *r, const char *name, char *buf, size_t len);
void th_free(struct th_resp *r);
/* Follows "Link: <url>; rel=next": copies the path+query part into buf. */
bool th_next_link(const struct th_resp *r, char *buf, size_t len);

#endif
