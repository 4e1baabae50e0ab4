/* test_act.c: acting on tickets end to end. The real fdesk runs in a
 * pseudo-terminal (80x24) against fdesk-sim with --admin; keys are typed as
 * an agent would, the screen is read back through libvterm, and what reached
 * the server is read from the simulator's record of every write
 * (GET /__sim/posts), independently of fdesk. Each test has its own HOME and
 * XDG directories, so its own cache, drafts and outbox. fdesk writes its
 * debug log there (or into $ACT_DEBUG_DIR when set, to keep it); one test
 * runs alone with ACT_TEST_FILTER=name. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "tests/e2e/e2e.h"

#define KEY_FINISH "\033[21~" /* F10; <C-x><C-s> works too */
#define KEY_CTRL_X "\030"

static const char *const sim_args[] = {"--admin", "--tickets",    "300",    "--seed",
                                       "11",      "--rate-limit", "100000", NULL};

struct fixture {
    struct test_env env;
    struct term *t;
    struct sim sim;
    bool own_sim;
};

static struct sim shared;

static int setup_shared(void **state)
{
    return sim_start(&shared, e2e_sim_path(), 0, sim_args);
}

static int teardown_shared(void **state)
{
    sim_stop(&shared);
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

static struct sim *sim_of(struct fixture *f)
{
    return f->own_sim ? &f->sim : &shared;
}

static void start_fdesk(struct fixture *f)
{
    char debug[400];
    snprintf(debug, sizeof debug, "--debug=%s/fdesk.log",
             getenv("ACT_DEBUG_DIR") ? getenv("ACT_DEBUG_DIR") : f->env.dir);
    f->t = e2e_start(&f->env, sim_of(f)->url, debug, E2E_ROWS, E2E_COLS);
    assert_non_null(f->t);
    if (!e2e_wait_synced(f->t)) {
        term_dump(f->t, "first sync did not finish");
        fail_msg("fdesk did not sync");
    }
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f || test_env_init(&f->env) != 0)
        return -1;
    /* refresh = 10: the shortest the config allows, so a returning link is noticed soon. */
    if (e2e_write_config(&f->env, "refresh = 10\n") != 0) {
        test_env_free(&f->env);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    term_free(f->t);
    f->t = NULL;
    if (f->own_sim)
        sim_stop(&f->sim);
    test_env_free(&f->env);
    free(f);
    return 0;
}

static void expect_screen(struct term *t, const char *text, int timeout_ms, const char *why)
{
    if (!term_wait_for(t, text, timeout_ms)) {
        term_dump(t, why);
        fail_msg("screen never showed '%s' (%s)", text, why);
    }
}

/* Selects ticket id in the list with the command line. */
static void select_ticket(struct term *t, long id)
{
    char cmd[32];
    snprintf(cmd, sizeof cmd, ":%ld\r", id);
    term_send(t, cmd);
    char want[32];
    snprintf(want, sizeof want, ">%ld ", id);
    expect_screen(t, want, 5000, "the ticket is selected");
}

/* The writes of one kind to one ticket the simulator received, as a JSON
 * array of request bodies (caller frees). */
static cJSON *sim_posts(struct sim *s, const char *kind, long ticket)
{
    char *body = NULL;
    cJSON *out = cJSON_CreateArray();
    if (sim_http(s, "GET", "/__sim/posts", NULL, &body) != 200) {
        free(body);
        return out;
    }
    cJSON *all = cJSON_Parse(body), *p;
    free(body);
    cJSON_ArrayForEach(p, all)
    {
        cJSON *k = cJSON_GetObjectItem(p, "kind"), *id = cJSON_GetObjectItem(p, "ticket_id");
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0 &&
            (ticket == 0 || (cJSON_IsNumber(id) && (long)id->valuedouble == ticket)))
            cJSON_AddItemToArray(out, cJSON_Duplicate(cJSON_GetObjectItem(p, "body"), true));
    }
    cJSON_Delete(all);
    return out;
}

/* Waits until the simulator holds `want` writes of kind to ticket. */
static cJSON *wait_posts(struct sim *s, struct term *t, const char *kind, long ticket, int want,
                         int timeout_ms)
{
    double deadline = term_now_ms() + timeout_ms;
    for (;;) {
        cJSON *p = sim_posts(s, kind, ticket);
        if (cJSON_GetArraySize(p) >= want || term_now_ms() > deadline)
            return p;
        cJSON_Delete(p);
        term_pump(t, 100);
    }
}

static const char *body_html(cJSON *post)
{
    return cJSON_GetStringValue(cJSON_GetObjectItem(post, "body"));
}

/* How many conversations of the ticket hold text, read from the API. */
static int count_conversations(struct sim *s, long ticket, const char *text)
{
    char path[96], *body = NULL;
    snprintf(path, sizeof path, "/api/v2/tickets/%ld/conversations", ticket);
    if (sim_http(s, "GET", path, NULL, &body) != 200) {
        free(body);
        return -1;
    }
    cJSON *all = cJSON_Parse(body), *c;
    free(body);
    int n = 0;
    cJSON_ArrayForEach(c, all)
    {
        const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(c, "body"));
        n += b && strstr(b, text) != NULL;
    }
    cJSON_Delete(all);
    return n;
}

/* The n-th unresolved ticket (by id) the simulator holds: one the default
 * view lists, different for every test. */
