/* test_keymap.c: key names, the keymap grammar (with errors that name the
 * file and line), lookup with fallback to generic and key sequences, the
 * compiled-in keymaps, the config's bind lines, and help from the table. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/actions.h"
#include "src/config.h"
#include "src/keymap.h"

static fd_key key1(const char *name)
{
    fd_key keys[FD_KEYSEQ_MAX];
    size_t n = 0;
    char err[128];
    assert_int_equal(keymap_parse_keys(name, keys, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    return keys[0];
}

/* The action keys reach in ctx, or -1 (no match) / -2 (pending). */
static int lookup(const struct keymap *km, enum fd_context ctx, const char *keys_text)
{
    fd_key keys[FD_KEYSEQ_MAX];
    size_t n = 0;
    char err[128];
    enum fd_action a = FD_ACTION_NONE;
    assert_int_equal(keymap_parse_keys(keys_text, keys, &n, err, sizeof err), 0);
    switch (keymap_lookup(km, ctx, keys, n, &a)) {
    case KEYMAP_MATCH:
        return (int)a;
    case KEYMAP_PENDING:
        return -2;
    default:
        return -1;
    }
}

static void key_names_parse(void **state)
{
    assert_int_equal(key1("j"), 'j');
    assert_int_equal(key1("G"), 'G');
    assert_int_equal(key1("é"), 0xE9);
    assert_int_equal(key1("<C-d>"), FD_KEY_CTRL | 'd');
    assert_int_equal(key1("<C-D>"), FD_KEY_CTRL | 'd');
    assert_int_equal(key1("<c-d>"), FD_KEY_CTRL | 'd');
    assert_int_equal(key1("<M-x>"), FD_KEY_META | 'x');
    assert_int_equal(key1("<A-x>"), FD_KEY_META | 'x');
    assert_int_equal(key1("<C-M-x>"), FD_KEY_CTRL | FD_KEY_META | 'x');
    assert_int_equal(key1("<Enter>"), FD_KEY_ENTER);
    assert_int_equal(key1("<enter>"), FD_KEY_ENTER);
    assert_int_equal(key1("<Esc>"), FD_KEY_ESC);
    assert_int_equal(key1("<Tab>"), FD_KEY_TAB);
    assert_int_equal(key1("<S-Tab>"), FD_KEY_BACKTAB);
    assert_int_equal(key1("<Space>"), ' ');
    assert_int_equal(key1("<PageDown>"), FD_KEY_PAGE_DOWN);
    assert_int_equal(key1("<PageUp>"), FD_KEY_PAGE_UP);
    assert_int_equal(key1("<Up>"), FD_KEY_UP);
    assert_int_equal(key1("<Down>"), FD_KEY_DOWN);
    assert_int_equal(key1("<Left>"), FD_KEY_LEFT);
    assert_int_equal(key1("<Right>"), FD_KEY_RIGHT);
    assert_int_equal(key1("<Home>"), FD_KEY_HOME);
    assert_int_equal(key1("<End>"), FD_KEY_END);
    assert_int_equal(key1("<Backspace>"), FD_KEY_BACKSPACE);
    assert_int_equal(key1("<Delete>"), FD_KEY_DELETE);
    assert_int_equal(key1("<F1>"), FD_KEY_F(1));
    assert_int_equal(key1("<F12>"), FD_KEY_F(12));
    assert_int_equal(key1("<lt>"), '<');
    assert_int_equal(key1("<"), '<');
    assert_int_equal(key1("<Hash>"), '#');
    /* Ctrl letters the terminal cannot tell apart from other keys */
    assert_int_equal(key1("<C-i>"), FD_KEY_TAB);
    assert_int_equal(key1("<C-m>"), FD_KEY_ENTER);
    assert_int_equal(key1("<C-[>"), FD_KEY_ESC);
    assert_int_equal(key1("<C-h>"), FD_KEY_BACKSPACE);
}

