"""auth_findings is pure: every finding from hand-built results, in both languages."""
from __future__ import annotations

import pytest

from tsuribari.intel.auth_findings import auth_findings
from tsuribari.intel.dkim_verify import DkimResult
from tsuribari.intel.dmarc import DmarcResult
from tsuribari.intel.infra import DomainInfra
from tsuribari.intel.spf import SpfResult
from tsuribari.model import AuthResult


def spf(result: str, **kw) -> SpfResult:
    base = dict(domain="aica-interior.co.jp", ip="74.226.196.215", mechanism="-all",
                record="v=spf1 ip4:153.123.7.53 -all", authorized=["153.123.7.53"])
    base.update(kw)
    return SpfResult(result=result, **base)


@pytest.mark.parametrize("result,fid", [
    ("fail", "auth.spf_fail"), ("softfail", "auth.spf_softfail"), ("none", "auth.spf_none"),
    ("permerror", "auth.spf_error"), ("temperror", "auth.spf_error"),
])
def test_each_spf_result_has_its_finding(result, fid):
    found = auth_findings("aica-interior.co.jp", "aica-interior.co.jp", "74.226.196.215", {}, spf(result),
                          None, None, None, [])
    assert [f.id for f in found] == [fid]
    f = found[0]
    assert f.category == "auth" and f.weight > 0
    for lang in ("ja", "en"):
        assert "aica-interior.co.jp" in f.title[lang] + f.explanation[lang]
        assert "{" not in f.title[lang] + f.explanation[lang]


def test_spf_pass_and_neutral_say_nothing():
    for result in ("pass", "neutral"):
        assert auth_findings("a.jp", "a.jp", "1.2.3.4", {}, spf(result), None, None, None, []) == []


def test_long_authorised_lists_are_shortened():
    many = [f"192.0.2.{i}" for i in range(40)]
    f = auth_findings("a.jp", "a.jp", "1.2.3.4", {}, spf("fail", authorized=many), None, None, None, [])[0]
    assert "(+34)" in f.explanation["en"] and len(f.evidence["authorized"]) == 40


def test_fail_with_nothing_authorised():
    f = auth_findings("a.jp", "a.jp", "1.2.3.4", {}, spf("fail", authorized=[]), None, None, None, [])[0]
    assert "なし" in f.explanation["ja"]


def test_dkim_temperror_makes_no_claim():
    res = [DkimResult("a.jp", "s1", "temperror", reason="key a.jp: timeout")]
    assert auth_findings("a.jp", "a.jp", "", {}, None, res, None, None, []) == []


def test_dmarc_subdomain_policy_is_the_effective_one():
    dm = DmarcResult(domain="mail.a.co.jp", org_domain="a.co.jp", record="v=DMARC1; p=none; sp=reject",
                     policy="none", subdomain_policy="reject", result="fail", record_domain="a.co.jp")
    f = auth_findings("mail.a.co.jp", "", "", {}, None, None, dm, None, [])[0]
    assert f.id == "auth.dmarc_fail" and "p=reject" in f.title["en"]


def test_disagreement_needs_a_different_meaning_not_a_different_word():
    header = [AuthResult(method="spf", result="softfail", domain="aica-interior.co.jp", trusted=True,
                         source="Authentication-Results@mx")]
    found = auth_findings("aica-interior.co.jp", "aica-interior.co.jp", "", {}, spf("fail"), None, None, None, header)
    assert "auth.computed_disagrees" not in {f.id for f in found}
    header[0].result = "pass"
    found = auth_findings("aica-interior.co.jp", "aica-interior.co.jp", "", {}, spf("fail"), None, None, None, header)
    assert "auth.computed_disagrees" in {f.id for f in found}
    header[0].result, ours = "fail", spf("temperror")
    found = auth_findings("aica-interior.co.jp", "aica-interior.co.jp", "", {}, ours, None, None, None, header)
    assert "auth.computed_disagrees" not in {f.id for f in found}


def test_origin_inside_the_authorised_ranges_is_not_flagged():
    infra = DomainInfra("a.jp", a=["203.0.113.10"], mx=["mx.a.jp"], spf_record="v=spf1 ip4:203.0.113.0/24 -all",
                        spf_authorized=["203.0.113.0/24"])
    assert auth_findings("a.jp", "a.jp", "203.0.113.77", {}, None, None, None, infra, []) == []
    found = auth_findings("a.jp", "a.jp", "74.226.196.215", {"org": "Microsoft", "country": "JP"},
                          None, None, None, infra, [])
    assert [f.id for f in found] == ["route.origin_not_domain_infra"]
    assert "Microsoft" in found[0].explanation["ja"] and "203.0.113.0/24" in found[0].explanation["ja"]
    # a domain that publishes nothing gives nothing to compare with
    assert auth_findings("a.jp", "a.jp", "74.226.196.215", {}, None, None, None, DomainInfra("a.jp"), []) == []