static long pick_ticket(struct sim *s, int n)
{
    long ids[400];
    int count = 0;
    for (int page = 1; page <= 4; page++) {
        char path[200], *body = NULL;
        snprintf(path, sizeof path,
                 "/api/v2/tickets?updated_since=2000-01-01T00:00:00Z&per_page=100&page=%d", page);
        if (sim_http(s, "GET", path, NULL, &body) != 200) {
            free(body);
            break;
        }
        cJSON *list = cJSON_Parse(body), *tk;
        free(body);
        cJSON_ArrayForEach(tk, list)
        {
            int st = cJSON_GetObjectItem(tk, "status")->valueint;
            if ((st == 2 || st == 3) && count < 400)
                ids[count++] = (long)cJSON_GetObjectItem(tk, "id")->valuedouble;
        }
        int size = cJSON_GetArraySize(list);
        cJSON_Delete(list);
        if (size < 100)
            break;
    }
    for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            long x = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = x;
        }
    if (n >= count)
        fail_msg("the simulator has only %d unresolved tickets", count);
    return ids[n];
}

static void expect_sent(struct term *t, const char *kind, long id)
{
    char want[64];
    snprintf(want, sizeof want, "%s to #%ld sent", kind, id);
    expect_screen(t, want, E2E_TIMEOUT, "the server confirmed the send");
}

/* ---- the tests ---- */

static void reply_is_sent_once_as_escaped_html(void **state)
{
    struct fixture *f = *state;
    long id5 = pick_ticket(&shared, 0);
    start_fdesk(f);
    select_ticket(f->t, id5);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "the editor says it is a public reply");
    expect_screen(f->t, "finish (review)", 1000, "the bottom line says how to finish");
    assert_true(term_contains(f->t, "cancel"));
    term_send(f->t, "\033OP"); /* F1: the keys of the editor */
    expect_screen(f->t, "Keys: editor screen", 5000, "the editor's help");
    assert_true(term_contains(f->t, "external-editor"));
    term_send(f->t, "q");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "back in the editor");
    term_send(f->t, "Use <b> & \"quotes\" — 日本語 ok\r");
    /* A bracketed paste is one insertion (its newline too). */
    term_send(f->t, "\033[200~pasted first\rpasted ü second\033[201~");
    expect_screen(f->t, "pasted ü second", 5000, "the paste");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "the review screen");
    assert_true(term_contains(f->t, "postpone"));
    term_send(f->t, "y");
    expect_sent(f->t, "reply", id5);
    cJSON *posts = wait_posts(&shared, f->t, "reply", id5, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    const char *html = body_html(cJSON_GetArrayItem(posts, 0));
    assert_non_null(html);
    assert_non_null(strstr(html, "Use &lt;b&gt; &amp; &quot;quotes&quot; — 日本語 ok"));
    assert_non_null(strstr(html, "pasted first"));
    assert_non_null(strstr(html, "pasted ü second"));
    assert_null(strstr(html, "<b>"));
    cJSON_Delete(posts);
    /* Nothing else arrives later. */
    term_settle(f->t, 300, 1500);
    posts = sim_posts(&shared, "reply", id5);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON_Delete(posts);
}

static void note_is_private_unless_made_public(void **state)
{
    struct fixture *f = *state;
    long id6 = pick_ticket(&shared, 1), id7 = pick_ticket(&shared, 2);
    start_fdesk(f);
    select_ticket(f->t, id6);
    term_send(f->t, "N");
    expect_screen(f->t, "PRIVATE NOTE", 5000, "a note starts private");
    term_send(f->t, "internal remark");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "y");
    expect_sent(f->t, "note", id6);
    cJSON *posts = wait_posts(&shared, f->t, "note", id6, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON *priv = cJSON_GetObjectItem(cJSON_GetArrayItem(posts, 0), "private");
    assert_true(priv == NULL || cJSON_IsTrue(priv)); /* the API's default is private */
    cJSON_Delete(posts);

    select_ticket(f->t, id7);
    term_send(f->t, "N");
    expect_screen(f->t, "PRIVATE NOTE", 5000, "a note starts private");
    term_send(f->t, "\024"); /* Ctrl-T: switching is explicit */
    expect_screen(f->t, "PUBLIC NOTE", 5000, "made public");
    term_send(f->t, "shared remark");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "y");
    expect_sent(f->t, "note", id7);
    posts = wait_posts(&shared, f->t, "note", id7, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(posts, 0), "private")));
    cJSON_Delete(posts);
}

