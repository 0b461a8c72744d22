"""Sender authentication computed by Tsuribari against a real DNS server
(unbound on loopback, zones in tests/servers/zones) that reproduces the seed
case, a DKIM-signed legitimate sender, SPF limit records and DNS faults."""
from __future__ import annotations

import asyncio
import time

import pytest

from servers import dkim_fixture as fx
from servers.fixtures import dns_env, dns_nameservers, dns_slow  # noqa: F401  (fixtures)
from tsuribari.intel.auth_findings import auth_findings
from tsuribari.intel.dkim_verify import verify_dkim
from tsuribari.intel.dmarc import check_dmarc
from tsuribari.intel.infra import domain_infra
from tsuribari.intel.resolver import Resolver, valid_hostname, valid_query_name
from tsuribari.intel.spf import check_spf
from tsuribari.model import AuthResult, Lookup

SEED_IP = "74.226.196.215"
SEED_DOMAIN = "aica-interior.co.jp"
AZURE = {"org": "Microsoft Corporation", "asn": 8075, "country": "JP",
         "rdns": "ioooo.japaneast.cloudapp.azure.com"}


class DictCache:
    """The cache protocol the resolver expects (helper-4's SQLite cache has the same shape)."""

    def __init__(self) -> None:
        self.data: dict[str, object] = {}

    def get(self, key: str):
        return self.data.get(key)

    def put(self, key: str, value, ttl: int) -> None:
        self.data[key] = value


def run(coro):
    return asyncio.run(coro)


def make(ns: list[str], timeout_s: float = 1.0, **kw) -> tuple[Resolver, list[Lookup]]:
    lookups: list[Lookup] = []
    return Resolver(ns, timeout_s, lookups, **kw), lookups


# -- the seed case ----------------------------------------------------------

def test_seed_spf_fails_and_names_the_authorised_set(dns_nameservers):
    r, lookups = make(dns_nameservers)
    res = run(check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r, sender=f"postmaster@{SEED_DOMAIN}"))
    assert res.result == "fail"
    assert res.mechanism == "-all"
    assert res.record == "v=spf1 ip4:153.123.7.53 mx -all"
    assert "153.123.7.53" in res.authorized
    assert SEED_IP not in res.authorized
    assert res.dns_lookups == 1          # the mx term
    assert all(lk.status == "ok" for lk in lookups), lookups


def test_seed_reverse_and_link_host(dns_nameservers):
    r, _ = make(dns_nameservers)
    ptr = run(r.ptr(SEED_IP))
    assert ptr.status == "ok" and ptr.records == ["ioooo.japaneast.cloudapp.azure.com"]
    link = run(r.query("sgogoj.com", "A"))
    assert link.records == ["8.217.61.41"]


def test_seed_domain_infrastructure(dns_nameservers):
    r, _ = make(dns_nameservers)
    info = run(domain_infra(SEED_DOMAIN, r))
    assert info.a == ["153.123.7.53"]
    assert info.mx == ["mail.aica-interior.co.jp"]
    assert info.spf_record.startswith("v=spf1 ip4:153.123.7.53")
    assert "153.123.7.53" in info.spf_authorized


def test_seed_dmarc_fails_with_quarantine(dns_nameservers):
    r, _ = make(dns_nameservers)
    spf = run(check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r))
    dm = run(check_dmarc(SEED_DOMAIN, spf, [], r))
    assert dm.result == "fail" and dm.policy == "quarantine"
    assert dm.record_domain == SEED_DOMAIN and not dm.spf_aligned and not dm.dkim_aligned


def test_dmarc_discovered_through_the_org_domain(dns_nameservers):
    r, lookups = make(dns_nameservers)
    dm = run(check_dmarc("mail.news.aica-interior.co.jp", None, [], r))
    assert dm.org_domain == SEED_DOMAIN
    assert dm.record_domain == SEED_DOMAIN
    assert dm.policy == "quarantine" and dm.effective_policy == "quarantine"
    assert dm.result == "fail"
    asked = [lk.target for lk in lookups]
    assert asked == ["_dmarc.mail.news.aica-interior.co.jp TXT", "_dmarc.aica-interior.co.jp TXT"]


