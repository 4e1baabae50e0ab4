/* bench_store.c: measures the cache against naive baselines in one run.
 *
 *  1. Writes: 20,000 Freshdesk-sized tickets (~1.5 KB of JSON each) stored
 *     through store_upsert_ticket with one transaction per 100-ticket page
 *     (what sync does), against the same upserts each in its own autocommit
 *     transaction (the naive loop; measured on 2,000 tickets to bound the run
 *     time, reported as a rate).
 *  2. First window of 100,000 cached tickets: store_open + store_count +
 *     store_window(first 50 rows), against loading every row's list columns
 *     and sorting them in memory. Runs are interleaved, medians reported.
 *  3. Search narrowing on the same cache (what `/` does per keystroke):
 *     count + first window for typed words through the FTS5 index, against
 *     the same with LIKE '%word%' on the subject.
 *
 * Usage: bench_store [--writes-only] [DIR]   (default: a fresh directory under /tmp)
 * Prints one line per figure; see BENCHMARKS.md for recorded results. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "src/model.h"
#include "src/store.h"

#define WRITE_TICKETS    20000
#define BASELINE_TICKETS 2000
#define PAGE             100
#define BIG_CACHE        100000
#define WINDOW_ROWS      50
#define ROUNDS           5

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) used by this process so far. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static const char *const words[] = {"printer",  "invoice", "refund",  "password", "login",
                                    "shipping", "order",   "delayed", "broken",   "account",
                                    "charged",  "twice",   "cannot",  "access",   "report"};

/* Fills t like a ticket from a list page with include=requester,company.
 * Sync pages with order_by=updated_at&order_type=asc, so updated_at grows
 * with id here too (a few tickets share each second). Lists carry no
 * description; with_description adds one (~1 KB) as a ticket that was
 * opened has. */
static void make_ticket(struct fd_ticket *t, fd_id id, unsigned seed, bool with_description)
{
    char subject[96], json[2048], desc[1200];
    size_t n = 0;
    fd_time updated = 1780000000 + (fd_time)id * 20 + (fd_time)(seed % 7);

    memset(t, 0, sizeof *t);
    snprintf(subject, sizeof subject, "%s %s %s #%lld", words[seed % 15], words[(seed / 15) % 15],
             words[(seed / 225) % 15], (long long)id);
    while (n < 1000) {
        int w = snprintf(desc + n, sizeof desc - n, "%s ", words[(seed + n) % 15]);
        n += (size_t)w;
    }
    t->id = id;
    t->subject = strdup(subject);
    t->status = 2 + (int)(seed % 4);
    t->priority = 1 + (int)((seed / 4) % 4);
    t->requester_id = 5000000 + (seed % 20000);
    t->responder_id = seed % 3 ? 900 + (seed % 30) : 0;
    t->group_id = 800 + (seed % 6);
    t->company_id = 7000 + (seed % 500);
    t->created_at = updated - 86400;
    t->updated_at = updated;
    t->due_by = updated + 3600 * (fd_time)(seed % 72);
    t->fr_due_by = updated + 600;
    model_string_list_add(&t->tags, words[seed % 15]);
    snprintf(json, sizeof json,
             "{\"cc_emails\":[],\"fwd_emails\":[],\"reply_cc_emails\":[],\"ticket_cc_emails\":[],"
             "\"fr_escalated\":false,\"spam\":false,\"email_config_id\":null,\"group_id\":%lld,"
             "\"priority\":%d,\"requester_id\":%lld,\"responder_id\":null,\"source\":1,"
             "\"company_id\":%lld,\"status\":%d,\"subject\":\"%s\",\"association_type\":null,"
             "\"support_email\":null,\"to_emails\":null,\"product_id\":null,\"id\":%lld,"
             "\"type\":\"Question\",\"due_by\":\"2026-05-26T21:25:35Z\","
             "\"fr_due_by\":\"2026-05-26T05:25:35Z\",\"is_escalated\":false,"
             "\"custom_fields\":{},\"created_at\":\"2026-01-22T02:37:13Z\","
             "\"updated_at\":\"2026-05-26T21:26:52Z\",\"tags\":[\"%s\"],"
             "\"description_text\":\"%s\"}",
             (long long)t->group_id, t->priority, (long long)t->requester_id,
             (long long)t->company_id, t->status, subject, (long long)id, words[seed % 15], desc);
    t->json = strdup(json);
    if (with_description)
        t->description_text = strdup(desc);
    t->requester = calloc(1, sizeof *t->requester);
    t->requester->id = t->requester_id;
    char name[64];
    snprintf(name, sizeof name, "Customer %u", seed % 20000);
    t->requester->name = strdup(name);
    snprintf(name, sizeof name, "customer%u@example.com", seed % 20000);
    t->requester->email = strdup(name);
    t->company = calloc(1, sizeof *t->company);
    t->company->id = t->company_id;
    snprintf(name, sizeof name, "Company %u", seed % 500);
    t->company->name = strdup(name);
}

