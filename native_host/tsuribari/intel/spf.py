"""SPF (RFC 7208) evaluated by us, from the origin IP, against a domain.

`check_spf` is check_host() of §4 with every result code, the 10-DNS-lookup
limit, the 2-void-lookup limit, the 10-MX / 10-PTR limits, macros, include,
redirect, exists, ptr, a/mx with dual CIDR and the optional exp=. Besides the
verdict it collects what the record *authorises* (the ranges and hosts behind
its positive mechanisms, as far as evaluation went), because the analyst's
sentence is "the domain allows X; this mail came from Y".

The resolver is anything with `query(name, rdtype, allow_private=...)` and
`ptr(ip)` returning DnsAnswer-like objects, so the RFC test suite can drive
the evaluator from its own zone data.
"""
from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from . import spf_macro
from .resolver import ascii_name
from .spf_record import Mechanism, Record, SpfSyntaxError, is_spf, parse

MAX_DNS_LOOKUPS = 10      # §4.6.4: terms that cause DNS queries
MAX_VOID_LOOKUPS = 2      # §4.6.4: empty/NXDOMAIN answers
MAX_MX = 10               # §4.6.4: address lookups per mx
MAX_PTR = 10              # §4.6.4: names checked per ptr
MAX_AUTHORIZED = 100      # evidence, not a dump
DEFAULT_EXPLANATION = "SPF fail - not authorised"
_RESULTS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
_TEMP = ("timeout", "servfail", "error")
IPAddr = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass
class SpfResult:
    result: str              # pass|fail|softfail|neutral|none|temperror|permerror
    domain: str
    ip: str
    mechanism: str = ""      # the term that decided, "default", or why it erred
    explanation: str = ""
    record: str = ""
    authorized: list[str] = field(default_factory=list)
    dns_lookups: int = 0
    void_lookups: int = 0


class _PermError(Exception):
    pass


class _TempError(Exception):
    pass


@dataclass
class _Outcome:
    result: str
    mechanism: str
    exp: str | None
    domain: str
    record: str


def _initial_domain_ok(domain: str) -> bool:
    """§4.3: malformed or single-label domains give "none" without any query."""
    if not domain or domain.startswith("[") or len(domain) > 253:
        return False
    labels = domain.rstrip(".").split(".")
    return len(labels) >= 2 and all(0 < len(label) <= 63 for label in labels)


def _query_name_ok(name: str) -> bool:
    if not name or len(name) > 253:
        return False
    return all(0 < len(label) <= 63 for label in name.split("."))


def _show(net: ipaddress.IPv4Network | ipaddress.IPv6Network) -> str:
    return str(net.network_address) if net.prefixlen == net.max_prefixlen else str(net)


