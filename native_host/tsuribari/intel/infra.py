"""The sender domain's own infrastructure, as the domain itself publishes it:
web/mail host addresses, MX hosts, and what its SPF record authorises. This is
the "what the domain says about itself" half of the analyst's comparison with
where the mail actually came from."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from .resolver import ascii_name, valid_hostname
from .spf import check_spf
from .spf_record import is_spf

# SPF is evaluated for an address from TEST-NET-1 (RFC 5737), which no
# record legitimately authorises, so evaluation walks every mechanism and
# collects the complete authorised set instead of stopping at a match.
PROBE_IP = "192.0.2.0"
MAX_ITEMS = 20


@dataclass
class DomainInfra:
    domain: str
    a: list[str] = field(default_factory=list)
    aaaa: list[str] = field(default_factory=list)
    mx: list[str] = field(default_factory=list)
    spf_record: str = ""
    spf_authorized: list[str] = field(default_factory=list)


async def domain_infra(domain: str, resolver) -> DomainInfra:
    domain = ascii_name((domain or "").strip()).lower().rstrip(".")
    info = DomainInfra(domain=domain)
    if not valid_hostname(domain):
        return info
    a, aaaa, mx, spf = await asyncio.gather(
        resolver.query(domain, "A"), resolver.query(domain, "AAAA"), resolver.query(domain, "MX"),
        check_spf(PROBE_IP, domain, domain, resolver))
    info.a = a.records[:MAX_ITEMS] if a.status == "ok" else []
    info.aaaa = aaaa.records[:MAX_ITEMS] if aaaa.status == "ok" else []
    info.mx = [h for h in mx.records[:MAX_ITEMS] if h] if mx.status == "ok" else []
    info.spf_record = spf.record if is_spf(spf.record) else ""
    info.spf_authorized = spf.authorized
    return info
