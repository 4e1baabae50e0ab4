/* editbuf.c: the editor's text buffer: cleaned UTF-8 insertion, grapheme-,
 * word- and line-wise movement and deletion, undo/redo with coalesced typing,
 * and the soft-wrap layout (widths and wrapping from text.h). */
#include "src/editbuf.h"
#include "src/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct editbuf_step {
    bool insert;    /* true: text was inserted at pos; false: deleted from pos */
    bool with_prev; /* undone and redone together with the step before it */
    size_t pos;
    char *text;
    size_t len;
    size_t cursor_before;
    size_t cursor_after;
};

int editbuf_init(struct editbuf *b)
{
    memset(b, 0, sizeof *b);
    b->cap = 64;
    b->text = calloc(1, b->cap);
    b->goal_col = -1;
    return b->text ? 0 : -1;
}

static void drop_steps_from(struct editbuf *b, size_t from)
{
    for (size_t i = from; i < b->step_count; i++)
        free(b->steps[i].text);
    b->step_count = from;
    if (b->step_pos > from)
        b->step_pos = from;
}

void editbuf_free(struct editbuf *b)
{
    drop_steps_from(b, 0);
    free(b->steps);
    free(b->text);
    memset(b, 0, sizeof *b);
}

/* ---- cleaning input ---------------------------------------------------- */

static bool is_bidi_control(int32_t cp)
{
    return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Valid UTF-8 with '\n' line ends, no controls but '\t' and '\n', no bidi
 * overrides; invalid bytes become U+FFFD. Newly allocated (*out_len set). */
static char *clean_input(const char *s, size_t n, size_t *out_len)
{
    char *out = malloc(n * 3 + 1); /* a bad byte (1) can become U+FFFD (3) */
    size_t o = 0, i = 0;

    if (!out)
        return NULL;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
            continue;
        }
        if (cp == '\r') {
            out[o++] = '\n';
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        i += (size_t)k;
        if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0) ||
            is_bidi_control(cp))
            continue;
        o += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out + o);
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* ---- raw edits ------------------------------------------------------------ */

static int reserve(struct editbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *grown = realloc(b->text, cap);
    if (!grown)
        return -1;
    b->text = grown;
    b->cap = cap;
    return 0;
}

static int raw_insert(struct editbuf *b, size_t pos, const char *s, size_t n)
{
    if (reserve(b, n) != 0)
        return -1;
    memmove(b->text + pos + n, b->text + pos, b->len - pos + 1);
    memcpy(b->text + pos, s, n);
    b->len += n;
    return 0;
}

static void raw_delete(struct editbuf *b, size_t pos, size_t n)
{
    memmove(b->text + pos, b->text + pos + n, b->len - pos - n + 1);
    b->len -= n;
}

/* Records a step (forgetting undone ones). */
static int push_step(struct editbuf *b, bool insert, size_t pos, const char *s, size_t n,
                     size_t cursor_before, size_t cursor_after)
{
    drop_steps_from(b, b->step_pos);
    if (b->step_count == b->step_cap) {
        size_t cap = b->step_cap ? b->step_cap * 2 : 32;
        struct editbuf_step *grown = realloc(b->steps, cap * sizeof *grown);
        if (!grown)
            return -1;
        b->steps = grown;
        b->step_cap = cap;
    }
    char *copy = malloc(n + 1);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    copy[n] = '\0';
    b->steps[b->step_count++] = (struct editbuf_step){.insert = insert,
                                                      .pos = pos,
                                                      .text = copy,
                                                      .len = n,
                                                      .cursor_before = cursor_before,
                                                      .cursor_after = cursor_after};
    b->step_pos = b->step_count;
    return 0;
}

/* Appends s to the last (insert) step, for coalesced typing. */
static int extend_step(struct editbuf_step *st, const char *s, size_t n, size_t cursor_after)
{
    char *grown = realloc(st->text, st->len + n + 1);
    if (!grown)
        return -1;
    memcpy(grown + st->len, s, n);
    st->len += n;
    grown[st->len] = '\0';
    st->text = grown;
    st->cursor_after = cursor_after;
    return 0;
}

static bool is_space_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            return false;
    return n > 0;
}