class _Evaluator:
    def __init__(self, resolver: Any, ip: IPAddr, sender: str, local: str, sender_domain: str,
                 helo: str) -> None:
        self.resolver = resolver
        self.ip = ip
        self.sender, self.local, self.sender_domain, self.helo = sender, local, sender_domain, helo
        self.dns_lookups = 0
        self.void_lookups = 0
        self.authorized: list[str] = []
        self._collect = [True]     # inside a non-"+" include nothing is "authorised"
        self._p: str | None = None
        self.top_record = ""       # the checked domain's own record, for evidence

    # -- counters ---------------------------------------------------------
    def _count(self) -> None:
        self.dns_lookups += 1
        if self.dns_lookups > MAX_DNS_LOOKUPS:
            raise _PermError(f"more than {MAX_DNS_LOOKUPS} DNS-querying terms")

    def _void(self) -> None:
        self.void_lookups += 1
        if self.void_lookups > MAX_VOID_LOOKUPS:
            raise _PermError(f"more than {MAX_VOID_LOOKUPS} void lookups")

    def _authorise(self, item: str) -> None:
        if self._collect[-1] and item not in self.authorized and len(self.authorized) < MAX_AUTHORIZED:
            self.authorized.append(item)

    # -- macros -----------------------------------------------------------
    def ctx(self, domain: str) -> spf_macro.MacroContext:
        return spf_macro.MacroContext(sender=self.sender, local=self.local,
                                      sender_domain=self.sender_domain, domain=domain,
                                      ip=self.ip, helo=self.helo, p=self._p or "unknown")

    async def target(self, spec: str, domain: str) -> str:
        if not spec:
            return domain
        if spf_macro.uses_p(spec) and self._p is None:
            self._p = await self._validated_name(domain)
        try:
            return spf_macro.expand_domain(spec, self.ctx(domain))
        except spf_macro.MacroError as exc:
            raise _PermError(str(exc)) from exc

    # -- DNS helpers ------------------------------------------------------
    async def _addresses(self, name: str, temp_is_error: bool = True) -> list[IPAddr] | None:
        """A or AAAA (by the client's family) of `name`; None = void."""
        if not _query_name_ok(name):
            return None
        rdtype = "A" if isinstance(self.ip, ipaddress.IPv4Address) else "AAAA"
        ans = await self.resolver.query(name, rdtype, allow_private=True)
        if ans.status in _TEMP and temp_is_error:
            raise _TempError(f"{name} {rdtype}: {ans.status}")
        if ans.status != "ok" or not ans.records:
            return None
        out: list[IPAddr] = []
        for rec in ans.records:
            try:
                out.append(ipaddress.ip_address(rec))
            except ValueError:
                continue
        return out

    async def _ptr_names(self) -> list[str] | None:
        ans = await self.resolver.ptr(str(self.ip))
        if ans.status != "ok" or not ans.records:
            return None
        return [r.rstrip(".").lower() for r in ans.records[:MAX_PTR]]

    async def _validated(self, names: list[str]) -> list[str]:
        """§5.5: keep the PTR names whose own addresses include the client IP.
        Looked up concurrently; an error on one name only skips that name."""
        async def check(name: str) -> str | None:
            try:
                addrs = await self._addresses(name, temp_is_error=False)
            except _TempError:
                return None
            return name if addrs and self.ip in addrs else None
        results = await asyncio.gather(*(check(n) for n in names))
        return [n for n in results if n]

    async def _validated_name(self, domain: str) -> str:
        """%{p}: a validated name of the client, preferring one under `domain`."""
        names = await self._ptr_names()
        if not names:
            return "unknown"
        valid = await self._validated(names)
        d = domain.lower()
        for name in valid:
            if name == d or name.endswith("." + d):
                return name
        return valid[0] if valid else "unknown"

    # -- record -----------------------------------------------------------
    async def _record(self, domain: str) -> str | None:
        if not _query_name_ok(domain):
            return None
        ans = await self.resolver.query(domain, "TXT")
        if ans.status in _TEMP or (ans.status == "refused" and not ans.records):
            raise _TempError(f"{domain} TXT: {ans.status}")
        if ans.status != "ok":
            return None
        found = [r for r in ans.records if is_spf(r)]
        if len(found) > 1:
            raise _PermError(f"{domain} publishes {len(found)} SPF records")
        if found and not self.top_record:
            self.top_record = found[0][:2000]
        return found[0] if found else None

    async def check_host(self, domain: str) -> _Outcome:
        text = await self._record(domain)
        if text is None:
            return _Outcome("none", "no SPF record", None, domain, "")
        try:
            record: Record = parse(text)
        except SpfSyntaxError as exc:
            raise _PermError(f"{domain}: {exc}") from exc
        for mech in record.mechanisms:
            if await self._match(mech, domain):
                return _Outcome(_RESULTS[mech.qualifier], mech.text, record.exp, domain, text)
        if record.redirect is not None:
            self._count()
            target = await self.target(record.redirect, domain)
            if not _query_name_ok(target):
                raise _PermError(f"redirect target {target!r} is not a domain")
            out = await self.check_host(target)
            if out.result == "none":
                raise _PermError(f"redirect={target} has no SPF record")
            return out
        return _Outcome("neutral", "default", record.exp, domain, text)

    async def _match(self, mech: Mechanism, domain: str) -> bool:
        name = mech.name
        if name == "all":
            return True
        if name in ("ip4", "ip6"):
            assert mech.network is not None
            if mech.qualifier == "+":
                self._authorise(_show(mech.network))
            return mech.network.version == self.ip.version and self.ip in mech.network
        self._count()
        target = await self.target(mech.domain_spec, domain)
        if name == "include":
            return await self._include(mech, target)
        if name == "a":
            addrs = await self._addresses(target)
            if addrs is None:
                self._void()
                return False
            return self._in_any(mech, addrs)
        if name == "mx":
            return await self._mx(mech, target)
        if name == "ptr":
            return await self._ptr(mech, target)
        if name == "exists":
            if not _query_name_ok(target):
                self._void()
                return False
            ans = await self.resolver.query(target, "A", allow_private=True)
            if ans.status in _TEMP:
                raise _TempError(f"{target} A: {ans.status}")
            if ans.status != "ok" or not ans.records:
                self._void()
                return False
            if mech.qualifier == "+":
                self._authorise(f"exists:{target}")
            return True
        raise _PermError(f"unknown mechanism {name}")

    def _in_any(self, mech: Mechanism, addrs: list[IPAddr]) -> bool:
        hit = False
        for addr in addrs:
            if addr.version != self.ip.version:
                continue
            prefix = mech.cidr4 if addr.version == 4 else mech.cidr6
            net = ipaddress.ip_network(f"{addr}/{prefix}", strict=False)
            if mech.qualifier == "+":
                self._authorise(_show(net))
            hit = hit or self.ip in net
        return hit

    async def _include(self, mech: Mechanism, target: str) -> bool:
        if not _query_name_ok(target):
            raise _PermError(f"include target {target!r} is not a domain")
        self._collect.append(self._collect[-1] and mech.qualifier == "+")
        try:
            out = await self.check_host(target)
        finally:
            self._collect.pop()
        if out.result == "pass":
            return True
        if out.result in ("fail", "softfail", "neutral"):
            return False
        raise _PermError(f"include:{target} has no SPF record")   # "none"

    async def _mx(self, mech: Mechanism, target: str) -> bool:
        if not _query_name_ok(target):
            self._void()
            return False
        ans = await self.resolver.query(target, "MX")
        if ans.status in _TEMP:
            raise _TempError(f"{target} MX: {ans.status}")
        if ans.status != "ok" or not ans.records:
            self._void()
            return False
        if len(ans.records) > MAX_MX:
            raise _PermError(f"{target} has more than {MAX_MX} MX records")
        hosts = [h.rstrip(".") for h in ans.records if h.strip(".")]
        found = await asyncio.gather(*(self._addresses(h) for h in hosts))
        hit = False
        for addrs in found:
            if addrs:
                hit = self._in_any(mech, addrs) or hit
        return hit

    async def _ptr(self, mech: Mechanism, target: str) -> bool:
        names = await self._ptr_names()
        if names is None:
            self._void()
            return False
        if mech.qualifier == "+":
            self._authorise(f"ptr:{target}")
        t = target.lower().rstrip(".")
        for name in await self._validated(names):
            if name == t or name.endswith("." + t):
                return True
        return False

    async def explain(self, out: _Outcome) -> str:
        """§6.2: exp= is looked up once, after the result is known; any
        problem with it silently falls back to the default text."""
        if out.exp is None:
            return DEFAULT_EXPLANATION
        try:
            target = await self.target(out.exp, out.domain)
        except (_PermError, _TempError):
            return DEFAULT_EXPLANATION
        if not _query_name_ok(target):
            return DEFAULT_EXPLANATION
        ans = await self.resolver.query(target, "TXT")
        if ans.status != "ok" or len(ans.records) != 1 or not ans.records[0].isascii():
            return DEFAULT_EXPLANATION
        text = ans.records[0]
        if spf_macro.uses_p(text) and self._p is None:
            self._p = await self._validated_name(out.domain)
        try:
            return spf_macro.expand(text, self.ctx(out.domain), exp=True)[:500]
        except spf_macro.MacroError:
            return DEFAULT_EXPLANATION


