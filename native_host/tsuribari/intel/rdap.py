"""Domain registration data over RDAP: age, registrar, privacy proxy, status.

Where to ask comes from the IANA-shaped bootstrap shipped in
`data/rdap_dns.json` (or the file `[endpoints] rdap_bootstrap_dns` names), or
from `[endpoints] rdap_domain_base`, which overrides it for every TLD (tests,
private mirrors). TLDs whose registry has no RDAP service (.jp: JPRS offers
none) are reported as `unsupported`, never guessed.

Thin registries (.com/.net) carry no registrant; their answer links to the
registrar's RDAP server (rel "related"), which we follow once, only over
https to a public host name, or to the configured base's own origin.

Everything in an answer is untrusted: fields are read by shape, strings are
cleaned and bounded, and a broken answer becomes a status, not an exception.
"""
from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from .cache import record_from_cache
from .context import IntelContext
from .http import as_dict, as_list, clean, fetch_json, get_str, parse_json
from .resolver import valid_hostname

CACHE_TTL_S = 86400          # registration data changes rarely; the age is recomputed on read
NEGATIVE_TTL_S = 3600
MAX_NAMESERVERS = 13
MAX_STATUS = 12
ACCEPT = {"Accept": "application/rdap+json, application/json;q=0.8"}


@dataclass
class DomainRdap:
    domain: str
    status: str = "ok"            # ok | notfound | unsupported | timeout | error | invalid | skipped
    registered: str = ""          # ISO 8601 UTC
    age_days: int | None = None
    expires: str = ""
    last_changed: str = ""
    registrar: str = ""
    registrar_iana_id: str = ""
    registrar_abuse_email: str = ""
    registrant: str = ""          # org or name as published (possibly the proxy's)
    registrant_country: str = ""
    privacy: str = ""             # "proxy" | "redacted" | ""
    privacy_service: str = ""     # the matched proxy service / redaction marker
    statuses: list[str] = field(default_factory=list)
    nameservers: list[str] = field(default_factory=list)
    server: str = ""              # host that answered
    detail: str = ""


# ---------------------------------------------------------------- bootstrap

@dataclass(frozen=True)
class Bootstrap:
    services: dict[str, str]          # tld -> base URL (first listed)
    unsupported: dict[str, str]       # tld -> why

    def base_for(self, domain: str) -> str | None:
        labels = domain.lower().rstrip(".").split(".")
        for i in range(len(labels)):            # longest suffix first ("co.jp" before "jp")
            hit = self.services.get(".".join(labels[i:]))
            if hit:
                return hit
        return None

    def why_unsupported(self, domain: str) -> str:
        tld = domain.lower().rstrip(".").rsplit(".", 1)[-1]
        return self.unsupported.get(tld, f"no RDAP service known for .{tld}")


def parse_bootstrap(data: Any) -> Bootstrap:
    services: dict[str, str] = {}
    for entry in as_list(as_dict(data).get("services"), 5000):
        if not (isinstance(entry, list) and len(entry) >= 2):
            continue
        tlds, urls = as_list(entry[0], 2000), [u for u in as_list(entry[1], 10) if isinstance(u, str)]
        url = next((u for u in urls if u.startswith("https://")), urls[0] if urls else "")
        if not url:
            continue
        for tld in tlds:
            if isinstance(tld, str) and tld:
                services.setdefault(tld.lower(), url)
    unsupported = {k: clean(v, 200) for k, v in as_dict(as_dict(data).get("x-tsuribari-unsupported")).items()
                   if isinstance(k, str)}
    return Bootstrap(services, unsupported)


@lru_cache(maxsize=1)
def shipped_bootstrap() -> Bootstrap:
    """The file in the package: immutable, so reading it once is safe to share."""
    text = resources.files("tsuribari").joinpath("data", "rdap_dns.json").read_text(encoding="utf-8")
    return parse_bootstrap(json.loads(text))


def load_bootstrap(path: str, problems: list[str]) -> Bootstrap:
    """The user's copy of IANA's dns.json, else the shipped one (with a problem noted)."""
    if not path:
        return shipped_bootstrap()
    try:
        raw = Path(path).expanduser().read_bytes()[:5_000_000]
        data, why = parse_json(raw)
        if why:
            raise ValueError(why)
        boot = parse_bootstrap(data)
        if not boot.services:
            raise ValueError("no services in it")
        return boot
    except (OSError, ValueError) as exc:
        problems.append(f"RDAP bootstrap {path} unusable ({exc}); the shipped one is used")
        return shipped_bootstrap()


# ---------------------------------------------------------------- parsing

