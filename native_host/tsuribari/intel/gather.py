"""The network layer's orchestrator: every lookup for one mail, concurrently, in budget.

`run_intel(facts, raw, config)` is what the pipeline calls between parsing and
the checks. With `config.offline` it returns an empty Intel at once and opens
no socket (nothing network-related is even imported).

All lookups start together and chain only where one needs another's answer
(DMARC after SPF and DKIM; IP RDAP and IP DNSBLs after a link host's A
records). Each lookup has its own timeout (`network.dns_timeout_s`,
`network.http_timeout_s`); the whole run has `network.budget_s`, after which
whatever is still running is cancelled and named in `lookups` with status
`timeout`. The verdict is then given from what is known.
"""
from __future__ import annotations

import asyncio
import ipaddress
import time
from typing import Any, Awaitable

from ..config import Config
from ..model import Facts, Lookup
from .resolver import valid_hostname
from .result import DomainIntel, Intel, IpIntel

MAX_LINK_HOSTS = 10
MAX_LINK_URLS = 50


def _public(ip: str) -> bool:
    try:
        addr = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return False
    return addr.is_global and not addr.is_multicast


def _ascii_host(host: str) -> str:
    """DNS form of a link host: IDNs as punycode; "" when it has none."""
    host = host.strip().lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return ""


def _link_targets(facts: Facts) -> tuple[list[str], list[str], list[str]]:
    """(hosts, registrable domains, URLs) of the links, deduplicated and bounded."""
    hosts: list[str] = []
    domains: list[str] = []
    urls: list[str] = []
    for link in facts.links:
        if link.scheme.lower() not in ("http", "https") or link.is_ip:
            continue
        host = _ascii_host(link.host or "")
        if not valid_hostname(host):
            continue   # localhost, single labels, junk: nothing about it is sent anywhere
        reg = _ascii_host(link.registrable) or host
        if host and host not in hosts and len(hosts) < MAX_LINK_HOSTS:
            hosts.append(host)
        if reg and reg not in domains and len(domains) < MAX_LINK_HOSTS:
            domains.append(reg)
        if link.url and link.url not in urls and len(urls) < MAX_LINK_URLS:
            urls.append(link.url)
    return hosts, domains, urls


async def gather(facts: Facts, raw: bytes, config: Config) -> Intel:
    started = time.monotonic()
    intel = Intel()
    if config.offline:
        return intel
    from .cache import LookupCache
    from .context import IntelContext
    from .geo import GeoDB
    from .resolver import Resolver

    net = config.network
    lookups: list[Lookup] = intel.lookups
    cache = LookupCache.from_config(config)
    geo = GeoDB.from_config(config)
    resolver = Resolver(net.nameservers, net.dns_timeout_s, lookups, cache=cache)
    ctx = IntelContext(config=config, cache=cache, lookups=lookups, geo=geo, resolver=resolver)

    sender = facts.sender
    intel.from_domain = (sender.from_.domain or "").lower()
    intel.envelope_domain = ((sender.return_path.domain if sender.return_path else "") or "").lower()
    origin = facts.origin
    intel.origin_ip = origin.ip if origin is not None and _public(origin.ip) else ""
    hosts, link_domains, urls = _link_targets(facts)

    for d in link_domains:
        intel.domains.setdefault(d, DomainIntel(domain=d)).roles.append("link")
    if intel.from_domain and net.rdap:
        intel.domains.setdefault(intel.from_domain, DomainIntel(domain=intel.from_domain)).roles.append("from")
    if intel.origin_ip:
        g = geo.lookup(intel.origin_ip)
        intel.ip_info[intel.origin_ip] = IpIntel(ip=intel.origin_ip, roles=["origin"], asn=g.asn, org=g.org,
                                                 country=g.country, city=g.city,
                                                 hosting=origin.hosting if origin else "")

    tasks: dict[str, Awaitable[Any]] = {}
    if net.dns:
        tasks["authentication (SPF/DKIM/DMARC)"] = _auth(intel, raw, facts, ctx)
        if intel.from_domain:
            tasks[f"infrastructure of {intel.from_domain}"] = _infra(intel, ctx)
        if intel.origin_ip:
            tasks[f"reverse DNS of {intel.origin_ip}"] = _ptr(intel, ctx)
        for host in hosts:
            tasks[f"hosting of {host}"] = _hosting(intel, host, ctx)
    if net.rdap:
        from .rdap import load_bootstrap
        boot = load_bootstrap(config.endpoints.rdap_bootstrap_dns, intel.problems)
        for d in list(intel.domains):
            tasks[f"RDAP of {d}"] = _domain_rdap(intel, d, ctx, boot)
        if intel.origin_ip:
            tasks[f"RDAP of {intel.origin_ip}"] = _ip_rdap(intel, intel.origin_ip, ctx)
    tasks.update(_reputation_tasks(intel, hosts, link_domains, urls, ctx))

    try:
        await _run_all(tasks, intel, net.budget_s, started)
    finally:
        await ctx.aclose()
        intel.problems += geo.problems + cache.problems
        cache.close()
    intel.elapsed_ms = round((time.monotonic() - started) * 1000.0, 1)
    return intel