def _client_ip(ip: str) -> IPAddr | None:
    try:
        addr = ipaddress.ip_address(ip.strip())
    except (ValueError, AttributeError):
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped     # §5: an IPv4-mapped client is an IPv4 client
    return addr


async def check_spf(ip: str, domain: str, helo: str, resolver: Any, sender: str = "") -> SpfResult:
    """check_host(ip, domain, sender). `sender` defaults to postmaster@domain
    (the HELO identity / a null reverse-path)."""
    domain = (domain or "").strip()
    if not domain.isascii():
        domain = ascii_name(domain) or domain   # IDN From/envelope domains are looked up as A-labels
    addr = _client_ip(ip)
    if addr is None:
        return SpfResult("none", domain, str(ip), mechanism="client IP is not an address")
    if not _initial_domain_ok(domain):
        return SpfResult("none", domain, str(addr), mechanism="domain is malformed")
    sender = sender or f"postmaster@{domain}"
    local, _, sender_domain = sender.rpartition("@")
    if not local:
        local = "postmaster"
        sender = f"postmaster@{sender_domain or domain}"
    ev = _Evaluator(resolver, addr, sender, local, sender_domain or domain, helo or "")
    result = SpfResult("none", domain, str(addr))
    try:
        out = await ev.check_host(domain.rstrip("."))
        result.result, result.mechanism, result.record = out.result, out.mechanism, out.record
        if out.result == "fail":
            result.explanation = await ev.explain(out)
    except _PermError as exc:
        result.result, result.mechanism = "permerror", str(exc)[:300]
    except _TempError as exc:
        result.result, result.mechanism = "temperror", str(exc)[:300]
    result.record = ev.top_record or result.record
    result.authorized = ev.authorized
    result.dns_lookups = ev.dns_lookups
    result.void_lookups = ev.void_lookups
    return result
