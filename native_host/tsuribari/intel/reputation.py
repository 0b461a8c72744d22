"""Reputation services, each off until the user enables it, each its own switch.

- Google Safe Browsing v4 Lookup API (`threatMatches:find`, the user's key);
- URLhaus host lookup (abuse.ch, the user's Auth-Key);
- PhishTank and OpenPhish feeds: downloaded at most daily into the cache
  directory, indexed, and matched locally (the services never see the mail);
- DNSBLs over our resolver: Spamhaus DBL and SURBL for domains, Spamhaus ZEN
  for IPs, with Spamhaus DQS key support.

Privacy: only these services see anything, and only when enabled. URLs sent to
Safe Browsing carry scheme, host and path only: the query string (where
phishing links put the recipient's own address, `?login=…`) and fragment are
cut. URLhaus receives host names only. Cache keys for URLs are hashes.

A DNSBL answer is trusted only as a listing code it defines. Spamhaus answers
127.255.255.252/254/255 (typo, public/open resolver, over quota) and SURBL
answers 127.0.0.1 (blocked) when it refuses to answer; anything outside
127.0.0.0/8 is a resolver rewriting NXDOMAIN. All of those are
"unavailable", never "listed".
"""
from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .. import __version__
from .context import IntelContext
from .http import as_dict, as_list, clean, fetch_bytes, fetch_json, parse_json
from .resolver import valid_hostname

SB_THREATS = ["MALWARE", "SOCIAL_ENGINEERING", "UNWANTED_SOFTWARE", "POTENTIALLY_HARMFUL_APPLICATION"]
MAX_URLS = 50                 # per message, to Safe Browsing (its limit is 500)
NEGATIVE_TTL_S = 1800
FEED_MAX_AGE_S = 86400        # "downloaded at most daily"
FEED_MAX_BYTES = 128 * 1024 * 1024   # PhishTank's JSON is tens of MB; the cap is for the feed only
FEED_MAX_ENTRIES = 1_000_000

# Spamhaus return codes (https://docs.spamhaus.com, "Return codes").
SPAMHAUS_REFUSED = {"127.255.255.252": "typing error in the DNSBL name",
                    "127.255.255.254": "query through a public/open resolver (refused)",
                    "127.255.255.255": "excessive number of queries (refused)"}
DBL_CODES = {"127.0.1.2": "spam domain", "127.0.1.4": "phishing domain", "127.0.1.5": "malware domain",
             "127.0.1.6": "botnet C&C domain", "127.0.1.102": "abused legit spam", "127.0.1.103": "abused legit redirector",
             "127.0.1.104": "abused legit phishing", "127.0.1.105": "abused legit malware",
             "127.0.1.106": "abused legit botnet C&C"}
ZEN_CODES = {"127.0.0.2": "SBL (spam source)", "127.0.0.3": "SBL CSS (snowshoe spam)",
             "127.0.0.4": "XBL (exploited host)", "127.0.0.5": "XBL", "127.0.0.6": "XBL", "127.0.0.7": "XBL",
             "127.0.0.9": "SBL DROP (hijacked range)", "127.0.0.10": "PBL (end-user range, ISP policy)",
             "127.0.0.11": "PBL (end-user range, Spamhaus policy)"}
SURBL_BITS = {8: "phishing", 16: "malware", 64: "abuse/spam", 128: "cracked site"}


@dataclass
class Listing:
    service: str          # safebrowsing | urlhaus | phishtank | openphish | dnsbl:<zone>
    target: str           # URL (defanged form in findings), host or IP
    listed: bool | None   # None = the service could not say (unavailable / error / timeout)
    category: str = ""    # SOCIAL_ENGINEERING, "phishing domain", ...
    detail: str = ""
    status: str = "ok"    # ok | cached | unavailable | timeout | error


def lookup_url(url: str) -> str:
    """What we send about a URL: scheme://host[:port]/path — no user info, query or fragment."""
    try:
        p = urlsplit(url.strip())
        host = (p.hostname or "").lower()
        if p.scheme.lower() not in ("http", "https") or not host:
            return ""
        netloc = host if p.port is None else f"{host}:{p.port}"
    except ValueError:
        return ""
    return urlunsplit((p.scheme.lower(), netloc, p.path or "/", "", ""))


def _key(prefix: str, value: str) -> str:
    return f"{prefix}:{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:32]}"


# ------------------------------------------------------------ Safe Browsing

