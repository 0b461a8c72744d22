"""Issue 2's acceptance: the seed sample, offline, through the real CLI."""
from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, SEED


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tsuribari", *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT)


def test_seed_is_phishing_with_the_analysts_evidence():
    proc = _run("analyze", str(SEED), "--offline", "--json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["verdict"] == "phishing"
    assert result["lookups"] == []
    found = {f["id"]: f for f in result["findings"]}

    brand = found["brand.display_name_mismatch"]
    assert brand["evidence"]["sender_domain"] == "aica-interior.co.jp"
    assert brand["evidence"]["brand"] == "kagoya"

    cloud = found["route.origin_cloud"]
    assert cloud["evidence"]["ip"] == "74.226.196.215"
    assert cloud["evidence"]["rdns"].endswith("cloudapp.azure.com")
    assert "Microsoft" in cloud["evidence"]["org"] and cloud["evidence"]["country"] == "JP"

    path = found["brand.link_outside_domain"]
    assert path["evidence"]["links"][0]["registrable"] == "sgogoj.com"
    assert found["link.recipient_in_url"]["evidence"]["recipient"] == "info@example-office.jp"
    assert "削除されます" in " ".join(found["wording.account_threat"]["evidence"]["phrases"])

    for f in result["findings"]:
        assert f["title"]["ja"] and f["title"]["en"] and f["explanation"]["ja"] and f["explanation"]["en"]
    assert "aica-interior.co.jp" in result["summary"]["en"] and "aica-interior.co.jp" in result["summary"]["ja"]
    origin = result["facts"]["hops"][result["facts"]["origin_index"]]
    assert (origin["asn"], origin["country"]) == (8075, "JP")


def test_markdown_report_is_defanged():
    proc = _run("analyze", str(SEED), "--offline", "--markdown", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    assert "hxxp://sgogoj[.]com/kagoya/activemail.kagoya" in proc.stdout
    assert "http://sgogoj.com" not in proc.stdout
    assert "| 1 ← origin |" in proc.stdout


def test_text_report_in_both_languages():
    ja = _run("analyze", str(SEED), "--offline", "--lang", "ja").stdout
    en = _run("analyze", str(SEED), "--offline", "--lang", "en").stdout
    assert ja.startswith("フィッシング") and en.startswith("PHISHING")


def test_unreadable_file_is_a_clear_error():
    proc = _run("analyze", "/nonexistent/mail.eml", "--offline")
    assert proc.returncode == 2 and "cannot read" in proc.stderr