static int insert_cleaned(struct editbuf *b, const char *s, size_t n, bool typing)
{
    size_t len;
    char *clean = clean_input(s, n, &len);
    int rc = -1;

    if (!clean)
        return -1;
    if (len == 0) {
        free(clean);
        return 0;
    }
    size_t pos = b->cursor;
    struct editbuf_step *last = b->step_pos ? &b->steps[b->step_pos - 1] : NULL;
    /* Typing joins the last step while it continues it, until a word ends
     * (a space typed after a non-space) or a newline is typed. */
    bool join = typing && b->coalesce && last && last == &b->steps[b->step_count - 1] &&
                last->insert && last->pos + last->len == pos && memchr(clean, '\n', len) == NULL &&
                !(is_space_text(clean, len) && !is_space_text(last->text + last->len - 1, 1));
    if (raw_insert(b, pos, clean, len) == 0) {
        b->cursor = pos + len;
        rc = join ? extend_step(last, clean, len, b->cursor)
                  : push_step(b, true, pos, clean, len, pos, b->cursor);
    }
    free(clean);
    b->coalesce = typing;
    b->goal_col = -1;
    b->modified = true;
    return rc;
}

int editbuf_insert(struct editbuf *b, const char *s, size_t n)
{
    return insert_cleaned(b, s, n, true);
}

int editbuf_paste(struct editbuf *b, const char *s, size_t n)
{
    return insert_cleaned(b, s, n, false);
}

int editbuf_set_text(struct editbuf *b, const char *text)
{
    size_t len;
    char *clean = clean_input(text, strlen(text), &len);

    if (!clean)
        return -1;
    drop_steps_from(b, 0);
    free(b->text);
    b->text = clean;
    b->len = len;
    b->cap = len + 1;
    b->cursor = len;
    b->goal_col = -1;
    b->modified = false;
    b->coalesce = false;
    return 0;
}

/* Deletes [from, to) as one undo step; the cursor goes to from. */
static int delete_range(struct editbuf *b, size_t from, size_t to)
{
    if (to <= from)
        return 0;
    if (push_step(b, false, from, b->text + from, to - from, b->cursor, from) != 0)
        return -1;
    raw_delete(b, from, to - from);
    b->cursor = from;
    b->coalesce = false;
    b->goal_col = -1;
    b->modified = true;
    return 1;
}

/* ---- graphemes, words, lines ---------------------------------------------- */

static size_t next_boundary(const struct editbuf *b, size_t pos)
{
    struct text_grapheme g;
    size_t p = pos;

    if (pos >= b->len)
        return b->len;
    if (!text_next_grapheme(b->text, b->len, &p, &g))
        return b->len;
    return p;
}

static size_t prev_boundary(const struct editbuf *b, size_t pos)
{
    return pos == 0 ? 0 : text_prev_grapheme(b->text, b->len, pos);
}

static size_t line_start(const struct editbuf *b, size_t pos)
{
    while (pos > 0 && b->text[pos - 1] != '\n')
        pos--;
    return pos;
}

static size_t line_end(const struct editbuf *b, size_t pos)
{
    const char *nl = memchr(b->text + pos, '\n', b->len - pos);
    return nl ? (size_t)(nl - b->text) : b->len;
}

/* Whether the code point starting at pos belongs to a word. */
static bool word_char_at(const struct editbuf *b, size_t pos)
{
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)b->text + pos, (utf8proc_ssize_t)(b->len - pos),
                         &cp) <= 0)
        return false;
    if (cp == '_')
        return true;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

static size_t word_left_of(const struct editbuf *b, size_t pos)
{
    while (pos > 0) { /* skip separators */
        size_t p = prev_boundary(b, pos);
        if (word_char_at(b, p))
            break;
        pos = p;
    }
    while (pos > 0) { /* then the word */
        size_t p = prev_boundary(b, pos);
        if (!word_char_at(b, p))
            break;
        pos = p;
    }
    return pos;
}

static size_t word_right_of(const struct editbuf *b, size_t pos)
{
    while (pos < b->len && !word_char_at(b, pos))
        pos = next_boundary(b, pos);
    while (pos < b->len && word_char_at(b, pos))
        pos = next_boundary(b, pos);
    return pos;
}

/* Byte offset in the line starting at start whose display column is the
 * largest not beyond col. */
static size_t offset_at_column(const struct editbuf *b, size_t start, int col)
{
    size_t end = line_end(b, start);
    return start + text_prefix_fitting(b->text + start, end - start, col, NULL);
}

