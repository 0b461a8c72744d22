"""DMARC (RFC 7489): record discovery, policy, and alignment of our own SPF
and DKIM results with the From domain."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

from .dkim_verify import DkimResult
from .resolver import ascii_name, valid_query_name
from .spf import SpfResult

_POLICIES = ("none", "quarantine", "reject")
_TEMP = ("timeout", "servfail", "error", "refused")
MAX_TAGS = 30


@dataclass
class DmarcResult:
    domain: str                 # the From domain
    org_domain: str             # its organisational domain (PSL)
    record: str = ""
    policy: str = ""            # p=
    subdomain_policy: str = ""  # sp= (defaults to p=)
    pct: int = 100
    result: str = "none"        # pass|fail|none|temperror
    spf_aligned: bool = False
    dkim_aligned: bool = False
    record_domain: str = ""     # where the record was found (From domain or org domain)
    adkim: str = "r"
    aspf: str = "r"

    @property
    def effective_policy(self) -> str:
        """The policy that applies to this From domain (sp= for subdomains)."""
        if self.record_domain and self.record_domain != self.domain:
            return self.subdomain_policy or self.policy
        return self.policy


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    # Built once: parsing the list costs tens of milliseconds; it is read-only.
    return PublicSuffixList()


def org_domain(domain: str) -> str:
    domain = domain.lower().rstrip(".")
    return _psl().privatesuffix(domain) or domain


def _aligned(a: str, b: str, mode: str) -> bool:
    a, b = a.lower().rstrip("."), b.lower().rstrip(".")
    if not a or not b:
        return False
    if mode == "s":
        return a == b
    return org_domain(a) == org_domain(b)


def _tags(record: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in record.split(";")[:MAX_TAGS]:
        key, eq, value = part.partition("=")
        if eq:
            out.setdefault(key.strip().lower(), value.strip())
    return out


async def _lookup(name: str, resolver) -> tuple[str, list[str]]:
    """(status, DMARC records) for `_dmarc.<name>`."""
    qname = f"_dmarc.{name}"
    if not valid_query_name(qname):
        return "invalid", []
    ans = await resolver.query(qname, "TXT")
    if ans.status in _TEMP:
        return "temperror", []
    if ans.status != "ok":
        return "none", []
    # §6.6.3: records must begin with "v=DMARC1"; anything else is ignored.
    recs = [r for r in ans.records if r.replace(" ", "").startswith("v=DMARC1;") or r.strip() == "v=DMARC1"]
    return "ok", recs


async def check_dmarc(from_domain: str, spf: SpfResult | None, dkim: list[DkimResult], resolver) -> DmarcResult:
    domain = ascii_name((from_domain or "").strip()).lower().rstrip(".")
    org = org_domain(domain) if domain else ""
    res = DmarcResult(domain=domain, org_domain=org)
    if not domain:
        return res
    status, recs = await _lookup(domain, resolver)
    where = domain
    if status == "temperror":
        res.result = "temperror"
        return res
    if not recs and org and org != domain:
        status, recs = await _lookup(org, resolver)
        where = org
        if status == "temperror":
            res.result = "temperror"
            return res
    if len(recs) != 1:
        return res      # none, or several records: §6.6.3 says treat as none
    tags = _tags(recs[0])
    policy = tags.get("p", "").lower()
    if policy not in _POLICIES:
        # §6.6.3: a record with an invalid or missing p= is still honoured as
        # p=none when it names a report address; otherwise it is ignored.
        if "rua" not in tags:
            return res
        policy = "none"
    res.record = recs[0][:1000]
    res.record_domain = where
    res.policy = policy
    sp = tags.get("sp", "").lower()
    res.subdomain_policy = sp if sp in _POLICIES else policy
    pct = tags.get("pct", "100")
    res.pct = max(0, min(100, int(pct))) if pct.isdigit() else 100
    res.adkim = "s" if tags.get("adkim", "r").lower() == "s" else "r"
    res.aspf = "s" if tags.get("aspf", "r").lower() == "s" else "r"
    res.spf_aligned = bool(spf and spf.result == "pass" and _aligned(spf.domain, domain, res.aspf))
    res.dkim_aligned = any(d.result == "pass" and _aligned(d.domain, domain, res.adkim) for d in dkim)
    res.result = "pass" if (res.spf_aligned or res.dkim_aligned) else "fail"
    return res
