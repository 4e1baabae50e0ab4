/* data.c: the simulated account's dataset. Tickets, contacts and companies are compact
 * structs generated from the seed; their text is regenerated on demand (words.c) unless a
 * write stored an override, so a million tickets stay cheap. Tickets keep creation order
 * (id order = created_at order) and an index sorted by (updated_at, id).
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400

static void *grow(void *p, long *cap, long need, size_t size)
{
    if (need <= *cap)
        return p;
    long cap2 = *cap ? *cap : 64;
    while (cap2 < need)
        cap2 *= 2;
    p = realloc(p, (size_t)cap2 * size);
    if (!p)
        abort();
    memset((char *)p + (size_t)*cap * size, 0, (size_t)(cap2 - *cap) * size);
    *cap = cap2;
    return p;
}

int64_t sim_contact_id(long idx)
{
    return SIM_CONTACT_BASE + idx;
}

int64_t sim_company_id(long idx)
{
    return SIM_COMPANY_BASE + idx;
}

int64_t sim_group_id(int idx)
{
    return SIM_GROUP_BASE + idx;
}

long sim_contact_index(struct sim *sim, int64_t id)
{
    int64_t i = id - SIM_CONTACT_BASE;
    return (i >= 0 && i < sim->ncontact) ? (long)i : -1;
}

long sim_company_index(struct sim *sim, int64_t id)
{
    int64_t i = id - SIM_COMPANY_BASE;
    return (i >= 0 && i < sim->ncompany) ? (long)i : -1;
}

int sim_agent_index(struct sim *sim, int64_t id)
{
    for (int i = 0; i < sim->nagent; i++)
        if (sim->agents[i].id == id)
            return i;
    return -1;
}

int sim_group_index(struct sim *sim, int64_t id)
{
    int64_t i = id - SIM_GROUP_BASE;
    return (i >= 0 && i < sim->ngroup) ? (int)i : -1;
}

bool sim_ticket_visible(const struct sim_ticket *t)
{
    return !(t->flags & (SIM_T_SPAM | SIM_T_DELETED));
}

struct sim_ticket *sim_ticket_find(struct sim *sim, int64_t id)
{
    long lo = 0, hi = sim->nticket - 1;
    if (id >= 1 && id <= sim->nticket && sim->tickets[id - 1].id == id)
        return &sim->tickets[id - 1];
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        if (sim->tickets[mid].id == id)
            return &sim->tickets[mid];
        if (sim->tickets[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

struct sim_ticket_ext *sim_ticket_ext(struct sim_ticket *t)
{
    if (!t->ext) {
        t->ext = calloc(1, sizeof *t->ext);
        if (!t->ext)
            abort();
    }
    return t->ext;
}

static const char *over_str(cJSON *over, const char *key)
{
    cJSON *v = over ? cJSON_GetObjectItemCaseSensitive(over, key) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void sim_contact_info(struct sim *sim, long idx, char *name, size_t nlen, char *email, size_t elen)
{
    struct sim_contact *c = &sim->contacts[idx];
    char gname[128], handle[96], cname[160], domain[128];
    const char *on = over_str(c->over, "name"), *oe = over_str(c->over, "email");
    sim_person_name(sim->opts.seed, idx, gname, sizeof gname, handle, sizeof handle);
    if (name)
        snprintf(name, nlen, "%s", on ? on : gname);
    if (!email)
        return;
    if (c->over && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c->over, "email"))) {
        snprintf(email, elen, "%s", "");
        return;
    }
    if (oe) {
        snprintf(email, elen, "%s", oe);
        return;
    }
    if (c->company >= 0)
        sim_company_name(sim->opts.seed, c->company, cname, sizeof cname, domain, sizeof domain);
    else
        snprintf(domain, sizeof domain, "example.com");
    snprintf(email, elen, "%s.%ld@%s", handle, idx, domain);
}

void sim_company_info(struct sim *sim, long idx, char *name, size_t nlen)
{
    char domain[128];
    const char *on = over_str(sim->companies[idx].over, "name");
    if (on)
        snprintf(name, nlen, "%s", on);
    else
        sim_company_name(sim->opts.seed, idx, name, nlen, domain, sizeof domain);
}

/* ---- email index: open addressing, built on first use. */
static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z')
            c += 32;
        h = (h ^ c) * 1099511628211ULL;
    }
    return h;
}

