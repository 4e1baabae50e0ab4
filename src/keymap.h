/* keymap.h: keys, key names, and the keymap that maps key sequences in a
 * context to actions (src/actions.def).
 *
 * Key codes are fdesk's own, not ncurses': a plain key is its Unicode code
 * point ('j', 'G', ' ', 'é'); special keys are FD_KEY_* above U+10FFFF; Ctrl
 * and Meta (Alt) are modifier bits. Ctrl with a letter is stored with the
 * lowercase letter (<C-d> == FD_KEY_CTRL | 'd'). The UI translates its input
 * with keymap_key_from_char() (raw control bytes) and its own table for
 * ncurses KEY_* codes.
 *
 * Keymap file grammar (one statement per line; '#' starts a comment where a
 * word could start; blank lines are ignored):
 *     bind CONTEXT KEY ACTION     # ACTION "none" blocks the generic fallback
 *     unbind CONTEXT KEY
 * CONTEXT: generic list detail editor prompt picker review
 * KEY: one key or a sequence of up to FD_KEYSEQ_MAX keys, written together:
 *     j  G  ?  <C-d>  <M-x>  <C-M-x>  <Enter>  <Esc>  <Tab>  <S-Tab>  <Space>
 *     <Backspace>  <Delete>  <Insert>  <Up> <Down> <Left> <Right>  <Home> <End>
 *     <PageUp> <PageDown>  <F1>..<F12>  <lt> (a literal '<')  <C-x><C-e>  gg
 * Names in <...> are case-insensitive; "C-" is Ctrl, "M-" or "A-" Meta.
 *
 * Load order (keymap_load_config): the compiled-in default
 * (keymaps/default.keys), then the user's file (the `keymap` setting: a path,
 * or "default"/"vi" or "emacs" for the compiled-in ones), then the bind and
 * unbind lines of the config file. Later lines override earlier ones. */
#ifndef FD_KEYMAP_H
#define FD_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "src/actions.h"

struct fd_config;

typedef uint32_t fd_key;

#define FD_KEY_CTRL    0x40000000u /* modifier bit: Ctrl */
#define FD_KEY_META    0x20000000u /* modifier bit: Meta / Alt (ESC prefix) */
#define FD_KEY_MODS    (FD_KEY_CTRL | FD_KEY_META)
#define FD_KEY_BASE(k) ((k) & ~FD_KEY_MODS)
#define FD_KEY_SPECIAL 0x110000u /* first special key, above every code point */

enum {
    FD_KEY_ENTER = FD_KEY_SPECIAL,
    FD_KEY_ESC,
    FD_KEY_TAB,
    FD_KEY_BACKTAB, /* Shift-Tab, <S-Tab> */
    FD_KEY_BACKSPACE,
    FD_KEY_DELETE,
    FD_KEY_INSERT,
    FD_KEY_UP,
    FD_KEY_DOWN,
    FD_KEY_LEFT,
    FD_KEY_RIGHT,
    FD_KEY_HOME,
    FD_KEY_END,
    FD_KEY_PAGE_UP,
    FD_KEY_PAGE_DOWN,
    FD_KEY_F0, /* FD_KEY_F(n) for n = 1..12 */
    FD_KEY_SPECIAL_END = FD_KEY_F0 + 13,
};
#define FD_KEY_F(n) ((fd_key)(FD_KEY_F0 + (n)))

/* Longest key sequence a binding may have. */
#define FD_KEYSEQ_MAX 3

/* Translates a character as read from the terminal into a key: 9 -> <Tab>,
 * 10 and 13 -> <Enter>, 27 -> <Esc>, 8 and 127 -> <Backspace>, 0 -> <C-Space>,
 * other bytes 1..31 -> Ctrl with the letter (1 -> <C-a>, 28..31 -> <C-\\> ..);
 * everything else is returned as it is. */
fd_key keymap_key_from_char(uint32_t c);

/* True for a key that types text (a code point with no modifier, not a
 * control); false for special keys and modified keys. */
bool keymap_key_is_text(fd_key key);

/* Parses one KEY word (a sequence) into keys[0..*n). Returns 0, or -1 with a
 * message in err ("unknown key name <Foo>", "key sequence too long"). */
int keymap_parse_keys(const char *word, fd_key keys[FD_KEYSEQ_MAX], size_t *n, char *err,
                      size_t errsize);

/* Writes the canonical name of a key sequence ("j", "<C-d>", "<C-x><C-e>",
 * "<Space>", "<lt>") into buf, NUL-terminated and truncated to size. Returns
 * the length it needed (like snprintf). */
size_t keymap_format_keys(const fd_key *keys, size_t n, char *buf, size_t size);

