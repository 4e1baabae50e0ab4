/* json_out.c: a fast compact JSON printer for the answers. cJSON_PrintUnformatted formats
 * every number with sprintf and reads it back with sscanf, which was the largest cost of a
 * 100-ticket page; ids and counts here are integers, printed directly. Strings are escaped
 * as cJSON does (control characters as \u00XX, bytes >= 0x80 passed through untouched, so
 * --hostile's invalid UTF-8 reaches the client as it is).
 */
#include "sim/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct out {
    char *p;
    size_t len, cap;
};

static void reserve(struct out *o, size_t n)
{
    if (o->len + n + 1 <= o->cap)
        return;
    size_t cap = o->cap ? o->cap * 2 : 4096;
    while (cap < o->len + n + 1)
        cap *= 2;
    o->p = realloc(o->p, cap);
    if (!o->p)
        abort();
    o->cap = cap;
}

static void put(struct out *o, const char *s, size_t n)
{
    reserve(o, n);
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_number(struct out *o, double d)
{
    char buf[32];
    if (d == floor(d) && fabs(d) < 9007199254740992.0) {
        long long v = (long long)d;
        unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
        int i = (int)sizeof buf;
        do {
            buf[--i] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0)
            buf[--i] = '-';
        put(o, buf + i, sizeof buf - (size_t)i);
    } else if (isfinite(d)) {
        put(o, buf, (size_t)snprintf(buf, sizeof buf, "%1.17g", d));
    } else {
        put(o, "null", 4);
    }
}

static void put_string(struct out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    reserve(o, 2);
    o->p[o->len++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') {
            const unsigned char *start = p;
            while (p[1] >= 0x20 && p[1] != '"' && p[1] != '\\')
                p++;
            put(o, (const char *)start, (size_t)(p - start + 1));
            continue;
        }
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        put(o, esc, n);
    }
    put(o, "\"", 1);
}

static void put_item(struct out *o, const cJSON *item)
{
    const cJSON *c;
    if (cJSON_IsNull(item)) {
        put(o, "null", 4);
    } else if (cJSON_IsFalse(item)) {
        put(o, "false", 5);
    } else if (cJSON_IsTrue(item)) {
        put(o, "true", 4);
    } else if (cJSON_IsNumber(item)) {
        put_number(o, item->valuedouble);
    } else if (cJSON_IsString(item)) {
        put_string(o, item->valuestring ? item->valuestring : "");
    } else if (cJSON_IsRaw(item)) {
        put(o, item->valuestring, strlen(item->valuestring));
    } else if (cJSON_IsArray(item)) {
        put(o, "[", 1);
        for (c = item->child; c; c = c->next) {
            put_item(o, c);
            if (c->next)
                put(o, ",", 1);
        }
        put(o, "]", 1);
    } else {
        put(o, "{", 1);
        for (c = item->child; c; c = c->next) {
            put_string(o, c->string ? c->string : "");
            put(o, ":", 1);
            put_item(o, c);
            if (c->next)
                put(o, ",", 1);
        }
        put(o, "}", 1);
    }
}

char *sim_json_print(const cJSON *item, size_t *len)
{
    struct out o = {0};
    put_item(&o, item);
    reserve(&o, 1);
    o.p[o.len] = '\0';
    *len = o.len;
    return o.p;
}
