"""Turn one RFC 7208 test-suite scenario's `zonedata` into a root zone file
that unbound can serve, following the suite's driver conventions:

* a type-SPF record is served as TXT unless the name lists its own TXT (or
  `TXT: NONE`): RFC 7208 dropped type SPF, we only ever ask for TXT;
* `TIMEOUT` on a name without TXT data makes the server drop every query for
  it (`local-zone deny`); on a name that has TXT data it only concerned the
  obsolete SPF type, which we never query, so it is ignored;
* `SPF: []` (a TXT record with no strings) becomes one empty string, which
  joins to the same empty text.
Names and record data are escaped by dnspython, so the suite's odd owner
names (spaces, ':', '/') and non-ASCII TXT bytes survive the zone file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import dns.name
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.rdtypes.ANY.TXT
import dns.zone

TTL = 300


@dataclass
class SuiteZone:
    text: str                                    # the root zone file
    timeout_names: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)


def _txt_strings(value: Any) -> list[bytes]:
    parts = value if isinstance(value, list) else [value]
    out: list[bytes] = []
    for part in parts:
        data = str(part).encode("latin-1", "replace") if all(ord(c) < 256 for c in str(part)) \
            else str(part).encode("utf-8")
        out += [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
    return out or [b""]


def _absolute(target: str) -> dns.name.Name:
    target = str(target).strip()
    if not target or target == ".":
        return dns.name.root
    return dns.name.from_text(target.rstrip(".") + ".")


def build(zonedata: dict[str, list[Any]]) -> SuiteZone:
    zone = dns.zone.Zone(dns.name.root, relativize=False)
    soa = dns.rdata.from_text("IN", "SOA", "ns.test-root. hostmaster.test-root. 1 3600 600 86400 300")
    zone.find_rdataset(dns.name.root, dns.rdatatype.SOA, create=True).add(soa, TTL)
    ns = dns.rdata.from_text("IN", "NS", "ns.test-root.")
    zone.find_rdataset(dns.name.root, dns.rdatatype.NS, create=True).add(ns, TTL)
    result = SuiteZone(text="")
    for raw_name, entries in (zonedata or {}).items():
        owner = dns.name.from_text(str(raw_name).rstrip(".") + ".")
        by_type: dict[str, list[Any]] = {}
        timeout = False
        for entry in entries or []:
            if entry == "TIMEOUT":
                timeout = True
                continue
            for rdtype, value in entry.items():
                by_type.setdefault(rdtype.upper(), [])
                if value != "NONE":
                    by_type[rdtype.upper()].append(value)
        if "SPF" in by_type and "TXT" not in by_type:
            by_type["TXT"] = list(by_type["SPF"])
        by_type.pop("SPF", None)
        if timeout and not by_type.get("TXT"):
            result.timeout_names.append(owner.to_text(omit_final_dot=True))
            continue
        result.owners.append(owner.to_text(omit_final_dot=True))
        for rdtype, values in by_type.items():
            for value in values:
                if rdtype == "TXT":
                    rd = dns.rdtypes.ANY.TXT.TXT(dns.rdataclass.IN, dns.rdatatype.TXT, _txt_strings(value))
                elif rdtype == "MX":
                    rd = dns.rdata.from_text("IN", "MX", f"{int(value[0])} {_absolute(value[1]).to_text()}")
                elif rdtype in ("PTR", "CNAME"):
                    rd = dns.rdata.from_text("IN", rdtype, _absolute(value).to_text())
                else:
                    rd = dns.rdata.from_text("IN", rdtype, str(value))
                zone.find_rdataset(owner, dns.rdatatype.from_text(rdtype), create=True).add(rd, TTL)
    result.text = zone.to_text(relativize=False)
    return result
