# Fuzzing and the hostile-input bench (issue 6). Included by the main Makefile.
# make fuzz: atheris over parse_mail + all checks (offline) and the host framing,
# seeded from the generated hostile corpus; ≥ FUZZ_RUNS inputs, per-input timeout.

FUZZ_RUNS ?= 100000
FUZZ_TIMEOUT ?= 10
FUZZ_DIR := var/fuzz

.PHONY: fuzz hostile-bench

fuzz: venv
	@$(VPY) -c 'import atheris' 2>/dev/null || $(VPY) -m pip install -q 'atheris>=2.3'
	rm -rf $(FUZZ_DIR) && mkdir -p $(FUZZ_DIR)/seeds $(FUZZ_DIR)/work $(FUZZ_DIR)/artifacts
	$(VPY) tests/hostile/generate.py $(FUZZ_DIR)/seeds --small
	cp tests/fixtures/mail/*.eml $(FUZZ_DIR)/seeds/
	$(VPY) tests/hostile/fuzz_target.py --host-seeds $(FUZZ_DIR)/seeds
	TSURIBARI_FUZZ_STATS=$(FUZZ_DIR)/stats.json HOME=$(abspath $(FUZZ_DIR))/home \
	  $(VPY) tests/hostile/fuzz_target.py -runs=$(FUZZ_RUNS) -timeout=$(FUZZ_TIMEOUT) -rss_limit_mb=2048 \
	  -max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/ \
	  $(FUZZ_DIR)/work $(FUZZ_DIR)/seeds 2>&1 | tee $(FUZZ_DIR)/log.txt | grep -E '^(#[0-9]+ +(INITED|DONE|pulse)|==|stat::|Done|ERROR|ALARM|Traceback|.*Error)' || true
	@test -z "$$(ls $(FUZZ_DIR)/artifacts)" || { echo "fuzz: crash/timeout inputs in $(FUZZ_DIR)/artifacts"; exit 1; }
	@grep -q '^Done [0-9]* runs' $(FUZZ_DIR)/log.txt || { echo "fuzz: libFuzzer did not finish, see $(FUZZ_DIR)/log.txt"; exit 1; }
	$(VPY) tests/hostile/fuzz_target.py --report $(FUZZ_DIR)/stats.json $(FUZZ_DIR)/log.txt

hostile-bench: venv
	$(VPY) tests/hostile/bench.py
