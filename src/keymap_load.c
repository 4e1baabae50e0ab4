/* keymap_load.c: the keymap file grammar (bind / unbind lines), loading the
 * compiled-in, user and config keymaps in order, and the help lines built
 * from the action table and the live keymap. */
#include "src/keymap.h"
#include "src/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEYMAP_MAX_WORDS 8

static int line_error(char *err, size_t errsize, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int line_error(char *err, size_t errsize, const char *file, int line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (err && errsize)
        snprintf(err, errsize, "%s:%d: %s", file ? file : "keymap", line, msg);
    return -1;
}

/* Splits a line into words at spaces and tabs; '#' at the start of a word
 * begins a comment. Returns the number of words, or -1 when there are more
 * than max. */
static int split_words(char *line, char *words[], int max)
{
    int n = 0;

    for (char *p = line;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p == '\0' || *p == '#')
            return n;
        if (n == max)
            return -1;
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
            p++;
        if (*p)
            *p++ = '\0';
    }
}

static int parse_context(const char *word, const char *file, int line, char *err, size_t errsize)
{
    int ctx = action_context_from_name(word);

    if (ctx < 0)
        return line_error(err, errsize, file, line,
                          "unknown context '%s' (one of: generic list detail editor prompt "
                          "picker review)",
                          word);
    return ctx;
}

static int apply_bind(struct keymap *km, char **w, int n, const char *file, int line, char *err,
                      size_t errsize)
{
    fd_key keys[FD_KEYSEQ_MAX];
    size_t nkeys;
    char msg[160];

    if (n != 4)
        return line_error(err, errsize, file, line, "expected: bind CONTEXT KEY ACTION");
    int ctx = parse_context(w[1], file, line, err, errsize);
    if (ctx < 0)
        return -1;
    if (keymap_parse_keys(w[2], keys, &nkeys, msg, sizeof msg) != 0)
        return line_error(err, errsize, file, line, "%s", msg);
    int action = action_from_name(w[3]);
    if (action < 0)
        return line_error(err, errsize, file, line,
                          "unknown action '%s' (fdesk --list-actions shows them)", w[3]);
    if (ctx != FD_CTX_GENERIC && action != FD_ACTION_NONE &&
        !action_in_context((enum fd_action)action, (enum fd_context)ctx)) {
        char where[128];
        action_contexts_string(action_contexts((enum fd_action)action), where, sizeof where);
        return line_error(err, errsize, file, line,
                          "action '%s' does not apply in the %s context (only in: %s)", w[3], w[1],
                          where);
    }
    if (keymap_bind(km, (enum fd_context)ctx, keys, nkeys, (enum fd_action)action) != 0)
        return line_error(err, errsize, file, line, "out of memory");
    return 0;
}

static int apply_unbind(struct keymap *km, char **w, int n, const char *file, int line, char *err,
                        size_t errsize)
{
    fd_key keys[FD_KEYSEQ_MAX];
    size_t nkeys;
    char msg[160];

    if (n != 3)
        return line_error(err, errsize, file, line, "expected: unbind CONTEXT KEY");
    int ctx = parse_context(w[1], file, line, err, errsize);
    if (ctx < 0)
        return -1;
    if (keymap_parse_keys(w[2], keys, &nkeys, msg, sizeof msg) != 0)
        return line_error(err, errsize, file, line, "%s", msg);
    if (keymap_unbind(km, (enum fd_context)ctx, keys, nkeys) != 0)
        return line_error(err, errsize, file, line, "%s is not bound in the %s context", w[2],
                          w[1]);
    return 0;
}

int keymap_apply_line(struct keymap *km, const char *text, const char *file, int line, char *err,
                      size_t errsize)
{
    char *words[KEYMAP_MAX_WORDS];
    char *copy = strdup(text ? text : "");
    int rc;

    if (!copy)
        return line_error(err, errsize, file, line, "out of memory");
    int n = split_words(copy, words, KEYMAP_MAX_WORDS);
    if (n == 0)
        rc = 0;
    else if (n < 0)
        rc = line_error(err, errsize, file, line, "too many words");
    else if (strcmp(words[0], "bind") == 0)
        rc = apply_bind(km, words, n, file, line, err, errsize);
    else if (strcmp(words[0], "unbind") == 0)
        rc = apply_unbind(km, words, n, file, line, err, errsize);
    else
        rc = line_error(err, errsize, file, line,
                        "unknown statement '%s' (expected bind or unbind)", words[0]);
    free(copy);
    return rc;
}

