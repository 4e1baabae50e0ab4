# The sync benchmark (run with: make bench-sync). Never run by make check.
# fdesk sync vs the naive tutorial curl loop against fdesk-sim --latency 50;
# BENCH_SYNC_TICKETS and BENCH_SYNC_REPEAT change the account size and runs.
BENCH_SYNC_TICKETS = 20000
BENCH_SYNC_REPEAT = 3
bench-sync: fdesk$(EXEEXT) fdesk-sim$(EXEEXT)
	sh $(top_srcdir)/bench/sync/run.sh . $(BENCH_SYNC_TICKETS) $(BENCH_SYNC_REPEAT)
.PHONY: bench-sync