static struct store *open_or_die(const char *path)
{
    char err[512];
    struct store *s = store_open(path, STORE_OPEN_CREATE, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench_store: %s\n", err);
        exit(1);
    }
    return s;
}

static void die_store(struct store *s)
{
    fprintf(stderr, "bench_store: %s\n", store_error(s));
    exit(1);
}

/* Stores count tickets from first_id; pages of PAGE in one transaction each,
 * or autocommit per ticket when paged is false. Returns seconds. */
static double write_tickets(struct store *s, struct fd_ticket *tickets, size_t count, bool paged)
{
    double start = now_seconds();
    for (size_t i = 0; i < count; i++) {
        if (paged && i % PAGE == 0 && store_begin(s) != 0)
            die_store(s);
        if (store_upsert_ticket(s, &tickets[i]) < 0)
            die_store(s);
        if (paged && (i % PAGE == PAGE - 1 || i == count - 1) && store_commit(s) != 0)
            die_store(s);
    }
    return now_seconds() - start;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* Writes into a fresh cache file; returns wall seconds, adds CPU seconds
 * to *cpu. */
static double write_fresh(const char *dir, const char *name, int round, struct fd_ticket *tickets,
                          size_t count, bool paged, double *cpu)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s-%d.db", dir, name, round);
    struct store *s = open_or_die(path);
    double c0 = cpu_seconds();
    double t = write_tickets(s, tickets, count, paged);
    *cpu = cpu_seconds() - c0;
    store_close(s);
    return t;
}

static void bench_writes(const char *dir)
{
    char path[512];
    double paged[ROUNDS], naive[ROUNDS], paged_cpu[ROUNDS], naive_cpu[ROUNDS];
    struct fd_ticket *tickets = calloc(WRITE_TICKETS, sizeof *tickets);

    for (size_t i = 0; i < WRITE_TICKETS; i++)
        make_ticket(&tickets[i], (fd_id)i + 1, (unsigned)(i * 2654435761u), false);
    for (int r = 0; r < ROUNDS; r++) {
        paged[r] = WRITE_TICKETS /
                   write_fresh(dir, "paged", r, tickets, WRITE_TICKETS, true, &paged_cpu[r]);
        naive[r] = BASELINE_TICKETS /
                   write_fresh(dir, "naive", r, tickets, BASELINE_TICKETS, false, &naive_cpu[r]);
        paged_cpu[r] = WRITE_TICKETS / paged_cpu[r];
        naive_cpu[r] = BASELINE_TICKETS / naive_cpu[r];
    }
    /* an unchanged re-sync: the same pages again cost no row writes */
    snprintf(path, sizeof path, "%s/paged-0.db", dir);
    struct store *s = open_or_die(path);
    double again = write_tickets(s, tickets, WRITE_TICKETS, true);
    store_close(s);
    for (size_t i = 0; i < WRITE_TICKETS; i++)
        model_ticket_clear(&tickets[i]);
    free(tickets);

    double rate = median(paged, ROUNDS), naive_rate = median(naive, ROUNDS);
    printf("writes: %d tickets, one transaction per %d-ticket page: median %.0f tickets/s"
           " (min %.0f, max %.0f)\n",
           WRITE_TICKETS, PAGE, rate, paged[0], paged[ROUNDS - 1]);
    printf("writes: naive autocommit per ticket (%d tickets): median %.0f tickets/s\n",
           BASELINE_TICKETS, naive_rate);
    printf("writes: ratio paged/naive = %.1fx\n", rate / naive_rate);
    printf("writes: per CPU second (user+sys, less sensitive to other load): paged %.0f, "
           "naive %.0f tickets/s\n",
           median(paged_cpu, ROUNDS), median(naive_cpu, ROUNDS));
    printf("writes: unchanged re-upsert of %d tickets: %.0f tickets/s\n", WRITE_TICKETS,
           WRITE_TICKETS / again);
}

