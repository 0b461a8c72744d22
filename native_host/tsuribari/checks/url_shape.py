"""What a link's address alone gives away: throw-away hosting, another domain worn as a prefix, random names.

Phishing sites live where an address costs nothing and proves nothing: dynamic-DNS
names, free site builders and serverless platforms, cheap top-level domains bought in
bulk, machine-generated names. A brand's own mail links to its own domains, which are
never judged here (nor the sender's own domain, nor domains the user trusts).
Lists are data (data/url_risk.json): kinds of hosting, never individual bad sites.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import Finding, Link
from ..letter_model import pronounceability
from ..parse.domains import registrable_domain, within
from .context import Context

MAX_EVIDENCE = 5
# Last labels that make a host prefix read as a complete domain name ("eposcard.co.jp.<other>.cn").
_GTLD_LABELS = frozenset({"com", "net", "org", "info", "biz", "gov", "edu", "jp"})
_SLD_LABELS = frozenset({"co", "com", "ne", "or", "go", "ac", "gov", "net", "org", "edu", "gr", "lg", "ed"})
_VOWELS = frozenset("aeiou")
# Mean log-probability per letter below which a name reads as machine-made. Set so that about 2 % of
# the registrable names in legitimate mail and brand catalogues fall below (mostly glued acronyms:
# 'pcworld', 'jcnews'), subdomains stricter because services put codes there.
PRONOUNCE_REG = -3.6
PRONOUNCE_SUB = -4.0
_HEX = re.compile(r"^[0-9a-f]+$")
# A short consonant code and a serial number: 'knh261', 'xjly766', 'yfj6154' (bulk registrations numbered in turn).
_SERIAL = re.compile(r"^([a-z]{1,5})[0-9]{3,8}$")


@dataclass(frozen=True)
class UrlRisk:
    abused_tlds: frozenset[str]
    dynamic_dns: frozenset[str]
    free_hosting: frozenset[str]


@lru_cache(maxsize=1)
def url_risk() -> UrlRisk:
    try:
        doc = json.loads(resources.files("tsuribari").joinpath("data", "url_risk.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        doc = {}
    lower = lambda key: frozenset(str(d).lower().strip(".") for d in doc.get(key, []) if d)
    return UrlRisk(lower("abused_tlds"), lower("dynamic_dns"), lower("free_hosting"))


def _provider(host: str, domains: frozenset[str]) -> str:
    """The listed domain host sits under, '' when none."""
    name = host
    while name:
        if name in domains:
            return name
        if "." not in name:
            return ""
        name = name.split(".", 1)[1]
    return ""


def _judged_links(ctx: Context) -> list[Link]:
    """Distinct web hosts not on the sender's, a catalogued brand's or a user-trusted domain
    (worked out once per mail: all five checks here read it; they do not change the list)."""
    return judged_links(ctx, per_path=False)


def judged_links(ctx: Context, per_path: bool) -> list[Link]:
    """Web links off the sender's, the user's trusted and every catalogued brand's domains: one per
    host (IP hosts left to link.ip_host), or with per_path one per host and path, IP hosts included.
    Computed once per mail and variant."""
    key = ("url_shape.judged", per_path)
    out = ctx.memo.get(key)
    if out is None:
        out = ctx.memo[key] = _find_judged_links(ctx, per_path)
    return out


def _find_judged_links(ctx: Context, per_path: bool) -> list[Link]:
    out, seen = [], set()
    own = {ctx.sender_registrable} if ctx.sender_registrable else set()
    brand_domains = ctx.kb.brand_domains
    for link in ctx.facts.links:
        if not link.host or (link.is_ip and not per_path) or link.scheme not in ("http", "https", ""):
            continue
        seen_key = (link.host, link.path) if per_path else link.host
        if seen_key in seen:
            continue
        seen.add(seen_key)
        reg = link.registrable or link.host
        if reg in own or within(link.host, ctx.trusted_domains) or within(link.host, brand_domains):
            continue
        out.append(link)
        if len(out) >= 200:
            break
    return out


def link_evidence(link: Link, **extra) -> dict:
    return {"url": link.url[:300], "host": link.host, "registrable": link.registrable, **extra}


def _report(ctx: Context, finding_id: str, hits: list[tuple[Link, dict]], **params) -> list[Finding]:
    if not hits:
        return []
    return [ctx.make(finding_id, {"links": [link_evidence(l, **x) for l, x in hits[:MAX_EVIDENCE]]}, **params)]


def dynamic_dns(ctx: Context) -> list[Finding]:
    risk = url_risk()
    hits = [(l, {"provider": p}) for l in _judged_links(ctx) if (p := _provider(l.host, risk.dynamic_dns))]
    return _report(ctx, "url.dynamic_dns", hits, host=hits[0][0].host if hits else "",
                   provider=hits[0][1]["provider"] if hits else "")


_S3 = re.compile(r"(?:^|\.)s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$")


def _platform(host: str, risk: UrlRisk) -> str:
    found = _provider(host, risk.free_hosting)
    if not found and _S3.search(host):
        found = "Amazon S3"   # bucket hosts in every region: s3.<region>.amazonaws.com, <bucket>.s3-<region>…
    return found


_PAGE_EXT = (".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cgi")


def _is_page(link: Link) -> bool:
    """The link opens a web page (where a fake login can be), not a file download such as a log or image."""
    last = link.path.rsplit("/", 1)[-1].lower()
    return "." not in last or last.endswith(_PAGE_EXT)


def free_hosting(ctx: Context) -> list[Finding]:
    risk = url_risk()
    hits = [(l, {"platform": p}) for l in _judged_links(ctx) if (p := _platform(l.host, risk)) and _is_page(l)]
    return _report(ctx, "url.free_hosting", hits, host=hits[0][0].host if hits else "",
                   platform=hits[0][1]["platform"] if hits else "")


def abused_tld(ctx: Context) -> list[Finding]:
    risk = url_risk()
    hits = []
    for link in _judged_links(ctx):
        tld = link.host.rsplit(".", 1)[-1]
        if tld in risk.abused_tlds:
            hits.append((link, {"tld": tld}))
    return _report(ctx, "url.abused_tld", hits, host=hits[0][0].host if hits else "",
                   tld=hits[0][1]["tld"] if hits else "")


def embedded_domain(host: str, registrable: str) -> str:
    """A complete domain name standing in front of the real one: 'eposcard.co.jp' in 'eposcard.co.jp.x.cn'."""
    if not registrable or not host.endswith("." + registrable):
        return ""
    labels = host[: -len(registrable) - 1].split(".")
    for i in range(len(labels) - 1, 0, -1):
        last, before = labels[i], labels[i - 1]
        if last in _GTLD_LABELS or (len(last) == 2 and last.isalpha() and before in _SLD_LABELS and i >= 2):
            found = registrable_domain(".".join(labels[: i + 1]))
            if found and found != registrable:
                return found
    return ""


def domain_prefix(ctx: Context) -> list[Finding]:
    hits = []
    for link in _judged_links(ctx):
        found = embedded_domain(link.host, link.registrable)
        if found:
            brand = next((b for b in ctx.kb.brands if found in b.official), None)
            hits.append((link, {"shown_domain": found, "brand": brand.id if brand else ""}))
    if not hits:
        return []
    link, extra = hits[0]
    return _report(ctx, "url.domain_prefix", hits, host=link.host, shown=extra["shown_domain"],
                   real=link.registrable)


@lru_cache(maxsize=8192)   # a pure function of the label; tracking and CDN labels recur in mail after mail
def random_label(label: str, strict: bool = False) -> bool:
    """A name no person would choose: letter-digit salad ('7z2o4995'), a consonant code with a serial
    number ('knh261', 'xjly766'; not 'email911' or 'web2000', whose letters are a word), no vowels
    ('tmwqcx'), or letter sequences that neither English nor romaji produce ('ljfkbawc'; letter_model.py).

    strict (for subdomain labels, where mail services put ids): longer labels only, hex ids never.
    """
    plain = label.replace("-", "")
    if not strict and (serial := _SERIAL.match(plain)) and not _VOWELS & set(serial.group(1)):
        return True
    shortest = (6 if plain.isalpha() else 8) if strict else 5
    if len(plain) < shortest or label.startswith("xn--") or not label.isascii():
        return False
    if strict and _HEX.match(plain):
        return False   # tracking and CDN ids are hex; phishing kits rarely bother
    digits = sum(ch.isdigit() for ch in plain)
    letters = sum(ch.isalpha() for ch in plain)
    if digits and letters and not strict:
        switches = sum(1 for a, b in zip(plain, plain[1:]) if a.isdigit() != b.isdigit())
        if switches >= 2 and digits >= 2:
            return True
    if letters >= 6 and not digits and not (_VOWELS & set(plain.replace("y", ""))):
        return True
    value = pronounceability(plain)
    return value is not None and value < (PRONOUNCE_SUB if strict else PRONOUNCE_REG)


def random_domain(ctx: Context) -> list[Finding]:
    hits = []
    risk = url_risk()
    for link in _judged_links(ctx):
        reg = link.registrable
        if not reg or _platform(link.host, risk) or _provider(link.host, risk.dynamic_dns):
            continue
        label = reg.split(".", 1)[0]
        sub = link.host[: -len(reg) - 1].split(".") if link.host.endswith("." + reg) else []
        if random_label(label):
            hits.append((link, {"label": label}))
        elif any(random_label(part, strict=True) for part in sub):
            hits.append((link, {"label": next(p for p in sub if random_label(p, strict=True))}))
    return _report(ctx, "url.random_domain", hits, host=hits[0][0].host if hits else "",
                   label=hits[0][1]["label"] if hits else "")


CHECKS = (dynamic_dns, free_hosting, abused_tld, domain_prefix, random_domain)
