/* api_internal.h: what api.c (requests, retries, reading) shares with
 * api_write.c (the write endpoints). Not for use outside these two files. */
#ifndef FD_API_INTERNAL_H
#define FD_API_INTERNAL_H

#include "src/api.h"

/* One request with the rate-limit and retry rules of api.h. path is
 * "/tickets/1" (the /api/v2 prefix is added) or an absolute same-origin URL.
 * Returns 0 for 2xx, else -1 with err set. */
int api_call(struct api *api, const char *method, const char *path, const char *json,
             const struct http_part *parts, size_t part_count, struct http_response *resp,
             struct fd_error *err);

/* A multipart body under construction: the parts and the strings they point to. */
struct api_parts {
    struct http_part *items;
    size_t count;
    char **owned;
    size_t owned_count;
    bool nomem;
};

void api_parts_add(struct api_parts *p, const char *name, const char *value);
void api_parts_add_file(struct api_parts *p, const char *name, const char *path);
void api_parts_clear(struct api_parts *p);

#endif
