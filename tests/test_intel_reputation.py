"""Reputation services: Safe Browsing, URLhaus, feeds (emulator) and DNSBLs
(a real DNS server with DNSBL zones, including the refusal answer codes)."""
from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from servers.http_fixtures import http_emu, run_in  # noqa: F401  (fixture)
from servers.intel_dns import (LISTED_IP, PBL_IP, QUOTA_IP, REFUSED_DOMAIN, REFUSED_IP, WEIRD_DOMAIN,
                               intel_dns)  # noqa: F401  (fixture)
from tsuribari.config import Config
from tsuribari.intel import reputation as rep
from tsuribari.intel.cache import LookupCache
from tsuribari.intel.context import IntelContext
from tsuribari.intel.geo import GeoDB
from tsuribari.intel.resolver import Resolver

SEED_URL = "http://sgogoj.com/kagoya/activemail.kagoya?login=victim@example.co.jp"


def _ctx(tmp_path: Path, http_emu=None, dns=None, fault: str = "") -> IntelContext:
    cfg = Config()
    if http_emu is not None:
        for k, v in http_emu.endpoints(fault).items():
            setattr(cfg.endpoints, k, v)
        for k, v in http_emu.keys().items():
            setattr(cfg.reputation, k, v)
    cfg.network.http_timeout_s = 0.8
    cfg.cache.path = str(tmp_path / "cache.sqlite")
    cache = LookupCache.from_config(cfg)
    lookups: list = []
    resolver = Resolver([dns.address], 1.0, lookups, cache=cache) if dns is not None else None
    return IntelContext(cfg, cache, lookups, GeoDB.from_config(cfg), resolver=resolver)


_run = run_in


def test_lookup_url_keeps_the_recipient_out() -> None:
    assert rep.lookup_url(SEED_URL) == "http://sgogoj.com/kagoya/activemail.kagoya"
    assert rep.lookup_url("https://user:pw@Example.COM:8443/a#frag") == "https://example.com:8443/a"
    assert rep.lookup_url("javascript:alert(1)") == "" and rep.lookup_url("http://[bad") == ""


# ---------------------------------------------------------------- Safe Browsing / URLhaus

def test_safebrowsing_lists_the_seed_link_and_caches(http_emu, tmp_path: Path) -> None:
    http_emu.reset()
    ctx = _ctx(tmp_path, http_emu)
    res = _run(ctx, rep.safebrowsing([SEED_URL, "https://www.kagoya.jp/"], ctx))
    by = {x.target: x for x in res}
    assert by["http://sgogoj.com/kagoya/activemail.kagoya"].listed is True
    assert by["http://sgogoj.com/kagoya/activemail.kagoya"].category == "SOCIAL_ENGINEERING"
    assert by["https://www.kagoya.jp/"].listed is False
    ctx2 = _ctx(tmp_path, http_emu)
    again = _run(ctx2, rep.safebrowsing([SEED_URL], ctx2))
    assert again[0].listed is True and again[0].status == "cached"
    assert http_emu.total() == 1


def test_safebrowsing_without_or_with_wrong_key_is_unavailable(http_emu, tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, http_emu)
    ctx.config.reputation.safebrowsing_key = ""
    assert [x.listed for x in _run(ctx, rep.safebrowsing([SEED_URL], ctx))] == [None]
    ctx = _ctx(tmp_path / "b", http_emu)
    ctx.config.reputation.safebrowsing_key = "wrong"
    res = _run(ctx, rep.safebrowsing([SEED_URL], ctx))
    assert res[0].listed is None and "400" in res[0].detail


@pytest.mark.parametrize("fault", ["429", "500", "malformed", "deep", "huge", "wrongtypes", "hang"])
def test_safebrowsing_faults_are_never_listings(http_emu, tmp_path: Path, fault: str) -> None:
    ctx = _ctx(tmp_path, http_emu, fault=fault)
    res = _run(ctx, rep.safebrowsing([SEED_URL], ctx))
    # "wrongtypes" is a JSON object whose "matches" is not a list: nothing is listed.
    assert res[0].listed in (None, False) and not any(x.listed for x in res)


