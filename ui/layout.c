/* layout.c: screen geometry and list column placement (see layout.h). Pure
 * arithmetic with no curses, so the UI's shape is tested without a terminal. */
#include "ui/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct rect rect_make(int y, int x, int h, int w)
{
    struct rect r = {y, x, h > 0 ? h : 0, w > 0 ? w : 0};
    return r;
}

void layout_compute(struct layout *l, int rows, int cols, enum layout_mode mode, int index_lines)
{
    memset(l, 0, sizeof *l);
    l->rows = rows;
    l->cols = cols;
    l->too_small = rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS;
    if (l->too_small)
        return;
    l->status = rect_make(rows - 2, 0, 1, cols);
    l->message = rect_make(rows - 1, 0, 1, cols);
    int body = rows - 2; /* rows 0 .. body-1 */
    switch (mode) {
    case LAYOUT_LIST:
        l->list_header = rect_make(0, 0, 1, cols);
        l->list = rect_make(1, 0, body - 1, cols);
        break;
    case LAYOUT_DETAIL:
        l->detail_bar = rect_make(0, 0, 1, cols);
        l->detail = rect_make(1, 0, body - 1, cols);
        break;
    case LAYOUT_SPLIT: {
        int avail = body - 2; /* minus list header and detail bar */
        int list = index_lines > 0 ? index_lines : avail / 3;
        if (list < 3)
            list = 3;
        if (list > avail - 3)
            list = avail - 3;
        l->list_header = rect_make(0, 0, 1, cols);
        l->list = rect_make(1, 0, list, cols);
        l->detail_bar = rect_make(1 + list, 0, 1, cols);
        l->detail = rect_make(2 + list, 0, body - 2 - list, cols);
        break;
    }
    }
}

static const struct {
    const char *name;
    const char *title;
    int width;
} column_info[COLUMN_COUNT] = {
    [COLUMN_ID] = {"id", "#", 6},
    [COLUMN_STATUS] = {"status", "Status", 7},
    [COLUMN_PRIORITY] = {"priority", "Prio", 6},
    [COLUMN_SLA] = {"sla", "SLA", 12},
    [COLUMN_REQUESTER] = {"requester", "Requester", 14},
    [COLUMN_COMPANY] = {"company", "Company", 14},
    [COLUMN_AGENT] = {"agent", "Agent", 12},
    [COLUMN_GROUP] = {"group", "Group", 12},
    [COLUMN_UPDATED] = {"updated", "Updated", 7},
    [COLUMN_CREATED] = {"created", "Created", 7},
    [COLUMN_SUBJECT] = {"subject", "Subject", 30},
};

const char *layout_column_name(enum layout_column_id id)
{
    return id < COLUMN_COUNT ? column_info[id].name : NULL;
}

const char *layout_column_title(enum layout_column_id id)
{
    return id < COLUMN_COUNT ? column_info[id].title : NULL;
}

static int column_from_name(const char *name, size_t len)
{
    for (int i = 0; i < COLUMN_COUNT; i++)
        if (strlen(column_info[i].name) == len && strncasecmp(column_info[i].name, name, len) == 0)
            return i;
    return -1;
}

/* One "name" or "name:width" item; returns 0 or -1 with err set. */
static int parse_column(const char *item, size_t len, struct layout_column *out, char *err,
                        size_t errsize)
{
    const char *colon = memchr(item, ':', len);
    size_t name_len = colon ? (size_t)(colon - item) : len;
    int id = column_from_name(item, name_len);
    if (id < 0) {
        snprintf(err, errsize, "unknown column '%.*s'", (int)name_len, item);
        return -1;
    }
    out->id = (enum layout_column_id)id;
    out->width = column_info[id].width;
    if (colon) {
        char *end;
        long w = strtol(colon + 1, &end, 10);
        if (end != item + len || w < 1 || w > 200) {
            snprintf(err, errsize, "bad width in column '%.*s'", (int)len, item);
            return -1;
        }
        out->width = (int)w;
    }
    return 0;
}

int layout_parse_columns(const char *spec, struct layout_column *out, size_t max, char *err,
                         size_t errsize)
{
    size_t n = 0;
    bool subject = false;
    if (!spec || !*spec)
        spec = LAYOUT_DEFAULT_COLUMNS;
    while (*spec) {
        spec += strspn(spec, " ,");
        size_t len = strcspn(spec, ",");
        while (len > 0 && spec[len - 1] == ' ')
            len--;
        if (len == 0)
            break;
        if (n + 1 >= max) {
            snprintf(err, errsize, "too many columns");
            return -1;
        }
        if (parse_column(spec, len, &out[n], err, errsize) != 0)
            return -1;
        subject |= out[n].id == COLUMN_SUBJECT;
        n++;
        spec += len;
    }
    if (!subject)
        out[n++] = (struct layout_column){.id = COLUMN_SUBJECT, .width = 30};
    return (int)n;
}

void layout_columns(struct layout_column *columns, size_t count, int x0, int cols)
{
    const int min_subject = 20;
    for (size_t i = 0; i < count; i++)
        columns[i].shown = columns[i].width;
    for (;;) {
        int used = 0, subject_min = 0;
        for (size_t i = 0; i < count; i++) {
            if (!columns[i].shown)
                continue;
            if (columns[i].id == COLUMN_SUBJECT)
                subject_min = columns[i].width > min_subject ? min_subject : columns[i].width;
            else
                used += columns[i].shown + 1;
        }
        if (used + subject_min <= cols)
            break;
        /* Drop the least useful column still shown. */
        static const enum layout_column_id drop_order[] = {
            COLUMN_GROUP,     COLUMN_COMPANY,  COLUMN_CREATED, COLUMN_AGENT, COLUMN_UPDATED,
            COLUMN_REQUESTER, COLUMN_PRIORITY, COLUMN_STATUS,  COLUMN_SLA,
        };
        size_t drop = count;
        for (size_t k = 0; k < sizeof drop_order / sizeof drop_order[0] && drop == count; k++)
            for (size_t i = count; i-- > 0;)
                if (columns[i].shown && columns[i].id == drop_order[k]) {
                    drop = i;
                    break;
                }
        if (drop == count)
            break;
        columns[drop].shown = 0;
    }
    int x = x0, end = x0 + cols;
    for (size_t i = 0; i < count; i++) {
        columns[i].x = x;
        if (!columns[i].shown)
            continue;
        if (columns[i].id == COLUMN_SUBJECT) {
            int rest = 0;
            for (size_t j = i + 1; j < count; j++)
                if (columns[j].shown)
                    rest += columns[j].shown + 1;
            columns[i].shown = end - x - rest;
            if (columns[i].shown < 1)
                columns[i].shown = 1;
        } else if (x + columns[i].shown > end) {
            columns[i].shown = end - x > 0 ? end - x : 0;
        }
        x += columns[i].shown + 1;
    }
}
