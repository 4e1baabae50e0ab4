/* actions.c: lookups over the action table (src/actions.def): names, help
 * text and contexts, and the printed list behind `fdesk --list-actions` and
 * the action list of fdesk.conf(5). */
#include "src/actions.h"

#include <string.h>

struct action_info {
    const char *name;
    unsigned contexts;
    const char *help;
};

static const struct action_info actions[FD_ACTION_COUNT] = {
    [FD_ACTION_NONE] = {"none", 0, ""},
#define ACTION(id, name, contexts, help) [FD_ACTION_##id] = {name, contexts, help},
#include "src/actions.def"
#undef ACTION
};

static const char *const context_names[FD_CTX_COUNT] = {
    [FD_CTX_GENERIC] = "generic", [FD_CTX_LIST] = "list",     [FD_CTX_DETAIL] = "detail",
    [FD_CTX_EDITOR] = "editor",   [FD_CTX_PROMPT] = "prompt", [FD_CTX_PICKER] = "picker",
    [FD_CTX_REVIEW] = "review",
};

const char *action_name(enum fd_action action)
{
    if ((unsigned)action >= FD_ACTION_COUNT)
        return NULL;
    return actions[action].name;
}

const char *action_help(enum fd_action action)
{
    if ((unsigned)action >= FD_ACTION_COUNT)
        return NULL;
    return actions[action].help;
}

unsigned action_contexts(enum fd_action action)
{
    if ((unsigned)action >= FD_ACTION_COUNT)
        return 0;
    return actions[action].contexts;
}

bool action_in_context(enum fd_action action, enum fd_context ctx)
{
    unsigned set = action_contexts(action);

    if ((unsigned)ctx >= FD_CTX_COUNT)
        return false;
    return (set & FD_CTXB_GENERIC) || (set & (1u << ctx));
}

int action_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < FD_ACTION_COUNT; i++)
        if (strcmp(actions[i].name, name) == 0)
            return i;
    return -1;
}

const char *action_context_name(enum fd_context ctx)
{
    if ((unsigned)ctx >= FD_CTX_COUNT)
        return NULL;
    return context_names[ctx];
}

int action_context_from_name(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < FD_CTX_COUNT; i++)
        if (strcmp(context_names[i], name) == 0)
            return i;
    return -1;
}

void action_contexts_string(unsigned contexts, char *buf, size_t size)
{
    size_t used = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (int i = 0; i < FD_CTX_COUNT; i++) {
        if (!(contexts & (1u << i)))
            continue;
        size_t need = strlen(context_names[i]) + (used ? 1 : 0);
        if (used + need >= size)
            break;
        if (used)
            buf[used++] = ',';
        strcpy(buf + used, context_names[i]);
        used += strlen(context_names[i]);
    }
}

/* The man page escapes: a leading '.' or '\'' and every backslash. */
static void print_man_text(FILE *out, const char *text)
{
    if (text[0] == '.' || text[0] == '\'')
        fputs("\\&", out);
    for (const char *p = text; *p; p++) {
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
    }
}

void action_print_list(FILE *out, enum action_list_format format)
{
    char ctx[128];

    for (int i = 1; i < FD_ACTION_COUNT; i++) {
        action_contexts_string(actions[i].contexts, ctx, sizeof ctx);
        if (format == ACTION_LIST_TEXT) {
            fprintf(out, "%s\t%s\t%s\n", actions[i].name, ctx, actions[i].help);
            continue;
        }
        fputs(".TP\n.B ", out);
        print_man_text(out, actions[i].name);
        fputs("\n(", out);
        print_man_text(out, ctx);
        fputs(")\n", out);
        print_man_text(out, actions[i].help);
        fputc('\n', out);
    }
}
