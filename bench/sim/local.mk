# The simulator benchmark (run with: make bench-sim). Built by make, never run by make check.
noinst_PROGRAMS += bench/sim/bench_sim
bench_sim_bench_sim_SOURCES = bench/sim/bench_sim.c
bench_sim_bench_sim_CFLAGS = $(TEST_CFLAGS)
bench_sim_bench_sim_LDADD = $(CURL_LIBS)

bench-sim: bench/sim/bench_sim$(EXEEXT) fdesk-sim$(EXEEXT)
	./bench/sim/bench_sim ./fdesk-sim$(EXEEXT)
.PHONY: bench-sim
