/* build.c: the account's small, fixed objects: agents (the key's owner `me` first), groups,
 * ticket fields (with custom statuses and custom fields) and canned responses. They are
 * built once as JSON in the shapes the real API returns.
 */
#include "sim/internal.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400

static const struct {
    const char *name, *email;
} agent_defs[] = {
    {"Alex Morgan", "alex.morgan@acme-support.example.com"},
    {"Björn Ødegaard", "bjorn@acme-support.example.com"},
    {"林美 Mei Lin", "mei.lin@acme-support.example.com"},
    {"عمر حداد Omar Haddad", "omar@acme-support.example.com"},
    {"נועה לוי Noa Levi", "noa@acme-support.example.com"},
    {"Priya Nair", "priya@acme-support.example.com"},
    {"Carlos Peña", "carlos@acme-support.example.com"},
    {"田中 由紀", "yuki@acme-support.example.com"},
    {"Grace Hopper", "grace@acme-support.example.com"},
    {"Customer Service", "custserv@acme-support.example.com"},
};
#define NAGENT ((int)(sizeof agent_defs / sizeof *agent_defs))

static const char *const group_names[] = {
    "Billing", "Customer Support", "Escalations", "Shipping and delivery", "QA", "Account managers",
};
#define NGROUP ((int)(sizeof group_names / sizeof *group_names))

static void add_time(cJSON *o, const char *key, int64_t t)
{
    cJSON_AddItemToObject(o, key, sim_json_time(t));
}

static cJSON *agent_json(struct sim *sim, int i, int64_t now)
{
    cJSON *a = cJSON_CreateObject(), *c;
    int64_t created = now - 700L * DAY + i * DAY;
    cJSON_AddBoolToObject(a, "available", i % 3 != 2);
    cJSON_AddBoolToObject(a, "occasional", i == NAGENT - 1);
    cJSON_AddNumberToObject(a, "id", (double)sim->agents[i].id);
    cJSON_AddNumberToObject(a, "ticket_scope", i == 0 ? 1 : 1 + i % 3);
    add_time(a, "created_at", created);
    add_time(a, "updated_at", created + 10 * DAY);
    add_time(a, "last_active_at", i == NAGENT - 1 ? 0 : now - 3600L * (i + 1));
    add_time(a, "available_since", i % 3 == 2 ? 0 : now - 7200L);
    cJSON_AddStringToObject(a, "type", "support_agent");
    c = cJSON_AddObjectToObject(a, "contact");
    cJSON_AddBoolToObject(c, "active", i != NAGENT - 1);
    cJSON_AddStringToObject(c, "email", sim->agents[i].email);
    if (i % 2)
        cJSON_AddStringToObject(c, "job_title", "Support Engineer");
    else
        cJSON_AddNullToObject(c, "job_title");
    cJSON_AddStringToObject(c, "language", i == 7 ? "ja" : "en");
    add_time(c, "last_login_at", i == NAGENT - 1 ? 0 : now - 86000L);
    if (i % 4 == 1)
        cJSON_AddStringToObject(c, "mobile", "+44 7700 900123");
    else
        cJSON_AddNullToObject(c, "mobile");
    cJSON_AddStringToObject(c, "name", sim->agents[i].name);
    if (i % 3 == 0)
        cJSON_AddStringToObject(c, "phone", "+1 415 555 0100");
    else
        cJSON_AddNullToObject(c, "phone");
    cJSON_AddStringToObject(c, "time_zone", i == 7 ? "Tokyo" : "UTC");
    add_time(c, "created_at", created);
    add_time(c, "updated_at", created + DAY);
    if (i % 2 == 0) {
        char sig[256];
        snprintf(sig, sizeof sig, "<div dir=\"ltr\"><p>%s<br>Acme Support</p>\n</div>",
                 sim->agents[i].name);
        cJSON_AddStringToObject(a, "signature", sig);
    } else {
        cJSON_AddNullToObject(a, "signature");
    }
    return a;
}

static cJSON *group_json(struct sim *sim, int i, int64_t now)
{
    cJSON *g = cJSON_CreateObject();
    cJSON_AddNumberToObject(g, "id", (double)sim_group_id(i));
    cJSON_AddStringToObject(g, "name", group_names[i]);
    cJSON_AddStringToObject(g, "description", group_names[i]);
    cJSON_AddNullToObject(g, "escalate_to");
    cJSON_AddNullToObject(g, "unassigned_for");
    cJSON_AddNullToObject(g, "business_hour_id");
    cJSON_AddStringToObject(g, "group_type", "support_agent_group");
    add_time(g, "created_at", now - 600L * DAY);
    add_time(g, "updated_at", now - 300L * DAY + i * DAY);
    cJSON_AddNumberToObject(g, "auto_ticket_assign", i == 1);
    return g;
}