static void draft_survives_hangup_and_kill(void **state)
{
    struct fixture *f = *state;
    long id9 = pick_ticket(&shared, 3);
    start_fdesk(f);
    select_ticket(f->t, id9);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "words before the line drops");
    expect_screen(f->t, "line drops", 5000, "typed");
    /* Hung up at once: no time for the periodic save. */
    term_signal(f->t, SIGHUP);
    assert_true(term_wait_exit(f->t, E2E_TIMEOUT) != -1);
    term_free(f->t);
    f->t = NULL;
    start_fdesk(f);
    select_ticket(f->t, id9);
    term_send(f->t, "r");
    expect_screen(f->t, "restored your draft", 5000, "the draft is restored with a message");
    assert_true(term_contains(f->t, "words before the line drops"));
    /* Typed, then a second later killed without any chance to save. */
    term_send(f->t, " and more");
    expect_screen(f->t, "and more", 5000, "typed");
    term_settle(f->t, 1200, 3000);
    term_signal(f->t, SIGKILL);
    term_wait_exit(f->t, E2E_TIMEOUT);
    term_free(f->t);
    f->t = NULL;
    start_fdesk(f);
    select_ticket(f->t, id9);
    term_send(f->t, "r");
    expect_screen(f->t, "restored your draft", 5000, "restored again");
    expect_screen(f->t, "and more", 5000, "saved within a second of typing");
    /* SIGTERM, right after a keystroke, saves at once too. */
    term_send(f->t, " then TERM");
    expect_screen(f->t, "then TERM", 5000, "typed");
    term_signal(f->t, SIGTERM);
    assert_true(term_wait_exit(f->t, E2E_TIMEOUT) != -1);
    term_free(f->t);
    f->t = NULL;
    start_fdesk(f);
    select_ticket(f->t, id9);
    term_send(f->t, "r");
    expect_screen(f->t, "and more then TERM", 5000, "saved on SIGTERM");
    cJSON *posts = sim_posts(&shared, "reply", id9);
    assert_int_equal(cJSON_GetArraySize(posts), 0); /* a draft is never sent by itself */
    cJSON_Delete(posts);
}

/* Queues a reply to ticket id while the simulator is down. */
static void queue_offline_reply(struct fixture *f, long id, const char *text)
{
    sim_stop(&f->sim);
    select_ticket(f->t, id);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, text);
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "y");
    expect_screen(f->t, "queued in the outbox", E2E_TIMEOUT, "queued while offline");
    expect_screen(f->t, "1 in outbox", 5000, "the status bar counts it");
}

static void offline_reply_is_queued_then_sent_once(void **state)
{
    struct fixture *f = *state;
    f->own_sim = true;
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), 0, sim_args), 0);
    int port = f->sim.port;
    long id3 = pick_ticket(&f->sim, 4);
    start_fdesk(f);
    queue_offline_reply(f, id3, "written on a train");
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), port, sim_args), 0);
    expect_sent(f->t, "reply", id3);
    cJSON *posts = wait_posts(&f->sim, f->t, "reply", id3, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON_Delete(posts);
    assert_int_equal(count_conversations(&f->sim, id3, "written on a train"), 1);
    term_settle(f->t, 300, 1500);
    assert_false(term_contains(f->t, "in outbox"));
}

static void kill_during_send_still_yields_one_reply(void **state)
{
    struct fixture *f = *state;
    f->own_sim = true;
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), 0, sim_args), 0);
    long id11 = pick_ticket(&f->sim, 5);
    start_fdesk(f);
    select_ticket(f->t, id11);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "killed while sending");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    /* The server applies the POST, then holds its answer: fdesk is killed
     * while it waits for it. */
    assert_int_equal(sim_http(&f->sim, "POST", "/__sim/faults",
                              "{\"stall_writes\": true, \"stall_ms\": 600000}", NULL),
                     200);
    term_send(f->t, "y");
    cJSON *posts = wait_posts(&f->sim, f->t, "reply", id11, 1, E2E_TIMEOUT);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON_Delete(posts);
    term_signal(f->t, SIGKILL);
    term_wait_exit(f->t, E2E_TIMEOUT);
    term_free(f->t);
    f->t = NULL;
    assert_int_equal(sim_http(&f->sim, "POST", "/__sim/faults", "{\"stall_writes\": false}", NULL),
                     200);
    /* The next start finds the reply on the server instead of posting it again. */
    start_fdesk(f);
    expect_sent(f->t, "reply", id11);
    term_settle(f->t, 300, 1500);
    posts = sim_posts(&f->sim, "reply", id11);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON_Delete(posts);
    assert_int_equal(count_conversations(&f->sim, id11, "killed while sending"), 1);
}

static void own_reply_landing_meanwhile_is_no_collision(void **state)
{
    struct fixture *f = *state;
    f->own_sim = true;
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), 0, sim_args), 0);
    long id = pick_ticket(&f->sim, 8);
    start_fdesk(f);
    select_ticket(f->t, id);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "first answer");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    /* The server takes the first reply but answers only 4 s later ... */
    assert_int_equal(sim_http(&f->sim, "POST", "/__sim/faults",
                              "{\"stall_writes\": true, \"stall_ms\": 4000}", NULL),
                     200);
    term_send(f->t, "y");
    cJSON *posts = wait_posts(&f->sim, f->t, "reply", id, 1, E2E_TIMEOUT);
    cJSON_Delete(posts);
    /* ... while the agent already writes the next one. */
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "second answer");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    expect_sent(f->t, "reply", id); /* the first one is confirmed */
    assert_int_equal(sim_http(&f->sim, "POST", "/__sim/faults", "{\"stall_writes\": false}", NULL),
                     200);
    term_send(f->t, "y");
    posts = wait_posts(&f->sim, f->t, "reply", id, 2, E2E_TIMEOUT);
    if (cJSON_GetArraySize(posts) != 2)
        term_dump(f->t, "the second reply was not sent");
    assert_int_equal(cJSON_GetArraySize(posts), 2);
    cJSON_Delete(posts);
    assert_false(term_contains(f->t, "SOMEONE ELSE CHANGED"));
}

