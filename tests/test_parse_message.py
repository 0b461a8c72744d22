"""Parsing what Thunderbird hands over: Japanese charsets, MIME shapes, bookkeeping lines."""
from __future__ import annotations

import base64
import quopri

from tsuribari.parse.message import parse_mail

BODY_JA = "お客様のアカウントは24時間以内に停止されます。"


def _simple(body: bytes, charset: str, cte: str = "8bit", extra_headers: str = "") -> bytes:
    return (f"From: Sender <a@shop.example.jp>\nTo: u@example.jp\nSubject: t\n{extra_headers}"
            f"MIME-Version: 1.0\nContent-Type: text/plain; charset={charset}\n"
            f"Content-Transfer-Encoding: {cte}\n\n").encode() + body


def test_iso_2022_jp_body_and_encoded_subject():
    raw = (b"From: =?ISO-2022-JP?B?GyRCJSslNCVkGyhC?= <a@x.example.jp>\nTo: u@example.jp\n"
           b"Subject: =?iso-2022-jp?B?GyRCJSIlKyUmJXMlSBsoQg==?=\nContent-Type: text/plain; charset=ISO-2022-JP\n\n"
           + BODY_JA.encode("iso2022_jp"))
    facts = parse_mail(raw)
    assert facts.sender.from_.display == "カゴヤ"
    assert facts.sender.subject == "アカウント"
    assert BODY_JA in facts.text


def test_shift_jis_labelled_as_iso_2022_jp_is_still_read():
    facts = parse_mail(_simple(BODY_JA.encode("cp932"), "iso-2022-jp"))
    assert BODY_JA in facts.text


def test_cp932_extensions_under_shift_jis_label():
    text = "①番の請求書（株）"
    facts = parse_mail(_simple(text.encode("cp932"), "shift_jis"))
    assert text in facts.text


def test_euc_jp_base64_and_qp():
    b64 = base64.encodebytes(BODY_JA.encode("euc_jp"))
    assert BODY_JA in parse_mail(_simple(b64, "euc-jp", "base64")).text
    qp = quopri.encodestring(BODY_JA.encode("utf-8"))
    assert BODY_JA in parse_mail(_simple(qp, "utf-8", "quoted-printable")).text


def test_raw_8bit_shift_jis_header():
    raw = "From: 楽天カード <info@evil.example>\nSubject: 重要なお知らせ\n\nx".encode("cp932")
    facts = parse_mail(raw)
    assert facts.sender.from_.display == "楽天カード"
    assert facts.sender.subject == "重要なお知らせ"


def test_thunderbird_lines_stripped_and_mixed_newlines():
    raw = (b"X-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\nX-Mozilla-Keys:                \r\n"
           b"X-Account-Key: account2\r\nX-UIDL: 1234\r\nFrom: a@b.example\r\nSubject: s\n"
           b"Content-Type: text/plain\r\n\r\nhello http://a.example/x\n")
    facts = parse_mail(raw)
    assert facts.sender.from_.address == "a@b.example"
    assert facts.sender.subject == "s"
    assert [l.host for l in facts.links] == ["a.example"]


def test_nested_multipart_html_only_with_links_and_attachment():
    html = ('<html><body><p>Log in <a href="https://evil.example.com/login">https://www.amazon.co.jp/</a></p>'
            '<form action="https://collect.example.net/p"><input type="password"></form>'
            '<script>alert(1)</script></body></html>')
    att = base64.encodebytes(b"MZ\x90\x00fake exe").decode()
    raw = ("From: a@b.example\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=OUT\n\n"
           "--OUT\nContent-Type: multipart/alternative; boundary=IN\n\n"
           "--IN\nContent-Type: text/html; charset=utf-8\n\n" + html + "\n--IN--\n"
           "--OUT\nContent-Type: application/pdf; name=\"invoice.pdf.exe\"\nContent-Transfer-Encoding: base64\n"
           "Content-Disposition: attachment; filename=\"invoice.pdf.exe\"\n\n" + att + "--OUT--\n").encode()
    facts = parse_mail(raw)
    assert facts.html_present
    a = [l for l in facts.links if l.source == "html-a"][0]
    assert (a.host, a.text) == ("evil.example.com", "https://www.amazon.co.jp/")
    assert any(l.source == "html-form" and l.host == "collect.example.net" for l in facts.links)
    assert "alert(1)" not in facts.text and "Log in" in facts.text
    (attachment,) = facts.attachments
    assert attachment.filename == "invoice.pdf.exe"
    assert attachment.declared_type == "application/pdf"
    assert attachment.sniffed_type == "application/x-msdownload"


