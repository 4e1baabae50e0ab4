# The TUI benchmark (run with: make bench-tui). Built by make, never run by make check.
# It drives fdesk through a pty with the end-to-end harness (tests/e2e/term.c).
# BENCH_TICKETS=N (default 100000) and BENCH_ONLY=bytes: see bench_tui.c.
noinst_PROGRAMS += bench/tui/bench_tui
bench_tui_bench_tui_SOURCES = bench/tui/bench_tui.c tests/e2e/term.c tests/e2e/term.h
bench_tui_bench_tui_CFLAGS = $(AM_CFLAGS) $(VTERM_CFLAGS)
bench_tui_bench_tui_LDADD = $(VTERM_LIBS)

bench-tui: bench/tui/bench_tui$(EXEEXT) fdesk$(EXEEXT) fdesk-sim$(EXEEXT)
	FDESK=./fdesk FDESK_SIM=./fdesk-sim ./bench/tui/bench_tui $(BENCH_TICKETS)
.PHONY: bench-tui
