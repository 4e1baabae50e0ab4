/* cmd_read.h: what the cache-reading commands (`fdesk list` in cmd_list.c,
 * `fdesk show` in cmd_show.c) share: loading the config and opening the
 * account's cache with the messages fdesk(1) documents, and formatting
 * times, statuses and due dates the same way in both. Private to them. */
#ifndef FD_CMD_READ_H
#define FD_CMD_READ_H

#include <stddef.h>

#include "src/cli.h"
#include "src/config.h"
#include "src/model.h"
#include "src/store.h"

struct read_session {
    struct fd_config cfg;
    bool cfg_loaded;
    struct store *store;
};

/* Loads the config and opens the cache (never creating it). Returns
 * FD_EXIT_OK, or the exit status to return after printing the reason: no
 * account (FD_EXIT_CONFIG), no cache yet ("run `fdesk sync`", FD_EXIT_ERROR),
 * a cache that cannot be opened (FD_EXIT_ERROR). A notice from the store
 * (a damaged cache moved aside) is printed on stderr. */
int read_session_open(struct read_session *rs, struct cli_options *opts);
void read_session_close(struct read_session *rs);

/* "2026-12-01 14:05" in local time, "-" for 0. buf: at least 20 bytes. */
void read_format_local_time(fd_time t, char *buf, size_t size);

/* The status's name: the label from ticket fields, else the built-in name,
 * else its number. buf is used for the number. */
const char *read_status_name(int status, const char *label, char *buf, size_t size);

/* A due date relative to now: "in 5h", "in 2d", "overdue 3d", "overdue 20m";
 * "-" when there is none or the ticket is resolved or closed. */
void read_format_due(fd_time due, int status, fd_time now, char *buf, size_t size);

/* Parses a positive ticket id; prints a usage error and returns FD_EXIT_USAGE. */
int read_parse_ticket_id(const char *s, fd_id *id);

/* The rows of `fdesk list` (cmd_list.c), also printed by `fdesk search`:
 * the table, tsv and json formats documented in fdesk(1). */
enum list_format { LIST_TABLE, LIST_TSV, LIST_JSON };
/* "table", "tsv", "json" -> the format; -1 for anything else. */
int list_format_from_name(const char *name);
struct list_printer;
/* Starts the output on stdout (the table's header, json's "["). NULL when
 * out of memory. */
struct list_printer *list_printer_new(enum list_format format);
/* One row; json needs the row's json (store_query.with_json). */
void list_printer_row(struct list_printer *p, const struct store_row *r);
/* Ends the output, flushes stdout and frees p. FD_EXIT_OK, or FD_EXIT_ERROR
 * after printing "fdesk: WHAT: reason" when stdout could not be written. */
int list_printer_end(struct list_printer *p, const char *what);

#endif
