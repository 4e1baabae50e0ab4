/* collision.c: compares what the agent saw with the server's fresh copy of a
 * ticket and describes the difference in words (see collision.h). */
#include "src/collision.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void collision_snapshot_take(struct collision_snapshot *snap, const struct fd_ticket *t,
                             const struct fd_conversation *convs, size_t count)
{
    memset(snap, 0, sizeof *snap);
    snap->ticket_id = t->id;
    snap->updated_at = t->updated_at;
    snap->status = t->status;
    snap->priority = t->priority;
    snap->responder_id = t->responder_id;
    snap->group_id = t->group_id;
    snap->conversation_count = count;
    for (size_t i = 0; i < count; i++)
        if (convs[i].id > snap->last_conversation_id)
            snap->last_conversation_id = convs[i].id;
}

struct text {
    char buf[2048];
    size_t len;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
    va_list ap;
    if (t->len >= sizeof t->buf - 1)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n < sizeof t->buf - t->len ? (size_t)n : sizeof t->buf - t->len - 1;
}

static const char *conversation_kind(const struct fd_conversation *c)
{
    if (c->incoming)
        return "a reply from the customer";
    if (c->is_private)
        return "a private note";
    return c->source == 2 ? "a public note" : "a reply by an agent";
}

static void describe_messages(struct text *t, const struct collision_snapshot *seen,
                              const struct fd_conversation *convs, size_t count)
{
    size_t fresh = 0;
    for (size_t i = 0; i < count; i++)
        fresh += convs[i].id > seen->last_conversation_id;
    if (fresh == 0 && count <= seen->conversation_count)
        return;
    if (fresh == 0)
        fresh = count - seen->conversation_count;
    add(t, "%zu new message%s since you opened it:", fresh, fresh == 1 ? "" : "s");
    int shown = 0;
    for (size_t i = 0; i < count && shown < 5; i++) {
        if (convs[i].id <= seen->last_conversation_id)
            continue;
        char when[32] = "";
        if (convs[i].created_at) {
            time_t tt = (time_t)convs[i].created_at;
            struct tm tm;
            gmtime_r(&tt, &tm);
            strftime(when, sizeof when, " at %H:%M UTC", &tm);
        }
        add(t, "%s %s%s", shown ? "," : "", conversation_kind(&convs[i]), when);
        shown++;
    }
    if (fresh > (size_t)shown && shown > 0)
        add(t, ", ...");
    add(t, "\n");
}

static const char *status_name(int status, const struct collision_names *n, char *buf, size_t size)
{
    const char *s = n && n->status ? n->status(status, n->data) : NULL;
    if (!s)
        s = model_status_name(status);
    if (!s) {
        snprintf(buf, size, "status %d", status);
        s = buf;
    }
    return s;
}

static const char *id_name(fd_id id, const char *(*fn)(fd_id, void *), void *data, const char *none,
                           char *buf, size_t size)
{
    const char *s = id && fn ? fn(id, data) : NULL;
    if (!id)
        return none;
    if (!s) {
        snprintf(buf, size, "#%lld", (long long)id);
        s = buf;
    }
    return s;
}

static void describe_fields(struct text *t, const struct collision_snapshot *seen,
                            const struct fd_ticket *fresh, const struct collision_names *n)
{
    char a[64], b[64];
    void *data = n ? n->data : NULL;

    if (fresh->status != seen->status)
        add(t, "status changed from %s to %s\n", status_name(seen->status, n, a, sizeof a),
            status_name(fresh->status, n, b, sizeof b));
    if (fresh->priority != seen->priority) {
        const char *p0 = model_priority_name(seen->priority),
                   *p1 = model_priority_name(fresh->priority);
        add(t, "priority changed from %s to %s\n", p0 ? p0 : "?", p1 ? p1 : "?");
    }
    if (fresh->responder_id != seen->responder_id)
        add(t, "assigned to %s (was %s)\n",
            id_name(fresh->responder_id, n ? n->agent : NULL, data, "nobody", a, sizeof a),
            id_name(seen->responder_id, n ? n->agent : NULL, data, "unassigned", b, sizeof b));
    if (fresh->group_id != seen->group_id)
        add(t, "group changed to %s (was %s)\n",
            id_name(fresh->group_id, n ? n->group : NULL, data, "no group", a, sizeof a),
            id_name(seen->group_id, n ? n->group : NULL, data, "no group", b, sizeof b));
}

bool collision_describe(const struct collision_snapshot *seen, const struct fd_ticket *fresh,
                        const struct fd_conversation *convs, size_t count,
                        const struct collision_names *names, char **description)
{
    struct text t = {.len = 0};

    t.buf[0] = '\0';
    *description = NULL;
    describe_messages(&t, seen, convs, count);
    describe_fields(&t, seen, fresh, names);
    if (t.len == 0 && fresh->updated_at > seen->updated_at)
        add(&t, "the ticket was changed by someone else (tags, type or other fields)\n");
    if (t.len == 0)
        return false;
    if (t.buf[t.len - 1] == '\n')
        t.buf[--t.len] = '\0';
    *description = strdup(t.buf);
    return true;
}
