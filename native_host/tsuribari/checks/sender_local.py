"""The sender's mailbox name wears a brand: 'amazon@…', 'support-amazon.jp@…', 'amazom@…' from a domain the brand does not own.

Anyone can pick any mailbox name on their own domain, so a brand in the part before the '@'
proves nothing about the sender — and a real brand sends from its own domains. An exact brand
word counts on its own; a name one letter away from the brand ('amazom') counts only when the
mail also names that brand, so that ordinary words ('webster') are not mistaken for brands.
"""
from __future__ import annotations

from ..model import Finding
from ..parse.domains import within
from .brand_match import url_key_positions, url_tokens
from .context import Context
from .lookalike import _within_one_edit, skeleton

MIN_KEY = 4
MIN_FUZZY = 6


def _brand_positions(kb) -> dict[str, tuple[int, ...]]:
    out: dict[str, list[int]] = {}
    for i, brand in enumerate(kb.brands):
        out.setdefault(brand.id, []).append(i)
    return {k: tuple(v) for k, v in out.items()}


def brand_mailbox(ctx: Context) -> list[Finding]:
    frm = ctx.facts.sender.from_
    if "@" not in frm.address or not frm.domain:
        return []
    local = frm.address.rsplit("@", 1)[0].lower()[:64]
    tokens = url_tokens(local)
    claimed = {b.id for b in ctx.claimed_brands()}
    # Only brands with a key among the tokens (exact) or named by the mail (fuzzy) can match.
    positions = ctx.kb.derived("sender_local.brand_positions", _brand_positions)
    can_match = set(url_key_positions(ctx.kb, tokens))
    can_match.update(i for brand_id in claimed for i in positions.get(brand_id, ()))
    for i in sorted(can_match):
        brand = ctx.kb.brands[i]
        exact = sorted(k for k in brand.url_keys if len(k) >= MIN_KEY and k in tokens)
        fuzzy = [] if exact or brand.id not in claimed else sorted(
            t for t in tokens for k in brand.url_keys
            if len(k) >= MIN_FUZZY and len(t) >= MIN_FUZZY and _within_one_edit(skeleton(t), k))
        found = (exact or fuzzy)[:1]
        # The sender's own domains are asked last: they are the costly test, and most brands match nothing.
        if found and not (ctx.sender_is_brand(brand) or within(frm.domain, brand.trusted_domains)):
            return [ctx.make("sender.brand_mailbox",
                             {"address": frm.address, "brand": brand.id, "matched": found[0],
                              "how": "exact" if exact else "one letter changed",
                              "official_domains": sorted(brand.official)},
                             address=frm.address, brand_ja=brand.label.get("ja", brand.id),
                             brand_en=brand.label.get("en", brand.id), domain=frm.domain)]
    return []


CHECKS = (brand_mailbox,)
