/* commands.c: the actions that belong to no single view (quit, help, views,
 * searches, sync, the command line) and the `:` command line, which accepts
 * every action name of the table plus a few commands with an argument:
 *     :view NAME   :search QUERY   :sort KEY   :quit   :NUMBER (go to ticket)
 * Preconditions are checked here in one place (a ticket must be selected). */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/act.h"
#include "ui/app.h"
#include "ui/picker.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void help_open(struct tui *t, enum fd_context ctx);
void tui_suspend(struct tui *t);

void commands_set_view(struct tui *t, size_t index)
{
    if (index >= t->views.count)
        return;
    t->view_index = index;
    list_requery(t);
    size_t pos, count;
    list_position(t, &pos, &count);
    tui_message(t, false, "%s: %zu tickets", t->views.items[index].title, count);
}

static void jump_to(struct tui *t, const char *text)
{
    char *end;
    long long id = strtoll(text, &end, 10);
    if (end == text || *end || id <= 0) {
        tui_message(t, true, "not a ticket number: %s", text);
        return;
    }
    if (list_select_id(t, (fd_id)id)) {
        if (t->mode != LAYOUT_LIST)
            detail_show(t, (fd_id)id);
        return;
    }
    /* Not in this view (or filtered out): show it in the detail anyway. */
    t->mode = LAYOUT_DETAIL;
    t->focus_detail = true;
    tui_relayout(t);
    detail_show(t, (fd_id)id);
}

static void server_search(struct tui *t, const char *query)
{
    struct fd_job job = {.kind = JOB_SEARCH, .priority = JOB_INTERACTIVE};
    if (!query || !*query) {
        tui_message(t, true, "search: give a Freshdesk query, e.g. :search \"priority:4\"");
        return;
    }
    snprintf(job.query, sizeof job.query, "%s", query);
    if (jobs_push(t->jobs, &job) != 0) {
        tui_message(t, true, "search: cannot queue the request");
        return;
    }
    tui_message(t, false, "searching Freshdesk for %s …", query);
}

static size_t view_count(struct tui *t, size_t index)
{
    struct store_query q = {.filter = t->views.items[index].expr, .sort = STORE_SORT_UPDATED};
    size_t n = 0;
    store_count(t->store, &q, &n);
    return n;
}

static void view_picked(struct tui *t, void *data, const struct picker_item *chosen,
                        const char *typed)
{
    (void)data;
    (void)typed;
    if (chosen)
        commands_set_view(t, (size_t)chosen->value);
}

/* The views with their counts in a picker (type to filter, Enter switches). */
static void pick_view(struct tui *t)
{
    struct picker_item *items = calloc(t->views.count ? t->views.count : 1, sizeof *items);
    if (!items)
        return;
    for (size_t i = 0; i < t->views.count; i++) {
        char detail[64];
        snprintf(detail, sizeof detail, "%zu tickets%s", view_count(t, i),
                 i == t->view_index ? " (shown)" : "");
        if (picker_item_set(&items[i], t->views.items[i].title, detail, (int64_t)i, NULL) != 0) {
            picker_items_free(items, i);
            return;
        }
    }
    struct picker_spec spec = {
        .title = "View", .items = items, .count = t->views.count, .done = view_picked};
    if (picker_open(t, &spec) != 0)
        tui_message(t, true, "cannot open the view picker");
}

/* Returns true when the action was one of the generic ones. */
static bool generic_action(struct tui *t, enum fd_action action)
{
    switch (action) {
    case FD_ACTION_QUIT:
        t->quit = true;
        return true;
    case FD_ACTION_HELP: {
        enum fd_context ctx =
            t->mode == LAYOUT_DETAIL || (t->mode == LAYOUT_SPLIT && t->focus_detail) ? FD_CTX_DETAIL
                                                                                     : FD_CTX_LIST;
        help_open(t, ctx);
        return true;
    }
    case FD_ACTION_COMMAND_LINE:
        prompt_open(t, PROMPT_COMMAND, "");
        return true;
    case FD_ACTION_REDRAW:
        t->need_clear = true;
        t->need_paint = true;
        return true;
    case FD_ACTION_SUSPEND:
        tui_suspend(t);
        return true;
    case FD_ACTION_SEARCH_LOCAL:
        prompt_open(t, PROMPT_SEARCH, list_search(t));
        return true;
    case FD_ACTION_SEARCH_SERVER:
        prompt_open(t, PROMPT_COMMAND, "search ");
        return true;
    case FD_ACTION_JUMP_TO_TICKET:
        prompt_open(t, PROMPT_JUMP, "");
        return true;
    case FD_ACTION_VIEW_NEXT:
        commands_set_view(t, (t->view_index + 1) % (t->views.count ? t->views.count : 1));
        return true;
    case FD_ACTION_VIEW_PREV:
        commands_set_view(t, (t->view_index + t->views.count - 1) %
                                 (t->views.count ? t->views.count : 1));
        return true;
    case FD_ACTION_VIEW_PICK:
        pick_view(t);
        return true;
    case FD_ACTION_SYNC_NOW:
        jobs_push_sync(t->jobs, false);
        t->sync_state.syncing = true;
        tui_message(t, false, "syncing…");
        return true;
    default:
        return false;
    }
}

/* Lists the views with their counts on the message line. */
static void list_views(struct tui *t)
{
    char buf[512] = "views:";
    size_t len = strlen(buf);
    for (size_t i = 0; i < t->views.count && len + 40 < sizeof buf; i++) {
        struct store_query q = {.filter = t->views.items[i].expr, .sort = STORE_SORT_UPDATED};
        size_t n = 0;
        store_count(t->store, &q, &n);
        len += (size_t)snprintf(buf + len, sizeof buf - len, " %s(%zu)", t->views.items[i].name, n);
    }
    tui_message(t, false, "%s", buf);
}

void commands_run(struct tui *t, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    char word[64];
    size_t n = strcspn(line, " \t");
    if (n == 0)
        return;
    snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), line);
    const char *arg = line + n;
    while (isspace((unsigned char)*arg))
        arg++;
    if (isdigit((unsigned char)word[0])) {
        jump_to(t, word);
    } else if (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0) {
        t->quit = true;
    } else if (strcmp(word, "view") == 0) {
        if (!*arg) {
            list_views(t);
            return;
        }
        for (size_t i = 0; i < t->views.count; i++)
            if (strcasecmp(t->views.items[i].name, arg) == 0) {
                commands_set_view(t, i);
                return;
            }
        tui_message(t, true, "no view called '%s' (:view lists them)", arg);
    } else if (strcmp(word, "search") == 0) {
        server_search(t, arg);
    } else if (strcmp(word, "sort") == 0) {
        int sort = store_sort_from_name(arg);
        if (sort < 0)
            tui_message(t, true, "sort by updated, created, due, priority or status");
        else
            list_set_sort(t, sort);
    } else {
        int action = action_from_name(word);
        if (action <= 0)
            tui_message(t, true, "unknown command or action '%s' (? lists them)", word);
        else
            tui_dispatch(t, (enum fd_action)action);
    }
}

/* Called by the loop when no view handled an action. Returns true if done. */
bool commands_generic(struct tui *t, enum fd_action action);
bool commands_generic(struct tui *t, enum fd_action action)
{
    if (generic_action(t, action) || act_dispatch(t, action)) {
        t->need_paint = true;
        return true;
    }
    return false;
}
