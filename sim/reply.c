/* reply.c: helpers the endpoint files use to read a request and shape an answer in the
 * API's three error shapes (request error {code,message}, base error {message}, validation
 * error {description,errors[]}) or an empty body (404, 204).
 */
#include "sim/internal.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *sim_arg(struct sim_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void sim_add_header(struct sim_req *r, const char *name, const char *value)
{
    if (r->nheaders >= (int)(sizeof r->headers / sizeof *r->headers))
        return;
    r->headers[r->nheaders].name = strdup(name);
    r->headers[r->nheaders].value = strdup(value);
    r->nheaders++;
}

void sim_reply_json(struct sim_req *r, int status, cJSON *body)
{
    free(r->resp);
    r->resp = NULL;
    r->resp_len = 0;
    r->status = status;
    if (body) {
        r->resp = sim_json_print(body, &r->resp_len);
        cJSON_Delete(body);
    }
}

void sim_reply_empty(struct sim_req *r, int status)
{
    sim_reply_json(r, status, NULL);
}

void sim_reply_code(struct sim_req *r, int status, const char *code, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", code);
    cJSON_AddStringToObject(o, "message", message);
    sim_reply_json(r, status, o);
}

void sim_reply_message(struct sim_req *r, int status, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "message", message);
    sim_reply_json(r, status, o);
}

void sim_reply_field(struct sim_req *r, int status, const char *field, const char *code,
                     const char *message)
{
    cJSON *o = cJSON_CreateObject(), *errs, *e;
    cJSON_AddStringToObject(o, "description", "Validation failed");
    errs = cJSON_AddArrayToObject(o, "errors");
    e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "field", field);
    cJSON_AddStringToObject(e, "message", message);
    cJSON_AddStringToObject(e, "code", code);
    cJSON_AddItemToArray(errs, e);
    sim_reply_json(r, status, o);
}

void sim_reply_405(struct sim_req *r, const char *allowed)
{
    char msg[256];
    snprintf(msg, sizeof msg, "%s method is not allowed. It should be one of these method(s): %s",
             r->method, allowed);
    sim_add_header(r, "Allow", allowed);
    sim_reply_message(r, 405, msg);
}

static bool content_type_is(const char *ct, const char *want)
{
    size_t n = strlen(want);
    return ct && !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

cJSON *sim_write_body(struct sim_req *r, bool multipart_ok)
{
    const char *ct =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    bool put = !strcmp(r->method, "PUT");
    if (put && r->body_len == 0) {
        sim_reply_code(r, 400, "missing_params", "Your update call does not have any parameter.");
        return NULL;
    }
    if (multipart_ok && content_type_is(ct, "multipart/form-data")) {
        if (!r->form)
            sim_reply_code(r, 400, "invalid_multipart", "Multipart request could not be parsed.");
        return r->form;
    }
    if (!content_type_is(ct, "application/json")) {
        sim_reply_code(r, 415, "invalid_content_type",
                       "Content-Type header should have application/json");
        return NULL;
    }
    if (!r->json || !cJSON_IsObject(r->json)) {
        sim_reply_code(r, 400, "invalid_json", "Request body has invalid json format");
        return NULL;
    }
    if (put && r->json->child == NULL) {
        sim_reply_code(r, 400, "missing_params", "Your update call does not have any parameter.");
        return NULL;
    }
    return r->json;
}

bool sim_reject_unknown(struct sim_req *r, cJSON *obj, const char *const *allowed)
{
    for (cJSON *c = obj->child; c; c = c->next) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = !strcmp(*a, c->string);
        if (!ok) {
            sim_reply_field(r, 400, c->string, "invalid_field",
                            "Unexpected/invalid field in request");
            return true;
        }
    }
    return false;
}

void sim_record_post(struct sim *sim, const char *kind, int64_t ticket_id, cJSON *body)
{
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "kind", kind);
    if (ticket_id)
        cJSON_AddNumberToObject(p, "ticket_id", (double)ticket_id);
    else
        cJSON_AddNullToObject(p, "ticket_id");
    cJSON_AddItemToObject(p, "body", body ? cJSON_Duplicate(body, true) : cJSON_CreateNull());
    cJSON_AddItemToObject(p, "at", sim_json_time(sim_now(sim)));
    cJSON_AddItemToArray(sim->posts, p);
}

char *sim_base_url(struct sim_req *r)
{
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
    char buf[320];
    if (host && *host && strlen(host) < 256 && !strpbrk(host, " \r\n<>\""))
        snprintf(buf, sizeof buf, "http://%s", host);
    else
        snprintf(buf, sizeof buf, "http://127.0.0.1:%d", r->sim->port);
    return strdup(buf);
}