static void validation_error_brings_the_text_back(void **state)
{
    struct fixture *f = *state;
    long id13 = pick_ticket(&shared, 6);
    start_fdesk(f);
    select_ticket(f->t, id13);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "this must come back");
    term_send(f->t, KEY_CTRL_X "c");
    expect_screen(f->t, "CC (comma", 5000, "the CC question");
    term_send(f->t, "not-an-address\r");
    expect_screen(f->t, "CC: not-an-address", 5000, "the CC line");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "y");
    expect_screen(f->t, "the server refused it", E2E_TIMEOUT, "back in the editor");
    expect_screen(f->t, "valid email address", 1000, "with the field message");
    assert_true(term_contains(f->t, "cc_emails"));
    assert_true(term_contains(f->t, "this must come back"));
    assert_true(term_contains(f->t, "PUBLIC REPLY"));
    cJSON *posts = sim_posts(&shared, "reply", id13);
    assert_int_equal(cJSON_GetArraySize(posts), 0);
    cJSON_Delete(posts);
}

static void bulk_status_change_on_marked_tickets(void **state)
{
    struct fixture *f = *state;
    start_fdesk(f);
    long ids[3];
    for (int i = 0; i < 3; i++) {
        ids[i] = strtol(term_row(f->t, 1 + i) + 1, NULL, 10);
        assert_true(ids[i] > 0);
    }
    term_send(f->t, "   "); /* Space marks and moves down */
    expect_screen(f->t, "3 marked", 5000, "three marked");
    assert_int_equal(term_row(f->t, 1)[0], '*');
    term_send(f->t, "s");
    expect_screen(f->t, "Status of 3 marked tickets", 5000, "the status picker");
    term_send(f->t, "pend\r");
    cJSON *posts = wait_posts(&shared, f->t, "bulk_update", 0, 1, E2E_TIMEOUT);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON *body = cJSON_GetObjectItem(cJSON_GetArrayItem(posts, 0), "bulk_action");
    cJSON *list = cJSON_GetObjectItem(body, "ids");
    assert_int_equal(cJSON_GetArraySize(list), 3);
    for (int i = 0; i < 3; i++) {
        bool found = false;
        cJSON *x;
        cJSON_ArrayForEach(x, list) found |= (long)x->valuedouble == ids[i];
        assert_true(found);
    }
    cJSON *props = cJSON_GetObjectItem(body, "properties");
    assert_int_equal(cJSON_GetObjectItem(props, "status")->valueint, 3);
    cJSON_Delete(posts);
    /* The server's own copy says so too. */
    char path[64], *json = NULL;
    snprintf(path, sizeof path, "/api/v2/tickets/%ld", ids[1]);
    double deadline = term_now_ms() + E2E_TIMEOUT;
    int status = 0;
    while (term_now_ms() < deadline) {
        free(json);
        json = NULL;
        sim_http(&shared, "GET", path, NULL, &json);
        cJSON *tk = cJSON_Parse(json);
        status =
            cJSON_GetObjectItem(tk, "status") ? cJSON_GetObjectItem(tk, "status")->valueint : 0;
        cJSON_Delete(tk);
        if (status == 3)
            break;
        term_pump(f->t, 100);
    }
    free(json);
    assert_int_equal(status, 3);
    assert_false(term_contains(f->t, "marked —"));
}

/* The row of ticket id in the list, or NULL. */
static const char *row_of(struct term *t, long id)
{
    char want[32];
    snprintf(want, sizeof want, "%ld ", id);
    for (int r = 1; r < E2E_ROWS - 2; r++) {
        const char *row = term_row(t, r);
        if (strncmp(row + 1, want, strlen(want)) == 0)
            return row;
    }
    return NULL;
}

static void refused_change_is_shown_then_undone(void **state)
{
    struct fixture *f = *state;
    f->own_sim = true;
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), 0, sim_args), 0);
    long id = 0;
    char path[80], *json = NULL;
    int priority = 4;
    for (int n = 10; priority == 4 && n < 40; n++) { /* one that is not urgent yet */
        id = pick_ticket(&f->sim, n);
        snprintf(path, sizeof path, "/api/v2/tickets/%ld", id);
        assert_int_equal(sim_http(&f->sim, "GET", path, NULL, &json), 200);
        cJSON *tk = cJSON_Parse(json);
        free(json);
        priority = cJSON_GetObjectItem(tk, "priority")->valueint;
        cJSON_Delete(tk);
    }
    assert_true(priority != 4);
    start_fdesk(f);
    select_ticket(f->t, id);
    /* The server will refuse every write, a little slowly. */
    assert_int_equal(sim_http(&f->sim, "POST", "/__sim/faults",
                              "{\"read_only\": true, \"latency_ms\": 1500}", NULL),
                     200);
    term_send(f->t, "P");
    expect_screen(f->t, "Priority of #", 5000, "the priority picker");
    term_send(f->t, "urg\r");
    expect_screen(f->t, "priority → Urgent (queued", 5000, "the change is queued");
    const char *row = row_of(f->t, id);
    assert_non_null(row);
    assert_non_null(strstr(row, "Urgent")); /* shown at once, before the answer */
    expect_screen(f->t, "so it was undone", E2E_TIMEOUT, "the refusal is reported");
    term_settle(f->t, 200, 2000);
    row = row_of(f->t, id);
    assert_non_null(row);
    assert_null(strstr(row, "Urgent")); /* back as it was */
    assert_false(term_contains(f->t, "in outbox"));
}

