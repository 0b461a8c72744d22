"""Where the mail really came from: the host that handed it to the recipient's provider."""
from __future__ import annotations

import re

from ..model import Finding, Hop
from ..parse.domains import parse_ip, registrable_domain, within
from .context import Context

# Generic names ISPs give dynamic lines: the IP's digits, or pool words, in the reverse name.
_DYNAMIC = re.compile(r"(?:\d{1,3}[.-]\d{1,3}[.-]\d{1,3}|dynamic|dyn|dhcp|pool|dsl|ppp|cable|broadband|customer|\bres\b|home)", re.I)


def _suffix_match(name: str, table: dict[str, str]) -> str:
    name = name.lower()
    while name:
        if name in table:
            return table[name]
        if "." not in name:
            return ""
        name = name.split(".", 1)[1]
    return ""


def describe(hop: Hop) -> str:
    parts = [hop.ip]
    if hop.rdns:
        parts.append(hop.rdns)
    if hop.org or hop.asn:
        parts.append(f"{hop.org} AS{hop.asn}" if hop.asn else hop.org)
    if hop.country:
        parts.append(hop.country)
    return ", ".join(p for p in parts if p)


def _hop_evidence(hop: Hop) -> dict:
    return {"ip": hop.ip, "rdns": hop.rdns, "helo": hop.helo, "asn": hop.asn, "org": hop.org,
            "country": hop.country, "received": hop.raw[:400]}


def cloud_provider(ctx: Context, hop: Hop) -> str:
    """Provider name when the origin is cloud/VPS address space, '' otherwise."""
    for name in (hop.rdns, hop.helo):
        if name and "." in name:
            found = _suffix_match(name, ctx.kb.cloud_rdns)
            if found:
                return found
    if hop.asn and hop.asn in ctx.kb.cloud_asn:
        own = registrable_domain(hop.rdns)
        if hop.rdns and (_suffix_match(hop.rdns, ctx.kb.mail_provider_rdns) or own == ctx.sender_registrable):
            return ""
        return ctx.kb.cloud_asn[hop.asn]
    return ""


def configured_server(ctx: Context, hop: Hop) -> bool:
    """A named, consistently introduced mail server rented on cloud address space (lists.example.org on AWS).

    The throw-away VMs that send phishing keep the provider's generic reverse name
    (ec2-…compute.amazonaws.com, ….cloudapp.azure.com) or none; a server whose own reverse
    name matches its HELO was set up as a mail server by someone who owns that name.
    """
    rdns = hop.rdns.lower().rstrip(".")
    if not rdns or "." not in rdns or _suffix_match(rdns, ctx.kb.cloud_rdns):
        return False
    if _DYNAMIC.search(rdns.split(".", 1)[0]):
        return False
    return hop.helo.lower().strip("[]").rstrip(".") == rdns


def origin_on_cloud(ctx: Context) -> list[Finding]:
    hop = ctx.facts.origin
    reg = ctx.sender_registrable
    if hop is None or not reg or reg in ctx.kb.freemail:
        return []
    provider = cloud_provider(ctx, hop)
    if not provider:
        return []
    if registrable_domain(hop.rdns) == reg or within(hop.rdns, frozenset({reg})):
        return []
    if configured_server(ctx, hop):
        return []
    return [ctx.make("route.origin_cloud", {**_hop_evidence(hop), "provider": provider, "sender_domain": reg},
                     ip=hop.ip, provider=provider, where=describe(hop), domain=reg)]


def bare_helo(ctx: Context) -> list[Finding]:
    hop = ctx.facts.origin
    if hop is None or not hop.helo:
        return []
    helo = hop.helo.strip("[]")
    if "." in helo or ":" in helo or parse_ip(helo) or helo.lower() in ("localhost", "unknown"):
        return []
    return [ctx.make("route.bare_helo", _hop_evidence(hop), helo=helo[:80], ip=hop.ip)]


def rdns_recorded(hop: Hop) -> bool:
    """Whether the receiving server's Received format shows reverse DNS at all.

    Postfix, Sendmail and Exim write 'name [ip]' (or 'unknown [ip]'); qmail writes 'unknown'
    for a missing name. Formats that give only 'HELO (ip)' never record it, so there an
    empty rDNS says nothing about the sending host.
    """
    frm = hop.raw.lower().split(" by ", 1)[0]
    ip = hop.ip.lower()
    return bool(ip) and (f"[{ip}]" in frm or f"[ipv6:{ip}]" in frm or "unknown" in frm)


def origin_without_rdns(ctx: Context) -> list[Finding]:
    hop = ctx.facts.origin
    if hop is None or not hop.ip or hop.rdns or not rdns_recorded(hop):
        return []
    return [ctx.make("route.no_rdns", _hop_evidence(hop), ip=hop.ip)]


def residential_origin(ctx: Context) -> list[Finding]:
    hop = ctx.facts.origin
    if hop is None or not hop.rdns or ctx.sender_registrable in ctx.kb.freemail:
        return []
    isp = _suffix_match(hop.rdns, ctx.kb.residential_rdns)
    label = hop.rdns.split(".", 1)[0]
    if not isp and not _DYNAMIC.search(label):
        return []
    if registrable_domain(hop.rdns) == ctx.sender_registrable:
        return []
    return [ctx.make("route.residential_origin", _hop_evidence(hop), ip=hop.ip, rdns=hop.rdns, isp=isp or "?")]


CHECKS = (origin_on_cloud, bare_helo, origin_without_rdns, residential_origin)