static void bad_key_names_are_errors(void **state)
{
    fd_key keys[FD_KEYSEQ_MAX];
    size_t n;
    char err[128];
    assert_int_equal(keymap_parse_keys("<Foo>", keys, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "<Foo>"));
    assert_int_equal(keymap_parse_keys("<F13>", keys, &n, err, sizeof err), -1);
    assert_int_equal(keymap_parse_keys("abcd", keys, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer"));
    assert_int_equal(keymap_parse_keys("", keys, &n, err, sizeof err), -1);
    assert_int_equal(keymap_parse_keys("a\x01", keys, &n, err, sizeof err), -1);
}

static void sequences_parse_and_format_round_trip(void **state)
{
    const char *names[] = {"j",      "<C-d>",   "<C-x><C-e>", "<Space>", "<lt>",    "gg",
                           "<M-x>",  "<Enter>", "<F5>",       "<S-Tab>", "<C-M-x>", "<C-Space>",
                           "<Hash>", "中",      ">",          "<M-gt>"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        fd_key keys[FD_KEYSEQ_MAX];
        size_t n;
        char err[128], out[64];
        assert_int_equal(keymap_parse_keys(names[i], keys, &n, err, sizeof err), 0);
        keymap_format_keys(keys, n, out, sizeof out);
        assert_string_equal(out, names[i]);
    }
}

static void raw_terminal_characters_translate(void **state)
{
    assert_int_equal(keymap_key_from_char(4), FD_KEY_CTRL | 'd');
    assert_int_equal(keymap_key_from_char(9), FD_KEY_TAB);
    assert_int_equal(keymap_key_from_char(13), FD_KEY_ENTER);
    assert_int_equal(keymap_key_from_char(10), FD_KEY_ENTER);
    assert_int_equal(keymap_key_from_char(27), FD_KEY_ESC);
    assert_int_equal(keymap_key_from_char(127), FD_KEY_BACKSPACE);
    assert_int_equal(keymap_key_from_char(8), FD_KEY_BACKSPACE);
    assert_int_equal(keymap_key_from_char(0), FD_KEY_CTRL | ' ');
    assert_int_equal(keymap_key_from_char(31), FD_KEY_CTRL | '_');
    assert_int_equal(keymap_key_from_char('x'), 'x');
    assert_true(keymap_key_is_text('x'));
    assert_true(keymap_key_is_text(0x4E2D));
    assert_false(keymap_key_is_text(FD_KEY_CTRL | 'x'));
    assert_false(keymap_key_is_text(FD_KEY_ENTER));
    assert_false(keymap_key_is_text(0x9B));
}

static void grammar_binds_and_unbinds(void **state)
{
    struct keymap *km = keymap_new();
    char err[256];
    const char *text = "# a comment\n"
                       "\n"
                       "bind generic q back   # trailing comment\n"
                       "bind list j move-down\n"
                       "   bind\tlist <C-d>  half-page-down\n"
                       "bind editor <C-x><C-e> external-editor\n"
                       "unbind list j\n";
    assert_int_equal(keymap_load_string(km, text, "test.keys", err, sizeof err), 0);
    assert_int_equal(lookup(km, FD_CTX_GENERIC, "q"), FD_ACTION_BACK);
    assert_int_equal(lookup(km, FD_CTX_LIST, "<C-d>"), FD_ACTION_HALF_PAGE_DOWN);
    assert_int_equal(lookup(km, FD_CTX_LIST, "j"), -1); /* unbound */
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-x>"), -2);
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-x><C-e>"), FD_ACTION_EXTERNAL_EDITOR);
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-x>q"), -1);
    keymap_free(km);
}

static void expect_error(const char *line, const char *needle)
{
    struct keymap *km = keymap_new();
    char err[256] = "";
    char text[256];
    snprintf(text, sizeof text, "bind list j move-down\n# ok\n%s\nbind list k move-up\n", line);
    assert_int_equal(keymap_load_string(km, text, "my.keys", err, sizeof err), -1);
    if (strncmp(err, "my.keys:3: ", 11) != 0 || !strstr(err, needle))
        fail_msg("for '%s' got '%s'", line, err);
    /* lines before the error were applied, lines after it were not */
    assert_int_equal(lookup(km, FD_CTX_LIST, "j"), FD_ACTION_MOVE_DOWN);
    assert_int_equal(lookup(km, FD_CTX_LIST, "k"), -1);
    keymap_free(km);
}

static void bad_lines_name_file_and_line(void **state)
{
    expect_error("bind lits j move-down", "unknown context 'lits'");
    expect_error("bind list j move-dwn", "unknown action 'move-dwn'");
    expect_error("bind list <Foo> quit", "unknown key name <Foo>");
    expect_error("bind list j", "expected: bind CONTEXT KEY ACTION");
    expect_error("bind list j quit extra", "expected: bind CONTEXT KEY ACTION");
    expect_error("unbind list z", "not bound");
    expect_error("unbind list", "expected: unbind CONTEXT KEY");
    expect_error("map list j quit", "unknown statement 'map'");
    expect_error("bind list j finish", "does not apply in the list context");
}

static void lookup_falls_back_to_generic(void **state)
{
    struct keymap *km = keymap_new();
    char err[256];
    const char *text = "bind generic q back\n"
                       "bind generic <C-l> redraw\n"
                       "bind generic ? help\n"
                       "bind list q quit\n"
                       "bind detail ? none\n"
                       "bind generic <C-x><C-c> quit\n"
                       "bind editor <C-x><C-e> external-editor\n";
    assert_int_equal(keymap_load_string(km, text, "t", err, sizeof err), 0);
    assert_int_equal(lookup(km, FD_CTX_LIST, "q"), FD_ACTION_QUIT);   /* own binding wins */
    assert_int_equal(lookup(km, FD_CTX_DETAIL, "q"), FD_ACTION_BACK); /* fallback */
    assert_int_equal(lookup(km, FD_CTX_DETAIL, "<C-l>"), FD_ACTION_REDRAW);
    assert_int_equal(lookup(km, FD_CTX_DETAIL, "?"), -1); /* "none" blocks it */
    assert_int_equal(lookup(km, FD_CTX_LIST, "?"), FD_ACTION_HELP);
    /* text keys type text in the editor, prompt and picker */
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "q"), -1);
    assert_int_equal(lookup(km, FD_CTX_PROMPT, "?"), -1);
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-l>"), FD_ACTION_REDRAW);
    /* the editor's own <C-x> prefix wins over generic's */
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-x>"), -2);
    /* ... but a whole sequence the editor lacks still reaches generic */
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-x><C-c>"), FD_ACTION_QUIT);
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-x>z"), -1);
    assert_int_equal(lookup(km, FD_CTX_LIST, "<C-x><C-c>"), FD_ACTION_QUIT);
    keymap_free(km);
}

