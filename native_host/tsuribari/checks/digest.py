"""A digest is not a lure: odd links lost among hundreds of sites.

A phishing mail needs the reader to click *its* link, so it points to one or a few places. A
newsletter digest, a blog roll or a link directory points to dozens of different sites, and
among hundreds of strangers' links a few will be an IP address, an odd TLD or a dynamic-DNS
name by chance. When a mail links to at least MIN_SITES different sites and a link-shape
finding rests on a small share of them, that finding is set aside, and a context finding says
so (with the ids), so that the reader still sees what was not counted.
"""
from __future__ import annotations

from ..model import Finding
from .context import Context

MIN_SITES = 20
MAX_SHARE = 0.1
LINK_SHAPE = frozenset({"link.ip_host", "url.abused_tld", "url.random_domain", "url.dynamic_dns", "url.free_hosting",
                        "link.shortener", "link.punycode", "url.domain_prefix", "url.cms_path"})


def _sites(ctx: Context) -> int:
    return len({l.registrable or l.host for l in ctx.facts.links if l.host})


def set_aside_in_digest(ctx: Context, findings: list[Finding]) -> list[Finding]:
    candidates = [f for f in findings if f.id in LINK_SHAPE and isinstance(f.evidence.get("links"), list)]
    if not candidates:
        return findings
    sites = _sites(ctx)
    if sites < MIN_SITES:
        return findings
    thin = [f for f in candidates
            if len({l.get("registrable") or l.get("host") for l in f.evidence["links"] if isinstance(l, dict)})
            <= MAX_SHARE * sites]
    if not thin:
        return findings
    ids = sorted({f.id for f in thin})
    kept = [f for f in findings if f.id not in ids]
    kept.append(ctx.make("link.digest", {"sites": sites, "set_aside": ids}, sites=sites, ids=", ".join(ids)))
    return kept
