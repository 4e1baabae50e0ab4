/* picker.h: a fuzzy picker on the act stack: a title, a line the agent types
 * into, and the items that match it (canned_fuzzy_score: characters in order,
 * word starts and runs score more), best first. Used for canned responses,
 * agents, groups, statuses, priorities, types and tags, and, with no items
 * and free text allowed, as a one-line question (CC, BCC, a file path).
 *
 * Keys come from the keymap's picker context (accept, cancel, next, prev,
 * page-down/up, first/last, delete-back, delete-word-back); text keys type. */
#ifndef FD_UI_PICKER_H
#define FD_UI_PICKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tui;

struct picker_item {
    char *label;  /* shown and matched; untrusted text is sanitised when drawn */
    char *detail; /* shown dimmed after the label, not matched; may be NULL */
    int64_t value;
    char *text; /* a string value (a tag, a type, a canned text) or NULL */
};

/* Called once when the picker closes. typed is what the agent typed, NULL
 * when cancelled; chosen is the picked item, or NULL (free text accepted, or
 * cancelled). The picker is already off the stack. */
typedef void (*picker_done_fn)(struct tui *t, void *data, const struct picker_item *chosen,
                               const char *typed);
/* Optional: replaces the items when the typed text changes (completion from
 * the cache). Returns the new items (malloc'd array owned by the picker). */
typedef struct picker_item *(*picker_refill_fn)(struct tui *t, void *data, const char *typed,
                                                size_t *count);

struct picker_spec {
    const char *title;
    struct picker_item *items; /* malloc'd array, owned by the picker from now on */
    size_t count;
    bool free_text;      /* Enter without a matching item accepts the typed text */
    const char *initial; /* text already typed, or NULL */
    picker_done_fn done;
    picker_refill_fn refill;
    void *data;
    void (*free_data)(void *data); /* called when the picker is freed; may be NULL */
};

/* Opens a picker on top of the act stack. Returns 0 or -1 (items freed). */
int picker_open(struct tui *t, const struct picker_spec *spec);

/* Fills one item (copies the strings). Returns 0 or -1. */
int picker_item_set(struct picker_item *it, const char *label, const char *detail, int64_t value,
                    const char *text);
void picker_items_free(struct picker_item *items, size_t count);

#endif
