/* text_internal.h: private helpers shared by text.c, text_width.c and html.c:
 * a strict UTF-8 decoder and a growable byte buffer. Not part of any public
 * interface. */
#ifndef FD_TEXT_INTERNAL_H
#define FD_TEXT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returned by text_utf8_decode for a maximal invalid subpart. */
#define TEXT_INVALID_CP  0xFFFFFFFFu
#define TEXT_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Decodes the code point at s[0..len) (len >= 1) strictly: no overlong
 * forms, no surrogates, nothing above U+10FFFF. Returns the number of bytes
 * used; *cp is TEXT_INVALID_CP for an invalid sequence, which then covers its
 * maximal subpart (a valid start and the valid continuation bytes after it,
 * or one bad byte), as Unicode recommends for U+FFFD substitution. */
size_t text_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Encodes cp (a valid scalar value) into out (4 bytes); returns the length. */
size_t text_utf8_encode(uint32_t cp, char out[4]);

struct text_buf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len;
    size_t cap;
    bool failed; /* an allocation failed: the content is incomplete */
};

void text_buf_add(struct text_buf *b, const char *s, size_t n);
void text_buf_addc(struct text_buf *b, char c);
void text_buf_add_cp(struct text_buf *b, uint32_t cp);
void text_buf_add_str(struct text_buf *b, const char *s);
/* Returns the content (caller frees) or NULL when an allocation failed;
 * the buffer is left empty either way. Never returns NULL for empty content. */
char *text_buf_finish(struct text_buf *b);

#endif
