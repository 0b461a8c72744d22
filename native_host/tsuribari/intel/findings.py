"""Findings from what the network layer found: intel_findings(facts, intel).

Pure over `Intel` (no lookups here). Merges helper-3's authentication and
infrastructure findings (auth_findings) with ours: link domain age and
privacy-proxy registration, link hosting (IP, organisation, country, abuse
contact), the origin IP's owner and abuse contact, and reputation listings.
Texts and weights live in data/findings/intel.json.
"""
from __future__ import annotations

from typing import Any

from ..findings import default_catalog
from ..model import Facts, Finding
from .result import Intel, IpIntel

NEW_DAYS = 30
YOUNG_DAYS = 365
FEED_NAMES = {"phishtank": "PhishTank", "openphish": "OpenPhish"}


def defang(text: str) -> str:
    """Evidence shows listed URLs/hosts defanged, so no panel or copy turns them into links."""
    return text.replace("http://", "hxxp://").replace("https://", "hxxps://").replace(".", "[.]")


def _hosting_words(kind: str) -> dict[str, str]:
    if kind.startswith("cloud:"):
        name = kind.split(":", 1)[1]
        return {"ja": f"クラウド／VPS（{name}）", "en": f"cloud/VPS ({name})"}
    if kind.startswith("residential:"):
        return {"ja": "一般家庭向け回線", "en": "residential"}
    return {"ja": "ネットワーク", "en": "network"}


def _abuse_text(info: IpIntel | None) -> dict[str, str]:
    rdap = getattr(info, "rdap", None) if info else None
    emails = list(getattr(rdap, "abuse_emails", []) or [])
    if not emails:
        return {"ja": "", "en": ""}
    joined = ", ".join(emails[:2])
    return {"ja": f"不正利用の通報先: {joined}", "en": f"Abuse contact: {joined}"}


def _make_bilingual(fid: str, evidence: dict[str, Any], shared: dict[str, Any],
                    per_lang: dict[str, dict[str, str]]) -> Finding:
    """Catalog templates take one value per parameter; a few of ours differ by language."""
    cat = default_catalog()
    ja = cat.make(fid, evidence, **shared, **{k: v["ja"] for k, v in per_lang.items()})
    en = cat.make(fid, evidence, **shared, **{k: v["en"] for k, v in per_lang.items()})
    ja.title["en"], ja.explanation["en"] = en.title["en"], en.explanation["en"]
    return ja


def _domain_findings(intel: Intel) -> list[Finding]:
    cat = default_catalog()
    out: list[Finding] = []
    for name, dom in intel.domains.items():
        if "link" not in dom.roles and "from" not in dom.roles:
            continue
        rdap = dom.rdap
        if rdap is not None and getattr(rdap, "status", "") in ("ok", "cached"):
            days = rdap.age_days
            ev = {"domain": name, "registered": rdap.registered, "age_days": days, "registrar": rdap.registrar,
                  "registrant": rdap.registrant, "statuses": rdap.statuses[:6], "nameservers": rdap.nameservers[:6],
                  "roles": dom.roles, "rdap_server": rdap.server}
            registrar = rdap.registrar or "?"
            if days is not None and days < NEW_DAYS:
                out.append(cat.make("intel.domain_new", ev, domain=name, days=days,
                                    registered=rdap.registered[:10], registrar=registrar))
            elif days is not None and days < YOUNG_DAYS:
                out.append(cat.make("intel.domain_young", ev, domain=name, days=days,
                                    registered=rdap.registered[:10], registrar=registrar))
            if rdap.privacy == "proxy":
                out.append(cat.make("intel.domain_privacy_proxy", dict(ev, privacy_service=rdap.privacy_service),
                                    domain=name, service=rdap.registrant or rdap.privacy_service,
                                    registrant=rdap.registrant or rdap.privacy_service))
        hosting = dom.hosting
        if "link" in dom.roles and hosting is not None and hosting.ips:
            h = hosting.ips[0]
            info = intel.ip_info.get(h.ip)
            rdap_ip = getattr(info, "rdap", None)
            org = h.org or getattr(rdap_ip, "org", "") or "?"
            ev = {"domain": name, "ips": [x.ip for x in hosting.ips], "ip": h.ip, "asn": h.asn, "org": org,
                  "country": h.country, "city": h.city, "hosting": h.hosting,
                  "abuse": list(getattr(rdap_ip, "abuse_emails", []) or []),
                  "network": getattr(rdap_ip, "network_name", ""), "cidr": getattr(rdap_ip, "cidr", "")}
            out.append(_make_bilingual("intel.link_hosting", ev,
                                       {"domain": name, "ip": h.ip, "org": org, "asn": h.asn or "?",
                                        "country": h.country or "?"},
                                       {"hosting": _hosting_words(h.hosting), "abuse": _abuse_text(info)}))
    return out


