# Detection quality on the labelled development corpora (issue 5).
# Included by the main Makefile (VENV, VPY come from there). Every target skips
# cleanly when ../shared/corpora is absent.

CORPORA ?= ../shared/corpora
EVAL_DIRS := $(CORPORA)/dev $(CORPORA)/ham2-dev
EVAL_GEOIP := $(if $(wildcard mk/geoip.mk),geoip)

.PHONY: eval calibrate urlcheck

# Offline analysis of every labelled mail: per set and stratum, errors listed, eval/latest.json.
eval: venv $(EVAL_GEOIP)
	$(VENV)/bin/tsuribari eval $(EVAL_DIRS) --out eval/latest.json

# Refit data/weights.json (regularised logistic regression, cross-validated); byte-for-byte reproducible.
calibrate: venv $(EVAL_GEOIP)
	$(VENV)/bin/tsuribari calibrate $(EVAL_DIRS) --out native_host/tsuribari/data/weights.json

# The link checks on each JPCERT-reported phishing URL alone (URL_SAMPLE=N for a quicker run).
urlcheck: venv
	$(VPY) -m tsuribari.urlcheck $(CORPORA)/urls/jpcert_phishurl_all.csv --out eval/urlcheck.json --ham $(EVAL_DIRS) $(if $(URL_SAMPLE),--sample $(URL_SAMPLE))
