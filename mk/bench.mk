# Performance (issue 7): `make bench` prints the table and writes bench/latest.json;
# `make bench-profile` writes profiles of the offline path and the host cold start.
# Included by the main Makefile (VENV, VPY come from there). docs/bench.md explains the rows.

BENCH_GEOIP := $(if $(wildcard mk/geoip.mk),geoip)
BENCH_DNS := $(if $(wildcard mk/dns.mk),dns-deps)
BENCH_PROFILERS := pyinstrument==5.1.3 py-spy

.PHONY: bench bench-quick bench-deps bench-profile

bench-deps: venv $(BENCH_GEOIP) $(BENCH_DNS)
	@$(VPY) -c 'import pyinstrument' 2>/dev/null && test -x $(VENV)/bin/py-spy || $(VPY) -m pip install -q $(BENCH_PROFILERS)

bench: bench-deps
	$(VPY) bench/run.py $(if $(BENCH_CORPUS),--corpus $(BENCH_CORPUS))

bench-quick: bench-deps
	$(VPY) bench/run.py --quick --out bench/quick.tmp.json

bench-profile: bench-deps
	$(VPY) bench/profile.py
