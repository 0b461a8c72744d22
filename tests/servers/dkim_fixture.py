"""A legitimate, DKIM-signed mail written for the tests, signed at fixture time
with a key generated for the test session (no private key is committed).

The message is from legit-shop.jp, whose zone (tests/servers/zones) publishes
the matching public key at s2026._domainkey.legit-shop.jp, an SPF record
authorising 203.0.113.0/28 and a DMARC p=reject record.
"""
from __future__ import annotations

from dataclasses import dataclass

import subprocess

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

DOMAIN = "legit-shop.jp"
SELECTOR = "s2026"
ORIGIN_IP = "203.0.113.5"       # inside the SPF-authorised 203.0.113.0/28
PLACEHOLDER = "@@DKIM_S2026@@"
WEAK_SELECTOR = "weak"
WEAK_PLACEHOLDER = "@@DKIM_WEAK@@"

LEGIT_MAIL = (
    "Return-Path: <info@legit-shop.jp>\r\n"
    "Received: from mail.legit-shop.jp (mail.legit-shop.jp [203.0.113.5])\r\n"
    " by mx01.example-office.jp (Postfix) with ESMTPS id 4TGa1b2C3d for\r\n"
    " <info@example-office.jp>; Wed, 07 Jan 2026 10:00:02 +0900 (JST)\r\n"
    "From: Legit Shop <info@legit-shop.jp>\r\n"
    "To: info@example-office.jp\r\n"
    "Subject: =?UTF-8?B?44GU5rOo5paH44GC44KK44GM44Go44GG44GU44GW44GE44G+44GZ?=\r\n"
    "Date: Wed, 07 Jan 2026 01:00:00 +0000\r\n"
    "Message-ID: <20260107010000.abc123@legit-shop.jp>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "いつもご利用ありがとうございます。\r\n"
    "ご注文の商品を本日発送いたしました。\r\n"
    "お届けは1月9日の予定です。\r\n"
).encode("utf-8")


@dataclass(frozen=True)
class DkimKey:
    private_pem: bytes
    public_der: bytes
    bits: int


def generate_key(bits: int = 2048) -> DkimKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return DkimKey(pem, der, bits)


def generate_weak_key(bits: int = 768) -> DkimKey:
    """A key below RFC 8301's 1024-bit minimum. `cryptography` refuses to
    generate one, so the openssl command line does (Debian's openssl package)."""
    pem = subprocess.run(["openssl", "genrsa", str(bits)], check=True, capture_output=True).stdout
    key = serialization.load_pem_private_key(pem, password=None)
    der = key.public_key().public_bytes(serialization.Encoding.DER,
                                        serialization.PublicFormat.SubjectPublicKeyInfo)
    return DkimKey(pem, der, bits)


def sign(message: bytes, key: DkimKey, canonicalize: tuple[bytes, bytes] = (b"relaxed", b"simple"),
         length: bool = False, selector: str = SELECTOR, domain: str = DOMAIN) -> bytes:
    # minkey=512 so the weak-key fixture can be signed at all
    signer = dkim.DKIM(message, minkey=512)
    header = signer.sign(selector.encode(), domain.encode(), key.private_pem,
                         canonicalize=canonicalize, length=length,
                         include_headers=[b"from", b"to", b"subject", b"date", b"message-id",
                                          b"mime-version", b"content-type"])
    return header + message


def tamper(signed: bytes) -> bytes:
    """The same mail with one word of the body changed (a swapped date)."""
    return signed.replace("1月9日".encode("utf-8"), "1月19日".encode("utf-8"))