/* An unresolved ticket with an attachment in its conversation: its id, the
 * attachment's name and size. */
static long ticket_with_attachment(struct sim *s, char *name, size_t size, long *bytes)
{
    for (int n = 20; n < 80; n++) {
        long id = pick_ticket(s, n);
        char path[96], *body = NULL;
        snprintf(path, sizeof path, "/api/v2/tickets/%ld/conversations", id);
        if (sim_http(s, "GET", path, NULL, &body) != 200) {
            free(body);
            continue;
        }
        cJSON *all = cJSON_Parse(body), *c;
        free(body);
        cJSON_ArrayForEach(c, all)
        {
            cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "attachments"), 0);
            if (a) {
                snprintf(name, size, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")));
                *bytes = (long)cJSON_GetObjectItem(a, "size")->valuedouble;
                cJSON_Delete(all);
                return id;
            }
        }
        cJSON_Delete(all);
    }
    return 0;
}

static void attachments_download_and_upload(void **state)
{
    struct fixture *f = *state;
    char name[200];
    long size = 0, id = ticket_with_attachment(&shared, name, sizeof name, &size);
    assert_true(id > 0);
    start_fdesk(f);
    select_ticket(f->t, id);
    term_send(f->t, "\r");
    /* The conversation (with the attachment) arrives a moment after the ticket opens. */
    double deadline = term_now_ms() + E2E_TIMEOUT;
    do {
        term_send(f->t, "d");
        if (term_wait_for(f->t, "Download which attachment", 300))
            break;
    } while (term_now_ms() < deadline);
    expect_screen(f->t, "Download which attachment", 100, "the attachment picker");
    expect_screen(f->t, name, 5000, "the attachment is offered");
    term_send(f->t, "\r");
    expect_screen(f->t, "Save the attachment to", 5000, "the path is asked");
    term_send(f->t, "\r"); /* the offered path: the home directory */
    expect_screen(f->t, "saved ", E2E_TIMEOUT, "the download finished");
    char path[600];
    snprintf(path, sizeof path, "%s/home/%s", f->env.dir, name);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((long)st.st_size, size);
    /* A second download to the same name never overwrites it. */
    term_send(f->t, "d\r\r");
    expect_screen(f->t, "never overwrites", 5000, "an existing file is kept");

    /* Attaching: more than 20 MB in all is refused before anything is sent. */
    char small[600], big[600];
    snprintf(small, sizeof small, "%s/notes.txt", f->env.dir);
    snprintf(big, sizeof big, "%s/big.bin", f->env.dir);
    write_file(small, "attached text\n", 0600);
    int fd = open(big, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0 && ftruncate(fd, 21L * 1024 * 1024) == 0);
    close(fd);
    term_send(f->t, "q"); /* back to the list */
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "see the file");
    term_send(f->t, KEY_CTRL_X "a");
    expect_screen(f->t, "Attach a file", 5000, "the path question");
    term_send(f->t, big);
    term_send(f->t, "\r");
    expect_screen(f->t, "over the 20 MB limit", 5000, "too large");
    term_send(f->t, KEY_CTRL_X "a");
    expect_screen(f->t, "Attach a file", 5000, "the path question");
    term_send(f->t, small);
    term_send(f->t, "\r");
    expect_screen(f->t, "[1 attached]", 5000, "attached");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "Attached: notes.txt", 5000, "the review lists it");
    term_send(f->t, "y");
    expect_sent(f->t, "reply", id);
    char conv_path[96], *body = NULL;
    snprintf(conv_path, sizeof conv_path, "/api/v2/tickets/%ld/conversations", id);
    assert_int_equal(sim_http(&shared, "GET", conv_path, NULL, &body), 200);
    cJSON *all = cJSON_Parse(body), *c;
    free(body);
    int found = 0;
    cJSON_ArrayForEach(c, all)
    {
        const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(c, "body"));
        cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "attachments"), 0);
        if (b && strstr(b, "see the file") && a &&
            strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(a, "name")), "notes.txt") == 0)
            found++;
    }
    cJSON_Delete(all);
    assert_int_equal(found, 1);
}

/* A field of ticket id as the simulator has it now. */
static cJSON *sim_ticket(struct sim *s, long id)
{
    char path[80], *json = NULL;
    snprintf(path, sizeof path, "/api/v2/tickets/%ld", id);
    int status = sim_http(s, "GET", path, NULL, &json);
    cJSON *tk = status == 200 ? cJSON_Parse(json) : NULL;
    free(json);
    return tk;
}

static bool ticket_has_tag(struct sim *s, long id, const char *tag)
{
    cJSON *tk = sim_ticket(s, id), *x;
    bool found = false;
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(tk, "tags")) found |=
        cJSON_IsString(x) && strcmp(x->valuestring, tag) == 0;
    cJSON_Delete(tk);
    return found;
}

/* Waits until the simulator's copy of ticket id has (or lacks) tag. */
static bool wait_tag(struct sim *s, struct term *t, long id, const char *tag, bool want)
{
    double deadline = term_now_ms() + E2E_TIMEOUT;
    while (term_now_ms() < deadline) {
        if (ticket_has_tag(s, id, tag) == want)
            return true;
        term_pump(t, 100);
    }
    return false;
}

