/* make_cache.c: builds a small, known cache for the `fdesk list` / `fdesk
 * show` shell tests through the store API (so those tests do not depend on
 * sync). Usage: make_cache PATH [STALE_ID]
 *
 * Tickets (updated_at descending = list order): 101 open/urgent/mine with a
 * full conversation, 102 pending/unassigned never opened (no description, no
 * conversation), 103 with terminal attacks in every server string, 104
 * resolved, 105 deleted (in no list). STALE_ID, when given, adds an old copy
 * of that ticket whose conversation was never fetched (the simulator test
 * makes `show` fetch it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/model.h"
#include "src/store.h"

#define T0 1795000000 /* 2026-11-18 */

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void ticket(struct fd_ticket *t, fd_id id, int status, int priority, fd_id agent,
                   fd_time updated, const char *subject, const char *description)
{
    char json[512];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->status = status;
    t->priority = priority;
    t->responder_id = agent;
    t->updated_at = updated;
    t->created_at = updated - 86400;
    t->due_by = updated + 3600;
    t->subject = dup(subject);
    t->description_text = dup(description);
    snprintf(json, sizeof json,
             "{\"id\":%lld,\"status\":%d,\"priority\":%d,\"responder_id\":%lld,"
             "\"subject\":\"subject of %lld\",\"tags\":[]}",
             (long long)id, status, priority, (long long)agent, (long long)id);
    t->json = dup(json);
}

static void requester(struct fd_ticket *t, fd_id id, const char *name, const char *email)
{
    t->requester_id = id;
    t->requester = calloc(1, sizeof *t->requester);
    t->requester->id = id;
    t->requester->name = dup(name);
    t->requester->email = dup(email);
}

static void company(struct fd_ticket *t, fd_id id, const char *name)
{
    t->company_id = id;
    t->company = calloc(1, sizeof *t->company);
    t->company->id = id;
    t->company->name = dup(name);
}

static void conversation(struct fd_conversation *c, fd_id id, fd_id ticket, fd_id user, fd_time at,
                         const char *body, bool incoming, bool is_private)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->ticket_id = ticket;
    c->user_id = user;
    c->created_at = c->updated_at = at;
    c->body_text = dup(body);
    c->incoming = incoming;
    c->is_private = is_private;
    c->source = is_private ? 2 : 0;
}

static void check(int rc, struct store *s)
{
    if (rc < 0) {
        fprintf(stderr, "make_cache: %s\n", store_error(s));
        exit(1);
    }
}

static void put(struct store *s, struct fd_ticket *t)
{
    check(store_upsert_ticket(s, t), s);
    model_ticket_clear(t);
}

static void add_reference_data(struct store *s)
{
    struct fd_agent me = {.id = 1, .name = "Me Agent", .email = "me@example.com"};
    struct fd_agent other = {.id = 2, .name = "Other \033[1mAgent", .email = "other@example.com"};
    struct fd_group billing = {.id = 10, .name = "Billing"};
    struct fd_status statuses[] = {{2, "Open", "Open"},
                                   {3, "Pending", "Pending"},
                                   {4, "Resolved", "Resolved"},
                                   {5, "Closed", "Closed"},
                                   {9, "Waiting on Customer", "Waiting"}};
    check(store_upsert_agent(s, &me), s);
    check(store_upsert_agent(s, &other), s);
    check(store_set_me(s, 1), s);
    check(store_upsert_group(s, &billing), s);
    check(store_replace_statuses(s, statuses, 5), s);
}

static void add_tickets(struct store *s)
{
    struct fd_ticket t;
    struct fd_conversation c[3];

    ticket(&t, 101, 2, 4, 1, T0 + 500, "Printer on fire", "The printer is on fire.");
    requester(&t, 500, "Rita Requester", "rita@example.com");
    company(&t, 600, "Acme");
    t.group_id = 10;
    model_string_list_add(&t.tags, "vip");
    put(s, &t);
    conversation(&c[0], 1001, 101, 500, T0 + 100, "It is still burning", true, false);
    conversation(&c[1], 1002, 101, 1, T0 + 200, "Please step away from it", false, false);
    conversation(&c[2], 1003, 101, 1, T0 + 300, "Call the fire brigade", false, true);
    check(store_set_conversations(s, 101, c, 3, T0 + 500), s);
    for (int i = 0; i < 3; i++)
        model_conversation_clear(&c[i]);

    ticket(&t, 102, 3, 1, 0, T0 + 400, "Refund request", NULL);
    requester(&t, 501, "Sam Sender", "sam@example.com");
    company(&t, 601, "Globex");
    put(s, &t);

    ticket(&t, 103, 9, 3, 2, T0 + 300,
           "Evil \033[2J\033]0;pwned\007 title\r\nsecond line \xe2\x80\xae gnp.exe \xc2\x9b"
           "31m",
           "Body with \033[31mred\033[0m and \x08\x08 backspaces\r\nand \xff invalid bytes");
    requester(&t, 502, "Mallory \033[5mBlink", "mallory@example.com");
    put(s, &t);
    conversation(&c[0], 1031, 103, 502, T0 + 250, "reply \033]52;c;ZXZpbA==\007 clipboard", true,
                 false);
    check(store_set_conversations(s, 103, c, 1, T0 + 300), s);
    model_conversation_clear(&c[0]);

    ticket(&t, 104, 4, 2, 1, T0 + 200, "Password reset", "Please reset it");
    requester(&t, 500, "Rita Requester", "rita@example.com");
    put(s, &t);
    check(store_set_conversations(s, 104, NULL, 0, T0 + 200), s);

    ticket(&t, 105, 2, 1, 1, T0 + 600, "Deleted ticket", "gone");
    t.deleted = true;
    put(s, &t);
}

int main(int argc, char **argv)
{
    char err[512];

    if (argc < 2) {
        fprintf(stderr, "usage: make_cache PATH [STALE_ID]\n");
        return 2;
    }
    struct store *s = store_open(argv[1], STORE_OPEN_CREATE, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "make_cache: %s\n", err);
        return 1;
    }
    check(store_begin(s), s);
    add_reference_data(s);
    add_tickets(s);
    if (argc > 2) {
        struct fd_ticket t;
        ticket(&t, atoll(argv[2]), 2, 1, 0, 946684800, "old copy", NULL);
        put(s, &t);
    }
    check(store_commit(s), s);
    store_close(s);
    return 0;
}
