"""Generate the hostile corpus: mails built to break, stall or bloat the parser.

Used by tests/test_hostile.py (in-process, full size), the fuzz target (scaled
down as seeds) and by hand:

    python tests/hostile/generate.py OUTDIR [--small]

Every case is a function of `scale` (1.0 = the size named in issue 6) so the
same shapes can seed the fuzzer without 25 MB inputs. `expect` names a phrase
that must appear in facts.limits_hit when the case is run at full size: a cut
that happens silently is a bug.
"""
from __future__ import annotations

import base64
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "kagoya-active-mail.eml"

HEAD = (b"From: =?UTF-8?B?44Kr44K044Ok?= <support@example.jp>\r\n"
        b"To: user@example.org\r\nSubject: test\r\n"
        b"Date: Mon, 1 Jan 2024 00:00:00 +0900\r\nMessage-ID: <a@example.jp>\r\n")


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[float], bytes]
    expect: tuple[str, ...] = ()      # phrases expected in limits_hit at scale 1.0


def _n(count: int, scale: float, floor: int = 2) -> int:
    return max(floor, int(count * scale))


def _mime(body: bytes, ctype: bytes = b"text/plain; charset=utf-8", extra: bytes = b"") -> bytes:
    return HEAD + b"MIME-Version: 1.0\r\nContent-Type: " + ctype + b"\r\n" + extra + b"\r\n" + body


def seed() -> bytes:
    return SEED.read_bytes()


# --- shapes -------------------------------------------------------------------------------