static void a_tag_added_to_marked_tickets_reaches_each_of_them(void **state)
{
    struct fixture *f = *state;
    start_fdesk(f);
    long ids[2];
    for (int i = 0; i < 2; i++) {
        ids[i] = strtol(term_row(f->t, 1 + i) + 1, NULL, 10);
        assert_true(ids[i] > 0);
    }
    term_send(f->t, "  "); /* Space marks and moves down */
    expect_screen(f->t, "2 marked", 5000, "two marked");
    term_send(f->t, "+");
    expect_screen(f->t, "Tags of 2 marked tickets", 5000, "the tags question for both");
    term_send(f->t, "e2e-bulk-tag\r");
    expect_screen(f->t, "2 tickets: tag added: e2e-bulk-tag", 5000, "one message for both");
    for (int i = 0; i < 2; i++)
        assert_true(wait_tag(&shared, f->t, ids[i], "e2e-bulk-tag", true));
}

static void tags_take_and_assign(void **state)
{
    struct fixture *f = *state;
    long id = pick_ticket(&shared, 11);
    start_fdesk(f);
    select_ticket(f->t, id);
    term_send(f->t, "+");
    expect_screen(f->t, "Tags of #", 5000, "the tags question");
    term_send(f->t, "e2e-follow-up\r");
    assert_true(wait_tag(&shared, f->t, id, "e2e-follow-up", true));
    /* Completion: the tag is now one of those seen; '-' removes it. */
    term_send(f->t, "+");
    expect_screen(f->t, "Tags of #", 5000, "the tags question");
    term_send(f->t, "-e2e-fol");
    expect_screen(f->t, "remove", 5000, "the ticket's own tags are offered for removal");
    term_send(f->t, "\t\r"); /* choose the completion */
    assert_true(wait_tag(&shared, f->t, id, "e2e-follow-up", false));
    /* Take: assigned to the key's own agent (Alex Morgan in the simulator). */
    term_send(f->t, "t");
    double deadline = term_now_ms() + E2E_TIMEOUT;
    long responder = 0, me = 0;
    char *json = NULL;
    assert_int_equal(sim_http(&shared, "GET", "/api/v2/agents/me", NULL, &json), 200);
    cJSON *agent = cJSON_Parse(json);
    free(json);
    me = (long)cJSON_GetObjectItem(agent, "id")->valuedouble;
    cJSON_Delete(agent);
    while (term_now_ms() < deadline && responder != me) {
        cJSON *tk = sim_ticket(&shared, id);
        cJSON *r = cJSON_GetObjectItem(tk, "responder_id");
        responder = cJSON_IsNumber(r) ? (long)r->valuedouble : 0;
        cJSON_Delete(tk);
        term_pump(f->t, 100);
    }
    assert_int_equal(responder, me);
    /* Assign through the agent picker, by part of a name. */
    term_send(f->t, "a");
    expect_screen(f->t, "Agent of #", 5000, "the agent picker");
    term_send(f->t, "unassign\r");
    deadline = term_now_ms() + E2E_TIMEOUT;
    while (term_now_ms() < deadline && responder != 0) {
        cJSON *tk = sim_ticket(&shared, id);
        cJSON *r = cJSON_GetObjectItem(tk, "responder_id");
        responder = cJSON_IsNumber(r) ? (long)r->valuedouble : 0;
        cJSON_Delete(tk);
        term_pump(f->t, 100);
    }
    assert_int_equal(responder, 0);
}

static void postpone_discard_and_undo(void **state)
{
    struct fixture *f = *state;
    long id = pick_ticket(&shared, 12);
    start_fdesk(f);
    select_ticket(f->t, id);
    term_send(f->t, "N");
    expect_screen(f->t, "PRIVATE NOTE", 5000, "editor");
    /* The quote of the customer's last message and the signature, on request. */
    term_send(f->t, KEY_CTRL_X "q");
    expect_screen(f->t, "wrote:", 5000, "the quote's attribution line");
    assert_true(term_find_row(f->t, "> ") > 0);
    term_send(f->t, KEY_CTRL_X "s");
    expect_screen(f->t, "Alex Morgan", 5000, "the agent's signature");
    term_send(f->t, "\037\037"); /* both undone, one step each */
    assert_true(term_wait_gone(f->t, "wrote:", 5000));
    term_send(f->t, "keep this ");
    term_send(f->t, "unwanted");
    expect_screen(f->t, "keep this unwanted", 5000, "typed");
    term_send(f->t, "\037"); /* C-_: undo the last word */
    assert_true(term_wait_gone(f->t, "unwanted", 5000));
    assert_true(term_contains(f->t, "keep this"));
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "p");
    expect_screen(f->t, "kept for later", 5000, "postponed");
    term_send(f->t, "N");
    expect_screen(f->t, "restored your draft", 5000, "restored in the same run");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "D");
    expect_screen(f->t, "discard this draft for good?", 5000, "asks first");
    term_send(f->t, "n");
    expect_screen(f->t, "the draft is kept", 5000, "not discarded");
    term_send(f->t, "D");
    expect_screen(f->t, "discard this draft for good?", 5000, "asks first");
    term_send(f->t, "y");
    expect_screen(f->t, "discarded", 5000, "discarded");
    term_send(f->t, "N");
    expect_screen(f->t, "PRIVATE NOTE", 5000, "editor");
    term_settle(f->t, 200, 2000);
    assert_false(term_contains(f->t, "restored"));
    assert_false(term_contains(f->t, "keep this"));
    cJSON *posts = sim_posts(&shared, "note", id);
    assert_int_equal(cJSON_GetArraySize(posts), 0);
    cJSON_Delete(posts);
}

