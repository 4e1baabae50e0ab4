/* store_lookup.c: finding agents, groups and statuses by what a person types
 * (`fdesk update --assign EMAIL`, `--status pending`, pickers), and the small
 * lists behind pickers: agents, groups, statuses, ticket types, canned
 * responses and the tags seen on cached tickets. */
#include "src/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char agent_columns[] =
    "SELECT id, name, email, signature_html, ticket_scope, available, occasional, updated_at"
    " FROM agents";

static int read_agent(sqlite3_stmt *st, struct fd_agent *a)
{
    bool oom = false;

    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    a->name = store_column_strdup(st, 1, &oom);
    a->email = store_column_strdup(st, 2, &oom);
    a->signature_html = store_column_strdup(st, 3, &oom);
    a->ticket_scope = sqlite3_column_int(st, 4);
    a->available = sqlite3_column_int(st, 5) != 0;
    a->occasional = sqlite3_column_int(st, 6) != 0;
    a->updated_at = sqlite3_column_int64(st, 7);
    if (oom) {
        model_agent_clear(a);
        return -1;
    }
    return 0;
}

/* Counts the rows sql matches for text, stopping at 2. */
static int count_matches(struct store *s, const char *sql, const char *text, int *n)
{
    sqlite3_stmt *st = store_cached_query(s, sql);
    if (!st)
        return -1;
    store_bind_text(st, 1, text);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < 2)
        (*n)++;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_fail_sql(s, "lookup");
}

static int agent_reader(sqlite3_stmt *st, void *out)
{
    return read_agent(st, out);
}

/* Tries each lookup SQL in turn: the first that matches exactly one row wins. */
static int find_by(struct store *s, const char *const *queries, size_t nqueries, const char *text,
                   int (*reader)(sqlite3_stmt *, void *), void *out)
{
    for (size_t i = 0; i < nqueries; i++) {
        int n;
        if (count_matches(s, queries[i], text, &n) != 0)
            return -1;
        if (n == 1) {
            sqlite3_stmt *st = store_cached_query(s, queries[i]);
            store_bind_text(st, 1, text);
            int rc = sqlite3_step(st), result;
            result = rc == SQLITE_ROW ? (reader(st, out) == 0 ? 1 : store_fail(s, "out of memory"))
                                      : store_fail_sql(s, "lookup");
            sqlite3_reset(st);
            return result;
        }
        if (n > 1)
            return 0; /* ambiguous at this level: do not guess */
    }
    return 0;
}

int store_find_agent(struct store *s, const char *name_or_email, struct fd_agent *out)
{
    static const char *const queries[] = {
        "SELECT id, name, email, signature_html, ticket_scope, available, occasional,"
        " updated_at FROM agents WHERE email = ?1 COLLATE NOCASE",
        "SELECT id, name, email, signature_html, ticket_scope, available, occasional,"
        " updated_at FROM agents WHERE name = ?1 COLLATE NOCASE",
        "SELECT id, name, email, signature_html, ticket_scope, available, occasional,"
        " updated_at FROM agents WHERE name LIKE replace(replace(replace(?1, '\\', '\\\\'),"
        " '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\'",
    };
    memset(out, 0, sizeof *out);
    if (!name_or_email || !*name_or_email)
        return 0;
    return find_by(s, queries, 3, name_or_email, agent_reader, out);
}

static int group_reader(sqlite3_stmt *st, void *out)
{
    struct fd_group *g = out;
    bool oom = false;
    g->id = sqlite3_column_int64(st, 0);
    g->name = store_column_strdup(st, 1, &oom);
    g->updated_at = sqlite3_column_int64(st, 2);
    return oom ? -1 : 0;
}

