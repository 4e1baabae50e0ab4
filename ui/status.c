/* status.c: the status bar: which view, where the selection is and how many
 * tickets the view holds, the sort, the local search, the sync state
 * ("syncing 7/20 pages", "updated 12 s ago", "offline — retrying in 30 s"),
 * credits left and outbox items waiting. It is computed when a frame is
 * painted; there is no timer, so an idle fdesk stays idle (the sync engine's
 * own events repaint it often enough). */
#define _XOPEN_SOURCE_EXTENDED 1
#include "ui/app.h"
#include "ui/draw.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "src/outbox.h"

void status_on_event(struct tui *t, const struct fd_event *ev)
{
    struct sync_status *s = &t->sync_state;
    switch (ev->type) {
    case FD_EVENT_PROGRESS:
        s->syncing = true;
        s->pages_done = ev->u.progress.pages_done;
        s->pages_estimated = ev->u.progress.pages_estimated;
        if (ev->u.progress.credits_left >= 0)
            s->credits_left = ev->u.progress.credits_left;
        break;
    case FD_EVENT_RATE_BUDGET:
        s->credits_left = ev->u.rate.remaining;
        s->credits_total = ev->u.rate.total;
        break;
    case FD_EVENT_OFFLINE:
        s->offline = true;
        s->syncing = false;
        s->retry_at = ev->u.offline.retry_at;
        break;
    case FD_EVENT_ONLINE:
        s->offline = false;
        break;
    case FD_EVENT_SYNC_FINISHED:
        s->syncing = false;
        s->pages_done = s->pages_estimated = 0;
        if (ev->u.finished.ok) {
            s->offline = false;
            s->last_ok = (fd_time)time(NULL);
            if (ev->u.finished.complete)
                s->first_sync_complete = true;
        }
        break;
    case FD_EVENT_OUTBOX_SENT:
    case FD_EVENT_OUTBOX_FAILED:
        if (t->state)
            t->outbox_pending = outbox_pending_count(t->state);
        break;
    default:
        break;
    }
}

static void sync_text(struct tui *t, char *buf, size_t size)
{
    const struct sync_status *s = &t->sync_state;
    fd_time now = (fd_time)time(NULL);
    if (s->offline) {
        long in = (long)(s->retry_at - now);
        if (in > 0)
            snprintf(buf, size, "offline — retrying in %ld s", in);
        else
            snprintf(buf, size, "offline — retrying");
    } else if (s->syncing && s->pages_estimated > 0) {
        snprintf(buf, size, "syncing %d/%d pages", s->pages_done, s->pages_estimated);
    } else if (s->syncing) {
        snprintf(buf, size, "syncing %d pages", s->pages_done);
    } else if (s->last_ok) {
        long ago = (long)(now - s->last_ok);
        if (ago < 120)
            snprintf(buf, size, "updated %ld s ago", ago < 0 ? 0 : ago);
        else
            snprintf(buf, size, "updated %ld min ago", ago / 60);
    } else {
        snprintf(buf, size, "not synced yet");
    }
}

void status_draw(struct tui *t)
{
    const struct rect *r = &t->layout.status;
    if (r->h == 0)
        return;
    char left[512], right[256], syncbuf[96], search[160] = "";
    size_t pos = 0, count = 0;
    list_position(t, &pos, &count);
    const struct view *v = tui_current_view(t);
    if (list_search(t)[0])
        snprintf(search, sizeof search, "  /%s", list_search(t));
    snprintf(left, sizeof left, " %s  %zu/%zu  sort:%s%s%s", v ? v->title : "All", pos, count,
             store_sort_name((enum store_sort)list_sort(t)), list_sort_reversed(t) ? "/rev" : "",
             search);
    sync_text(t, syncbuf, sizeof syncbuf);
    int n = snprintf(right, sizeof right, "%s", syncbuf);
    /* Unsent writes matter more than the credits: they come first. */
    if (t->outbox_pending > 0)
        n += snprintf(right + n, sizeof right - (size_t)n, " │ %d in outbox", t->outbox_pending);
    if (t->sync_state.credits_left >= 0)
        snprintf(right + n, sizeof right - (size_t)n, " │ %d credits", t->sync_state.credits_left);
    int rw = text_width(right) + 1;
    if (rw > r->w / 2)
        rw = r->w / 2;
    draw_set(UI_STATUSBAR);
    /* The search text came from the user; titles from the config: sanitise all. */
    draw_text(r->y, 0, r->w - rw, left, TEXT_ALIGN_LEFT);
    draw_text(r->y, r->w - rw, rw, right, TEXT_ALIGN_RIGHT);
    /* The position changes with every j: drawn in normal video (and pair 0,
     * which curses returns to after every frame anyway), a change of it
     * costs the digit, a cursor move and one attribute reset, not 25 bytes. */
    char *title =
        text_sanitize(v ? v->title : "All", strlen(v ? v->title : "All"), TEXT_SINGLE_LINE);
    char posbuf[48];
    int pn = snprintf(posbuf, sizeof posbuf, "%zu/%zu", pos, count);
    int px = title ? 1 + text_width(title) + 2 : -1;
    if (px > 0 && px + pn <= r->w - rw) {
        draw_set_plain();
        draw_clean(r->y, px, pn, posbuf);
    }
    free(title);
    draw_set(UI_NORMAL);
}
