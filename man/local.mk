# Man pages.
dist_man_MANS += man/fdesk.1 man/fdesk-sim.1 man/fdesk.conf.5
