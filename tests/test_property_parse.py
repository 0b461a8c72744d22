"""Issue 6.1/2.: arbitrary bytes and mutated real-shaped mails always give a valid, serialisable result.

Mutations work on the fixtures (seed included) and on small hostile shapes, the
way corruption happens in practice: cut, duplicated, spliced or flipped bytes,
and header/boundary text pasted where it does not belong.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hostile.generate import CASES  # noqa: E402
from hostile.oracle import check_result  # noqa: E402

FIXTURES = sorted((HERE / "fixtures" / "mail").glob("*.eml"))
SMALL_HOSTILE = [c.build(0.001)[:20_000] for c in CASES]
BASES = [p.read_bytes() for p in FIXTURES] + SMALL_HOSTILE
TOKENS = [b"\r\n", b"\n\n", b"\x00", b"\xff", b"\x1b$B", b"\x1b(B", b"=?UTF-8?B?", b"?=", b"=?ISO-2022-JP?Q?=1B",
          b"Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n", b"--b--", b"Content-Transfer-Encoding: base64\n",
          b"Content-Transfer-Encoding: quoted-printable\n", b"=\n", b"=ZZ", b"charset=\"x-unknown\"", b"charset=punycode",
          b"Received: from x ([fe80::1%eth0]) by y;", b"Mon, 1 Jan 0000 00:00:00", b"<a href='http://[::1%25x]/'>",
          b"http://xn--/", b"\xe2\x80\xae", b"From: =?UTF-8?B?PGFAYi5jPg==?= <x@y>\n", b"<" * 50, b"(" * 50, b"\\"]

settings.register_profile("hostile", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("hostile")


@st.composite
def mutated(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(("cut", "delete", "insert", "flip", "duplicate", "token")))
        pos = draw(st.integers(0, len(data)))
        if op == "cut":
            del data[pos:]
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 200))]
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "flip" and data:
            data[min(pos, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "duplicate":
            chunk = bytes(data[pos:pos + draw(st.integers(1, 2000))])
            data[pos:pos] = chunk * draw(st.integers(1, 20))
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(TOKENS)) * draw(st.integers(1, 30))
    return bytes(data)


@pytest.fixture(scope="module")
def analyzer():
    from tsuribari.analyze import Analyzer
    from tsuribari.config import load
    return Analyzer(load(None, {"network": {"enabled": False}}))


@pytest.mark.timeout(300)
@settings(max_examples=300)
@given(raw=st.binary(max_size=4096))
def test_arbitrary_bytes_give_a_result(analyzer, raw):
    check_result(analyzer.analyze(raw))


@pytest.mark.timeout(600)
@settings(max_examples=400)
@given(raw=mutated())
def test_mutated_mails_give_a_result(analyzer, raw):
    check_result(analyzer.analyze(raw, markdown_lang="ja"))


@pytest.mark.timeout(300)
@settings(max_examples=200)
@given(head=st.lists(st.tuples(st.sampled_from(["From", "To", "Reply-To", "Sender", "Return-Path", "Subject",
                                                "Received", "Authentication-Results", "Content-Type", "Date",
                                                "Message-ID", "DKIM-Signature", "Received-SPF"]),
                               st.text(max_size=300)), max_size=12),
       body=st.text(max_size=2000))
def test_arbitrary_header_text_gives_a_result(analyzer, head, body):
    raw = "".join(f"{k}: {v}\r\n" for k, v in head).encode("utf-8", "surrogatepass") + b"\r\n" + body.encode("utf-8", "surrogatepass")
    check_result(analyzer.analyze(raw))
