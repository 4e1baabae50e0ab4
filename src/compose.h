/* compose.h: the text an editor starts from when the agent opens a reply:
 * the quoted last customer message and the signature, built as plain text
 * (the outbox turns the final text into HTML). No curses: unit-tested. */
#ifndef FD_COMPOSE_H
#define FD_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "src/model.h"

/* Index of the newest message from the customer in convs (oldest first):
 * the last incoming conversation, or -1 when there is none (then quote the
 * ticket's description). */
long compose_last_customer_message(const struct fd_conversation *convs, size_t count);

/* A quote for a reply: an attribution line "On 2024-06-03 14:02 UTC, Ann
 * wrote:" (author NULL: "the customer"; when 0: no date), then every line
 * of body_text prefixed with "> " (blank lines with ">"), trailing blank
 * lines dropped, CRLF read as LF. The body is sanitised (text.h) first.
 * Newly allocated; NULL only when out of memory. */
char *compose_quote(const char *author, fd_time when, const char *body_text);

/* The signature block to append: "\n-- \n" + the signature as text.
 * signature is HTML (an agent's profile signature) when is_html, else plain
 * text (the config's `signature`). "" when signature is NULL or blank. */
char *compose_signature(const char *signature, bool is_html);

#endif