def test_seed_findings_read_like_the_analyst(dns_nameservers):
    r, _ = make(dns_nameservers)

    async def gather():
        spf = await check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r)
        dkim = await verify_dkim(fx_seed_bytes(), r)
        dm = await check_dmarc(SEED_DOMAIN, spf, dkim, r)
        info = await domain_infra(SEED_DOMAIN, r)
        return spf, dkim, dm, info

    spf, dkim, dm, info = run(gather())
    found = auth_findings(SEED_DOMAIN, SEED_DOMAIN, SEED_IP, AZURE, spf, dkim, dm, info, [])
    by_id = {f.id: f for f in found}
    assert {"auth.spf_fail", "auth.dkim_none", "auth.dmarc_fail", "route.origin_not_domain_infra"} <= set(by_id)
    spf_en = by_id["auth.spf_fail"].explanation["en"]
    assert "153.123.7.53" in spf_en and SEED_IP in spf_en and SEED_DOMAIN in spf_en
    origin_en = by_id["route.origin_not_domain_infra"].explanation["en"]
    assert "Microsoft Corporation, AS8075" in origin_en and "JP" in origin_en
    assert "153.123.7.53" in origin_en and "mail.aica-interior.co.jp" in origin_en
    assert "quarantine" in by_id["auth.dmarc_fail"].title["en"]
    assert all(f.title["ja"] and f.explanation["ja"] for f in found)
    assert all("?" not in f.explanation["en"].replace("?)", "") for f in found)


def test_header_pass_disagreeing_with_our_fail_is_reported(dns_nameservers):
    r, _ = make(dns_nameservers)
    spf = run(check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r))
    header = [AuthResult(method="spf", result="pass", domain=SEED_DOMAIN,
                         source="Authentication-Results@mx01.example-office.jp", trusted=True)]
    found = auth_findings(SEED_DOMAIN, SEED_DOMAIN, SEED_IP, {}, spf, None, None, None, header)
    dis = [f for f in found if f.id == "auth.computed_disagrees"]
    assert len(dis) == 1 and dis[0].evidence["header"] == "pass" and dis[0].evidence["ours"] == "fail"
    # an untrusted (sender-written) header is not "the boundary's" result
    header[0].trusted = False
    assert not [f for f in auth_findings(SEED_DOMAIN, SEED_DOMAIN, SEED_IP, {}, spf, None, None, None, header)
                if f.id == "auth.computed_disagrees"]


def fx_seed_bytes() -> bytes:
    from pathlib import Path
    return (Path(__file__).parent / "fixtures" / "mail" / "kagoya-active-mail.eml").read_bytes()


# -- DKIM on a legitimate signed mail ------------------------------------------

def test_dkim_signed_legitimate_mail_passes_everything(dns_env, dns_nameservers):
    signed = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key)
    r, _ = make(dns_nameservers)

    async def gather():
        dkim = await verify_dkim(signed, r)
        spf = await check_spf(fx.ORIGIN_IP, fx.DOMAIN, "mail.legit-shop.jp", r)
        dm = await check_dmarc(fx.DOMAIN, spf, dkim, r)
        info = await domain_infra(fx.DOMAIN, r)
        return dkim, spf, dm, info

    dkim, spf, dm, info = run(gather())
    assert [(d.domain, d.selector, d.result) for d in dkim] == [(fx.DOMAIN, fx.SELECTOR, "pass")]
    assert dkim[0].key_bits == 2048 and dkim[0].algorithm == "rsa-sha256"
    assert not dkim[0].body_length_limited and not dkim[0].expired
    assert spf.result == "pass" and "203.0.113.0/28" in spf.authorized
    assert dm.result == "pass" and dm.dkim_aligned and dm.spf_aligned and dm.policy == "reject"
    found = auth_findings(fx.DOMAIN, fx.DOMAIN, fx.ORIGIN_IP, {}, spf, dkim, dm, info, [])
    # "loses nothing": the only finding is the reassuring one
    assert [f.id for f in found] == ["auth.computed_aligned_pass"]
    assert found[0].weight < 0


