/* store_query.c: the list queries: compiling a view's filter tree and the
 * user's search text into one parameterised SQL statement, keyset windows in
 * every sort order, counts and positions.
 *
 * User text never becomes SQL: every value is a bound parameter (?N), and
 * the search words become an FTS5 expression of quoted strings, itself bound.
 * Names in the filter (me, agents, groups, custom statuses, companies,
 * requesters, tags) are resolved by subqueries when the statement runs, so a
 * compiled view stays right as sync learns more. The SQL text of a query
 * depends only on the shape of the filter, the sort and the direction, so the
 * per-connection statement cache makes scrolling reuse one statement. */
#include "src/store_internal.h"
#include "src/views.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t store_sort_key_due(fd_time due_by)
{
    return due_by ? due_by : INT64_MAX;
}

static uint32_t clamp_u32(fd_time t)
{
    return t < 0 ? 0 : t > (fd_time)UINT32_MAX ? UINT32_MAX : (uint32_t)t;
}

int64_t store_sort_key_priority(int priority, fd_time updated_at)
{
    return ((int64_t)priority << 32) | clamp_u32(updated_at);
}

int64_t store_sort_key_status(int status, fd_time updated_at)
{
    return ((int64_t)status << 32) | (UINT32_MAX - clamp_u32(updated_at));
}

struct sort_info {
    const char *name;
    const char *column;
    bool descending;
};

static const struct sort_info sorts[STORE_SORT_COUNT] = {
    [STORE_SORT_UPDATED] = {"updated", "t.updated_at", true},
    [STORE_SORT_CREATED] = {"created", "t.created_at", true},
    [STORE_SORT_DUE] = {"due", "t.sort_due", false},
    [STORE_SORT_PRIORITY] = {"priority", "t.sort_priority", true},
    [STORE_SORT_STATUS] = {"status", "t.sort_status", false},
};

const char *store_sort_name(enum store_sort sort)
{
    return sort < STORE_SORT_COUNT ? sorts[sort].name : NULL;
}

int store_sort_from_name(const char *name)
{
    for (int i = 0; name && i < STORE_SORT_COUNT; i++)
        if (strcmp(sorts[i].name, name) == 0)
            return i;
    return -1;
}

/* ---- SQL text and parameters ----------------------------------------------- */

struct param {
    bool is_text;
    int64_t number;
    char *text;
};

struct builder {
    char *sql;
    size_t len, cap;
    struct param *params;
    int nparams;
    bool oom;
    fd_time now;
};

