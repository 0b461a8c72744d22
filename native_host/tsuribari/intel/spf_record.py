"""RFC 7208 §4.6 / §5 / §6: parse one SPF record into terms, checking all syntax
before anything is evaluated ("syntax errors anywhere in the record MUST be
detected"). Pure; no DNS."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from . import spf_macro

MECHANISMS = frozenset({"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"})
MAX_TERMS = 200   # a legitimate record has a handful; this bounds hostile ones
_MODIFIER = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*)=(.*)$", re.DOTALL)
_CIDR = re.compile(r"^(0|[1-9][0-9]{0,2})$")


class SpfSyntaxError(ValueError):
    """Anything that makes the record a permerror."""


@dataclass
class Mechanism:
    qualifier: str           # + - ~ ?
    name: str                # lower-case mechanism name
    domain_spec: str = ""    # unexpanded; "" = use the current domain
    network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None   # ip4/ip6
    cidr4: int = 32
    cidr6: int = 128
    text: str = ""           # the term as written, for evidence


@dataclass
class Record:
    text: str
    mechanisms: list[Mechanism]
    redirect: str | None = None
    exp: str | None = None


def is_spf(text: str) -> bool:
    """A record is SPF when it starts with "v=spf1" followed by a space or the end."""
    return len(text) >= 6 and text[:6].lower() == "v=spf1" and (len(text) == 6 or text[6] == " ")


def _cidr(text: str, limit: int) -> int:
    if not _CIDR.match(text) or int(text) > limit:
        raise SpfSyntaxError(f"invalid CIDR length /{text}")
    return int(text)


def _split_dual_cidr(arg: str) -> tuple[str, int, int]:
    """Strip "[/n4][//n6]" from the end of an a/mx argument."""
    c4, c6 = 32, 128
    i = arg.rfind("//")
    if i >= 0 and arg[i + 2:].isdigit():
        c6 = _cidr(arg[i + 2:], 128)
        arg = arg[:i]
    i = arg.rfind("/")
    if i >= 0 and arg[i + 1:].isdigit():
        c4 = _cidr(arg[i + 1:], 32)
        arg = arg[:i]
    return arg, c4, c6


def _domain_arg(name: str, rest: str, required: bool) -> str:
    if not rest:
        if required:
            raise SpfSyntaxError(f"{name} needs a domain")
        return ""
    if not rest.startswith(":"):
        raise SpfSyntaxError(f"unexpected {rest!r} after {name}")
    spec = rest[1:]
    if not spf_macro.valid_domain_spec(spec):
        raise SpfSyntaxError(f"invalid domain-spec {spec!r}")
    return spec


def _ip_mech(qual: str, name: str, rest: str, text: str) -> Mechanism:
    if not rest.startswith(":"):
        raise SpfSyntaxError(f"{name} needs an address")
    addr, slash, length = rest[1:].partition("/")
    v4 = name == "ip4"
    try:
        ip = ipaddress.IPv4Address(addr) if v4 else ipaddress.IPv6Address(addr)
    except ValueError as exc:
        raise SpfSyntaxError(f"invalid address in {text!r}") from exc
    bits = 32 if v4 else 128
    prefix = _cidr(length, bits) if slash else bits
    net = ipaddress.ip_network(f"{ip}/{prefix}", strict=False)
    return Mechanism(qual, name, network=net, text=text)


def _mechanism(term: str) -> Mechanism:
    qual = "+"
    body = term
    if body[:1] in "+-~?":
        qual, body = body[0], body[1:]
    cut = len(body)
    for sep in (":", "/"):
        j = body.find(sep)
        if 0 <= j < cut:
            cut = j
    name, rest = body[:cut].lower(), body[cut:]
    if name not in MECHANISMS:
        raise SpfSyntaxError(f"unknown mechanism {term!r}")
    if name == "all":
        if rest:
            raise SpfSyntaxError(f"'all' takes no argument: {term!r}")
        return Mechanism(qual, name, text=term)
    if name in ("ip4", "ip6"):
        return _ip_mech(qual, name, rest, term)
    if name in ("a", "mx"):
        arg, c4, c6 = _split_dual_cidr(rest)
        spec = _domain_arg(name, arg, required=False)
        if arg.startswith(":") and not spec:
            raise SpfSyntaxError(f"empty domain in {term!r}")
        return Mechanism(qual, name, spec, cidr4=c4, cidr6=c6, text=term)
    # include, exists, ptr: no CIDR allowed
    spec = _domain_arg(name, rest, required=name != "ptr")
    if name == "ptr" and rest and not spec:
        raise SpfSyntaxError(f"empty domain in {term!r}")
    return Mechanism(qual, name, spec, text=term)


def parse(text: str) -> Record:
    """Parse a record already known to start with v=spf1."""
    if not text.isascii():
        raise SpfSyntaxError("SPF records are 7-bit ASCII")
    terms = [t for t in text.split(" ")[1:] if t]
    if len(terms) > MAX_TERMS:
        raise SpfSyntaxError("too many terms")
    record = Record(text=text, mechanisms=[])
    for term in terms:
        mod = _MODIFIER.match(term)
        if mod:
            name, value = mod.group(1).lower(), mod.group(2)
            if name in ("redirect", "exp"):
                if getattr(record, name) is not None:
                    raise SpfSyntaxError(f"{name}= appears twice")
                if not spf_macro.valid_domain_spec(value):
                    raise SpfSyntaxError(f"invalid {name}= target {value!r}")
                setattr(record, name, value)
            else:
                try:
                    spf_macro.check(value)
                except spf_macro.MacroError as exc:
                    raise SpfSyntaxError(f"bad macro in modifier {term!r}: {exc}") from exc
            continue
        record.mechanisms.append(_mechanism(term))
    return record
