"""parse/pdf.py: the links a PDF attachment carries, and its bounds on hostile files."""
from __future__ import annotations

import base64
import time
import zlib

from checkkit import findings
from tsuribari.parse.message import parse_mail
from tsuribari.parse.pdf import MAX_URIS, pdf_uris

ANNOT = b"<< /Type /Annot /Subtype /Link /Rect [0 0 600 800] /A << /S /URI /URI (%s) >> >>"


def pdf(*objects: bytes) -> bytes:
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (i + 1, o) for i, o in enumerate(objects))
    return b"%PDF-1.7\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def test_literal_hex_and_escaped_uris():
    data = pdf(ANNOT % b"https://lure.example/a?b=(1)",
               b"<< /A << /S /URI /URI <68747470733a2f2f6865782e6578616d706c652f> >> >>",
               ANNOT % b"https://esc.example/p\\)q\\056html")
    assert pdf_uris(data) == ["https://lure.example/a?b=(1)", "https://hex.example/", "https://esc.example/p)q.html"]


def test_uris_inside_compressed_object_streams():
    packed = zlib.compress(b"1 0 " + ANNOT % b"https://packed.example/login")
    data = pdf(b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
               % (len(packed), packed))
    assert pdf_uris(data) == ["https://packed.example/login"]


def test_hostile_pdfs_are_bounded():
    bomb = zlib.compress(b"\0" * 50_000_000, 9)            # 50 MB of zeros in ~50 KB
    unterminated = b"/URI (" + b"(" * 100_000               # a string that never closes
    many = b" ".join(ANNOT % b"https://x%d.example/" % i for i in range(5000))
    started = time.process_time()
    for data in (pdf(b"<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n" + bomb + b"\nendstream") * 5,
                 unterminated, many, b"/URI <" + b"zz" * 10_000, b"/URI (\\"):
        assert len(pdf_uris(data)) <= MAX_URIS
    assert time.process_time() - started < 5   # generous: the point is "bounded", not a speed goal


def _mail_with_pdf(data: bytes) -> bytes:
    b64 = base64.encodebytes(data).decode()
    return ("From: a@shop.example\nTo: me@example.jp\nSubject: see attached\nMIME-Version: 1.0\n"
            'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee the attachment\n'
            '--b\nContent-Type: application/pdf; name="x.pdf"\nContent-Disposition: attachment; filename="x.pdf"\n'
            f"Content-Transfer-Encoding: base64\n\n{b64}\n--b--\n").encode()


def test_pdf_links_reach_the_link_checks():
    raw = _mail_with_pdf(pdf(ANNOT % b"https://bit.ly/3xYz"))
    links = parse_mail(raw).links
    assert [(l.host, l.source) for l in links] == [("bit.ly", "attachment")]
    assert "link.shortener" in findings(raw)
