"""Where a link's domain is hosted: A/AAAA → IP → ASN/organisation/country, and
what kind of network that is (cloud/VPS, residential, mail provider).

Addresses come from our resolver, which never hands back private or loopback
answers for a mail-derived name; the IP facts come from the local database
(no network). The kind of network is read from `data/hosting.json` (ASN list
and reverse-DNS suffixes) through the shared knowledge loader.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import default_knowledge
from .context import IntelContext
from .geo import GeoInfo
from .resolver import valid_hostname

MAX_IPS = 4           # per family: enough to name the host, bounded against huge RRsets


@dataclass
class IpHost:
    ip: str
    asn: int | None = None
    org: str = ""
    country: str = ""
    city: str = ""
    hosting: str = ""           # "cloud:<provider>" | "residential:<isp>" | "mail:<provider>" | ""


@dataclass
class DomainHosting:
    domain: str
    status: str = "ok"          # ok | nxdomain | nodata | timeout | error | invalid | refused
    ips: list[IpHost] = field(default_factory=list)
    detail: str = ""


def _suffix_hit(host: str, table: dict[str, str]) -> str:
    host = host.lower().rstrip(".")
    best = ""
    for suffix in table:
        if (host == suffix or host.endswith("." + suffix)) and len(suffix) > len(best):
            best = suffix
    return table.get(best, "") if best else ""


def classify(asn: int | None, rdns: str = "", knowledge: Any = None) -> str:
    """Kind of network from the ASN (cloud list) or a reverse-DNS name."""
    kn = knowledge or default_knowledge()
    if rdns:
        for kind, table in (("mail", kn.mail_provider_rdns), ("cloud", kn.cloud_rdns),
                            ("residential", kn.residential_rdns)):
            name = _suffix_hit(rdns, table)
            if name:
                return f"{kind}:{name}"
    if asn is not None and asn in kn.cloud_asn:
        return f"cloud:{kn.cloud_asn[asn]}"
    return ""


def ip_host(ip: str, geo: GeoInfo, rdns: str = "") -> IpHost:
    return IpHost(ip=ip, asn=geo.asn, org=geo.org, country=geo.country, city=geo.city,
                  hosting=classify(geo.asn, rdns))


async def domain_hosting(domain: str, ctx: IntelContext) -> DomainHosting:
    domain = (domain or "").lower().rstrip(".")
    out = DomainHosting(domain=domain[:253])
    if not valid_hostname(domain):
        out.status, out.detail = "invalid", "not a valid host name"
        return out
    a, aaaa = await asyncio.gather(ctx.resolver.query(domain, "A"), ctx.resolver.query(domain, "AAAA"))
    ips = (a.records[:MAX_IPS] if a.status == "ok" else []) + (aaaa.records[:MAX_IPS] if aaaa.status == "ok" else [])
    if not ips:
        out.status = a.status if a.status != "ok" else aaaa.status
        return out
    out.ips = [ip_host(ip, ctx.geo.lookup(ip)) for ip in ips]
    return out
