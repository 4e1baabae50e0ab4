# The store benchmark (run with: make bench-store). Built by make, never run by make check.
noinst_PROGRAMS += bench/store/bench_store
bench_store_bench_store_SOURCES = bench/store/bench_store.c
bench_store_bench_store_CFLAGS = $(TEST_CFLAGS)
bench_store_bench_store_LDADD = $(FDCORE_LIBS)

bench-store: bench/store/bench_store$(EXEEXT)
	./bench/store/bench_store
.PHONY: bench-store