/* ---- the keymap ------------------------------------------------------ */

struct keymap;

/* An empty keymap; NULL only when out of memory. */
struct keymap *keymap_new(void);
void keymap_free(struct keymap *km);

/* Binds keys[0..n) in ctx to action (FD_ACTION_NONE blocks the fallback),
 * replacing an earlier binding of the same sequence in ctx. Returns 0, or -1
 * when n is 0 or too long, or out of memory. An exact binding wins over a
 * longer one it is a prefix of (with g bound, gg is never reached), so there
 * is never a timeout. */
int keymap_bind(struct keymap *km, enum fd_context ctx, const fd_key *keys, size_t n,
                enum fd_action action);
/* Removes the binding of keys in ctx. Returns 0, or -1 if there was none. */
int keymap_unbind(struct keymap *km, enum fd_context ctx, const fd_key *keys, size_t n);

/* Applies one line of the grammar. file and line name the place in errors:
 * "FILE:LINE: unknown action 'foo'". Returns 0 (also for blank and comment
 * lines) or -1 with the message in err. */
int keymap_apply_line(struct keymap *km, const char *text, const char *file, int line, char *err,
                      size_t errsize);
/* Applies every line of text (named file in errors). Stops at the first bad
 * line: returns 0, or -1 with "FILE:LINE: message" in err. */
int keymap_load_string(struct keymap *km, const char *text, const char *file, char *err,
                       size_t errsize);
/* Reads and applies a keymap file. -1 with "FILE: reason" or "FILE:LINE: ..." */
int keymap_load_file(struct keymap *km, const char *path, char *err, size_t errsize);

/* The compiled-in keymap files (generated from keymaps/ at build time). */
extern const char keymap_default_text[]; /* keymaps/default.keys (vi-like) */
extern const char keymap_emacs_text[];   /* keymaps/emacs.keys */

/* Loads the compiled-in default, then cfg->keymap_file (a path, or "default",
 * "vi" or "emacs"; "~/" means $HOME and a relative path is taken from the
 * config file's directory), then the bind/unbind lines of cfg->extra. cfg may be NULL
 * (default only). Returns 0, or -1 with "FILE:LINE: message" in err; the
 * keymap then holds everything that was applied before the error. */
int keymap_load_config(struct keymap *km, const struct fd_config *cfg, char *err, size_t errsize);

enum keymap_match {
    KEYMAP_NO_MATCH, /* no binding: a text key may be typed, else ignore it */
    KEYMAP_PENDING,  /* a prefix of a longer binding: read another key */
    KEYMAP_MATCH,    /* *action is set */
};

/* Looks up the keys typed so far (keys[0..n)) in ctx, then in generic:
 * an exact binding in ctx wins, then a longer binding in ctx (PENDING), then
 * the same in generic. After KEYMAP_NO_MATCH for a sequence of 2 or more
 * keys the UI drops the whole sequence. In the text-entry contexts (editor, prompt, picker)
 * a text key alone (keymap_key_is_text) never falls back to generic, so
 * typing q in the editor inserts a q. A binding to "none" in ctx gives
 * KEYMAP_NO_MATCH without a fallback. */
enum keymap_match keymap_lookup(const struct keymap *km, enum fd_context ctx, const fd_key *keys,
                                size_t n, enum fd_action *action);

/* Reads binding number i (0 .. count-1, in the order they were first bound).
 * Returns false when i is past the end. */
bool keymap_binding_get(const struct keymap *km, size_t i, enum fd_context *ctx,
                        fd_key keys[FD_KEYSEQ_MAX], size_t *n, enum fd_action *action);

/* The key sequences bound to action in ctx itself (not the generic
 * fallback) that really reach it, as "<C-d>, <PageDown>" in buf (empty when
 * none; cut at a whole name when buf is short). Returns the number written. */
size_t keymap_keys_for(const struct keymap *km, enum fd_context ctx, enum fd_action action,
                       char *buf, size_t size);

struct keymap_help_line {
    char keys[64];     /* "j, <Down>"; "" when the action has no key */
    const char *name;  /* action name, from the table */
    const char *help;  /* help text, from the table */
    bool from_generic; /* the keys are the generic context's */
};

/* Help for one context, from the action table and the live keymap: every
 * action that applies in ctx (its own actions first, in table order, then the
 * generic ones), with the keys that reach it from ctx (ctx's own bindings,
 * else the generic fallback). Returns a malloc'd array (free() it) and its
 * length in *count; NULL when out of memory. */
struct keymap_help_line *keymap_help(const struct keymap *km, enum fd_context ctx, size_t *count);

#endif
