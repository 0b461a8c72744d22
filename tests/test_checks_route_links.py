"""Route, authentication-header, link, wording and attachment checks."""
from __future__ import annotations

import base64

from checkkit import findings, mail

SEED_HOPS = (
    "Received: from mx01.example-office.jp (localhost [127.0.0.1]) by mbox01.example-office.jp (Postfix); Tue, 16 Jan 2024 18:42:09 +0900\n"
    "Received: from Praisemmm (ioooo.japaneast.cloudapp.azure.com [74.226.196.215]) by mx01.example-office.jp (Postfix); "
    "Tue, 16 Jan 2024 18:42:08 +0900\n")


def test_origin_on_cloud_with_bare_helo():
    got = findings(mail(SEED_HOPS + "From: x <postmaster@aica-interior.co.jp>\nTo: info@example-office.jp\nSubject: s"))
    cloud = got["route.origin_cloud"]
    assert cloud.evidence["ip"] == "74.226.196.215"
    assert cloud.evidence["provider"] == "Microsoft Azure"
    assert got["route.bare_helo"].evidence["helo"] == "Praisemmm"


def test_company_own_server_is_not_cloud_finding():
    hops = ("Received: from mail.company.example (mail.company.example [45.77.10.8]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n")
    got = findings(mail(hops + "From: a@company.example\nSubject: s"))
    assert "route.origin_cloud" not in got and "route.bare_helo" not in got


def test_dynamic_home_line_origin():
    hops = ("Received: from pc (p1234-ipngn5601marunouchi.tokyo.ocn.ne.jp [153.200.10.20]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n")
    got = findings(mail(hops + "From: a@bank.example\nSubject: s"))
    assert got["route.residential_origin"].evidence["rdns"].endswith("ocn.ne.jp")


def test_auth_results_at_boundary():
    head = ("Authentication-Results: mx.example.jp; spf=softfail smtp.mailfrom=bank.example; dkim=none; "
            "dmarc=fail (p=reject) header.from=bank.example policy.dmarc=reject\n"
            "Received: from x (vm.example [45.77.10.7]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n")
    got = findings(mail(head + "From: Bank <info@bank.example>\nSubject: s"))
    assert got["auth.header_dmarc_fail"].evidence["detail"] == "policy=reject"
    assert got["auth.header_spf_fail"].evidence["result"] == "softfail"
    good = ("Authentication-Results: mx.example.jp; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example\n"
            "Received: from x (mail.bank.example [45.77.10.7]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n")
    got = findings(mail(good + "From: Bank <info@bank.example>\nSubject: s"))
    assert got["auth.header_aligned_pass"].weight < 0
    assert "auth.header_dmarc_fail" not in got


def test_link_text_shows_other_host_ip_shortener_punycode():
    html = ('<a href="https://secure-login.example.net/a">https://www.amazon.co.jp/gp/css</a> '
            '<a href="http://45.77.10.9/x">here</a> <a href="https://bit.ly/3abc">go</a> <a href="http://xn--80ak6aa92e.com/">x</a>')
    got = findings(mail("From: a@b.example\nSubject: s", html, "text/html"))
    assert got["link.text_host_mismatch"].evidence["links"][0]["shown_domain"] == "amazon.co.jp"
    assert got["link.ip_host"].evidence["links"][0]["host"] == "45.77.10.9"
    assert got["link.shortener"].evidence["links"][0]["host"] == "bit.ly"
    assert got["link.punycode"].evidence["links"][0]["unicode"] == "аррӏе.com"


def test_recipient_address_in_link_plain_and_base64():
    enc = base64.b64encode(b"info@example-office.jp").decode()
    for url in ("http://sgogoj.com/k?login=info@example-office.jp", f"https://x.example/p#{enc}",
                "https://x.example/p?e=info%40example-office.jp"):
        got = findings(mail("From: a@b.example\nTo: info@example-office.jp\nSubject: s", url))
        assert got["link.recipient_in_url"].evidence["recipient"] == "info@example-office.jp", url
    own = findings(mail("From: news@b.example\nTo: info@example-office.jp\nSubject: s",
                        "https://b.example/unsubscribe?e=info@example-office.jp"))
    assert "link.recipient_in_url" not in own


def test_forms_and_script_urls():
    html = '<form action="https://c.example/steal"><input type=password></form><a href="javascript:alert(1)">x</a>'
    got = findings(mail("From: a@b.example\nSubject: s", html, "text/html"))
    assert got["link.form_in_mail"].evidence["actions"] == ["https://c.example/steal"]
    assert got["link.script_url"].evidence["urls"] == ["javascript:alert(1)"]


