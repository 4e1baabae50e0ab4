/* picker.c: the fuzzy picker (see picker.h). It keeps every item and an
 * index of the ones matching what was typed, sorted by score (a stable sort,
 * so equal scores keep the order the caller gave: most used tags first,
 * names alphabetically). It draws as a box over the lower part of the screen
 * and never blocks: choosing calls the caller's done() and closes. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/picker.h"
#include "ui/act.h"
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/canned.h"
#include "src/text.h"

struct picker {
    struct picker_spec spec;
    char title[256];
    char typed[512];
    size_t typed_len;
    size_t *match; /* indexes into spec.items, best first */
    int *score;
    size_t match_count;
    size_t sel, top;
    bool moved; /* the agent chose an item with the keys (free text: else the typed text) */
    int height; /* item rows drawn last time */
};

int picker_item_set(struct picker_item *it, const char *label, const char *detail, int64_t value,
                    const char *text)
{
    memset(it, 0, sizeof *it);
    it->label = strdup(label ? label : "");
    it->detail = detail ? strdup(detail) : NULL;
    it->text = text ? strdup(text) : NULL;
    it->value = value;
    if (!it->label || (detail && !it->detail) || (text && !it->text))
        return -1;
    return 0;
}

void picker_items_free(struct picker_item *items, size_t count)
{
    for (size_t i = 0; items && i < count; i++) {
        free(items[i].label);
        free(items[i].detail);
        free(items[i].text);
    }
    free(items);
}

/* The part of the typed text that is matched (a leading '-' or '+' says
 * what to do with a tag, it is not part of the name). */
static const char *pattern_of(const struct picker *p)
{
    const char *s = p->typed;
    if (p->spec.refill && (*s == '-' || *s == '+'))
        s++;
    return s;
}

static void refilter(struct tui *t, struct picker *p)
{
    if (p->spec.refill) {
        size_t n = 0;
        struct picker_item *items = p->spec.refill(t, p->spec.data, p->typed, &n);
        picker_items_free(p->spec.items, p->spec.count);
        p->spec.items = items;
        p->spec.count = items ? n : 0;
    }
    free(p->match);
    free(p->score);
    p->match = calloc(p->spec.count + 1, sizeof *p->match);
    p->score = calloc(p->spec.count + 1, sizeof *p->score);
    p->match_count = 0;
    if (!p->match || !p->score)
        return;
    const char *pat = pattern_of(p);
    for (size_t i = 0; i < p->spec.count; i++) {
        int sc = canned_fuzzy_score(pat, p->spec.items[i].label);
        if (sc < 0)
            continue;
        /* insertion sort, stable: fine for the few hundred items of a picker */
        size_t j = p->match_count++;
        while (j > 0 && p->score[j - 1] < sc) {
            p->match[j] = p->match[j - 1];
            p->score[j] = p->score[j - 1];
            j--;
        }
        p->match[j] = i;
        p->score[j] = sc;
    }
    p->sel = 0;
    p->top = 0;
    p->moved = false;
}

static void finish(struct tui *t, struct ui_view *v, bool accepted)
{
    struct picker *p = v->data;
    picker_done_fn done = p->spec.done;
    void *data = p->spec.data;
    struct picker_item chosen = {0};
    bool have = false;
    char typed[sizeof p->typed];
    snprintf(typed, sizeof typed, "%s", p->typed);
    const struct picker_item *it = p->match_count ? &p->spec.items[p->match[p->sel]] : NULL;
    /* With free text, Enter takes what was typed unless an item was chosen
     * with the keys or is exactly what was typed. */
    if (it && p->spec.free_text && !p->moved && strcmp(it->label, pattern_of(p)) != 0)
        it = NULL;
    if (accepted && !it && !p->spec.free_text)
        return; /* nothing to choose: stay open */
    if (accepted && it)
        have = picker_item_set(&chosen, it->label, it->detail, it->value, it->text) == 0;
    /* The caller's data must outlive the pop: take it over. */
    p->spec.free_data = NULL;
    act_pop(t);
    if (done)
        done(t, data, have ? &chosen : NULL, accepted ? typed : NULL);
    if (have) {
        free(chosen.label);
        free(chosen.detail);
        free(chosen.text);
    }
}

