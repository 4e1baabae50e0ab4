/* views.c: the built-in views, the user's `view NAME = QUERY` config lines,
 * and the parser of the view query language (grammar in views.h).
 *
 * The parser is a small recursive descent over the query text:
 *     or    := and ("OR" and)*
 *     and   := unary (["AND"] unary)*
 *     unary := ("NOT" | "-") unary | "(" or ")" | term
 *     term  := FIELD (":" | "<" | "<=" | ">" | ">=") VALUE
 * It only builds a tree; store_query.c turns the tree into SQL. Errors carry
 * the 1-based column where the problem starts. */
#include "src/views.h"

#include "src/config.h"
#include "src/model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct parser {
    const char *text;
    const char *p;
    char *err;
    size_t errsize;
    size_t err_column;
    bool failed;
    int depth;
};

static struct view_expr *parse_or(struct parser *ps);

static size_t column_of(const struct parser *ps, const char *at)
{
    return (size_t)(at - ps->text) + 1;
}

static void *fail(struct parser *ps, const char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void *fail(struct parser *ps, const char *at, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    if (ps->failed)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps->failed = true;
    ps->err_column = column_of(ps, at);
    snprintf(ps->err, ps->errsize, "column %zu: %s", ps->err_column, msg);
    return NULL;
}

void view_expr_free(struct view_expr *e)
{
    if (!e)
        return;
    view_expr_free(e->left);
    view_expr_free(e->right);
    free(e->text);
    free(e);
}

static struct view_expr *node(struct parser *ps, enum view_node kind, struct view_expr *left,
                              struct view_expr *right)
{
    struct view_expr *e = calloc(1, sizeof *e);
    if (!e) {
        view_expr_free(left);
        view_expr_free(right);
        return fail(ps, ps->p, "out of memory");
    }
    e->node = kind;
    e->left = left;
    e->right = right;
    return e;
}

static void skip_space(struct parser *ps)
{
    while (isspace((unsigned char)*ps->p))
        ps->p++;
}

/* True if the bare word at ps->p is keyword (case-insensitive) followed by a
 * delimiter. */
static bool at_keyword(struct parser *ps, const char *keyword)
{
    size_t n = strlen(keyword);
    if (strncasecmp(ps->p, keyword, n) != 0)
        return false;
    char next = ps->p[n];
    return next == '\0' || isspace((unsigned char)next) || next == '(' || next == ')';
}

/* ---- Values ------------------------------------------------------------------- */

/* Reads a value: "quoted" (with \" and \\) or a bare run up to space or
 * parenthesis. Returns a malloc'd copy; *quoted says which. */
static char *read_value(struct parser *ps, bool *quoted)
{
    const char *start = ps->p;
    size_t cap = strlen(ps->p) + 1, n = 0;
    char *out = malloc(cap);

    if (!out)
        return fail(ps, start, "out of memory");
    *quoted = *ps->p == '"';
    if (*quoted) {
        for (ps->p++; *ps->p != '"'; ps->p++) {
            if (*ps->p == '\0') {
                free(out);
                return fail(ps, start, "unterminated quote");
            }
            if (*ps->p == '\\' && (ps->p[1] == '"' || ps->p[1] == '\\'))
                ps->p++;
            out[n++] = *ps->p;
        }
        ps->p++;
    } else {
        while (*ps->p && !isspace((unsigned char)*ps->p) && *ps->p != '(' && *ps->p != ')')
            out[n++] = *ps->p++;
    }
    out[n] = '\0';
    return out;
}

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static bool parse_day(const char *s, int64_t *ymd)
{
    int y, m, d, used = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || s[used] != '\0' || used != 10)
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970)
        return false;
    *ymd = (int64_t)y * 10000 + m * 100 + d;
    return true;
}

/* [+|-]N(h|d|w): an offset from now; unsigned means in the past. */
static bool parse_offset(const char *s, int64_t *seconds)
{
    int sign = -1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '+' ? 1 : -1;
    char *end;
    if (!isdigit((unsigned char)*s))
        return false;
    long long n = strtoll(s, &end, 10);
    int64_t unit = *end == 'h' ? 3600 : *end == 'd' ? 86400 : *end == 'w' ? 604800 : 0;
    if (!unit || end[1] != '\0' || n > 100000)
        return false;
    *seconds = sign * n * unit;
    return true;
}

