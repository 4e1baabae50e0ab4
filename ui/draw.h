/* draw.h: the drawing primitives every view uses, and the colour theme.
 *
 * Every string that came from the server goes through draw_text(), which runs
 * it through the one sanitiser (text_sanitize, single-line mode), fits it to
 * an exact display width measured by grapheme (text.h, utf8proc), and hands
 * curses only characters whose width curses agrees with — so a column never
 * shifts, a wide character is never split and no control sequence from ticket
 * data reaches the terminal. */
#ifndef FD_UI_DRAW_H
#define FD_UI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "src/text.h"

enum ui_color {
    UI_NORMAL,
    UI_HEADER,   /* column titles */
    UI_SELECTED, /* the selection marker and id */
    UI_STATUSBAR,
    UI_ERROR,
    UI_URGENT,
    UI_HIGH,
    UI_LOW,
    UI_OVERDUE,
    UI_STATUS_OPEN,
    UI_STATUS_PENDING,
    UI_STATUS_DONE, /* resolved, closed */
    UI_CUSTOMER,    /* a customer's message in the detail */
    UI_AGENT,       /* an agent's public reply */
    UI_NOTE,        /* a private note */
    UI_DIM,         /* folded text, hints */
    UI_BOLD,
    UI_COLOR_COUNT
};

/* Sets up colours: none when NO_COLOR is set or the terminal has none
 * (monochrome attributes only). Call after initscr. */
void draw_init_colors(bool *color_out);

/* Sets stdscr's attributes for a theme element. */
void draw_set(enum ui_color c);

/* No attributes, colour pair 0: what curses resets to at the end of every
 * frame. Text that changes often and is drawn last in a frame (the status
 * bar's position) costs no attribute change after it this way. */
void draw_set_plain(void);

/* Sets the attributes for a blank drawn right after a cell in colour c: c
 * itself when c is a foreground colour alone (a blank looks the same in any
 * foreground colour, and keeping it saves switching back and forth between
 * two coloured cells), else normal. */
void draw_set_blank_after(enum ui_color c);

/* Draws untrusted text at (y, x) fitted to exactly width columns (truncated
 * with "…", padded with spaces). */
void draw_text(int y, int x, int width, const char *text, enum text_align align);

/* Draws already-clean text (from text.h's wrap or our own formats) fitted to
 * width, without sanitising again. */
void draw_clean(int y, int x, int width, const char *text);

/* Clears from (y, x) to the end of the row with the normal attributes. */
void draw_clear_to_eol(int y, int x);

/* Fills rows [y, y+h) x [x, x+w) with blanks. */
void draw_blank(int y, int x, int h, int w);

#endif
