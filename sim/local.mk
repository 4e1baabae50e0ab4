# fdesk-sim, the Freshdesk API v2 simulator. Everything but main() is in libfdsim.a so the
# tests can run a simulator in-process.
fdesk_sim_SOURCES += sim/main.c
libfdsim_a_SOURCES += sim/sim.h sim/internal.h sim/util.c sim/words.c sim/data.c sim/build.c \
	sim/render.c sim/convs.c sim/reply.c sim/paging.c sim/server.c sim/options.c \
	sim/api_tickets.c sim/api_misc.c sim/ticket_fields.c sim/ticket_writes.c \
	sim/multipart.c sim/search.c sim/admin.c sim/load.c sim/json_out.c
