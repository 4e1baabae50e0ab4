/* keymap.c: key names, the keymap file grammar and key lookup with the
 * fallback from a context to generic.
 *
 * A keymap is a flat array of bindings: there are a few hundred at most and
 * a key press looks up a handful, so a linear scan is simpler and as fast as
 * any tree. The help screen is generated here from the action table and the
 * live bindings, so it can never disagree with what the keys do. */
#include "src/keymap.h"
#include "src/config.h"
#include "src/text_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct binding {
    fd_key keys[FD_KEYSEQ_MAX];
    unsigned char n;
    unsigned char ctx;
    unsigned short action;
};

struct keymap {
    struct binding *v;
    size_t n, cap;
};

static const struct {
    const char *name;
    fd_key key;
} key_names[] = {
    /* The first name of a key is its canonical one (keymap_format_keys). */
    {"Enter", FD_KEY_ENTER},
    {"Return", FD_KEY_ENTER},
    {"CR", FD_KEY_ENTER},
    {"Esc", FD_KEY_ESC},
    {"Escape", FD_KEY_ESC},
    {"Tab", FD_KEY_TAB},
    {"S-Tab", FD_KEY_BACKTAB},
    {"BackTab", FD_KEY_BACKTAB},
    {"Backspace", FD_KEY_BACKSPACE},
    {"BS", FD_KEY_BACKSPACE},
    {"Delete", FD_KEY_DELETE},
    {"Del", FD_KEY_DELETE},
    {"Insert", FD_KEY_INSERT},
    {"Ins", FD_KEY_INSERT},
    {"Up", FD_KEY_UP},
    {"Down", FD_KEY_DOWN},
    {"Left", FD_KEY_LEFT},
    {"Right", FD_KEY_RIGHT},
    {"Home", FD_KEY_HOME},
    {"End", FD_KEY_END},
    {"PageUp", FD_KEY_PAGE_UP},
    {"PgUp", FD_KEY_PAGE_UP},
    {"PageDown", FD_KEY_PAGE_DOWN},
    {"PgDn", FD_KEY_PAGE_DOWN},
    {"Space", ' '},
    {"lt", '<'},
    {"gt", '>'},
    {"Hash", '#'},
    {"Bslash", '\\'},
};

fd_key keymap_key_from_char(uint32_t c)
{
    switch (c) {
    case 0:
        return FD_KEY_CTRL | ' ';
    case 8:
    case 127:
        return FD_KEY_BACKSPACE;
    case 9:
        return FD_KEY_TAB;
    case 10:
    case 13:
        return FD_KEY_ENTER;
    case 27:
        return FD_KEY_ESC;
    default:
        break;
    }
    if (c >= 1 && c <= 26)
        return FD_KEY_CTRL | ('a' + c - 1);
    if (c >= 28 && c <= 31)
        return FD_KEY_CTRL | ('\\' + c - 28);
    return c;
}

bool keymap_key_is_text(fd_key key)
{
    if (key & FD_KEY_MODS)
        return false;
    return key >= 0x20 && key < FD_KEY_SPECIAL && key != 0x7F && !(key >= 0x80 && key < 0xA0);
}

/* Ctrl with a key: the terminal cannot tell <C-i> from <Tab> and so on, so
 * they are the same key here too. */
static fd_key ctrl_of(fd_key key)
{
    fd_key base = FD_KEY_BASE(key), mods = key & FD_KEY_MODS;

    if (base >= 'A' && base <= 'Z')
        base += 'a' - 'A';
    if (base == 'i')
        return mods | FD_KEY_TAB;
    if (base == 'm' || base == 'j')
        return mods | FD_KEY_ENTER;
    if (base == '[')
        return mods | FD_KEY_ESC;
    if (base == 'h')
        return mods | FD_KEY_BACKSPACE;
    return mods | FD_KEY_CTRL | base;
}