static void windows_line_ends_and_bom_are_accepted(void **state)
{
    struct keymap *km = keymap_new();
    char err[256] = "";
    const char *text = "\xEF\xBB\xBF# from a Windows editor\r\nbind list x resolve\r\n";
    if (keymap_load_string(km, text, "w.keys", err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(lookup(km, FD_CTX_LIST, "x"), FD_ACTION_RESOLVE);
    keymap_free(km);
}

static void later_bindings_override(void **state)
{
    struct keymap *km = keymap_new();
    char err[256];
    assert_int_equal(
        keymap_load_string(km, "bind list x resolve\nbind list x close\n", "t", err, sizeof err),
        0);
    assert_int_equal(lookup(km, FD_CTX_LIST, "x"), FD_ACTION_CLOSE);
    keymap_free(km);
}

/* Every key the brief promises, in the default keymap. */
static void default_keymap_binds_the_documented_keys(void **state)
{
    struct keymap *km = keymap_new();
    char err[256] = "";
    if (keymap_load_string(km, keymap_default_text, "default.keys", err, sizeof err) != 0)
        fail_msg("default keymap: %s", err);
    static const struct {
        enum fd_context ctx;
        const char *keys;
        enum fd_action action;
    } want[] = {
        {FD_CTX_LIST, "j", FD_ACTION_MOVE_DOWN},
        {FD_CTX_LIST, "k", FD_ACTION_MOVE_UP},
        {FD_CTX_LIST, "<Down>", FD_ACTION_MOVE_DOWN},
        {FD_CTX_LIST, "<Up>", FD_ACTION_MOVE_UP},
        {FD_CTX_LIST, "g", FD_ACTION_FIRST},
        {FD_CTX_LIST, "G", FD_ACTION_LAST},
        {FD_CTX_LIST, "<C-d>", FD_ACTION_HALF_PAGE_DOWN},
        {FD_CTX_LIST, "<C-u>", FD_ACTION_HALF_PAGE_UP},
        {FD_CTX_LIST, "<PageDown>", FD_ACTION_PAGE_DOWN},
        {FD_CTX_LIST, "<PageUp>", FD_ACTION_PAGE_UP},
        {FD_CTX_LIST, "/", FD_ACTION_SEARCH_LOCAL},
        {FD_CTX_LIST, ":", FD_ACTION_COMMAND_LINE},
        {FD_CTX_LIST, "?", FD_ACTION_HELP},
        {FD_CTX_LIST, "q", FD_ACTION_BACK},
        {FD_CTX_LIST, "<Enter>", FD_ACTION_OPEN},
        {FD_CTX_LIST, "<Tab>", FD_ACTION_TOGGLE_FOCUS},
        {FD_CTX_LIST, "r", FD_ACTION_REPLY},
        {FD_CTX_LIST, "N", FD_ACTION_NOTE},
        {FD_CTX_LIST, "<Space>", FD_ACTION_MARK},
        {FD_CTX_LIST, "<C-l>", FD_ACTION_REDRAW},
        {FD_CTX_LIST, "<C-z>", FD_ACTION_SUSPEND},
        {FD_CTX_LIST, "cg", FD_ACTION_SET_GROUP},
        {FD_CTX_DETAIL, "n", FD_ACTION_NEXT_TICKET},
        {FD_CTX_DETAIL, "p", FD_ACTION_PREV_TICKET},
        {FD_CTX_DETAIL, "j", FD_ACTION_SCROLL_DOWN},
        {FD_CTX_DETAIL, "k", FD_ACTION_SCROLL_UP},
        {FD_CTX_DETAIL, "q", FD_ACTION_BACK},
        {FD_CTX_DETAIL, "<Esc>", FD_ACTION_BACK},
        {FD_CTX_DETAIL, "<Tab>", FD_ACTION_TOGGLE_FOCUS},
        {FD_CTX_DETAIL, "r", FD_ACTION_REPLY},
        {FD_CTX_DETAIL, "N", FD_ACTION_NOTE},
        {FD_CTX_DETAIL, "T", FD_ACTION_TOGGLE_QUOTED},
        {FD_CTX_EDITOR, "<C-x><C-e>", FD_ACTION_EXTERNAL_EDITOR},
        {FD_CTX_EDITOR, "<C-x><C-s>", FD_ACTION_FINISH},
        {FD_CTX_EDITOR, "<Esc>", FD_ACTION_CANCEL},
        {FD_CTX_EDITOR, "<Enter>", FD_ACTION_NEWLINE},
        {FD_CTX_REVIEW, "y", FD_ACTION_SEND},
        {FD_CTX_REVIEW, "e", FD_ACTION_EDIT},
        {FD_CTX_REVIEW, "E", FD_ACTION_EXTERNAL_EDITOR},
        {FD_CTX_REVIEW, "p", FD_ACTION_POSTPONE},
        {FD_CTX_REVIEW, "D", FD_ACTION_DISCARD},
        {FD_CTX_PROMPT, "<Enter>", FD_ACTION_ACCEPT},
        {FD_CTX_PROMPT, "<Esc>", FD_ACTION_CANCEL},
        {FD_CTX_PICKER, "<Enter>", FD_ACTION_ACCEPT},
        {FD_CTX_PICKER, "<Down>", FD_ACTION_NEXT},
        {FD_CTX_PICKER, "<Up>", FD_ACTION_PREV},
        {FD_CTX_PICKER, "<Esc>", FD_ACTION_CANCEL},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int got = lookup(km, want[i].ctx, want[i].keys);
        if (got != (int)want[i].action)
            fail_msg("%s %s: want %s, got %d", action_context_name(want[i].ctx), want[i].keys,
                     action_name(want[i].action), got);
    }
    /* the editor never loses typed letters to a generic binding */
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "q"), -1);
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "?"), -1);
    keymap_free(km);
}

