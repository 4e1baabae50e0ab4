/* log.h: the core's swappable diagnostic dispatcher.
 *
 * The core never prints to the terminal: it reports through log_msg(), which
 * goes to the sink installed by the program (a debug file with -d FILE, stderr
 * for scripting commands, nothing in tests). Sinks must be thread-safe; the
 * default file sink is. Messages must never contain the API key: callers pass
 * only text that is safe to show. */
#ifndef FD_LOG_H
#define FD_LOG_H

#include <stdarg.h>

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

typedef void (*log_sink_fn)(enum log_level level, const char *module, const char *text, void *data);

/* Install a sink (NULL = discard everything). Not thread-safe: call before threads start. */
void log_set_sink(log_sink_fn sink, void *data);
/* Open FILE (appending, mode 0600) as the sink; returns 0 or -1 with errno set. */
int log_open_file(const char *path);
/* Close the file sink opened by log_open_file, if any. */
void log_close(void);
/* Minimum level passed to the sink (default LOG_LEVEL_DEBUG). */
void log_set_level(enum log_level level);

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level level, const char *module, const char *fmt, va_list ap);

#define log_debug(mod, ...) log_msg(LOG_LEVEL_DEBUG, mod, __VA_ARGS__)
#define log_info(mod, ...)  log_msg(LOG_LEVEL_INFO, mod, __VA_ARGS__)
#define log_warn(mod, ...)  log_msg(LOG_LEVEL_WARN, mod, __VA_ARGS__)
#define log_error(mod, ...) log_msg(LOG_LEVEL_ERROR, mod, __VA_ARGS__)

#endif
