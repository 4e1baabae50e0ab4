/* sync_act.c: the sync engine's fetches for acting on tickets. A ticket
 * refresh re-reads one ticket and all its conversations from the server
 * whatever the cache believes (the collision check just before a reply is
 * sent must see what changed since the agent opened the editor), and the
 * canned responses (folders and their responses) are copied into the cache
 * once a day so the editor's picker works offline; an attachment is saved
 * where the agent said. All of it runs on the engine thread. */
#include "src/sync_internal.h"

#include "src/decode.h"
#include "src/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYNC_CANNED_REFRESH (24 * 3600)

/* An interactive request failed: say so without waiting for a retry (the
 * background sync brings the engine back online). */
static void refresh_failed(struct sync_run *r, struct fd_error *err, fd_id ticket_id)
{
    if (err->kind == FD_ERR_CANCELLED) {
        fd_error_clear(err);
        return;
    }
    log_warn("sync", "re-reading ticket %lld: %s", (long long)ticket_id, fd_error_message(err));
    if (fd_error_is_offline(err) || fd_error_is_transient(err)) {
        struct fd_event ev = {.type = FD_EVENT_OFFLINE};
        ev.u.offline.retry_at = sync_now() + 5;
        snprintf(ev.message, sizeof ev.message, "%s", fd_error_message(err));
        r->offline = true;
        events_push(r->events, &ev);
    } else {
        events_post_error(r->events, "re-reading ticket %lld: %s", (long long)ticket_id,
                          fd_error_message(err));
    }
    fd_error_clear(err);
}

int sync_refresh_ticket(struct sync_run *r, fd_id ticket_id)
{
    struct fd_ticket t = {0};
    struct fd_conversation *convs = NULL;
    size_t count = 0;
    struct fd_error err = FD_ERROR_INIT;

    r->requests++;
    if (api_view_ticket(r->api, ticket_id, "requester,company", &t, NULL, NULL, &err) != 0) {
        refresh_failed(r, &err, ticket_id);
        return -1;
    }
    sync_succeeded(r);
    fd_time updated_at = t.updated_at;
    int rc = sync_store_tickets(r, &t, 1, NULL, false, NULL);
    model_ticket_clear(&t);
    if (rc != 0)
        return -1;
    r->requests++;
    if (api_list_conversations(r->api, ticket_id, &convs, &count, &err) != 0) {
        refresh_failed(r, &err, ticket_id);
        return -1;
    }
    if (store_begin(r->store) != 0 ||
        store_set_conversations(r->store, ticket_id, convs, count, updated_at) != 0 ||
        store_commit(r->store) != 0) {
        decode_free_conversations(convs, count);
        return sync_cache_failed(r, false);
    }
    decode_free_conversations(convs, count);
    events_post_conversations(r->events, ticket_id);
    struct fd_event ev = {.type = FD_EVENT_TICKET_REFRESHED};
    ev.u.ticket_id = ticket_id;
    events_push(r->events, &ev);
    return 0;
}

static int store_canned(struct sync_run *r, const struct fd_canned_folder *folders, size_t nf,
                        struct fd_canned_response **responses, const size_t *nr)
{
    if (store_begin(r->store) != 0)
        goto fail;
    for (size_t i = 0; i < nf; i++) {
        if (store_upsert_canned_folder(r->store, &folders[i]) != 0)
            goto fail;
        for (size_t j = 0; j < nr[i]; j++) {
            if (!responses[i][j].folder_id)
                responses[i][j].folder_id = folders[i].id;
            if (store_upsert_canned_response(r->store, &responses[i][j]) != 0)
                goto fail;
        }
    }
    if (store_sync_set_int(r->store, "canned_at", sync_now()) != 0 || store_commit(r->store) != 0)
        goto fail;
    return 0;
fail:
    log_warn("sync", "cannot store canned responses: %s", store_error(r->store));
    store_rollback(r->store);
    return -1;
}