def truncated(scale: float) -> bytes:
    raw = seed()
    return raw[: len(raw) // 3]          # cut inside a header or base64 body


def truncated_in_header(scale: float) -> bytes:
    return b"From: a@b.example\r\nSubject: =?ISO-2022-JP?B?GyRCJUslQCE="   # cut mid encoded-word


def nul_everywhere(scale: float) -> bytes:
    raw = seed()
    step = max(7, len(raw) // _n(500, scale))
    return b"".join(raw[i:i + step] + b"\x00" for i in range(0, len(raw), step))


def invalid_utf8(scale: float) -> bytes:
    junk = b"\xff\xfe\xc0\xaf\xed\xa0\x80\xf8\x88\x80\x80\x80"
    return (b"From: \xff\xfe <a\xc0@b\xed\xa0\x80.example>\r\nSubject: \xf8\x88\x80 " + junk + b"\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + junk * _n(10_000, scale))


def many_headers(scale: float) -> bytes:
    lines = b"".join(b"X-H%d: v\r\n" % i for i in range(_n(10_000, scale)))
    return HEAD + lines + b"\r\nbody\r\n"


def huge_header_line(scale: float) -> bytes:
    return HEAD.replace(b"Subject: test", b"Subject: " + b"A" * _n(1_000_000, scale)) + b"\r\nbody\r\n"


def huge_folded_header(scale: float) -> bytes:
    fold = b"".join(b"\r\n =?UTF-8?B?44GC?=" for _ in range(_n(50_000, scale)))
    return HEAD.replace(b"Subject: test", b"Subject: x" + fold) + b"\r\nbody\r\n"


def deep_multipart(scale: float, depth: int = 500) -> bytes:
    depth = _n(depth, scale)
    out = [HEAD, b"MIME-Version: 1.0\r\n"]
    for i in range(depth):
        out.append(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i))
    out.append(b"Content-Type: text/plain\r\n\r\nhttp://deep.example/\r\n")
    for i in reversed(range(depth)):
        out.append(b"--b%d--\r\n" % i)
    return b"".join(out)


def very_deep_multipart(scale: float) -> bytes:
    return deep_multipart(scale, 5000)


def many_parts(scale: float) -> bytes:
    parts = b"".join(b"--B\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(_n(5000, scale)))
    return _mime(parts + b"--B--\r\n", b'multipart/mixed; boundary="B"')


def unclosed_boundary(scale: float) -> bytes:
    body = b"--B\r\nContent-Type: text/html\r\n\r\n<a href='http://x.example/'>x</a>\r\n" + b"line\r\n" * _n(20_000, scale)
    return _mime(body, b'multipart/alternative; boundary="B"')


def boundary_is_prefix(scale: float) -> bytes:
    # Every body line starts with the boundary string but is not a delimiter.
    body = b"--B\r\n\r\n" + b"--BB not a delimiter\r\n" * _n(20_000, scale) + b"--B--\r\n"
    return _mime(body, b'multipart/mixed; boundary="B"')


def bad_base64(scale: float) -> bytes:
    body = b"!!!!====****\r\nQUJD\x00RA==\r\n====\r\n" * _n(5000, scale) + b"QUJDRA"
    return _mime(body, b"text/plain; charset=utf-8", b"Content-Transfer-Encoding: base64\r\n")


def bad_qp(scale: float) -> bytes:
    body = b"=ZZ=\r\n=\r\n=E3=8=\r\n=" * _n(10_000, scale) + b"=E3=81"
    return _mime(body, b"text/plain; charset=utf-8", b"Content-Transfer-Encoding: quoted-printable\r\n")


def unknown_charset(scale: float) -> bytes:
    return _mime("日本語 http://a.example/".encode("utf-8") * _n(1000, scale), b"text/plain; charset=x-klingon-9")


def lying_charset(scale: float) -> bytes:
    # Declared ISO-2022-JP, sent as Shift_JIS with a UTF-16 BOM in front.
    body = b"\xff\xfe" + "アカウントが停止されます http://b.example/".encode("cp932") * _n(1000, scale)
    return _mime(body, b"text/plain; charset=iso-2022-jp")


def charset_codec_trap(scale: float) -> bytes:
    # Labels that name Python codecs which are not text encodings.
    out = []
    for label in (b"rot13", b"zlib", b"base64_codec", b"hex", b"uu", b"idna", b"punycode", b"utf-7", b"utf-16", b"mbcs"):
        out.append(b'--B\r\nContent-Type: text/plain; charset="' + label + b'"\r\n\r\nhttp://c.example/ body\r\n')
    subject = b"Subject: =?rot13?Q?uryyb?= =?zlib?B?eJzLSM3JyQcABiwCFQ==?= =?hex?Q?41?=\r\n"
    return HEAD.replace(b"Subject: test\r\n", subject) + b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n' + b"".join(out) + b"--B--\r\n"


def punycode_charset(scale: float) -> bytes:
    # Python's punycode codec is quadratic: a label must not pick it (5 MB took ~20 min).
    return _mime(b"abc-" + b"a" * _n(5_000_000, scale), b"text/plain; charset=punycode")


def nul_in_labels(scale: float) -> bytes:
    # A NUL inside a charset label once made codecs.lookup raise and the whole body was skipped.
    part = b'--B\r\nContent-Type: text/plain; charset="utf-8\x00"\r\n\r\nhttp://nul.example/login\r\n'
    subject = b"Subject: =?utf-8\x00?B?44GC?= =?\x00?Q?x?=\r\n"
    return (HEAD.replace(b"Subject: test\r\n", subject) + b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B\x00"\r\n\r\n'
            + part.replace(b"--B", b"--B\x00") * _n(10, scale) + b"--B\x00--\r\n")


def broken_iso2022(scale: float) -> bytes:
    body = (b"\x1b$B$3$s$K$A$O\x1b(" + b"\x1b$" + b"\x1b$B\x7f\x7f" + b"\x1b(J\x0e\x0f\x1b$(D") * _n(5000, scale)
    subj = b"Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLGyhCGyQ=?= =?ISO-2022-JP?Q?=1B$B=1B?=\r\n"
    return HEAD.replace(b"Subject: test\r\n", subj) + b"Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" + body


def encoded_words_in_addresses(scale: float) -> bytes:
    return (b"From: =?UTF-8?B?c3VwcG9ydEBhbWF6b24uY28uanAgPHg+?= <evil@attacker.example>\r\n"
            b"Reply-To: =?UTF-8?Q?a=40b.example=2C_c=40d.example?= <x@y.example>, =?UTF-8?B?PD4=?=\r\n"
            b"Sender: \"=?UTF-8?B?IjwiPjw=?=\" <=?UTF-8?B?YUBi?=@=?UTF-8?B?Yy5k?=>\r\n"
            b"To: " + b", ".join(b"=?utf-8?q?u%d?= <u%d@x.example>" % (i, i) for i in range(_n(3000, scale))) + b"\r\n"
            b"Subject: hi\r\n\r\nbody\r\n")


def many_links_text(scale: float) -> bytes:
    body = b"".join(b"http://l%d.example/p?q=%d\r\n" % (i, i) for i in range(_n(50_000, scale)))
    return _mime(body)


def many_links_html(scale: float) -> bytes:
    body = b"<html><body>" + b"".join(b'<a href="http://h%d.example/">h%d.example</a>' % (i, i) for i in range(_n(50_000, scale))) + b"</body></html>"
    return _mime(body, b"text/html; charset=utf-8")


def deep_html(scale: float) -> bytes:
    n = _n(200_000, scale)
    body = b"<html><body>" + b"<div><span><b><table><tr><td>" * (n // 6) + b"<a href='http://deep.example'>x</a>"
    return _mime(body, b"text/html; charset=utf-8")


def huge_attribute(scale: float) -> bytes:
    n = _n(4_000_000, scale)
    body = b'<a href="http://x.example/' + b"a" * n + b'" title="' + b'"' * 0 + b"t" * n + b'">x</a>'
    return _mime(body, b"text/html; charset=utf-8")


def unclosed_html(scale: float) -> bytes:
    body = b"<a href='" + b"<!--<script><style>&#" * _n(100_000, scale)
    return _mime(body, b"text/html; charset=utf-8")


def html_entity_bomb(scale: float) -> bytes:
    body = b"<p>" + b"&#x68;&#116;&amp;&#xFFFFFFFF;&#0;&#x110000;&notanentity" * _n(50_000, scale) + b"</p>"
    return _mime(body, b"text/html; charset=utf-8")


def many_forms_scripts(scale: float) -> bytes:
    body = b"<form action='http://f.example/'><input type=password></form><script>x</script>" * _n(20_000, scale)
    return _mime(body, b"text/html; charset=utf-8")


def big_attachment(scale: float) -> bytes:
    size = _n(25 * 1024 * 1024, scale, 1024)
    rng = random.Random(6)
    payload = base64.encodebytes(rng.randbytes(size))
    return (HEAD + b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
            b"--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            b'--B\r\nContent-Type: application/octet-stream; name="a.pdf.exe"\r\n'
            b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"--B--\r\n")


def big_text_body(scale: float) -> bytes:
    return _mime(("アカウント停止 " * _n(1_000_000, scale)).encode("utf-8"))


def oversized_message(scale: float) -> bytes:
    return _mime(b"x" * _n(45_000_000, scale, 1000))


def received_chain(scale: float) -> bytes:
    hops = b"".join(b"Received: from h%d.example (h%d.example [192.0.2.%d]) by mx%d.example with ESMTP id %d;"
                    b" Mon, 1 Jan 2024 00:%02d:00 +0000\r\n" % (i, i, i % 250, i, i, i % 60)
                    for i in range(_n(1000, scale)))
    return hops + HEAD + b"\r\nbody\r\n"


def hostile_received(scale: float) -> bytes:
    nasty = [
        b"from " + b"(" * 5000 + b" by x",
        b"from [" + b"1:" * 3000 + b"] by y",
        b"from a (b [" + b"9." * 3000 + b"]) by c; " + b"Mon, 1 Jan 2024" * 200,
        b"from x ([fe80::1%eth0] helo=h) by y; Mon, 1 Jan 0000 00:00:00 +0000",
        b"from x ([IPv6:2001:db8::1]) by y; Fri, 31 Dec 9999 23:59:59 -1200",
        b"from x (y [::ffff:127.0.0.1]) by z; Sat, 1 Jan 0001 00:00:00 +2400",
        b"from x by y with " + b"with " * 5000,
        b"from 999.999.999.999 (4294967295) by y; 99 Foo 99999 99:99:99 +9999",
    ]
    return b"".join(b"Received: " + n + b"\r\n" for n in nasty) + HEAD + b"\r\nbody\r\n"


def extreme_dates(scale: float) -> bytes:
    out = HEAD.replace(b"Date: Mon, 1 Jan 2024 00:00:00 +0900", b"Date: Mon, 1 Jan 0000 00:00:00 +0000")
    return (b"Received: from a ([198.51.100.1]) by b; Fri, 31 Dec 9999 23:59:59 -2359\r\n"
            b"Received: from c ([198.51.100.2]) by d; Mon, 1 Jan 0 00:00:00 +2359\r\n"
            b"Received: from e ([198.51.100.3]) by f; Mon, 1 Jan 1 00:00:00 +0000\r\n" + out + b"\r\nbody\r\n")


def ipv6_links(scale: float) -> bytes:
    urls = [b"http://[::1]/", b"http://[fe80::1%25eth0]/login", b"http://[fe80::1%eth0]/", b"http://[2001:db8::1]:8080/",
            b"http://[::ffff:192.0.2.1]/", b"http://[v7.xyz]/", b"http://[", b"http://[:::]/", b"http://0x7f000001/",
            b"http://2130706433/", b"http://017700000001/", b"http://[" + b"0:" * 2000 + b"]/"]
    body = b"\r\n".join(urls) + b"\r\n<a href='http://[::1%zz]/'>x</a>"
    return _mime(body * _n(10, scale))


def bad_idn(scale: float) -> bytes:
    hosts = ["xn--zz", "xn--", "xn--a-ecp.xn--zzzzzzzzzz", "a" * 64 + ".example", ".." * 200, "ドメイン\u200d.example",
             "xn--" + "a" * 300 + ".com", "Ａｍａｚｏｎ。ｃｏ。ｊｐ", "\ufeff.example", "-a-.example", "xn--80ak6aa92e.com",
             "\u0430mazon.co.jp", "a\u0000b.example", "例え.テスト"]
    body = "\r\n".join(f"http://{h}/login" for h in hosts) + "\r\n"
    html = "".join(f"<a href='https://{h}/'>amazon.co.jp</a>" for h in hosts)
    return (HEAD.replace(b"support@example.jp", "support@xn--zz.ドメイン".encode("utf-8"))
            + b'MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="B"\r\n\r\n'
            + b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode("utf-8") * _n(10, scale)
            + b"--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode("utf-8") + b"\r\n--B--\r\n")


def rtl_and_controls(scale: float) -> bytes:
    text = "請求書\u202egpj.exe\u202c \u2066x\u2069 \u200b\u200e\u0000\u001b[31m\u0007 <script>alert(1)</script>"
    return (HEAD.replace(b"Subject: test", b"Subject: " + text.encode("utf-8"))
            + b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
            + b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text.encode("utf-8") * _n(100, scale)
            + "\r\n--B\r\nContent-Type: application/octet-stream; name=\"invoice\u202efdp.exe\"\r\n\r\nMZ\r\n--B--\r\n".encode("utf-8"))


def rfc2231_filenames(scale: float) -> bytes:
    parts = b"".join(b"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*%d*=UTF-8''%%E3%%81%%82%%ZZ\r\n\r\n%%PDF\r\n" % i
                     for i in range(_n(200, scale)))
    weird = b"--B\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename*=bogus''%FF%FE.html\r\n\r\n<form><input type=password></form>\r\n"
    return _mime(parts + weird + b"--B--\r\n", b'multipart/mixed; boundary="B"')


def header_only(scale: float) -> bytes:
    return b"Subject: no body, no blank line"


def empty(scale: float) -> bytes:
    return b""


def binary_noise(scale: float) -> bytes:
    return random.Random(1).randbytes(_n(1_000_000, scale, 100))


def mozilla_lines_only(scale: float) -> bytes:
    return b"X-Mozilla-Status: 0001\r\nX-Mozilla-Status2: 00000000\r\n" * _n(2000, scale)


def bare_cr(scale: float) -> bytes:
    return (HEAD + b"\r\n" + b"line\rline\r\r\n") .replace(b"\r\n", b"\r") * _n(1000, scale)


def long_lines_no_newline(scale: float) -> bytes:
    return b"From: a@b.example" + b" x" * _n(2_000_000, scale)


def many_auth_results(scale: float) -> bytes:
    ar = b"".join(b"Authentication-Results: mx.example; " + b"spf=pass smtp.mailfrom=a.example; " * 100 + b"\r\n"
                  for _ in range(_n(300, scale)))
    dk = b"".join(b"DKIM-Signature: v=1; " + b"d=x.example; " * 200 + b"\r\n" for _ in range(_n(300, scale)))
    return b"Received: from x ([198.51.100.9]) by mx.example; Mon, 1 Jan 2024 00:00:00 +0000\r\n" + ar + dk + HEAD + b"\r\nbody\r\n"


def message_rfc822_loop(scale: float) -> bytes:
    inner = HEAD + b"\r\nhttp://inner.example/\r\n"
    for i in range(_n(200, scale)):
        inner = HEAD + b"MIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" + inner
    return inner


CASES: tuple[Case, ...] = (
    Case("truncated", truncated),
    Case("truncated_in_header", truncated_in_header),
    Case("nul_everywhere", nul_everywhere),
    Case("invalid_utf8", invalid_utf8),
    Case("many_headers", many_headers, ("header fields",)),
    Case("huge_header_line", huge_header_line, ("header",)),
    Case("huge_folded_header", huge_folded_header, ("header",)),
    Case("deep_multipart", deep_multipart, ("nesting",)),
    Case("very_deep_multipart", very_deep_multipart, ("nesting",)),
    Case("many_parts", many_parts, ("MIME parts",)),
    Case("unclosed_boundary", unclosed_boundary),
    Case("boundary_is_prefix", boundary_is_prefix),
    Case("bad_base64", bad_base64),
    Case("bad_qp", bad_qp),
    Case("unknown_charset", unknown_charset),
    Case("lying_charset", lying_charset),
    Case("charset_codec_trap", charset_codec_trap),
    Case("punycode_charset", punycode_charset),
    Case("nul_in_labels", nul_in_labels),
    Case("broken_iso2022", broken_iso2022),
    Case("encoded_words_in_addresses", encoded_words_in_addresses),
    Case("many_links_text", many_links_text, ("links",)),
    Case("many_links_html", many_links_html, ("links",)),
    Case("deep_html", deep_html),
    Case("huge_attribute", huge_attribute, ("HTML",)),
    Case("unclosed_html", unclosed_html),
    Case("html_entity_bomb", html_entity_bomb),
    Case("many_forms_scripts", many_forms_scripts),
    Case("big_attachment", big_attachment),
    Case("big_text_body", big_text_body, ("text",)),
    Case("oversized_message", oversized_message, ("message larger",)),
    Case("received_chain", received_chain, ("Received",)),
    Case("hostile_received", hostile_received, ("Received line",)),
    Case("extreme_dates", extreme_dates),
    Case("ipv6_links", ipv6_links),
    Case("bad_idn", bad_idn),
    Case("rtl_and_controls", rtl_and_controls),
    Case("rfc2231_filenames", rfc2231_filenames),
    Case("header_only", header_only),
    Case("empty", empty),
    Case("binary_noise", binary_noise),
    Case("mozilla_lines_only", mozilla_lines_only),
    Case("bare_cr", bare_cr),
    Case("long_lines_no_newline", long_lines_no_newline),
    Case("many_auth_results", many_auth_results),
    Case("message_rfc822_loop", message_rfc822_loop),
)

BY_NAME = {c.name: c for c in CASES}


def build(name: str, scale: float = 1.0) -> bytes:
    return BY_NAME[name].build(scale)


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    scale = 0.002 if "--small" in argv else 1.0
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        data = case.build(scale)
        if "--small" in argv:
            data = data[:200_000]     # seeds stay small; the fuzzer grows them
        (out / f"{case.name}.eml").write_bytes(data)
    print(f"{len(CASES)} cases written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
