"""A bounded async DNS stub resolver for names taken from hostile mail.

Every name we look up was chosen by the sender of the mail, so this module
validates names before a packet leaves, asks only the configured
nameservers (never a server named by the mail), answers every failure as a
status instead of an exception, and bounds time (per query and in total
through the caller's budget), answer size (UDP/TCP DNS is at most 64 KiB and
we keep at most MAX_RECORDS records of MAX_RECORD_CHARS each) and the number
of queries one analysis may send.

We talk to the server with dnspython's low-level `asyncquery` rather than
`asyncresolver` because we need the exact rcode (SERVFAIL vs REFUSED vs
NXDOMAIN) and the negative-answer TTL for the cache, which the high-level
resolver folds into exceptions.
"""
from __future__ import annotations

import asyncio
import ipaddress
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.reversename

from ..model import Lookup

MAX_NAME_LEN = 253          # RFC 1035 presentation length without the final dot
MAX_LABEL_LEN = 63
MAX_RECORDS = 100           # more records than this in one answer is abuse, not data
MAX_RECORD_CHARS = 8192     # one TXT record (DKIM keys are < 1 KiB, SPF < 512 B)
MAX_LOG = 1000              # lookups logged per analysis; refusals are free, so cap them
NEGATIVE_TTL_S = 300        # when the server sends no SOA with a negative answer
SUPPORTED_TYPES = ("A", "AAAA", "MX", "TXT", "PTR", "CNAME", "NS", "SPF")

# Special-use names (RFC 6761/6762/8375 and friends) that must never reach a
# resolver from mail: they are either local by definition or meaningless.
_SPECIAL_SUFFIXES = ("localhost", "local", "localdomain", "invalid", "onion",
                     "internal", "home.arpa", "lan", "intranet", "corp")
_LDH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_LDH_UNDERSCORE = _LDH | {"_"}


class Cache(Protocol):
    def get(self, key: str) -> Any: ...
    def put(self, key: str, value: Any, ttl: int) -> None: ...


@dataclass
class DnsAnswer:
    name: str
    rdtype: str
    records: list[str] = field(default_factory=list)
    ttl: int = 0
    status: str = "ok"       # ok|nxdomain|nodata|servfail|timeout|refused|error|invalid


def _labels(name: str) -> list[str] | None:
    if not isinstance(name, str) or not name or not name.isascii():
        return None
    name = name[:-1] if name.endswith(".") else name
    if not name or len(name) > MAX_NAME_LEN:
        return None
    labels = name.lower().split(".")
    if any(not 0 < len(label) <= MAX_LABEL_LEN for label in labels):
        return None
    return labels


def _is_special(labels: list[str]) -> bool:
    joined = ".".join(labels)
    return any(joined == s or joined.endswith("." + s) for s in _SPECIAL_SUFFIXES)


def ascii_name(name: str) -> str:
    """The A-label (punycode) form of a possibly internationalised name, or ""
    when it cannot be one (the parser hands us Unicode domains). Only the
    ASCII form is ever validated and sent."""
    if not isinstance(name, str) or not name or len(name) > 1024:
        return ""
    if name.isascii():
        return name
    try:
        return dns.name.from_unicode(name).to_text(omit_final_dot=not name.endswith("."))
    except (dns.exception.DNSException, UnicodeError, ValueError):
        return ""


def valid_hostname(name: str) -> bool:
    """A public host name as it may appear in mail: LDH labels, at least two of
    them, no leading/trailing hyphen, a non-numeric TLD (so `127.0.0.1` or
    `0x7f.1` are not names), and not a special-use local name."""
    labels = _labels(name)
    if labels is None or len(labels) < 2 or _is_special(labels):
        return False
    for label in labels:
        if not set(label) <= _LDH or label[0] == "-" or label[-1] == "-":
            return False
    return not labels[-1].isdigit()


