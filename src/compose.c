/* compose.c: quoting the customer's last message and the signature block for
 * a new reply (see compose.h). */
#include "src/compose.h"
#include "src/outbox.h"
#include "src/html.h"
#include "src/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long compose_last_customer_message(const struct fd_conversation *convs, size_t count)
{
    for (size_t i = count; i-- > 0;)
        if (convs[i].incoming)
            return (long)i;
    return -1;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    return true;
}

char *compose_quote(const char *author, fd_time when, const char *body_text)
{
    char *body = text_sanitize(body_text ? body_text : "", (size_t)-1, TEXT_MULTI_LINE);
    char *name = text_sanitize(author ? author : "the customer", (size_t)-1, TEXT_SINGLE_LINE);
    char head[400], date[40] = "";
    if (!body || !name) {
        free(body);
        free(name);
        return NULL;
    }
    if (when) {
        time_t t = (time_t)when;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "On %Y-%m-%d %H:%M UTC, ", &tm);
    }
    snprintf(head, sizeof head, "%s%s wrote:\n", date, name);
    if (!when && head[0] >= 'a' && head[0] <= 'z')
        head[0] = (char)(head[0] - 'a' + 'A');
    free(name);
    /* Drop trailing blank lines. */
    size_t len = strlen(body);
    while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == ' '))
        len--;
    body[len] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += body[i] == '\n';
    char *out = malloc(strlen(head) + len + 2 * lines + 2);
    if (!out) {
        free(body);
        return NULL;
    }
    char *o = out + sprintf(out, "%s", head);
    for (const char *p = body; len > 0;) {
        size_t n = strcspn(p, "\n");
        if (blank(p, n)) {
            *o++ = '>';
        } else {
            memcpy(o, "> ", 2);
            memcpy(o + 2, p, n);
            o += n + 2;
        }
        *o++ = '\n';
        if (!p[n])
            break;
        p += n + 1;
    }
    *o = '\0';
    free(body);
    return out;
}

char *compose_signature(const char *signature, bool is_html)
{
    char *text = NULL;

    if (signature)
        text = is_html ? html_to_text(signature)
                       : text_sanitize(signature, (size_t)-1, TEXT_MULTI_LINE);
    else
        text = strdup("");
    if (!text)
        return NULL;
    size_t len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    text[len] = '\0';
    if (blank(text, len)) {
        text[0] = '\0';
        return text;
    }
    char *out = malloc(len + 6);
    if (out)
        snprintf(out, len + 6, "\n-- \n%s", text);
    free(text);
    return out;
}

/* ---- the editing session --------------------------------------------------- */

int compose_open(struct compose *c, struct state_db *st, fd_id ticket_id, enum draft_kind kind)
{
    struct draft d;
    int found;

    memset(c, 0, sizeof *c);
    c->ticket_id = ticket_id;
    c->kind = kind;
    c->is_public = kind == DRAFT_REPLY;
    if (editbuf_init(&c->buf) != 0)
        return -1;
    found = drafts_load(st, ticket_id, kind, &d);
    if (found < 0) {
        editbuf_free(&c->buf);
        return -1;
    }
    if (found == 1) {
        if (editbuf_set_text(&c->buf, d.body) != 0) {
            drafts_clear(&d);
            editbuf_free(&c->buf);
            return -1;
        }
        c->cc = d.cc;
        c->bcc = d.bcc;
        d.cc = d.bcc = NULL;
        c->is_public = d.is_public;
        c->restored = true;
        c->restored_at = d.updated_at;
        drafts_clear(&d);
    } else {
        c->cc = strdup("");
        c->bcc = strdup("");
    }
    if (!c->cc || !c->bcc) {
        compose_close(c);
        return -1;
    }
    return 0;
}

void compose_touch(struct compose *c, int64_t now_ms)
{
    if (!c->dirty_since)
        c->dirty_since = now_ms;
    c->last_change = now_ms;
}

long compose_autosave_in(const struct compose *c, int64_t now_ms)
{
    if (!c->dirty_since)
        return -1;
    int64_t due = c->last_change + COMPOSE_SAVE_IDLE_MS;
    if (due > c->dirty_since + COMPOSE_SAVE_MAX_MS)
        due = c->dirty_since + COMPOSE_SAVE_MAX_MS;
    return due <= now_ms ? 0 : (long)(due - now_ms);
}

static void fill_draft(const struct compose *c, enum draft_kind kind, struct draft *d)
{
    memset(d, 0, sizeof *d);
    d->ticket_id = c->ticket_id;
    d->kind = kind;
    d->body = c->buf.text;
    d->cc = c->cc;
    d->bcc = c->bcc;
    d->is_public = kind == DRAFT_REPLY || c->is_public;
}

int compose_save(struct compose *c, struct state_db *st)
{
    struct draft d;

    fill_draft(c, c->kind, &d);
    if (drafts_save(st, &d) != 0)
        return -1;
    c->dirty_since = 0;
    c->buf.modified = false;
    return 0;
}

int compose_switch_kind(struct compose *c, struct state_db *st, enum draft_kind kind)
{
    struct draft d;

    if (kind == c->kind)
        return 0;
    fill_draft(c, kind, &d);
    d.is_public = kind == DRAFT_REPLY ? true : false; /* a note starts private */
    if (state_exec(st, "BEGIN IMMEDIATE") != 0)
        return -1;
    if (drafts_save(st, &d) != 0 || drafts_discard(st, c->ticket_id, c->kind) != 0 ||
        state_exec(st, "COMMIT") != 0) {
        state_exec(st, "ROLLBACK");
        return -1;
    }
    c->kind = kind;
    c->is_public = d.is_public;
    c->dirty_since = 0;
    return 0;
}

int compose_queue(struct compose *c, struct state_db *st, const char *const *attachments,
                  size_t attachment_count, int64_t *item, char *err, size_t errsize)
{
    struct outbox_conversation oc = {
        .kind = c->kind == DRAFT_REPLY ? OUTBOX_REPLY : OUTBOX_NOTE,
        .ticket_id = c->ticket_id,
        .text = c->buf.text,
        .cc = c->cc,
        .bcc = c->bcc,
        .is_public = c->kind == DRAFT_REPLY || c->is_public,
        .attachments = attachments,
        .attachment_count = attachment_count,
    };

    if (compose_save(c, st) != 0) {
        snprintf(err, errsize, "cannot save the draft in %s", st->path);
        return -1;
    }
    return outbox_add_conversation_full(st, &oc, item, err, errsize);
}

int compose_discard(struct compose *c, struct state_db *st)
{
    if (drafts_discard(st, c->ticket_id, c->kind) != 0)
        return -1;
    c->dirty_since = 0;
    return 0;
}

void compose_close(struct compose *c)
{
    editbuf_free(&c->buf);
    free(c->cc);
    free(c->bcc);
    memset(c, 0, sizeof *c);
}
