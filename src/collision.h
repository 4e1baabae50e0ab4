/* collision.h: "someone else changed this ticket while you were writing".
 *
 * When the agent opens the editor (or a property change), the caller keeps a
 * snapshot of what the agent saw. Just before sending, the ticket and its
 * conversations are read again from the server; collision_describe() says in
 * plain words what changed in between, so the UI can ask before sending. */
#ifndef FD_COLLISION_H
#define FD_COLLISION_H

#include <stdbool.h>
#include <stddef.h>

#include "src/model.h"

struct collision_snapshot {
    fd_id ticket_id;
    fd_time updated_at;
    int status;
    int priority;
    fd_id responder_id;
    fd_id group_id;
    size_t conversation_count;
    fd_id last_conversation_id; /* the newest conversation seen, 0 if none */
};

/* Records what the agent sees now (convs oldest first, may be NULL). */
void collision_snapshot_take(struct collision_snapshot *snap, const struct fd_ticket *ticket,
                             const struct fd_conversation *convs, size_t count);

/* Optional names for ids in the description; return NULL when unknown. */
struct collision_names {
    const char *(*agent)(fd_id id, void *data);
    const char *(*group)(fd_id id, void *data);
    const char *(*status)(int status, void *data);
    void *data;
};

/* Compares the snapshot with the fresh copy (convs oldest first). Returns
 * false when nothing changed (*description = NULL); true with a newly
 * allocated description, one change per line, e.g.
 *     "2 new messages since you opened it: a reply from the customer at
 *      14:02 UTC, a private note at 14:05 UTC"
 *     "status changed from Open to Pending"
 *     "assigned to Ann Agent (was unassigned)"
 * names may be NULL (ids are shown). On allocation failure returns true with
 * *description NULL (a change cannot be ruled out). */
bool collision_describe(const struct collision_snapshot *seen, const struct fd_ticket *fresh,
                        const struct fd_conversation *convs, size_t count,
                        const struct collision_names *names, char **description);

#endif
