/* multipart.c: multipart/form-data bodies (uploads with attachments[]). Form fields become
 * a JSON object the way the server reads them: `name[]` parts make arrays,
 * `custom_fields[cf_x]` parts make an object, numbers and booleans are coerced for the
 * fields that hold them. File parts are listed (name, type, offset and size in the body) and
 * stored only once the write has been validated.
 */
#include "sim/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const numeric_fields[] = {
    "status",     "priority",     "source",     "responder_id",    "group_id",
    "company_id", "requester_id", "product_id", "email_config_id", "user_id",
    "cf_seats",   "parent_id",    NULL};
static const char *const bool_fields[] = {"private", "incoming", "cf_vip", NULL};

static bool listed(const char *const *l, const char *s)
{
    for (; *l; l++)
        if (!strcmp(*l, s))
            return true;
    return false;
}

static cJSON *coerce(const char *name, const char *v, size_t len)
{
    char *s = strndup(v, len);
    cJSON *out;
    bool digits = len > 0;
    for (size_t i = 0; i < len; i++)
        digits = digits && isdigit((unsigned char)v[i]);
    if (listed(numeric_fields, name) && digits)
        out = cJSON_CreateNumber(strtod(s, NULL));
    else if (listed(bool_fields, name) && (!strcmp(s, "true") || !strcmp(s, "false")))
        out = cJSON_CreateBool(!strcmp(s, "true"));
    else
        out = cJSON_CreateString(s);
    free(s);
    return out;
}

/* Extracts param="value" (or param=value) from a header line into out. */
static bool header_param(const char *h, size_t hlen, const char *param, char *out, size_t outlen)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl + 1 < hlen; i++) {
        if (strncasecmp(h + i, param, pl) || h[i + pl] != '=' ||
            (i > 0 && h[i - 1] != ' ' && h[i - 1] != ';'))
            continue;
        const char *v = h + i + pl + 1, *end = h + hlen;
        bool quoted = *v == '"';
        if (quoted)
            v++;
        size_t n = 0;
        while (v + n < end && (quoted ? v[n] != '"' : (v[n] != ';' && v[n] != '\r')))
            n++;
        snprintf(out, outlen, "%.*s", (int)n, v);
        return true;
    }
    return false;
}

static void add_field(cJSON *form, const char *name, const char *v, size_t len)
{
    size_t n = strlen(name);
    const char *br = strchr(name, '[');
    if (n > 2 && !strcmp(name + n - 2, "[]")) {
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(n - 2), name);
        cJSON *arr = cJSON_GetObjectItemCaseSensitive(form, key);
        if (!arr)
            arr = cJSON_AddArrayToObject(form, key);
        cJSON_AddItemToArray(arr, coerce(key, v, len));
    } else if (br && name[n - 1] == ']') {
        char key[128], sub[128];
        snprintf(key, sizeof key, "%.*s", (int)(br - name), name);
        snprintf(sub, sizeof sub, "%.*s", (int)(n - (size_t)(br - name) - 2), br + 1);
        cJSON *obj = cJSON_GetObjectItemCaseSensitive(form, key);
        if (!obj)
            obj = cJSON_AddObjectToObject(form, key);
        cJSON_AddItemToObject(obj, sub, coerce(sub, v, len));
    } else {
        cJSON_DeleteItemFromObjectCaseSensitive(form, name);
        cJSON_AddItemToObject(form, name, coerce(name, v, len));
    }
}

int sim_multipart_parse(struct sim_req *r, const char *content_type, cJSON **files_out,
                        long *total_bytes)
{
    char boundary[200], delim[210];
    *files_out = cJSON_CreateArray();
    *total_bytes = 0;
    if (!header_param(content_type, strlen(content_type), "boundary", boundary, sizeof boundary) ||
        !*boundary)
        return -1;
    size_t dl = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
    const char *body = r->body ? r->body : "", *end = body + r->body_len;
    const char *p = memmem(body, r->body_len, delim, dl);
    cJSON *form = cJSON_CreateObject();
    while (p && p + dl + 2 <= end && strncmp(p + dl, "--", 2)) {
        const char *hs = p + dl + 2; /* after CRLF */
        const char *he = memmem(hs, (size_t)(end - hs), "\r\n\r\n", 4);
        if (!he)
            break;
        const char *data = he + 4;
        const char *next = memmem(data, (size_t)(end - data), delim, dl);
        if (!next || next - data < 2)
            break;
        size_t dlen = (size_t)(next - data) - 2; /* the CRLF before the delimiter */
        char name[160] = "", filename[256] = "", ctype[128] = "application/octet-stream";
        header_param(hs, (size_t)(he - hs), "name", name, sizeof name);
        bool is_file = header_param(hs, (size_t)(he - hs), "filename", filename, sizeof filename);
        const char *ct = strcasestr(hs, "Content-Type:");
        if (ct && ct < he) {
            ct += 13;
            while (*ct == ' ')
                ct++;
            size_t n = strcspn(ct, "\r\n");
            snprintf(ctype, sizeof ctype, "%.*s", (int)n, ct);
        }
        if (is_file) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "field", name);
            cJSON_AddStringToObject(f, "name", filename);
            cJSON_AddStringToObject(f, "content_type", ctype);
            cJSON_AddNumberToObject(f, "offset", (double)(data - body));
            cJSON_AddNumberToObject(f, "size", (double)dlen);
            cJSON_AddItemToArray(*files_out, f);
            *total_bytes += (long)dlen;
        } else if (*name) {
            add_field(form, name, data, dlen);
        }
        p = next;
    }
    cJSON_Delete(r->form);
    r->form = form;
    return 0;
}