int sync_fetch_canned(struct sync_run *r)
{
    int64_t at = 0;
    struct fd_canned_folder *folders = NULL;
    size_t nf = 0;
    struct fd_error err = FD_ERROR_INIT;
    int rc = -1;

    if (store_sync_get_int(r->store, "canned_at", &at, 0) < 0)
        at = 0;
    if (at && sync_now() - at < SYNC_CANNED_REFRESH)
        return 0;
    r->requests++;
    if (api_list_canned_folders(r->api, &folders, &nf, &err) != 0) {
        /* Not worth failing a sync run for: the picker says the cache is empty. */
        log_warn("sync", "canned response folders: %s", fd_error_message(&err));
        fd_error_clear(&err);
        return -1;
    }
    struct fd_canned_response **responses = calloc(nf ? nf : 1, sizeof *responses);
    size_t *nr = calloc(nf ? nf : 1, sizeof *nr);
    if (!responses || !nr)
        goto out;
    for (size_t i = 0; i < nf; i++) {
        r->requests++;
        if (api_list_canned_responses(r->api, folders[i].id, &responses[i], &nr[i], &err) != 0) {
            log_warn("sync", "canned responses: %s", fd_error_message(&err));
            fd_error_clear(&err);
            goto out;
        }
    }
    rc = store_canned(r, folders, nf, responses, nr);
out:
    for (size_t i = 0; responses && nr && i < nf; i++)
        decode_free_canned_responses(responses[i], nr[i]);
    free(responses);
    free(nr);
    decode_free_canned_folders(folders, nf);
    return rc;
}

/* The URL of attachment id among the ticket's own and its conversations'
 * attachments (newly allocated), or NULL. */
static char *find_attachment(const struct fd_ticket *t, const struct fd_conversation *convs,
                             size_t count, fd_id id, char **name)
{
    for (size_t i = 0; i < t->attachment_count; i++)
        if (t->attachments[i].id == id && t->attachments[i].url) {
            *name = strdup(t->attachments[i].name ? t->attachments[i].name : "");
            return strdup(t->attachments[i].url);
        }
    for (size_t c = 0; c < count; c++)
        for (size_t i = 0; i < convs[c].attachment_count; i++)
            if (convs[c].attachments[i].id == id && convs[c].attachments[i].url) {
                const struct fd_attachment *a = &convs[c].attachments[i];
                *name = strdup(a->name ? a->name : "");
                return strdup(a->url);
            }
    return NULL;
}

static int save_to(struct sync_run *r, const char *url, const char *path, size_t *size,
                   struct fd_error *err)
{
    char part[4200];
    snprintf(part, sizeof part, "%s.part", path);
    int fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        events_post_error(r->events, "cannot write %s: %s", part, strerror(errno));
        return -1;
    }
    r->requests++;
    int rc = api_download_attachment(r->api, url, f, size, err);
    if (fclose(f) != 0 && rc == 0) {
        events_post_error(r->events, "cannot write %s: %s", part, strerror(errno));
        rc = -1;
    }
    /* link() refuses an existing name: a file that appeared meanwhile is kept. */
    if (rc == 0 && link(part, path) != 0) {
        events_post_error(r->events, "cannot save %s: %s", path, strerror(errno));
        rc = -1;
    }
    unlink(part);
    return rc;
}

int sync_download_attachment(struct sync_run *r, fd_id ticket_id, fd_id attachment_id,
                             const char *path)
{
    struct fd_ticket t = {0};
    struct fd_conversation *convs = NULL;
    size_t count = 0, size = 0;
    struct fd_error err = FD_ERROR_INIT;
    char *url = NULL, *name = NULL;
    int rc = -1;

    r->requests++;
    if (api_view_ticket(r->api, ticket_id, NULL, &t, NULL, NULL, &err) != 0)
        goto failed;
    url = find_attachment(&t, NULL, 0, attachment_id, &name);
    if (!url) {
        r->requests++;
        if (api_list_conversations(r->api, ticket_id, &convs, &count, &err) != 0)
            goto failed;
        url = find_attachment(&t, convs, count, attachment_id, &name);
    }
    if (!url) {
        events_post_error(r->events, "the attachment is no longer on ticket %lld",
                          (long long)ticket_id);
        goto out;
    }
    if (save_to(r, url, path, &size, &err) == 0) {
        struct fd_event ev = {.type = FD_EVENT_NOTICE};
        snprintf(ev.message, sizeof ev.message, "saved %s (%zu bytes) to %s", name, size, path);
        events_push(r->events, &ev);
        rc = 0;
    } else if (err.kind != FD_ERR_NONE) {
        goto failed;
    }
    goto out;
failed:
    events_post_error(r->events, "download failed: %s", fd_error_message(&err));
    fd_error_clear(&err);
out:
    free(url);
    free(name);
    model_ticket_clear(&t);
    decode_free_conversations(convs, count);
    return rc;
}
