"""checks/brand_unsigned.py and checks/subject_token.py."""
from __future__ import annotations

from checkkit import findings, mail

SIGNED_AMAZON = ("DKIM-Signature: v=1; a=rsa-sha256; d=amazon.co.jp; s=sel; h=from; bh=x; b=y\n")


def unsigned(headers: str) -> dict:
    got = findings(mail(headers))
    return got["sender.brand_domain_unsigned"].evidence if "sender.brand_domain_unsigned" in got else {}


def test_brand_domain_without_its_signature():
    ev = unsigned("From: Amazon <account-update@amazon.co.jp>\nTo: me@example.jp\nSubject: hi")
    assert ev == {"domain": "amazon.co.jp", "brand": "amazon", "signatures": []}
    # A stranger's signature does not speak for the brand; it is listed as evidence.
    ev = unsigned("DKIM-Signature: v=1; d=bulk.example; s=s; b=y\n"
                  "From: Amazon <info@amazon.co.jp>\nTo: me@example.jp\nSubject: hi")
    assert ev["signatures"] == ["bulk.example"]


def test_brand_mail_that_is_signed_or_proven_passes():
    assert not unsigned(SIGNED_AMAZON + "From: Amazon <info@amazon.co.jp>\nTo: me@example.jp\nSubject: hi")
    # Signed by the brand's declared mail service.
    assert not unsigned("DKIM-Signature: v=1; d=amazonses.com; s=s; b=y\n"
                        "From: Amazon <info@amazon.co.jp>\nTo: me@example.jp\nSubject: hi")


def test_bounces_colleagues_and_strangers_are_not_judged():
    assert not unsigned("From: Mail Delivery System <MAILER-DAEMON@amazon.co.jp>\nTo: me@example.jp\nSubject: x")
    assert not unsigned("From: Taro <taro@amazon.co.jp>\nTo: hanako@amazon.co.jp\nSubject: lunch")
    assert not unsigned("From: Shop <info@shop.example.jp>\nTo: me@example.jp\nSubject: hi")
    assert not unsigned("From: Me <someone@gmail.com>\nTo: me@example.jp\nSubject: hi")


def token(subject: str) -> str:
    got = findings(mail(f"From: a@shop.example\nTo: me@example.jp\nSubject: {subject}"))
    return got["text.subject_random_token"].evidence["token"] if "text.subject_random_token" in got else ""


def test_machine_made_subject_tokens():
    assert token("ENC: Resgate Pendente-KyUc64SxDq") == "KyUc64SxDq"
    assert token("Notificacao de Credito-HDvRHTDRqwS7abE") == "HDvRHTDRqwS7abE"
    assert token("Paid, order D1wj94XIJM997c8e0g received") == "D1wj94XIJM997c8e0g"


def test_words_order_numbers_and_product_names_pass():
    for subject in ("Your order #5746259 has shipped", "iPhone15Pro and MacBookPro16 in stock",
                    "Ticket ABC-12345: printer", "【重要】ご利用確認のお願い", "Invoice INV2024A1 attached",
                    "Re: 3Q results for FY2025"):
        assert token(subject) == "", subject
