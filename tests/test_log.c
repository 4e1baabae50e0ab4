/* test_log.c: the diagnostic dispatcher delivers to the installed sink, honours
 * the level, and the file sink appends timestamped lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/log.h"

struct capture {
    int count;
    char last[256];
    enum log_level level;
};

static void capture_sink(enum log_level level, const char *module, const char *text, void *data)
{
    struct capture *c = data;
    c->count++;
    c->level = level;
    snprintf(c->last, sizeof c->last, "%s: %s", module, text);
}

static void sink_receives_formatted_message(void **state)
{
    struct capture c = {0};
    log_set_sink(capture_sink, &c);
    log_set_level(LOG_LEVEL_DEBUG);
    log_info("http", "GET %s -> %d", "/api/v2/tickets", 200);
    assert_int_equal(c.count, 1);
    assert_string_equal(c.last, "http: GET /api/v2/tickets -> 200");
    assert_int_equal(c.level, LOG_LEVEL_INFO);
    log_set_sink(NULL, NULL);
}

static void messages_below_level_are_dropped(void **state)
{
    struct capture c = {0};
    log_set_sink(capture_sink, &c);
    log_set_level(LOG_LEVEL_WARN);
    log_debug("x", "hidden");
    log_info("x", "hidden");
    log_warn("x", "shown");
    assert_int_equal(c.count, 1);
    assert_string_equal(c.last, "x: shown");
    log_set_level(LOG_LEVEL_DEBUG);
    log_set_sink(NULL, NULL);
}

static void no_sink_means_silence(void **state)
{
    log_set_sink(NULL, NULL);
    log_error("x", "goes nowhere %d", 1); /* must not crash */
}

static void file_sink_appends_private_lines(void **state)
{
    char path[] = "/tmp/fdesk-test-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    assert_int_equal(log_open_file(path), 0);
    log_warn("sync", "page %d failed", 3);
    log_close();
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    char line[512] = "";
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    unlink(path);
    assert_non_null(strstr(line, "warn  sync: page 3 failed"));
    assert_true(line[4] == '-' && line[10] == 'T');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sink_receives_formatted_message),
        cmocka_unit_test(messages_below_level_are_dropped),
        cmocka_unit_test(no_sink_means_silence),
        cmocka_unit_test(file_sink_appends_private_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
