"""Findings from the authentication we computed ourselves (SPF, DKIM, DMARC)
and from comparing the sender domain's own infrastructure with the origin.

A pure function over results already gathered: no DNS here, so the
orchestrator decides what to look up and this module only says what it means.
"""
from __future__ import annotations

import ipaddress
from typing import Any, Iterable

from ..findings import default_catalog
from ..model import AuthResult, Finding
from .dkim_verify import DkimResult
from .dmarc import DmarcResult, org_domain
from .infra import DomainInfra
from .spf import SpfResult

LIST_SHOWN = 6
NONE_TEXT = "(none / なし)"


def _list(items: Iterable[str], shown: int = LIST_SHOWN) -> str:
    items = [str(i) for i in items if i]
    if not items:
        return NONE_TEXT
    text = ", ".join(items[:shown])
    return text + (f" (+{len(items) - shown})" if len(items) > shown else "")


def _bucket(result: str) -> str:
    """Results that mean the same thing to a reader compare equal."""
    result = (result or "").lower()
    if result == "pass":
        return "pass"
    if result in ("fail", "softfail"):
        return "fail"
    if result in ("temperror", "permerror"):
        return "error"
    return "none"


def _same_org(a: str, b: str) -> bool:
    return bool(a and b) and org_domain(a) == org_domain(b)


def _ip_in(ip: str, entries: Iterable[str]) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for entry in entries:
        try:
            if addr in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue   # "exists:…", "ptr:…": not a range
    return False


def _spf(spf: SpfResult) -> list[Finding]:
    cat = default_catalog()
    ev = {"result": spf.result, "domain": spf.domain, "ip": spf.ip, "mechanism": spf.mechanism,
          "record": spf.record, "authorized": spf.authorized[:50], "dns_lookups": spf.dns_lookups,
          "void_lookups": spf.void_lookups, "explanation": spf.explanation, "source": "computed"}
    params = {"domain": spf.domain, "ip": spf.ip, "authorized": _list(spf.authorized),
              "mechanism": spf.mechanism or "-", "result": spf.result, "reason": spf.mechanism or "-"}
    ids = {"fail": "auth.spf_fail", "softfail": "auth.spf_softfail", "none": "auth.spf_none",
           "permerror": "auth.spf_error", "temperror": "auth.spf_error"}
    fid = ids.get(spf.result)
    return [cat.make(fid, ev, **params)] if fid else []


def _dkim(from_domain: str, dkim: list[DkimResult]) -> list[Finding]:
    cat = default_catalog()
    if not dkim:
        return [cat.make("auth.dkim_none", {"domain": from_domain, "signatures": 0}, domain=from_domain or "?")]
    passed = [d for d in dkim if d.result == "pass"]
    evidence = [{"domain": d.domain, "selector": d.selector, "result": d.result, "reason": d.reason,
                 "key_bits": d.key_bits, "algorithm": d.algorithm,
                 "body_length_limited": d.body_length_limited, "expired": d.expired} for d in dkim]
    if not passed:
        bad = next((d for d in dkim if d.result in ("fail", "permerror")), dkim[0])
        if bad.result == "temperror":
            return []   # the key could not be fetched: no claim either way
        return [cat.make("auth.dkim_fail", {"signatures": evidence}, domain=bad.domain or "?",
                         selector=bad.selector or "?", reason=bad.reason or bad.result)]
    if from_domain and not any(_same_org(d.domain, from_domain) for d in passed):
        signers = sorted({d.domain for d in passed})
        return [cat.make("auth.dkim_unrelated", {"signatures": evidence, "from_domain": from_domain},
                         signer=_list(signers, 3), domain=from_domain)]
    return []


def _dmarc(dmarc: DmarcResult) -> list[Finding]:
    cat = default_catalog()
    ev = {"domain": dmarc.domain, "org_domain": dmarc.org_domain, "record_domain": dmarc.record_domain,
          "record": dmarc.record, "policy": dmarc.policy, "subdomain_policy": dmarc.subdomain_policy,
          "effective_policy": dmarc.effective_policy, "pct": dmarc.pct, "result": dmarc.result,
          "spf_aligned": dmarc.spf_aligned, "dkim_aligned": dmarc.dkim_aligned, "source": "computed"}
    if dmarc.result == "fail":
        return [cat.make("auth.dmarc_fail", ev, domain=dmarc.domain, policy=dmarc.effective_policy,
                         record=dmarc.record, spf_aligned="no" if not dmarc.spf_aligned else "yes",
                         dkim_aligned="no" if not dmarc.dkim_aligned else "yes")]
    if dmarc.result == "pass":
        method = "DMARC/DKIM" if dmarc.dkim_aligned else "DMARC/SPF"
        return [cat.make("auth.computed_aligned_pass", ev, domain=dmarc.domain, method=method)]
    return []