static int column_of(const struct editbuf *b, size_t pos)
{
    size_t start = line_start(b, pos);
    return text_width_n(b->text + start, pos - start);
}

/* ---- public movement ------------------------------------------------------ */

static void move_to(struct editbuf *b, size_t pos, bool keep_goal)
{
    b->cursor = pos;
    b->coalesce = false;
    if (!keep_goal)
        b->goal_col = -1;
}

void editbuf_set_cursor(struct editbuf *b, size_t pos)
{
    size_t p = line_start(b, pos > b->len ? b->len : pos), target = pos > b->len ? b->len : pos;
    while (p < target) {
        size_t n = next_boundary(b, p);
        if (n > target)
            break;
        p = n;
    }
    move_to(b, p, false);
}

void editbuf_left(struct editbuf *b)
{
    move_to(b, prev_boundary(b, b->cursor), false);
}

void editbuf_right(struct editbuf *b)
{
    move_to(b, next_boundary(b, b->cursor), false);
}

void editbuf_word_left(struct editbuf *b)
{
    move_to(b, word_left_of(b, b->cursor), false);
}

void editbuf_word_right(struct editbuf *b)
{
    move_to(b, word_right_of(b, b->cursor), false);
}

void editbuf_home(struct editbuf *b)
{
    move_to(b, line_start(b, b->cursor), false);
}

void editbuf_end(struct editbuf *b)
{
    move_to(b, line_end(b, b->cursor), false);
}

void editbuf_top(struct editbuf *b)
{
    move_to(b, 0, false);
}

void editbuf_bottom(struct editbuf *b)
{
    move_to(b, b->len, false);
}

void editbuf_line_up(struct editbuf *b)
{
    size_t start = line_start(b, b->cursor);
    if (b->goal_col < 0)
        b->goal_col = column_of(b, b->cursor);
    if (start == 0) {
        move_to(b, 0, true);
        return;
    }
    move_to(b, offset_at_column(b, line_start(b, start - 1), b->goal_col), true);
}

void editbuf_line_down(struct editbuf *b)
{
    size_t end = line_end(b, b->cursor);
    if (b->goal_col < 0)
        b->goal_col = column_of(b, b->cursor);
    if (end == b->len) {
        move_to(b, b->len, true);
        return;
    }
    move_to(b, offset_at_column(b, end + 1, b->goal_col), true);
}

static void move_rows(struct editbuf *b, int width, int delta)
{
    struct editbuf_layout l;

    if (editbuf_layout_around(b, width, 1, &l) != 0)
        return;
    if (b->goal_col < 0)
        b->goal_col = l.cursor_col;
    long row = (long)l.cursor_row + delta;
    if (row < 0) {
        move_to(b, 0, true);
    } else if ((size_t)row >= l.count) {
        move_to(b, b->len, true);
    } else {
        const struct editbuf_row *r = &l.rows[row];
        move_to(b, r->start + text_prefix_fitting(b->text + r->start, r->len, b->goal_col, NULL),
                true);
    }
    editbuf_layout_free(&l);
}

void editbuf_row_up(struct editbuf *b, int width)
{
    move_rows(b, width, -1);
}

void editbuf_row_down(struct editbuf *b, int width)
{
    move_rows(b, width, 1);
}

void editbuf_cursor_position(const struct editbuf *b, size_t *line, int *col)
{
    size_t n = 0;
    for (size_t i = 0; i < b->cursor; i++)
        n += b->text[i] == '\n';
    *line = n;
    *col = column_of(b, b->cursor);
}

/* ---- public deletion ------------------------------------------------------- */

int editbuf_backspace(struct editbuf *b)
{
    return delete_range(b, prev_boundary(b, b->cursor), b->cursor);
}

int editbuf_delete(struct editbuf *b)
{
    return delete_range(b, b->cursor, next_boundary(b, b->cursor));
}

int editbuf_delete_word_before(struct editbuf *b)
{
    return delete_range(b, word_left_of(b, b->cursor), b->cursor);
}

int editbuf_delete_word_after(struct editbuf *b)
{
    return delete_range(b, b->cursor, word_right_of(b, b->cursor));
}

int editbuf_kill_to_line_end(struct editbuf *b)
{
    size_t end = line_end(b, b->cursor);
    if (end == b->cursor && end < b->len)
        end++; /* at the end of a line: join the next one */
    return delete_range(b, b->cursor, end);
}