def test_urlhaus_host(http_emu, tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, http_emu)

    async def both():
        return await asyncio.gather(rep.urlhaus_host("sgogoj.com", ctx), rep.urlhaus_host("malware-drop.example.com", ctx))
    clean_host, bad = _run(ctx, both())
    assert clean_host.listed is False
    assert bad.listed is True and bad.category == "malware_download"
    ctx = _ctx(tmp_path / "k", http_emu)
    ctx.config.reputation.urlhaus_key = "nope"
    assert _run(ctx, rep.urlhaus_host("sgogoj.com", ctx)).listed is None


# ---------------------------------------------------------------- feeds

def test_feeds_download_once_a_day_and_match_locally(http_emu, tmp_path: Path) -> None:
    http_emu.reset()
    ctx = _ctx(tmp_path, http_emu)
    res = _run(ctx, rep.feed_matches("phishtank", ctx.config.endpoints.phishtank_feed,
                                     [SEED_URL, "https://www.kagoya.jp/"], ctx, 2.0))
    assert [(x.listed, x.category) for x in res] == [(True, "phishing URL"), (False, "")]
    assert http_emu.stats() == {"/feeds/phishtank.json": 1}
    ctx = _ctx(tmp_path, http_emu)
    res = _run(ctx, rep.feed_matches("openphish", ctx.config.endpoints.openphish_feed,
                                     ["http://sgogoj.com/other/page"], ctx, 2.0))
    assert res[0].listed is True and "host" in res[0].category
    # within a day: no download again
    ctx = _ctx(tmp_path, http_emu)
    _run(ctx, rep.feed_matches("phishtank", ctx.config.endpoints.phishtank_feed, [SEED_URL], ctx, 2.0))
    assert http_emu.stats()["/feeds/phishtank.json"] == 1
    # a day later: downloaded again
    path = rep.feed_dir(ctx) / "phishtank.urls"
    old = path.stat().st_mtime - rep.FEED_MAX_AGE_S - 10
    os.utime(path, (old, old))
    ctx = _ctx(tmp_path, http_emu)
    _run(ctx, rep.feed_matches("phishtank", ctx.config.endpoints.phishtank_feed, [SEED_URL], ctx, 2.0))
    assert http_emu.stats()["/feeds/phishtank.json"] == 2


def test_feed_failure_keeps_the_old_copy_or_says_unavailable(http_emu, tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, http_emu, fault="500")
    res = _run(ctx, rep.feed_matches("openphish", ctx.config.endpoints.openphish_feed, [SEED_URL], ctx, 1.0))
    assert res[0].listed is None and "not downloaded" in res[0].detail


# ---------------------------------------------------------------- DNSBL

@pytest.mark.parametrize("codes,listed", [
    (["127.0.1.4"], True), (["127.255.255.254"], None), (["127.255.255.255"], None), (["127.255.255.252"], None),
    (["93.184.216.34"], None), (["127.0.0.2", "127.0.0.4"], True), ([], False), (["garbage"], None),
])
def test_interpret_spamhaus_codes(codes: list[str], listed: bool | None) -> None:
    zone = "dbl.spamhaus.org" if codes[:1] == ["127.0.1.4"] else "zen.spamhaus.org"
    assert rep.interpret(zone, codes)[0] is listed


def test_interpret_surbl_bits_and_block() -> None:
    assert rep.interpret("multi.surbl.org", ["127.0.0.8"]) == (True, "phishing")
    assert rep.interpret("multi.surbl.org", ["127.0.0.24"]) == (True, "phishing, malware")
    assert rep.interpret("multi.surbl.org", ["127.0.0.1"])[0] is None


