"""Received lines as real MTAs write them → hops, and the boundary/origin decision."""
from __future__ import annotations

import pytest

from tsuribari.parse.message import parse_mail
from tsuribari.parse.received import parse_received

CASES = [
    ("postfix",
     "from mail.example.net (mail.example.net [203.0.113.5]) by mx.example.jp (Postfix) with ESMTPS id 4ABCD12 "
     "for <u@example.jp>; Tue, 16 Jan 2024 18:42:08 +0900 (JST)",
     {"helo": "mail.example.net", "rdns": "mail.example.net", "ip": "203.0.113.5", "by": "mx.example.jp",
      "protocol": "ESMTPS", "id": "4ABCD12", "timestamp": "2024-01-16T09:42:08+00:00"}),
    ("postfix-unknown",
     "from WIN-3F2K1 (unknown [198.51.100.77]) by smtp.example.org (Postfix) with ESMTP id 9F1; Mon, 1 Apr 2024 10:00:00 +0000",
     {"helo": "WIN-3F2K1", "rdns": "", "ip": "198.51.100.77", "by": "smtp.example.org"}),
    ("exim",
     "from host-203-0-113-9.dyn.example.com ([203.0.113.9] helo=PC01) by mx1.example.co.uk with esmtp (Exim 4.96) "
     "(envelope-from <a@b.example>) id 1rQ8xY-000abc-2Z for c@example.co.uk; Wed, 03 Jan 2024 12:01:02 +0000",
     {"helo": "PC01", "rdns": "host-203-0-113-9.dyn.example.com", "ip": "203.0.113.9", "by": "mx1.example.co.uk",
      "id": "1rQ8xY-000abc-2Z"}),
    ("exim-bare",
     "from [192.0.2.44] (helo=localhost) by mail.example.com with esmtpa (Exim 4.92) id 1a; Thu, 4 Jan 2024 01:02:03 +0100",
     {"helo": "localhost", "ip": "192.0.2.44", "by": "mail.example.com", "timestamp": "2024-01-04T00:02:03+00:00"}),
    ("exchange",
     "from EUR05-AM6-obe.outbound.protection.outlook.com (52.100.174.211) by SN1NAM02FT0.mail.protection.outlook.com "
     "(10.97.4.139) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id "
     "15.20.7181.13 via Frontend Transport; Fri, 5 Jan 2024 03:04:05 +0000",
     {"helo": "EUR05-AM6-obe.outbound.protection.outlook.com", "ip": "52.100.174.211",
      "by": "sn1nam02ft0.mail.protection.outlook.com", "protocol": "Microsoft", "id": "15.20.7181.13"}),
    ("gmail",
     "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id "
     "a640c23a62f3a-a2c1d5e3f4bsor1234567ejc.21.2024.01.06.07.08.09 for <x@gmail.com> (Google Transport Security); "
     "Sat, 06 Jan 2024 07:08:09 -0800 (PST)",
     {"helo": "mail-sor-f41.google.com", "rdns": "mail-sor-f41.google.com", "ip": "209.85.220.41",
      "by": "mx.google.com", "protocol": "SMTPS", "timestamp": "2024-01-06T15:08:09+00:00"}),
    ("qmail",
     "from unknown (HELO smtp.example.biz) (198.51.100.23) by mail.example.com with SMTP; 7 Jan 2024 10:11:12 -0000",
     {"helo": "smtp.example.biz", "ip": "198.51.100.23", "by": "mail.example.com", "protocol": "SMTP"}),
    ("sendmail-ipv6",
     "from mx.example.de (mx.example.de [IPv6:2001:db8:10::25]) by relay.example.jp (8.15.2/8.15.2) with ESMTPS id "
     "40G9g8Zq012345 for <a@example.jp>; Tue, 16 Jan 2024 18:42:08 +0900",
     {"helo": "mx.example.de", "rdns": "mx.example.de", "ip": "2001:db8:10::25", "by": "relay.example.jp",
      "id": "40G9g8Zq012345"}),
    ("japanese-provider",
     "from smtp-o.ocn.ad.jp (p1234-ipngn5601marunouchi.tokyo.ocn.ne.jp [153.200.10.20]) by mfgw.nifty.com "
     "(Postfix) with ESMTP id 4T9Lm; Thu, 11 Jan 2024 09:00:00 +0900 (JST)",
     {"helo": "smtp-o.ocn.ad.jp", "rdns": "p1234-ipngn5601marunouchi.tokyo.ocn.ne.jp", "ip": "153.200.10.20",
      "by": "mfgw.nifty.com", "timestamp": "2024-01-11T00:00:00+00:00"}),
    ("missing-semicolon",
     "from a.example.com (a.example.com [192.0.2.1]) by b.example.com with ESMTP id X1 Mon, 8 Jan 2024 10:00:00 +0000",
     {"ip": "192.0.2.1", "by": "b.example.com", "timestamp": "2024-01-08T10:00:00+00:00"}),
]


@pytest.mark.parametrize("name,line,expected", CASES, ids=[c[0] for c in CASES])
def test_received_shapes(name, line, expected):
    hop = parse_received(line, 0)
    for key, value in expected.items():
        assert getattr(hop, key) == value, f"{name}: {key}"


def test_year_0_and_9999_dates_do_not_break():
    for date in ("Mon, 1 Jan 0000 00:00:00 +0000", "Fri, 31 Dec 9999 23:59:59 -1200", "not a date at all"):
        hop = parse_received(f"from a (a [192.0.2.1]) by b; {date}", 0)
        assert hop.ip == "192.0.2.1"


