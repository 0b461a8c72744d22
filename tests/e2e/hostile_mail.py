"""A hostile message: markup, script, javascript: URLs and a right-to-left
override in every place the add-on shows text from a mail. Everything that
could fetch points at the trap server, so any execution or fetch is seen."""

import base64
from email.header import Header

RLO = "\u202e"


def hostile_mail(trap_port: int, mid: str) -> bytes:
    trap = f"http://127.0.0.1:{trap_port}"
    display = f'<img src=x onerror="fetch(\'{trap}/from\')"><script>fetch("{trap}/from-script")</script>{RLO}gnp.exe'
    subject = f'<script>fetch("{trap}/subject")</script> アカウント確認 <img src={trap}/subject.png>'
    html = f"""<!DOCTYPE html><html><head>
<script>fetch("{trap}/head-script"); window.pwned = 1;</script>
<link rel="stylesheet" href="{trap}/style.css">
</head><body onload="fetch('{trap}/onload')">
<p>Your mailbox will be deleted. Log in now to keep it.</p>
<p><a href="javascript:fetch('{trap}/js-link')">https://www.kagoya.jp/login</a></p>
<p><a href="{trap}/click?u=&lt;img src=x onerror=alert(1)&gt;">ログイン <img src=x onerror="fetch('{trap}/onerror')"></a></p>
<p><a href="http://xn--kgoya-cta.example/{RLO}gpj.exe">invoice{RLO}fdp.exe</a></p>
<img src="{trap}/remote.png" width="1" height="1">
<iframe src="{trap}/frame"></iframe>
</body></html>"""
    headers = [
        "Return-Path: <attacker@evil.example>",
        "Received: from evil-host (unknown [203.0.113.66]) by mx01.example-office.jp (Postfix)"
        " with ESMTP id 4TFz; Tue, 16 Jan 2024 18:42:08 +0900 (JST)",
        f"From: {Header(display, 'utf-8').encode()} <attacker@evil.example>",
        "To: info@example-office.jp",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        "Date: Tue, 16 Jan 2024 09:42:03 +0000",
        f"Message-ID: <{mid}>",
        "MIME-Version: 1.0",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: base64",
    ]
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + base64.encodebytes(html.encode())
