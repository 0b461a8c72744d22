"""What the network layer found, as plain data (see gather.py).

Kept apart from gather.py so that readers of the result (findings, renderers)
import no HTTP or DNS machinery.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Lookup


@dataclass
class IpIntel:
    ip: str
    roles: list[str] = field(default_factory=list)   # "origin", "link:<host>"
    asn: int | None = None
    org: str = ""
    country: str = ""
    city: str = ""
    hosting: str = ""
    rdns: str = ""
    rdap: Any = None          # IpRdap | None


@dataclass
class DomainIntel:
    domain: str
    roles: list[str] = field(default_factory=list)   # "link", "from"
    hosting: Any = None       # DomainHosting | None (for link hosts)
    rdap: Any = None          # DomainRdap | None


@dataclass
class Intel:
    spf: Any = None           # SpfResult | None
    dkim: Any = None          # list[DkimResult] | None (None = not checked)
    dmarc: Any = None         # DmarcResult | None
    infra: Any = None         # DomainInfra | None
    from_domain: str = ""
    envelope_domain: str = ""
    origin_ip: str = ""
    ip_info: dict[str, IpIntel] = field(default_factory=dict)
    domains: dict[str, DomainIntel] = field(default_factory=dict)
    listings: list[Any] = field(default_factory=list)     # reputation.Listing
    lookups: list[Lookup] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    timed_out: list[str] = field(default_factory=list)    # tasks the budget cut
    elapsed_ms: float = 0.0
