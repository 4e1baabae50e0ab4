/* demo.h: `fdesk --demo`, the core half (no curses).
 *
 * demo_start() finds fdesk-sim (beside the running fdesk executable, then on
 * PATH), starts it on a free loopback port with a generated account of a few
 * thousand tickets that keeps changing (--activity), and points this process at
 * it: FDESK_URL and FRESHDESK_API_KEY are set in the environment (the key is
 * random and reaches the simulator through its environment, never argv), and
 * XDG_CACHE_HOME / XDG_STATE_HOME point into a private temporary directory so
 * the demo never reads or writes the user's real cache, drafts or outbox.
 *
 * The simulator is stopped on every exit path: demo_stop() is registered with
 * atexit(), the TUI calls it from its own exit paths (signals arrive through
 * the TUI's self-pipe and end in a normal return), and the simulator is started
 * with PR_SET_PDEATHSIG so it dies with fdesk even after a crash or SIGKILL.
 * demo_stop() also removes the temporary directory. */
#ifndef FD_DEMO_H
#define FD_DEMO_H

#include <stddef.h>
#include <sys/types.h>

/* Default size of the demo account and the simulator's activity period. */
#define DEMO_TICKETS          3000
#define DEMO_ACTIVITY_SECONDS 3
/* How often the demo's TUI polls the simulator, so changes show while you
 * watch (the config's minimum is for real accounts and their rate limits). */
#define DEMO_REFRESH_SECONDS 5

/* Starts the simulator and prepares the environment as described above.
 * Must run before config_load() and before any thread starts. Returns 0, or -1
 * with a one-line message in err (fdesk-sim not found, did not start). */
int demo_start(char *err, size_t errsize);

/* Stops the simulator (SIGTERM, then SIGKILL after a second) and removes the
 * private directory. Safe to call more than once and from atexit(). */
void demo_stop(void);

/* The simulator's process id while it runs, else 0 (for tests). */
pid_t demo_sim_pid(void);

/* Finds fdesk-sim: the directory of /proc/self/exe first, then PATH. Writes
 * the path into out and returns 0, or returns -1. */
int demo_find_sim(char *out, size_t size);

#endif