static bool parse_date(struct view_expr *e, const char *s)
{
    fd_time t;
    if (strcasecmp(s, "now") == 0) {
        e->value = VIEW_VALUE_OFFSET;
        e->number = 0;
    } else if (strcasecmp(s, "yesterday") == 0) {
        e->value = VIEW_VALUE_DAY;
        e->number = -1;
    } else if (strcasecmp(s, "today") == 0) {
        e->value = VIEW_VALUE_DAY;
        e->number = 0;
    } else if (strcasecmp(s, "tomorrow") == 0) {
        e->value = VIEW_VALUE_DAY;
        e->number = 1;
    } else if (parse_day(s, &e->number)) {
        e->value = VIEW_VALUE_DATE_DAY;
    } else if (model_parse_time(s, &t) == 0) {
        e->value = VIEW_VALUE_INSTANT;
        e->number = t;
    } else if (parse_offset(s, &e->number)) {
        e->value = VIEW_VALUE_OFFSET;
    } else {
        return false;
    }
    return true;
}

static int word_index(const char *s, const char *const *words, int count)
{
    for (int i = 0; i < count; i++)
        if (strcasecmp(s, words[i]) == 0)
            return i;
    return -1;
}

static bool has_word_chars(const char *s)
{
    for (; *s; s++)
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return true;
    return false;
}

/* Interprets value for e->field; on error reports at `at`. */
static bool set_value(struct parser *ps, struct view_expr *e, char *value, bool quoted,
                      const char *at)
{
    static const char *const statuses[] = {"open", "pending", "resolved", "closed"};
    static const char *const priorities[] = {"low", "medium", "high", "urgent"};
    int i;

    if (!*value)
        return fail(ps, at, "missing value"), false;
    e->value = VIEW_VALUE_TEXT;
    switch (e->field) {
    case VIEW_FIELD_STATUS:
        if (!quoted && (i = word_index(value, statuses, 4)) >= 0) {
            e->value = VIEW_VALUE_NUMBER;
            e->number = FD_STATUS_OPEN + i;
        } else if (!quoted && strcasecmp(value, "unresolved") == 0) {
            e->value = VIEW_VALUE_UNRESOLVED;
        } else if (all_digits(value) && strlen(value) < 10) {
            e->value = VIEW_VALUE_NUMBER;
            e->number = atoi(value);
        }
        break;
    case VIEW_FIELD_PRIORITY:
        if ((i = word_index(value, priorities, 4)) >= 0)
            e->number = FD_PRIORITY_LOW + i;
        else if (strlen(value) == 1 && value[0] >= '1' && value[0] <= '4')
            e->number = value[0] - '0';
        else
            return fail(ps, at, "unknown priority '%s' (low, medium, high, urgent)", value), false;
        e->value = VIEW_VALUE_NUMBER;
        break;
    case VIEW_FIELD_AGENT:
    case VIEW_FIELD_GROUP:
    case VIEW_FIELD_TYPE:
        if (!quoted && e->field == VIEW_FIELD_AGENT && strcasecmp(value, "me") == 0)
            e->value = VIEW_VALUE_ME;
        else if (!quoted && strcasecmp(value, "none") == 0)
            e->value = VIEW_VALUE_NONE;
        break;
    case VIEW_FIELD_TEXT:
        if (!has_word_chars(value))
            return fail(ps, at, "text: needs a word to search for"), false;
        e->phrase = quoted;
        break;
    case VIEW_FIELD_DUE:
    case VIEW_FIELD_UPDATED:
    case VIEW_FIELD_CREATED:
        if (!parse_date(e, value))
            return fail(ps, at,
                        "bad date '%s' (use 2026-12-01, today, tomorrow, now, +3d, 7d, -2h)",
                        value),
                   false;
        break;
    case VIEW_FIELD_TAG:
    case VIEW_FIELD_COMPANY:
    case VIEW_FIELD_REQUESTER:
        break;
    }
    if (e->value == VIEW_VALUE_TEXT) {
        e->text = value;
        return true;
    }
    free(value);
    return true;
}

/* ---- Terms and expressions -------------------------------------------------- */

static const char *const field_names[] = {
    [VIEW_FIELD_STATUS] = "status",   [VIEW_FIELD_PRIORITY] = "priority",
    [VIEW_FIELD_AGENT] = "agent",     [VIEW_FIELD_GROUP] = "group",
    [VIEW_FIELD_TYPE] = "type",       [VIEW_FIELD_TAG] = "tag",
    [VIEW_FIELD_COMPANY] = "company", [VIEW_FIELD_REQUESTER] = "requester",
    [VIEW_FIELD_TEXT] = "text",       [VIEW_FIELD_DUE] = "due",
    [VIEW_FIELD_UPDATED] = "updated", [VIEW_FIELD_CREATED] = "created",
};
#define FIELD_COUNT ((int)(sizeof field_names / sizeof field_names[0]))

static bool read_op(struct parser *ps, enum view_op *op)
{
    switch (*ps->p) {
    case ':':
        *op = VIEW_OP_IS;
        break;
    case '<':
        *op = ps->p[1] == '=' ? VIEW_OP_LE : VIEW_OP_LT;
        break;
    case '>':
        *op = ps->p[1] == '=' ? VIEW_OP_GE : VIEW_OP_GT;
        break;
    default:
        return false;
    }
    ps->p += *op == VIEW_OP_LE || *op == VIEW_OP_GE ? 2 : 1;
    return true;
}

