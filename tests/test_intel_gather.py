"""The orchestrator end to end on loopback: the seed sample against a real DNS
server (unbound: seed zones + DNSBL zones) and the HTTP emulator process.

Acceptance of issue 3 (network part): SPF does not authorise 74.226.196.215,
the origin is Microsoft Azure (AS8075, JP) while the domain's host is
153.123.7.53, sgogoj.com is privacy-proxied, N days old, hosted at
8.217.61.41 (Alibaba, HK) with an abuse contact, listed by Safe Browsing;
all within budget; a second run sends nothing; offline opens no socket.
"""
from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from conftest import SEED
from servers.http_emulators import SGOGOJ_AGE_DAYS
from servers.fixtures import dns_env, dns_slow  # noqa: F401  (fixtures)
from servers.http_fixtures import http_emu, http_emu_slow  # noqa: F401  (fixtures)
from servers.intel_dns import intel_dns  # noqa: F401  (fixture)
from tsuribari.config import Config
from tsuribari.intel.findings import intel_findings
from tsuribari.intel.gather import run_intel
from tsuribari.intel.result import Intel
from tsuribari.model import to_json
from tsuribari.parse.message import parse_mail

RAW = SEED.read_bytes()


def _config(tmp_path: Path, http_emu, dns, fault: str = "", **network) -> Config:
    cfg = Config()
    cfg.network.nameservers = [dns.address]
    for k, v in network.items():
        setattr(cfg.network, k, v)
    cfg.cache.path = str(tmp_path / "cache.sqlite")
    for k, v in http_emu.endpoints(fault).items():
        setattr(cfg.endpoints, k, v)
    r = cfg.reputation
    r.safebrowsing = r.urlhaus = r.phishtank = r.openphish = r.dnsbl = True
    for k, v in http_emu.keys().items():
        setattr(r, k, v)
    return cfg


def _by_id(findings) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.id, []).append(f)
    return out


def test_seed_gets_the_analysts_findings_within_budget(http_emu, intel_dns, tmp_path: Path) -> None:
    cfg = _config(tmp_path, http_emu, intel_dns)
    facts = parse_mail(RAW)
    t = time.monotonic()
    intel = run_intel(facts, RAW, cfg)
    took = time.monotonic() - t
    assert took < cfg.network.budget_s, took
    assert intel.timed_out == [] and intel.problems == []
    found = _by_id(intel_findings(facts, intel))

    spf = found["auth.spf_fail"][0]
    assert "74.226.196.215" in spf.title["en"] and "aica-interior.co.jp" in spf.title["en"]
    origin = found["route.origin_not_domain_infra"][0]
    assert "153.123.7.53" in origin.explanation["en"]
    assert "AS8075" in origin.explanation["en"] and "JP" in origin.explanation["en"]
    assert "Microsoft" in origin.explanation["en"]
    assert found["auth.dmarc_fail"]

    new = found["intel.domain_new"][0]
    assert new.evidence["domain"] == "sgogoj.com" and new.evidence["age_days"] == SGOGOJ_AGE_DAYS
    assert f"{SGOGOJ_AGE_DAYS} days" in new.title["en"] and f"{SGOGOJ_AGE_DAYS} 日" in new.title["ja"]
    proxy = found["intel.domain_privacy_proxy"][0]
    assert "Domains By Proxy" in proxy.title["en"]
    host = found["intel.link_hosting"][0]
    assert "8.217.61.41" in host.title["en"] and "HK" in host.title["en"] and "Alibaba" in host.title["en"]
    assert "AS45102" in host.explanation["en"] and "abuse@service.aliyun.com" in host.explanation["en"]
    assert "abuse@service.aliyun.com" in host.explanation["ja"]
    owner = found["intel.origin_owner"][0]
    assert "abuse@microsoft.com" in owner.explanation["en"] and "Microsoft" in owner.title["en"]
    sb = found["intel.listed_safebrowsing"][0]
    assert "sgogoj[.]com" in sb.title["en"] and "SOCIAL_ENGINEERING" in sb.title["en"]
    assert "login=" not in str(sb.evidence)                  # the recipient never left the machine
    assert {f.evidence["service"] for f in found["intel.listed_feed"]} == {"phishtank", "openphish"}
    assert {f.evidence["zone"] for f in found["intel.listed_dnsbl"]} == {"dbl.spamhaus.org", "multi.surbl.org"}
    assert "intel.listed_urlhaus" not in found

    # the facts behind them, in the JSON the add-on reads
    data = to_json(intel)
    assert data["ip_info"]["74.226.196.215"]["asn"] == 8075
    assert data["ip_info"]["74.226.196.215"]["country"] == "JP"
    assert data["ip_info"]["74.226.196.215"]["rdns"] == "ioooo.japaneast.cloudapp.azure.com"
    assert data["ip_info"]["8.217.61.41"]["rdap"]["abuse_emails"] == ["abuse@service.aliyun.com"]
    assert data["domains"]["sgogoj.com"]["rdap"]["registrar"] == "GoDaddy.com, LLC"
    assert all(lk.status != "timeout" for lk in intel.lookups)
    for f in found.values():
        for item in f:
            assert item.title["ja"] and item.title["en"] and "?" != item.title["en"]


