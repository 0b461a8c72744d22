"""A mail from a brand's own domain that the brand did not sign.

Banks, card companies, shops and carriers sign every mail they send with DKIM, under their own
domain or the mail service they declare. A From address at `paypal.com` or `smbc-card.com` with no
DKIM signature for that domain (none at all, or only a stranger's) is what a forged From looks
like: anyone can write the brand's domain into From, only the brand can sign for it. The finding
names the brand and lists the signatures that are there, so the reader can compare.

Not counted: the brand's own mail servers' delivery reports (mailer-daemon, postmaster: MTAs do not
sign bounces), free and carrier mailboxes (a person's address at docomo.ne.jp is not the brand
speaking), product names many operators run (webmail), mail between colleagues at the brand (a
recipient at the same domain: internal mail often goes unsigned), and mail whose receiving server
recorded an aligned DMARC/DKIM pass (then the domain is proven, signature or not).
"""
from __future__ import annotations

from ..knowledge import Brand
from ..model import Finding
from ..parse.domains import registrable_domain, within
from .context import SYSTEM_MAILBOXES, Context


def _brand_of_sender(ctx: Context) -> Brand | None:
    domain = ctx.sender_domain
    if not within(domain, ctx.kb.brand_domains):   # the common case, answered by one cached set
        return None
    for brand in ctx.kb.brands:
        if not brand.generic and within(domain, brand.official):
            return brand
    return None


def _signed_for(ctx: Context, brand: Brand, signers: list[str]) -> bool:
    vouching = ctx.kb.group_official(brand) | brand.mail_domains
    return any(registrable_domain(d) == ctx.sender_registrable or within(d, vouching) for d in signers)


def _receiver_proved(ctx: Context) -> bool:
    return any(a.trusted and a.method in ("dmarc", "dkim") and a.result == "pass"
               and (not a.domain or registrable_domain(a.domain) == ctx.sender_registrable)
               for a in ctx.facts.auth)


def unsigned_brand_domain(ctx: Context) -> list[Finding]:
    frm = ctx.facts.sender.from_
    if not frm.domain or ctx.facts.sender.from_count > 1:
        return []
    if frm.address.rsplit("@", 1)[0].lower() in SYSTEM_MAILBOXES or within(frm.domain, ctx.kb.freemail):
        return []
    brand = _brand_of_sender(ctx)
    if brand is None:
        return []
    if any(registrable_domain(r.rsplit("@", 1)[-1]) == ctx.sender_registrable for r in ctx.facts.recipients[:50]):
        return []
    signers = [s.get("d", "").strip().lower()[:255] for s in ctx.facts.dkim_signatures[:20]]
    signers = [d for d in signers if d]
    if _signed_for(ctx, brand, signers) or _receiver_proved(ctx):
        return []
    shown = ", ".join(signers[:5])
    return [ctx.make("sender.brand_domain_unsigned",
                     {"domain": frm.domain, "brand": brand.id, "signatures": signers[:5]},
                     domain=frm.domain, brand_ja=brand.label.get("ja", brand.id),
                     brand_en=brand.label.get("en", brand.id),
                     signers_ja=shown or "なし", signers_en=shown or "none")]


CHECKS = (unsigned_brand_domain,)
