/* outbox_match.c: decides whether a conversation read back from the server
 * is an outbox item whose earlier attempt landed (the rules are at the top of
 * outbox.h). Kept apart from the sender so it is tested without a network. */
#include "src/outbox.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Conversations created this long before the first attempt still count as
 * candidates: the server's clock and ours may disagree. */
#define OUTBOX_CLOCK_SKEW_S 120

static bool body_has_marker(const char *html, const char *marker)
{
    return html && strstr(html, marker) != NULL;
}

static bool body_has_any_marker(const char *html)
{
    return html && strstr(html, "fdesk:fdesk-") != NULL;
}

/* True when the normalized texts are equal, or the conversation's is the
 * item's followed by a signature block ("-- ", which a server may append). A
 * mere common prefix ("Thanks" vs "Thanks for waiting") is not enough. */
static bool text_matches(const char *item_text, const char *conv_text)
{
    char *a = outbox_normalize_text(item_text ? item_text : "");
    char *b = outbox_normalize_text(conv_text ? conv_text : "");
    size_t n = a ? strlen(a) : 0;
    bool same = a && b && n && strncmp(a, b, n) == 0 &&
                (b[n] == '\0' || strncmp(b + n, " -- ", 4) == 0 || strcmp(b + n, " --") == 0);

    free(a);
    free(b);
    return same;
}

static bool item_is_private(const struct outbox_item *item)
{
    if (item->kind != OUTBOX_NOTE)
        return false;
    return strstr(item->payload, "\"private\":false") == NULL;
}

int outbox_is_own_conversation(struct state_db *st, const struct fd_conversation *c)
{
    const char *p = c->body_html ? strstr(c->body_html, "fdesk:fdesk-") : NULL;
    char marker[OUTBOX_MARKER_LEN + 1];
    sqlite3_stmt *stmt;
    int rc, own = 0;

    if (c->incoming || !p)
        return 0;
    p += strlen("fdesk:");
    if (strlen(p) < OUTBOX_MARKER_LEN)
        return 0;
    memcpy(marker, p, OUTBOX_MARKER_LEN);
    marker[OUTBOX_MARKER_LEN] = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT text FROM outbox WHERE marker = ?", -1, &stmt, NULL) !=
        SQLITE_OK)
        return -1;
    sqlite3_bind_text(stmt, 1, marker, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        own = text_matches((const char *)sqlite3_column_text(stmt, 0), c->body_text);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? own : -1;
}

long outbox_match_conversation(const struct outbox_item *item, const struct fd_conversation *convs,
                               size_t count, bool (*taken)(fd_id id, void *data), void *data)
{
    fd_time earliest = item->first_sent_at / 1000 - OUTBOX_CLOCK_SKEW_S;

    /* An exact marker match wins over anything else (a customer's message
     * that quotes our HTML may carry the marker too: never ours). */
    for (size_t i = 0; i < count; i++)
        if (!convs[i].incoming && body_has_marker(convs[i].body_html, item->marker))
            return (long)i;
    for (size_t i = count; i-- > 0;) {
        const struct fd_conversation *c = &convs[i];
        if (body_has_any_marker(c->body_html) || c->incoming)
            continue;
        if (c->is_private != item_is_private(item))
            continue;
        if (item->first_sent_at && c->created_at && c->created_at < earliest)
            continue;
        if (taken && taken(c->id, data))
            continue;
        if (text_matches(item->text, c->body_text))
            return (long)i;
    }
    return -1;
}