static void email_put(struct sim *sim, const char *email, long idx);

static void email_rehash(struct sim *sim, long cap)
{
    char **keys = sim->email_keys;
    long *vals = sim->email_vals, old = sim->email_cap;
    sim->email_keys = calloc((size_t)cap, sizeof *keys);
    sim->email_vals = calloc((size_t)cap, sizeof *vals);
    sim->email_cap = cap;
    for (long i = 0; i < old; i++)
        if (keys[i]) {
            email_put(sim, keys[i], vals[i]);
            free(keys[i]);
        }
    free(keys);
    free(vals);
}

static void email_put(struct sim *sim, const char *email, long idx)
{
    if (!*email)
        return;
    uint64_t h = str_hash(email);
    long i = (long)(h % (uint64_t)sim->email_cap);
    while (sim->email_keys[i]) {
        if (!strcasecmp(sim->email_keys[i], email)) {
            sim->email_vals[i] = idx;
            return;
        }
        i = (i + 1) % sim->email_cap;
    }
    sim->email_keys[i] = strdup(email);
    sim->email_vals[i] = idx;
}

static void email_build(struct sim *sim)
{
    char email[256];
    email_rehash(sim, sim->ncontact * 2 + 64);
    for (long i = 0; i < sim->ncontact; i++) {
        sim_contact_info(sim, i, NULL, 0, email, sizeof email);
        email_put(sim, email, i);
    }
    for (int i = 0; i < sim->nagent; i++)
        email_put(sim, sim->agents[i].email, -2 - i);
    sim->email_built = true;
}

long sim_contact_by_email(struct sim *sim, const char *email)
{
    if (!sim->email_built)
        email_build(sim);
    uint64_t h = str_hash(email);
    long i = (long)(h % (uint64_t)sim->email_cap);
    while (sim->email_keys[i]) {
        if (!strcasecmp(sim->email_keys[i], email))
            return sim->email_vals[i];
        i = (i + 1) % sim->email_cap;
    }
    return -1;
}

long sim_contact_add(struct sim *sim, cJSON *over, long company, int64_t now)
{
    char email[256];
    sim->contacts =
        grow(sim->contacts, &sim->cap_contact, sim->ncontact + 1, sizeof *sim->contacts);
    long idx = sim->ncontact++;
    sim->contacts[idx].created_at = now;
    sim->contacts[idx].company = (int32_t)company;
    sim->contacts[idx].over = over;
    if (sim->email_built) {
        if (sim->ncontact * 2 > sim->email_cap)
            email_rehash(sim, sim->email_cap * 2);
        sim_contact_info(sim, idx, NULL, 0, email, sizeof email);
        email_put(sim, email, idx);
    }
    return idx;
}

long sim_company_add(struct sim *sim, cJSON *over, int64_t now)
{
    sim->companies =
        grow(sim->companies, &sim->cap_company, sim->ncompany + 1, sizeof *sim->companies);
    long idx = sim->ncompany++;
    sim->companies[idx].created_at = now;
    sim->companies[idx].over = over;
    return idx;
}

