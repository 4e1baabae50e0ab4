/* test_config.c: the account comes from the environment or the config file in
 * every documented form; errors name the file and line; a key in a file that
 * others can read is refused with `chmod 600`; api_key_command's stdout is the
 * key; FRESHDESK_API_KEY leaves the environment once read; plain http is
 * allowed only for loopback; the "not configured" message says what to set. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/config.h"

static char dir[256];
static char err[1024];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/fdesk-test-config-XXXXXX");
    assert_non_null(mkdtemp(dir));
    setenv("XDG_CONFIG_HOME", dir, 1);
    setenv("XDG_CACHE_HOME", dir, 1);
    setenv("XDG_STATE_HOME", dir, 1);
    unsetenv("FRESHDESK_DOMAIN");
    unsetenv("FRESHDESK_API_KEY");
    unsetenv("FDESK_URL");
    unsetenv("FDESK_CONFIG");
    err[0] = '\0';
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/* Writes DIR/name with mode and returns its path (static buffer). */
static const char *write_file(const char *name, const char *text, mode_t mode)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static void domain_forms_all_normalise(void **state)
{
    static const char *const forms[] = {"acme", "acme.freshdesk.com", "https://acme.freshdesk.com/",
                                        "ACME.freshdesk.com", "https://acme.freshdesk.com"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char *host = config_normalize_domain(forms[i], err, sizeof err);
        assert_non_null(host);
        assert_string_equal(host, "acme.freshdesk.com");
        free(host);
    }
    static const char *const bad[] = {"", "http://acme.freshdesk.com", "acme/x", "ac me",
                                      "https://acme.freshdesk.com/api/v2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_null(config_normalize_domain(bad[i], err, sizeof err));
        assert_true(err[0] != '\0');
    }
}

static void environment_gives_account_and_key_then_forgets_it(void **state)
{
    struct fd_config cfg;
    setenv("FRESHDESK_DOMAIN", "https://acme.freshdesk.com/", 1);
    setenv("FRESHDESK_API_KEY", "env-secret-key", 1);
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), 0);
    assert_null(getenv("FRESHDESK_API_KEY"));
    assert_string_equal(cfg.domain, "acme.freshdesk.com");
    assert_string_equal(cfg.base_url, "https://acme.freshdesk.com");
    assert_string_equal(cfg.account, "acme");
    assert_string_equal(cfg.api_key, "env-secret-key");
    assert_null(cfg.path); /* no default file exists */
    assert_non_null(strstr(cfg.cache_path, "/fdesk/acme.db"));
    assert_int_equal(cfg.refresh_seconds, 60);
    assert_int_equal(config_require_account(&cfg, err, sizeof err), 0);
    config_free(&cfg);
}

static void file_settings_and_extra_lines_are_read(void **state)
{
    const char *path = write_file("fdesk.conf",
                                  "# my settings\n"
                                  "\n"
                                  "domain = acme\n"
                                  "set refresh = 120\n"
                                  "api_key_command = echo '  file-cmd-key  '\n"
                                  "signature = \"-- Ann\"\n"
                                  "bind list <C-d> page-down\n"
                                  "view mine = agent:me\n",
                                  0644);
    struct fd_config cfg;
    assert_int_equal(config_load(&cfg, path, err, sizeof err), 0);
    assert_string_equal(cfg.path, path);
    assert_string_equal(cfg.base_url, "https://acme.freshdesk.com");
    assert_int_equal(cfg.refresh_seconds, 120);
    assert_string_equal(cfg.signature, "-- Ann");
    assert_int_equal(cfg.extra_count, 2);
    assert_string_equal(cfg.extra[0].text, "bind list <C-d> page-down");
    assert_int_equal(cfg.extra[0].line, 7);
    assert_string_equal(cfg.extra[1].file, path);
    assert_null(cfg.api_key);
    assert_int_equal(config_require_account(&cfg, err, sizeof err), 0);
    assert_string_equal(cfg.api_key, "file-cmd-key");
    config_free(&cfg);
}

static void scroll_jump_takes_page_half_or_rows(void **state)
{
    static const struct {
        const char *text;
        int want;
    } cases[] = {
        {"", 0}, /* half a page by default */
        {"scroll_jump = half\n", 0},
        {"scroll_jump = page\n", -1},
        {"scroll_jump = 1\n", 1},
        {"set scroll_jump = 5\n", 5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_file("jump.conf", cases[i].text, 0600);
        struct fd_config cfg;
        assert_int_equal(config_load(&cfg, path, err, sizeof err), 0);
        assert_int_equal(cfg.scroll_jump, cases[i].want);
        config_free(&cfg);
    }
}

static void errors_name_file_and_line(void **state)
{
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"domain = acme\nnonsense line\n", ":2: expected `key = value`"},
        {"# c\n\ncolour = red\n", ":3: unknown setting 'colour'"},
        {"refresh = soon\n", ":1: refresh must be a whole number"},
        {"max_parallel = 1000\n", ":1: max_parallel must be a whole number from 1 to 16"},
        {"\n= value\n", ":2: missing setting name"},
        {"scroll_jump = 0\n", ":1: scroll_jump must be page, half or a number of rows"},
        {"scroll_jump = lots\n", ":1: scroll_jump must be page, half or a number of rows"},
        {"domain = http://acme.freshdesk.com\n", ":1: the Freshdesk domain"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *path = write_file("bad.conf", cases[i].text, 0600);
        struct fd_config cfg;
        assert_int_equal(config_load(&cfg, path, err, sizeof err), -1);
        assert_non_null(strstr(err, path));
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
    }
}