static cJSON *field(int pos, const char *name, const char *label, const char *type, bool def,
                    int64_t now)
{
    cJSON *f = cJSON_CreateObject();
    char desc[128];
    snprintf(desc, sizeof desc, "Ticket %s", label);
    cJSON_AddNumberToObject(f, "id", (double)(SIM_FIELD_BASE + pos));
    cJSON_AddStringToObject(f, "name", name);
    cJSON_AddStringToObject(f, "label", label);
    cJSON_AddStringToObject(f, "description", desc);
    cJSON_AddNumberToObject(f, "position", pos);
    cJSON_AddBoolToObject(f, "required_for_closure", false);
    cJSON_AddBoolToObject(f, "required_for_agents", pos <= 2 || !strcmp(name, "status"));
    cJSON_AddStringToObject(f, "type", type);
    cJSON_AddBoolToObject(f, "default", def);
    cJSON_AddBoolToObject(f, "customers_can_edit", pos <= 2);
    cJSON_AddBoolToObject(f, "customers_can_filter", false);
    cJSON_AddStringToObject(f, "label_for_customers", label);
    cJSON_AddBoolToObject(f, "required_for_customers", pos <= 2);
    cJSON_AddBoolToObject(f, "displayed_to_customers", pos <= 5);
    add_time(f, "created_at", now - 700L * DAY);
    add_time(f, "updated_at", now - 100L * DAY);
    return f;
}

static cJSON *label_choices(const char *const *labels, const int64_t *ids, int n)
{
    cJSON *c = cJSON_CreateObject();
    for (int i = 0; i < n; i++)
        cJSON_AddNumberToObject(c, labels[i], (double)ids[i]);
    return c;
}