def test_dkim_tampered_copy_fails(dns_env, dns_nameservers):
    signed = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key)
    tampered = fx.tamper(signed)
    assert tampered != signed
    r, _ = make(dns_nameservers)
    dkim = run(verify_dkim(tampered, r))
    assert dkim[0].result == "fail" and "body hash mismatch" in dkim[0].reason
    dm = run(check_dmarc(fx.DOMAIN, None, dkim, r))
    assert dm.result == "fail" and dm.policy == "reject"
    found = auth_findings(fx.DOMAIN, fx.DOMAIN, "", {}, None, dkim, dm, None, [])
    assert {"auth.dkim_fail", "auth.dmarc_fail"} <= {f.id for f in found}


def test_dkim_header_tampering_fails(dns_env, dns_nameservers):
    signed = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key)
    forged = signed.replace(b"From: Legit Shop <info@legit-shop.jp>", b"From: Legit Shop <billing@legit-shop.jp>")
    r, _ = make(dns_nameservers)
    assert run(verify_dkim(forged, r))[0].result == "fail"


def test_dkim_relaxed_with_body_length_is_flagged(dns_env, dns_nameservers):
    signed = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key, canonicalize=(b"relaxed", b"relaxed"), length=True)
    appended = signed + "追記された本文\r\n".encode("utf-8")
    r, _ = make(dns_nameservers)
    dkim = run(verify_dkim(appended, r))
    # l= lets content be appended without breaking the signature: pass, but flagged
    assert dkim[0].result == "pass" and dkim[0].body_length_limited


def test_dkim_missing_key_and_unrelated_signer(dns_env, dns_nameservers):
    r, _ = make(dns_nameservers)
    nokey = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key, selector="nokey")
    res = run(verify_dkim(nokey, r))
    assert res[0].result == "permerror" and "no key" in res[0].reason
    # a valid signature by legit-shop.jp on mail whose From is someone else
    other = fx.LEGIT_MAIL.replace(b"From: Legit Shop <info@legit-shop.jp>", b"From: Kagoya <support@kagoya.jp>")
    dkim = run(verify_dkim(fx.sign(other, dns_env.dkim_key), r))
    assert dkim[0].result == "pass"
    found = auth_findings("kagoya.jp", "kagoya.jp", "", {}, None, dkim, None, None, [])
    assert [f.id for f in found] == ["auth.dkim_unrelated"]
    assert "legit-shop.jp" in found[0].title["en"]


def test_dkim_unsigned_and_garbage_signatures(dns_nameservers):
    r, _ = make(dns_nameservers)
    assert run(verify_dkim(fx.LEGIT_MAIL, r)) == []
    junk = b"DKIM-Signature: this is not a tag list\r\n" + fx.LEGIT_MAIL
    res = run(verify_dkim(junk, r))
    assert len(res) == 1 and res[0].result == "permerror"
    hostile = (b"DKIM-Signature: v=1; a=rsa-sha256; d=a..b; s=x; h=from; bh=AAAA; b=AAAA\r\n" + fx.LEGIT_MAIL)
    res = run(verify_dkim(hostile, r))
    assert res[0].result == "permerror" and "valid DNS name" in res[0].reason


# -- SPF processing limits ----------------------------------------------------------

@pytest.mark.parametrize("name,result,why", [
    ("toomany.spf-limits.jp", "permerror", "DNS-querying terms"),
    ("chain.spf-limits.jp", "permerror", "DNS-querying terms"),
    ("ten.spf-limits.jp", "fail", "-all"),
    ("void.spf-limits.jp", "permerror", "void lookups"),
    ("void2.spf-limits.jp", "fail", "-all"),
    ("loop.spf-limits.jp", "permerror", "DNS-querying terms"),
])
def test_spf_limits(dns_nameservers, name, result, why):
    r, _ = make(dns_nameservers)
    res = run(check_spf("198.51.100.1", name, "mail.example.net", r))
    assert res.result == result and why in res.mechanism
    assert res.dns_lookups <= 11 and res.void_lookups <= 3


