/* stubs.c: temporary. */
#include "config.h"
#include "sim/internal.h"
int sim_data_load(struct sim *sim, const char *dir, char *err, size_t errlen)
{
    snprintf(err, errlen, "not yet");
    return -1;
}
