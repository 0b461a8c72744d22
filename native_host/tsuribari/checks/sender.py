"""The sender's identity fields disagree with each other."""
from __future__ import annotations

import re

from ..model import Finding
from ..parse.domains import registrable_domain, within
from .context import Context

_ADDR_IN_NAME = re.compile(r"[\w.+-]{1,64}@([\w-]{1,63}(?:\.[\w-]{1,63}){1,8})")
_DOMAIN_IN_NAME = re.compile(r"(?<![\w@.-])((?:[a-z0-9-]{1,63}\.){1,6}(?:com|net|org|jp|co\.jp|ne\.jp|or\.jp|info|biz|io))(?![\w.-])", re.I)


def _known_service(ctx: Context, domain: str) -> bool:
    reg = registrable_domain(domain)
    if not reg:
        return False
    return reg in ctx.kb.brand_mail_domains or within(domain, ctx.kb.mail_provider_suffixes)


def reply_to_elsewhere(ctx: Context) -> list[Finding]:
    sender = ctx.sender_registrable
    for addr in ctx.facts.sender.reply_to:
        reg = addr.registrable or addr.domain
        if sender and reg and reg != sender:
            kind = "freemail" if reg in ctx.kb.freemail else "other"
            fid = "sender.reply_to_freemail" if kind == "freemail" else "sender.reply_to_mismatch"
            return [ctx.make(fid, {"from": ctx.facts.sender.from_.address, "reply_to": addr.address},
                             reply_to=addr.address, domain=sender)]
    return []


def return_path_mismatch(ctx: Context) -> list[Finding]:
    rp = ctx.facts.sender.return_path
    sender = ctx.sender_registrable
    if not rp or not rp.domain or not sender:
        return []
    reg = rp.registrable or rp.domain
    if reg == sender or _known_service(ctx, rp.domain):
        return []
    return [ctx.make("sender.return_path_mismatch", {"from": ctx.facts.sender.from_.address, "return_path": rp.address},
                     return_path=rp.address, domain=sender)]


def message_id_host(ctx: Context) -> list[Finding]:
    domain = ctx.facts.sender.message_id_domain
    if not domain:
        return []
    # A bare machine name ("@Praisemmm") means the mail was written on a stand-alone PC or script.
    if "." not in domain and not domain.startswith("["):
        return [ctx.make("sender.message_id_bare_host", {"message_id": ctx.facts.sender.message_id}, host=domain)]
    return []


def display_name_other_address(ctx: Context) -> list[Finding]:
    frm = ctx.facts.sender.from_
    if not frm.display:
        return []
    m = _ADDR_IN_NAME.search(frm.display) or _DOMAIN_IN_NAME.search(frm.display)
    if not m:
        return []
    shown = m.group(1).lower()
    reg = registrable_domain(shown)
    if reg and reg != (frm.registrable or frm.domain):
        return [ctx.make("sender.display_name_other_address",
                         {"display_name": frm.display, "address": frm.address, "shown_domain": shown},
                         shown=shown, domain=frm.domain or "?")]
    return []


def several_from(ctx: Context) -> list[Finding]:
    s = ctx.facts.sender
    if s.from_count > 1:
        return [ctx.make("sender.multiple_from", {"count": s.from_count}, count=s.from_count)]
    if not s.from_.address:
        return [ctx.make("sender.no_from_address", {"from": s.from_.display})]
    return []


def trusted_sender(ctx: Context) -> list[Finding]:
    reg = ctx.sender_registrable
    if reg and reg in ctx.trusted_domains:
        return [ctx.make("sender.user_trusted", {"domain": reg}, domain=reg)]
    return []


CHECKS = (reply_to_elsewhere, return_path_mismatch, message_id_host, display_name_other_address,
          several_from, trusted_sender)
