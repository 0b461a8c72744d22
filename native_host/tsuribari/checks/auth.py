"""What the recipient's own provider recorded about SPF, DKIM and DMARC."""
from __future__ import annotations

from ..model import AuthResult, Finding
from .context import Context

_BAD = ("fail", "softfail", "permerror")


def _trusted(ctx: Context, method: str) -> list[AuthResult]:
    return [a for a in ctx.facts.auth if a.trusted and a.method == method]


def _aligned(ctx: Context, domain: str) -> bool:
    from ..parse.domains import registrable_domain
    return bool(domain) and registrable_domain(domain) == ctx.sender_registrable


def _org(name: str) -> str:
    from ..parse.domains import registrable_domain
    return registrable_domain(name) if name else ""


def forwarded(ctx: Context, mailfrom_domain: str) -> bool:
    """The chain shows the mailfrom domain's own server handing the mail to the host that then relayed
    it to the recipient: forwarding, which breaks SPF (and DKIM, when the forwarder edits the body)
    without any forgery by the author. DMARC failures are still reported."""
    hops, b = ctx.facts.hops, ctx.facts.boundary_index
    owner = _org(mailfrom_domain)
    if b is None or b + 1 >= len(hops) or not owner:
        return False
    relay = _org(hops[b].rdns) or _org(hops[b].helo)
    if not relay or relay == owner or _org(hops[b + 1].by) != relay:
        return False
    return any(owner in (_org(h.rdns), _org(h.helo)) for h in hops[b + 1: b + 9])


def header_failures(ctx: Context) -> list[Finding]:
    out = []
    dmarc = [a for a in _trusted(ctx, "dmarc") if a.result in ("fail", "permerror")]
    if dmarc:
        a = dmarc[0]
        out.append(ctx.make("auth.header_dmarc_fail", {"result": a.result, "source": a.source, "detail": a.detail,
                                                       "domain": a.domain or ctx.sender_registrable},
                            domain=a.domain or ctx.sender_registrable, detail=a.detail or "-"))
    spf = [a for a in _trusted(ctx, "spf") if a.result in _BAD]
    mailfrom = next((a.domain for a in spf if a.domain), "") or (ctx.facts.sender.return_path.domain
                                                                 if ctx.facts.sender.return_path else "")
    if spf and forwarded(ctx, mailfrom):
        return out   # SPF and DKIM broken by a forwarder, not by the author
    if spf:
        a = spf[0]
        out.append(ctx.make("auth.header_spf_fail", {"result": a.result, "source": a.source, "domain": a.domain},
                            result=a.result, domain=a.domain or "?"))
    dkim = _trusted(ctx, "dkim")
    if dkim and all(a.result in ("fail", "permerror", "neutral") for a in dkim):
        a = dkim[0]
        out.append(ctx.make("auth.header_dkim_fail", {"result": a.result, "source": a.source, "domain": a.domain},
                            domain=a.domain or "?"))
    return out


def header_aligned_pass(ctx: Context) -> list[Finding]:
    """The provider verified the sender's own domain: strong evidence the From is genuine."""
    for a in _trusted(ctx, "dmarc"):
        if a.result == "pass" and (not a.domain or _aligned(ctx, a.domain)):
            return [ctx.make("auth.header_aligned_pass", {"method": "dmarc", "source": a.source, "domain": a.domain},
                             method="DMARC", domain=ctx.sender_registrable)]
    for a in _trusted(ctx, "dkim"):
        if a.result == "pass" and _aligned(ctx, a.domain):
            return [ctx.make("auth.header_aligned_pass", {"method": "dkim", "source": a.source, "domain": a.domain},
                             method="DKIM", domain=ctx.sender_registrable)]
    return []


CHECKS = (header_failures, header_aligned_pass)
