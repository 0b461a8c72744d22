"""Brand impersonation and sender-identity checks, each shown firing and not firing."""
from __future__ import annotations

from checkkit import findings, mail

RECEIVED = ("Received: from mta.example (mta.example [45.77.10.5]) by mx.example.jp (Postfix); "
            "Tue, 16 Jan 2024 10:00:00 +0000\n")


def test_display_name_brand_from_unrelated_domain():
    got = findings(mail("From: Kagoya Active! Mail <postmaster@aica-interior.co.jp>\nTo: u@example.jp\nSubject: x"))
    f = got["brand.display_name_mismatch"]
    assert f.evidence["sender_domain"] == "aica-interior.co.jp"
    assert f.evidence["brand"] == "kagoya"
    assert "aica-interior.co.jp" in f.title["en"] and "aica-interior.co.jp" in f.title["ja"]
    assert "kagoya.jp" in f.explanation["en"]


def test_brand_own_domain_and_declared_mail_service_pass():
    assert "brand.display_name_mismatch" not in findings(mail("From: Kagoya <info@support.kagoya.jp>\nSubject: x"))
    assert "brand.display_name_mismatch" not in findings(mail("From: Amazon.co.jp <ship-confirm@amazon.co.jp>\nSubject: x"))
    # A mail service the brand uses sends for anyone else too: it is not the brand's own address.
    assert "brand.display_name_mismatch" in findings(mail("From: Amazon <bounce@amazonses.com>\nSubject: x"))


def test_strict_short_name_needs_exact_token():
    assert "brand.display_name_mismatch" in findings(mail("From: au お客様センター <a@mail-au-id.example>\nSubject: x"))
    # 'au' inside another word or lower-case prose is not the brand
    assert "brand.display_name_mismatch" not in findings(mail("From: Paul Aubert <p@aubert.example>\nSubject: x"))
    assert "brand.display_name_mismatch" not in findings(mail("From: x <a@b.example>\nSubject: x", "beau au revoir"))


def test_brand_in_body_only():
    got = findings(mail("From: Support <info@random-shop.example>\nSubject: お知らせ", "三井住友カードをご利用いただき…"))
    assert got["brand.content_mismatch"].evidence["brand"] == "smbc_card"


def test_brand_only_in_path_of_unrelated_domain():
    got = findings(mail("From: a@b.example\nSubject: x", "http://sgogoj.com/kagoya/activemail.kagoya?login=u@example.jp"))
    f = got["brand.link_outside_domain"]
    assert f.evidence["links"][0]["registrable"] == "sgogoj.com"
    assert "sgogoj.com" in f.title["en"]
    ok = findings(mail("From: a@b.example\nSubject: x", "https://www.kagoya.jp/kagoya/help"))
    assert "brand.link_outside_domain" not in ok


def test_lookalike_domains():
    for url, how in (("http://xn--mazon-3ve.com/x", "homoglyph"), ("http://amazon-verify-account.com/", "brand name plus other words"),
                     ("http://smbc-card.xyz/", "same name, other top-level domain"), ("http://smbc-cadr.com/", "one letter changed")):
        got = findings(mail("From: a@b.example\nSubject: x", f"see {url}"))
        assert got["brand.lookalike_domain"].evidence["technique"] == how, url
    assert "brand.lookalike_domain" not in findings(mail("From: a@b.example\nSubject: x", "http://pineapple.example/amazonia"))


def test_reply_to_and_return_path_and_message_id():
    got = findings(mail("From: Shop <info@shop.example>\nReply-To: refund.desk@gmail.com\n"
                        "Return-Path: <bounce@other.example>\nMessage-ID: <1@Praisemmm>\nSubject: x"))
    assert got["sender.reply_to_freemail"].evidence["reply_to"] == "refund.desk@gmail.com"
    assert got["sender.return_path_mismatch"].evidence["return_path"] == "bounce@other.example"
    assert got["sender.message_id_bare_host"].evidence["message_id"] == "<1@Praisemmm>"
    clean = findings(mail("From: Shop <info@shop.example>\nReply-To: help@shop.example\n"
                          "Return-Path: <b@mail.shop.example>\nMessage-ID: <1@mail.shop.example>\nSubject: x"))
    assert not {"sender.reply_to_mismatch", "sender.reply_to_freemail", "sender.return_path_mismatch",
                "sender.message_id_bare_host"} & set(clean)


def test_display_name_shows_another_address():
    got = findings(mail('From: "support@amazon.co.jp" <x@evil.example>\nSubject: x'))
    assert got["sender.display_name_other_address"].evidence["shown_domain"] == "amazon.co.jp"


def test_user_trusted_domain_is_a_negative_finding():
    got = findings(mail("From: a@partner.example\nSubject: x"), trusted=frozenset({"partner.example"}))
    assert got["sender.user_trusted"].weight < 0
