/* outbox_sync.c: the glue between the outbox and the sync engine's thread:
 * a per-thread state-database connection opened on first use, and the
 * translation of a send result into the event the UI receives. */
#include "src/events.h"
#include "src/log.h"
#include "src/outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct outbox_sync {
    char *state_dir;
    char *account;
    struct events *events; /* not owned */
    struct state_db *st;   /* opened by, and used only in, the sync thread */
};

struct outbox_sync *outbox_sync_new(const char *state_dir, const char *account,
                                    struct events *events)
{
    struct outbox_sync *os = calloc(1, sizeof *os);

    if (!os || !(os->state_dir = strdup(state_dir)) || !(os->account = strdup(account))) {
        outbox_sync_free(os);
        return NULL;
    }
    os->events = events;
    return os;
}

void outbox_sync_free(struct outbox_sync *os)
{
    if (!os)
        return;
    state_close(os->st);
    free(os->state_dir);
    free(os->account);
    free(os);
}

/* Copies text into the event's message, cut at a UTF-8 boundary if long. */
static void set_message(struct fd_event *ev, const char *text)
{
    size_t n = strlen(text);
    if (n >= sizeof ev->message) {
        n = sizeof ev->message - 1;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(ev->message, text, n);
    ev->message[n] = '\0';
}

/* Sends one item and fills the event; 0 final, -1 try later. */
static int send_item(struct outbox_sync *os, struct api *api, int64_t item, struct fd_event *result)
{
    struct outbox_send_result res;

    memset(result, 0, sizeof *result);
    result->type = FD_EVENT_OUTBOX_FAILED;
    result->u.outbox.item = item;
    int rc = outbox_send_one(os->st, api, item, &res);
    outbox_send_result_clear(&res); /* the engine refreshes the ticket from the server */
    set_message(result, res.message);
    if (rc != 0)
        return -1;
    result->u.outbox.ticket_id = res.ticket_id;
    result->u.outbox.remote_id = res.remote_id;
    if (res.outcome == OUTBOX_OUTCOME_SENT) {
        result->type = FD_EVENT_OUTBOX_SENT;
        return 0;
    }
    if (res.outcome == OUTBOX_OUTCOME_FAILED)
        return 0;
    return res.stop_all ? -2 : -1; /* -2: nothing else can go now either */
}

/* item 0: everything due, an event per final outcome. Always -1. */
static int send_all(struct outbox_sync *os, struct api *api, struct fd_event *result)
{
    int64_t start = state_now_ms(), id;
    int found;

    while ((found = outbox_next_due(os->st, 0, start, &id)) == 1) {
        int rc = send_item(os, api, id, result);
        if (rc == 0 && os->events)
            events_push(os->events, result);
        if (rc == -2)
            return -1; /* offline: result->message says so */
    }
    memset(result, 0, sizeof *result);
    result->type = FD_EVENT_OUTBOX_FAILED;
    set_message(result, found < 0 ? "the outbox cannot be read" : "nothing more to send");
    return -1;
}

int outbox_sync_send(void *data, struct api *api, int64_t item, struct fd_event *result)
{
    struct outbox_sync *os = data;
    char err[400];

    memset(result, 0, sizeof *result);
    result->type = FD_EVENT_OUTBOX_FAILED;
    result->u.outbox.item = item;
    if (!os->st && !(os->st = state_open(os->state_dir, os->account, err, sizeof err))) {
        set_message(result, err);
        log_error("outbox", "%s", err);
        return -1;
    }
    if (item == 0)
        return send_all(os, api, result);
    return send_item(os, api, item, result) == 0 ? 0 : -1;
}
