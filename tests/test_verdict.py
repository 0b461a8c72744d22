"""Score and level from findings: the calibrated scale, one fact weighed once, decisive findings."""
from __future__ import annotations

from tsuribari.model import Finding
from tsuribari.verdict import Scale, dedupe, level, score


def _f(fid: str, weight: float) -> Finding:
    return Finding(id=fid, weight=weight, title={"ja": "", "en": ""}, explanation={"ja": "", "en": ""})


def test_score_is_a_sigmoid_of_the_weights():
    scale = Scale(intercept=-3.0, suspicious=50, phishing=90)
    assert score([], scale) == 5
    assert score([_f("a", 3.0)], scale) == 50
    assert score([_f("a", 60.0)], scale) == 100


def test_header_and_computed_results_of_one_fact_count_once():
    kept = dedupe([_f("auth.header_spf_fail", 1.2), _f("auth.spf_fail", 2.0), _f("x", 0.5)])
    assert [f.id for f in kept] == ["auth.spf_fail", "x"]
    one_host = dedupe([_f("brand.lookalike_domain", 1.4), _f("brand.misspelt_in_host", 0.9)])
    assert [f.id for f in one_host] == ["brand.lookalike_domain"]


def test_a_decisive_finding_warns_even_below_the_threshold():
    scale = Scale(intercept=-3.0, suspicious=86, phishing=100, decisive=frozenset({"brand.display_name_mismatch"}))
    spoof = [_f("brand.display_name_mismatch", 4.5)]
    assert score(spoof, scale) < 86
    assert level(score(spoof, scale), scale, findings=spoof) == "suspicious"
    other = [_f("link.shortener", 4.5)]
    assert level(score(other, scale), scale, findings=other) == "safe"