async def _run_all(tasks: dict[str, Awaitable[Any]], intel: Intel, budget_s: float, started: float) -> None:
    if not tasks:
        return
    running = {asyncio.ensure_future(coro): name for name, coro in tasks.items()}
    left = max(0.05, budget_s - (time.monotonic() - started))
    done, pending = await asyncio.wait(running, timeout=left)
    for fut in pending:
        fut.cancel()
    if pending:
        await asyncio.wait(pending, timeout=0.2)   # let cancellations unwind (sockets close)
    for fut in pending:
        name = running[fut]
        intel.timed_out.append(name)
        intel.lookups.append(Lookup(kind="budget", target=name, status="timeout",
                                    ms=round(budget_s * 1000.0, 1),
                                    detail=f"not finished within the {budget_s:g}s budget"))
    for fut in done:
        exc = fut.exception()
        if exc is not None:   # a bug in one lookup must not cost the others
            name = running[fut]
            intel.problems.append(f"{name} failed: {type(exc).__name__}: {str(exc)[:200]}")
            intel.lookups.append(Lookup(kind="internal", target=name, status="error",
                                        detail=f"{type(exc).__name__}"))


async def _auth(intel: Intel, raw: bytes, facts: Facts, ctx: Any) -> None:
    from .dkim_verify import verify_dkim
    from .dmarc import check_dmarc
    from .spf import check_spf
    origin = facts.origin
    spf_domain = intel.envelope_domain or intel.from_domain

    async def spf() -> Any:
        if not (intel.origin_ip and spf_domain):
            return None
        return await check_spf(intel.origin_ip, spf_domain, origin.helo if origin else "", ctx.resolver)

    spf_res, dkim_res = await asyncio.gather(spf(), verify_dkim(raw, ctx.resolver))
    intel.spf, intel.dkim = spf_res, dkim_res
    if intel.from_domain:
        intel.dmarc = await check_dmarc(intel.from_domain, spf_res, dkim_res or [], ctx.resolver)


async def _infra(intel: Intel, ctx: Any) -> None:
    from .infra import domain_infra
    intel.infra = await domain_infra(intel.from_domain, ctx.resolver)


async def _ptr(intel: Intel, ctx: Any) -> None:
    ans = await ctx.resolver.ptr(intel.origin_ip)
    if ans.status == "ok" and ans.records:
        info = intel.ip_info[intel.origin_ip]
        info.rdns = ans.records[0][:253]
        if not info.hosting:
            from .hosting import classify
            info.hosting = classify(info.asn, info.rdns)