static void offline_change_shows_across_a_restart(void **state)
{
    struct fixture *f = *state;
    f->own_sim = true;
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), 0, sim_args), 0);
    int port = f->sim.port;
    long id = pick_ticket(&f->sim, 13);
    start_fdesk(f);
    sim_stop(&f->sim);
    select_ticket(f->t, id);
    term_send(f->t, "P");
    expect_screen(f->t, "Priority of #", 5000, "the priority picker");
    term_send(f->t, "low\r");
    expect_screen(f->t, "1 in outbox", E2E_TIMEOUT, "queued while offline");
    assert_non_null(strstr(row_of(f->t, id), "Low "));
    term_send(f->t, "+");
    expect_screen(f->t, "Tags of #", 5000, "the tags question");
    term_send(f->t, "e2e-offline-tag\r");
    expect_screen(f->t, "2 in outbox", E2E_TIMEOUT, "the tag queued too");
    term_send(f->t, "Q");
    assert_true(term_wait_exit(f->t, E2E_TIMEOUT) != -1);
    term_free(f->t);
    f->t = NULL;
    /* Started again, still offline: the queued change is still shown. */
    char debug[400];
    snprintf(debug, sizeof debug, "--debug=%s/fdesk.log", f->env.dir);
    f->t = e2e_start(&f->env, f->sim.url, debug, E2E_ROWS, E2E_COLS);
    expect_screen(f->t, "2 in outbox", E2E_TIMEOUT, "the outbox still holds them");
    select_ticket(f->t, id);
    assert_non_null(strstr(row_of(f->t, id), "Low "));
    term_send(f->t, "\r"); /* the detail shows the queued tag too */
    expect_screen(f->t, "e2e-offline-tag", 5000, "the queued tag after a restart");
    term_send(f->t, "q");
    /* The link returns: sent once, and the server has it. */
    assert_int_equal(sim_start(&f->sim, e2e_sim_path(), port, sim_args), 0);
    assert_true(term_wait_gone(f->t, "in outbox", 60000));
    cJSON *tk = sim_ticket(&f->sim, id);
    assert_int_equal(cJSON_GetObjectItem(tk, "priority")->valueint, 1);
    cJSON_Delete(tk);
    cJSON *posts = sim_posts(&f->sim, "update", id);
    assert_int_equal(cJSON_GetArraySize(posts), 2);
    cJSON_Delete(posts);
}

static void collision_is_shown_before_sending(void **state)
{
    struct fixture *f = *state;
    long id15 = pick_ticket(&shared, 7);
    char hook[80];
    snprintf(hook, sizeof hook, "/__sim/tickets/%ld/customer_reply", id15);
    start_fdesk(f);
    select_ticket(f->t, id15);
    term_send(f->t, "\rG"); /* open it at its end: what the agent has seen */
    char bar[40];
    snprintf(bar, sizeof bar, "─ #%ld ─", id15);
    expect_screen(f->t, bar, 5000, "the ticket is open");
    assert_true(term_wait_gone(f->t, "loading the conversation", E2E_TIMEOUT));
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "my answer");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    /* Meanwhile the customer writes again. */
    assert_int_equal(
        sim_http(&shared, "POST", hook, "{\"body\": \"<div>One more thing</div>\"}", NULL), 201);
    term_send(f->t, "y");
    expect_screen(f->t, "SOMEONE ELSE CHANGED", E2E_TIMEOUT, "the collision warning");
    expect_screen(f->t, "new message", 1000, "what changed");
    cJSON *posts = sim_posts(&shared, "reply", id15);
    assert_int_equal(cJSON_GetArraySize(posts), 0); /* nothing sent while asking */
    cJSON_Delete(posts);
    term_send(f->t, "y");
    expect_sent(f->t, "reply", id15);
    posts = wait_posts(&shared, f->t, "reply", id15, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    cJSON_Delete(posts);

    /* Once shown, a change is not warned about again: n waits, y sends. */
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "second answer");
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    assert_int_equal(
        sim_http(&shared, "POST", hook, "{\"body\": \"<div>And another</div>\"}", NULL), 201);
    term_send(f->t, "y");
    expect_screen(f->t, "SOMEONE ELSE CHANGED", E2E_TIMEOUT, "the collision warning");
    term_send(f->t, "n");
    expect_screen(f->t, "not sent", 5000, "n waits");
    term_send(f->t, "y");
    expect_sent(f->t, "reply", id15);
    posts = wait_posts(&shared, f->t, "reply", id15, 2, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 2);
    cJSON_Delete(posts);
}

