/* load.c: --data DIR, a dataset from JSON files instead of the generator. The account's
 * fixed objects (agents, groups, fields, canned responses) stay generated; DIR holds
 *   companies.json  [{"id":REF,"name":..., other company fields}]
 *   contacts.json   [{"id":REF,"name":...,"email":...,"phone":...,"mobile":...,"company_id":REF}]
 *   tickets.json    [{"id":N,"subject":...,"description":HTML,"status":..,"priority":..,
 *                     "source":..,"type":..,"requester_id":REF,"responder_id":AGENT_ID|null,
 *                     "group_id":GROUP_ID|null,"created_at":..,"updated_at":..,"due_by":..,
 *                     "fr_due_by":..,"tags":[..],"custom_fields":{..},"spam":bool,
 *                     "deleted":bool,"conversations":[{"body":HTML,"incoming":bool,
 *                     "private":bool,"created_at":..}]}]
 * REF values are the file's own ids; the simulator gives the objects its own ids. Only
 * tickets.json is required; tickets must be in ascending id order.
 */
#include "sim/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static cJSON *read_json(const char *dir, const char *name, bool required, char *err, size_t errlen,
                        bool *failed)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (required || errno != ENOENT) {
            snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
            *failed = true;
        }
        return NULL;
    }
    size_t cap = 65536, len = 0, n;
    char *buf = malloc(cap);
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    cJSON *j = cJSON_ParseWithLength(buf, len);
    free(buf);
    if (!cJSON_IsArray(j)) {
        snprintf(err, errlen, "%s is not a JSON array", path);
        cJSON_Delete(j);
        *failed = true;
        return NULL;
    }
    return j;
}

static long ref_index(cJSON *map, cJSON *ref)
{
    char key[32];
    if (!cJSON_IsNumber(ref))
        return -1;
    snprintf(key, sizeof key, "%.0f", ref->valuedouble);
    cJSON *v = cJSON_GetObjectItemCaseSensitive(map, key);
    return v ? (long)v->valuedouble : -1;
}

static void remember(cJSON *map, cJSON *ref, long idx)
{
    char key[32];
    if (!cJSON_IsNumber(ref))
        return;
    snprintf(key, sizeof key, "%.0f", ref->valuedouble);
    cJSON_AddNumberToObject(map, key, (double)idx);
}

static int64_t time_of(cJSON *o, const char *k, int64_t dflt)
{
    int64_t t;
    cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsString(v) && sim_parse_time(v->valuestring, &t) == 0)
        return t;
    return cJSON_IsNull(v) ? 0 : dflt;
}

static void load_convs(struct sim *sim, struct sim_ticket *t, cJSON *convs)
{
    cJSON *c;
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    e->convs = cJSON_CreateArray();
    cJSON_ArrayForEach(c, convs)
    {
        const char *body = cJSON_GetStringValue(cJSON_GetObjectItem(c, "body"));
        bool incoming = cJSON_IsTrue(cJSON_GetObjectItem(c, "incoming"));
        bool private_ = cJSON_IsTrue(cJSON_GetObjectItem(c, "private"));
        int64_t user = incoming ? sim_contact_id(t->requester) : sim->agents[0].id;
        cJSON *conv =
            sim_conv_new(sim, t, body ? body : "", user, incoming, private_, private_ ? 2 : 0,
                         incoming   ? 1
                         : private_ ? 2
                                    : 3);
        int64_t when = time_of(c, "created_at", t->created_at);
        cJSON_ReplaceItemInObject(conv, "created_at", sim_json_time(when));
        cJSON_ReplaceItemInObject(conv, "updated_at", sim_json_time(when));
        cJSON_AddItemToArray(e->convs, conv);
    }
}