struct sim_ticket *sim_ticket_add(struct sim *sim)
{
    long cap = sim->cap_ticket;
    sim->tickets = grow(sim->tickets, &sim->cap_ticket, sim->nticket + 1, sizeof *sim->tickets);
    if (sim->cap_ticket != cap) {
        sim->by_updated = realloc(sim->by_updated, (size_t)sim->cap_ticket * sizeof(long));
        if (!sim->by_updated)
            abort();
    }
    struct sim_ticket *t = &sim->tickets[sim->nticket];
    memset(t, 0, sizeof *t);
    t->id = sim->nticket ? sim->tickets[sim->nticket - 1].id + 1 : 1;
    t->responder = -1;
    t->group = -1;
    t->company = -1;
    t->type = -1;
    /* it enters the updated index at the oldest end until its time is set */
    memmove(sim->by_updated + 1, sim->by_updated, (size_t)sim->nticket * sizeof(long));
    sim->by_updated[0] = sim->nticket;
    sim->nticket++;
    return t;
}

static int cmp_updated(const struct sim *sim, long a, long b)
{
    const struct sim_ticket *x = &sim->tickets[a], *y = &sim->tickets[b];
    if (x->updated_at != y->updated_at)
        return x->updated_at < y->updated_at ? -1 : 1;
    if (x->touch != y->touch) /* changes in the same second keep their order */
        return x->touch < y->touch ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static const struct sim *sort_sim;
static int qsort_updated(const void *a, const void *b)
{
    return cmp_updated(sort_sim, *(const long *)a, *(const long *)b);
}

void sim_by_updated_rebuild(struct sim *sim)
{
    static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;
    for (long i = 0; i < sim->nticket; i++)
        sim->by_updated[i] = i;
    pthread_mutex_lock(&sort_lock);
    sort_sim = sim;
    qsort(sim->by_updated, (size_t)sim->nticket, sizeof(long), qsort_updated);
    pthread_mutex_unlock(&sort_lock);
}

/* Position of ticket index ti in by_updated (by its current updated_at). */
static long by_updated_find(struct sim *sim, long ti)
{
    long lo = 0, hi = sim->nticket - 1;
    while (lo <= hi) {
        long mid = lo + (hi - lo) / 2;
        int c = cmp_updated(sim, sim->by_updated[mid], ti);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    for (long i = 0; i < sim->nticket; i++) /* index out of order: should not happen */
        if (sim->by_updated[i] == ti)
            return i;
    return -1;
}

void sim_ticket_set_updated(struct sim *sim, struct sim_ticket *t, int64_t when)
{
    long ti = t - sim->tickets, pos = by_updated_find(sim, ti), n = sim->nticket;
    if (pos >= 0) {
        memmove(sim->by_updated + pos, sim->by_updated + pos + 1,
                (size_t)(n - pos - 1) * sizeof(long));
        n--;
    }
    t->updated_at = when;
    t->touch = ++sim->touches;
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (cmp_updated(sim, sim->by_updated[mid], ti) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(sim->by_updated + lo + 1, sim->by_updated + lo, (size_t)(n - lo) * sizeof(long));
    sim->by_updated[lo] = ti;
}

void sim_ticket_touch(struct sim *sim, struct sim_ticket *t)
{
    int64_t now = sim_now(sim);
    sim_ticket_set_updated(sim, t, now > t->updated_at ? now : t->updated_at + 1);
}

long sim_attachment_add(struct sim *sim, const char *name, const char *type, const void *data,
                        size_t size)
{
    sim->attachments =
        grow(sim->attachments, &sim->cap_attach, sim->nattach + 1, sizeof *sim->attachments);
    struct sim_attachment *a = &sim->attachments[sim->nattach];
    a->id = SIM_ATTACH_BASE + sim->nattach;
    a->name = strdup(name);
    a->content_type = strdup(type);
    a->data = malloc(size ? size : 1);
    if (size)
        memcpy(a->data, data, size);
    a->size = size;
    a->created_at = sim_now(sim);
    return sim->nattach++;
}

/* ---- generation. */
static void gen_ticket(struct sim *sim, struct sim_ticket *t, long i, long n, int64_t now)
{
    const int64_t span = 180L * DAY;
    uint64_t h = sim_hash3(sim->opts.seed, 0x71C, (uint64_t)t->id);
    double u = sim_unit(sim_hash(h, 1));
    int64_t step = span / (n ? n : 1);
    t->created_at = now - span + (int64_t)((double)span * (double)i / (double)n) +
                    (step > 1 ? sim_pick(sim_hash(h, 2), step) : 0);
    int64_t age = now - t->created_at;
    if (age > 60L * DAY && u < 0.75)
        t->status = u < 0.35 ? 4 : 5;
    else
        t->status = u < 0.30 ? 2 : u < 0.45 ? 3 : u < 0.60 ? 4 : u < 0.80 ? 5 : u < 0.92 ? 6 : 7;
    static const int8_t prio[] = {1, 1, 1, 2, 2, 2, 3, 3, 4, 4};
    t->priority = prio[sim_pick(sim_hash(h, 3), 10)];
    static const int8_t srcs[] = {1, 1, 1, 1, 2, 2, 3, 7, 9, 10};
    t->source = srcs[sim_pick(sim_hash(h, 4), 10)];
    t->type = (int8_t)(sim_pick(sim_hash(h, 5), 6) - 1);
    double ur = sim_unit(sim_hash(h, 6));
    t->responder = ur < 0.35   ? 0
                   : ur < 0.60 ? -1
                               : (int16_t)(1 + sim_pick(sim_hash(h, 7), sim->nagent - 1));
    t->group = sim_unit(sim_hash(h, 8)) < 0.2 ? -1 : (int8_t)sim_pick(sim_hash(h, 9), sim->ngroup);
    t->requester = (int32_t)sim_pick(sim_hash(h, 10), sim->ncontact);
    t->company = sim->contacts[t->requester].company;
    bool open = t->status != 4 && t->status != 5;
    int64_t upd = open ? (int64_t)((double)age * sim_unit(sim_hash(h, 11)))
                       : sim_pick(sim_hash(h, 12), 7 * DAY);
    t->updated_at = t->created_at + (upd < age ? upd : age);
    t->fr_due_by = t->created_at + DAY;
    t->due_by = t->created_at + DAY * (1 + sim_pick(sim_hash(h, 13), 5));
    double ud = sim_unit(sim_hash(h, 14));
    if (open && ud < 0.12) { /* due later today */
        int64_t end = now - now % DAY + DAY - 60;
        t->due_by = end > now ? now + sim_pick(sim_hash(h, 15), end - now) : now + 30;
        if (t->fr_due_by > t->due_by)
            t->fr_due_by = t->due_by;
    } else if (ud > 0.97) {
        t->due_by = t->fr_due_by = 0;
    }
    if (open && t->fr_due_by && t->fr_due_by < now && ud < 0.5)
        t->flags |= SIM_T_FR_ESCALATED;
    if (open && t->due_by && t->due_by < now)
        t->flags |= SIM_T_ESCALATED;
    double us = sim_unit(sim_hash(h, 16));
    if (us < 0.01)
        t->flags |= SIM_T_SPAM;
    else if (us < 0.02)
        t->flags |= SIM_T_DELETED;
}

static void gen_hostile(struct sim *sim, int64_t now)
{
    /* the newest tickets carry the attacks, with an attacking requester and company */
    long n = sim->nticket < SIM_HOSTILE_COUNT ? sim->nticket : SIM_HOSTILE_COUNT;
    for (long k = 0; k < n; k++) {
        struct sim_ticket *t = &sim->tickets[sim->nticket - 1 - k];
        t->updated_at = now - 37 * (k + 1); /* the newest created become the newest updated */
        if (t->updated_at < t->created_at)
            t->updated_at = t->created_at;
        int a = (int)(k + 1);
        cJSON *co = cJSON_CreateObject();
        char *s = sim_hostile_text(a, 2);
        cJSON_AddStringToObject(co, "name", s);
        free(s);
        long ci = sim_company_add(sim, co, now - 30L * DAY);
        cJSON *po = cJSON_CreateObject();
        s = sim_hostile_text(a, 1);
        cJSON_AddStringToObject(po, "name", s);
        free(s);
        char email[64];
        snprintf(email, sizeof email, "eve%d@hostile.example.com", a);
        cJSON_AddStringToObject(po, "email", email);
        t->requester = (int32_t)sim_contact_add(sim, po, ci, now - 30L * DAY);
        t->company = (int32_t)ci;
        t->hostile = (uint8_t)a;
        t->flags &= (uint8_t) ~(SIM_T_SPAM | SIM_T_DELETED);
        if (t->status == 4 || t->status == 5)
            t->status = 2;
    }
}

int sim_data_generate(struct sim *sim, char *err, size_t errlen)
{
    int64_t now = sim->start_now;
    long n = sim->opts.tickets;
    long ncontact = n / 4 > 40 ? n / 4 : 40;
    long ncompany = ncontact / 15 > 8 ? ncontact / 15 : 8;

    sim_build_account(sim);
    sim->companies = grow(sim->companies, &sim->cap_company, ncompany, sizeof *sim->companies);
    for (long i = 0; i < ncompany; i++)
        sim->companies[i].created_at = now - 400L * DAY + i % (200L * DAY);
    sim->ncompany = ncompany;
    sim->contacts = grow(sim->contacts, &sim->cap_contact, ncontact, sizeof *sim->contacts);
    for (long i = 0; i < ncontact; i++) {
        uint64_t h = sim_hash3(sim->opts.seed, 0xC0117AC7, (uint64_t)i);
        sim->contacts[i].created_at = now - 365L * DAY + sim_pick(h, 180L * DAY);
        sim->contacts[i].company =
            sim_unit(sim_hash(h, 1)) < 0.3 ? -1 : (int32_t)sim_pick(sim_hash(h, 2), ncompany);
    }
    sim->ncontact = ncontact;
    sim->tickets = grow(sim->tickets, &sim->cap_ticket, n > 0 ? n : 1, sizeof *sim->tickets);
    sim->by_updated = calloc((size_t)sim->cap_ticket, sizeof(long));
    if (!sim->by_updated) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (long i = 0; i < n; i++) {
        struct sim_ticket *t = &sim->tickets[i];
        t->id = i + 1;
        gen_ticket(sim, t, i, n, now);
    }
    sim->nticket = n;
    sim_by_updated_rebuild(sim);
    if (sim->opts.hostile) {
        gen_hostile(sim, now);
        sim_by_updated_rebuild(sim);
    }
    return 0;
}

void sim_data_free(struct sim *sim)
{
    for (long i = 0; i < sim->nticket; i++) {
        struct sim_ticket_ext *e = sim->tickets[i].ext;
        if (e) {
            cJSON_Delete(e->over);
            cJSON_Delete(e->convs);
            free(e->watchers);
            free(e);
        }
    }
    free(sim->tickets);
    free(sim->by_updated);
    for (long i = 0; i < sim->ncontact; i++)
        cJSON_Delete(sim->contacts[i].over);
    free(sim->contacts);
    for (long i = 0; i < sim->ncompany; i++)
        cJSON_Delete(sim->companies[i].over);
    free(sim->companies);
    for (long i = 0; i < sim->nattach; i++) {
        free(sim->attachments[i].name);
        free(sim->attachments[i].content_type);
        free(sim->attachments[i].data);
    }
    free(sim->attachments);
    for (long i = 0; i < sim->email_cap; i++)
        free(sim->email_keys[i]);
    free(sim->email_keys);
    free(sim->email_vals);
    free(sim->agents);
    cJSON_Delete(sim->agents_json);
    cJSON_Delete(sim->groups_json);
    cJSON_Delete(sim->fields_json);
    cJSON_Delete(sim->folders_json);
    cJSON_Delete(sim->canned_json);
    cJSON_Delete(sim->posts);
}