int store_find_group(struct store *s, const char *name, struct fd_group *out)
{
    static const char *const queries[] = {
        "SELECT id, name, updated_at FROM groups WHERE name = ?1 COLLATE NOCASE",
        "SELECT id, name, updated_at FROM groups WHERE name LIKE replace(replace(replace(?1,"
        " '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\'",
    };
    memset(out, 0, sizeof *out);
    if (!name || !*name)
        return 0;
    return find_by(s, queries, 2, name, group_reader, out);
}

static int status_reader(sqlite3_stmt *st, void *out)
{
    struct fd_status *x = out;
    bool oom = false;
    x->id = sqlite3_column_int(st, 0);
    x->agent_label = store_column_strdup(st, 1, &oom);
    x->customer_label = store_column_strdup(st, 2, &oom);
    return oom ? -1 : 0;
}

int store_find_status(struct store *s, const char *label, struct fd_status *out)
{
    static const char *const queries[] = {
        "SELECT id, agent_label, customer_label FROM statuses"
        " WHERE agent_label = ?1 COLLATE NOCASE OR CAST(id AS TEXT) = ?1",
    };
    memset(out, 0, sizeof *out);
    if (!label || !*label)
        return 0;
    int rc = find_by(s, queries, 1, label, status_reader, out);
    if (rc != 0)
        return rc;
    /* Before sync has read the ticket fields, the built-in four still work. */
    for (int id = FD_STATUS_OPEN; id <= FD_STATUS_CLOSED; id++) {
        char num[4] = {(char)('0' + id), '\0'};
        if (strcasecmp(label, model_status_name(id)) == 0 || strcmp(label, num) == 0) {
            out->id = id;
            out->agent_label = strdup(model_status_name(id));
            return out->agent_label ? 1 : store_fail(s, "out of memory");
        }
    }
    return 0;
}

int store_get_me(struct store *s, struct fd_agent *out)
{
    char sql[sizeof agent_columns + 32];
    snprintf(sql, sizeof sql, "%s WHERE is_me = 1 LIMIT 1", agent_columns);
    sqlite3_stmt *st = store_cached_query(s, sql);
    memset(out, 0, sizeof *out);
    if (!st)
        return -1;
    int rc = sqlite3_step(st), result = 0;
    if (rc == SQLITE_ROW)
        result = read_agent(st, out) == 0 ? 1 : store_fail(s, "out of memory");
    else if (rc != SQLITE_DONE)
        result = store_fail_sql(s, "read me");
    sqlite3_reset(st);
    return result;
}

/* Reads every row of sql into a growing array of elements of size elem. */
static int read_all(struct store *s, const char *sql, int64_t bind, size_t elem,
                    int (*reader)(sqlite3_stmt *, void *), void (*clear)(void *), void **out,
                    size_t *count)
{
    sqlite3_stmt *st = store_cached_query(s, sql);
    char *items = NULL;
    size_t n = 0, cap = 0;
    int rc;

    *out = NULL;
    *count = 0;
    if (!st)
        return -1;
    if (bind)
        sqlite3_bind_int64(st, 1, bind);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char *grown = realloc(items, cap * elem);
            if (!grown) {
                rc = SQLITE_NOMEM;
                break;
            }
            items = grown;
        }
        memset(items + n * elem, 0, elem);
        if (reader(st, items + n * elem) != 0) {
            clear(items + n * elem);
            rc = SQLITE_NOMEM;
            break;
        }
        n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i < n; i++)
            clear(items + i * elem);
        free(items);
        return rc == SQLITE_NOMEM ? store_fail(s, "out of memory") : store_fail_sql(s, "list");
    }
    *out = items;
    *count = n;
    return 0;
}

static void agent_clear(void *p)
{
    model_agent_clear(p);
}

static void group_clear(void *p)
{
    model_group_clear(p);
}

static void status_clear(void *p)
{
    model_status_clear(p);
}

int store_list_agents(struct store *s, struct fd_agent **out, size_t *count)
{
    return read_all(s,
                    "SELECT id, name, email, signature_html, ticket_scope, available, occasional,"
                    " updated_at FROM agents ORDER BY name COLLATE NOCASE, id",
                    0, sizeof **out, agent_reader, agent_clear, (void **)out, count);
}

