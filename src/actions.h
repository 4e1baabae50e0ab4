/* actions.h: the ONE action table (src/actions.def) as C.
 *
 * Each user-facing action is declared once, with its name, the contexts it
 * makes sense in and a help line. From it come: enum fd_action, the keymap
 * parser's action names, the `?` help screen, `fdesk --list-actions`, the
 * `:` command line and the action list in fdesk.conf(5) (a test checks the
 * man page against `fdesk --list-actions --format man`). */
#ifndef FD_ACTIONS_H
#define FD_ACTIONS_H

#include <stdbool.h>
#include <stdio.h>

/* The places where keys are interpreted. A key looked up in one of them
 * falls back to FD_CTX_GENERIC (see keymap_lookup). */
enum fd_context {
    FD_CTX_GENERIC,
    FD_CTX_LIST,
    FD_CTX_DETAIL,
    FD_CTX_EDITOR,
    FD_CTX_PROMPT,
    FD_CTX_PICKER,
    FD_CTX_REVIEW, /* the review screen before sending a reply or note */
    FD_CTX_COUNT
};

/* Context sets, as used in actions.def. */
#define FD_CTXB_GENERIC (1u << FD_CTX_GENERIC)
#define FD_CTXB_LIST    (1u << FD_CTX_LIST)
#define FD_CTXB_DETAIL  (1u << FD_CTX_DETAIL)
#define FD_CTXB_EDITOR  (1u << FD_CTX_EDITOR)
#define FD_CTXB_PROMPT  (1u << FD_CTX_PROMPT)
#define FD_CTXB_PICKER  (1u << FD_CTX_PICKER)
#define FD_CTXB_REVIEW  (1u << FD_CTX_REVIEW)
/* list + detail: the places where a ticket is selected or open */
#define FD_CTXB_TICKET (FD_CTXB_LIST | FD_CTXB_DETAIL)

enum fd_action {
    FD_ACTION_NONE = 0, /* "none": explicitly bound to nothing (blocks the generic fallback) */
#define ACTION(id, name, contexts, help) FD_ACTION_##id,
#include "src/actions.def"
#undef ACTION
    FD_ACTION_COUNT
};

/* "quit", "move-down" ...; "none" for FD_ACTION_NONE; NULL when out of range. */
const char *action_name(enum fd_action action);
/* One-line help text; "" for FD_ACTION_NONE; NULL when out of range. */
const char *action_help(enum fd_action action);
/* Set of FD_CTXB_* bits where the action applies; 0 when out of range. */
unsigned action_contexts(enum fd_action action);
/* True when the action applies in ctx (generic actions apply everywhere). */
bool action_in_context(enum fd_action action, enum fd_context ctx);
/* The action called name ("none" gives FD_ACTION_NONE); -1 when unknown. */
int action_from_name(const char *name);

/* "generic", "list", "detail", "editor", "prompt", "picker", "review";
 * NULL out of range. */
const char *action_context_name(enum fd_context ctx);
/* The context called name; -1 when unknown. */
int action_context_from_name(const char *name);
/* Writes the names of the contexts in the set, separated by ',' ("list,detail"). */
void action_contexts_string(unsigned contexts, char *buf, size_t size);

enum action_list_format {
    ACTION_LIST_TEXT, /* "NAME<TAB>CONTEXTS<TAB>HELP" lines, for fdesk --list-actions */
    ACTION_LIST_MAN,  /* the man page's block (.TP entries), for fdesk.conf(5) */
};
/* Prints every action of the table in declaration order. */
void action_print_list(FILE *out, enum action_list_format format);

#endif