def _origin_finding(intel: Intel) -> list[Finding]:
    info = intel.ip_info.get(intel.origin_ip) if intel.origin_ip else None
    rdap = getattr(info, "rdap", None)
    if info is None or rdap is None or getattr(rdap, "status", "") not in ("ok", "cached"):
        return []
    org = rdap.org or info.org or "?"
    ev = {"ip": info.ip, "org": org, "network": rdap.network_name, "cidr": rdap.cidr, "handle": rdap.handle,
          "rdap_country": rdap.country, "asn": info.asn, "country": info.country, "rdns": info.rdns,
          "abuse": rdap.abuse_emails}
    return [_make_bilingual("intel.origin_owner", ev,
                            {"ip": info.ip, "org": org, "network": rdap.network_name or "?", "cidr": rdap.cidr or "?"},
                            {"abuse": _abuse_text(info)})]


def _listing_findings(intel: Intel) -> list[Finding]:
    cat = default_catalog()
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for item in intel.listings:
        if getattr(item, "listed", None) is not True:
            continue
        key = (item.service, item.target)
        if key in seen:
            continue
        seen.add(key)
        target = defang(item.target)
        ev = {"service": item.service, "target": target, "category": item.category, "detail": item.detail}
        if item.service == "safebrowsing":
            out.append(cat.make("intel.listed_safebrowsing", ev, target=target, category=item.category or "?"))
        elif item.service == "urlhaus":
            out.append(cat.make("intel.listed_urlhaus", ev, target=target, category=item.category or "?",
                                detail=item.detail))
        elif item.service in FEED_NAMES:
            out.append(cat.make("intel.listed_feed", ev, service=FEED_NAMES[item.service], target=target,
                                category=item.category))
        elif item.service.startswith("dnsbl:"):
            zone = item.service.split(":", 1)[1]
            info = intel.ip_info.get(item.target)
            if info is not None:
                role = ", ".join(info.roles[:3]) or "?"
                out.append(cat.make("intel.listed_dnsbl_ip", dict(ev, zone=zone, role=role), target=target,
                                    zone=zone, category=item.category, role=role))
            else:
                out.append(cat.make("intel.listed_dnsbl", dict(ev, zone=zone), target=target, zone=zone,
                                    category=item.category))
    return out


def _auth(facts: Facts, intel: Intel) -> list[Finding]:
    from .auth_findings import auth_findings
    info = intel.ip_info.get(intel.origin_ip) if intel.origin_ip else None
    origin = facts.origin
    desc: dict[str, Any] = {}
    if info is not None:
        desc = {"org": info.org, "asn": info.asn, "country": info.country, "city": info.city,
                "rdns": info.rdns or (origin.rdns if origin else ""), "hosting": info.hosting}
        rdap = getattr(info, "rdap", None)
        if rdap is not None and getattr(rdap, "abuse_emails", None):
            desc["abuse"] = rdap.abuse_emails[0]
        desc = {k: v for k, v in desc.items() if v not in (None, "")}
    return auth_findings(intel.from_domain, intel.envelope_domain or intel.from_domain, intel.origin_ip, desc,
                         intel.spf, intel.dkim, intel.dmarc, intel.infra, facts.auth)


def intel_findings(facts: Facts, intel: Intel) -> list[Finding]:
    out: list[Finding] = []
    for part in (lambda: _auth(facts, intel), lambda: _domain_findings(intel), lambda: _origin_finding(intel),
                 lambda: _listing_findings(intel)):
        try:
            out.extend(part())
        except Exception as exc:   # odd data in one part must not lose the others
            intel.problems.append(f"intel findings: {type(exc).__name__}: {str(exc)[:200]}")
    return out