static void build_big_cache(const char *path)
{
    struct store *s = open_or_die(path);
    struct fd_ticket t;
    if (store_begin(s) != 0)
        die_store(s);
    for (size_t i = 0; i < BIG_CACHE; i++) {
        make_ticket(&t, (fd_id)i + 1, (unsigned)(i * 2654435761u), true);
        if (store_upsert_ticket(s, &t) < 0)
            die_store(s);
        model_ticket_clear(&t);
        if (i % 5000 == 4999 && (store_commit(s) != 0 || store_begin(s) != 0))
            die_store(s);
    }
    if (store_commit(s) != 0)
        die_store(s);
    store_close(s);
}

/* The store's way: open, count, first window. */
static double first_window_store(const char *path)
{
    double start = now_seconds();
    struct store *s = open_or_die(path);
    struct store_query q = {.sort = STORE_SORT_UPDATED};
    struct store_rows rows = {0};
    size_t count;
    if (store_count(s, &q, &count) != 0 ||
        store_window(s, &q, NULL, STORE_AFTER, WINDOW_ROWS, &rows) != 0)
        die_store(s);
    double elapsed = now_seconds() - start;
    if (count != BIG_CACHE || rows.count != WINDOW_ROWS) {
        fprintf(stderr, "bench_store: unexpected count %zu / rows %zu\n", count, rows.count);
        exit(1);
    }
    store_rows_clear(&rows);
    store_close(s);
    return elapsed;
}

struct naive_row {
    int64_t id, updated;
    char *subject, *requester;
};

