"""IP owner over RDAP with ipwhois: network name, organisation, country, CIDR, abuse e-mail.

ipwhois is synchronous (urllib), so it runs in the context's own thread
pool under a deadline. We always call it with `bootstrap=True`: it then asks
ARIN's RDAP bootstrap, which redirects to the right RIR, instead of first
resolving the ASN through Team Cymru's DNS or port-43 whois on its own,
outside our resolver, limits and log. Retries and its rate-limit sleeps
(up to 120 s each) are switched off: one attempt, our deadline.

ipwhois lets the caller supply the urllib opener, which is how we keep it
inside our rules without patching it: `_Redirect` rewrites its fixed
`https://rdap-bootstrap.arin.net/bootstrap` base to `[endpoints]
rdap_ip_base` when that is set (tests point it at the loopback emulator;
the queried IP itself stays the mail's public IP, which ipwhois insists on),
and `_Capped` bounds every answer's size and JSON depth, which ipwhois
itself does not.
"""
from __future__ import annotations

import asyncio
import io
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from typing import Any

from .cache import record_from_cache
from .context import IntelContext
from .http import MAX_JSON_DEPTH, as_dict, as_list, clean, json_depth
from .rdap import entity_roles, vcard_fields, walk_entities

CACHE_TTL_S = 86400
ARIN_BOOTSTRAP = "https://rdap-bootstrap.arin.net/bootstrap"


@dataclass
class IpRdap:
    ip: str
    status: str = "ok"          # ok | notfound | timeout | error | invalid
    network_name: str = ""
    handle: str = ""
    cidr: str = ""
    country: str = ""
    org: str = ""
    abuse_emails: list[str] = field(default_factory=list)
    server: str = ""
    detail: str = ""


class _TooLarge(Exception):
    pass


class _Redirect(urllib.request.BaseHandler):
    """Pre-processor: send ipwhois's fixed ARIN bootstrap URLs to our base."""
    handler_order = 100

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.hosts: list[str] = []

    def _rewrite(self, req: urllib.request.Request) -> urllib.request.Request:
        url = req.full_url
        if self.base and url.startswith(ARIN_BOOTSTRAP):
            url = self.base + url[len(ARIN_BOOTSTRAP):]
            req.full_url = url   # in place: the opener already set req.timeout on it
        self.hosts.append(urllib.request.urlparse(url).hostname or "")
        return req

    http_request = https_request = _rewrite


class _Capped(urllib.request.BaseHandler):
    """Post-processor: read at most `limit` bytes; refuse deeper JSON than we parse."""
    handler_order = 900

    def __init__(self, limit: int, deadline: float) -> None:
        self.limit = limit
        self.deadline = deadline
        self.reason = ""

    def _read(self, resp: Any) -> bytes:
        # read1 returns what one recv brings, so a slow drip cannot hold this
        # thread past the deadline (the socket timeout alone is per recv).
        buf = bytearray()
        reader = getattr(resp, "read1", resp.read)
        while len(buf) <= self.limit:
            if time.monotonic() > self.deadline:
                self.reason = "answer not complete in time (slow drip)"
                raise _TooLarge(self.reason)
            chunk = reader(16384)
            if not chunk:
                break
            buf += chunk
        return bytes(buf)

    def _cap(self, req: urllib.request.Request, resp: Any) -> Any:
        body = self._read(resp)
        if len(body) > self.limit:
            self.reason = f"answer larger than {self.limit} bytes"
            raise _TooLarge(self.reason)
        if json_depth(body) > MAX_JSON_DEPTH:
            self.reason = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
            raise _TooLarge(self.reason)
        capped = urllib.request.addinfourl(io.BytesIO(body), resp.headers, resp.url, resp.status)
        capped.msg = getattr(resp, "msg", "")   # urllib's error processor reads it next
        return capped

    http_response = https_response = _cap