def test_wording_threat_and_deadline_templates():
    got = findings(mail("From: a@b.example\nSubject: s", "90日間ご利用がない場合、メールボックスから削除されます。"))
    assert got["wording.account_threat"].evidence["phrases"] == ["削除されます"]
    assert got["wording.deadline"].evidence["phrases"] == ["90日間"]
    assert "wording.deadline" not in findings(mail("From: a@b.example\nSubject: s", "お元気ですか"))


def test_attachments():
    def with_attachment(name: str, data: bytes, ctype: str = "application/octet-stream") -> bytes:
        b64 = base64.encodebytes(data).decode()
        return ("From: a@b.example\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n"
                "--B\nContent-Type: text/plain\n\nsee attached\n"
                f"--B\nContent-Type: {ctype}; name=\"{name}\"\nContent-Disposition: attachment; filename=\"{name}\"\n"
                f"Content-Transfer-Encoding: base64\n\n{b64}--B--\n").encode()
    assert "attachment.double_extension" in findings(with_attachment("請求書.pdf.exe", b"MZ\x90\x00"))
    assert "attachment.executable" in findings(with_attachment("setup.js", b"var a=1;"))
    form = b"<html><form action='https://x.example/p'><input type=password></form></html>"
    assert "attachment.html_form" in findings(with_attachment("invoice.html", form, "text/html"))
    assert not findings(with_attachment("photo.jpg", b"\xff\xd8\xff\xe0 jpeg"))


def test_spf_that_passes_only_after_a_relay():
    origin = "Received: from x (vm.example [45.77.10.7]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n"
    relayed = ("Authentication-Results: mx.example.jp; spf=pass smtp.mailfrom=shop.example; "
               "dkim=pass header.d=tenant.example; dmarc=pass header.from=shop.example\n"
               "Received-SPF: Fail (entry.example: domain of shop.example does not designate 45.77.10.7) "
               "envelope-from=<a@shop.example>\n")
    got = findings(mail(relayed + origin + "From: Shop <a@shop.example>\nSubject: s"))
    assert got["auth.spf_pass_only_after_relay"].evidence["domain"] == "shop.example"
    assert "auth.header_aligned_pass" not in got      # the DMARC pass rests on the relay's SPF
    # With the sender's own DKIM signature verified, the pass stands.
    signed = relayed.replace("header.d=tenant.example", "header.d=shop.example")
    got = findings(mail(signed + origin + "From: Shop <a@shop.example>\nSubject: s"))
    assert "auth.spf_pass_only_after_relay" not in got and "auth.header_aligned_pass" in got


def test_spf_computed_for_the_recipients_own_relay_is_not_the_senders():
    origin = "Received: from x (mail.shop.example [45.77.10.7]) by gw.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n"
    internal = "Received: from gw.example.jp (gw.example.jp [10.1.2.3]) by mx.example.jp; Tue, 16 Jan 2024 10:00:01 +0000\n"
    spf = ("Received-SPF: Fail (mx.example.jp: domain of shop.example does not designate 10.1.2.3 as permitted "
           "sender) client-ip=10.1.2.3; envelope-from=<a@shop.example>\n")
    got = findings(mail(spf + internal + origin + "From: Shop <a@shop.example>\nSubject: s"))
    assert "auth.header_spf_fail" not in got
    # The same verdict on the sender's own address stands.
    public = spf.replace("10.1.2.3", "45.77.10.7")
    got = findings(mail(public + internal + origin + "From: Shop <a@shop.example>\nSubject: s"))
    assert got["auth.header_spf_fail"].evidence["result"] == "fail"


def test_odd_links_in_a_digest_are_set_aside():
    sites = "\n".join(f"https://blog{i}.site{i}.example/post" for i in range(30))
    digest = findings(mail("From: a@digest.example\nSubject: weekly links", sites + "\nhttp://45.77.10.9/x\n"))
    assert "link.ip_host" not in digest
    assert digest["link.digest"].evidence == {"sites": 31, "set_aside": ["link.ip_host"]}
    few = findings(mail("From: a@digest.example\nSubject: s", "https://a.example/\nhttp://45.77.10.9/x\n"))
    assert "link.ip_host" in few and "link.digest" not in few


def test_a_pass_for_a_free_mailbox_proves_no_identity():
    head = ("Authentication-Results: mx.example.jp; dkim=pass header.d=gmail.com; dmarc=pass header.from=gmail.com\n"
            "Received: from x (mail-ej1.google.example [45.77.10.7]) by mx.example.jp; Tue, 16 Jan 2024 10:00:00 +0000\n")
    got = findings(mail(head + "From: Bank Support <bank.support@gmail.com>\nSubject: s"))
    assert "auth.header_aligned_pass" not in got