async def safebrowsing(urls: list[str], ctx: IntelContext) -> list[Listing]:
    rep, ep = ctx.config.reputation, ctx.config.endpoints
    wanted = []
    for u in urls:
        lu = lookup_url(u)
        if lu and lu not in wanted and valid_hostname(urlsplit(lu).hostname or ""):
            wanted.append(lu)
    wanted = wanted[:MAX_URLS]
    if not wanted:
        return []
    if not rep.safebrowsing_key:
        ctx.log("safebrowsing", f"{len(wanted)} URL(s)", "skipped", detail="no API key configured")
        return [Listing("safebrowsing", u, None, status="unavailable", detail="no API key") for u in wanted]
    out: list[Listing] = []
    todo = []
    for u in wanted:
        hit = ctx.cache.get(_key("sb", u))
        if isinstance(hit, dict) and isinstance(hit.get("listed"), bool):
            out.append(Listing("safebrowsing", u, hit["listed"], clean(hit.get("category"), 60), status="cached"))
            ctx.log("safebrowsing", u, "cached")
        else:
            todo.append(u)
    if not todo:
        return out
    body = {"client": {"clientId": "tsuribari", "clientVersion": __version__},
            "threatInfo": {"threatTypes": SB_THREATS, "platformTypes": ["ANY_PLATFORM"],
                           "threatEntryTypes": ["URL"], "threatEntries": [{"url": u} for u in todo]}}
    net = ctx.config.network
    res = await fetch_json(ctx.session(), "POST", ep.safebrowsing, params={"key": rep.safebrowsing_key},
                           json_body=body, max_bytes=net.max_response_bytes, timeout_s=net.http_timeout_s)
    if not res.ok or not isinstance(res.data, dict):
        status = "timeout" if res.status == "timeout" else "error"
        detail = res.detail or "answer is not a JSON object"
        ctx.log("safebrowsing", f"{len(todo)} URL(s)", status, res.ms, detail)
        return out + [Listing("safebrowsing", u, None, status=status, detail=detail) for u in todo]
    matched: dict[str, tuple[str, float]] = {}
    for m in as_list(res.data.get("matches"), 500):
        m = as_dict(m)
        url = as_dict(m.get("threat")).get("url")
        if isinstance(url, str) and url in todo:
            dur = clean(m.get("cacheDuration"), 20).rstrip("s")
            try:
                ttl = max(60.0, min(float(dur), 86400.0))
            except ValueError:
                ttl = 300.0
            matched.setdefault(url, (clean(m.get("threatType"), 60), ttl))
    for u in todo:
        if u in matched:
            cat, ttl = matched[u]
            out.append(Listing("safebrowsing", u, True, cat))
            ctx.cache.put(_key("sb", u), {"listed": True, "category": cat}, ttl)
        else:
            out.append(Listing("safebrowsing", u, False))
            ctx.cache.put(_key("sb", u), {"listed": False}, NEGATIVE_TTL_S)
    ctx.log("safebrowsing", f"{len(todo)} URL(s)", "ok", res.ms, f"{len(matched)} listed")
    return out


# ------------------------------------------------------------ URLhaus

async def urlhaus_host(host: str, ctx: IntelContext) -> Listing:
    rep, ep, net = ctx.config.reputation, ctx.config.endpoints, ctx.config.network
    if not valid_hostname(host):
        return Listing("urlhaus", host[:253], None, status="unavailable", detail="not a valid host name")
    key = _key("urlhaus", host)
    hit = ctx.cache.get(key)
    if isinstance(hit, dict) and isinstance(hit.get("listed"), bool):
        ctx.log("urlhaus", host, "cached")
        return Listing("urlhaus", host, hit["listed"], clean(hit.get("category"), 60), status="cached")
    headers = {"Auth-Key": rep.urlhaus_key} if rep.urlhaus_key else {}
    res = await fetch_json(ctx.session(), "POST", ep.urlhaus.rstrip("/") + "/host/", data={"host": host},
                           headers=headers, max_bytes=net.max_response_bytes, timeout_s=net.http_timeout_s)
    data = as_dict(res.data)
    qs = data.get("query_status")
    if res.ok and qs == "ok":
        threats = sorted({clean(as_dict(u).get("threat"), 40) for u in as_list(data.get("urls"), 50)} - {""})
        cat = ", ".join(threats) or "listed"
        count = clean(data.get("url_count"), 10)
        ctx.cache.put(key, {"listed": True, "category": cat}, NEGATIVE_TTL_S)
        ctx.log("urlhaus", host, "ok", res.ms, f"listed ({count} URLs)")
        return Listing("urlhaus", host, True, cat, detail=f"{count} URL(s) on record" if count else "")
    if res.ok and qs == "no_results":
        ctx.cache.put(key, {"listed": False}, NEGATIVE_TTL_S)
        ctx.log("urlhaus", host, "ok", res.ms, "not listed")
        return Listing("urlhaus", host, False)
    status = "timeout" if res.status == "timeout" else "error"
    detail = f"query_status {clean(qs, 40)}" if isinstance(qs, str) else (res.detail or "unexpected answer")
    ctx.log("urlhaus", host, status, res.ms, detail)
    return Listing("urlhaus", host, None, status=status, detail=detail)