static struct view_expr *parse_term(struct parser *ps)
{
    const char *start = ps->p;
    while (isalpha((unsigned char)*ps->p))
        ps->p++;
    size_t len = (size_t)(ps->p - start);
    if (len == 0)
        return fail(ps, start, "expected a term like status:open, found '%.20s'", start);
    int field = -1;
    for (int i = 0; i < FIELD_COUNT; i++)
        if (strlen(field_names[i]) == len && strncasecmp(field_names[i], start, len) == 0)
            field = i;
    if (field < 0)
        return fail(ps, start,
                    "unknown field '%.*s' (status, priority, agent, group, type, tag, company, "
                    "requester, text, due, updated, created)",
                    (int)len, start);
    enum view_op op;
    const char *op_at = ps->p;
    if (!read_op(ps, &op))
        return fail(ps, op_at, "expected ':', '<' or '>' after '%.*s'", (int)len, start);
    bool ordered = field == VIEW_FIELD_PRIORITY || field == VIEW_FIELD_DUE ||
                   field == VIEW_FIELD_UPDATED || field == VIEW_FIELD_CREATED;
    if (op != VIEW_OP_IS && !ordered)
        return fail(ps, op_at, "'%s' can only be compared with ':'", field_names[field]);
    struct view_expr *e = node(ps, VIEW_NODE_TERM, NULL, NULL);
    if (!e)
        return NULL;
    e->field = (enum view_field)field;
    e->op = op;
    e->position = column_of(ps, start);
    const char *value_at = ps->p;
    bool quoted;
    char *value = read_value(ps, &quoted);
    if (!value || !set_value(ps, e, value, quoted, value_at)) {
        if (value && !e->text)
            free(value);
        view_expr_free(e);
        return NULL;
    }
    return e;
}

static struct view_expr *parse_unary(struct parser *ps)
{
    skip_space(ps);
    if (++ps->depth > 64)
        return fail(ps, ps->p, "query nested too deeply");
    struct view_expr *e;
    if (at_keyword(ps, "NOT") || *ps->p == '-') {
        ps->p += *ps->p == '-' ? 1 : 3;
        struct view_expr *inner = parse_unary(ps);
        e = inner ? node(ps, VIEW_NODE_NOT, inner, NULL) : NULL;
    } else if (*ps->p == '(') {
        const char *open = ps->p++;
        e = parse_or(ps);
        skip_space(ps);
        if (e && *ps->p != ')') {
            view_expr_free(e);
            e = fail(ps, open, "unmatched '('");
        } else if (e) {
            ps->p++;
        }
    } else if (*ps->p == '\0') {
        e = fail(ps, ps->p, "unexpected end of query");
    } else if (*ps->p == ')') {
        e = fail(ps, ps->p, "unexpected ')'");
    } else if (at_keyword(ps, "AND") || at_keyword(ps, "OR")) {
        e = fail(ps, ps->p, "'%s' needs a term before it", at_keyword(ps, "AND") ? "AND" : "OR");
    } else {
        e = parse_term(ps);
    }
    ps->depth--;
    return e;
}

static struct view_expr *parse_and(struct parser *ps)
{
    struct view_expr *left = parse_unary(ps);
    while (left) {
        skip_space(ps);
        if (*ps->p == '\0' || *ps->p == ')' || at_keyword(ps, "OR"))
            break;
        if (at_keyword(ps, "AND"))
            ps->p += 3;
        struct view_expr *right = parse_unary(ps);
        left = right ? node(ps, VIEW_NODE_AND, left, right) : (view_expr_free(left), NULL);
    }
    return left;
}

static struct view_expr *parse_or(struct parser *ps)
{
    struct view_expr *left = parse_and(ps);
    while (left) {
        skip_space(ps);
        if (!at_keyword(ps, "OR"))
            break;
        ps->p += 2;
        struct view_expr *right = parse_and(ps);
        left = right ? node(ps, VIEW_NODE_OR, left, right) : (view_expr_free(left), NULL);
    }
    return left;
}

struct view_expr *view_parse(const char *text, char *err, size_t errsize, size_t *column)
{
    char dummy[8];
    struct parser ps = {.text = text ? text : "",
                        .p = text ? text : "",
                        .err = err ? err : dummy,
                        .errsize = err ? errsize : sizeof dummy};

    skip_space(&ps);
    struct view_expr *e = *ps.p ? parse_or(&ps) : fail(&ps, ps.p, "empty query");
    if (e) {
        skip_space(&ps);
        if (*ps.p) {
            view_expr_free(e);
            e = fail(&ps, ps.p, *ps.p == ')' ? "unmatched ')'" : "unexpected '%.20s'", ps.p);
        }
    }
    if (column)
        *column = e ? 0 : ps.err_column;
    return e;
}