# -- faults ----------------------------------------------------------

def test_timeout_gives_temperror_within_the_timeout(dns_nameservers):
    r, lookups = make(dns_nameservers, timeout_s=0.4)
    t0 = time.monotonic()
    res = run(check_spf("198.51.100.1", "slow.spf-limits.jp", "mail.example.net", r))
    elapsed = time.monotonic() - t0
    assert res.result == "temperror" and "timeout" in res.mechanism
    assert elapsed < 0.9, elapsed
    assert any(lk.status == "timeout" for lk in lookups)


def test_concurrent_timeouts_cost_one_timeout(dns_nameservers):
    r, lookups = make(dns_nameservers, timeout_s=0.3)

    async def many():
        return await asyncio.gather(*(r.query(f"h{i}.slow.dns-faults.jp", "A") for i in range(8)))

    t0 = time.monotonic()
    answers = run(many())
    assert all(a.status == "timeout" for a in answers)
    assert time.monotonic() - t0 < 0.7


def test_servfail_nxdomain_nodata_refused(dns_nameservers):
    r, _ = make(dns_nameservers)
    assert run(r.query("x.servfail.jp", "A")).status == "servfail"
    assert run(r.query("nope.aica-interior.co.jp", "A")).status == "nxdomain"
    assert run(r.query("sgogoj.com", "MX")).status == "nodata"
    assert run(r.query("not-served.example", "A")).status == "refused"
    res = run(check_spf("198.51.100.1", "x.servfail.jp", "mail.example.net", r))
    assert res.result == "temperror"


def test_tcp_fallback_for_a_large_txt(dns_nameservers):
    r, lookups = make(dns_nameservers)
    ans = run(r.query("big.dns-faults.jp", "TXT"))
    assert ans.status == "ok" and len(ans.records[0]) > 1232
    assert "TCP" in lookups[-1].detail
    res = run(check_spf("198.51.100.7", "big.spf-limits.jp", "mail.example.net", r))
    assert res.result == "pass"


def test_nxdomain_sender_domain_is_none(dns_nameservers):
    r, _ = make(dns_nameservers)
    assert run(check_spf(SEED_IP, "nope.aica-interior.co.jp", "x", r)).result == "none"
    assert run(check_spf(SEED_IP, "sgogoj.com", "x", r)).result == "none"


# -- validation of mail-derived names ----------------------------------------------------

@pytest.mark.parametrize("name", [
    "a..b", "x" * 300, "a." + "b" * 64 + ".com", "localhost", "foo.localhost", "printer.local",
    "127.0.0.1", "0x7f.1", "_dmarc.example.com", "foo_bar.example.com", "-lead.example.com",
    "exa mple.com", "ex\x00ample.com", "例え.jp", "single", "", ".", "a.b.c.internal",
])
def test_hostile_host_names_are_not_host_names(name):
    assert not valid_hostname(name)


def test_query_name_rules():
    assert valid_query_name("_dmarc.aica-interior.co.jp")
    assert valid_query_name("s2026._domainkey.legit-shop.jp")
    for bad in ("a..b", "x" * 300, "localhost", "_x.localhost", "a/b.example.com", "a b.example.com",
                "1.2.3.4", "evil.example.com\nA"):
        assert not valid_query_name(bad), bad


def test_invalid_names_never_reach_the_server(dns_nameservers):
    r, lookups = make(dns_nameservers)
    for bad in ("a..b", "x" * 300, "localhost", "foo.localhost"):
        assert run(r.query(bad, "A")).status == "invalid"
    assert run(r.ptr("127.0.0.1")).status == "invalid"
    assert run(r.ptr("10.0.0.1")).status == "invalid"
    assert run(r.ptr("not-an-ip")).status == "invalid"
    assert r.sent == 0
    assert all(lk.status == "invalid" and len(lk.target) <= 270 for lk in lookups)