static int key_error(char *err, size_t errsize, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int key_error(char *err, size_t errsize, const char *fmt, ...)
{
    va_list ap;

    if (err && errsize) {
        va_start(ap, fmt);
        vsnprintf(err, errsize, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Parses the inside of <...> (len bytes at s). */
static int parse_named(const char *s, size_t len, fd_key *key, char *err, size_t errsize)
{
    fd_key mods = 0;
    bool ctrl = false;

    for (;;) {
        if (len > 2 && s[1] == '-' && (s[0] == 'C' || s[0] == 'c')) {
            ctrl = true;
        } else if (len > 2 && s[1] == '-' && strchr("MmAa", s[0])) {
            mods |= FD_KEY_META;
        } else {
            break;
        }
        s += 2;
        len -= 2;
    }
    fd_key base = 0;
    bool found = false;
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        if (strlen(key_names[i].name) == len && strncasecmp(key_names[i].name, s, len) == 0) {
            base = key_names[i].key;
            found = true;
            break;
        }
    }
    if (!found && len > 1 && (s[0] == 'F' || s[0] == 'f')) {
        char *end;
        long n = strtol(s + 1, &end, 10);
        if (end == s + len && n >= 1 && n <= 12) {
            base = FD_KEY_F(n);
            found = true;
        }
    }
    if (!found) {
        uint32_t cp;
        size_t used = len ? text_utf8_decode((const unsigned char *)s, len, &cp) : 0;
        if (used == len && len > 0 && cp != TEXT_INVALID_CP && cp >= 0x21 && cp != 0x7F) {
            base = cp;
            found = true;
        }
    }
    if (!found)
        return key_error(err, errsize, "unknown key name <%.*s>", (int)len, s);
    *key = ctrl ? ctrl_of(mods | base) : (mods | base);
    return 0;
}

int keymap_parse_keys(const char *word, fd_key keys[FD_KEYSEQ_MAX], size_t *n, char *err,
                      size_t errsize)
{
    size_t count = 0, len = strlen(word);

    if (len == 0)
        return key_error(err, errsize, "missing key");
    for (size_t i = 0; i < len;) {
        fd_key key = 0;
        const char *close = word[i] == '<' ? strchr(word + i, '>') : NULL;
        if (close && close > word + i + 1) {
            if (parse_named(word + i + 1, (size_t)(close - word - i - 1), &key, err, errsize))
                return -1;
            i = (size_t)(close - word) + 1;
        } else {
            uint32_t cp;
            size_t used = text_utf8_decode((const unsigned char *)word + i, len - i, &cp);
            if (cp == TEXT_INVALID_CP || cp < 0x21 || cp == 0x7F)
                return key_error(err, errsize, "invalid character in key '%s'", word);
            key = cp;
            i += used;
        }
        if (count == FD_KEYSEQ_MAX)
            return key_error(err, errsize, "key sequence '%s' is longer than %d keys", word,
                             FD_KEYSEQ_MAX);
        keys[count++] = key;
    }
    *n = count;
    return 0;
}

static void format_one(fd_key key, struct text_buf *b)
{
    fd_key base = FD_KEY_BASE(key);
    bool named = (key & FD_KEY_MODS) || base >= FD_KEY_SPECIAL || base == ' ' || base == '<' ||
                 base == '#' || base == '>';
    const char *name = NULL;
    char tmp[16];

    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0] && !name; i++)
        if (key_names[i].key == base)
            name = key_names[i].name;
    if (!name && base >= FD_KEY_F(1) && base <= FD_KEY_F(12)) {
        snprintf(tmp, sizeof tmp, "F%u", (unsigned)(base - FD_KEY_F0));
        name = tmp;
    }
    if (base == '>' && !(key & FD_KEY_MODS))
        named = false; /* a plain '>' is written as it is */
    if (!named) {
        text_buf_add_cp(b, base < FD_KEY_SPECIAL ? base : 0xFFFD);
        return;
    }
    text_buf_addc(b, '<');
    if (key & FD_KEY_CTRL)
        text_buf_add_str(b, "C-");
    if (key & FD_KEY_META)
        text_buf_add_str(b, "M-");
    if (name)
        text_buf_add_str(b, name);
    else
        text_buf_add_cp(b, base < FD_KEY_SPECIAL ? base : 0xFFFD);
    text_buf_addc(b, '>');
}

size_t keymap_format_keys(const fd_key *keys, size_t n, char *buf, size_t size)
{
    struct text_buf b = {0};

    for (size_t i = 0; i < n; i++)
        format_one(keys[i], &b);
    char *s = text_buf_finish(&b);
    size_t len = s ? strlen(s) : 0;
    if (size > 0) {
        size_t copy = len < size ? len : size - 1;
        if (s)
            memcpy(buf, s, copy);
        buf[copy] = '\0';
    }
    free(s);
    return len;
}

/* ---- the keymap ---------------------------------------------------------- */

struct keymap *keymap_new(void)
{
    return calloc(1, sizeof(struct keymap));
}

void keymap_free(struct keymap *km)
{
    if (!km)
        return;
    free(km->v);
    free(km);
}

static bool same_keys(const struct binding *b, const fd_key *keys, size_t n)
{
    return b->n == n && memcmp(b->keys, keys, n * sizeof *keys) == 0;
}

static struct binding *find(const struct keymap *km, enum fd_context ctx, const fd_key *keys,
                            size_t n)
{
    for (size_t i = 0; i < km->n; i++)
        if (km->v[i].ctx == ctx && same_keys(&km->v[i], keys, n))
            return &km->v[i];
    return NULL;
}

int keymap_bind(struct keymap *km, enum fd_context ctx, const fd_key *keys, size_t n,
                enum fd_action action)
{
    if (n == 0 || n > FD_KEYSEQ_MAX || (unsigned)ctx >= FD_CTX_COUNT ||
        (unsigned)action >= FD_ACTION_COUNT)
        return -1;
    struct binding *b = find(km, ctx, keys, n);
    if (!b) {
        if (km->n == km->cap) {
            size_t cap = km->cap ? km->cap * 2 : 128;
            struct binding *v = realloc(km->v, cap * sizeof *v);
            if (!v)
                return -1;
            km->v = v;
            km->cap = cap;
        }
        b = &km->v[km->n++];
        memset(b, 0, sizeof *b);
        memcpy(b->keys, keys, n * sizeof *keys);
        b->n = (unsigned char)n;
        b->ctx = (unsigned char)ctx;
    }
    b->action = (unsigned short)action;
    return 0;
}

int keymap_unbind(struct keymap *km, enum fd_context ctx, const fd_key *keys, size_t n)
{
    struct binding *b = find(km, ctx, keys, n);

    if (!b)
        return -1;
    size_t i = (size_t)(b - km->v);
    memmove(&km->v[i], &km->v[i + 1], (km->n - i - 1) * sizeof *b);
    km->n--;
    return 0;
}

bool keymap_binding_get(const struct keymap *km, size_t i, enum fd_context *ctx,
                        fd_key keys[FD_KEYSEQ_MAX], size_t *n, enum fd_action *action)
{
    if (!km || i >= km->n)
        return false;
    const struct binding *b = &km->v[i];
    *ctx = (enum fd_context)b->ctx;
    memcpy(keys, b->keys, b->n * sizeof *keys);
    *n = b->n;
    *action = (enum fd_action)b->action;
    return true;
}

static enum keymap_match lookup_in(const struct keymap *km, enum fd_context ctx, const fd_key *keys,
                                   size_t n, enum fd_action *action)
{
    const struct binding *exact = find(km, ctx, keys, n);

    if (exact) {
        *action = (enum fd_action)exact->action;
        return KEYMAP_MATCH;
    }
    for (size_t i = 0; i < km->n; i++) {
        const struct binding *b = &km->v[i];
        if (b->ctx == ctx && b->n > n && memcmp(b->keys, keys, n * sizeof *keys) == 0)
            return KEYMAP_PENDING;
    }
    return KEYMAP_NO_MATCH;
}

static bool is_text_context(enum fd_context ctx)
{
    return ctx == FD_CTX_EDITOR || ctx == FD_CTX_PROMPT || ctx == FD_CTX_PICKER;
}

enum keymap_match keymap_lookup(const struct keymap *km, enum fd_context ctx, const fd_key *keys,
                                size_t n, enum fd_action *action)
{
    enum fd_action found = FD_ACTION_NONE;
    enum keymap_match m;

    if (!km || n == 0 || n > FD_KEYSEQ_MAX || (unsigned)ctx >= FD_CTX_COUNT)
        return KEYMAP_NO_MATCH;
    m = lookup_in(km, ctx, keys, n, &found);
    if (m == KEYMAP_NO_MATCH && ctx != FD_CTX_GENERIC &&
        !(is_text_context(ctx) && n == 1 && keymap_key_is_text(keys[0])))
        m = lookup_in(km, FD_CTX_GENERIC, keys, n, &found);
    if (m == KEYMAP_MATCH && found == FD_ACTION_NONE)
        return KEYMAP_NO_MATCH; /* bound to "none" */
    if (m == KEYMAP_MATCH && action)
        *action = found;
    return m;
}