int keymap_load_string(struct keymap *km, const char *text, const char *file, char *err,
                       size_t errsize)
{
    int line = 1;

    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3; /* a byte order mark left by some editors */
    for (const char *p = text; *p; line++) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *one = strndup(p, len);
        if (!one)
            return line_error(err, errsize, file, line, "out of memory");
        int rc = keymap_apply_line(km, one, file, line, err, errsize);
        free(one);
        if (rc != 0)
            return -1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

int keymap_load_file(struct keymap *km, const char *path, char *err, size_t errsize)
{
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t size = 0;

    if (!f) {
        if (err && errsize)
            snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    FILE *mem = open_memstream(&text, &size);
    char chunk[4096];
    size_t got;
    while (mem && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, mem);
    bool failed = ferror(f) || !mem;
    fclose(f);
    if (mem)
        fclose(mem);
    if (failed || !text) {
        free(text);
        if (err && errsize)
            snprintf(err, errsize, "%s: cannot read the file", path);
        return -1;
    }
    if (strlen(text) != size) {
        free(text);
        if (err && errsize)
            snprintf(err, errsize, "%s: contains a NUL byte: not a keymap file", path);
        return -1;
    }
    int rc = keymap_load_string(km, text, path, err, errsize);
    free(text);
    return rc;
}

static bool starts_with_word(const char *line, const char *word)
{
    size_t n = strlen(word);
    return strncmp(line, word, n) == 0 && (line[n] == ' ' || line[n] == '\t');
}

/* "~/x" is in $HOME; a relative path is next to the config file. */
static int load_user_file(struct keymap *km, const struct fd_config *cfg, const char *file,
                          char *err, size_t errsize)
{
    const char *home = getenv("HOME");
    const char *dir = NULL;
    size_t dir_len = 0;

    if (strncmp(file, "~/", 2) == 0 && home && *home) {
        dir = home;
        dir_len = strlen(home);
        file += 2;
    } else if (file[0] != '/' && cfg->path && strrchr(cfg->path, '/')) {
        dir = cfg->path;
        dir_len = (size_t)(strrchr(cfg->path, '/') - cfg->path);
    }
    if (!dir)
        return keymap_load_file(km, file, err, errsize);
    char *path = malloc(dir_len + strlen(file) + 2);
    if (!path)
        return line_error(err, errsize, file, 0, "out of memory");
    memcpy(path, dir, dir_len);
    path[dir_len] = '/';
    strcpy(path + dir_len + 1, file);
    int rc = keymap_load_file(km, path, err, errsize);
    free(path);
    return rc;
}

int keymap_load_config(struct keymap *km, const struct fd_config *cfg, char *err, size_t errsize)
{
    if (keymap_load_string(km, keymap_default_text, "<default keymap>", err, errsize) != 0)
        return -1;
    if (!cfg)
        return 0;
    const char *file = cfg->keymap_file;
    if (file && *file) {
        int rc;
        if (strcmp(file, "default") == 0 || strcmp(file, "vi") == 0)
            rc = 0;
        else if (strcmp(file, "emacs") == 0)
            rc = keymap_load_string(km, keymap_emacs_text, "<emacs keymap>", err, errsize);
        else
            rc = load_user_file(km, cfg, file, err, errsize);
        if (rc != 0)
            return -1;
    }
    for (size_t i = 0; i < cfg->extra_count; i++) {
        const struct fd_config_extra *x = &cfg->extra[i];
        if (!x->text || !(starts_with_word(x->text, "bind") || starts_with_word(x->text, "unbind")))
            continue;
        if (keymap_apply_line(km, x->text, x->file, x->line, err, errsize) != 0)
            return -1;
    }
    return 0;
}

/* ---- help ---------------------------------------------------------------- */

/* Appends the keys of the bindings in bctx that reach action from ctx. */
static size_t collect_keys(const struct keymap *km, enum fd_context ctx, enum fd_context bctx,
                           enum fd_action action, char *buf, size_t size)
{
    size_t count = 0, used = strlen(buf);
    char name[64];
    fd_key keys[FD_KEYSEQ_MAX];

    enum fd_context c;
    size_t n;
    enum fd_action a, reached;

    for (size_t i = 0; keymap_binding_get(km, i, &c, keys, &n, &a); i++) {
        if (c != bctx || a != action || keymap_lookup(km, ctx, keys, n, &reached) != KEYMAP_MATCH ||
            reached != action)
            continue;
        keymap_format_keys(keys, n, name, sizeof name);
        size_t need = strlen(name) + (used ? 2 : 0);
        if (used + need + 1 > size)
            break;
        if (used) {
            memcpy(buf + used, ", ", 2);
            used += 2;
        }
        memcpy(buf + used, name, strlen(name) + 1);
        used += strlen(name);
        count++;
    }
    return count;
}

size_t keymap_keys_for(const struct keymap *km, enum fd_context ctx, enum fd_action action,
                       char *buf, size_t size)
{
    if (size == 0)
        return 0;
    buf[0] = '\0';
    return collect_keys(km, ctx, ctx, action, buf, size);
}

struct keymap_help_line *keymap_help(const struct keymap *km, enum fd_context ctx, size_t *count)
{
    struct keymap_help_line *lines = calloc(FD_ACTION_COUNT, sizeof *lines);
    size_t n = 0;

    *count = 0;
    if (!lines)
        return NULL;
    /* The context's own actions first, then the generic ones. */
    for (int pass = 0; pass < 2; pass++) {
        for (int a = 1; a < FD_ACTION_COUNT; a++) {
            unsigned set = action_contexts((enum fd_action)a);
            bool generic = set & FD_CTXB_GENERIC;
            bool own = ctx != FD_CTX_GENERIC && (set & (1u << ctx));
            if ((pass == 0 && (!own || generic)) || (pass == 1 && !generic))
                continue;
            struct keymap_help_line *l = &lines[n++];
            l->name = action_name((enum fd_action)a);
            l->help = action_help((enum fd_action)a);
            if (ctx != FD_CTX_GENERIC)
                collect_keys(km, ctx, ctx, (enum fd_action)a, l->keys, sizeof l->keys);
            if (l->keys[0] == '\0') {
                collect_keys(km, ctx, FD_CTX_GENERIC, (enum fd_action)a, l->keys, sizeof l->keys);
                l->from_generic = l->keys[0] != '\0';
            }
        }
    }
    *count = n;
    return lines;
}
