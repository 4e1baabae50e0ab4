/* drafts.c: saving, restoring and removing drafts in the state database (see
 * drafts.h for the rules about when a draft may disappear). */
#include "src/drafts.h"
#include "src/log.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_empty(const unsigned char *s)
{
    return strdup(s ? (const char *)s : "");
}

int drafts_save(struct state_db *st, struct draft *d)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO drafts (ticket_id, kind, body, cc, bcc, is_public, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    d->updated_at = state_now_ms();
    sqlite3_bind_int64(stmt, 1, d->ticket_id);
    sqlite3_bind_int(stmt, 2, d->kind);
    sqlite3_bind_text(stmt, 3, d->body ? d->body : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, d->cc ? d->cc : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 5, d->bcc ? d->bcc : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 6, d->kind == DRAFT_REPLY ? 1 : d->is_public);
    sqlite3_bind_int64(stmt, 7, d->updated_at);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        log_error("drafts", "saving the draft of ticket %lld failed: %s", (long long)d->ticket_id,
                  sqlite3_errmsg(st->db));
        return -1;
    }
    return 0;
}

int drafts_load(struct state_db *st, fd_id ticket_id, enum draft_kind kind, struct draft *out)
{
    static const char sql[] = "SELECT body, cc, bcc, is_public, updated_at FROM drafts"
                              " WHERE ticket_id = ? AND kind = ?";
    sqlite3_stmt *stmt;
    int rc, found = 0;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, ticket_id);
    sqlite3_bind_int(stmt, 2, kind);
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        out->ticket_id = ticket_id;
        out->kind = kind;
        out->body = dup_or_empty(sqlite3_column_text(stmt, 0));
        out->cc = dup_or_empty(sqlite3_column_text(stmt, 1));
        out->bcc = dup_or_empty(sqlite3_column_text(stmt, 2));
        out->is_public = sqlite3_column_int(stmt, 3) != 0;
        out->updated_at = sqlite3_column_int64(stmt, 4);
        found = out->body && out->cc && out->bcc ? 1 : -1;
    } else if (rc != SQLITE_DONE) {
        found = -1;
    }
    sqlite3_finalize(stmt);
    if (found < 0)
        drafts_clear(out);
    return found;
}

static int run_delete(struct state_db *st, fd_id ticket_id, enum draft_kind kind, const char *body)
{
    const char *sql = body ? "DELETE FROM drafts WHERE ticket_id = ? AND kind = ? AND body = ?"
                           : "DELETE FROM drafts WHERE ticket_id = ? AND kind = ?";
    sqlite3_stmt *stmt;
    int rc;

    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(stmt, 1, ticket_id);
    sqlite3_bind_int(stmt, 2, kind);
    if (body)
        sqlite3_bind_text(stmt, 3, body, -1, SQLITE_STATIC);
    rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int drafts_discard(struct state_db *st, fd_id ticket_id, enum draft_kind kind)
{
    return run_delete(st, ticket_id, kind, NULL) < 0 ? -1 : 0;
}

int drafts_delete_if_sent(struct state_db *st, fd_id ticket_id, enum draft_kind kind,
                          const char *body)
{
    return run_delete(st, ticket_id, kind, body ? body : "");
}

int drafts_count(struct state_db *st)
{
    sqlite3_stmt *stmt;
    int n = -1;

    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM drafts", -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

void drafts_clear(struct draft *d)
{
    free(d->body);
    free(d->cc);
    free(d->bcc);
    d->body = d->cc = d->bcc = NULL;
}

int drafts_list(struct state_db *st, struct draft **out, size_t *count)
{
    static const char sql[] = "SELECT ticket_id, kind, body, cc, bcc, is_public, updated_at"
                              " FROM drafts ORDER BY updated_at DESC, ticket_id";
    sqlite3_stmt *stmt;
    size_t cap = 0;
    int rc;

    *out = NULL;
    *count = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 8;
            struct draft *grown = realloc(*out, cap * sizeof *grown);
            if (!grown)
                break;
            *out = grown;
        }
        struct draft *d = &(*out)[*count];
        d->ticket_id = sqlite3_column_int64(stmt, 0);
        d->kind = sqlite3_column_int(stmt, 1) == DRAFT_NOTE ? DRAFT_NOTE : DRAFT_REPLY;
        d->body = dup_or_empty(sqlite3_column_text(stmt, 2));
        d->cc = dup_or_empty(sqlite3_column_text(stmt, 3));
        d->bcc = dup_or_empty(sqlite3_column_text(stmt, 4));
        d->is_public = sqlite3_column_int(stmt, 5) != 0;
        d->updated_at = sqlite3_column_int64(stmt, 6);
        (*count)++;
        if (!d->body || !d->cc || !d->bcc)
            break;
    }
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        drafts_free_list(*out, *count);
        *out = NULL;
        *count = 0;
        return -1;
    }
    return 0;
}

void drafts_free_list(struct draft *drafts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        drafts_clear(&drafts[i]);
    free(drafts);
}
