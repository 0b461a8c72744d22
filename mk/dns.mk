# Sender authentication and the loopback DNS test server (issue 3).
# Included by the main Makefile (VENV, VPY come from there).

DNS_APT := DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300

.PHONY: dns-deps test-auth dns-serve spf-suite

# unbound is the real DNS server the tests start on 127.0.0.1:<free port>;
# PyYAML reads the RFC 7208 suite. Both installed here, never skipped.
dns-deps: venv
	@command -v openssl >/dev/null || { $(DNS_APT) update -qq && $(DNS_APT) install -y -qq openssl; }
	@command -v unbound >/dev/null || test -x /usr/sbin/unbound || { $(DNS_APT) update -qq && $(DNS_APT) install -y -qq --no-install-recommends unbound; }
	@$(VPY) -c 'import yaml' 2>/dev/null || $(VPY) -m pip install -q pyyaml

# `make unit` (and so `make test`) needs the server package first.
unit: dns-deps

# SPF/DKIM/DMARC/infra against the live test server, plus the RFC 7208 suite.
test-auth: dns-deps
	$(VPY) -m pytest -q tests/test_auth_live.py tests/test_auth_findings.py tests/test_spf_hostile.py tests/test_spf_rfc7208.py tests/test_spf_suite_live.py

# Only the OpenSPF RFC 7208 suite (reads ../shared/testsuites/rfc7208-tests.yml).
spf-suite: dns-deps
	$(VPY) -m pytest -q tests/test_spf_rfc7208.py tests/test_spf_suite_live.py

# Serve the test zones for manual digging: dig -p PORT @127.0.0.1 aica-interior.co.jp TXT
dns-serve: dns-deps
	cd tests && ../$(VPY) -m servers.dns_server