static void emacs_keymap_loads_over_the_default(void **state)
{
    struct keymap *km = keymap_new();
    char err[256] = "";
    struct fd_config cfg = {.keymap_file = "emacs"};
    if (keymap_load_config(km, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(lookup(km, FD_CTX_LIST, "<C-n>"), FD_ACTION_MOVE_DOWN);
    assert_int_equal(lookup(km, FD_CTX_EDITOR, "<C-c><C-c>"), FD_ACTION_FINISH);
    assert_int_equal(lookup(km, FD_CTX_LIST, "<M-x>"), FD_ACTION_COMMAND_LINE);
    assert_int_equal(lookup(km, FD_CTX_LIST, "j"), FD_ACTION_MOVE_DOWN); /* defaults stay */
    keymap_free(km);
}

static void config_file_keymap_and_bind_lines_apply_in_order(void **state)
{
    char path[] = "/tmp/fdesk-keymap-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *user = "bind list J last\nunbind list G\n";
    assert_int_equal(write(fd, user, strlen(user)), (ssize_t)strlen(user));
    close(fd);

    struct fd_config_extra extra[] = {
        {.file = "config", .line = 7, .text = "bind list J first"},
        {.file = "config", .line = 8, .text = "view mine = agent:me"},
        {.file = "config", .line = 9, .text = "unbind list g"},
    };
    struct fd_config cfg = {.keymap_file = path, .extra = extra, .extra_count = 3};
    struct keymap *km = keymap_new();
    char err[256] = "";
    if (keymap_load_config(km, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(lookup(km, FD_CTX_LIST, "J"), FD_ACTION_FIRST); /* config after file */
    assert_int_equal(lookup(km, FD_CTX_LIST, "G"), -1);
    assert_int_equal(lookup(km, FD_CTX_LIST, "g"), -1);
    keymap_free(km);

    /* an error in the config's lines names the config file and its line */
    extra[2].text = "bind list g nonsense";
    km = keymap_new();
    assert_int_equal(keymap_load_config(km, &cfg, err, sizeof err), -1);
    assert_string_equal(err,
                        "config:9: unknown action 'nonsense' (fdesk --list-actions shows them)");
    keymap_free(km);

    /* a relative keymap path is found next to the config file */
    char cfgpath[64];
    snprintf(cfgpath, sizeof cfgpath, "/tmp/%s", "fdesk-config-test");
    cfg.path = cfgpath;
    cfg.keymap_file = strrchr(path, '/') + 1;
    cfg.extra_count = 0;
    km = keymap_new();
    if (keymap_load_config(km, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(lookup(km, FD_CTX_LIST, "J"), FD_ACTION_LAST);
    keymap_free(km);
    cfg.path = NULL;
    cfg.extra_count = 3;

    /* a bad user file names itself */
    cfg.keymap_file = "/nonexistent/fdesk.keys";
    km = keymap_new();
    assert_int_equal(keymap_load_config(km, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/fdesk.keys: "));
    keymap_free(km);
    unlink(path);
}

static void help_lists_context_actions_with_live_keys(void **state)
{
    struct keymap *km = keymap_new();
    char err[256];
    assert_int_equal(keymap_load_string(km, keymap_default_text, "d", err, sizeof err), 0);
    assert_int_equal(keymap_load_string(km, "bind list <F9> reply\n", "u", err, sizeof err), 0);
    size_t n = 0;
    struct keymap_help_line *lines = keymap_help(km, FD_CTX_LIST, &n);
    assert_non_null(lines);
    bool saw_reply = false, saw_help = false, saw_finish = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(lines[i].name, "reply") == 0) {
            saw_reply = true;
            assert_string_equal(lines[i].keys, "r, <F9>");
            assert_string_equal(lines[i].help, action_help(FD_ACTION_REPLY));
        }
        if (strcmp(lines[i].name, "help") == 0) {
            saw_help = true;
            assert_true(lines[i].from_generic);
            assert_string_equal(lines[i].keys, "?, <F1>");
        }
        if (strcmp(lines[i].name, "finish") == 0)
            saw_finish = true;
    }
    assert_true(saw_reply);
    assert_true(saw_help);
    assert_false(saw_finish); /* an editor action is not in the list's help */
    free(lines);

    /* a generic key shadowed in the context is not shown for the generic action */
    assert_int_equal(keymap_load_string(km, "bind detail q toggle-quoted\n", "u", err, sizeof err),
                     0);
    lines = keymap_help(km, FD_CTX_DETAIL, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(lines[i].name, "back") == 0)
            assert_string_equal(lines[i].keys, "<Esc>");
    free(lines);
    keymap_free(km);
}

static void action_table_lookups(void **state)
{
    assert_string_equal(action_name(FD_ACTION_MOVE_DOWN), "move-down");
    assert_int_equal(action_from_name("move-down"), FD_ACTION_MOVE_DOWN);
    assert_int_equal(action_from_name("none"), FD_ACTION_NONE);
    assert_int_equal(action_from_name("no-such-action"), -1);
    assert_int_equal(action_context_from_name("picker"), FD_CTX_PICKER);
    assert_int_equal(action_context_from_name("nowhere"), -1);
    assert_true(action_in_context(FD_ACTION_QUIT, FD_CTX_EDITOR)); /* generic */
    assert_true(action_in_context(FD_ACTION_REPLY, FD_CTX_DETAIL));
    assert_false(action_in_context(FD_ACTION_REPLY, FD_CTX_EDITOR));
    char buf[64];
    action_contexts_string(action_contexts(FD_ACTION_REPLY), buf, sizeof buf);
    assert_string_equal(buf, "list,detail");
    assert_null(action_name(FD_ACTION_COUNT));
    /* names are unique, lowercase words joined by '-', and every action has help */
    for (int i = 1; i < FD_ACTION_COUNT; i++) {
        const char *name = action_name((enum fd_action)i);
        assert_int_equal(action_from_name(name), i);
        for (const char *p = name; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '-');
        assert_true(strlen(action_help((enum fd_action)i)) > 5);
        assert_true(action_contexts((enum fd_action)i) != 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_names_parse),
        cmocka_unit_test(bad_key_names_are_errors),
        cmocka_unit_test(sequences_parse_and_format_round_trip),
        cmocka_unit_test(raw_terminal_characters_translate),
        cmocka_unit_test(grammar_binds_and_unbinds),
        cmocka_unit_test(bad_lines_name_file_and_line),
        cmocka_unit_test(lookup_falls_back_to_generic),
        cmocka_unit_test(later_bindings_override),
        cmocka_unit_test(windows_line_ends_and_bom_are_accepted),
        cmocka_unit_test(default_keymap_binds_the_documented_keys),
        cmocka_unit_test(emacs_keymap_loads_over_the_default),
        cmocka_unit_test(config_file_keymap_and_bind_lines_apply_in_order),
        cmocka_unit_test(help_lists_context_actions_with_live_keys),
        cmocka_unit_test(action_table_lookups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