static int picker_handle(struct ui_view *v, struct tui *t, enum fd_action action)
{
    struct picker *p = v->data;
    size_t page = p->height > 1 ? (size_t)p->height : 1;
    switch (action) {
    case FD_ACTION_ACCEPT:
        finish(t, v, true);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_CANCEL:
    case FD_ACTION_BACK:
        finish(t, v, false);
        return VIEW_HANDLED | VIEW_REDRAW;
    case FD_ACTION_NEXT:
    case FD_ACTION_MOVE_DOWN:
        if (p->sel + 1 < p->match_count)
            p->sel++;
        break;
    case FD_ACTION_PREV:
    case FD_ACTION_MOVE_UP:
        if (p->sel > 0)
            p->sel--;
        break;
    case FD_ACTION_PAGE_DOWN:
        p->sel = p->sel + page < p->match_count ? p->sel + page
                                                : (p->match_count ? p->match_count - 1 : 0);
        break;
    case FD_ACTION_PAGE_UP:
        p->sel = p->sel > page ? p->sel - page : 0;
        break;
    case FD_ACTION_FIRST:
        p->sel = 0;
        break;
    case FD_ACTION_LAST:
        p->sel = p->match_count ? p->match_count - 1 : 0;
        break;
    case FD_ACTION_DELETE_BACK:
        if (p->typed_len > 0) {
            p->typed_len = text_prev_grapheme(p->typed, p->typed_len, p->typed_len);
            p->typed[p->typed_len] = '\0';
            refilter(t, p);
        }
        break;
    case FD_ACTION_DELETE_WORD_BACK:
        while (p->typed_len > 0 && p->typed[p->typed_len - 1] == ' ')
            p->typed_len--;
        while (p->typed_len > 0 && p->typed[p->typed_len - 1] != ' ')
            p->typed_len--;
        p->typed[p->typed_len] = '\0';
        refilter(t, p);
        break;
    case FD_ACTION_QUIT:
    case FD_ACTION_REDRAW:
    case FD_ACTION_HELP:
        return 0;
    default:
        return VIEW_HANDLED;
    }
    if (action != FD_ACTION_DELETE_BACK && action != FD_ACTION_DELETE_WORD_BACK)
        p->moved = true;
    return VIEW_HANDLED | VIEW_REDRAW;
}

static size_t utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

static int picker_text(struct ui_view *v, struct tui *t, fd_key key)
{
    struct picker *p = v->data;
    char u[4];
    size_t n = utf8_encode(key, u);
    if (p->typed_len + n + 1 > sizeof p->typed)
        return VIEW_HANDLED;
    memcpy(p->typed + p->typed_len, u, n);
    p->typed_len += n;
    p->typed[p->typed_len] = '\0';
    refilter(t, p);
    return VIEW_HANDLED | VIEW_REDRAW;
}

static void picker_paste(struct ui_view *v, struct tui *t, const char *s, size_t n)
{
    struct picker *p = v->data;
    for (size_t i = 0; i < n && p->typed_len + 1 < sizeof p->typed; i++)
        if ((unsigned char)s[i] >= 0x20)
            p->typed[p->typed_len++] = s[i];
    p->typed[p->typed_len] = '\0';
    refilter(t, p);
    t->need_paint = true;
}

