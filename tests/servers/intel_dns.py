"""A real DNS server (helper-3's unbound wrapper) serving the seed zones plus
DNSBL test zones, for the network-intelligence tests.

DNSBL zones reproduce the services' answer codes, including the refusals
that must read as *unavailable*: Spamhaus 127.255.255.254 (open/public
resolver) and 127.255.255.255 (over quota), SURBL 127.0.0.1 (blocked).
Public-looking test IPs are used because private targets are never queried.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pytest

from .dkim_fixture import PLACEHOLDER, WEAK_PLACEHOLDER
from .dns_server import DnsServer

LISTED_IP = "45.95.147.10"        # ZEN: SBL
REFUSED_IP = "45.95.147.11"       # ZEN: 127.255.255.254 (query via open resolver)
QUOTA_IP = "45.95.147.12"         # ZEN: 127.255.255.255 (excessive queries)
PBL_IP = "45.95.147.13"           # ZEN: PBL end-user range
REFUSED_DOMAIN = "refused-test.com"   # DBL: 127.255.255.254; SURBL: 127.0.0.1
WEIRD_DOMAIN = "hijacked-test.com"    # an answer outside 127/8: an ISP rewriting NXDOMAIN


def _rev(ip: str) -> str:
    return ".".join(reversed(ip.split(".")))


def _zone(origin: str, records: list[str]) -> str:
    head = ["$TTL 300", f"@ IN SOA ns.{origin}. hostmaster.{origin}. 1 3600 600 86400 60", f"@ IN NS ns.{origin}.",
            "ns IN A 127.0.0.1"]
    return "\n".join(head + records) + "\n"


DNSBL_ZONES = {
    "dbl.spamhaus.org": _zone("dbl.spamhaus.org", [
        "sgogoj.com IN A 127.0.1.4",
        f"{REFUSED_DOMAIN} IN A 127.255.255.254",
        f"{WEIRD_DOMAIN} IN A 93.184.216.34",
    ]),
    "multi.surbl.org": _zone("multi.surbl.org", [
        "sgogoj.com IN A 127.0.0.8",
        f"{REFUSED_DOMAIN} IN A 127.0.0.1",
    ]),
    "zen.spamhaus.org": _zone("zen.spamhaus.org", [
        f"{_rev(LISTED_IP)} IN A 127.0.0.2",
        f"{_rev(LISTED_IP)} IN A 127.0.0.4",
        f"{_rev(REFUSED_IP)} IN A 127.255.255.254",
        f"{_rev(QUOTA_IP)} IN A 127.255.255.255",
        f"{_rev(PBL_IP)} IN A 127.0.0.10",
    ]),
    # Spamhaus DQS: <key>.zen.dq.spamhaus.net
    "dq.spamhaus.net": _zone("dq.spamhaus.net", [
        f"{_rev(LISTED_IP)}.testkey123.zen IN A 127.0.0.3",
        "sgogoj.com.testkey123.dbl IN A 127.0.1.4",
    ]),
}


@dataclass(frozen=True)
class IntelDns:
    address: str
    server: DnsServer


@pytest.fixture(scope="session")
def intel_dns() -> Iterator[IntelDns]:
    # DKIM keys are irrelevant here (the seed is unsigned): publish empty keys.
    server = DnsServer(replacements={PLACEHOLDER: '"v=DKIM1; p="', WEAK_PLACEHOLDER: '"v=DKIM1; p="'},
                       extra_zones=DNSBL_ZONES).start()
    try:
        yield IntelDns(address=server.address, server=server)
    finally:
        server.stop()
