/* canned.h: canned responses for the editor: filling their placeholders from
 * the ticket being answered, and the fuzzy score the picker sorts by.
 *
 * Placeholders use Freshdesk's {{...}} syntax (spaces inside the braces are
 * allowed). Known ones:
 *     {{ticket.id}} {{ticket.subject}} {{ticket.status}} {{ticket.priority}}
 *     {{ticket.requester.name}} {{ticket.requester.firstname}}
 *     {{ticket.requester.lastname}} {{ticket.requester.email}}
 *     {{ticket.agent.name}} {{ticket.agent.firstname}} {{ticket.agent.email}}
 *     {{ticket.group.name}} {{ticket.company.name}}
 * A known placeholder whose value is unknown (no requester cached) and every
 * unknown placeholder are left exactly as written, so the agent sees them. */
#ifndef FD_CANNED_H
#define FD_CANNED_H

#include <stddef.h>

#include "src/model.h"

/* What the placeholders are filled from; any pointer may be NULL. */
struct canned_context {
    const struct fd_ticket *ticket;
    const char *requester_name;
    const char *requester_email;
    const char *agent_name; /* the ticket's agent (else the agent answering) */
    const char *agent_email;
    const char *group_name;
    const char *company_name;
    const char *status_label; /* custom statuses; else the built-in name */
};

/* Returns a newly allocated copy of text with the placeholders filled, or NULL
 * when out of memory. */
char *canned_fill(const char *text, const struct canned_context *ctx);

/* The text to insert into the editor for a canned response: its plain
 * "content" when present, else its HTML rendered as text, sanitised (it came
 * from the server), with the placeholders filled. NULL only when out of memory. */
char *canned_render(const struct fd_canned_response *r, const struct canned_context *ctx);

/* Fuzzy match of what the agent typed against a title: the characters of
 * pattern must appear in candidate in order (case-insensitive, any script).
 * Returns -1 for no match, else a score where higher is better: consecutive
 * characters, matches at word starts and at the beginning score more, and a
 * shorter candidate wins a tie. An empty pattern matches everything with 0. */
int canned_fuzzy_score(const char *pattern, const char *candidate);

/* Ranks candidates for a picker: writes to order[] the indices of those
 * that match pattern, best score first (ties keep the given order), and
 * returns how many matched. order must have room for n entries. */
size_t canned_rank(const char *pattern, const char *const *candidates, size_t n, size_t *order);

#endif
