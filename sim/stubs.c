/* stubs.c: temporary. */
#include "config.h"
#include "sim/internal.h"
bool sim_api_ticket_writes(struct sim_req *r, char **seg, int nseg)
{
    return false;
}
bool sim_api_search(struct sim_req *r, char **seg, int nseg)
{
    return false;
}
bool sim_admin(struct sim_req *r, char **seg, int nseg)
{
    return false;
}
void sim_attachment_serve(struct sim_req *r, int64_t id)
{
    sim_reply_empty(r, 404);
}
int sim_activity_start(struct sim *sim)
{
    return 0;
}
void sim_activity_stop(struct sim *sim)
{
}
int sim_data_load(struct sim *sim, const char *dir, char *err, size_t errlen)
{
    snprintf(err, errlen, "not yet");
    return -1;
}
