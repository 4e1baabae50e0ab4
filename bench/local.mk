# Benchmarks (run with: make bench). Never part of make check.
EXTRA_DIST += bench
include bench/store/local.mk
include bench/sim/local.mk
include bench/sync/local.mk
include bench/tui/local.mk
