# Tsuribari — every target installs what it needs first.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
VPY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SAMPLE ?= ../shared/samples/kagoya-active-mail.eml
BUNDLED_SAMPLE := tests/fixtures/mail/kagoya-active-mail.eml

.PHONY: all venv run test unit jstest e2e eval bench fuzz install uninstall xpi clean

all: test

$(STAMP): native_host/pyproject.toml
	@command -v $(PY) >/dev/null || { echo "installing python3.11"; apt-get update -qq && apt-get install -y -qq python3.11 python3.11-venv; }
	@$(PY) -c 'import ensurepip' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3.11-venv; }
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q -e 'native_host[test]'
	touch $(STAMP)

venv: $(STAMP)

run: venv geoip
	$(VENV)/bin/tsuribari analyze $(BUNDLED_SAMPLE) --offline

unit: venv geoip
	$(VPY) -m pytest -q tests --ignore=tests/e2e

test: unit jstest e2e

clean:
	rm -rf $(VENV) dist

-include mk/*.mk
