"""An in-memory resolver over the RFC 7208 test suite's zone data.

The suite describes ~40 small scenarios whose zones overlap (every scenario
has its own `example.com`), use record shapes a zone file cannot carry
(non-ASCII TXT, TIMEOUT markers, type-SPF-only names) and rely on the
suite's own conventions (SPF records copied to TXT unless `TXT: NONE`). We
therefore feed the evaluator this resolver, which implements the same
`query`/`ptr` interface as `tsuribari.intel.resolver.Resolver`; the real DNS
server is used for the seed and integration tests.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

from tsuribari.intel.resolver import DnsAnswer


def _norm(name: str) -> str:
    return name.lower().rstrip(".")


def _txt(value: Any) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return str(value)


@dataclass
class ZoneResolver:
    zonedata: dict[str, list[Any]]
    queries: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.zone: dict[str, dict[str, list[Any]]] = {}
        self.timeout: set[str] = set()
        for raw_name, entries in (self.zonedata or {}).items():
            name = _norm(str(raw_name))
            rrs = self.zone.setdefault(name, {})
            for entry in entries or []:
                if entry == "TIMEOUT":
                    self.timeout.add(name)
                    continue
                for rdtype, value in entry.items():
                    rrs.setdefault(rdtype.upper(), [])
                    if value != "NONE":
                        rrs[rdtype.upper()].append(value)
            # The suite's drivers copy type-SPF records to TXT unless TXT is given.
            if "SPF" in rrs and "TXT" not in rrs:
                rrs["TXT"] = list(rrs["SPF"])

    async def ptr(self, ip: str) -> DnsAnswer:
        return await self.query(ipaddress.ip_address(ip).reverse_pointer, "PTR")

    async def query(self, name: str, rdtype: str, allow_private: bool = False) -> DnsAnswer:
        rdtype = rdtype.upper()
        self.queries.append((name, rdtype))
        owner = _norm(name)
        if len(owner) > 253 or any(not 0 < len(label) <= 63 for label in owner.split(".")):
            return DnsAnswer(name, rdtype, status="invalid")
        seen: set[str] = set()
        while True:
            rrs = self.zone.get(owner)
            if rrs is None:
                if owner in self.timeout:
                    return DnsAnswer(name, rdtype, status="timeout")
                return DnsAnswer(name, rdtype, ttl=300, status="nxdomain")
            if rdtype != "CNAME" and rrs.get("CNAME"):
                if owner in seen:
                    return DnsAnswer(name, rdtype, status="servfail")   # CNAME loop
                seen.add(owner)
                owner = _norm(str(rrs["CNAME"][0]))
                continue
            break
        values = rrs.get(rdtype, [])
        if not values:
            if owner in self.timeout:
                return DnsAnswer(name, rdtype, status="timeout")
            return DnsAnswer(name, rdtype, ttl=300, status="nodata")
        if rdtype in ("TXT", "SPF"):
            records = [_txt(v) for v in values]
        elif rdtype == "MX":
            records = [str(v[1]).rstrip(".") for v in sorted(values, key=lambda v: int(v[0]))]
        else:
            records = [str(v).rstrip(".") for v in values]
        return DnsAnswer(name, rdtype, records=records, ttl=300, status="ok")
