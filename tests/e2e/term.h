/* term.h: a pseudo-terminal harness for end-to-end tests and benchmarks.
 *
 * term_spawn() runs a program on the slave side of a pty of a fixed size and
 * feeds every byte it writes into libvterm, so a test can read the screen back
 * as a person would see it. The harness also keeps the raw byte stream (so a
 * test can check that no escape sequence from ticket data reached the
 * terminal) and counts bytes and read() chunks, for the benchmarks.
 *
 * The child gets a frame notification pipe as fd 3 and FDESK_NOTIFY_FD=3:
 * fdesk writes one byte there after each painted frame, so term_wait_frame()
 * knows exactly when a frame has been written.
 *
 * sim_start() runs fdesk-sim on a free loopback port and reads its
 * "listening on" line; sim_admin() calls its test hooks over plain HTTP.
 *
 * Nothing here is thread-safe; one test drives one terminal. */
#ifndef FD_TESTS_TERM_H
#define FD_TESTS_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct term;

/* Starts argv[0] (a path) with exactly envp as its environment on a rows x cols
 * pty. Returns NULL (with a message on stderr) on failure. */
struct term *term_spawn(const char *const argv[], const char *const envp[], int rows, int cols);

/* Writes keys to the terminal as typed. Returns 0 or -1. */
int term_send(struct term *t, const char *keys);
int term_send_bytes(struct term *t, const void *bytes, size_t len);

/* Reads whatever the program writes for up to timeout_ms (returns early after
 * the first chunk once anything arrived and no more is ready). Returns the
 * number of bytes read, 0 on timeout, -1 when the program closed the pty. */
long term_pump(struct term *t, int timeout_ms);

/* Reads until the program has been quiet for quiet_ms (or timeout_ms passed). */
void term_settle(struct term *t, int quiet_ms, int timeout_ms);

/* Waits until the screen contains text. Returns true when found. */
bool term_wait_for(struct term *t, const char *text, int timeout_ms);
/* Waits until the screen no longer contains text. */
bool term_wait_gone(struct term *t, const char *text, int timeout_ms);
/* Waits for the next frame notification (see above); pumps output meanwhile
 * and drains what is already written. Returns true on a frame. */
bool term_wait_frame(struct term *t, int timeout_ms);
/* Frames notified so far. */
long term_frames(const struct term *t);

/* True when the screen currently shows text. */
bool term_contains(struct term *t, const char *text);
/* The screen as UTF-8 text, rows separated by '\n', trailing blanks cut.
 * The result is owned by the terminal and valid until the next call. */
const char *term_screen(struct term *t);
/* One row as UTF-8 (wide characters once); owned, valid until the next call. */
const char *term_row(struct term *t, int row);
/* Row of the first line containing text, or -1. */
int term_find_row(struct term *t, const char *text);
/* Display column where text starts on row, or -1. */
int term_col_of(struct term *t, int row, const char *text);
/* Attributes of one cell. */
struct term_cell_attr {
    bool bold, reverse, underline;
    int fg; /* palette index, or -1 for the default colour */
    int bg;
};
void term_cell_attr(struct term *t, int row, int col, struct term_cell_attr *out);
/* Display width of the character in a cell: 1, 2, or 0 for the right half of
 * a wide character. */
int term_cell_width(struct term *t, int row, int col);
/* The first code point in a cell (' ' for an empty cell, 0 for the right half
 * of a wide character). */
uint32_t term_cell_char(struct term *t, int row, int col);
/* Cursor position. */
void term_cursor(struct term *t, int *row, int *col);
void term_size(const struct term *t, int *rows, int *cols);
/* Prints the screen to stderr with a title (for failing tests). */
void term_dump(struct term *t, const char *title);

/* Byte accounting since the last term_reset_counters(). */
size_t term_bytes(const struct term *t);
long term_reads(const struct term *t);
void term_reset_counters(struct term *t);
/* Every byte written by the program since it started. */
const unsigned char *term_raw(const struct term *t, size_t *len);

/* Changes the pty size (the kernel sends SIGWINCH) and the emulator's. */
int term_resize(struct term *t, int rows, int cols);
/* Sends a signal to the program. */
int term_signal(struct term *t, int sig);
pid_t term_pid(const struct term *t);
/* Waits for the program to exit; returns its wait status, or -1 on timeout. */
int term_wait_exit(struct term *t, int timeout_ms);
/* Kills the program if it still runs and frees everything. */
void term_free(struct term *t);

/* Milliseconds on a monotonic clock. */
double term_now_ms(void);

/* --- fdesk-sim --- */
struct sim {
    pid_t pid;
    int port;
    char url[64]; /* http://127.0.0.1:PORT */
    int out_fd;   /* its stdout */
};

/* Starts sim_path with "--port 0" (or port if > 0) and the extra arguments
 * (NULL-terminated). Returns 0, or -1 when it did not print its address. */
int sim_start(struct sim *s, const char *sim_path, int port, const char *const extra[]);
/* SIGTERM and reap. */
void sim_stop(struct sim *s);
/* Sends an HTTP request to the simulator; returns the status code or -1.
 * The response body (if body_out) is malloc'ed and NUL-terminated. */
int sim_http(const struct sim *s, const char *method, const char *path, const char *json_body,
             char **body_out);

/* --- the environment of a test --- */
struct test_env {
    char dir[256];  /* private temp dir holding HOME and the XDG dirs */
    char *vars[32]; /* NULL-terminated */
    int count;
};
/* Makes a temp dir with HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_STATE_HOME,
 * and sets TERM=xterm-256color, LANG=C.UTF-8, ESCDELAY=25, PATH. */
int test_env_init(struct test_env *e);
/* Adds or replaces NAME=VALUE. */
void test_env_set(struct test_env *e, const char *name, const char *value);
const char *const *test_env_vars(const struct test_env *e);
/* Removes the temp dir. */
void test_env_free(struct test_env *e);

#endif
