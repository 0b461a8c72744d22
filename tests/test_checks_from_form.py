"""checks/from_form.py: a From header that holds no usable sender address."""
from __future__ import annotations

from checkkit import findings, mail

TAIL = "\nTo: me@example.de\nSubject: Ihre Prämie"


def fired(from_line: str, extra: str = "") -> dict:
    got = findings(mail(from_line + extra + TAIL))
    return got.get("sender.malformed_from").evidence if "sender.malformed_from" in got else {}


def test_hand_made_from_headers():
    assert fired("From: Europa Park,(<service@stayfriends.de>)")["problem"] == "no_at"
    assert fired('From: "Gillette" <"no-reply@Gillette.nl">')["problem"] == "quoted"
    assert fired("From: Centraal Beheer <support@𝗰𝗽.𝗻𝗹>")["problem"] == "styled_domain"
    assert fired("From: Correios <contato@correios>")["problem"] == "bad_domain"
    assert fired("From: x <alerta@%notificareceita.com>")["problem"] == "bad_domain"


def test_real_addresses_and_system_mail_pass():
    assert not fired("From: Shop <info@shop.example.co.jp>")
    assert not fired("From: Deep <a@a.b.c.d.e.f.g.h.i.j.k.l.m.example.shop>")   # many labels are still a host
    assert not fired("From: Müller <info@müller.de>")                             # IDN domains are real domains
    assert not fired("From: Mail Delivery Subsystem <MAILER-DAEMON>")            # bounces from a local MTA
    assert not fired("From: root (Cron Daemon)")
    assert not fired("From: MAILER-DAEMON@localhost")
    assert not fired("From: <>")                                                  # empty: sender.no_from_address


def test_from_equal_to_the_recipient_is_left_to_other_checks():
    got = findings(mail("From: me\nTo: me\nSubject: s"))
    assert "sender.malformed_from" not in got