def valid_query_name(name: str) -> bool:
    """A name we may send to the resolver: like `valid_hostname` but labels may
    carry underscores (`_dmarc`, `<selector>._domainkey`, SPF macro results),
    since those are TXT owner names, not host names. Still no empty labels,
    no special-use local names, no numeric TLD."""
    labels = _labels(name)
    if labels is None or len(labels) < 2 or _is_special(labels):
        return False
    if labels[-1].isdigit():
        return False
    return all(set(label) <= _LDH_UNDERSCORE for label in labels)


def _public_ip(text: str) -> bool:
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _nameservers(specs: list[str]) -> list[tuple[str, int]]:
    """"host:port" (or "[v6]:port" or a bare address) → (address, port)."""
    out: list[tuple[str, int]] = []
    for spec in specs:
        host, port = spec.strip(), 53
        if host.startswith("["):
            inner, _, rest = host[1:].partition("]")
            host = inner
            if rest.startswith(":") and rest[1:].isdigit():
                port = int(rest[1:])
        elif host.count(":") == 1:
            host, _, p = host.partition(":")
            port = int(p) if p.isdigit() else 53
        out.append((host, port))
    return out


def _system_nameservers() -> list[tuple[str, int]]:
    try:
        return [(ns, 53) for ns in dns.resolver.Resolver().nameservers if isinstance(ns, str)]
    except Exception:   # no /etc/resolv.conf: we simply have no server
        return []


def _rdata_text(rdtype: str, rdata: Any) -> str:
    if rdtype in ("TXT", "SPF"):
        # RFC 7208 §3.3: the strings of one TXT record are joined without spaces.
        return b"".join(rdata.strings).decode("utf-8", "replace")[:MAX_RECORD_CHARS]
    if rdtype == "MX":
        return rdata.exchange.to_text(omit_final_dot=True)
    if rdtype in ("PTR", "CNAME", "NS"):
        return rdata.target.to_text(omit_final_dot=True)
    return rdata.to_text()[:MAX_RECORD_CHARS]


def _from_cache(name: str, rdtype: str, hit: Any) -> DnsAnswer | None:
    """A cached answer, or None when the entry is missing or not what we wrote
    (a damaged cache file is treated as a miss, never trusted blindly)."""
    if not isinstance(hit, dict):
        return None
    records, ttl, status = hit.get("records"), hit.get("ttl", 0), hit.get("status")
    if not isinstance(records, list) or not all(isinstance(r, str) for r in records):
        return None
    if status not in ("ok", "nxdomain", "nodata") or not isinstance(ttl, int):
        return None
    return DnsAnswer(name=name, rdtype=rdtype, records=[r[:MAX_RECORD_CHARS] for r in records[:MAX_RECORDS]],
                     ttl=ttl, status=status)


