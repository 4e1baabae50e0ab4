/* paging.c: page/per_page validation, the Link header (present only when a next page
 * exists, an absolute URL repeating the query with page bumped), query checks and include=.
 */
#include "sim/internal.h"

#include <ctype.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

bool sim_parse_id(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (!s || !*s)
        return false;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p) || v > 922337203685477579LL)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

int sim_page_params(struct sim_req *r, long *page, long *per_page, long max_page,
                    long fixed_per_page)
{
    const char *p = sim_arg(r, "page"), *pp = sim_arg(r, "per_page");
    int64_t v;
    *page = 1;
    *per_page = fixed_per_page > 0 ? fixed_per_page : 30;
    if (p) {
        if (!sim_parse_id(p, &v) || v < 1) {
            sim_reply_field(r, 400, "page", "datatype_mismatch", "It should be a Positive Integer");
            return -1;
        }
        if (max_page > 0 && v > max_page) {
            char msg[96];
            snprintf(msg, sizeof msg, "It should be less than or equal to %ld", max_page);
            sim_reply_field(r, 400, "page", "invalid_value", msg);
            return -1;
        }
        *page = (long)v;
    }
    if (pp && fixed_per_page <= 0) {
        if (!sim_parse_id(pp, &v) || v < 1) {
            sim_reply_field(r, 400, "per_page", "datatype_mismatch",
                            "It should be a Positive Integer");
            return -1;
        }
        if (v > 100) {
            sim_reply_field(r, 400, "per_page", "invalid_value",
                            "It should be a Positive Integer less than or equal to 100");
            return -1;
        }
        *per_page = (long)v;
    }
    return 0;
}

void sim_link_next(struct sim_req *r, long page)
{
    char *base = sim_base_url(r), *q = strdup(r->query ? r->query : "");
    size_t cap = strlen(base) + strlen(r->path) + strlen(q) + 64;
    char *url = malloc(cap), *save = NULL;
    size_t len = (size_t)snprintf(url, cap, "<%s%s?", base, r->path);
    for (char *item = strtok_r(q, "&", &save); item; item = strtok_r(NULL, "&", &save)) {
        if (!strncmp(item, "page=", 5) || !strcmp(item, "page"))
            continue;
        len += (size_t)snprintf(url + len, cap - len, "%s&", item);
    }
    snprintf(url + len, cap - len, "page=%ld>; rel=\"next\"", page + 1);
    sim_add_header(r, "Link", url);
    free(url);
    free(q);
    free(base);
}

void sim_reply_page(struct sim_req *r, cJSON *all)
{
    long page, per_page, n = cJSON_GetArraySize(all);
    if (sim_page_params(r, &page, &per_page, 0, 0) < 0) {
        cJSON_Delete(all);
        return;
    }
    cJSON *out = cJSON_CreateArray();
    long start = (page - 1) * per_page;
    for (long i = 0; i < per_page && start < n; i++) {
        cJSON *it = cJSON_DetachItemFromArray(all, (int)start);
        if (!it)
            break;
        cJSON_AddItemToArray(out, it);
    }
    if (start + per_page < n)
        sim_link_next(r, page);
    cJSON_Delete(all);
    sim_reply_json(r, 200, out);
}

struct arg_check {
    const char *const *allowed;
    const char *bad;
};

static enum MHD_Result arg_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    struct arg_check *c = cls;
    for (const char *const *a = c->allowed; *a; a++)
        if (!strcmp(*a, key))
            return MHD_YES;
    c->bad = key;
    return MHD_NO;
}

bool sim_reject_unknown_args(struct sim_req *r, const char *const *allowed)
{
    struct arg_check c = {allowed, NULL};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg_iter, &c);
    if (!c.bad)
        return false;
    sim_reply_field(r, 400, c.bad, "invalid_field", "Unexpected/invalid field in request");
    return true;
}

int sim_parse_includes(struct sim_req *r, const char *const *names, const int *bits, int *count)
{
    const char *inc = sim_arg(r, "include");
    int mask = 0;
    *count = 0;
    if (!inc)
        return 0;
    char *copy = strdup(inc), *save = NULL;
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        while (*p == ' ')
            p++;
        int i;
        for (i = 0; names[i]; i++)
            if (!strcmp(names[i], p))
                break;
        if (!names[i]) {
            char msg[256];
            size_t len = (size_t)snprintf(msg, sizeof msg, "It should be one of these values: '");
            for (int k = 0; names[k]; k++)
                len +=
                    (size_t)snprintf(msg + len, sizeof msg - len, "%s%s", k ? "," : "", names[k]);
            snprintf(msg + len, sizeof msg - len, "'");
            sim_reply_field(r, 400, "include", "invalid_value", msg);
            free(copy);
            return -1;
        }
        if (!(mask & bits[i]))
            (*count)++;
        mask |= bits[i];
    }
    free(copy);
    return mask;
}
