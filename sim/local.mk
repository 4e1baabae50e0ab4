# fdesk-sim, the Freshdesk API v2 simulator.
fdesk_sim_SOURCES += sim/main.c
libfdsim_a_SOURCES += sim/empty.c
