"""Domain RDAP (our aiohttp client) and IP RDAP (ipwhois) against the emulator."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from servers.http_emulators import SGOGOJ_AGE_DAYS, registrar_domain, registry_domain
from servers.http_fixtures import http_emu, run_in  # noqa: F401  (fixture)
from tsuribari.config import Config
from tsuribari.intel.cache import LookupCache
from tsuribari.intel.context import IntelContext
from tsuribari.intel.geo import GeoDB
from tsuribari.intel.ip_rdap import ip_rdap
from tsuribari.intel.rdap import (DomainRdap, _may_follow, age_days, detect_privacy, domain_rdap,
                                  load_bootstrap, parse_bootstrap, parse_domain, shipped_bootstrap)


def _ctx(http_emu, tmp_path: Path, fault: str = "", timeout: float = 1.0) -> IntelContext:
    cfg = Config()
    for k, v in http_emu.endpoints(fault).items():
        setattr(cfg.endpoints, k, v)
    cfg.network.http_timeout_s = timeout
    cfg.cache.path = str(tmp_path / "cache.sqlite")
    return IntelContext(cfg, LookupCache.from_config(cfg), [], GeoDB.from_config(cfg))


_run = run_in


# ---------------------------------------------------------------- bootstrap

def test_shipped_bootstrap_knows_the_big_registries_and_is_honest_about_jp() -> None:
    boot = shipped_bootstrap()
    assert boot.base_for("sgogoj.com") == "https://rdap.verisign.com/com/v1/"
    assert boot.base_for("example.net") == "https://rdap.verisign.com/net/v1/"
    assert boot.base_for("x.org").startswith("https://rdap.publicinterestregistry.org")
    assert boot.base_for("a.b.shop") and boot.base_for("x.xyz") and boot.base_for("x.top")
    assert boot.base_for("aica-interior.co.jp") is None
    assert "JPRS" in boot.why_unsupported("aica-interior.co.jp")
    assert all(url.startswith("https://") for url in boot.services.values())


def test_user_bootstrap_file_and_broken_one(tmp_path: Path) -> None:
    good = tmp_path / "dns.json"
    good.write_text(json.dumps({"services": [[["jp"], ["https://rdap.example.jp/"]]]}))
    problems: list[str] = []
    assert load_bootstrap(str(good), problems).base_for("x.co.jp") == "https://rdap.example.jp/"
    bad = tmp_path / "bad.json"
    bad.write_text("[" * 10000)
    assert load_bootstrap(str(bad), problems).base_for("x.com")        # falls back to shipped
    assert load_bootstrap(str(tmp_path / "missing.json"), problems) is shipped_bootstrap()
    assert len(problems) == 2
    assert parse_bootstrap({"services": "x"}).services == {}
    assert parse_bootstrap([1, 2]).services == {}


# ---------------------------------------------------------------- parsing

def test_parse_registry_and_registrar_answers() -> None:
    rec = parse_domain(registry_domain("sgogoj.com", "http://x"), DomainRdap("sgogoj.com"))
    assert rec.registrar == "GoDaddy.com, LLC" and rec.registrar_iana_id == "146"
    assert rec.registrar_abuse_email == "abuse@godaddy.com"
    assert rec.nameservers == ["ns1.sgogoj.com", "ns2.sgogoj.com"]
    assert "client transfer prohibited" in rec.statuses
    assert rec.privacy == ""                   # thin registry: no registrant yet
    parse_domain(registrar_domain("sgogoj.com"), rec)
    assert rec.registrant == "Domains By Proxy, LLC" and rec.privacy == "proxy"
    assert rec.privacy_service == "domains by proxy"
    assert age_days(rec.registered, time.time()) == SGOGOJ_AGE_DAYS


def test_old_domain_with_real_registrant_is_not_private() -> None:
    rec = parse_domain(registry_domain("old-bank.com", "http://x"), DomainRdap("old-bank.com"))
    assert rec.privacy == "" and rec.registrant == "Old Bank Holdings"
    assert age_days(rec.registered, time.time()) > 10000


@pytest.mark.parametrize("texts,kind", [
    (["Withheld for Privacy ehf"], "proxy"), (["Privacy service provided by Withheld for Privacy ehf"], "proxy"),
    (["PrivacyGuardian.org llc"], "proxy"), (["WhoisGuard, Inc."], "proxy"), (["Whois Privacy Protect"], "proxy"),
    (["Alibaba Cloud Computing (Beijing) Co., Ltd."], "proxy"), (["REDACTED FOR PRIVACY"], "redacted"),
    (["Data Protected, Not Disclosed"], "proxy"), (["ACME Corporation", "acme@example.com"], ""),
])
def test_privacy_detection(texts: list[str], kind: str) -> None:
    assert detect_privacy(texts)[0] == kind


def test_hostile_answers_never_crash_and_never_carry_markup() -> None:
    hostile = [None, 5, "x", [], {"events": "yesterday", "entities": {"a": 1}, "status": 42},
               {"events": [{"eventAction": "registration", "eventDate": "0000-01-01T00:00:00Z"}]},
               {"events": [{"eventAction": "registration", "eventDate": ["2020"]}], "nameservers": [1, None, {"ldhName": {}}]},
               {"entities": [{"roles": "registrar", "vcardArray": "x"}] * 500},
               {"entities": [{"roles": ["registrar"], "vcardArray": ["vcard", [["fn", {}, "text", "<img src=x onerror=alert(1)>\u202eEvil" + "A" * 5000]]]}]}]
    nested: dict = {}
    cur = nested
    for _ in range(50):
        cur["entities"] = [{"roles": ["registrant"]}]
        cur = cur["entities"][0]
    hostile.append(nested)
    for data in hostile:
        rec = parse_domain(data, DomainRdap("x.com"))
        assert "<" not in rec.registrar and "\u202e" not in rec.registrar and len(rec.registrar) <= 160
    assert age_days("0000-01-01T00:00:00Z", time.time()) is None
    assert age_days("2999-01-01T00:00:00Z", time.time()) is None


def test_registrar_link_following_rules() -> None:
    base = "http://127.0.0.1:8080/rdap"
    assert _may_follow("http://127.0.0.1:8080/registrar/domain/x", base)      # the configured mirror itself
    assert _may_follow("https://rdap.godaddy.com/v1/domain/x", "")
    assert not _may_follow("http://rdap.godaddy.com/v1/domain/x", "")          # no plain http elsewhere
    assert not _may_follow("https://127.0.0.1/x", "") and not _may_follow("https://10.0.0.1/x", "")
    assert not _may_follow("https://localhost/x", "") and not _may_follow("https://[::1]/x", "")
    assert not _may_follow("http://127.0.0.1:9999/x", base)                    # other port: no


# ---------------------------------------------------------------- lookups

def test_domain_rdap_from_emulator_then_cache(http_emu, tmp_path: Path) -> None:
    http_emu.reset()
    ctx = _ctx(http_emu, tmp_path)
    rec = _run(ctx, domain_rdap("sgogoj.com", ctx, shipped_bootstrap()))
    assert rec.status == "ok" and rec.age_days == SGOGOJ_AGE_DAYS and rec.privacy == "proxy"
    assert rec.registrant == "Domains By Proxy, LLC" and rec.registrar == "GoDaddy.com, LLC"
    assert http_emu.stats() == {"/rdap/domain/sgogoj.com": 1, "/registrar-rdap/domain/SGOGOJ.COM": 1}
    ctx2 = _ctx(http_emu, tmp_path)
    rec2 = _run(ctx2, domain_rdap("sgogoj.com", ctx2, shipped_bootstrap()))
    assert rec2.status == "ok" and rec2.privacy == "proxy" and rec2.age_days == SGOGOJ_AGE_DAYS
    assert [lk.status for lk in ctx2.lookups] == ["cached"]
    assert http_emu.total() == 2


def test_domain_rdap_not_found_unsupported_invalid(http_emu, tmp_path: Path) -> None:
    ctx = _ctx(http_emu, tmp_path)
    assert _run(ctx, domain_rdap("nosuch-domain.com", ctx, shipped_bootstrap())).status == "notfound"
    ctx = _ctx(http_emu, tmp_path)
    ctx.config.endpoints.rdap_domain_base = ""          # real bootstrap: .jp has no RDAP
    rec = _run(ctx, domain_rdap("aica-interior.co.jp", ctx, shipped_bootstrap()))
    assert rec.status == "unsupported" and "JPRS" in rec.detail
    ctx = _ctx(http_emu, tmp_path)
    for bad in ["localhost", "10.0.0.1", "a..b", "x" * 300 + ".com", "", "<script>.com"]:
        assert _run(_ctx(http_emu, tmp_path), domain_rdap(bad, _ctx(http_emu, tmp_path), shipped_bootstrap())).status == "invalid"


@pytest.mark.parametrize("fault", ["429", "500", "malformed", "huge", "deep", "drip", "hang", "wrongtypes"])
def test_domain_rdap_faults(http_emu, tmp_path: Path, fault: str) -> None:
    ctx = _ctx(http_emu, tmp_path, fault, timeout=0.6)
    t = time.monotonic()
    rec = _run(ctx, domain_rdap("sgogoj.com", ctx, shipped_bootstrap()))
    assert time.monotonic() - t < 1.2
    if fault == "wrongtypes":
        assert rec.status == "ok" and rec.registrar == "" and rec.age_days is None
    else:
        assert rec.status in ("error", "timeout")
        assert ctx.lookups[-1].status in ("error", "timeout") and ctx.lookups[-1].detail
    if fault == "429":
        assert "rate limited" in rec.detail


def test_ip_rdap_via_ipwhois_pointed_at_the_emulator(http_emu, tmp_path: Path) -> None:
    http_emu.reset()
    ctx = _ctx(http_emu, tmp_path)

    async def both():
        return await asyncio.gather(ip_rdap("8.217.61.41", ctx), ip_rdap("74.226.196.215", ctx))
    ali, msft = _run(ctx, both())
    assert (ali.status, ali.network_name, ali.cidr, ali.country) == ("ok", "ALIBABA-CLOUD-HK", "8.208.0.0/12", "HK")
    assert ali.org == "Alibaba Cloud LLC" and ali.abuse_emails == ["abuse@service.aliyun.com"]
    assert (msft.network_name, msft.cidr, msft.org) == ("MSFT", "74.224.0.0/14", "Microsoft Corporation")
    assert msft.abuse_emails == ["abuse@microsoft.com"]
    assert http_emu.stats() == {"/rdap/ip/8.217.61.41": 1, "/rdap/ip/74.226.196.215": 1}
    ctx2 = _ctx(http_emu, tmp_path)
    again = _run(ctx2, ip_rdap("8.217.61.41", ctx2))
    assert again.abuse_emails == ["abuse@service.aliyun.com"] and ctx2.lookups[0].status == "cached"
    assert http_emu.total() == 2


def test_ip_rdap_refuses_private_and_garbage(http_emu, tmp_path: Path) -> None:
    for ip in ["10.1.2.3", "127.0.0.1", "169.254.1.1", "::1", "fe80::1", "nonsense", "192.0.2.1"]:
        ctx = _ctx(http_emu, tmp_path)
        assert _run(ctx, ip_rdap(ip, ctx)).status == "invalid"
    assert http_emu.stats().get("/rdap/ip/10.1.2.3") is None


@pytest.mark.parametrize("fault", ["429", "500", "malformed", "huge", "deep", "drip", "hang", "wrongtypes"])
def test_ip_rdap_faults(http_emu, tmp_path: Path, fault: str) -> None:
    ctx = _ctx(http_emu, tmp_path, fault, timeout=0.6)
    t = time.monotonic()
    rec = _run(ctx, ip_rdap("8.217.61.41", ctx))
    assert time.monotonic() - t < 1.3
    assert rec.status in ("error", "timeout") and rec.abuse_emails == []
