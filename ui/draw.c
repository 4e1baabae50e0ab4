/* draw.c: drawing primitives and the colour theme (see draw.h). The width
 * reconciliation lives here: text.h measures graphemes with utf8proc, curses
 * advances its cursor with the C library's wcwidth(), and the two disagree
 * for newer emoji and emoji sequences. A grapheme whose curses width differs
 * is drawn as something both agree on, so curses' idea of the screen and the
 * terminal's never drift apart. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/draw.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static bool draw_color;

static const struct {
    short fg, bg;
    attr_t color_attr; /* added to the colour pair */
    attr_t mono_attr;  /* used alone without colours */
} theme[UI_COLOR_COUNT] = {
    [UI_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_HEADER] = {-1, -1, A_BOLD | A_UNDERLINE, A_BOLD | A_UNDERLINE},
    [UI_SELECTED] = {-1, -1, A_REVERSE | A_BOLD, A_REVERSE | A_BOLD},
    /* Reverse video rather than black on cyan: the bar changes on every key
     * (the position), and leaving a colour pair at the end of a frame costs
     * a colour reset on top of the attribute reset (14 bytes, not 6). */
    [UI_STATUSBAR] = {-1, -1, A_REVERSE, A_REVERSE},
    [UI_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    /* List cells use colour alone (no bold or dim): switching a colour off
     * costs a few bytes, switching an attribute off costs a full reset. */
    [UI_URGENT] = {COLOR_RED, -1, A_NORMAL, A_BOLD},
    [UI_HIGH] = {COLOR_YELLOW, -1, A_NORMAL, A_BOLD},
    [UI_LOW] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_OVERDUE] = {COLOR_RED, -1, A_NORMAL, A_UNDERLINE},
    [UI_STATUS_OPEN] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [UI_STATUS_PENDING] = {COLOR_BLUE, -1, A_NORMAL, A_NORMAL},
    [UI_STATUS_DONE] = {COLOR_WHITE, -1, A_NORMAL, A_NORMAL},
    [UI_CUSTOMER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [UI_AGENT] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [UI_NOTE] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE},
    [UI_DIM] = {-1, -1, A_DIM, A_NORMAL},
    [UI_BOLD] = {-1, -1, A_BOLD, A_BOLD},
};

void draw_init_colors(bool *color_out)
{
    const char *no_color = getenv("NO_COLOR");
    draw_color = !(no_color && *no_color) && has_colors();
    if (draw_color) {
        start_color();
        use_default_colors();
        for (int i = 1; i < UI_COLOR_COUNT; i++)
            init_pair((short)i, theme[i].fg, theme[i].bg);
        /* Normal text is a pair of its own (default on default): going back
         * to normal after a coloured cell is then a colour change (a few
         * bytes), not an attribute reset plus colours. The window background
         * stays pair 0 on purpose, and blanks are drawn (draw_clear_to_eol)
         * rather than cleared: the line a hardware scroll brings in is made
         * of background blanks, and ncurses can tell that they equal
         * pair-0 blanks but not blanks of a background pair (its blank lacks
         * the extended pair), so with one it rewrites every blank of the new
         * row instead of skipping runs of them. */
        init_pair(UI_COLOR_COUNT, -1, -1);
    }
    if (color_out)
        *color_out = draw_color;
}

void draw_set(enum ui_color c)
{
    if (draw_color && c != UI_NORMAL && theme[c].fg == -1 && theme[c].bg == -1 &&
        theme[c].color_attr != A_NORMAL)
        attr_set(theme[c].color_attr, 0, NULL); /* attributes alone: no pair to reset */
    else if (draw_color && c != UI_NORMAL)
        attr_set(theme[c].color_attr, (short)c, NULL);
    else if (draw_color)
        attr_set(A_NORMAL, (short)UI_COLOR_COUNT, NULL);
    else
        attr_set(theme[c].mono_attr, 0, NULL);
}

void draw_set_plain(void)
{
    attr_set(A_NORMAL, 0, NULL);
}

void draw_set_blank_after(enum ui_color c)
{
    if (draw_color && theme[c].bg == -1 && theme[c].color_attr == A_NORMAL)
        draw_set(c);
    else
        draw_set(UI_NORMAL);
}

/* Appends the wide characters of one grapheme to out as curses should draw
 * them in exactly g->width columns. Returns the new length. */
static size_t put_grapheme(const char *s, const struct text_grapheme *g, wchar_t *out, size_t n)
{
    wchar_t wc[16];
    size_t count = 0;
    int curses_width = 0;
    bool ok = !g->invalid;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    for (size_t pos = 0; ok && pos < g->len && count < 16;) {
        size_t r = mbrtowc(&wc[count], s + g->offset + pos, g->len - pos, &st);
        if (r == 0 || r == (size_t)-1 || r == (size_t)-2) {
            ok = false;
            break;
        }
        int w = wcwidth(wc[count]);
        if (w < 0)
            ok = false;
        curses_width += w;
        count++;
        pos += r;
    }
    if (g->width <= 0)
        return n; /* nothing visible on its own */
    if (ok && curses_width == g->width) {
        memcpy(out + n, wc, count * sizeof *wc);
        return n + count;
    }
    if (ok && count > 0 && wcwidth(wc[0]) == g->width) {
        out[n++] = wc[0]; /* an emoji sequence: its first emoji */
        return n;
    }
    out[n++] = 0xFFFD;
    for (int i = 1; i < g->width; i++)
        out[n++] = L' ';
    return n;
}

void draw_clean(int y, int x, int width, const char *text)
{
    if (width <= 0)
        return;
    char *fitted = text_fit(text ? text : "", width, TEXT_ALIGN_LEFT);
    if (!fitted)
        return;
    size_t len = strlen(fitted), pos = 0, n = 0;
    wchar_t *buf = malloc((len + (size_t)width + 1) * sizeof *buf);
    if (!buf) {
        free(fitted);
        return;
    }
    struct text_grapheme g;
    while (text_next_grapheme(fitted, len, &pos, &g))
        n = put_grapheme(fitted, &g, buf, n);
    buf[n] = L'\0';
    mvaddnwstr(y, x, buf, (int)n);
    free(buf);
    free(fitted);
}

void draw_text(int y, int x, int width, const char *text, enum text_align align)
{
    if (width <= 0)
        return;
    char *clean = text_sanitize(text, (size_t)-1, TEXT_SINGLE_LINE);
    if (!clean)
        return;
    if (align == TEXT_ALIGN_RIGHT) {
        char *fitted = text_fit(clean, width, TEXT_ALIGN_RIGHT);
        draw_clean(y, x, width, fitted ? fitted : "");
        free(fitted);
    } else {
        draw_clean(y, x, width, clean);
    }
    free(clean);
}

void draw_clear_to_eol(int y, int x)
{
    draw_set(UI_NORMAL);
    if (x < COLS)
        mvhline(y, x, ' ', COLS - x); /* blanks in the normal pair: see draw_init_colors */
}

void draw_blank(int y, int x, int h, int w)
{
    draw_set(UI_NORMAL);
    for (int r = 0; r < h; r++)
        mvhline(y + r, x, ' ', w);
}