def test_idn_and_numeric_hosts():
    raw = _simple("see http://xn--mazon-3ve.com/a and http://3232235777/x and https://例え.jp/".encode(), "utf-8")
    facts = parse_mail(raw)
    hosts = {l.host: l for l in facts.links}
    assert hosts["xn--mazon-3ve.com"].host_unicode == "аmazon.com"
    assert hosts["192.168.1.1"].is_ip
    assert "xn--r8jz45g.jp" in hosts


def test_broken_part_becomes_a_fact_not_a_crash():
    raw = ("From: a@b.example\nContent-Type: multipart/mixed; boundary=B\n\n--B\n"
           "Content-Type: text/plain; charset=x-no-such-charset\nContent-Transfer-Encoding: base64\n\n"
           "!!!not base64!!!\n").encode()
    facts = parse_mail(raw)
    assert facts.sender.from_.address == "a@b.example"


def test_returned_message_of_a_report_is_set_aside():
    from checkkit import findings
    returned = ("From: Support <a@spam.example>\nSubject: verify\n\n"
                "Your account will be suspended. Verify your account now: https://login.spam.example/x\n")
    raw = ("From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: me@example.jp\n"
           "Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n"
           'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
           "--b\nContent-Type: text/plain\n\nThis is the mail system. Your message could not be delivered.\n"
           "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
           "Final-Recipient: rfc822; x@example.net\nAction: failed\nStatus: 5.1.1\n"
           f"--b\nContent-Type: message/rfc822\n\n{returned}--b--\n").encode()
    facts = parse_mail(raw)
    assert facts.returned_message
    assert "could not be delivered" in facts.text and "suspended" not in facts.text
    assert [l.host for l in facts.links] == ["login.spam.example"]     # its links are still checked
    # The same words outside a report are the mail's own.
    plain = raw.replace(b"multipart/report", b"multipart/mixed")
    assert "suspended" in parse_mail(plain).text
    assert not parse_mail(plain).returned_message
    assert "wording.account_threat" in findings(plain) and "wording.account_threat" not in findings(raw)


def test_cached_part_parameters_match_the_stdlib():
    """_filename_of/_charset_of (cached per header value) give what the part's own calls give."""
    import email
    from email import policy
    from tsuribari.parse.message import _charset_of, _filename, _filename_of, _part_headers
    heads = [
        "Content-Type: text/plain; charset=\"UTF-8\"\n",
        "Content-Type: text/plain; charset*=utf-8''ISO-2022-JP\n",
        "Content-Type: application/pdf; name=\"=?UTF-8?B?5aWR57SE5pu4LnBkZg==?=\"\n",
        "Content-Type: application/pdf; name*0=\"a\"; name*1=\"b.pdf\"\n",
        "Content-Type: text/html; charset=\u00e9\n",
        "Content-Disposition: attachment; filename=\"\"\nContent-Type: text/plain; name=x.txt\n",
        "Content-Disposition: inline; filename*=utf-8''%E8%AB%8B%E6%B1%82.html\n",
        "Content-Disposition: attachment\n",
        "",
    ]
    for head in heads:
        part = email.message_from_string(head + "\nbody\n", policy=policy.compat32)
        values = _part_headers(part)
        assert values is not None
        assert _filename_of(*values) == _filename(part)
        assert _charset_of(values[1]) == part.get_content_charset()


def test_one_mailbox_regex_reads_as_the_piecewise_walk():
    import random
    from tsuribari.parse.headers import _one_mailbox, _simple_pairs

    rng = random.Random(2)
    pieces = list(' "<>@.,:;()[]\\\r\taZ\u3000é') + ["a@b.c", '"N"', "<x@y.z>", "Name ", "\u3000"]
    matched = 0
    for _ in range(60000):
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        pairs = _one_mailbox(value)
        if pairs is not None:
            matched += 1
            assert pairs == _simple_pairs(value), value
    assert matched > 500
