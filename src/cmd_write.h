/* cmd_write.h: what the write commands (reply, note, update in cmd_write.c;
 * outbox in cmd_outbox.c) share: opening the config, the state database and,
 * when needed, the API; sending an item and turning the outcome into the exit
 * status documented in fdesk(1). Private to those two files. */
#ifndef FD_CMD_WRITE_H
#define FD_CMD_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "src/cli.h"
#include "src/config.h"
#include "src/state.h"

struct api;
struct store;
struct outbox_send_result;

struct write_session {
    struct fd_config cfg;
    bool cfg_loaded;
    struct state_db *st;
    struct api *api;     /* NULL until write_session_connect() */
    struct store *cache; /* opened on the first confirmed write, if a cache exists */
    bool cache_tried;
    bool curl_started;
};

/* Loads the config and opens the state database. Returns FD_EXIT_OK or the
 * exit status to return (the message is printed). */
int write_session_open(struct write_session *ws, struct cli_options *opts);
/* Requires the account and the key and creates the API handle. */
int write_session_connect(struct write_session *ws);
void write_session_close(struct write_session *ws);

/* Puts the server's copy of a confirmed write (res->conversation or
 * res->ticket) into the local cache, when there is one, so `fdesk show` and
 * `fdesk list` show it before the next sync. */
void write_session_cache_result(struct write_session *ws, const struct outbox_send_result *res);

/* Sends item and the older items of its tickets, waiting while another
 * process is sending one of them. Prints the outcome (what was sent on
 * stdout, problems on stderr) and returns FD_EXIT_OK (confirmed),
 * FD_EXIT_ERROR (refused: the item is kept with the reason) or FD_EXIT_QUEUED
 * (not confirmed: it stays in the outbox). */
int write_send_and_wait(struct write_session *ws, int64_t item);

#endif