def _ours(method: str, domain: str, spf: SpfResult | None, dkim: list[DkimResult],
          dmarc: DmarcResult | None) -> tuple[str, str] | None:
    """Our result for what a header line talks about, and the domain it is for."""
    domain = (domain or "").lower()
    if method == "spf" and spf is not None:
        if domain and domain != spf.domain.lower() and not domain.endswith("@" + spf.domain.lower()):
            return None
        return spf.result, spf.domain
    if method == "dkim" and dkim:
        mine = [d for d in dkim if not domain or d.domain == domain]
        if not mine:
            return None
        best = next((d for d in mine if d.result == "pass"), mine[0])
        return best.result, best.domain
    if method == "dmarc" and dmarc is not None:
        if domain and domain != dmarc.domain:
            return None
        return dmarc.result, dmarc.domain
    return None


def _disagreements(header_auth: list[AuthResult], spf: SpfResult | None, dkim: list[DkimResult],
                   dmarc: DmarcResult | None) -> list[Finding]:
    cat = default_catalog()
    out: list[Finding] = []
    seen: set[str] = set()
    for a in header_auth:
        method = (a.method or "").lower()
        if not a.trusted or method in seen:
            continue
        ours = _ours(method, a.domain, spf, dkim, dmarc)
        if ours is None or ours[0] == "temperror":
            continue      # our lookup failing is not a disagreement
        if _bucket(ours[0]) == _bucket(a.result):
            continue
        seen.add(method)
        out.append(cat.make("auth.computed_disagrees",
                            {"method": method, "header": a.result, "ours": ours[0], "domain": ours[1],
                             "source": a.source, "detail": a.detail},
                            method=method.upper(), header=a.result, ours=ours[0],
                            source=a.source or "Authentication-Results"))
    return out


def _domain_vouches(infra: DomainInfra, spf: SpfResult | None, dkim: list[DkimResult],
                    dmarc: DmarcResult | None) -> bool:
    """The domain itself authorised this mail by some route: then sending
    from elsewhere (a mail service, a newsletter platform) is legitimate."""
    if spf is not None and spf.result == "pass" and spf.domain == infra.domain:
        return True
    if dmarc is not None and dmarc.result == "pass":
        return True
    return any(d.result == "pass" and _same_org(d.domain, infra.domain) for d in dkim)


def _origin(infra: DomainInfra, origin_ip: str, origin_desc: dict[str, Any], spf: SpfResult | None,
            dkim: list[DkimResult], dmarc: DmarcResult | None) -> list[Finding]:
    if not origin_ip or not (infra.a or infra.aaaa or infra.mx or infra.spf_record):
        return []
    if _domain_vouches(infra, spf, dkim, dmarc):
        return []
    authorized = list(infra.spf_authorized)
    if spf is not None and spf.domain == infra.domain:
        authorized += [x for x in spf.authorized if x not in authorized]
    if origin_ip in infra.a or origin_ip in infra.aaaa or _ip_in(origin_ip, authorized):
        return []
    org = str(origin_desc.get("org") or origin_desc.get("asn_org") or "?")
    asn = origin_desc.get("asn")
    if asn:
        org = f"{org}, AS{asn}"
    country = str(origin_desc.get("country") or "?")
    ev = {"domain": infra.domain, "a": infra.a, "aaaa": infra.aaaa, "mx": infra.mx,
          "spf_record": infra.spf_record, "authorized": authorized[:50], "origin_ip": origin_ip,
          "origin": {k: v for k, v in origin_desc.items() if isinstance(v, (str, int, float, bool))}}
    return [default_catalog().make("route.origin_not_domain_infra", ev, domain=infra.domain,
                                   a=_list(infra.a + infra.aaaa), mx=_list(infra.mx),
                                   authorized=_list(authorized), ip=origin_ip, org=org, country=country)]


def auth_findings(from_domain: str, envelope_domain: str, origin_ip: str, origin_desc: dict[str, Any],
                  spf: SpfResult | None, dkim: list[DkimResult] | None, dmarc: DmarcResult | None,
                  infra: DomainInfra | None, header_auth: list[AuthResult]) -> list[Finding]:
    """`spf` is our SPF of `origin_ip` for the envelope domain (or From when
    the reverse-path is empty); `dkim` is one result per signature (empty list
    = unsigned, None = not checked); `infra` is the From domain's own
    infrastructure; `origin_desc` carries org/asn/country/rdns/hosting of the
    origin when known."""
    out: list[Finding] = []
    if spf is not None:
        out += _spf(spf)
    if dkim is not None:
        out += _dkim(from_domain, dkim)
    if dmarc is not None:
        out += _dmarc(dmarc)
    out += _disagreements(header_auth or [], spf, dkim or [], dmarc)
    if infra is not None:
        out += _origin(infra, origin_ip, origin_desc or {}, spf, dkim or [], dmarc)
    return out
