"""Authentication-Results / Received-SPF / ARC results, and whether to believe them.

A result is trusted only when it sits above the boundary Received line, i.e.
it was added by the recipient's own provider; anything below was written by
the sender's side and is just a claim.
"""
from __future__ import annotations

import re

from ..model import AuthResult
from .domains import parse_ip
from .headers import decode_header_value

_METHOD = re.compile(r"(?:^|;)\s*(spf|dkim|dmarc|arc|dkim-atps|auth|iprev|bimi)\s*=\s*([a-zA-Z]{1,16})([^;]{0,600})", re.I)
_PROP = re.compile(r"(smtp\.mailfrom|smtp\.helo|header\.from|header\.d|header\.i|policy\.dmarc|header\.b)\s*=\s*\"?([^\s;\"()]{1,255})", re.I)
_SPF_HEAD = re.compile(r"^\s*(pass|fail|softfail|neutral|none|temperror|permerror)\b", re.I)
# Where receivers write the address SPF judged: "client-ip=1.2.3.4", "(sender IP is 1.2.3.4)",
# "does not designate 1.2.3.4 as permitted sender".
_SPF_IP = re.compile(r"(?:client-ip=|sender ip is |designates? )\[?([0-9a-f.:]{3,45})", re.I)
_ENVELOPE = re.compile(r"envelope-from=\"?<?([^\s;\">]{1,255})", re.I)


def _trusted_cut(names: list[str], boundary_index: int | None) -> int:
    """Position in the header list above which headers were added at the recipient's side."""
    if boundary_index is None:
        return 0
    seen = -1
    for pos, name in enumerate(names):
        if name == "received":
            seen += 1
            if seen == boundary_index:
                return pos
    return 0


def _spf_ip(text: str) -> str:
    m = _SPF_IP.search(text[:1000])
    ip = parse_ip(m.group(1).rstrip(".:")) if m else None
    return str(ip) if ip else ""


def _from_ar(value: str, source_name: str, trusted: bool) -> list[AuthResult]:
    authserv, _, rest = value.partition(";")
    if _METHOD.match(";" + authserv):
        # Some servers omit the authserv-id and start with the first result.
        authserv, rest = "", value
    out = []
    for m in _METHOD.finditer(";" + rest):
        method, result, tail = m.group(1).lower(), m.group(2).lower(), m.group(3)
        props = {k.lower(): v for k, v in _PROP.findall(tail)}
        domain = (props.get("header.d") or props.get("smtp.mailfrom") or props.get("header.from")
                  or props.get("header.i") or "")
        if "@" in domain:
            domain = domain.rsplit("@", 1)[1]
        detail = f"policy={props['policy.dmarc']}" if "policy.dmarc" in props else ""
        out.append(AuthResult(method=method, result=result, domain=domain.lower()[:255],
                              source=f"{source_name}@{authserv.strip()[:100]}", trusted=trusted, detail=detail,
                              ip=_spf_ip(tail) if method == "spf" else ""))
        if len(out) >= 20:
            break
    return out


_RESULT_FIELDS = frozenset({"authentication-results", "arc-authentication-results", "received-spf"})


def auth_results(items: list[tuple[str, str]], boundary_index: int | None,
                 names: list[str] | None = None) -> list[AuthResult]:
    """names: the items' field names lowered, when the caller has them already."""
    if names is None:
        names = [str(name).lower() for name, _ in items]
    cut = _trusted_cut(names, boundary_index)
    out: list[AuthResult] = []
    for pos in [pos for pos, lname in enumerate(names) if lname in _RESULT_FIELDS]:
        lname, raw = names[pos], items[pos][1]
        value = decode_header_value(raw)[:4000]
        trusted = pos < cut
        if lname == "received-spf":
            m = _SPF_HEAD.match(value)
            if m:
                env = _ENVELOPE.search(value)
                domain = env.group(1).rsplit("@", 1)[-1].lower() if env else ""
                out.append(AuthResult(method="spf", result=m.group(1).lower(), domain=domain,
                                      source="Received-SPF", trusted=trusted, ip=_spf_ip(value)))
        elif lname == "arc-authentication-results":
            # "i=1; authserv-id; ..." — the instance tag comes first.
            _, _, rest = value.partition(";")
            for r in _from_ar(rest, "ARC-Authentication-Results", trusted):
                r.trusted = False   # ARC results are the forwarder's word; shown, not trusted
                out.append(r)
        else:
            out.extend(_from_ar(value, "Authentication-Results", trusted))
        if len(out) >= 60:
            break
    return out