int store_list_groups(struct store *s, struct fd_group **out, size_t *count)
{
    return read_all(s, "SELECT id, name, updated_at FROM groups ORDER BY name COLLATE NOCASE, id",
                    0, sizeof **out, group_reader, group_clear, (void **)out, count);
}

int store_list_statuses(struct store *s, struct fd_status **out, size_t *count)
{
    return read_all(s, "SELECT id, agent_label, customer_label FROM statuses ORDER BY id", 0,
                    sizeof **out, status_reader, status_clear, (void **)out, count);
}

static int folder_reader(sqlite3_stmt *st, void *out)
{
    struct fd_canned_folder *f = out;
    bool oom = false;
    f->id = sqlite3_column_int64(st, 0);
    f->name = store_column_strdup(st, 1, &oom);
    f->personal = sqlite3_column_int(st, 2) != 0;
    f->responses_count = sqlite3_column_int(st, 3);
    return oom ? -1 : 0;
}

static void folder_clear(void *p)
{
    model_canned_folder_clear(p);
}

int store_list_canned_folders(struct store *s, struct fd_canned_folder **out, size_t *count)
{
    return read_all(s,
                    "SELECT id, name, personal, responses_count FROM canned_folders"
                    " ORDER BY name COLLATE NOCASE, id",
                    0, sizeof **out, folder_reader, folder_clear, (void **)out, count);
}

static int response_reader(sqlite3_stmt *st, void *out)
{
    struct fd_canned_response *r = out;
    bool oom = false;
    r->id = sqlite3_column_int64(st, 0);
    r->folder_id = sqlite3_column_int64(st, 1);
    r->title = store_column_strdup(st, 2, &oom);
    r->content_text = store_column_strdup(st, 3, &oom);
    r->content_html = store_column_strdup(st, 4, &oom);
    return oom ? -1 : 0;
}

static void response_clear(void *p)
{
    model_canned_response_clear(p);
}

int store_list_canned_responses(struct store *s, fd_id folder_id, struct fd_canned_response **out,
                                size_t *count)
{
    return read_all(s,
                    "SELECT id, folder_id, title, content_text, content_html FROM canned_responses"
                    " WHERE folder_id = ?1 ORDER BY title COLLATE NOCASE, id",
                    folder_id ? folder_id : -1, sizeof **out, response_reader, response_clear,
                    (void **)out, count);
}

/* Appends column 0 of every row to list. */
static int read_strings(struct store *s, sqlite3_stmt *st, struct fd_string_list *out)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 0);
        if (text && model_string_list_add(out, text) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_NOMEM)
        return store_fail(s, "out of memory");
    return rc == SQLITE_DONE ? 0 : store_fail_sql(s, "list");
}

int store_list_ticket_types(struct store *s, struct fd_string_list *out)
{
    sqlite3_stmt *st = store_cached_query(s, "SELECT name FROM ticket_types ORDER BY position");
    return st ? read_strings(s, st, out) : -1;
}

int store_list_tags(struct store *s, const char *prefix, size_t limit, struct fd_string_list *out)
{
    sqlite3_stmt *st = store_cached_query(
        s, "SELECT min(g.tag) FROM ticket_tags g JOIN tickets t ON t.id = g.ticket_id"
           " WHERE t.gone = 0 AND (?1 IS NULL OR g.tag LIKE replace(replace(replace(?1,"
           " '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\')"
           " GROUP BY g.tag ORDER BY count(*) DESC, g.tag LIMIT ?2");
    if (!st)
        return -1;
    store_bind_text(st, 1, prefix && *prefix ? prefix : NULL);
    sqlite3_bind_int64(st, 2, limit ? (int64_t)limit : -1);
    return read_strings(s, st, out);
}
