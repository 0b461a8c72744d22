"""Issue 6.1: every hostile input gets a verdict, in bounded time and memory, with its cuts as facts.

Each case runs in a fresh process (tests/hostile/run_case.py) so its peak RSS is
its own. The 10 s bound here is the "never hangs" line; the speed goal (under
3 s each) is measured by `make hostile-bench`.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile.generate import CASES, build  # noqa: E402

VERDICTS = {"safe", "suspicious", "phishing"}
MAX_SECONDS = 10.0
MAX_RSS_MB = 1024.0


def run_case(name: str) -> dict:
    proc = subprocess.run([sys.executable, str(HERE / "hostile" / "run_case.py"), name],
                          capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0, f"{name} crashed:\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gets_a_verdict_in_bounded_time_and_memory(case):
    r = run_case(case.name)
    assert r["verdict"] in VERDICTS and 0 <= r["score"] <= 100
    assert r["caught_exceptions"] == []     # a part or check that failed inside would be hidden otherwise
    assert r["seconds"] < MAX_SECONDS, f"{case.name}: {r['seconds']} s"
    # Memory grows with the input (the stdlib parser keeps a few copies), never beyond that.
    grown = r["peak_rss_mb"] - r["base_rss_mb"]
    assert grown <= 64 + 12 * r["bytes"] / 2**20, f"{case.name}: +{grown} MB for {r['bytes']} bytes"
    assert r["peak_rss_mb"] <= MAX_RSS_MB
    for phrase in case.expect:
        assert any(phrase.lower() in cut.lower() for cut in r["limits_hit"]), (phrase, r["limits_hit"])


# --- what an analyst would check on the result, not just "it did not crash" ---------------

@pytest.fixture(scope="module")
def analyze():
    from tsuribari.analyze import Analyzer
    from tsuribari.config import load
    return Analyzer(load(None, {"network": {"enabled": False}})).analyze


@pytest.mark.timeout(60)
def test_big_attachment_is_listed_whole_with_its_real_type(analyze):
    att = analyze(build("big_attachment"))["facts"]["attachments"]
    assert [(a["filename"], a["size"]) for a in att] == [("a.pdf.exe", 25 * 1024 * 1024)]


@pytest.mark.timeout(60)
def test_deep_nesting_keeps_sender_and_says_what_was_lost(analyze):
    for name in ("deep_multipart", "very_deep_multipart"):
        r = analyze(build(name))
        assert r["facts"]["sender"]["from"]["address"] == "support@example.jp", name
        assert any("nesting" in cut for cut in r["facts"]["limits_hit"]), name


@pytest.mark.timeout(60)
def test_caps_keep_the_first_items(analyze):
    r = analyze(build("received_chain"))
    hops = r["facts"]["hops"]
    assert len(hops) == 100 and hops[0]["by"] == "mx0.example"   # newest first, the rest cut
    r = analyze(build("many_links_text"))
    links = r["facts"]["links"]
    assert len(links) == 2000 and links[0]["host"] == "l0.example"


@pytest.mark.timeout(60)
def test_encoded_word_cannot_forge_the_sender_address(analyze):
    # The display name decodes to "support@amazon.co.jp <x>"; the mail is from attacker.example.
    r = analyze(build("encoded_words_in_addresses"))
    sender = r["facts"]["sender"]
    assert sender["from"]["address"] == "evil@attacker.example"
    assert sender["from"]["display"] == "support@amazon.co.jp <x>"
    # The trick itself is named; how much it weighs is the calibration's business.
    assert r["verdict"] != "safe"
    assert "sender.display_name_other_address" in {f["id"] for f in r["findings"]}
    assert [a["address"] for a in sender["reply_to"]] == ["x@y.example", ""]


@pytest.mark.timeout(60)
def test_ip_hosts_in_every_disguise_are_ip_literals(analyze):
    links = {l["url"]: l for l in analyze(build("ipv6_links", 0.1))["facts"]["links"]}
    for url, host in (("http://[::1]/", "::1"), ("http://[fe80::1%25eth0]/login", "fe80::1"),
                      ("http://[2001:db8::1]:8080/", "2001:db8::1"), ("http://0x7f000001/", "127.0.0.1"),
                      ("http://2130706433/", "127.0.0.1"), ("http://017700000001/", "127.0.0.1")):
        assert links[url]["is_ip"] and links[url]["host"] == host, url


@pytest.mark.timeout(60)
def test_extreme_dates_give_no_timestamp_or_a_real_one(analyze):
    hops = analyze(build("extreme_dates"))["facts"]["hops"]
    assert [h["ip"] for h in hops] == ["198.51.100.1", "198.51.100.2", "198.51.100.3"]
    for hop in hops:
        assert hop["timestamp"] == "" or hop["timestamp"][:4].isdigit()


@pytest.mark.timeout(60)
def test_raw_utf8_next_to_encoded_word_is_not_escaped(analyze):
    sender = analyze(build("bad_idn", 0.1))["facts"]["sender"]
    assert sender["from"]["display"] == "カゴヤ"
    assert "\\u" not in sender["from"]["address"] and sender["from"]["address"].endswith("ドメイン")


@pytest.mark.timeout(60)
def test_lying_charset_still_reads_the_japanese(analyze):
    # Labelled ISO-2022-JP, sent as Shift_JIS: the threat is still read as a threat.
    r = analyze(build("lying_charset", 0.01))
    assert "wording.account_threat" in {f["id"] for f in r["findings"]}


@pytest.mark.timeout(120)
def test_reports_carry_no_raw_control_or_bidi_characters(analyze):
    # A terminal escape or an RTL override from the mail must not reach the analyst's screen raw.
    import re
    from tsuribari.render.text import render_text
    raw_controls = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
    for case in CASES:
        result = analyze(case.build(0.01), markdown_lang="en")
        for kind, out in (("text", render_text(result, "en", colour=False)), ("markdown", result["markdown"])):
            found = sorted({hex(ord(ch)) for ch in raw_controls.findall(out)})
            assert not found, (case.name, kind, found)
