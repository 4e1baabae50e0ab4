/* prompt.c: the one-line prompt on the message line, used by `:` (commands),
 * `/` (local search, which narrows the list on every keystroke) and the
 * jump-to-ticket question. Editing keys come from the keymap's prompt
 * context; text keys are inserted. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/text.h"

static const char *prompt_label(enum prompt_kind kind)
{
    switch (kind) {
    case PROMPT_COMMAND:
        return ":";
    case PROMPT_SEARCH:
        return "/";
    case PROMPT_JUMP:
        return "ticket #";
    default:
        return "";
    }
}

void prompt_open(struct tui *t, enum prompt_kind kind, const char *initial)
{
    struct prompt *p = &t->prompt;
    p->kind = kind;
    snprintf(p->text, sizeof p->text, "%s", initial ? initial : "");
    p->len = p->cursor = strlen(p->text);
    if (kind == PROMPT_SEARCH)
        snprintf(p->saved_search, sizeof p->saved_search, "%s", list_search(t));
    t->message[0] = '\0';
    t->need_paint = true;
}

static void changed(struct tui *t)
{
    if (t->prompt.kind == PROMPT_SEARCH)
        list_set_search(t, t->prompt.text);
}

static void insert_key(struct prompt *p, fd_key key)
{
    char utf8[8];
    size_t n = 0;
    uint32_t c = key;
    if (c < 0x80)
        utf8[n++] = (char)c;
    else if (c < 0x800) {
        utf8[n++] = (char)(0xC0 | (c >> 6));
        utf8[n++] = (char)(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        utf8[n++] = (char)(0xE0 | (c >> 12));
        utf8[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
        utf8[n++] = (char)(0x80 | (c & 0x3F));
    } else {
        utf8[n++] = (char)(0xF0 | (c >> 18));
        utf8[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
        utf8[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
        utf8[n++] = (char)(0x80 | (c & 0x3F));
    }
    if (p->len + n + 1 > sizeof p->text)
        return;
    memmove(p->text + p->cursor + n, p->text + p->cursor, p->len - p->cursor + 1);
    memcpy(p->text + p->cursor, utf8, n);
    p->cursor += n;
    p->len += n;
}

static void delete_range(struct prompt *p, size_t from, size_t to)
{
    memmove(p->text + from, p->text + to, p->len - to + 1);
    p->len -= to - from;
    p->cursor = from;
}

static void accept(struct tui *t)
{
    struct prompt *p = &t->prompt;
    enum prompt_kind kind = p->kind;
    char text[sizeof p->text];
    snprintf(text, sizeof text, "%s", p->text);
    p->kind = PROMPT_NONE;
    if (kind == PROMPT_COMMAND) {
        commands_run(t, text);
    } else if (kind == PROMPT_JUMP) {
        char line[600];
        snprintf(line, sizeof line, "%s", text);
        commands_run(t, line);
    } else if (kind == PROMPT_SEARCH) {
        size_t pos, count;
        list_position(t, &pos, &count);
        if (text[0])
            tui_message(t, false, "/%s: %zu tickets (Esc in the list clears)", text, count);
    }
}

static int edit_action(struct tui *t, enum fd_action action)
{
    struct prompt *p = &t->prompt;
    switch (action) {
    case FD_ACTION_ACCEPT:
        accept(t);
        return VIEW_REDRAW;
    case FD_ACTION_CANCEL:
    case FD_ACTION_BACK:
        if (p->kind == PROMPT_SEARCH)
            list_set_search(t, p->saved_search);
        p->kind = PROMPT_NONE;
        return VIEW_REDRAW;
    case FD_ACTION_DELETE_BACK:
        if (p->cursor == 0) {
            if (p->len == 0) {
                if (p->kind == PROMPT_SEARCH)
                    list_set_search(t, p->saved_search);
                p->kind = PROMPT_NONE;
            }
            return VIEW_REDRAW;
        }
        delete_range(p, text_prev_grapheme(p->text, p->len, p->cursor), p->cursor);
        break;
    case FD_ACTION_DELETE_FORWARD:
        if (p->cursor < p->len) {
            size_t pos = p->cursor;
            struct text_grapheme g;
            if (text_next_grapheme(p->text, p->len, &pos, &g))
                delete_range(p, p->cursor, pos);
        }
        break;
    case FD_ACTION_KILL_LINE:
        p->text[p->cursor] = '\0';
        p->len = p->cursor;
        break;
    case FD_ACTION_DELETE_WORD_BACK: {
        size_t i = p->cursor;
        while (i > 0 && p->text[i - 1] == ' ')
            i--;
        while (i > 0 && p->text[i - 1] != ' ')
            i--;
        delete_range(p, i, p->cursor);
        break;
    }
    case FD_ACTION_CURSOR_LEFT:
        p->cursor = text_prev_grapheme(p->text, p->len, p->cursor);
        return VIEW_REDRAW;
    case FD_ACTION_CURSOR_RIGHT: {
        struct text_grapheme g;
        size_t pos = p->cursor;
        if (text_next_grapheme(p->text, p->len, &pos, &g))
            p->cursor = pos;
        return VIEW_REDRAW;
    }
    case FD_ACTION_LINE_START:
        p->cursor = 0;
        return VIEW_REDRAW;
    case FD_ACTION_LINE_END:
        p->cursor = p->len;
        return VIEW_REDRAW;
    default:
        return VIEW_REDRAW;
    }
    changed(t);
    return VIEW_REDRAW;
}

int prompt_key(struct tui *t, fd_key key)
{
    enum fd_action action = FD_ACTION_NONE;
    enum keymap_match m = keymap_lookup(t->keymap, FD_CTX_PROMPT, &key, 1, &action);
    if (m == KEYMAP_MATCH)
        return edit_action(t, action);
    if (key == FD_KEY_ENTER)
        return edit_action(t, FD_ACTION_ACCEPT);
    if (key == FD_KEY_ESC)
        return edit_action(t, FD_ACTION_CANCEL);
    if (key == FD_KEY_BACKSPACE)
        return edit_action(t, FD_ACTION_DELETE_BACK);
    if (keymap_key_is_text(key)) {
        insert_key(&t->prompt, key);
        changed(t);
    }
    return VIEW_REDRAW;
}

void prompt_draw(struct tui *t)
{
    const struct rect *r = &t->layout.message;
    if (r->h == 0)
        return;
    if (t->prompt.kind == PROMPT_NONE) {
        draw_set(t->message_error ? UI_ERROR : UI_NORMAL);
        draw_text(r->y, 0, r->w, t->message, TEXT_ALIGN_LEFT);
        draw_set(UI_NORMAL);
        return;
    }
    const char *label = prompt_label(t->prompt.kind);
    int lw = (int)strlen(label);
    draw_set(UI_BOLD);
    draw_clean(r->y, 0, lw, label);
    draw_set(UI_NORMAL);
    /* Show the end of the text when it is longer than the line (whole
     * graphemes only), and the cursor as a reverse-video cell. */
    const char *text = t->prompt.text;
    size_t len = t->prompt.len, off = 0, cursor = t->prompt.cursor;
    while (off < len && text_width(text + off) > r->w - lw - 1) {
        struct text_grapheme g;
        if (!text_next_grapheme(text, len, &off, &g))
            break;
    }
    char *clean = text_sanitize(text + off, len - off, TEXT_SINGLE_LINE);
    draw_clean(r->y, lw, r->w - lw, clean ? clean : "");
    free(clean);
    if (cursor < off)
        cursor = off;
    char *before = text_sanitize(text + off, cursor - off, TEXT_SINGLE_LINE);
    int x = lw + (before ? text_width(before) : 0);
    free(before);
    size_t pos = cursor;
    struct text_grapheme g;
    char *under = NULL;
    if (text_next_grapheme(text, len, &pos, &g))
        under = text_sanitize(text + g.offset, g.len, TEXT_SINGLE_LINE);
    int w = under && *under ? text_width(under) : 1;
    if (x + w <= r->w) {
        attron(A_REVERSE);
        draw_clean(r->y, x, w, under && *under ? under : " ");
        attroff(A_REVERSE);
    }
    free(under);
}