/* ---- The set of views --------------------------------------------------------- */

static const struct {
    const char *name, *title, *query;
} builtin_views[] = {
    {"all", "All unresolved", "status:unresolved"},
    {"mine", "Mine", "agent:me AND status:unresolved"},
    {"unassigned", "Unassigned", "agent:none AND status:unresolved"},
    {"overdue", "Overdue", "status:unresolved AND due<now"},
    {"due-today", "Due today", "status:unresolved AND due:today"},
    {"open", "Open", "status:open"},
    {"pending", "Pending", "status:pending"},
    {"new-and-my-open", "New & my open", "status:open AND (agent:none OR agent:me)"},
    {"recent", "Recently updated", "updated:1d"},
};

static void view_clear(struct view *v)
{
    free(v->name);
    free(v->title);
    free(v->query);
    view_expr_free(v->expr);
    memset(v, 0, sizeof *v);
}

void views_free(struct view_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        view_clear(&set->items[i]);
    free(set->items);
    set->items = NULL;
    set->count = 0;
}

const struct view *views_find(const struct view_set *set, const char *name)
{
    for (size_t i = 0; name && i < set->count; i++)
        if (strcasecmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

/* Adds (or, for an existing name, replaces) a view; takes ownership of expr. */
static int add_view(struct view_set *set, const char *name, const char *title, const char *query,
                    struct view_expr *expr, bool builtin)
{
    struct view *v = (struct view *)views_find(set, name);
    if (!v) {
        struct view *grown = realloc(set->items, (set->count + 1) * sizeof *grown);
        if (!grown) {
            view_expr_free(expr);
            return -1;
        }
        set->items = grown;
        v = &set->items[set->count++];
    } else {
        view_clear(v);
    }
    memset(v, 0, sizeof *v);
    v->name = strdup(name);
    v->title = strdup(title);
    v->query = strdup(query);
    v->expr = expr;
    v->builtin = builtin;
    return v->name && v->title && v->query ? 0 : -1;
}

static bool valid_name(const char *s, size_t len)
{
    if (len == 0 || len > 40)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return false;
    return true;
}

/* One `view NAME = QUERY` line. */
static int load_user_view(struct view_set *set, const struct fd_config_extra *x, char *err,
                          size_t errsize)
{
    const char *p = x->text + 4, *file = x->file ? x->file : "config";
    char msg[256];

    while (isspace((unsigned char)*p))
        p++;
    const char *name = p;
    while (*p && !isspace((unsigned char)*p) && *p != '=')
        p++;
    size_t name_len = (size_t)(p - name);
    while (isspace((unsigned char)*p))
        p++;
    if (!valid_name(name, name_len) || *p != '=') {
        snprintf(err, errsize,
                 "%s:%d: expected 'view NAME = QUERY' (NAME: letters, digits, '-' or '_')", file,
                 x->line);
        return -1;
    }
    const char *query = p + 1;
    while (isspace((unsigned char)*query))
        query++;
    char *vname = strndup(name, name_len);
    /* columns count from the start of the query text */
    struct view_expr *e = vname ? view_parse(query, msg, sizeof msg, NULL) : NULL;
    if (!e) {
        snprintf(err, errsize, "%s:%d: view '%s', %s", file, x->line, vname ? vname : "?",
                 vname ? msg : "out of memory");
        free(vname);
        return -1;
    }
    int rc = add_view(set, vname, vname, query, e, false);
    if (rc != 0)
        snprintf(err, errsize, "out of memory");
    free(vname);
    return rc;
}

int views_load(struct view_set *set, const struct fd_config *cfg, char *err, size_t errsize)
{
    char msg[256];

    memset(set, 0, sizeof *set);
    for (size_t i = 0; i < sizeof builtin_views / sizeof builtin_views[0]; i++) {
        struct view_expr *e = view_parse(builtin_views[i].query, msg, sizeof msg, NULL);
        if (!e || add_view(set, builtin_views[i].name, builtin_views[i].title,
                           builtin_views[i].query, e, true) != 0) {
            snprintf(err, errsize, "built-in view %s: %s", builtin_views[i].name,
                     e ? "out of memory" : msg);
            views_free(set);
            return -1;
        }
    }
    for (size_t i = 0; cfg && i < cfg->extra_count; i++) {
        const struct fd_config_extra *x = &cfg->extra[i];
        if (!x->text || strncmp(x->text, "view", 4) != 0 || !isspace((unsigned char)x->text[4]))
            continue;
        if (load_user_view(set, x, err, errsize) != 0) {
            views_free(set);
            return -1;
        }
    }
    return 0;
}
