"""RFC 7208 §7 macro strings: syntax checking and expansion.

Kept apart from the evaluator because the grammar is subtle (domain-spec vs
explanation string, exp-only letters, transformers, URL escaping) and is the
part most worth testing on its own. Parsing is a single left-to-right scan,
so hostile records cost linear time.
"""
from __future__ import annotations

import ipaddress
import time
import urllib.parse
from dataclasses import dataclass

MAX_NAME_LEN = 253
MAX_EXPANSION = 16_384
_LETTERS = frozenset("slodiphv")
_EXP_ONLY = frozenset("crt")
_DELIMS = frozenset(".-+,/_=")


class MacroError(ValueError):
    """A macro-string that does not follow the grammar: a permerror."""


@dataclass
class MacroContext:
    sender: str        # <sender>: local@domain after defaulting the local part
    local: str         # local part of <sender>
    sender_domain: str  # domain of <sender> (%{o})
    domain: str        # current <domain> (%{d}); changes with include/redirect
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address
    helo: str
    p: str = "unknown"  # validated domain of <ip>; filled by the evaluator when used
    receiver: str = "unknown"   # %{r}: we are not the receiving MTA


def _token_end(text: str, i: int) -> int:
    end = text.find("}", i)
    if end < 0:
        raise MacroError("unterminated macro")
    return end


def _tokens(text: str, exp: bool) -> list[tuple[str, str]]:
    """Split into ("lit", text), ("esc", text) and ("mac", body) tokens,
    validating as we go."""
    out: list[tuple[str, str]] = []
    i, n, lit = 0, len(text), []
    while i < n:
        ch = text[i]
        if ch != "%":
            if not exp and not "\x21" <= ch <= "\x7e":
                # macro-literal is visible ASCII only in domain-specs; the
                # explanation string also allows spaces.
                raise MacroError(f"invalid character {ch!r}")
            if exp and not ("\x20" <= ch <= "\x7e"):
                raise MacroError(f"invalid character {ch!r}")
            lit.append(ch)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < n else ""
        if nxt in ("%", "_", "-"):
            # An escape is a macro-expand in the grammar (it may end a
            # domain-spec), so it is its own token.
            if lit:
                out.append(("lit", "".join(lit)))
                lit = []
            out.append(("esc", {"%": "%", "_": " ", "-": "%20"}[nxt]))
            i += 2
            continue
        if nxt != "{":
            raise MacroError("'%' not followed by '{', '%', '_' or '-'")
        end = _token_end(text, i + 2)
        if lit:
            out.append(("lit", "".join(lit)))
            lit = []
        out.append(("mac", text[i + 2:end]))
        i = end + 1
    if lit:
        out.append(("lit", "".join(lit)))
    for kind, body in out:
        if kind == "mac":
            _parse_macro(body, exp)
    return out


def _parse_macro(body: str, exp: bool) -> tuple[str, int | None, bool, str]:
    if not body:
        raise MacroError("empty macro")
    letter = body[0]
    low = letter.lower()
    if low not in _LETTERS and not (exp and low in _EXP_ONLY):
        raise MacroError(f"macro letter {letter!r} not allowed here")
    i = 1
    while i < len(body) and body[i].isdigit():
        i += 1
    digits = int(body[1:i]) if i > 1 else None
    if digits == 0:
        raise MacroError("macro digit transformer must be non-zero")
    reverse = False
    if i < len(body) and body[i] in "rR":
        reverse = True
        i += 1
    delims = body[i:]
    if any(d not in _DELIMS for d in delims):
        raise MacroError("invalid macro delimiter")
    return letter, digits, reverse, delims


def check(text: str, exp: bool = False) -> None:
    """Raise MacroError if `text` is not a valid macro-string."""
    _tokens(text, exp)


def uses_p(text: str) -> bool:
    return "%{p" in text.lower()


def _is_toplabel(label: str) -> bool:
    # toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
    if not label or not label.isascii():
        return False
    if not all(c.isalnum() or c == "-" for c in label):
        return False
    if label[0] == "-" or label[-1] == "-":
        return False
    return not label.isdigit()


def valid_domain_spec(spec: str) -> bool:
    """domain-spec = macro-string domain-end; domain-end = "." toplabel ["."] / macro-expand.
    Checked before expansion, as RFC 7208 §7.1 requires."""
    try:
        tokens = _tokens(spec, exp=False)
    except MacroError:
        return False
    if not tokens:
        return False
    if tokens[-1][0] in ("mac", "esc"):
        return True
    body = spec[:-1] if spec.endswith(".") else spec
    dot = body.rfind(".")
    if dot < 0:
        return False
    return _is_toplabel(body[dot + 1:])


def _ip_text(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    return ".".join(ip.exploded.replace(":", ""))


def _value(letter: str, ctx: MacroContext) -> str:
    low = letter.lower()
    if low == "s":
        return ctx.sender
    if low == "l":
        return ctx.local
    if low == "o":
        return ctx.sender_domain
    if low == "d":
        return ctx.domain
    if low == "i":
        return _ip_text(ctx.ip)
    if low == "p":
        return ctx.p
    if low == "v":
        return "in-addr" if isinstance(ctx.ip, ipaddress.IPv4Address) else "ip6"
    if low == "h":
        return ctx.helo
    if low == "c":
        return str(ctx.ip)
    if low == "r":
        return ctx.receiver
    if low == "t":
        return str(int(time.time()))
    raise MacroError(f"unknown macro letter {letter!r}")


def _transform(value: str, digits: int | None, reverse: bool, delims: str) -> str:
    seps = set(delims or ".")
    parts, cur = [], []
    for ch in value:
        if ch in seps:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    if reverse:
        parts.reverse()
    if digits is not None and digits < len(parts):
        parts = parts[-digits:]
    return ".".join(parts)


def expand(text: str, ctx: MacroContext, exp: bool = False) -> str:
    """Expand a macro-string; raises MacroError on bad syntax."""
    out: list[str] = []
    size = 0
    for kind, body in _tokens(text, exp):
        if kind != "mac":
            out.append(body)
            continue
        letter, digits, reverse, delims = _parse_macro(body, exp)
        value = _transform(_value(letter, ctx), digits, reverse, delims)
        if letter.isupper():
            value = urllib.parse.quote(value, safe="-._~")
        out.append(value)
        size += len(value)
        if size > MAX_EXPANSION:
            # Only a hostile record expands this far (a name is 253 characters).
            raise MacroError("macro expansion too large")
    return "".join(out)


def expand_domain(spec: str, ctx: MacroContext) -> str:
    """Expand a domain-spec into a query name: trailing dot dropped, and left
    labels removed until the name fits in 253 characters (§7.3)."""
    name = expand(spec, ctx)
    if name.endswith("."):
        name = name[:-1]
    if len(name) <= MAX_NAME_LEN:
        return name
    # Drop whole labels from the left: find the first label boundary at or
    # after the cut point in one pass (a loop of splits is quadratic).
    start = len(name) - MAX_NAME_LEN
    if name[start - 1] == ".":
        return name[start:]
    dot = name.find(".", start)
    return name[dot + 1:] if dot >= 0 else ""
