/* error.c: building fd_error values, and turning Freshdesk's error answers
 * (three body shapes plus the empty 404) into one message that tells the
 * agent what to do. Branches only on the HTTP status and the `code`. */
#include "src/error.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void field_errors_free(struct fd_error *err)
{
    for (size_t i = 0; i < err->field_count; i++) {
        free(err->fields[i].field);
        free(err->fields[i].nested_field);
        free(err->fields[i].code);
        free(err->fields[i].message);
    }
    free(err->fields);
    err->fields = NULL;
    err->field_count = 0;
}

void fd_error_clear(struct fd_error *err)
{
    if (!err)
        return;
    field_errors_free(err);
    free(err->code);
    free(err->server_message);
    free(err->message);
    memset(err, 0, sizeof *err);
}

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

int fd_error_set(struct fd_error *err, enum fd_error_kind kind, const char *fmt, ...)
{
    if (!err)
        return -1;
    fd_error_clear(err);
    err->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    err->message = vformat(fmt, ap);
    va_end(ap);
    return -1;
}

static char *json_strdup(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring ? strdup(v->valuestring) : NULL;
}

static void parse_field_errors(struct fd_error *err, const cJSON *errors)
{
    int n = cJSON_GetArraySize(errors);
    if (n <= 0)
        return;
    if (n > 100)
        n = 100;
    err->fields = calloc((size_t)n, sizeof *err->fields);
    if (!err->fields)
        return;
    const cJSON *e;
    cJSON_ArrayForEach(e, errors)
    {
        if (err->field_count == (size_t)n)
            break;
        if (!cJSON_IsObject(e))
            continue;
        struct fd_field_error *f = &err->fields[err->field_count++];
        f->field = json_strdup(e, "field");
        f->nested_field = json_strdup(e, "nested_field");
        f->code = json_strdup(e, "code");
        f->message = json_strdup(e, "message");
        const cJSON *info = cJSON_GetObjectItemCaseSensitive(e, "additional_info");
        const cJSON *uid = cJSON_GetObjectItemCaseSensitive(info, "user_id");
        if (cJSON_IsNumber(uid) && uid->valuedouble >= 1 && uid->valuedouble < 9.0e15)
            f->user_id = (int64_t)uid->valuedouble;
    }
}

/* Parses whichever of the three body shapes arrived; ignores anything else. */
static void parse_body(struct fd_error *err, const char *body, size_t len)
{
    if (!body || len == 0)
        return;
    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return;
    }
    err->code = json_strdup(root, "code");
    err->server_message = json_strdup(root, "message");
    if (!err->server_message)
        err->server_message = json_strdup(root, "description");
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    if (cJSON_IsArray(errors))
        parse_field_errors(err, errors);
    cJSON_Delete(root);
}