async def _hosting(intel: Intel, host: str, ctx: Any) -> None:
    from .hosting import domain_hosting
    result = await domain_hosting(host, ctx)
    reg = next((d for d in intel.domains if host == d or host.endswith("." + d)), host)
    entry = intel.domains.setdefault(reg, DomainIntel(domain=reg, roles=["link"]))
    if entry.hosting is None or (not entry.hosting.ips and result.ips):
        entry.hosting = result
    follow: list[Awaitable[Any]] = []
    for h in result.ips:
        info = intel.ip_info.get(h.ip)
        if info is None:
            info = intel.ip_info[h.ip] = IpIntel(ip=h.ip, asn=h.asn, org=h.org, country=h.country,
                                                 city=h.city, hosting=h.hosting)
            if ctx.config.network.rdap:
                follow.append(_ip_rdap(intel, h.ip, ctx))
            if ctx.config.reputation.dnsbl:
                follow.append(_dnsbl_ip(intel, h.ip, ctx))
        info.roles.append(f"link:{host}")
    if follow:
        await asyncio.gather(*follow)


async def _domain_rdap(intel: Intel, domain: str, ctx: Any, boot: Any) -> None:
    from .rdap import domain_rdap
    intel.domains[domain].rdap = await domain_rdap(domain, ctx, boot)


async def _ip_rdap(intel: Intel, ip: str, ctx: Any) -> None:
    from .ip_rdap import ip_rdap
    intel.ip_info[ip].rdap = await ip_rdap(ip, ctx)


async def _dnsbl_ip(intel: Intel, ip: str, ctx: Any) -> None:
    from .reputation import dnsbl
    for zone in ctx.config.reputation.dnsbl_zones_ip:
        intel.listings.append(await dnsbl(ip, zone, ctx))


def _reputation_tasks(intel: Intel, hosts: list[str], domains: list[str], urls: list[str],
                      ctx: Any) -> dict[str, Awaitable[Any]]:
    rep = ctx.config.reputation
    ep = ctx.config.endpoints
    tasks: dict[str, Awaitable[Any]] = {}
    if not (rep.safebrowsing or rep.urlhaus or rep.phishtank or rep.openphish or rep.dnsbl):
        return tasks
    from . import reputation as r

    async def collect(coro: Awaitable[Any]) -> None:
        res = await coro
        intel.listings.extend(res if isinstance(res, list) else [res])

    budget = ctx.config.network.budget_s
    if rep.safebrowsing and urls:
        tasks["Safe Browsing"] = collect(r.safebrowsing(urls, ctx))
    if rep.urlhaus:
        for host in hosts:
            tasks[f"URLhaus {host}"] = collect(r.urlhaus_host(host, ctx))
    if rep.phishtank and urls:
        tasks["PhishTank feed"] = collect(r.feed_matches("phishtank", ep.phishtank_feed, urls, ctx, budget))
    if rep.openphish and urls:
        tasks["OpenPhish feed"] = collect(r.feed_matches("openphish", ep.openphish_feed, urls, ctx, budget))
    if rep.dnsbl and ctx.config.network.dns:
        for job_target, zone in [(d, z) for d in domains for z in rep.dnsbl_zones_domain]:
            tasks[f"DNSBL {zone} {job_target}"] = collect(r.dnsbl(job_target, zone, ctx))
        if intel.origin_ip:
            for zone in rep.dnsbl_zones_ip:
                tasks[f"DNSBL {zone} {intel.origin_ip}"] = collect(r.dnsbl(intel.origin_ip, zone, ctx))
    return tasks


def run_intel(facts: Facts, raw: bytes, config: Config) -> Intel:
    """Synchronous entry point for the pipeline. Offline: returns at once, no sockets."""
    if config.offline:
        return Intel()
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(gather(facts, raw, config))
    # Called from inside a running loop (the host's own): run ours in a worker thread.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, gather(facts, raw, config)).result()