def _mail(received: list[str], extra: str = "") -> bytes:
    head = "".join(f"Received: {r}\n" for r in received)
    return (head + extra + "From: a@sender.example\nTo: u@example.jp\nSubject: t\n\nbody\n").encode()


def test_boundary_skips_provider_internal_hops_and_delays():
    raw = _mail([
        "from mbox.example.jp (localhost [127.0.0.1]) by mbox.example.jp (Postfix); Tue, 16 Jan 2024 10:00:09 +0000",
        "from mx2.example.jp (mx2.example.jp [133.242.5.2]) by mbox.example.jp (Postfix); Tue, 16 Jan 2024 10:00:05 +0000",
        "from evil.example (vm.cloud.example [45.77.10.66]) by mx2.example.jp (Postfix); Tue, 16 Jan 2024 10:00:00 +0000",
        "from forged.example (forged.example [91.200.12.99]) by evil.example; Tue, 16 Jan 2024 09:00:00 +0000",
    ])
    facts = parse_mail(raw)
    assert facts.boundary_index == 2
    assert facts.origin.ip == "45.77.10.66"
    assert facts.hops[0].internal and facts.hops[1].internal
    assert facts.hops[2].delay_s == 5.0     # 10:00:00 → 10:00:05 at the next hop up
    assert facts.hops[3].delay_s == 3600.0


def test_authentication_results_trusted_only_above_boundary():
    raw = (
        "Authentication-Results: mx.example.jp; spf=fail smtp.mailfrom=bank.example; dmarc=fail header.from=bank.example\n"
        "Received: from x (vm.example [45.77.10.7]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n"
        "Authentication-Results: mx.example.jp; dmarc=pass header.from=bank.example\n"
        "From: Bank <info@bank.example>\nTo: u@example.jp\nSubject: s\n\nb\n").encode()
    facts = parse_mail(raw)
    trusted = [(a.method, a.result) for a in facts.auth if a.trusted]
    forged = [(a.method, a.result) for a in facts.auth if not a.trusted]
    assert ("dmarc", "fail") in trusted and ("spf", "fail") in trusted
    assert forged == [("dmarc", "pass")]


def test_results_trusted_when_the_whole_chain_is_inside_one_provider():
    """Tenant to tenant of one provider: no external hop, but the provider's own results count."""
    raw = (
        "Received: from BOX1.region.prod.mailcloud.example (2a01:111:1:2::13) by BOX0.region.prod.mailcloud.example "
        "with HTTPS; Tue, 16 Jan 2024 10:00:03 +0000\n"
        "Received: from EDGE7.region.prod.mailcloud.example (2a01:111:9:1::5) by box1.region.prod.mailcloud.example "
        "(2a01:111:1:2::13) with SMTP; Tue, 16 Jan 2024 10:00:02 +0000\n"
        "Received: from FRONT3.region.prod.mailcloud.example (2a01:111:9:2::9) by EDGE7.mailcloud-ops.example "
        "(2a01:111:9:1::5) with SMTP; Tue, 16 Jan 2024 10:00:01 +0000\n"
        "Authentication-Results: spf=fail (sender IP is 40.1.2.3) smtp.mailfrom=bank.example; dmarc=fail header.from=bank.example\n"
        "Received: from OUT-12.outbound.mailcloud.example (40.1.2.3) by FRONT3.inbound.mailcloud.example (10.1.1.1) "
        "with SMTP; Tue, 16 Jan 2024 10:00:00 +0000\n"
        "Received: from x (x [10.9.9.9]) by OUT-12.outbound.mailcloud.example; Tue, 16 Jan 2024 09:59:59 +0000\n"
        # What the sender wrote itself sits below the provider's first line: never trusted.
        "Authentication-Results: forged.example; dmarc=pass header.from=bank.example\n"
        "Received: from a (a [10.8.8.8]) by mx.bank.example; Tue, 16 Jan 2024 09:59:58 +0000\n"
        "From: Bank <info@bank.example>\nSubject: s\n\nb\n").encode()
    facts = parse_mail(raw)
    trusted = {(a.method, a.result) for a in facts.auth if a.trusted}
    assert ("dmarc", "fail") in trusted and ("spf", "fail") in trusted
    assert ("dmarc", "pass") not in trusted


def test_usual_clause_regex_cuts_as_clauses_does():
    # The one-regex path for the usual clause order must give _clauses' own answer or none.
    import random
    from tsuribari.parse.received import _USUAL_CLAUSES, _clauses

    keywords = ["from", "by", "with", "id", "for", "via", "FROM", "By", "wİth"]
    words = ["x", "a(b)", "(c d)", "(c by d)", "(by)", "[192.0.2.1]", "helo=x", "İd", "ſ", "for)", "(by",
             "by(x)", "a)", "(a", "((a))", "x(y)z(w)", "(for x) y", "bye", "xfrom", "id"]
    rng = random.Random(7)
    matched = 0
    for _ in range(20000):
        order = ["from", "by", "with", "id", "for", "via"]
        chosen = rng.sample(keywords, rng.randint(1, 5)) if rng.random() < 0.3 else [k for k in order if rng.random() < 0.7]
        parts = []
        for keyword in chosen:
            parts += [keyword] + [rng.choice(words) for _ in range(rng.randint(1, 3))]
        body = " ".join(parts) + (" " if rng.random() < 0.2 else "")
        usual = _USUAL_CLAUSES.match(body)
        if usual:
            matched += 1
            cut = _clauses(" " + body)
            assert tuple(v or "" for v in usual.group(1, 2, 3, 4)) == tuple(cut.get(k, "") for k in ("from", "by", "with", "id")), body
    assert matched > 500
