# Benchmarks (run with: make bench, or make bench-AREA). Never part of make check.
# Program sources are distributed through their noinst_PROGRAMS entries; scripts here.
EXTRA_DIST += bench/sync/naive.sh bench/sync/run.sh
include bench/store/local.mk
include bench/sim/local.mk
include bench/sync/local.mk
include bench/tui/local.mk
bench: bench-sim bench-store bench-sync bench-tui
.PHONY: bench