def test_names_resolving_to_loopback_are_withheld(dns_nameservers):
    r, lookups = make(dns_nameservers)
    assert run(r.query("lo.dns-faults.jp", "A")).status == "refused"
    assert run(r.query("private.dns-faults.jp", "A")).status == "refused"
    assert run(r.query("mixed.dns-faults.jp", "A")).records == ["153.123.7.54"]
    assert any("private/loopback" in lk.detail for lk in lookups)
    info = run(domain_infra("lo.dns-faults.jp", r))
    assert info.a == []
    # SPF only compares addresses, so it may see them (127.0.0.2 is a normal exists: answer)
    assert run(r.query("lo.dns-faults.jp", "A", allow_private=True)).records == ["127.0.0.1"]


def test_cache_answers_the_second_time(dns_nameservers):
    cache = DictCache()
    r, lookups = make(dns_nameservers, cache=cache)
    run(check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r))
    sent = r.sent
    assert sent > 0
    r2, lookups2 = make(dns_nameservers, cache=cache)
    res = run(check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r2))
    assert res.result == "fail" and r2.sent == 0
    assert lookups2 and all(lk.status == "cached" for lk in lookups2)


def test_query_budget(dns_nameservers):
    r, lookups = make(dns_nameservers, max_queries=2)
    run(r.query("sgogoj.com", "A"))
    run(r.query("aica-interior.co.jp", "A"))
    assert run(r.query("aica-interior.co.jp", "MX")).status == "error"
    assert "limit" in lookups[-1].detail


def test_dkim_each_signature_gets_its_own_result(dns_env, dns_nameservers):
    once = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key)
    twice = fx.sign(once, dns_env.dkim_key, selector="nokey")     # the new one goes on top
    r, lookups = make(dns_nameservers)
    res = run(verify_dkim(twice, r))
    assert [(d.selector, d.result) for d in res] == [("nokey", "permerror"), (fx.SELECTOR, "pass")]
    assert sorted(lk.target for lk in lookups) == ["nokey._domainkey.legit-shop.jp TXT",
                                                   "s2026._domainkey.legit-shop.jp TXT"]
    found = auth_findings(fx.DOMAIN, fx.DOMAIN, "", {}, None, res, None, None, [])
    assert found == []    # one good aligned signature is enough; a broken extra one is common


def test_dkim_weak_key_is_not_accepted(dns_env, dns_nameservers):
    signed = fx.sign(fx.LEGIT_MAIL, dns_env.weak_key, selector=fx.WEAK_SELECTOR)
    r, _ = make(dns_nameservers)
    res = run(verify_dkim(signed, r))
    assert res[0].result == "fail" and res[0].key_bits == 768 and "weak key" in res[0].reason


def test_identical_concurrent_queries_share_one_packet_and_survive_a_cancel(dns_nameservers):
    r, lookups = make(dns_nameservers)

    async def scenario():
        first = asyncio.ensure_future(r.query("aica-interior.co.jp", "TXT"))
        second = asyncio.ensure_future(r.query("aica-interior.co.jp", "TXT"))
        await asyncio.sleep(0)
        first.cancel()                      # one asker's budget ran out
        return await second

    ans = run(scenario())
    assert ans.status == "ok" and ans.records[0].startswith("v=spf1")
    assert r.sent == 1


class BrokenCache:
    def get(self, key):
        raise OSError("database is locked")

    def put(self, key, value, ttl):
        raise OSError("disk full")


class JunkCache(DictCache):
    def get(self, key):
        return {"records": [1, None], "ttl": "x", "status": "ok"}


@pytest.mark.parametrize("cache", [BrokenCache(), JunkCache()])
def test_a_broken_cache_degrades_to_the_network(dns_nameservers, cache):
    r, lookups = make(dns_nameservers, cache=cache)
    ans = run(r.query("sgogoj.com", "A"))
    assert ans.records == ["8.217.61.41"] and r.sent == 1


