# make check-valgrind: the core's unit test programs (api, store, text, outbox
# and test_log) under valgrind, with the environment make check gives them.
# A program fails on a test failure, any memory error, or a definite or
# indirect leak. Not part of make check: 64 s one program at a time on
# this project's 2-core machine (35-50 s with make -j2), and sanitizer builds
# cannot run under valgrind. Each program's valgrind report is left in
# PROGRAM.vglog, its output in PROGRAM.vgout. Needs a plain build directory.
VALGRIND = valgrind
VALGRIND_FLAGS = --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--error-exitcode=99 --num-callers=30
VALGRIND_CORE_TESTS = tests/test_log$(EXEEXT) $(filter tests/api/test_% tests/store/test_% \
	tests/text/test_% tests/outbox/test_%,$(check_PROGRAMS))
VALGRIND_LOGS = $(addsuffix .vglog,$(VALGRIND_CORE_TESTS))
VALGRIND_SANITIZED =
if FD_ASAN
VALGRIND_SANITIZED += --enable-asan
endif
if FD_TSAN
VALGRIND_SANITIZED += --enable-tsan
endif
CLEANFILES += $(VALGRIND_LOGS) $(addsuffix .tmp,$(VALGRIND_LOGS)) $(addsuffix .vgout,$(VALGRIND_CORE_TESTS))

# One program: writes PROGRAM.vglog only when it passed, so make sees a failure.
$(VALGRIND_LOGS): %.vglog: % fdesk$(EXEEXT) fdesk-sim$(EXEEXT)
	@rm -f $@ $@.tmp; \
	$(AM_TESTS_ENVIRONMENT) \
	if $(VALGRIND) $(VALGRIND_FLAGS) --log-file=$@.tmp ./$< > $*.vgout 2>&1; then \
	    mv $@.tmp $@; echo "PASS: $< under valgrind"; \
	else \
	    echo "FAIL: $< under valgrind (status $$?): see $@.tmp and $*.vgout"; \
	    grep -sE 'Invalid|uninitialised|definitely lost|indirectly lost|ERROR SUMMARY' $@.tmp | head -n 20; \
	    grep '^not ok' $*.vgout | head -n 20; exit 1; \
	fi

check-valgrind: $(check_PROGRAMS) fdesk$(EXEEXT) fdesk-sim$(EXEEXT)
	@test -z "$(strip $(VALGRIND_SANITIZED))" || \
	    { echo "check-valgrind: this build used $(strip $(VALGRIND_SANITIZED)): use a plain build directory"; exit 1; }
	@command -v $(VALGRIND) > /dev/null 2>&1 || \
	    { echo "check-valgrind: $(VALGRIND) is not installed (apt-get install valgrind)"; exit 1; }
	@rm -f $(VALGRIND_LOGS)
	@$(MAKE) $(AM_MAKEFLAGS) -k $(VALGRIND_LOGS); rc=$$?; \
	n=0; for f in $(VALGRIND_LOGS); do test -f $$f && n=$$((n + 1)); done; \
	echo "check-valgrind: $$n of $(words $(VALGRIND_LOGS)) programs clean"; exit $$rc

.PHONY: check-valgrind