def test_dqs_zone() -> None:
    assert rep._dqs_zone("zen.spamhaus.org", "k3y") == "k3y.zen.dq.spamhaus.net"
    assert rep._dqs_zone("dbl.spamhaus.org", "k3y") == "k3y.dbl.dq.spamhaus.net"
    assert rep._dqs_zone("multi.surbl.org", "k3y") == "multi.surbl.org"
    assert rep._dqs_zone("zen.spamhaus.org", "") == "zen.spamhaus.org"


def _dnsbl(tmp_path: Path, dns, target: str, zone: str, key: str = ""):
    ctx = _ctx(tmp_path, dns=dns)
    ctx.config.reputation.spamhaus_dqs_key = key
    return _run(ctx, rep.dnsbl(target, zone, ctx))


def test_dnsbl_against_a_real_dns_server(intel_dns, tmp_path: Path) -> None:
    d = intel_dns
    hit = _dnsbl(tmp_path, d, "sgogoj.com", "dbl.spamhaus.org")
    assert (hit.listed, hit.category) == (True, "phishing domain")
    assert _dnsbl(tmp_path, d, "sgogoj.com", "multi.surbl.org").category == "phishing"
    assert _dnsbl(tmp_path, d, "kagoya.jp", "dbl.spamhaus.org").listed is False       # NXDOMAIN
    ip = _dnsbl(tmp_path, d, LISTED_IP, "zen.spamhaus.org")
    assert ip.listed is True and "SBL" in ip.category and "XBL" in ip.category
    assert "PBL" in _dnsbl(tmp_path, d, PBL_IP, "zen.spamhaus.org").category
    assert _dnsbl(tmp_path, d, "74.226.196.215", "zen.spamhaus.org").listed is False


@pytest.mark.parametrize("target,zone", [
    (REFUSED_IP, "zen.spamhaus.org"), (QUOTA_IP, "zen.spamhaus.org"), (REFUSED_DOMAIN, "dbl.spamhaus.org"),
    (REFUSED_DOMAIN, "multi.surbl.org"), (WEIRD_DOMAIN, "dbl.spamhaus.org"),
])
def test_dnsbl_refusals_are_unavailable_never_listed(intel_dns, tmp_path: Path, target: str, zone: str) -> None:
    res = _dnsbl(tmp_path, intel_dns, target, zone)
    assert res.listed is None and res.status == "unavailable" and res.detail


def test_dnsbl_dqs_key(intel_dns, tmp_path: Path) -> None:
    res = _dnsbl(tmp_path, intel_dns, LISTED_IP, "zen.spamhaus.org", key="testkey123")
    assert res.listed is True and "CSS" in res.category
    assert _dnsbl(tmp_path, intel_dns, "sgogoj.com", "dbl.spamhaus.org", key="testkey123").listed is True


def test_dnsbl_never_queries_private_or_invalid_targets(intel_dns, tmp_path: Path) -> None:
    for target in ["10.0.0.1", "127.0.0.2", "192.168.1.1", "::1", "localhost", "a..b", "x" * 300]:
        ctx = _ctx(tmp_path, dns=intel_dns)
        res = _run(ctx, rep.dnsbl(target, "zen.spamhaus.org", ctx))
        assert res.listed is None
        assert not [lk for lk in ctx.lookups if lk.status not in ("invalid",)]   # nothing sent


def test_update_feeds_outside_an_analysis(http_emu, tmp_path: Path) -> None:
    ctx = _ctx(tmp_path, http_emu)
    ctx.config.reputation.phishtank = ctx.config.reputation.openphish = True
    log = rep.update_feeds(ctx.config, timeout_s=5)
    assert [(lk.kind, lk.status) for lk in log] == [("phishtank", "ok"), ("openphish", "ok")]
    assert (rep.feed_dir(ctx) / "openphish.urls").read_text().startswith("phish-feed.example.net/login")
    ctx.config.network.enabled = False
    assert rep.update_feeds(ctx.config) == []