def test_second_analysis_is_answered_from_the_sqlite_cache(dns_nameservers, tmp_path):
    from tsuribari.intel.cache import LookupCache

    async def everything(r):
        spf = await check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r)
        dm = await check_dmarc(SEED_DOMAIN, spf, [], r)
        info = await domain_infra(SEED_DOMAIN, r)
        ptr = await r.ptr(SEED_IP)
        return spf.result, dm.result, info.a, ptr.records

    path = tmp_path / "lookups.sqlite"
    r1, _ = make(dns_nameservers, cache=LookupCache(path))
    first = run(everything(r1))
    assert r1.sent > 3
    r2, lookups2 = make(dns_nameservers, cache=LookupCache(path))   # a new process, same file
    assert run(everything(r2)) == first
    assert r2.sent == 0 and {lk.status for lk in lookups2} == {"cached"}


def test_mail_service_sending_for_a_dkim_signing_domain_is_not_blamed(dns_env, dns_nameservers):
    # A newsletter platform's IP, its own bounce domain in the envelope, but the
    # From domain signed the mail: the domain vouched for it.
    signed = fx.sign(fx.LEGIT_MAIL, dns_env.dkim_key)
    r, _ = make(dns_nameservers)

    async def gather():
        dkim = await verify_dkim(signed, r)
        spf = await check_spf("198.51.100.77", "sgogoj.com", "out.esp.example", r)   # envelope: no SPF
        dm = await check_dmarc(fx.DOMAIN, spf, dkim, r)
        info = await domain_infra(fx.DOMAIN, r)
        return dkim, spf, dm, info

    dkim, spf, dm, info = run(gather())
    found = {f.id for f in auth_findings(fx.DOMAIN, "sgogoj.com", "198.51.100.77", {}, spf, dkim, dm, info, [])}
    assert "route.origin_not_domain_infra" not in found
    assert "auth.computed_aligned_pass" in found and "auth.dmarc_fail" not in found


def test_authentication_runs_concurrently_under_latency(dns_env, dns_slow):
    """Every answer takes 100 ms. The slowest chain is SPF's three round trips
    (TXT, then MX, then the MX host's A); DMARC, infrastructure (A, AAAA, MX,
    the same SPF), the origin's PTR and the link host's A run beside it and
    share identical queries. One after another they would take 8 x 100 ms."""
    lookups: list[Lookup] = []
    r = Resolver([dns_slow.address], 2.0, lookups)

    async def everything():
        return await asyncio.gather(
            check_spf(SEED_IP, SEED_DOMAIN, "Praisemmm", r),
            check_dmarc(SEED_DOMAIN, None, [], r),
            domain_infra(SEED_DOMAIN, r),
            r.ptr(SEED_IP),
            r.query("sgogoj.com", "A"))

    t0 = time.monotonic()
    spf, dm, info, ptr, link = run(everything())
    elapsed = time.monotonic() - t0
    assert spf.result == "fail" and dm.policy == "quarantine" and info.a and ptr.records and link.records
    network = [lk for lk in lookups if lk.status not in ("cached", "invalid")]
    assert len(network) >= 8
    assert all(lk.ms >= 95 for lk in network if lk.status == "ok")
    sequential = sum(lk.ms for lk in network) / 1000.0
    assert sequential >= 0.75
    print(f"concurrent {elapsed:.3f}s vs sequential {sequential:.3f}s")
    assert elapsed < 0.6 * sequential, (elapsed, sequential)


def test_internationalised_names_are_sent_as_a_labels(dns_nameservers):
    r, lookups = make(dns_nameservers)
    run(r.query("例え.jp", "A"))
    assert lookups[-1].target == "xn--r8jz45g.jp A"          # asked, as punycode (REFUSED here)
    assert run(r.query("ＡＩＣＡ-interior.co.jp", "A")).records == ["153.123.7.53"]   # NFKC-folded
    assert run(r.query("a\u200b.example.com", "A")).status in ("invalid", "refused")
