/* util.c: deterministic randomness (hashes of the seed and a salt, so any ticket can be
 * regenerated on its own) and the simulator's clock and ISO 8601 times.
 */
#include "sim/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

uint64_t sim_hash(uint64_t a, uint64_t b)
{
    /* splitmix64 finaliser over a combination of both words */
    uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t sim_hash3(uint64_t a, uint64_t b, uint64_t c)
{
    return sim_hash(sim_hash(a, b), c);
}

long sim_pick(uint64_t h, long n)
{
    if (n <= 0)
        return 0;
    return (long)((h >> 11) % (uint64_t)n);
}

double sim_unit(uint64_t h)
{
    return (double)(h >> 11) / 9007199254740992.0;
}

int64_t sim_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t sim_now(const struct sim *sim)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return sim->start_now + (int64_t)(ts.tv_sec - sim->mono0.tv_sec);
}

void sim_fmt_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

cJSON *sim_json_time(int64_t t)
{
    char buf[32];
    if (t == 0)
        return cJSON_CreateNull();
    sim_fmt_time(t, buf);
    return cJSON_CreateString(buf);
}

static int parse_digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return 0;
}

static int parse_offset(const char *p, long *off)
{
    int sign, hh, mm = 0;
    *off = 0;
    if (*p == '\0' || *p == 'Z' || *p == 'z')
        return (*p == '\0' || p[1] == '\0') ? 0 : -1;
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p == '-' ? -1 : 1;
    p++;
    if (parse_digits(&p, 2, &hh))
        return -1;
    if (*p == ':')
        p++;
    if (*p && parse_digits(&p, 2, &mm))
        return -1;
    if (*p)
        return -1;
    *off = sign * (hh * 3600L + mm * 60L);
    return 0;
}

int sim_parse_time(const char *s, int64_t *out)
{
    struct tm tm;
    int y, mo, d, h = 0, mi = 0, se = 0;
    long off = 0;
    const char *p = s;

    if (!s || parse_digits(&p, 4, &y) || *p++ != '-' || parse_digits(&p, 2, &mo) || *p++ != '-' ||
        parse_digits(&p, 2, &d))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (parse_digits(&p, 2, &se))
                return -1;
        }
        if (*p == '.') {
            p++;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (parse_offset(p, &off))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = (int64_t)timegm(&tm) - off;
    return 0;
}