static int by_updated_desc(const void *pa, const void *pb)
{
    const struct naive_row *a = pa, *b = pb;
    if (a->updated != b->updated)
        return a->updated < b->updated ? 1 : -1;
    return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* The naive way: load every ticket's list columns, sort in memory. */
static double first_window_naive(const char *path)
{
    double start = now_seconds();
    sqlite3 *db;
    sqlite3_stmt *st;
    struct naive_row *rows = malloc(BIG_CACHE * 2 * sizeof *rows);
    size_t n = 0;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT t.id, t.updated_at, t.subject, c.name FROM tickets t"
                           " LEFT JOIN contacts c ON c.id = t.requester_id WHERE t.gone = 0",
                           -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_store: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    while (sqlite3_step(st) == SQLITE_ROW && n < BIG_CACHE * 2) {
        rows[n].id = sqlite3_column_int64(st, 0);
        rows[n].updated = sqlite3_column_int64(st, 1);
        rows[n].subject = strdup((const char *)sqlite3_column_text(st, 2));
        const unsigned char *r = sqlite3_column_text(st, 3);
        rows[n].requester = r ? strdup((const char *)r) : NULL;
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    qsort(rows, n, sizeof *rows, by_updated_desc);
    double elapsed = now_seconds() - start;
    for (size_t i = 0; i < n; i++) {
        free(rows[i].subject);
        free(rows[i].requester);
    }
    free(rows);
    if (n != BIG_CACHE) {
        fprintf(stderr, "bench_store: naive loaded %zu rows\n", n);
        exit(1);
    }
    return elapsed;
}

/* One narrowing step: count and first window for the typed text. */
static double narrow_store(struct store *s, const char *typed, size_t *count)
{
    struct store_query q = {.sort = STORE_SORT_UPDATED, .search = typed};
    struct store_rows rows = {0};
    double start = now_seconds();
    if (store_count(s, &q, count) != 0 ||
        store_window(s, &q, NULL, STORE_AFTER, WINDOW_ROWS, &rows) != 0)
        die_store(s);
    double elapsed = now_seconds() - start;
    store_rows_clear(&rows);
    return elapsed;
}

/* The same with LIKE on the subject: every row is read. */
static double narrow_like(sqlite3 *db, const char *word, size_t *count)
{
    sqlite3_stmt *st;
    char pattern[64];
    double start = now_seconds();
    snprintf(pattern, sizeof pattern, "%%%s%%", word);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM tickets WHERE gone = 0 AND subject LIKE ?1", -1,
                       &st, NULL);
    sqlite3_bind_text(st, 1, pattern, -1, SQLITE_STATIC);
    *count = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db,
                       "SELECT id, subject FROM tickets WHERE gone = 0 AND subject LIKE ?1"
                       " ORDER BY updated_at DESC, id DESC LIMIT 50",
                       -1, &st, NULL);
    sqlite3_bind_text(st, 1, pattern, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        ;
    sqlite3_finalize(st);
    return now_seconds() - start;
}

static void bench_search(const char *path)
{
    /* what the agent types, keystroke by keystroke, for "refund twice" */
    static const char *const typed[] = {"r",          "re",          "ref",      "refu",
                                        "refun",      "refund",      "refund t", "refund tw",
                                        "refund twi", "refund twice"};
    double fts[ROUNDS], like[ROUNDS];
    size_t count, like_count;
    struct store *s = open_or_die(path);
    sqlite3 *db;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        exit(1);
    for (int r = 0; r < ROUNDS; r++) {
        double worst = 0;
        for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
            double t = narrow_store(s, typed[i], &count);
            worst = t > worst ? t : worst;
        }
        fts[r] = worst;
        like[r] = narrow_like(db, "refund", &like_count);
    }
    narrow_store(s, "refund", &count);
    printf("search: slowest keystroke of \"refund twice\" (count + %d rows, FTS5 prefix): median "
           "%.2f ms\n",
           WINDOW_ROWS, median(fts, ROUNDS) * 1e3);
    printf("search: \"refund\" with LIKE on the subject (count + %d rows): median %.2f ms "
           "(%zu tickets; FTS5 found %zu in subject or description)\n",
           WINDOW_ROWS, median(like, ROUNDS) * 1e3, like_count, count);
    sqlite3_close(db);
    store_close(s);
}

static void bench_first_window(const char *dir)
{
    char path[512];
    double store_times[ROUNDS], naive_times[ROUNDS];

    snprintf(path, sizeof path, "%s/big.db", dir);
    double start = now_seconds();
    build_big_cache(path);
    printf("first window: built a cache of %d tickets in %.1f s\n", BIG_CACHE,
           now_seconds() - start);
    first_window_store(path); /* warm the page cache for both */
    first_window_naive(path);
    for (int i = 0; i < ROUNDS; i++) {
        store_times[i] = first_window_store(path);
        naive_times[i] = first_window_naive(path);
    }
    double s = median(store_times, ROUNDS), n = median(naive_times, ROUNDS);
    printf("first window: open + count + %d rows (keyset, warm): median %.2f ms\n", WINDOW_ROWS,
           s * 1e3);
    printf("first window: naive load all + sort (warm): median %.2f ms\n", n * 1e3);
    printf("first window: ratio naive/store = %.0fx\n", n / s);
    bench_search(path);
}

int main(int argc, char **argv)
{
    char dir[256];
    bool writes_only = argc > 1 && strcmp(argv[1], "--writes-only") == 0;

    if (writes_only) {
        argv++;
        argc--;
    }
    if (argc > 1) {
        snprintf(dir, sizeof dir, "%s", argv[1]);
    } else {
        snprintf(dir, sizeof dir, "/tmp/fdesk-bench-store-XXXXXX");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
    }
    printf("bench_store: SQLite %s, cache files in %s\n", sqlite3_libversion(), dir);
    bench_writes(dir);
    if (!writes_only)
        bench_first_window(dir);
    if (argc <= 1) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            return 1;
    }
    return 0;
}