int editbuf_kill_to_line_start(struct editbuf *b)
{
    return delete_range(b, line_start(b, b->cursor), b->cursor);
}

/* ---- undo ----------------------------------------------------------------- */

static int apply_step(struct editbuf *b, const struct editbuf_step *st, bool forward)
{
    bool insert = st->insert == forward;
    if (insert && raw_insert(b, st->pos, st->text, st->len) != 0)
        return -1;
    if (!insert)
        raw_delete(b, st->pos, st->len);
    b->cursor = forward ? st->cursor_after : st->cursor_before;
    b->coalesce = false;
    b->goal_col = -1;
    b->modified = true;
    return 1;
}

int editbuf_undo(struct editbuf *b)
{
    if (b->step_pos == 0)
        return 0;
    bool more;
    do {
        const struct editbuf_step *st = &b->steps[b->step_pos - 1];
        more = st->with_prev;
        if (apply_step(b, st, false) < 0)
            return -1;
        b->step_pos--;
    } while (more && b->step_pos > 0);
    return 1;
}

int editbuf_redo(struct editbuf *b)
{
    if (b->step_pos == b->step_count)
        return 0;
    do {
        if (apply_step(b, &b->steps[b->step_pos], true) < 0)
            return -1;
        b->step_pos++;
    } while (b->step_pos < b->step_count && b->steps[b->step_pos].with_prev);
    return 1;
}

int editbuf_replace_all(struct editbuf *b, const char *text)
{
    size_t len;
    char *clean = clean_input(text, strlen(text), &len);
    int rc = 0;

    if (!clean)
        return -1;
    size_t before = b->step_pos;
    if (b->len > 0) {
        b->cursor = 0;
        rc = delete_range(b, 0, b->len) < 0 ? -1 : 0;
    }
    if (rc == 0 && len > 0) {
        b->cursor = 0;
        rc = insert_cleaned(b, clean, len, false);
        if (rc == 0 && b->step_pos == before + 2)
            b->steps[b->step_pos - 1].with_prev = true;
    }
    free(clean);
    b->modified = true;
    return rc;
}

/* ---- layout ----------------------------------------------------------------- */

/* Lays out text[from, to) (whole logical lines) into out. */
static int layout_range(const struct editbuf *b, size_t from, size_t to, int width,
                        struct editbuf_layout *out)
{
    struct text_span *spans = NULL;
    size_t n;

    memset(out, 0, sizeof *out);
    if (width < 1)
        width = 1;
    n = text_wrap_spans(b->text + from, to - from, width, &spans);
    if (n == (size_t)-1)
        return -1;
    out->rows = malloc((n ? n : 1) * sizeof *out->rows);
    if (!out->rows) {
        free(spans);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        out->rows[i] = (struct editbuf_row){from + spans[i].start, spans[i].len, spans[i].width};
    out->count = n;
    free(spans);
    /* The cursor is on the last row that starts at or before it. */
    size_t r = 0;
    while (r + 1 < n && out->rows[r + 1].start <= b->cursor)
        r++;
    out->cursor_row = r;
    if (n > 0) {
        const struct editbuf_row *row = &out->rows[r];
        size_t in_row = b->cursor - row->start;
        int col = in_row <= row->len ? text_width_n(b->text + row->start, in_row)
                                     : row->width + (int)(in_row - row->len);
        out->cursor_col = col >= width ? width - 1 : col;
    }
    out->more_above = from > 0;
    out->more_below = to < b->len;
    return 0;
}

int editbuf_layout(const struct editbuf *b, int width, struct editbuf_layout *out)
{
    return layout_range(b, 0, b->len, width, out);
}

int editbuf_layout_around(const struct editbuf *b, int width, int height,
                          struct editbuf_layout *out)
{
    /* Every logical line is at least one row, so `height` lines either side
     * of the cursor's line fill the window whatever the wrapping. */
    size_t from = line_start(b, b->cursor), to = line_end(b, b->cursor);
    for (int i = 0; i < height && from > 0; i++)
        from = line_start(b, from - 1);
    for (int i = 0; i < height && to < b->len; i++)
        to = line_end(b, to + 1);
    return layout_range(b, from, to, width, out);
}

void editbuf_layout_free(struct editbuf_layout *layout)
{
    free(layout->rows);
    memset(layout, 0, sizeof *layout);
}
