"""What the recipient's own provider recorded about SPF, DKIM and DMARC."""
from __future__ import annotations

from ..model import AuthResult, Finding
from .context import Context

_BAD = ("fail", "softfail", "permerror")


def _trusted(ctx: Context, method: str) -> list[AuthResult]:
    return [a for a in ctx.facts.auth if a.trusted and a.method == method and not _judged_a_relay(ctx, a)]


def _judged_a_relay(ctx: Context, a: AuthResult) -> bool:
    """An SPF result computed for one of the recipient's own relays (a private address, or a hop the
    chain shows inside the recipient's system) judges that relay, not the sender: a gateway or a
    forwarding server in front of the server that checked SPF makes every mail 'fail'."""
    if a.method != "spf" or not a.ip:
        return False
    from ..parse.domains import is_public_ip, parse_ip
    if not is_public_ip(parse_ip(a.ip)):
        return True
    return any(h.internal and h.ip == a.ip for h in ctx.facts.hops[:100])


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
        domain = a.domain or mailfrom
        out.append(ctx.make("auth.header_spf_fail", {"result": a.result, "source": a.source, "domain": domain},
                            result=a.result, domain=domain or "?"))
    dkim = _trusted(ctx, "dkim")
    if dkim and all(a.result in ("fail", "permerror", "neutral") for a in dkim):
        a = dkim[0]
        out.append(ctx.make("auth.header_dkim_fail", {"result": a.result, "source": a.source, "domain": a.domain},
                            domain=a.domain or "?"))
    return out


def _relayed_after_spf_fail(ctx: Context) -> AuthResult | None:
    """The server where the mail entered failed SPF, a later server passed it, and no aligned DKIM
    signature verified: the pass judges the relay that re-sent the mail (a hosted tenant or an open
    relay used to launder a forged From), not the machine that wrote it. Results are in header
    order, newest first, so the last SPF result is the one written nearest the origin."""
    spf = _trusted(ctx, "spf")
    if len(spf) < 2 or spf[-1].result not in ("fail", "softfail") or not any(a.result == "pass" for a in spf[:-1]):
        return None
    if any(a.result == "pass" and _aligned(ctx, a.domain) for a in _trusted(ctx, "dkim")):
        return None
    return spf[-1]


def relayed_after_spf_fail(ctx: Context) -> list[Finding]:
    first = _relayed_after_spf_fail(ctx)
    if first is None:
        return []
    mailfrom = ctx.facts.sender.return_path.domain if ctx.facts.sender.return_path else ""
    domain = first.domain or mailfrom or ctx.sender_domain
    return [ctx.make("auth.spf_pass_only_after_relay", {"first": first.result, "source": first.source, "domain": domain},
                     result=first.result, domain=domain or "?")]


def header_aligned_pass(ctx: Context) -> list[Finding]:
    """The provider verified the sender's own domain: strong evidence the From is genuine — unless
    anyone can have an address there: a pass for gmail.com or a shared tenant domain proves only
    that the writer has an account, not who they are."""
    reg = ctx.sender_registrable
    if reg in ctx.kb.freemail or reg in ctx.kb.shared_tenant:
        return []
    relayed = _relayed_after_spf_fail(ctx) is not None
    for a in _trusted(ctx, "dmarc"):
        if a.result == "pass" and not relayed and (not a.domain or _aligned(ctx, a.domain)):
            return [ctx.make("auth.header_aligned_pass", {"method": "dmarc", "source": a.source, "domain": a.domain},
                             method="DMARC", domain=ctx.sender_registrable)]
    for a in _trusted(ctx, "dkim"):
        if a.result == "pass" and _aligned(ctx, a.domain):
            return [ctx.make("auth.header_aligned_pass", {"method": "dkim", "source": a.source, "domain": a.domain},
                             method="DKIM", domain=ctx.sender_registrable)]
    return []


CHECKS = (header_failures, header_aligned_pass, relayed_after_spf_fail)