static void add(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct builder *b, const char *fmt, ...)
{
    va_list ap;

    if (b->oom)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(b->sql ? b->sql + b->len : NULL, b->sql ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = true;
        return;
    }
    if ((size_t)n >= b->cap - b->len || !b->sql) {
        size_t cap = (b->cap ? b->cap * 2 : 512) + (size_t)n + 1;
        char *grown = realloc(b->sql, cap);
        if (!grown) {
            b->oom = true;
            return;
        }
        b->sql = grown;
        b->cap = cap;
        va_start(ap, fmt);
        vsnprintf(b->sql + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Adds a parameter and returns its number (for ?N). */
static int param(struct builder *b, bool is_text, int64_t number, const char *text)
{
    struct param *grown = realloc(b->params, (size_t)(b->nparams + 1) * sizeof *grown);
    if (!grown) {
        b->oom = true;
        return 1;
    }
    b->params = grown;
    struct param *p = &b->params[b->nparams];
    p->is_text = is_text;
    p->number = number;
    p->text = text ? strdup(text) : NULL;
    if (text && !p->text)
        b->oom = true;
    return ++b->nparams;
}

static int param_int(struct builder *b, int64_t v)
{
    return param(b, false, v, NULL);
}

static int param_text(struct builder *b, const char *text)
{
    return param(b, true, 0, text);
}

static void builder_free(struct builder *b)
{
    for (int i = 0; i < b->nparams; i++)
        free(b->params[i].text);
    free(b->params);
    free(b->sql);
    memset(b, 0, sizeof *b);
}

static void bind_params(sqlite3_stmt *st, const struct builder *b)
{
    for (int i = 0; i < b->nparams; i++) {
        if (b->params[i].is_text)
            store_bind_text(st, i + 1, b->params[i].text);
        else
            sqlite3_bind_int64(st, i + 1, b->params[i].number);
    }
}

/* ---- Full-text expressions -------------------------------------------------- */

static bool has_word_chars(const char *s)
{
    for (; *s; s++)
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return true;
    return false;
}

/* An FTS5 string "…" (quotes doubled) followed by * for a prefix match. */
static char *fts_string(const char *text, size_t len, bool prefix)
{
    char *out = malloc(len * 2 + 4);
    size_t n = 0;
    if (!out)
        return NULL;
    out[n++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            out[n++] = '"';
        out[n++] = text[i];
    }
    out[n++] = '"';
    if (prefix)
        out[n++] = '*';
    out[n] = '\0';
    return out;
}

/* The ticket matches the FTS expression in its subject, description or any
 * conversation. */
static void add_fts_match(struct builder *b, const char *expr)
{
    int p = param_text(b, expr);
    add(b,
        "(t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?%d)"
        " OR t.id IN (SELECT ticket_id FROM conversations WHERE id IN"
        " (SELECT rowid FROM conversation_fts WHERE conversation_fts MATCH ?%d)))",
        p, p);
}

/* Every whitespace-separated word of what the user typed, as a prefix. */
static void add_search(struct builder *b, const char *search)
{
    const char *p = search;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (p == start)
            break;
        char *word = strndup(start, (size_t)(p - start));
        char *expr = word && has_word_chars(word) ? fts_string(word, strlen(word), true) : NULL;
        if (!word)
            b->oom = true;
        if (expr) {
            add(b, " AND ");
            add_fts_match(b, expr);
        }
        free(expr);
        free(word);
    }
}

/* ---- Dates -------------------------------------------------------------------- */

/* Local midnight of the day `days` after now's day. */
static fd_time local_day_start(fd_time now, int64_t days)
{
    time_t t = (time_t)now;
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_mday += (int)days;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return (fd_time)mktime(&tm);
}

static fd_time local_date_start(int64_t ymd, int64_t extra_days)
{
    struct tm tm = {0};
    tm.tm_year = (int)(ymd / 10000) - 1900;
    tm.tm_mon = (int)(ymd / 100 % 100) - 1;
    tm.tm_mday = (int)(ymd % 100) + (int)extra_days;
    tm.tm_isdst = -1;
    return (fd_time)mktime(&tm);
}

static void add_date_term(struct builder *b, const char *column, const struct view_expr *e)
{
    fd_time start, end;
    bool day = e->value == VIEW_VALUE_DAY || e->value == VIEW_VALUE_DATE_DAY;

    if (e->value == VIEW_VALUE_DAY) {
        start = local_day_start(b->now, e->number);
        end = local_day_start(b->now, e->number + 1);
    } else if (e->value == VIEW_VALUE_DATE_DAY) {
        start = local_date_start(e->number, 0);
        end = local_date_start(e->number, 1);
    } else {
        start = end = e->value == VIEW_VALUE_OFFSET ? b->now + e->number : e->number;
    }
    switch (e->op) {
    case VIEW_OP_LT:
        add(b, "%s < ?%d", column, param_int(b, start));
        break;
    case VIEW_OP_LE:
        add(b, day ? "%s < ?%d" : "%s <= ?%d", column, param_int(b, end));
        break;
    case VIEW_OP_GT:
        add(b, day ? "%s >= ?%d" : "%s > ?%d", column, param_int(b, end));
        break;
    case VIEW_OP_GE:
        add(b, "%s >= ?%d", column, param_int(b, start));
        break;
    case VIEW_OP_IS:
        if (day) {
            add(b, "(%s >= ?%d AND %s < ?%d)", column, param_int(b, start), column,
                param_int(b, end));
        } else {
            fd_time lo = start < b->now ? start : b->now, hi = start < b->now ? b->now : start;
            add(b, "(%s >= ?%d AND %s <= ?%d)", column, param_int(b, lo), column, param_int(b, hi));
        }
        break;
    }
}

/* ---- Filter terms --------------------------------------------------------------- */

static const char *op_sql(enum view_op op)
{
    switch (op) {
    case VIEW_OP_LT:
        return "<";
    case VIEW_OP_LE:
        return "<=";
    case VIEW_OP_GT:
        return ">";
    case VIEW_OP_GE:
        return ">=";
    case VIEW_OP_IS:
        break;
    }
    return "=";
}

static void add_name_term(struct builder *b, const char *column, const char *table,
                          const struct view_expr *e, bool also_email)
{
    if (e->value == VIEW_VALUE_NONE) {
        add(b, "%s IS NULL", column);
        return;
    }
    int p = param_text(b, e->text);
    if (also_email)
        add(b,
            "%s IN (SELECT id FROM %s WHERE name = ?%d COLLATE NOCASE"
            " OR email = ?%d COLLATE NOCASE)",
            column, table, p, p);
    else
        add(b, "%s IN (SELECT id FROM %s WHERE name = ?%d COLLATE NOCASE)", column, table, p);
}

static void add_text_term(struct builder *b, const struct view_expr *e)
{
    char *expr = fts_string(e->text, strlen(e->text), true);
    if (!expr) {
        b->oom = true;
        return;
    }
    add_fts_match(b, expr);
    free(expr);
}

static void add_term(struct builder *b, const struct view_expr *e)
{
    switch (e->field) {
    case VIEW_FIELD_STATUS:
        if (e->value == VIEW_VALUE_UNRESOLVED)
            add(b, "t.status NOT IN (%d, %d)", FD_STATUS_RESOLVED, FD_STATUS_CLOSED);
        else if (e->value == VIEW_VALUE_NUMBER)
            add(b, "t.status = ?%d", param_int(b, e->number));
        else
            add(b, "t.status IN (SELECT id FROM statuses WHERE agent_label = ?%d COLLATE NOCASE)",
                param_text(b, e->text));
        break;
    case VIEW_FIELD_PRIORITY:
        add(b, "t.priority %s ?%d", op_sql(e->op), param_int(b, e->number));
        break;
    case VIEW_FIELD_AGENT:
        if (e->value == VIEW_VALUE_ME)
            add(b, "t.responder_id = (SELECT id FROM agents WHERE is_me = 1 LIMIT 1)");
        else
            add_name_term(b, "t.responder_id", "agents", e, true);
        break;
    case VIEW_FIELD_GROUP:
        add_name_term(b, "t.group_id", "groups", e, false);
        break;
    case VIEW_FIELD_COMPANY:
        add_name_term(b, "t.company_id", "companies", e, false);
        break;
    case VIEW_FIELD_REQUESTER:
        add_name_term(b, "t.requester_id", "contacts", e, true);
        break;
    case VIEW_FIELD_TYPE:
        if (e->value == VIEW_VALUE_NONE)
            add(b, "t.type IS NULL");
        else
            add(b, "t.type = ?%d COLLATE NOCASE", param_text(b, e->text));
        break;
    case VIEW_FIELD_TAG:
        add(b, "t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?%d)",
            param_text(b, e->text));
        break;
    case VIEW_FIELD_TEXT:
        add_text_term(b, e);
        break;
    case VIEW_FIELD_DUE:
        /* sort_due is due_by, or the largest integer when there is none:
         * the same for upper bounds, and it is indexed. */
        add_date_term(b, e->op == VIEW_OP_GT || e->op == VIEW_OP_GE ? "t.due_by" : "t.sort_due", e);
        break;
    case VIEW_FIELD_UPDATED:
        add_date_term(b, "t.updated_at", e);
        break;
    case VIEW_FIELD_CREATED:
        add_date_term(b, "t.created_at", e);
        break;
    }
}

static void add_filter(struct builder *b, const struct view_expr *e)
{
    switch (e->node) {
    case VIEW_NODE_AND:
    case VIEW_NODE_OR:
        add(b, "(");
        add_filter(b, e->left);
        add(b, e->node == VIEW_NODE_AND ? " AND " : " OR ");
        add_filter(b, e->right);
        add(b, ")");
        break;
    case VIEW_NODE_NOT:
        /* A missing value (no due date) makes a comparison NULL: NOT must
         * then keep the ticket, so NULL counts as false before negating. */
        add(b, "NOT coalesce((");
        add_filter(b, e->left);
        add(b, "), 0)");
        break;
    case VIEW_NODE_TERM:
        add_term(b, e);
        break;
    }
}

/* ---- Statements --------------------------------------------------------------- */

static const char row_columns[] =
    "t.id, t.status, t.priority, t.is_escalated, t.fr_escalated, t.due_by, t.fr_due_by,"
    " t.created_at, t.updated_at, t.responder_id, st.agent_label, coalesce(c.name, c.email),"
    " co.name, a.name, g.name, t.subject";

static const char row_joins[] = " FROM tickets t LEFT JOIN statuses st ON st.id = t.status"
                                " LEFT JOIN contacts c ON c.id = t.requester_id"
                                " LEFT JOIN companies co ON co.id = t.company_id"
                                " LEFT JOIN agents a ON a.id = t.responder_id"
                                " LEFT JOIN groups g ON g.id = t.group_id";

/* The ticket's JSON with requester and company embedded as include= does;
 * a row stored without (valid) JSON gets a minimal object instead. */
static const char json_column[] =
    ", json_set(CASE WHEN json_valid(t.json) THEN t.json ELSE json_object('id', t.id,"
    " 'subject', t.subject, 'status', t.status, 'priority', t.priority,"
    " 'requester_id', t.requester_id, 'responder_id', t.responder_id,"
    " 'group_id', t.group_id, 'company_id', t.company_id,"
    " 'created_at', strftime('%Y-%m-%dT%H:%M:%SZ', t.created_at, 'unixepoch'),"
    " 'updated_at', strftime('%Y-%m-%dT%H:%M:%SZ', t.updated_at, 'unixepoch')) END,"
    " '$.requester', CASE WHEN c.id IS NULL THEN NULL ELSE json_object('id', c.id,"
    " 'name', c.name, 'email', c.email, 'mobile', c.mobile, 'phone', c.phone) END,"
    " '$.company', CASE WHEN co.id IS NULL THEN NULL ELSE json_object('id', co.id,"
    " 'name', co.name) END)";

/* WHERE clause shared by windows, counts and positions. */
static void add_where(struct builder *b, const struct store_query *q)
{
    add(b, " WHERE t.gone = 0");
    if (q->filter) {
        add(b, " AND ");
        add_filter(b, q->filter);
    }
    if (q->search)
        add_search(b, q->search);
}

/* "(key, id) < (?a, ?b)": rows after (forward) or before the anchor. */
static void add_keyset(struct builder *b, const struct sort_info *si, const struct store_anchor *a,
                       bool forward)
{
    bool less = si->descending == forward;
    int pk = param_int(b, a->key), pi = param_int(b, a->id);
    add(b, " AND (%s, t.id) %s (?%d, ?%d)", si->column, less ? "<" : ">", pk, pi);
}

static fd_time query_now(const struct store_query *q)
{
    return q->now ? q->now : (fd_time)time(NULL);
}

static int finish_builder(struct store *s, struct builder *b)
{
    if (b->oom) {
        builder_free(b);
        return store_fail(s, "out of memory");
    }
    return 0;
}

static int read_row(sqlite3_stmt *st, struct store_row *r, bool with_json)
{
    bool oom = false;

    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    r->status = sqlite3_column_int(st, 1);
    r->priority = sqlite3_column_int(st, 2);
    r->is_escalated = sqlite3_column_int(st, 3) != 0;
    r->fr_escalated = sqlite3_column_int(st, 4) != 0;
    r->due_by = sqlite3_column_int64(st, 5);
    r->fr_due_by = sqlite3_column_int64(st, 6);
    r->created_at = sqlite3_column_int64(st, 7);
    r->updated_at = sqlite3_column_int64(st, 8);
    r->responder_id = sqlite3_column_int64(st, 9);
    r->status_label = store_column_strdup(st, 10, &oom);
    r->requester = store_column_strdup(st, 11, &oom);
    r->company = store_column_strdup(st, 12, &oom);
    r->agent = store_column_strdup(st, 13, &oom);
    r->group = store_column_strdup(st, 14, &oom);
    r->subject = store_column_strdup(st, 15, &oom);
    r->anchor.key = sqlite3_column_int64(st, 16);
    r->anchor.id = r->id;
    if (with_json)
        r->json = store_column_strdup(st, 17, &oom);
    if (oom) {
        store_row_clear(r);
        return -1;
    }
    return 0;
}

void store_row_clear(struct store_row *r)
{
    free(r->status_label);
    free(r->requester);
    free(r->company);
    free(r->agent);
    free(r->group);
    free(r->subject);
    free(r->json);
    memset(r, 0, sizeof *r);
}

void store_rows_clear(struct store_rows *rows)
{
    for (size_t i = 0; i < rows->count; i++)
        store_row_clear(&rows->rows[i]);
    free(rows->rows);
    rows->rows = NULL;
    rows->count = 0;
}

static void reverse_rows(struct store_rows *out)
{
    for (size_t i = 0, j = out->count; i + 1 < j; i++, j--) {
        struct store_row tmp = out->rows[i];
        out->rows[i] = out->rows[j - 1];
        out->rows[j - 1] = tmp;
    }
}

static int step_rows(struct store *s, sqlite3_stmt *st, size_t limit, bool with_json,
                     struct store_rows *out)
{
    int rc;

    if (limit && !(out->rows = calloc(limit, sizeof *out->rows)))
        return store_fail(s, "out of memory");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->count < limit) {
        if (read_row(st, &out->rows[out->count], with_json) != 0) {
            rc = SQLITE_NOMEM;
            break;
        }
        out->count++;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        store_rows_clear(out);
        return rc == SQLITE_NOMEM ? store_fail(s, "out of memory") : store_fail_sql(s, "list");
    }
    return 0;
}

int store_window(struct store *s, const struct store_query *q, const struct store_anchor *anchor,
                 enum store_direction dir, size_t limit, struct store_rows *out)
{
    struct builder b = {.now = query_now(q)};
    const struct sort_info *si;
    /* Walking a reversed list forwards is walking the natural order backwards;
     * either way the SQL yields the rows nearest the anchor first. */
    bool forward = (dir == STORE_AFTER) != q->reverse;

    store_rows_clear(out);
    if (q->sort >= STORE_SORT_COUNT)
        return store_fail(s, "unknown sort order");
    si = &sorts[q->sort];
    bool descending = si->descending == forward;
    add(&b, "SELECT %s, %s%s%s", row_columns, si->column, q->with_json ? json_column : "",
        row_joins);
    add_where(&b, q);
    if (anchor)
        add_keyset(&b, si, anchor, forward);
    const char *d = descending ? "DESC" : "ASC";
    add(&b, " ORDER BY %s %s, t.id %s LIMIT ?%d", si->column, d, d,
        param_int(&b, (int64_t)(limit > INT32_MAX ? INT32_MAX : limit)));
    if (finish_builder(s, &b) != 0)
        return -1;
    sqlite3_stmt *st = store_cached_query(s, b.sql);
    int rc = -1;
    if (st) {
        bind_params(st, &b);
        rc = step_rows(s, st, limit, q->with_json, out);
        if (rc == 0 && dir == STORE_BEFORE)
            reverse_rows(out);
    }
    builder_free(&b);
    return rc;
}

int store_anchor_for(struct store *s, enum store_sort sort, fd_id id, struct store_anchor *out)
{
    char sql[160];

    if (sort >= STORE_SORT_COUNT)
        return store_fail(s, "unknown sort order");
    snprintf(sql, sizeof sql, "SELECT %s FROM tickets t WHERE t.id = ?1 AND t.gone = 0",
             sorts[sort].column);
    sqlite3_stmt *st = store_cached_query(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->key = sqlite3_column_int64(st, 0);
        out->id = id;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail_sql(s, "anchor");
    return rc == SQLITE_ROW;
}

/* True if the filter only looks at status and agent, which the live
 * counters (ticket_counts) are kept by. */
static bool counted_filter(const struct view_expr *e)
{
    if (!e)
        return true;
    if (e->node != VIEW_NODE_TERM)
        return counted_filter(e->left) && counted_filter(e->right);
    return e->field == VIEW_FIELD_STATUS || e->field == VIEW_FIELD_AGENT;
}

/* Runs a single-number query built in b (frees b). */
static int run_count(struct store *s, struct builder *b, size_t *count)
{
    if (finish_builder(s, b) != 0)
        return -1;
    sqlite3_stmt *st = store_cached_query(s, b->sql);
    int rc = SQLITE_ERROR;
    if (st) {
        bind_params(st, b);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *count = (size_t)sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    builder_free(b);
    if (!st)
        return -1;
    return rc == SQLITE_ROW ? 0 : store_fail_sql(s, "count");
}

/* The cache key of a count: its SQL and its parameter values. */
static char *count_key(const struct builder *b)
{
    struct builder k = {0};
    add(&k, "%s", b->sql);
    for (int i = 0; i < b->nparams; i++) {
        if (b->params[i].is_text)
            add(&k, "|t%s", b->params[i].text ? b->params[i].text : "");
        else
            add(&k, "|n%lld", (long long)b->params[i].number);
    }
    char *key = k.oom ? NULL : k.sql;
    if (k.oom)
        free(k.sql);
    free(k.params);
    return key;
}

static struct store_cached_count *find_count(struct store *s, const char *key)
{
    for (size_t i = 0; i < STORE_COUNT_CACHE; i++)
        if (s->counts[i].key && strcmp(s->counts[i].key, key) == 0)
            return &s->counts[i];
    return NULL;
}

static void remember_count(struct store *s, char *key, int64_t version, size_t count)
{
    struct store_cached_count *slot = &s->counts[s->query_clock % STORE_COUNT_CACHE];
    for (size_t i = 0; i < STORE_COUNT_CACHE; i++)
        if (!s->counts[i].key) {
            slot = &s->counts[i];
            break;
        }
    free(slot->key);
    slot->key = key;
    slot->version = version;
    slot->count = count;
}

int store_count(struct store *s, const struct store_query *q, size_t *count)
{
    struct builder b = {.now = query_now(q)};
    int64_t version;

    if ((!q->search || !has_word_chars(q->search)) && counted_filter(q->filter)) {
        /* ticket_counts has status and responder_id columns: the same
         * filter SQL runs over it with the alias t. */
        add(&b, "SELECT coalesce(sum(t.n), 0) FROM ticket_counts t");
        if (q->filter) {
            add(&b, " WHERE ");
            add_filter(&b, q->filter);
        }
        return run_count(s, &b, count);
    }
    add(&b, "SELECT count(*) FROM tickets t");
    add_where(&b, q);
    if (finish_builder(s, &b) != 0 || store_data_version(s, &version) != 0) {
        builder_free(&b);
        return -1;
    }
    char *key = count_key(&b);
    struct store_cached_count *hit = key ? find_count(s, key) : NULL;
    if (hit && hit->version == version) {
        *count = hit->count;
        free(key);
        builder_free(&b);
        return 0;
    }
    if (run_count(s, &b, count) != 0) {
        free(key);
        return -1;
    }
    if (hit) {
        hit->version = version;
        hit->count = *count;
        free(key);
    } else if (key) {
        remember_count(s, key, version, *count);
    }
    return 0;
}

int store_position(struct store *s, const struct store_query *q, const struct store_anchor *anchor,
                   size_t *position)
{
    struct builder b = {.now = query_now(q)};

    if (q->sort >= STORE_SORT_COUNT)
        return store_fail(s, "unknown sort order");
    add(&b, "SELECT count(*) FROM tickets t");
    add_where(&b, q);
    /* Rows before it in the list: after it in the natural order if reversed. */
    add_keyset(&b, &sorts[q->sort], anchor, q->reverse);
    return run_count(s, &b, position);
}
