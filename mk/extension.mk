# Thunderbird add-on: native host registration, xpi, JS unit tests, e2e in real Thunderbird.
# Included by the main Makefile (VENV, VPY, PY come from there).

EXT_VERSION := $(shell sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' extension/manifest.json | head -1)
XPI := dist/tsuribari-$(EXT_VERSION).xpi
EXT_FILES := manifest.json _locales background banner icons modules options popup
# geoip databases come from mk/geoip.mk when it is there.
GEOIP_DEP := $(if $(wildcard mk/geoip.mk),geoip)
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300
MARIONETTE_DRIVER := marionette_driver==3.7.1

.PHONY: jstest jsdeps e2e e2e-deps install uninstall xpi

install: venv $(GEOIP_DEP) xpi
	$(VPY) manifest/install_host.py install
	@echo "Now install $(XPI) in Thunderbird (Add-ons Manager > gear > Install Add-on From File); 'make xpi' builds it."

uninstall:
	$(PY) manifest/install_host.py uninstall

xpi: $(XPI)

$(XPI): extension/manifest.json $(shell find extension -type f -not -name package.json)
	@mkdir -p dist
	rm -f $@
	cd extension && $(PY) -m zipfile -c ../$@ $(EXT_FILES)
	@echo "built $@"

tests/js/node_modules/.stamp: tests/js/package.json tests/js/package-lock.json
	@command -v npm >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq nodejs npm; }
	cd tests/js && npm ci --no-audit --no-fund --silent
	touch $@

jsdeps: tests/js/node_modules/.stamp

jstest: jsdeps venv
	node --test tests/js/

e2e-deps: venv
	@need=""; command -v thunderbird >/dev/null || need="$$need thunderbird"; \
	 command -v dovecot >/dev/null || need="$$need dovecot-imapd"; \
	 fc-list :lang=ja 2>/dev/null | grep -q . || need="$$need fonts-ipafont-gothic"; \
	 if [ -n "$$need" ]; then echo "installing$$need"; $(APT_GET) update -qq && $(APT_GET) install -y -qq $$need; fi
	@$(VPY) -c 'import marionette_driver' 2>/dev/null || $(VPY) -m pip install -q '$(MARIONETTE_DRIVER)'

e2e: e2e-deps xpi $(GEOIP_DEP)
	$(VPY) -m pytest tests/e2e -v -p no:cacheprovider