static void canned_response_fills_its_placeholder(void **state)
{
    struct fixture *f = *state;
    long id17 = pick_ticket(&shared, 8);
    char *json = NULL, path[80];
    snprintf(path, sizeof path, "/api/v2/tickets/%ld?include=requester", id17);
    assert_int_equal(sim_http(&shared, "GET", path, NULL, &json), 200);
    cJSON *tk = cJSON_Parse(json);
    free(json);
    const char *name =
        cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(tk, "requester"), "name"));
    assert_non_null(name);
    char want[200];
    snprintf(want, sizeof want, "Hi %s,", name);
    start_fdesk(f);
    select_ticket(f->t, id17);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, KEY_CTRL_X "r");
    expect_screen(f->t, "Canned response", 5000, "the picker");
    term_send(f->t, "patienc");
    expect_screen(f->t, "Thanks for your patience", 5000, "filtered");
    term_send(f->t, "\r");
    expect_screen(f->t, want, 5000, "the placeholder filled with the requester's name");
    assert_false(term_contains(f->t, "{{"));
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "y");
    expect_sent(f->t, "reply", id17);
    cJSON *posts = wait_posts(&shared, f->t, "reply", id17, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    const char *html = body_html(cJSON_GetArrayItem(posts, 0));
    assert_non_null(strstr(html, "Thanks for your patience"));
    assert_null(strstr(html, "{{"));
    cJSON_Delete(posts);
    cJSON_Delete(tk);
}

static void external_editor_takes_and_keeps_the_text(void **state)
{
    struct fixture *f = *state;
    long id19 = pick_ticket(&shared, 9);
    char script[400], fail[400], log[400], text[1200];
    snprintf(script, sizeof script, "%s/editor.sh", f->env.dir);
    snprintf(fail, sizeof fail, "%s/fail", f->env.dir);
    snprintf(log, sizeof log, "%s/editor.log", f->env.dir);
    snprintf(text, sizeof text,
             "#!/bin/sh\n"
             "stat -c '%%a %%n' \"$1\" >> '%s'\n"
             "[ -e '%s' ] && exit 3\n"
             "printf 'from the scripted editor\\n' >> \"$1\"\n",
             log, fail);
    write_file(script, text, 0755);
    test_env_set(&f->env, "VISUAL", script);
    start_fdesk(f);
    select_ticket(f->t, id19);
    term_send(f->t, "r");
    expect_screen(f->t, "PUBLIC REPLY", 5000, "editor");
    term_send(f->t, "typed first\r");
    term_send(f->t, KEY_CTRL_X "\005"); /* Ctrl-X Ctrl-E */
    expect_screen(f->t, "from the scripted editor", E2E_TIMEOUT, "the editor's text");
    assert_true(term_contains(f->t, "typed first"));
    assert_true(term_contains(f->t, "PUBLIC REPLY")); /* curses is back */
    /* A failing editor leaves the text alone. */
    write_file(fail, "", 0600);
    term_send(f->t, KEY_CTRL_X "\005");
    expect_screen(f->t, "status 3", E2E_TIMEOUT, "the failure is reported");
    assert_true(term_contains(f->t, "from the scripted editor"));
    /* Both runs saw a private file in the state directory, removed since. */
    FILE *lf = fopen(log, "r");
    assert_non_null(lf);
    char line[600], dir[400];
    snprintf(dir, sizeof dir, "%s/state/fdesk/", f->env.dir);
    int runs = 0;
    while (fgets(line, sizeof line, lf)) {
        assert_int_equal(strncmp(line, "600 ", 4), 0);
        assert_non_null(strstr(line, dir));
        line[strcspn(line, "\n")] = '\0';
        assert_int_not_equal(access(line + 4, F_OK), 0);
        runs++;
    }
    fclose(lf);
    assert_int_equal(runs, 2);
    term_send(f->t, KEY_FINISH);
    expect_screen(f->t, "REVIEW", 5000, "review");
    term_send(f->t, "y");
    expect_sent(f->t, "reply", id19);
    cJSON *posts = wait_posts(&shared, f->t, "reply", id19, 1, 2000);
    assert_int_equal(cJSON_GetArraySize(posts), 1);
    assert_non_null(strstr(body_html(cJSON_GetArrayItem(posts, 0)), "from the scripted editor"));
    cJSON_Delete(posts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reply_is_sent_once_as_escaped_html, setup, teardown),
        cmocka_unit_test_setup_teardown(note_is_private_unless_made_public, setup, teardown),
        cmocka_unit_test_setup_teardown(draft_survives_hangup_and_kill, setup, teardown),
        cmocka_unit_test_setup_teardown(offline_reply_is_queued_then_sent_once, setup, teardown),
        cmocka_unit_test_setup_teardown(own_reply_landing_meanwhile_is_no_collision, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(kill_during_send_still_yields_one_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(validation_error_brings_the_text_back, setup, teardown),
        cmocka_unit_test_setup_teardown(bulk_status_change_on_marked_tickets, setup, teardown),
        cmocka_unit_test_setup_teardown(a_tag_added_to_marked_tickets_reaches_each_of_them, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(refused_change_is_shown_then_undone, setup, teardown),
        cmocka_unit_test_setup_teardown(offline_change_shows_across_a_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(collision_is_shown_before_sending, setup, teardown),
        cmocka_unit_test_setup_teardown(attachments_download_and_upload, setup, teardown),
        cmocka_unit_test_setup_teardown(tags_take_and_assign, setup, teardown),
        cmocka_unit_test_setup_teardown(postpone_discard_and_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(canned_response_fills_its_placeholder, setup, teardown),
        cmocka_unit_test_setup_teardown(external_editor_takes_and_keeps_the_text, setup, teardown),
    };
    if (getenv("ACT_TEST_FILTER")) /* runs one test while debugging */
        cmocka_set_test_filter(getenv("ACT_TEST_FILTER"));
    return cmocka_run_group_tests(tests, setup_shared, teardown_shared);
}