# ------------------------------------------------------------ feeds

def feed_dir(ctx: IntelContext) -> Path:
    from .cache import default_cache_path
    return default_cache_path(ctx.config).parent / "feeds"


def normalise_feed_url(url: str) -> tuple[str, str, str]:
    """(full URL without fragment, URL without query, host) in comparable form."""
    try:
        p = urlsplit(url.strip())
        host = (p.hostname or "").lower().rstrip(".")
    except ValueError:
        return "", "", ""
    if not host:
        return "", "", ""
    path = p.path.rstrip("/") or ""
    base = f"{host}{path}"
    return (f"{base}?{p.query}" if p.query else base), base, host


def _feed_urls(name: str, raw: bytes) -> list[str]:
    if name == "phishtank":
        data, _why = parse_json(raw, max_depth=8)
        return [e["url"] for e in as_list(data, FEED_MAX_ENTRIES) if isinstance(e, dict) and isinstance(e.get("url"), str)]
    text = raw.decode("utf-8", "replace")
    return [line.strip() for line in text.splitlines()[:FEED_MAX_ENTRIES] if line.strip().startswith("http")]


def _write_index(path: Path, urls: list[str]) -> int:
    lines = sorted({normalise_feed_url(u)[0] for u in urls} - {""})
    tmp = path.with_suffix(".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)          # readers never see half a feed
    return len(lines)


async def refresh_feed(name: str, url: str, ctx: IntelContext, timeout_s: float) -> str:
    """Download the feed if our copy is older than a day; returns a status word."""
    path = feed_dir(ctx) / f"{name}.urls"
    try:
        age = ctx.clock() - path.stat().st_mtime
    except OSError:
        age = float("inf")
    if age < FEED_MAX_AGE_S:
        return "fresh"
    res = await fetch_bytes(ctx.session(), "GET", url, max_bytes=FEED_MAX_BYTES, timeout_s=timeout_s)
    if not res.ok or not isinstance(res.data, (bytes, bytearray)):
        ctx.log(name, "feed download", "timeout" if res.status == "timeout" else "error", res.ms,
                res.detail + ("; using the older copy" if age != float("inf") else ""))
        return "stale" if age != float("inf") else "missing"
    urls = _feed_urls(name, bytes(res.data))
    try:
        count = _write_index(path, urls)
    except OSError as exc:
        ctx.log(name, "feed download", "error", res.ms, f"cannot store feed: {exc.strerror}")
        return "missing"
    ctx.log(name, "feed download", "ok", res.ms, f"{count} URLs")
    return "fresh"


def load_feed(path: Path) -> tuple[set[str], set[str], set[str]]:
    full: set[str] = set()
    base: set[str] = set()
    hosts: set[str] = set()
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for i, line in enumerate(fh):
                if i >= FEED_MAX_ENTRIES:
                    break
                f, b, h = normalise_feed_url("http://" + line.strip())
                if f:
                    full.add(f)
                    base.add(b)
                    hosts.add(h)
    except OSError:
        pass
    return full, base, hosts


async def feed_matches(name: str, feed_url: str, urls: list[str], ctx: IntelContext, timeout_s: float) -> list[Listing]:
    state = await refresh_feed(name, feed_url, ctx, timeout_s)
    path = feed_dir(ctx) / f"{name}.urls"
    if state == "missing":
        return [Listing(name, "feed", None, status="unavailable", detail="feed not downloaded yet")]
    full, base, hosts = await asyncio.to_thread(load_feed, path)
    out: list[Listing] = []
    seen: set[str] = set()
    for u in urls:
        f, b, h = normalise_feed_url(u)
        if not f or f in seen:
            continue
        seen.add(f)
        if f in full or b in base:
            out.append(Listing(name, lookup_url(u) or h, True, "phishing URL", status="ok"))
        elif h in hosts:
            out.append(Listing(name, h, True, "phishing host (other URLs on it are listed)", status="ok"))
        else:
            out.append(Listing(name, lookup_url(u) or h, False))
    ctx.log(name, f"{len(seen)} URL(s) matched locally", "ok", 0.0,
            f"{sum(1 for x in out if x.listed)} listed" + ("; feed older than a day" if state == "stale" else ""))
    return out


# ------------------------------------------------------------ DNSBL

def _dqs_zone(zone: str, key: str) -> str:
    if not key:
        return zone
    if zone.endswith(".spamhaus.org"):
        return f"{key}.{zone[: -len('.spamhaus.org')]}.dq.spamhaus.net"
    return zone


def reversed_ip(ip: str) -> str:
    addr = ipaddress.ip_address(ip)
    if addr.version == 4:
        return ".".join(reversed(str(addr).split(".")))
    return ".".join(reversed(addr.exploded.replace(":", "")))


def interpret(zone: str, codes: list[str]) -> tuple[bool | None, str]:
    """(listed, category) from a DNSBL's A records; None = refused/unavailable."""
    cats: list[str] = []
    for code in codes:
        try:
            addr = ipaddress.ip_address(code)
        except ValueError:
            return None, f"unexpected answer {clean(code, 40)}"
        if addr.version != 4 or not str(addr).startswith("127."):
            return None, f"answer {code} is outside 127.0.0.0/8: the resolver rewrites NXDOMAIN"
        if code in SPAMHAUS_REFUSED:
            return None, SPAMHAUS_REFUSED[code]
        if "surbl" in zone:
            if code == "127.0.0.1":
                return None, "SURBL refused the query (resolver blocked)"
            bits = int(code.rsplit(".", 1)[1])
            cats += [name for bit, name in SURBL_BITS.items() if bits & bit] or [f"listed ({code})"]
        elif ".dbl." in f".{zone}" or zone.startswith("dbl."):
            cats.append(DBL_CODES.get(code, f"listed ({code})"))
        elif "zen" in zone:
            cats.append(ZEN_CODES.get(code, f"listed ({code})"))
        else:
            if code == "127.0.0.1":
                return None, "127.0.0.1 is not a listing code (refused or test answer)"
            cats.append(f"listed ({code})")
    return (True, ", ".join(dict.fromkeys(cats))) if cats else (False, "")


async def dnsbl(target: str, zone: str, ctx: IntelContext) -> Listing:
    key = ctx.config.reputation.spamhaus_dqs_key
    qzone = _dqs_zone(zone, key)
    service = f"dnsbl:{zone}"
    try:
        ipaddress.ip_address(target)
        is_ip = True
    except ValueError:
        is_ip = False
    if is_ip:
        addr = ipaddress.ip_address(target)
        if not addr.is_global:
            return Listing(service, target, None, status="unavailable", detail="private address: never queried")
        name = f"{reversed_ip(target)}.{qzone}"
    else:
        if not valid_hostname(target):
            return Listing(service, target[:253], None, status="unavailable", detail="not a valid domain")
        name = f"{target.lower().rstrip('.')}.{qzone}"
    ans = await ctx.resolver.query(name, "A", allow_private=True)
    if ans.status in ("nxdomain", "nodata"):
        return Listing(service, target, False)
    if ans.status != "ok":
        return Listing(service, target, None, status="timeout" if ans.status == "timeout" else "unavailable",
                       detail=f"DNS {ans.status}")
    listed, cat = interpret(zone, ans.records)
    if listed is None:
        return Listing(service, target, None, status="unavailable", detail=cat)
    return Listing(service, target, listed, cat)


def update_feeds(config: Any, timeout_s: float = 120.0) -> list[Any]:
    """Refresh the enabled feeds now, outside any analysis (for a CLI command or
    a timer), with a long timeout: PhishTank's file is tens of MB, more than an
    analysis budget allows. Returns the lookup log."""
    from .cache import LookupCache
    from .context import IntelContext
    from .geo import GeoDB

    async def go() -> list[Any]:
        ctx = IntelContext(config, LookupCache(None), [], GeoDB([], []))
        try:
            rep, ep = config.reputation, config.endpoints
            if rep.phishtank:
                await refresh_feed("phishtank", ep.phishtank_feed, ctx, timeout_s)
            if rep.openphish:
                await refresh_feed("openphish", ep.openphish_feed, ctx, timeout_s)
            return ctx.lookups
        finally:
            await ctx.aclose()

    if config.offline:
        return []
    return asyncio.run(go())