static void picker_draw(struct ui_view *v, struct tui *t, const struct rect *area, bool focused)
{
    struct picker *p = v->data;
    int want = (int)p->match_count + 3;
    int max = area->h * 2 / 3 > 4 ? area->h * 2 / 3 : area->h;
    int h = want < 5 ? 5 : want;
    if (h > max)
        h = max;
    int y0 = area->y + area->h - h, w = area->w;
    p->height = h - 3;
    if (p->sel < p->top)
        p->top = p->sel;
    if (p->height > 0 && p->sel >= p->top + (size_t)p->height)
        p->top = p->sel - (size_t)p->height + 1;
    draw_set(UI_STATUSBAR);
    draw_text(y0, 0, w, p->title, TEXT_ALIGN_LEFT);
    draw_set(UI_BOLD);
    draw_clean(y0 + 1, 0, 2, "> ");
    draw_set(UI_NORMAL);
    draw_text(y0 + 1, 2, w - 2, p->typed, TEXT_ALIGN_LEFT);
    int tw = text_width(p->typed);
    if (2 + tw < w) {
        attron(A_REVERSE);
        mvaddch(y0 + 1, 2 + tw, ' ');
        attroff(A_REVERSE);
    }
    for (int i = 0; i < p->height; i++) {
        int y = y0 + 2 + i;
        size_t n = p->top + (size_t)i;
        draw_clear_to_eol(y, 0);
        if (n >= p->match_count) {
            if (i == 0) {
                draw_set(UI_DIM);
                draw_clean(y, 2, w - 2,
                           p->spec.free_text ? "Enter takes what you typed" : "nothing matches");
            }
            continue;
        }
        const struct picker_item *it = &p->spec.items[p->match[n]];
        bool sel = n == p->sel;
        draw_set(sel ? UI_SELECTED : UI_NORMAL);
        draw_clean(y, 0, 2, sel ? ">" : " ");
        int lw = text_width(it->label) + 1;
        if (lw > w - 2)
            lw = w - 2;
        draw_text(y, 2, lw, it->label, TEXT_ALIGN_LEFT);
        draw_set(UI_DIM);
        if (it->detail && 2 + lw + 1 < w)
            draw_text(y, 2 + lw + 1, w - 3 - lw, it->detail, TEXT_ALIGN_LEFT);
    }
    draw_set(UI_DIM);
    char hint[160], acc[48], can[48];
    snprintf(hint, sizeof hint, " %s choose · %s cancel · type to filter · %zu of %zu",
             act_keys(t, FD_CTX_PICKER, FD_ACTION_ACCEPT, acc, sizeof acc),
             act_keys(t, FD_CTX_PICKER, FD_ACTION_CANCEL, can, sizeof can), p->match_count,
             p->spec.count);
    draw_clean(y0 + h - 1, 0, w, hint);
    draw_set(UI_NORMAL);
}

static int picker_event(struct ui_view *v, struct tui *t, const struct fd_event *ev)
{
    return 0;
}

static int picker_noop_open(struct ui_view *v, struct tui *t)
{
    return 0;
}

static void picker_close(struct ui_view *v)
{
    struct picker *p = v->data;
    if (!p)
        return;
    picker_items_free(p->spec.items, p->spec.count);
    if (p->spec.free_data)
        p->spec.free_data(p->spec.data);
    free(p->match);
    free(p->score);
    free(p);
    v->data = NULL;
}

static const struct view_ops picker_view_ops = {
    .name = "picker",
    .context = FD_CTX_PICKER,
    .open = picker_noop_open,
    .draw = picker_draw,
    .handle = picker_handle,
    .on_event = picker_event,
    .close = picker_close,
};

static const struct overlay_ops picker_overlay = {
    .view = &picker_view_ops,
    .text = picker_text,
    .paste = picker_paste,
};

int picker_open(struct tui *t, const struct picker_spec *spec)
{
    struct picker *p = calloc(1, sizeof *p);
    if (!p) {
        picker_items_free(spec->items, spec->count);
        if (spec->free_data)
            spec->free_data(spec->data);
        return -1;
    }
    p->spec = *spec;
    snprintf(p->title, sizeof p->title, " %s", spec->title ? spec->title : "");
    snprintf(p->typed, sizeof p->typed, "%s", spec->initial ? spec->initial : "");
    p->typed_len = strlen(p->typed);
    refilter(t, p);
    if (act_push(t, &picker_overlay, p) != 0)
        return -1;
    return 0;
}