def vcard_fields(entity: Any) -> dict[str, str]:
    """fn/org/email/adr/country of an entity's jCard, cleaned."""
    out: dict[str, str] = {}
    arr = as_list(as_dict(entity).get("vcardArray"), 4)
    props = as_list(arr[1], 60) if len(arr) >= 2 else []
    for prop in props:
        if not (isinstance(prop, list) and len(prop) >= 4 and isinstance(prop[0], str)):
            continue
        name, params, value = prop[0].lower(), as_dict(prop[1]), prop[3]
        if name in ("fn", "org", "email") and name not in out:
            val = value[0] if isinstance(value, list) and value else value
            out[name] = clean(val, 160)
        elif name == "adr":
            label = clean(params.get("label"), 200)
            parts = [clean(p, 80) for p in as_list(value, 10) if isinstance(p, str)]
            out.setdefault("adr", label or " ".join(p for p in parts if p))
            country = clean(params.get("cc"), 2) or (parts[6] if len(parts) >= 7 else "")
            if country:
                out.setdefault("country", country[:60])
    return out


def entity_roles(entity: Any) -> set[str]:
    return {r.lower() for r in as_list(as_dict(entity).get("roles"), 10) if isinstance(r, str)}


def walk_entities(obj: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Entities and their nested entities (registrar → abuse), bounded."""
    out: list[dict[str, Any]] = []
    if depth > 3:
        return out
    for ent in as_list(as_dict(obj).get("entities"), 30):
        if isinstance(ent, dict):
            out.append(ent)
            out.extend(walk_entities(ent, depth + 1))
    return out[:60]


def _remarks_text(entity: Any) -> str:
    texts = []
    for rem in as_list(as_dict(entity).get("remarks"), 10):
        rem = as_dict(rem)
        texts.append(get_str(rem, "title", 100))
        texts += [clean(d, 200) for d in as_list(rem.get("description"), 5)]
    return " ".join(t for t in texts if t)


def parse_date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    if not 1985 <= when.year <= 2200:       # the DNS is from 1985; anything else is noise
        return None
    return when.astimezone(dt.timezone.utc)


def _iso(when: dt.datetime | None) -> str:
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z") if when else ""


@lru_cache(maxsize=1)
def privacy_patterns() -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = resources.files("tsuribari").joinpath("data", "privacy_proxies.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return (tuple(p.lower() for p in data.get("proxy", [])), tuple(p.lower() for p in data.get("redacted", [])))


def detect_privacy(texts: list[str]) -> tuple[str, str]:
    """("proxy", service) | ("redacted", marker) | ("", "")."""
    proxies, redacted = privacy_patterns()
    hay = " | ".join(t.lower() for t in texts if t)
    for pat in proxies:
        if pat in hay:
            return "proxy", pat
    for pat in redacted:
        if pat in hay:
            return "redacted", pat
    return "", ""


def parse_domain(data: Any, into: DomainRdap) -> DomainRdap:
    """Fill `into` from one RDAP domain answer; fields already set are kept."""
    d = as_dict(data)
    for ev in as_list(d.get("events"), 30):
        ev = as_dict(ev)
        action, when = str(ev.get("eventAction", "")).lower(), parse_date(ev.get("eventDate"))
        if when is None:
            continue
        if action == "registration" and not into.registered:
            into.registered = _iso(when)
        elif action == "expiration" and not into.expires:
            into.expires = _iso(when)
        elif action in ("last changed", "last update") and not into.last_changed:
            into.last_changed = _iso(when)
    statuses = [clean(s, 60) for s in as_list(d.get("status"), MAX_STATUS) if isinstance(s, str)]
    into.statuses = into.statuses or [s for s in statuses if s]
    ns = [clean(as_dict(n).get("ldhName"), 100).lower() for n in as_list(d.get("nameservers"), MAX_NAMESERVERS)]
    into.nameservers = into.nameservers or [n for n in ns if n]
    privacy_texts: list[str] = []
    for ent in walk_entities(d):
        roles, card = entity_roles(ent), vcard_fields(ent)
        if "registrar" in roles and not into.registrar:
            into.registrar = card.get("org") or card.get("fn", "")
            for pid in as_list(ent.get("publicIds"), 5):
                pid = as_dict(pid)
                if "iana" in str(pid.get("type", "")).lower():
                    into.registrar_iana_id = clean(pid.get("identifier"), 12)
            for sub in as_list(ent.get("entities"), 10):
                if "abuse" in entity_roles(sub) and not into.registrar_abuse_email:
                    into.registrar_abuse_email = vcard_fields(sub).get("email", "")
        if "registrant" in roles:
            if not into.registrant:
                into.registrant = card.get("org") or card.get("fn", "")
                into.registrant_country = card.get("country", "")[:60]
            privacy_texts += [card.get(k, "") for k in ("fn", "org", "email", "adr")]
            privacy_texts.append(_remarks_text(ent))
        elif roles & {"administrative", "technical", "billing"}:
            privacy_texts += [card.get("fn", ""), card.get("org", ""), _remarks_text(ent)]
    kind, service = detect_privacy(privacy_texts)
    if kind and (into.privacy != "proxy"):
        into.privacy, into.privacy_service = kind, service
    return into


def age_days(registered: str, now: float) -> int | None:
    when = parse_date(registered)
    if when is None:
        return None
    days = int((now - when.timestamp()) // 86400)
    return days if days >= 0 else None


def _related_link(data: Any) -> str:
    for link in as_list(as_dict(data).get("links"), 20):
        link = as_dict(link)
        if link.get("rel") == "related" and isinstance(link.get("href"), str) and \
                "rdap" in str(link.get("type", "application/rdap+json")).lower():
            return link["href"][:500]
    return ""


def _may_follow(url: str, configured_base: str) -> bool:
    """A registrar link from the registry's answer: https to a public host name,
    or the configured base's own origin (a mirror or the test emulator)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if configured_base:
        base = urlsplit(configured_base)
        if (parts.scheme, parts.hostname, parts.port) == (base.scheme, base.hostname, base.port):
            return True
    return parts.scheme == "https" and valid_hostname(parts.hostname or "")


# ---------------------------------------------------------------- lookup


async def domain_rdap(domain: str, ctx: IntelContext, bootstrap: Bootstrap) -> DomainRdap:
    domain = (domain or "").lower().rstrip(".")
    rec = DomainRdap(domain=domain[:253])
    if not valid_hostname(domain):
        rec.status, rec.detail = "invalid", "not a valid domain name"
        ctx.log("rdap", domain[:253], "invalid", detail=rec.detail)
        return rec
    key = f"rdap-domain:{domain}"
    cached = record_from_cache(DomainRdap, ctx.cache.get(key), domain=domain)
    if cached is not None:
        cached.age_days = age_days(cached.registered, ctx.clock())
        ctx.log("rdap", domain, "cached")
        return cached
    configured = ctx.config.endpoints.rdap_domain_base.rstrip("/")
    base = configured or (bootstrap.base_for(domain) or "").rstrip("/")
    if not base:
        rec.status, rec.detail = "unsupported", bootstrap.why_unsupported(domain)
        ctx.log("rdap", domain, "unsupported", detail=rec.detail)
        ctx.cache.put(key, asdict(rec), CACHE_TTL_S)
        return rec
    net = ctx.config.network
    start = time.monotonic()
    res = await fetch_json(ctx.session(), "GET", f"{base}/domain/{quote(domain)}", headers=ACCEPT,
                           max_bytes=net.max_response_bytes, timeout_s=net.http_timeout_s)
    rec.server = urlsplit(base).hostname or ""
    if res.status == "http-error" and res.code == 404:
        rec.status, rec.detail = "notfound", "the registry has no such domain"
        ctx.log("rdap", domain, "notfound", res.ms, f"{rec.server}: 404")
        ctx.cache.put(key, asdict(rec), NEGATIVE_TTL_S)
        return rec
    if not res.ok or not isinstance(res.data, dict):
        rec.status = "timeout" if res.status == "timeout" else "error"
        rec.detail = res.detail or "answer is not an RDAP object"
        if res.status == "http-error" and res.code == 429:
            rec.detail = "rate limited by the registry (HTTP 429)"
        ctx.log("rdap", domain, rec.status, res.ms, f"{rec.server}: {rec.detail}")
        return rec
    parse_domain(res.data, rec)
    related = _related_link(res.data)
    if related and rec.privacy != "proxy" and _may_follow(related, configured):
        left = net.http_timeout_s - (time.monotonic() - start)
        if left > 0.05:
            sub = await fetch_json(ctx.session(), "GET", related, headers=ACCEPT,
                                   max_bytes=net.max_response_bytes, timeout_s=left)
            host = urlsplit(related).hostname or ""
            ctx.log("rdap", f"{domain} (registrar)", sub.status, sub.ms,
                    f"{host}: {sub.detail}" if sub.detail else host)
            if sub.ok and isinstance(sub.data, dict):
                parse_domain(sub.data, rec)
    rec.age_days = age_days(rec.registered, ctx.clock())
    ctx.log("rdap", domain, "ok", (time.monotonic() - start) * 1000.0, rec.server)
    ctx.cache.put(key, asdict(rec), CACHE_TTL_S)
    return rec
