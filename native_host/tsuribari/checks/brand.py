"""A brand is named, but the mail does not come from (or link to) that brand."""
from __future__ import annotations

from ..model import Finding
from ..parse.domains import to_unicode, within
from .brand_match import brands_with_url_keys, url_tokens
from .context import Context
from .lookalike import lookalike_of


def _official_list(brand) -> str:
    return ", ".join(sorted(brand.official)[:6]) or "?"


def display_name_mismatch(ctx: Context) -> list[Finding]:
    out = []
    reg = ctx.sender_registrable
    for brand in ctx.claimed_brands(("display_name",)):
        if ctx.sender_is_brand(brand):
            continue
        out.append(ctx.make(
            "brand.display_name_mismatch",
            {"brand": brand.id, "brand_label": brand.label, "display_name": ctx.facts.sender.from_.display,
             "address": ctx.facts.sender.from_.address, "sender_domain": reg,
             "official_domains": sorted(brand.official)},
            brand_ja=brand.label.get("ja", brand.id), brand_en=brand.label.get("en", brand.id),
            display=ctx.facts.sender.from_.display[:80], domain=reg or "?", official=_official_list(brand)))
        break
    return out


def content_mismatch(ctx: Context) -> list[Finding]:
    named_in_display = {b.id for b in ctx.claimed_brands(("display_name",))}
    reg = ctx.sender_registrable
    for brand in ctx.claimed_brands(("subject", "body")):
        if brand.id in named_in_display or ctx.sender_is_brand(brand):
            continue
        # A mail that only links to the brand's own domains is talking about the brand, not posing as it.
        if ctx.facts.links and all(l.registrable in brand.trusted_domains for l in ctx.facts.links):
            continue
        where = sorted({c.where for c in ctx.claims if c.brand.id == brand.id})
        return [ctx.make(
            "brand.content_mismatch",
            {"brand": brand.id, "brand_label": brand.label, "named_in": where, "sender_domain": reg, "official_domains": sorted(brand.official)},
            brand_ja=brand.label.get("ja", brand.id), brand_en=brand.label.get("en", brand.id),
            domain=reg or "?", official=_official_list(brand))]
    return []


def link_brand_outside_domain(ctx: Context) -> list[Finding]:
    """The brand's name sits in the path or a subdomain of a domain the brand does not own."""
    hits = []
    seen: set[tuple[str, str, str]] = set()
    for link in ctx.facts.links:
        if not link.host or link.is_ip:
            continue
        reg = link.registrable or link.host
        sub = link.host[: -len(reg)] if link.host.endswith(reg) else ""
        key = (link.host, link.path, link.query)
        if key in seen:
            continue
        seen.add(key)
        tokens = url_tokens(sub + "/" + link.path + "?" + link.query)
        for brand in brands_with_url_keys(ctx.kb, tokens):   # only brands sharing a token can match
            common = brand.url_keys & tokens
            if common and not within(link.host, brand.trusted_domains | ctx.kb.group_official(brand)):
                hits.append((link, brand, sorted(common)[0]))
                break
        if len(hits) >= 5:
            break
    if not hits:
        return []
    link, brand, key = hits[0]
    return [ctx.make(
        "brand.link_outside_domain",
        {"links": [{"url": l.url[:300], "registrable": l.registrable, "brand": b.id, "matched": k} for l, b, k in hits],
         "official_domains": sorted(brand.official)},
        brand_ja=brand.label.get("ja", brand.id), brand_en=brand.label.get("en", brand.id),
        registrable=link.registrable or link.host, matched=key, official=_official_list(brand))]


def lookalike_domains(ctx: Context) -> list[Finding]:
    hosts = []
    if ctx.sender_registrable:
        hosts.append(("sender", ctx.sender_registrable))
    seen = {h for _, h in hosts}
    for link in ctx.facts.links:
        if link.registrable and link.registrable not in seen:
            seen.add(link.registrable)
            hosts.append(("link", link.registrable))
        if len(hosts) > 60:
            break
    for where, reg in hosts:
        found = lookalike_of(reg, ctx.kb)
        if found:
            brand, official, how = found
            return [ctx.make(
                "brand.lookalike_domain",
                {"domain": reg, "unicode": to_unicode(reg), "where": where, "resembles": official,
                 "brand": brand.id, "technique": how},
                domain=to_unicode(reg), official=official, how=how,
                brand_ja=brand.label.get("ja", brand.id), brand_en=brand.label.get("en", brand.id))]
    return []


CHECKS = (display_name_mismatch, content_mismatch, link_brand_outside_domain, lookalike_domains)
