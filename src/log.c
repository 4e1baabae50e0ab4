/* log.c: the diagnostic dispatcher (see log.h). The file sink writes one line
 * per message with a UTC timestamp and serialises writers with a mutex so the
 * sync thread and the UI thread can both log. */
#include "src/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static log_sink_fn current_sink;
static void *current_data;
static enum log_level min_level = LOG_LEVEL_DEBUG;
static FILE *log_file;
static pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_sink(log_sink_fn sink, void *data)
{
    current_sink = sink;
    current_data = data;
}

void log_set_level(enum log_level level)
{
    min_level = level;
}

static void file_sink(enum log_level level, const char *module, const char *text, void *data)
{
    FILE *f = data;
    struct timespec ts;
    struct tm tm;
    char stamp[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    pthread_mutex_lock(&file_lock);
    fprintf(f, "%s.%03ldZ %-5s %s: %s\n", stamp, ts.tv_nsec / 1000000L, level_names[level], module,
            text);
    fflush(f);
    pthread_mutex_unlock(&file_lock);
}

int log_open_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "a");
    if (!f) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    log_close();
    log_file = f;
    log_set_sink(file_sink, f);
    return 0;
}

void log_close(void)
{
    if (log_file) {
        if (current_data == log_file)
            log_set_sink(NULL, NULL);
        fclose(log_file);
        log_file = NULL;
    }
}

void log_vmsg(enum log_level level, const char *module, const char *fmt, va_list ap)
{
    char text[2048];

    if (!current_sink || level < min_level)
        return;
    vsnprintf(text, sizeof text, fmt, ap);
    current_sink(level, module, text, current_data);
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_vmsg(level, module, fmt, ap);
    va_end(ap);
}