class Resolver:
    """Async stub resolver with validation, budget, cache and a lookup log.

    `lookups` is the caller's list; one `Lookup` is appended per query asked
    (network, cache hit, or refused before sending) so the verdict can name
    what was tried and how it went.
    """

    def __init__(self, nameservers: list[str], timeout_s: float, lookups: list[Lookup],
                 cache: Cache | None = None, max_queries: int = 200,
                 allow_private_answers: bool = False) -> None:
        self.servers = _nameservers(nameservers) if nameservers else _system_nameservers()
        self.timeout_s = max(0.05, float(timeout_s))
        self.lookups = lookups
        self.cache = cache
        self.max_queries = max_queries
        # Addresses in answers to mail-derived names that point at loopback or
        # private space are withheld (status "refused"): nothing downstream may
        # use them as a target. The cache keeps the raw answer; the filter is
        # applied on the way out.
        self.allow_private_answers = allow_private_answers
        self.sent = 0
        # Concurrent identical queries share one packet (the orchestrator and
        # SPF/DMARC ask for the same records at once).
        self._inflight: dict[tuple[str, str], asyncio.Future[DnsAnswer]] = {}

    async def ptr(self, ip: str) -> DnsAnswer:
        try:
            addr = ipaddress.ip_address(ip.strip())
        except (ValueError, AttributeError):
            return self._refuse(str(ip), "PTR", "invalid", "not an IP address")
        if not _public_ip(str(addr)):
            return self._refuse(str(addr), "PTR", "invalid", "private or special address")
        name = dns.reversename.from_address(str(addr)).to_text(omit_final_dot=True)
        return await self._query(name, "PTR")

    async def query(self, name: str, rdtype: str, allow_private: bool = False) -> DnsAnswer:
        """`allow_private` is for callers that only compare the addresses
        (SPF `a`/`exists`, where 127.0.0.2 is a normal answer) and never use
        them as a target."""
        rdtype = str(rdtype).upper()
        if rdtype not in SUPPORTED_TYPES:
            return self._refuse(str(name), rdtype, "invalid", "unsupported record type")
        name = ascii_name(name) or str(name)
        if not valid_query_name(name):
            return self._refuse(str(name)[:300], rdtype, "invalid", "not a valid DNS name")
        answer = await self._query(name.lower().rstrip("."), rdtype)
        if rdtype in ("A", "AAAA") and answer.status == "ok" and not (
                allow_private or self.allow_private_answers):
            public = [r for r in answer.records if _public_ip(r)]
            if not public:
                self._log(Lookup(kind="dns", target=f"{answer.name} {rdtype}", status="refused",
                                           detail="answer pointed only at private/loopback space; withheld"))
                return DnsAnswer(name=answer.name, rdtype=rdtype, ttl=answer.ttl, status="refused")
            answer = DnsAnswer(name=answer.name, rdtype=rdtype, records=public, ttl=answer.ttl, status="ok")
        return answer

    def _log(self, lookup: Lookup) -> None:
        if len(self.lookups) < MAX_LOG:
            self.lookups.append(lookup)

    def _refuse(self, name: str, rdtype: str, status: str, why: str) -> DnsAnswer:
        name = name[:260]   # a hostile 1 MB "name" must not bloat the verdict
        self._log(Lookup(kind="dns", target=f"{name} {rdtype}", status=status, detail=why))
        return DnsAnswer(name=name, rdtype=rdtype, status=status)

    async def _query(self, name: str, rdtype: str) -> DnsAnswer:
        key = (name, rdtype)
        if self.cache is not None:
            try:
                hit = self.cache.get(f"dns:{rdtype}:{name}")
            except Exception:   # corrupt/locked cache: ask the network instead
                hit = None
            cached = _from_cache(name, rdtype, hit)
            if cached is not None:
                self._log(Lookup(kind="dns", target=f"{name} {rdtype}", status="cached"))
                return cached
        task = self._inflight.get(key)
        if task is None:
            # The query runs as its own task shared by every concurrent asker;
            # one asker being cancelled (its budget ran out) does not cancel
            # it for the others. It is bounded by the timeout regardless.
            task = asyncio.ensure_future(self._ask_and_cache(name, rdtype))
            self._inflight[key] = task
            task.add_done_callback(lambda _t, k=key: self._inflight.pop(k, None))
        return await asyncio.shield(task)

    async def _ask_and_cache(self, name: str, rdtype: str) -> DnsAnswer:
        answer = await self._ask(name, rdtype)
        if self.cache is not None and answer.status in ("ok", "nxdomain", "nodata"):
            try:
                self.cache.put(f"dns:{rdtype}:{name}",
                               {"records": answer.records, "ttl": answer.ttl, "status": answer.status},
                               max(1, answer.ttl))
            except Exception:   # a broken cache degrades to no cache, never fails a lookup
                pass
        return answer

    async def _ask(self, name: str, rdtype: str) -> DnsAnswer:
        target = f"{name} {rdtype}"
        if self.sent >= self.max_queries:
            self._log(Lookup(kind="dns", target=target, status="error",
                                       detail="query limit for this analysis reached"))
            return DnsAnswer(name=name, rdtype=rdtype, status="error")
        if not self.servers:
            self._log(Lookup(kind="dns", target=target, status="error", detail="no nameserver"))
            return DnsAnswer(name=name, rdtype=rdtype, status="error")
        self.sent += 1
        start = time.monotonic()
        status, detail = "timeout", ""
        response: dns.message.Message | None = None
        used_tcp = False
        q = dns.message.make_query(name, rdtype, use_edns=0, payload=1232)
        # One deadline for the whole query, shared across servers: a slow first
        # server must not multiply the caller's timeout.
        deadline = start + self.timeout_s
        for host, port in self.servers:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                response, used_tcp = await dns.asyncquery.udp_with_fallback(
                    q, host, timeout=left, port=port, ignore_unexpected=True)
            except dns.exception.Timeout:
                status, detail = "timeout", f"no answer from {host}:{port}"
                continue
            except (OSError, EOFError) as exc:
                status, detail = "error", f"{host}:{port}: {exc.__class__.__name__}"
                continue
            except (dns.exception.DNSException, ValueError) as exc:
                status, detail = "error", f"malformed answer: {exc.__class__.__name__}"
                continue
            rcode = response.rcode()
            if rcode == dns.rcode.SERVFAIL:
                status, detail, response = "servfail", f"SERVFAIL from {host}:{port}", None
                continue
            if rcode == dns.rcode.REFUSED:
                status, detail, response = "refused", f"REFUSED by {host}:{port}", None
                continue
            break
        ms = round((time.monotonic() - start) * 1000.0, 1)
        if response is None:
            self._log(Lookup(kind="dns", target=target, status=status, ms=ms, detail=detail))
            return DnsAnswer(name=name, rdtype=rdtype, status=status)
        answer = self._parse(name, rdtype, response)
        detail = f"{len(answer.records)} record(s)" if answer.records else ""
        if used_tcp:
            detail = (detail + "; " if detail else "") + "truncated over UDP, answered over TCP"
        self._log(Lookup(kind="dns", target=target, status=answer.status, ms=ms, detail=detail))
        return answer

    def _parse(self, name: str, rdtype: str, response: dns.message.Message) -> DnsAnswer:
        rcode = response.rcode()
        if rcode == dns.rcode.NXDOMAIN:
            return DnsAnswer(name=name, rdtype=rdtype, ttl=self._negative_ttl(response), status="nxdomain")
        if rcode != dns.rcode.NOERROR:
            return DnsAnswer(name=name, rdtype=rdtype, status="error")
        want = dns.rdatatype.from_text(rdtype)
        # Follow the CNAME chain the server put in the answer section, so a
        # record set for an unrelated owner smuggled into the answer is ignored.
        owner = dns.name.from_text(name)
        rrsets = {(r.name, r.rdtype): r for r in response.answer}
        for _ in range(16):
            cname = rrsets.get((owner, dns.rdatatype.CNAME))
            if cname is None or want == dns.rdatatype.CNAME:
                break
            owner = next(iter(cname)).target
        rrset = rrsets.get((owner, want))
        if rrset is None:
            return DnsAnswer(name=name, rdtype=rdtype, ttl=self._negative_ttl(response), status="nodata")
        items = list(rrset)[:MAX_RECORDS]
        if rdtype == "MX":
            items.sort(key=lambda r: r.preference)
        records = [_rdata_text(rdtype, r) for r in items]
        return DnsAnswer(name=name, rdtype=rdtype, records=records, ttl=int(rrset.ttl), status="ok")

    @staticmethod
    def _negative_ttl(response: dns.message.Message) -> int:
        for rrset in response.authority:
            if rrset.rdtype == dns.rdatatype.SOA:
                return int(min(rrset.ttl, next(iter(rrset)).minimum))
        return NEGATIVE_TTL_S
