"""URL-shape, obfuscation and forwarding checks added for issue 5 (evaluation)."""
from __future__ import annotations

from checkkit import findings, mail

from tsuribari.checks.url_shape import embedded_domain, random_label
from tsuribari.letter_model import pronounceability

FROM = "From: Shop <info@shop.example>\nTo: me@example.jp\nSubject: s"


def _html(*urls: str) -> str:
    return "".join(f'<a href="{u}">here</a> ' for u in urls)


def test_machine_made_names_and_ordinary_ones():
    for name in ("7z2o4995", "ljfkbawc", "sxdsqqjy", "wtvtjmmxcunfql"):
        assert random_label(name), name
    for name in ("pricegrabber", "kuronekoyamato", "mizuhobank", "pcworld", "sourceforge", "amazon"):
        assert not random_label(name), name
    assert random_label("tpwbqnlhxdnctxw", strict=True)
    assert not random_label("a1b2c3d4e5f6", strict=True)             # hex ids never count in subdomains
    assert pronounceability("abc") is None                            # too short to judge


def test_domain_worn_as_prefix():
    assert embedded_domain("eposcard.co.jp.epsoc.ql4ok5k1.cn", "ql4ok5k1.cn") == "eposcard.co.jp"
    assert embedded_domain("paypal.com.secure-login.example", "secure-login.example") == "paypal.com"
    assert embedded_domain("www.shop.example", "shop.example") == ""
    assert embedded_domain("jp.news.example", "news.example") == ""


def test_hosting_kinds_fire_and_the_senders_own_domain_does_not():
    body = _html("https://abc.duckdns.org/login", "https://x.y.workers.dev/", "https://shop.top/a",
                 "https://shop.example/own-page")
    got = findings(mail(FROM, body, "text/html"))
    assert got["url.dynamic_dns"].evidence["links"][0]["provider"] == "duckdns.org"
    assert got["url.free_hosting"].evidence["links"][0]["platform"] == "workers.dev"
    assert got["url.abused_tld"].evidence["links"][0]["tld"] == "top"
    hosts = {l["host"] for f in got.values() for l in f.evidence.get("links", []) if isinstance(l, dict)}
    assert "shop.example" not in hosts


def test_file_downloads_on_storage_are_not_pages():
    body = _html("https://storage.googleapis.com/bucket/disk-1.raw.xz")
    assert "url.free_hosting" not in findings(mail(FROM, body, "text/html"))
    body = _html("https://storage.googleapis.com/bucket/login.html", "https://s3.us-east-2.amazonaws.com/b/v.html")
    assert findings(mail(FROM, body, "text/html"))["url.free_hosting"]


def test_brand_domain_in_front_of_another():
    body = _html("https://www.smbc-card.com.secure-check.example/login")
    got = findings(mail(FROM, body, "text/html"))
    assert got["url.domain_prefix"].evidence["links"][0]["brand"] == "smbc_card"


def test_invisible_characters_and_styled_letters():
    body = "メ\u2064ル\u200bカ\u2060リ の ア\u200bカウント"
    assert findings(mail(FROM, body))["text.invisible_characters"].evidence["count"] >= 3
    styled = "From: x <a@shop.example>\nSubject: =?UTF-8?B?" + \
        __import__("base64").b64encode("𝐔𝐫𝐠𝐞𝐧𝐭 𝐧𝐨𝐭𝐢𝐜𝐞".encode()).decode() + "?="
    assert findings(mail(styled))["text.styled_letters"].evidence["where"] == "subject"
    assert "text.invisible_characters" not in findings(mail(FROM, "👨\u200d👩\u200d👧 family"))   # ZWJ emoji


def test_forwarding_explains_spf_failure_but_not_dmarc():
    hops = ("Authentication-Results: mx.provider.example; spf=fail smtp.mailfrom=bounce.sender.example; "
            "dkim=fail header.d=sender.example; dmarc=fail header.from=sender.example\n"
            "Received: from relay.home.example (relay.home.example [45.77.10.9]) by mx.provider.example; "
            "Tue, 16 Jan 2024 10:00:01 +0000\n"
            "Received: from out.sender.example (out.sender.example [45.77.10.7]) by relay.home.example; "
            "Tue, 16 Jan 2024 10:00:00 +0000\n")
    got = findings(mail(hops + "From: a@sender.example\nSubject: s"))
    assert "auth.header_spf_fail" not in got and "auth.header_dkim_fail" not in got
    assert "auth.header_dmarc_fail" in got
    direct = ("Authentication-Results: mx.provider.example; spf=fail smtp.mailfrom=sender.example\n"
              "Received: from vm.cloud.example (vm.cloud.example [45.77.10.9]) by mx.provider.example; "
              "Tue, 16 Jan 2024 10:00:01 +0000\n")
    assert "auth.header_spf_fail" in findings(mail(direct + "From: a@sender.example\nSubject: s"))


def test_machine_made_attachment_names():
    from tsuribari.checks.obfuscation import random_token
    assert random_token("tU6zlTWjXr.pdf") == "tU6zlTWjXr"
    for name in ("Invoice_2024_03.pdf", "IMG_1234.jpg", "3f2a9c1e4b.pdf", "MeetingNotesQ3.docx", "JohnSmithCV.pdf"):
        assert random_token(name) == "", name


def test_brand_in_the_mailbox_name():
    got = findings(mail("From: Order <support-amazon.jp@shop-mail.example>\nSubject: s"))
    assert got["sender.brand_mailbox"].evidence["brand"] == "amazon"
    got = findings(mail("From: x <amazom@security.example>\nSubject: Amazon.co.jpでのご注文の確認"))
    assert got["sender.brand_mailbox"].evidence["how"] == "one letter changed"
    assert "sender.brand_mailbox" not in findings(mail("From: x <amazom@security.example>\nSubject: hello"))
    assert "sender.brand_mailbox" not in findings(mail("From: x <amazon@amazon.co.jp>\nSubject: s"))