def test_second_run_makes_no_network_request(http_emu, intel_dns, tmp_path: Path) -> None:
    cfg = _config(tmp_path, http_emu, intel_dns)
    facts = parse_mail(RAW)
    http_emu.reset()
    t = time.monotonic()
    first = run_intel(facts, RAW, cfg)
    cold = time.monotonic() - t
    sent = http_emu.total()
    assert sent >= 6            # RDAP domain + registrar + 2 IPs + SB + URLhaus + 2 feeds
    assert any(lk.kind == "dns" and lk.status == "ok" for lk in first.lookups)
    t = time.monotonic()
    second = run_intel(facts, RAW, cfg)
    warm = time.monotonic() - t
    assert http_emu.total() == sent                                   # not one HTTP request
    networked = [lk for lk in second.lookups
                 if lk.status not in ("cached",) and not lk.target.endswith("matched locally")]
    assert networked == [], networked                                 # every DNS answer from the cache
    assert _by_id(intel_findings(facts, second)).keys() == _by_id(intel_findings(facts, first)).keys()
    assert warm < cold
    print(f"\ngather cold {cold * 1000:.0f} ms, warm {warm * 1000:.0f} ms")


@pytest.mark.parametrize("fault", ["429", "500", "malformed", "huge", "deep", "drip", "hang", "wrongtypes"])
def test_faults_still_give_the_dns_verdict_within_budget(http_emu, intel_dns, tmp_path: Path, fault: str) -> None:
    cfg = _config(tmp_path, http_emu, intel_dns, fault=fault, budget_s=1.5, http_timeout_s=1.0)
    facts = parse_mail(RAW)
    t = time.monotonic()
    intel = run_intel(facts, RAW, cfg)
    took = time.monotonic() - t
    assert took < cfg.network.budget_s + 0.4, took
    found = _by_id(intel_findings(facts, intel))
    assert "auth.spf_fail" in found and "route.origin_not_domain_infra" in found
    assert "intel.listed_safebrowsing" not in found and "intel.domain_new" not in found
    failed = {lk.kind for lk in intel.lookups if lk.status in ("error", "timeout", "http-error")}
    if fault != "wrongtypes":
        assert {"rdap", "rdap-ip", "safebrowsing", "urlhaus"} <= failed, intel.lookups
    for lk in intel.lookups:
        assert lk.target and lk.status


def test_budget_cuts_what_is_still_running_and_names_it(http_emu, intel_dns, tmp_path: Path) -> None:
    # Every HTTP service hangs and may take 5 s per request; the budget is 1 s.
    cfg = _config(tmp_path, http_emu, intel_dns, fault="hang", budget_s=1.0, http_timeout_s=5.0)
    facts = parse_mail(RAW)
    t = time.monotonic()
    intel = run_intel(facts, RAW, cfg)
    took = time.monotonic() - t
    assert took < 1.5, took
    assert "RDAP of sgogoj.com" in intel.timed_out and "Safe Browsing" in intel.timed_out
    named = {lk.target for lk in intel.lookups if lk.kind == "budget" and lk.status == "timeout"}
    assert "RDAP of 74.226.196.215" in named
    assert "auth.spf_fail" in _by_id(intel_findings(facts, intel))   # DNS finished in time