static void readable_file_with_key_is_refused_with_chmod_600(void **state)
{
    const char *path = write_file("shared.conf", "domain = acme\napi_key = file-secret\n", 0644);
    char saved[512];
    snprintf(saved, sizeof saved, "%s", path);
    struct fd_config cfg;
    assert_int_equal(config_load(&cfg, saved, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "chmod 600 %s", saved);
    assert_non_null(strstr(err, want));
    assert_null(strstr(err, "file-secret"));
    assert_int_equal(chmod(saved, 0640), 0);
    assert_int_equal(config_load(&cfg, saved, err, sizeof err), -1);
    assert_int_equal(chmod(saved, 0600), 0);
    assert_int_equal(config_load(&cfg, saved, err, sizeof err), 0);
    assert_string_equal(cfg.api_key, "file-secret");
    config_free(&cfg);
    /* A readable file without a key is fine. */
    path = write_file("nokey.conf", "domain = acme\n", 0644);
    assert_int_equal(config_load(&cfg, path, err, sizeof err), 0);
    config_free(&cfg);
}

static void failing_key_command_says_so_without_output(void **state)
{
    const char *path =
        write_file("cmd.conf", "domain = acme\napi_key_command = echo leaked; exit 3\n", 0600);
    struct fd_config cfg;
    assert_int_equal(config_load(&cfg, path, err, sizeof err), 0);
    assert_int_equal(config_require_account(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "api_key_command"));
    assert_non_null(strstr(err, "exit status 3"));
    assert_null(cfg.api_key);
    config_free(&cfg);
    path = write_file("empty.conf", "domain = acme\napi_key_command = true\n", 0600);
    assert_int_equal(config_load(&cfg, path, err, sizeof err), 0);
    assert_int_equal(config_require_account(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "must print the API key"));
    config_free(&cfg);
}

static void missing_account_message_says_what_to_set(void **state)
{
    struct fd_config cfg;
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), 0);
    assert_int_equal(config_require_account(&cfg, err, sizeof err), -1);
    char file[400];
    snprintf(file, sizeof file, "%s/fdesk/config", dir);
    assert_non_null(strstr(err, "set FRESHDESK_DOMAIN and FRESHDESK_API_KEY"));
    assert_non_null(strstr(err, file));
    assert_non_null(strstr(err, "`domain = ...`"));
    assert_non_null(strstr(err, "`api_key_command = ...`"));
    assert_non_null(strstr(err, "fdesk --demo"));
    config_free(&cfg);
    /* a domain but no key: the same guidance */
    setenv("FRESHDESK_DOMAIN", "acme", 1);
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), 0);
    assert_int_equal(config_require_account(&cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "API key"));
    assert_non_null(strstr(err, "FRESHDESK_API_KEY"));
    config_free(&cfg);
}

static void fdesk_url_allows_http_only_for_loopback(void **state)
{
    static const char *const ok[] = {"http://127.0.0.1:8080", "http://localhost:9/",
                                     "http://[::1]:8080", "https://example.com",
                                     "http://127.9.9.9:1"};
    static const char *const bad[] = {
        "http://example.com",           "http://10.0.0.1:8080",       "ftp://127.0.0.1",
        "http://127.0.0.1:8080/api/v2", "http://user:pw@127.0.0.1:1", "nonsense"};
    struct fd_config cfg;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        setenv("FDESK_URL", ok[i], 1);
        if (config_load(&cfg, NULL, err, sizeof err) != 0)
            fail_msg("%s refused: %s", ok[i], err);
        assert_null(cfg.domain);
        assert_non_null(cfg.account);
        assert_null(strchr(cfg.account, '/'));
        assert_null(strchr(cfg.account, ':'));
        config_free(&cfg);
    }
    setenv("FDESK_URL", "http://127.0.0.1:8080/", 1);
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), 0);
    assert_string_equal(cfg.base_url, "http://127.0.0.1:8080");
    assert_string_equal(cfg.account, "127.0.0.1-8080");
    config_free(&cfg);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("FDESK_URL", bad[i], 1);
        err[0] = '\0';
        if (config_load(&cfg, NULL, err, sizeof err) == 0)
            fail_msg("%s accepted", bad[i]);
        assert_non_null(strstr(err, "FDESK_URL"));
    }
}

static void explicit_missing_file_is_an_error(void **state)
{
    struct fd_config cfg;
    char path[400];
    snprintf(path, sizeof path, "%s/nope.conf", dir);
    assert_int_equal(config_load(&cfg, path, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    setenv("FDESK_CONFIG", path, 1);
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), -1);
}

static void harden_process_makes_it_undumpable(void **state)
{
    assert_int_equal(config_harden_process(), 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(domain_forms_all_normalise, setup, teardown),
        cmocka_unit_test_setup_teardown(environment_gives_account_and_key_then_forgets_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(file_settings_and_extra_lines_are_read, setup, teardown),
        cmocka_unit_test_setup_teardown(scroll_jump_takes_page_half_or_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(errors_name_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(readable_file_with_key_is_refused_with_chmod_600, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(failing_key_command_says_so_without_output, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(missing_account_message_says_what_to_set, setup, teardown),
        cmocka_unit_test_setup_teardown(fdesk_url_allows_http_only_for_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(explicit_missing_file_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(harden_process_makes_it_undumpable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
