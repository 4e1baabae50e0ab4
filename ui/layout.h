/* layout.h: where everything goes on the screen, as pure geometry.
 *
 * No curses here, so the arithmetic is unit-tested (tests/ui/test_layout.c).
 * The screen, top to bottom:
 *     list header (column titles)           1 row
 *     list rows                             the rest, or index_lines in split
 *     detail bar (which ticket is shown)    1 row  \ split and full detail
 *     detail body                           rest   /
 *     status bar                            1 row
 *     message line                          1 row
 * In full-screen detail the list and its header are hidden. Below
 * LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS the layout is "too small" and the UI only
 * says so. */
#ifndef FD_UI_LAYOUT_H
#define FD_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 12

enum layout_mode {
    LAYOUT_LIST,   /* the list fills the screen */
    LAYOUT_SPLIT,  /* list above, the selected ticket below */
    LAYOUT_DETAIL, /* the ticket fills the screen */
};

struct rect {
    int y, x, h, w; /* h == 0: not shown */
};

struct layout {
    int rows, cols;
    bool too_small;
    struct rect list_header;
    struct rect list;
    struct rect detail_bar;
    struct rect detail;
    struct rect status;
    struct rect message;
};

/* Computes the layout for a rows x cols screen. index_lines is the number of
 * list rows kept above the detail in split mode (0 = about a third of the
 * screen); it is clamped so the detail keeps at least 3 rows. */
void layout_compute(struct layout *l, int rows, int cols, enum layout_mode mode, int index_lines);

/* ---- list columns ---- */

enum layout_column_id {
    COLUMN_ID,
    COLUMN_STATUS,
    COLUMN_PRIORITY,
    COLUMN_SLA,
    COLUMN_REQUESTER,
    COLUMN_COMPANY,
    COLUMN_AGENT,
    COLUMN_GROUP,
    COLUMN_UPDATED,
    COLUMN_CREATED,
    COLUMN_SUBJECT,
    COLUMN_COUNT
};

struct layout_column {
    enum layout_column_id id;
    int width; /* requested width; the subject's is a minimum (it takes the rest) */
    int x;     /* filled by layout_columns */
    int shown; /* filled by layout_columns: width on screen, 0 = dropped */
};

#define LAYOUT_MAX_COLUMNS     16
#define LAYOUT_DEFAULT_COLUMNS "id,status,priority,sla,requester,company,agent,updated,subject"

/* Column name ("id", "sla" ...) and its title ("#", "SLA" ...). */
const char *layout_column_name(enum layout_column_id id);
const char *layout_column_title(enum layout_column_id id);

/* Parses a column spec like "id,status,requester:20,subject" (NULL or "" =
 * LAYOUT_DEFAULT_COLUMNS). The subject is always present (appended if
 * missing). Returns the number of columns, or -1 with a message in err naming
 * the bad column. */
int layout_parse_columns(const char *spec, struct layout_column *out, size_t max, char *err,
                         size_t errsize);

/* Places the columns in cols screen columns starting at x0, one space between
 * them; the subject takes the rest. When the screen is too narrow, columns are
 * dropped, least useful first (group, company, created, agent, updated,
 * requester, priority, status, SLA; never id or subject), until the subject
 * has at least 20 columns (or its own width, if smaller). */
void layout_columns(struct layout_column *columns, size_t count, int x0, int cols);

#endif