def test_dns_only_defaults_contact_no_reputation_service(http_emu, intel_dns, tmp_path: Path) -> None:
    cfg = _config(tmp_path, http_emu, intel_dns)
    cfg.reputation = type(cfg.reputation)()          # defaults: every service off
    http_emu.reset()
    intel = run_intel(parse_mail(RAW), RAW, cfg)
    hit = http_emu.stats()
    assert not any(p.startswith(("/v4", "/urlhaus", "/feeds")) for p in hit), hit
    assert intel.listings == []
    assert not any("spamhaus" in lk.target or "surbl" in lk.target for lk in intel.lookups)


def test_offline_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened while offline")
    monkeypatch.setattr(socket.socket, "__init__", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    cfg = Config()
    cfg.network.enabled = False
    facts = parse_mail(RAW)
    intel = run_intel(facts, RAW, cfg)
    assert isinstance(intel, Intel) and intel.lookups == [] and intel_findings(facts, intel) == []


def test_hostile_link_hosts_are_never_looked_up(http_emu, intel_dns, tmp_path: Path) -> None:
    raw = RAW.replace(b"http://sgogoj.com/", b"http://localhost/").replace(b"sgogoj.com", b"127.0.0.1")
    cfg = _config(tmp_path, http_emu, intel_dns)
    http_emu.reset()
    intel = run_intel(parse_mail(raw), raw, cfg)
    bad = [lk for lk in intel.lookups if ("localhost" in lk.target or lk.target.startswith("127."))
           and lk.status not in ("invalid", "refused")]
    assert bad == []
    assert not any("localhost" in p for p in http_emu.stats())


def test_lookups_run_concurrently_with_added_latency(http_emu_slow, dns_slow, tmp_path: Path) -> None:
    """100 ms on every DNS query and every HTTP request: the run costs about the
    slowest chain (SPF → MX → A → DMARC; RDAP registry → registrar), not the sum."""
    cfg = _config(tmp_path, http_emu_slow, dns_slow)
    cfg.reputation.dnsbl = False          # dns_slow serves the seed zones only
    facts = parse_mail(RAW)
    t = time.monotonic()
    intel = run_intel(facts, RAW, cfg)
    took = time.monotonic() - t
    spent = sum(lk.ms for lk in intel.lookups if lk.status != "cached") / 1000.0
    assert intel.timed_out == []
    assert took < cfg.network.budget_s
    assert spent > 2.0 * took, (spent, took)
    print(f"\n100 ms per lookup: total {took * 1000:.0f} ms, sum of lookups {spent * 1000:.0f} ms")
    assert "intel.listed_safebrowsing" in _by_id(intel_findings(facts, intel))


def test_each_switch_is_honoured(http_emu, intel_dns, tmp_path: Path) -> None:
    cfg = _config(tmp_path, http_emu, intel_dns)
    cfg.network.rdap = False
    http_emu.reset()
    intel = run_intel(parse_mail(RAW), RAW, cfg)
    assert not any("/rdap" in p for p in http_emu.stats())
    assert not any(lk.kind.startswith("rdap") for lk in intel.lookups)
    cfg = _config(tmp_path / "b", http_emu, intel_dns)
    cfg.network.dns = False
    intel = run_intel(parse_mail(RAW), RAW, cfg)
    assert not any(lk.kind == "dns" for lk in intel.lookups)
    assert intel.spf is None and intel.infra is None


def test_idn_link_hosts_are_looked_up_in_punycode(http_emu, intel_dns, tmp_path: Path) -> None:
    from tsuribari.intel.gather import _ascii_host
    assert _ascii_host("例え.jp") == "xn--r8jz45g.jp"
    assert _ascii_host("SGOGOJ.com.") == "sgogoj.com"
    assert _ascii_host("\udcff.com") == ""
