"""Host names: normalising, IDNA, registrable domains (Public Suffix List), IP literals."""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

_HOST_OK = re.compile(r"^[a-z0-9_\-.\u00a0-\uffff]{1,253}$")


@lru_cache(maxsize=1)
def _psl():
    """The package's bundled list, exactly as PublicSuffixList() reads it, ~30% faster: the
    library IDNA-encodes every one of ~10,000 rules (the host's largest cold-start cost), though
    only the ~460 non-ASCII ones change (an ASCII rule encodes to itself)."""
    from publicsuffixlist import PSLFILE, PublicSuffixList, encode_idn
    try:
        rules: list[str] = []
        with open(PSLFILE, "rb") as fh:
            for raw in fh:
                rule = raw.decode("utf-8", "surrogateescape").lower().split(" ")[0].rstrip()
                if not rule or rule.startswith("//"):
                    continue
                rules.append(rule)
                if not rule.isascii():
                    encoded = encode_idn(rule.lstrip("!"))
                    rules.append("!" + encoded if rule[0] == "!" else encoded)
        return PublicSuffixList(rules, accept_encoded_idn=False)
    except Exception:   # another package layout: the library's own (slower) reading
        return PublicSuffixList()


@lru_cache(maxsize=2048)   # the checks normalise the same few hosts ~60 times a mail
def normalise_host(host: str) -> str:
    host = (host or "").strip().strip(".").lower()
    host = host.replace("\u3002", ".").replace("\uff0e", ".").replace("\uff61", ".")
    return host[:253]


@lru_cache(maxsize=8192)
def to_unicode(host: str) -> str:
    """The Unicode form of a punycode host; the input itself when it cannot be decoded."""
    if "xn--" not in host:
        return host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                labels.append(label.encode("ascii").decode("idna"))
                continue
            except (UnicodeError, ValueError):
                pass
        labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=8192)
def to_ascii(host: str) -> str:
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except (UnicodeError, ValueError):
        return host


_IP_CHARS = "0123456789abcdefABCDEF.:"


@lru_cache(maxsize=8192)   # the same relay and link IPs recur; the answers are immutable
def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = (text or "").strip().strip("[]")
    if text.lower().startswith("ipv6:"):
        text = text[5:]
    text = text.split("%", 1)[0]   # scoped IPv6 (fe80::1%eth0)
    if not text or len(text) > 45 or text.strip(_IP_CHARS):
        return None   # a host name: ip_address would raise twice (IPv4, IPv6), which is slow
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=4096)   # is_global walks the reserved-range tables on every call; the same IPs recur
def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    return bool(ip) and ip.is_global and not ip.is_multicast


@lru_cache(maxsize=16384)
def registrable_domain(host: str) -> str:
    """eTLD+1 of a host ('' for IPs and hosts without a known suffix)."""
    host = normalise_host(host)
    if not host or "." not in host or parse_ip(host) or not _HOST_OK.match(host):
        return ""
    ascii_host = to_ascii(host)
    try:
        found = _psl().privatesuffix(ascii_host)
    except Exception:
        found = None
    if found:
        return to_unicode(found) if found.startswith("xn--") or ".xn--" in found else found
    return ""


def domain_of(address: str) -> str:
    if "@" not in address:
        return ""
    return normalise_host(address.rsplit("@", 1)[1].strip("<>[] "))


def same_org(a: str, b: str) -> bool:
    ra, rb = registrable_domain(a), registrable_domain(b)
    return bool(ra) and ra == rb


def within(host: str, domains: frozenset[str] | set[str]) -> bool:
    """host equals one of domains or is a subdomain of one."""
    host = normalise_host(host)
    while host:
        if host in domains:
            return True
        if "." not in host:
            return False
        host = host.split(".", 1)[1]
    return False