static void load_ticket(struct sim *sim, struct sim_ticket *t, cJSON *o, cJSON *cmap)
{
    cJSON *keep = cJSON_CreateObject(), *v;
    t->created_at = time_of(o, "created_at", sim->start_now);
    t->updated_at = time_of(o, "updated_at", t->created_at);
    t->due_by = time_of(o, "due_by", 0);
    t->fr_due_by = time_of(o, "fr_due_by", 0);
    long req = ref_index(cmap, cJSON_GetObjectItem(o, "requester_id"));
    t->requester = (int32_t)(req >= 0 ? req : 0);
    t->company = sim->contacts[t->requester].company;
    t->status = 2;
    t->priority = 1;
    t->source = 1;
    if (cJSON_IsTrue(cJSON_GetObjectItem(o, "spam")))
        t->flags |= SIM_T_SPAM;
    if (cJSON_IsTrue(cJSON_GetObjectItem(o, "deleted")))
        t->flags |= SIM_T_DELETED;
    /* the fields a write could set go through the same code as a write */
    for (const char *k = "status\0priority\0source\0type\0responder_id\0group_id\0subject\0"
                         "description\0tags\0custom_fields\0";
         *k; k += strlen(k) + 1)
        if ((v = cJSON_GetObjectItem(o, k)))
            cJSON_AddItemToObject(keep, k, cJSON_Duplicate(v, true));
    sim_ticket_apply(sim, t, keep);
    cJSON_Delete(keep);
    struct sim_ticket_ext *e = sim_ticket_ext(t);
    if (!e->over)
        e->over = cJSON_CreateObject();
    if (!cJSON_GetObjectItem(e->over, "subject"))
        cJSON_AddStringToObject(e->over, "subject", "");
    if (!cJSON_GetObjectItem(e->over, "description")) {
        cJSON_AddStringToObject(e->over, "description", "");
        cJSON_AddStringToObject(e->over, "description_text", "");
    }
    if (!cJSON_GetObjectItem(e->over, "tags"))
        cJSON_AddItemToObject(e->over, "tags", cJSON_CreateArray());
    load_convs(sim, t, cJSON_GetObjectItem(o, "conversations"));
}

int sim_data_load(struct sim *sim, const char *dir, char *err, size_t errlen)
{
    bool failed = false;
    cJSON *companies = read_json(dir, "companies.json", false, err, errlen, &failed);
    cJSON *contacts = read_json(dir, "contacts.json", false, err, errlen, &failed);
    cJSON *tickets = read_json(dir, "tickets.json", true, err, errlen, &failed);
    cJSON *comap = cJSON_CreateObject(), *cmap = cJSON_CreateObject(), *o;
    int rc = -1;
    if (failed)
        goto out;
    sim_build_account(sim);
    sim->by_updated = calloc(1, sizeof(long));
    cJSON_ArrayForEach(o, companies)
    {
        cJSON *over = cJSON_Duplicate(o, true);
        cJSON_DeleteItemFromObject(over, "id");
        remember(comap, cJSON_GetObjectItem(o, "id"), sim_company_add(sim, over, sim->start_now));
    }
    cJSON_ArrayForEach(o, contacts)
    {
        cJSON *over = cJSON_Duplicate(o, true);
        long co = ref_index(comap, cJSON_GetObjectItem(o, "company_id"));
        cJSON_DeleteItemFromObject(over, "id");
        cJSON_DeleteItemFromObject(over, "company_id");
        if (!cJSON_GetObjectItem(over, "email"))
            cJSON_AddNullToObject(over, "email");
        remember(cmap, cJSON_GetObjectItem(o, "id"),
                 sim_contact_add(sim, over, co, sim->start_now));
    }
    if (sim->ncontact == 0) { /* tickets need a requester */
        cJSON *over = cJSON_CreateObject();
        cJSON_AddStringToObject(over, "name", "Unknown requester");
        cJSON_AddStringToObject(over, "email", "unknown@example.com");
        sim_contact_add(sim, over, -1, sim->start_now);
    }
    cJSON_ArrayForEach(o, tickets)
    {
        cJSON *id = cJSON_GetObjectItem(o, "id");
        int64_t last = sim->nticket ? sim->tickets[sim->nticket - 1].id : 0;
        if (!cJSON_IsNumber(id) || (int64_t)id->valuedouble <= last) {
            snprintf(err, errlen, "%s/tickets.json: ticket ids must be numbers in ascending order",
                     dir);
            goto out;
        }
        struct sim_ticket *t = sim_ticket_add(sim);
        t->id = (int64_t)id->valuedouble;
        load_ticket(sim, t, o, cmap);
    }
    sim_by_updated_rebuild(sim);
    rc = 0;
out:
    cJSON_Delete(companies);
    cJSON_Delete(contacts);
    cJSON_Delete(tickets);
    cJSON_Delete(comap);
    cJSON_Delete(cmap);
    return rc;
}