/* "field 'priorty': invalid_field (Unexpected/invalid field in request); ..." */
static void describe_fields(const struct fd_error *err, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < err->field_count && used + 1 < size; i++) {
        const struct fd_field_error *f = &err->fields[i];
        int n =
            snprintf(buf + used, size - used, "%s%s: %s%s%s%s", i ? "; " : "",
                     f->field ? f->field : "(request)", f->code ? f->code : "invalid",
                     f->message ? " (" : "", f->message ? f->message : "", f->message ? ")" : "");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static bool code_is(const struct fd_error *err, const char *code)
{
    return err->code && strcmp(err->code, code) == 0;
}

static const char *advice_403(const struct fd_error *err)
{
    if (code_is(err, "require_feature"))
        return "this needs a feature your Freshdesk plan does not include; ask your admin";
    if (code_is(err, "account_suspended"))
        return "the Freshdesk account is suspended; an account admin must reactivate it";
    if (code_is(err, "ssl_required"))
        return "Freshdesk requires https; fix the URL (FDESK_URL or domain)";
    if (code_is(err, "invalid_user"))
        return "the key's agent may not act as that user";
    return "your agent lacks the permission for this (ask an admin for the role or ticket "
           "scope)";
}

static void advice_for(const struct fd_error *err, char *buf, size_t size)
{
    char fields[512];
    describe_fields(err, fields, sizeof fields);
    long s = err->http_status;
    if (s == 400)
        snprintf(buf, size, "Freshdesk rejected the request%s%s; fix it and try again",
                 fields[0] ? ": " : "", fields[0] ? fields : "");
    else if (s == 401)
        snprintf(buf, size,
                 "Freshdesk did not accept the API key; check FRESHDESK_API_KEY (or "
                 "api_key_command) and the domain (your profile page in Freshdesk shows the key)");
    else if (s == 403)
        snprintf(buf, size, "access refused: %s", advice_403(err));
    else if (s == 404)
        snprintf(buf, size,
                 "not found: it was deleted, or you cannot see it, or the domain is wrong");
    else if (s == 405)
        snprintf(buf, size, "Freshdesk does not allow this here (a deleted or spam record?)");
    else if (s == 406)
        snprintf(buf, size, "Freshdesk refused the Accept header; this is a bug in fdesk");
    else if (s == 409)
        snprintf(buf, size, "conflict with an existing record%s%s", fields[0] ? ": " : "",
                 fields[0] ? fields : "");
    else if (s == 415)
        snprintf(buf, size, "Freshdesk refused the content type; this is a bug in fdesk");
    else if (s == 429 && err->retry_after > 0)
        snprintf(buf, size, "the account's API rate limit is used up; retry after %ld s",
                 err->retry_after);
    else if (s == 429)
        snprintf(buf, size, "the account's API rate limit is used up; retry in a minute");
    else if (s >= 500)
        snprintf(buf, size, "Freshdesk had a server error; try again in a few minutes");
    else
        snprintf(buf, size, "unexpected answer from Freshdesk");
}

int fd_error_from_http(struct fd_error *err, long status, const char *body, size_t body_len,
                       const char *request_id, long retry_after, const char *what)
{
    if (!err)
        return -1;
    fd_error_clear(err);
    err->kind = FD_ERR_HTTP;
    err->http_status = status;
    err->request_sent = true;
    err->retry_after = retry_after > 0 ? retry_after : 0;
    if (request_id)
        snprintf(err->request_id, sizeof err->request_id, "%s", request_id);
    parse_body(err, body, body_len);

    char advice[900];
    advice_for(err, advice, sizeof advice);
    char code[96] = "";
    if (err->code)
        snprintf(code, sizeof code, " %.80s", err->code);
    char rid[112] = "";
    if (err->request_id[0])
        snprintf(rid, sizeof rid, " [X-Request-Id %s]", err->request_id);
    size_t need = strlen(advice) + strlen(code) + strlen(rid) + (what ? strlen(what) : 0) + 32;
    err->message = malloc(need);
    if (err->message)
        snprintf(err->message, need, "%s%s%ld%s: %s%s", what ? what : "",
                 what ? ": HTTP " : "HTTP ", status, code, advice, rid);
    return -1;
}

const char *fd_error_message(const struct fd_error *err)
{
    if (!err || err->kind == FD_ERR_NONE)
        return "";
    return err->message ? err->message : fd_error_kind_name(err->kind);
}

const char *fd_error_kind_name(enum fd_error_kind kind)
{
    static const char *const names[] = {
        [FD_ERR_NONE] = "none",
        [FD_ERR_HTTP] = "http",
        [FD_ERR_DNS] = "dns",
        [FD_ERR_REFUSED] = "refused",
        [FD_ERR_TLS] = "tls",
        [FD_ERR_TIMEOUT] = "timeout",
        [FD_ERR_DROPPED] = "dropped",
        [FD_ERR_TOO_LARGE] = "too-large",
        [FD_ERR_CANCELLED] = "cancelled",
        [FD_ERR_NETWORK] = "network",
        [FD_ERR_DECODE] = "decode",
        [FD_ERR_PROTOCOL] = "protocol",
        [FD_ERR_INVALID] = "invalid",
        [FD_ERR_CONFIG] = "config",
        [FD_ERR_IO] = "io",
        [FD_ERR_NOMEM] = "nomem",
    };
    if ((unsigned)kind < sizeof names / sizeof names[0] && names[kind])
        return names[kind];
    return "unknown";
}

bool fd_error_is_transient(const struct fd_error *err)
{
    if (!err)
        return false;
    if (err->kind == FD_ERR_HTTP)
        return err->http_status == 429 || err->http_status >= 500;
    return fd_error_is_offline(err);
}

bool fd_error_is_offline(const struct fd_error *err)
{
    if (!err)
        return false;
    switch (err->kind) {
    case FD_ERR_DNS:
    case FD_ERR_REFUSED:
    case FD_ERR_TLS:
    case FD_ERR_TIMEOUT:
    case FD_ERR_DROPPED:
    case FD_ERR_NETWORK:
        return true;
    default:
        return false;
    }
}

static int dup_or_null(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return src && !*dst ? -1 : 0;
}

int fd_error_copy(struct fd_error *dst, const struct fd_error *src)
{
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    dst->http_status = src->http_status;
    dst->retry_after = src->retry_after;
    dst->request_sent = src->request_sent;
    memcpy(dst->request_id, src->request_id, sizeof dst->request_id);
    int rc = dup_or_null(&dst->code, src->code) |
             dup_or_null(&dst->server_message, src->server_message) |
             dup_or_null(&dst->message, src->message);
    if (src->field_count) {
        dst->fields = calloc(src->field_count, sizeof *dst->fields);
        if (!dst->fields)
            rc = -1;
        for (size_t i = 0; dst->fields && i < src->field_count; i++) {
            const struct fd_field_error *s = &src->fields[i];
            struct fd_field_error *d = &dst->fields[i];
            rc |= dup_or_null(&d->field, s->field) |
                  dup_or_null(&d->nested_field, s->nested_field) | dup_or_null(&d->code, s->code) |
                  dup_or_null(&d->message, s->message);
            d->user_id = s->user_id;
            dst->field_count++;
        }
    }
    if (rc) {
        fd_error_clear(dst);
        dst->kind = FD_ERR_NOMEM;
        return -1;
    }
    return 0;
}