static void build_fields(struct sim *sim, int64_t now)
{
    cJSON *arr = cJSON_CreateArray(), *f, *c;
    static const char *const types[] = {"Question", "Incident", "Problem", "Feature Request",
                                        "Refund"};
    static const char *const sources[] = {
        "Email",    "Portal",          "Phone",          "Forum",     "Twitter", "Facebook", "Chat",
        "MobiHelp", "Feedback Widget", "Outbound Email", "Ecommerce", "Bot",     "Whatsapp"};
    static const int64_t src_ids[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    static const char *const prios[] = {"Low", "Medium", "High", "Urgent"};
    static const int64_t prio_ids[] = {1, 2, 3, 4};
    static const char *const statuses[][3] = {
        {"2", "Open", "Being Processed"},
        {"3", "Pending", "Awaiting your Reply"},
        {"4", "Resolved", "This ticket has been Resolved"},
        {"5", "Closed", "This ticket has been Closed"},
        {"6", "Waiting on Customer", "Awaiting your Reply"},
        {"7", "Waiting on Third Party", "Being Processed"},
    };

    f = field(1, "requester", "Search a requester", "default_requester", true, now);
    cJSON_AddBoolToObject(f, "portal_cc", false);
    cJSON_AddStringToObject(f, "portal_cc_to", "company");
    cJSON_AddItemToArray(arr, f);
    cJSON_AddItemToArray(arr, field(2, "subject", "Subject", "default_subject", true, now));
    f = field(3, "ticket_type", "Type", "default_ticket_type", true, now);
    cJSON_AddItemToObject(f, "choices", cJSON_CreateStringArray(types, 5));
    cJSON_AddItemToArray(arr, f);
    f = field(4, "source", "Source", "default_source", true, now);
    cJSON_AddItemToObject(f, "choices", label_choices(sources, src_ids, 13));
    cJSON_AddItemToArray(arr, f);
    f = field(5, "status", "Status", "default_status", true, now);
    c = cJSON_AddObjectToObject(f, "choices");
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
        cJSON_AddItemToObject(c, statuses[i][0], cJSON_CreateStringArray(&statuses[i][1], 2));
    cJSON_AddItemToArray(arr, f);
    f = field(6, "priority", "Priority", "default_priority", true, now);
    cJSON_AddItemToObject(f, "choices", label_choices(prios, prio_ids, 4));
    cJSON_AddItemToArray(arr, f);
    f = field(7, "group", "Group", "default_group", true, now);
    c = cJSON_AddObjectToObject(f, "choices");
    for (int i = 0; i < sim->ngroup; i++)
        cJSON_AddNumberToObject(c, group_names[i], (double)sim_group_id(i));
    cJSON_AddItemToArray(arr, f);
    f = field(8, "agent", "Agent", "default_agent", true, now);
    c = cJSON_AddObjectToObject(f, "choices");
    for (int i = 0; i < sim->nagent; i++)
        cJSON_AddNumberToObject(c, sim->agents[i].name, (double)sim->agents[i].id);
    cJSON_AddItemToArray(arr, f);
    cJSON_AddItemToArray(arr,
                         field(10, "description", "Description", "default_description", true, now));
    cJSON_AddItemToArray(arr,
                         field(11, "cf_order_number", "Order number", "custom_text", false, now));
    f = field(12, "cf_plan", "Plan", "custom_dropdown", false, now);
    static const char *const plans[] = {"Free", "Growth", "Pro", "Enterprise"};
    cJSON_AddItemToObject(f, "choices", cJSON_CreateStringArray(plans, 4));
    cJSON_AddItemToArray(arr, f);
    cJSON_AddItemToArray(arr, field(13, "cf_vip", "VIP", "custom_checkbox", false, now));
    cJSON_AddItemToArray(arr, field(14, "cf_seats", "Seats", "custom_number", false, now));
    cJSON_AddItemToArray(arr,
                         field(15, "cf_renewal_date", "Renewal date", "custom_date", false, now));
    sim->fields_json = arr;
}

static void build_canned(struct sim *sim, int64_t now)
{
    static const struct {
        const char *title, *html;
        int folder, visibility;
    } defs[] = {
        {"Thanks for your patience",
         "<div>Hi {{ticket.requester.name}},<br><br>Thanks for your patience. We are looking into "
         "it.</div>",
         0, 1},
        {"Refund issued",
         "<div>Hi {{ticket.requester.name}},<br><br>We have issued a refund of your payment. It "
         "can take 3–5 business days.</div>",
         1, 0},
        {"Invoice copy", "<div>Please find your invoice attached. Merci !</div>", 1, 0},
        {"Password reset",
         "<div>Use the <b>Forgot password</b> link on the sign-in page &amp; check your spam "
         "folder.</div>",
         2, 0},
        {"Closing the ticket", "<div>We're closing this ticket; reply to reopen it. 🙂</div>", 2,
         2},
    };
    static const char *const folders[] = {"Personal", "Billing", "General"};
    cJSON *fa = cJSON_CreateArray(), *ra = cJSON_CreateArray();
    int counts[3] = {0, 0, 0};
    for (size_t i = 0; i < sizeof defs / sizeof *defs; i++) {
        cJSON *r = cJSON_CreateObject();
        char *text = sim_html_to_text(defs[i].html);
        cJSON_AddNumberToObject(r, "id", (double)(SIM_CANNED_BASE + (int64_t)i));
        cJSON_AddStringToObject(r, "title", defs[i].title);
        cJSON_AddNumberToObject(r, "folder_id", (double)(SIM_FOLDER_BASE + defs[i].folder));
        cJSON_AddStringToObject(r, "content", text);
        cJSON_AddStringToObject(r, "content_html", defs[i].html);
        cJSON_AddItemToObject(r, "attachments", cJSON_CreateArray());
        add_time(r, "created_at", now - 200L * DAY + (int64_t)i * DAY);
        add_time(r, "updated_at", now - 100L * DAY + (int64_t)i * DAY);
        cJSON *g = cJSON_AddArrayToObject(r, "group_ids");
        if (defs[i].visibility == 2)
            cJSON_AddItemToArray(g, cJSON_CreateNumber((double)sim_group_id(0)));
        cJSON_AddNumberToObject(r, "visibility", defs[i].visibility);
        cJSON_AddItemToArray(ra, r);
        counts[defs[i].folder]++;
        free(text);
    }
    for (int i = 0; i < 3; i++) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddNumberToObject(f, "id", (double)(SIM_FOLDER_BASE + i));
        cJSON_AddStringToObject(f, "name", folders[i]);
        add_time(f, "created_at", now - 300L * DAY);
        add_time(f, "updated_at", now - 300L * DAY);
        cJSON_AddBoolToObject(f, "personal", i == 0);
        cJSON_AddNumberToObject(f, "responses_count", counts[i]);
        cJSON_AddItemToArray(fa, f);
    }
    sim->folders_json = fa;
    sim->canned_json = ra;
}

void sim_build_account(struct sim *sim)
{
    int64_t now = sim->start_now;
    sim->nagent = NAGENT;
    sim->agents = calloc(NAGENT, sizeof *sim->agents);
    if (!sim->agents)
        abort();
    sim->ngroup = NGROUP;
    sim->agents_json = cJSON_CreateArray();
    for (int i = 0; i < NAGENT; i++) {
        sim->agents[i].id = SIM_AGENT_BASE + i;
        snprintf(sim->agents[i].name, sizeof sim->agents[i].name, "%s", agent_defs[i].name);
        snprintf(sim->agents[i].email, sizeof sim->agents[i].email, "%s", agent_defs[i].email);
        sim->agents[i].group_mask = i == 0 ? 3 : 1 << (i % NGROUP);
        cJSON_AddItemToArray(sim->agents_json, agent_json(sim, i, now));
    }
    sim->groups_json = cJSON_CreateArray();
    for (int i = 0; i < NGROUP; i++)
        cJSON_AddItemToArray(sim->groups_json, group_json(sim, i, now));
    build_fields(sim, now);
    build_canned(sim, now);
    sim->posts = cJSON_CreateArray();
    sim->next_conv_id = SIM_NEWCONV_BASE;
}
