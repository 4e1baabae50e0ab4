/* views.h: named ticket lists ("views") and the query language that defines
 * them.
 *
 * Built-in views (stable short names): all (all unresolved), mine,
 * unassigned, overdue, due-today, open, pending, new-and-my-open, recent.
 * Users add their own in the config file:
 *     view urgent-mine = agent:me AND priority:urgent
 *
 * Query language (case-insensitive keywords; AND binds tighter than OR;
 * juxtaposition means AND; '-' before a term means NOT):
 *     status:open|pending|resolved|closed|unresolved|<custom label>|<number>
 *     priority:low|medium|high|urgent|<1-4>   (also priority>=high etc.)
 *     agent:me|none|EMAIL|NAME      group:none|NAME     type:NAME
 *     tag:X   company:NAME   requester:NAME|EMAIL
 *     text:WORD  text:"a phrase"   (full-text, prefix match)
 *     due<DATE  due>DATE  due<=DATE  due>=DATE  due:DATE
 *     updated>DATE  updated:7d (within the last 7 days)  created...
 *     AND  OR  NOT  ( )
 * Values with spaces are quoted: group:"Second line". DATE is 2026-12-01,
 * 2026-12-01T10:00:00Z, now, today, tomorrow, yesterday, +3d, -2h, 1w (= 1
 * week ago). A day (2026-12-01, today) is the local calendar day: due<today is
 * before it starts, due<=today before it ends, due:today within it. An offset
 * with ':' (updated:7d, due:+3d) means between now and that point.
 *
 * Parsing only builds a tree (struct view_expr); the store compiles it into a
 * parameterised query (no user text is ever pasted into SQL) and resolves the
 * names (me, agent, group, custom statuses) against the cache at query time,
 * with "now" given by the caller so results are deterministic in tests. */
#ifndef FD_VIEWS_H
#define FD_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fd_config;

enum view_node {
    VIEW_NODE_AND,
    VIEW_NODE_OR,
    VIEW_NODE_NOT,
    VIEW_NODE_TERM,
};

enum view_field {
    VIEW_FIELD_STATUS,
    VIEW_FIELD_PRIORITY,
    VIEW_FIELD_AGENT,
    VIEW_FIELD_GROUP,
    VIEW_FIELD_TYPE,
    VIEW_FIELD_TAG,
    VIEW_FIELD_COMPANY,
    VIEW_FIELD_REQUESTER,
    VIEW_FIELD_TEXT,
    VIEW_FIELD_DUE,
    VIEW_FIELD_UPDATED,
    VIEW_FIELD_CREATED,
};

enum view_op { VIEW_OP_IS, VIEW_OP_LT, VIEW_OP_LE, VIEW_OP_GT, VIEW_OP_GE };

/* The kind of value a term carries. */
enum view_value {
    VIEW_VALUE_TEXT,       /* text: a name, email, label, tag or search words */
    VIEW_VALUE_NUMBER,     /* number: a status or priority id */
    VIEW_VALUE_ME,         /* agent:me */
    VIEW_VALUE_NONE,       /* agent:none, group:none */
    VIEW_VALUE_UNRESOLVED, /* status:unresolved (neither resolved nor closed) */
    VIEW_VALUE_DAY,        /* a calendar day: number = days from today (0 today) or, */
    VIEW_VALUE_DATE_DAY,   /*   an absolute local day: number = y*10000+m*100+d */
    VIEW_VALUE_INSTANT,    /* an absolute UTC time: number = epoch seconds */
    VIEW_VALUE_OFFSET,     /* now + number seconds (negative = in the past) */
};

struct view_expr {
    enum view_node node;
    struct view_expr *left;  /* AND, OR, NOT */
    struct view_expr *right; /* AND, OR */
    enum view_field field;   /* TERM */
    enum view_op op;
    enum view_value value;
    char *text;      /* VIEW_VALUE_TEXT */
    int64_t number;  /* see enum view_value */
    bool phrase;     /* text:"..." was quoted */
    size_t position; /* 1-based column of the term in the query, for messages */
};

/* Parses query text. Returns the tree, or NULL with a message like
 * "column 12: unknown field 'stauts'" in err (and the 1-based column in
 * *column if column is non-NULL). An empty query is an error. */
struct view_expr *view_parse(const char *text, char *err, size_t errsize, size_t *column);
void view_expr_free(struct view_expr *e);

struct view {
    char *name;  /* short name: "mine", "urgent-mine" */
    char *title; /* shown in the status bar: "Mine" (user views: the name) */
    char *query; /* the query text */
    struct view_expr *expr;
    bool builtin;
};

struct view_set {
    struct view *items; /* built-ins first, in the order listed above, then the user's */
    size_t count;
};

/* Builds the built-in views and adds the user's `view NAME = QUERY` lines
 * from cfg->extra (cfg may be NULL). A user view with a built-in's name
 * replaces it. On a bad line returns -1 with "FILE:LINE: column C: ..." in
 * err (the set is left empty). */
int views_load(struct view_set *set, const struct fd_config *cfg, char *err, size_t errsize);
/* Finds a view by short name (case-insensitive); NULL if none. */
const struct view *views_find(const struct view_set *set, const char *name);
void views_free(struct view_set *set);

#endif
