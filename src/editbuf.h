/* editbuf.h: the text buffer behind the reply/note editor, free of curses so
 * every editing rule is unit-tested.
 *
 * The text is one UTF-8 string (always NUL-terminated, lines end in '\n').
 * The cursor is a byte offset that always sits on a grapheme-cluster
 * boundary: movement and deletion by character act on whole graphemes (an
 * emoji with a skin tone, a letter with combining accents, a flag), so the
 * buffer can never hold half a character because of an edit.
 *
 * Words are runs of letters, digits and '_' (any script); everything else
 * separates them. Lines are logical lines (between '\n'); the soft-wrapped
 * display rows come from editbuf_layout() for a given width, with widths
 * measured by text.h (CJK and emoji are 2 columns).
 *
 * Undo: every change is recorded; typing coalesces into one step per word,
 * a paste or a deletion of a word/line is one step. editbuf_undo() restores
 * the text and the cursor; editbuf_redo() replays. A new change after undo
 * forgets the undone steps.
 *
 * Inserting is one memmove of the tail, so a large paste inserted with one
 * editbuf_paste() call costs O(text) once, not per character. */
#ifndef FD_EDITBUF_H
#define FD_EDITBUF_H

#include <stdbool.h>
#include <stddef.h>

struct editbuf_step; /* private undo record */

struct editbuf {
    char *text; /* NUL-terminated; never NULL after editbuf_init */
    size_t len;
    size_t cap;
    size_t cursor; /* byte offset, on a grapheme boundary */
    int goal_col;  /* column kept by up/down moves; -1 = take the cursor's */
    bool modified; /* changed since init/set_text/mark_saved */
    struct editbuf_step *steps;
    size_t step_count; /* steps recorded (undone ones included) */
    size_t step_pos;   /* steps[0..step_pos) are applied */
    size_t step_cap;
    bool coalesce; /* the next typed character may join the last step */
};

/* An empty buffer. Returns 0, or -1 when out of memory. */
int editbuf_init(struct editbuf *b);
void editbuf_free(struct editbuf *b);

/* Replaces the whole text (a restored draft, a canned response into an empty
 * editor); the cursor goes to the end, undo history is cleared, modified is
 * false. Invalid UTF-8 becomes U+FFFD and controls other than '\n' and '\t'
 * are dropped; CRLF and CR become '\n'. */
int editbuf_set_text(struct editbuf *b, const char *text);

/* Typing: inserts s[0..n) at the cursor (cleaned as in set_text), moves the
 * cursor after it. Consecutive typing coalesces into one undo step per word. */
int editbuf_insert(struct editbuf *b, const char *s, size_t n);
/* A paste (bracketed paste, a canned response): like insert but always one
 * undo step of its own. */
int editbuf_paste(struct editbuf *b, const char *s, size_t n);

/* Deleting; each returns 1 if something was deleted, 0 if not, -1 on OOM. */
int editbuf_backspace(struct editbuf *b);          /* the grapheme before the cursor */
int editbuf_delete(struct editbuf *b);             /* the grapheme at the cursor */
int editbuf_delete_word_before(struct editbuf *b); /* to the start of the word (Ctrl-W) */
int editbuf_delete_word_after(struct editbuf *b);  /* to the end of the word (Alt-D) */
int editbuf_kill_to_line_end(struct editbuf *b);   /* Ctrl-K; at line end joins the next line */
int editbuf_kill_to_line_start(struct editbuf *b); /* Ctrl-U */

/* Movement (never changes the text). */
void editbuf_left(struct editbuf *b);
void editbuf_right(struct editbuf *b);
void editbuf_word_left(struct editbuf *b);  /* to the start of this or the previous word */
void editbuf_word_right(struct editbuf *b); /* to the end of this or the next word */
void editbuf_home(struct editbuf *b);       /* start of the logical line */
void editbuf_end(struct editbuf *b);        /* end of the logical line */
void editbuf_top(struct editbuf *b);
void editbuf_bottom(struct editbuf *b);
/* Up/down by logical line, keeping the display column (goal_col). */
void editbuf_line_up(struct editbuf *b);
void editbuf_line_down(struct editbuf *b);
/* Up/down by display row of the soft-wrapped layout at this width. */
void editbuf_row_up(struct editbuf *b, int width);
void editbuf_row_down(struct editbuf *b, int width);
/* Sets the cursor to pos, moved back to a grapheme boundary. */
void editbuf_set_cursor(struct editbuf *b, size_t pos);

/* Replaces the whole text as one undo step (the text from an external
 * editor, a template); cleaned as in set_text; the cursor goes to the end. */
int editbuf_replace_all(struct editbuf *b, const char *text);

/* Hands the text to the agent's editor: writes it to a new private file
 * (mode 0600) in dir, runs `editor FILE` through /bin/sh (editor may carry
 * arguments, e.g. "code -w"; NULL = $VISUAL, else $EDITOR, else vi), waits,
 * and on exit status 0 reads the file back with editbuf_replace_all(). The
 * file is removed afterwards. The caller must have given the terminal to the
 * child (curses suspended). Returns 1 when the text was replaced, 0 when the
 * editor failed or was killed (the text is kept; err says why), -1 on a local
 * error (err set). */
int editbuf_run_editor(struct editbuf *b, const char *editor, const char *dir, char *err,
                       size_t errsize);

/* Undo and redo one step; 1 if done, 0 if there was nothing to undo/redo. */
int editbuf_undo(struct editbuf *b);
int editbuf_redo(struct editbuf *b);

/* The cursor's logical line (0-based) and display column within it. */
void editbuf_cursor_position(const struct editbuf *b, size_t *line, int *col);

/* One display row of the soft-wrapped text: bytes [start, start + len). */
struct editbuf_row {
    size_t start;
    size_t len;
    int width;
};

struct editbuf_layout {
    struct editbuf_row *rows;
    size_t count;
    size_t cursor_row; /* the row the cursor is drawn on */
    int cursor_col;    /* its column there, 0 .. width-1 */
    bool more_above;   /* editbuf_layout_around: text before rows[0] was left out */
    bool more_below;   /* ... and after the last row */
};

/* Soft-wraps the text at width columns (word wrap, text.h rules) and places
 * the cursor. Returns 0, or -1 when out of memory. Free with
 * editbuf_layout_free(). */
int editbuf_layout(const struct editbuf *b, int width, struct editbuf_layout *out);
void editbuf_layout_free(struct editbuf_layout *layout);

/* The same for a window of `height` rows: lays out only the logical lines
 * around the cursor (at least height rows on either side of it when the text
 * has them), so a frame costs the same after a 2 MB paste as before it.
 * Row offsets are into the whole text, as with editbuf_layout. */
int editbuf_layout_around(const struct editbuf *b, int width, int height,
                          struct editbuf_layout *out);

#endif
