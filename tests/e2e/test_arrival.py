"""Scan on arrival: mail delivered by IMAP is analysed by the real host and
handled per the options (tag, junk, move)."""

import time

from conftest import read_mail
from session import with_message_id
from util import wait_for

SEED = read_mail("kagoya-active-mail.eml")
LEGIT = read_mail("legit-dinner-invitation.eml")


def test_seed_is_tagged_phishing_and_legit_mail_is_left_alone(addon):
    addon.set_options({"phishing.move": "none", "phishing.tag": True})
    addon.dovecot.deliver(with_message_id(SEED, "arrival-seed@e2e.test"))
    addon.dovecot.deliver(with_message_id(LEGIT, "arrival-legit@e2e.test"))

    assert addon.wait_scanned("arrival-seed@e2e.test") == "phishing"
    assert addon.wait_scanned("arrival-legit@e2e.test") == "safe"

    hdrs = wait_for(lambda: (lambda h: h if "tsuribari_phishing" in h.get("arrival-seed@e2e.test", {}).get("keywords", "") else None)(
        addon.folder_headers()), 20, what="phishing tag in Thunderbird")
    assert "tsuribari" not in hdrs["arrival-legit@e2e.test"]["keywords"]
    assert hdrs["arrival-seed@e2e.test"]["junkscore"] == "100", "phishing is marked as junk by default"
    # Thunderbird stores tags as IMAP keywords: the server sees them too.
    flags = wait_for(lambda: (lambda f: f if "tsuribari_phishing" in f.get("arrival-seed@e2e.test", []) else None)(
        addon.dovecot.flags()), 20, what="keyword on the IMAP server")
    assert not any(f.startswith("tsuribari") for f in flags["arrival-legit@e2e.test"])


def test_seed_goes_to_junk_when_that_option_is_on(addon):
    addon.set_options({"phishing.move": "junk"})
    try:
        addon.dovecot.deliver(with_message_id(SEED, "arrival-junk@e2e.test"))
        assert addon.wait_scanned("arrival-junk@e2e.test") == "phishing"
        junk = wait_for(lambda: addon.dovecot.flags("Junk").get("arrival-junk@e2e.test"), 30, what="message in Junk")
        assert "tsuribari_phishing" in junk
        assert "arrival-junk@e2e.test" not in addon.dovecot.flags("INBOX")
    finally:
        addon.set_options({"phishing.move": "none"})


def test_a_burst_of_hundred_messages_is_scanned_without_freezing(addon):
    ids = [f"burst-{i}@e2e.test" for i in range(100)]
    c = addon.dovecot.client()
    try:
        for mid in ids:
            c.append("INBOX", None, None, with_message_id(LEGIT, mid))
    finally:
        c.logout()
    t0 = time.monotonic()
    worst = 0.0
    # While the queue works through them, Thunderbird keeps answering promptly.
    while time.monotonic() - t0 < 180 and not all(mid in addon.scanned() for mid in ids):
        t = time.monotonic()
        addon.tb.js("return about3Pane().gFolder?.URI ?? null;")
        worst = max(worst, time.monotonic() - t)
        time.sleep(0.3)
    took = time.monotonic() - t0
    levels = addon.scanned()
    assert [levels.get(mid) for mid in ids] == ["safe"] * 100
    assert worst < 2.0, f"Thunderbird took {worst:.2f}s to answer during the burst"
    addon.write_timings({"burst_100_scanned_s": round(took, 2), "burst_worst_ui_roundtrip_s": round(worst, 3)})


def test_mail_from_a_trusted_domain_is_analysed_but_not_tagged(addon):
    addon.set_options({"trustedDomains": "example.net\naica-interior.co.jp"})
    try:
        addon.dovecot.deliver(with_message_id(SEED, "trusted@e2e.test"))
        assert addon.wait_scanned("trusted@e2e.test") == "phishing", "the verdict itself is not hidden"
        hdrs = addon.folder_headers()
        assert "tsuribari" not in hdrs["trusted@e2e.test"]["keywords"]
        assert hdrs["trusted@e2e.test"]["junkscore"] != "100"
    finally:
        addon.set_options({"trustedDomains": ""})