def _summarise(ip: str, result: Any) -> IpRdap:
    """ipwhois' parsed dict → IpRdap, reading every field by shape."""
    out = IpRdap(ip=ip)
    res = as_dict(result)
    net = as_dict(res.get("network"))
    out.network_name = clean(net.get("name"), 80)
    out.handle = clean(net.get("handle"), 60)
    out.cidr = clean(net.get("cidr"), 120)
    out.country = clean(net.get("country"), 2).upper()
    objects = as_dict(res.get("objects"))
    abuse: list[str] = []
    for handle, obj in list(objects.items())[:40]:
        obj = as_dict(obj)
        roles = {str(r).lower() for r in as_list(obj.get("roles"), 10)}
        contact = as_dict(obj.get("contact"))
        if "registrant" in roles and not out.org:
            out.org = clean(contact.get("name"), 120)
        if "abuse" in roles:
            for mail in as_list(contact.get("email"), 5):
                value = clean(as_dict(mail).get("value"), 120).lower()
                if "@" in value and value not in abuse:
                    abuse.append(value)
    # ipwhois flattens only the root entities; ARIN and APNIC nest the abuse
    # contact inside the registrant, so walk the raw answer for it as well.
    for ent in walk_entities(res.get("raw")):
        if "abuse" in entity_roles(ent):
            value = vcard_fields(ent).get("email", "").lower()
            if "@" in value and value not in abuse:
                abuse.append(value)
        if "registrant" in entity_roles(ent) and not out.org:
            card = vcard_fields(ent)
            out.org = card.get("org") or card.get("fn", "")
    out.abuse_emails = abuse[:3]
    return out


def _lookup_sync(ip: str, base: str, timeout_s: float, limit: int) -> tuple[Any, str, list[str]]:
    from ipwhois import IPWhois
    from ipwhois.exceptions import IPDefinedError
    redirect, capped = _Redirect(base), _Capped(limit, time.monotonic() + timeout_s)
    opener = urllib.request.build_opener(redirect, capped)
    try:
        who = IPWhois(ip, timeout=timeout_s, proxy_opener=opener)
        result = who.lookup_rdap(bootstrap=True, retry_count=0, rate_limit_timeout=0, inc_nir=False, inc_raw=True,
                                 depth=0, get_asn_description=False, root_ent_check=True)
        return result, "", redirect.hosts
    except IPDefinedError as exc:
        return None, f"invalid: {exc}", redirect.hosts
    except Exception as exc:   # ipwhois wraps most failures in HTTPLookupError
        why = capped.reason or f"{type(exc).__name__}: {exc}"
        if "404" in why:
            return None, "notfound", redirect.hosts
        return None, why, redirect.hosts


async def ip_rdap(ip: str, ctx: IntelContext) -> IpRdap:
    import ipaddress
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        ctx.log("rdap-ip", ip[:60], "invalid", detail="not an IP address")
        return IpRdap(ip=ip[:60], status="invalid")
    if not addr.is_global:
        ctx.log("rdap-ip", ip, "invalid", detail="private or special address; never looked up")
        return IpRdap(ip=ip, status="invalid", detail="private or special address")
    key = f"rdap-ip:{addr}"
    cached = record_from_cache(IpRdap, ctx.cache.get(key), ip=str(addr))
    if cached is not None:
        ctx.log("rdap-ip", str(addr), "cached")
        return cached
    net = ctx.config.network
    start = time.monotonic()
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(ctx.thread_pool(), _lookup_sync, str(addr), ctx.config.endpoints.rdap_ip_base,
                               net.http_timeout_s, net.max_response_bytes)
    try:
        result, why, hosts = await asyncio.wait_for(fut, timeout=net.http_timeout_s + 0.2)
    except (TimeoutError, asyncio.TimeoutError):
        ms = (time.monotonic() - start) * 1000.0
        ctx.log("rdap-ip", str(addr), "timeout", ms, "no complete answer in time")
        return IpRdap(ip=str(addr), status="timeout")
    ms = (time.monotonic() - start) * 1000.0
    server = hosts[-1] if hosts else ""
    if result is None:
        status = "notfound" if why == "notfound" else ("invalid" if why.startswith("invalid") else "error")
        ctx.log("rdap-ip", str(addr), status, ms, f"{server}: {why}"[:300])
        rec = IpRdap(ip=str(addr), status=status, server=server, detail=why[:200])
        if status == "notfound":
            ctx.cache.put(key, asdict(rec), 3600)
        return rec
    rec = _summarise(str(addr), result)
    rec.server = server
    ctx.log("rdap-ip", str(addr), "ok", ms, server)
    ctx.cache.put(key, asdict(rec), CACHE_TTL_S)
    return rec
