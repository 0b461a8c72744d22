"""Received lines as hops, and where the mail crossed into the recipient's provider.

MTAs write the "from" part in many shapes; all of these are handled:
  Postfix/Sendmail  from HELO (rdns [1.2.3.4]) by ...
  Exim              from rdns ([1.2.3.4] helo=HELO) by ...   or  from [1.2.3.4] (helo=HELO)
  Exchange/O365     from HOST (1.2.3.4) by HOST (10.0.0.1) with Microsoft SMTP Server ...
  Gmail             from HOST (HOST. [1.2.3.4]) by mx.google.com with ESMTPS id ...
  qmail             from unknown (HELO host) (1.2.3.4) by ...
Every regex here is bounded by the line cap and has no nested quantifiers.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from ..model import Hop
from .domains import is_public_ip, normalise_host, parse_ip, registrable_domain

MAX_RECEIVED_CHARS = 2000

_IP4 = r"\d{1,3}(?:\.\d{1,3}){3}"
_IP6 = r"(?:IPv6:)?[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%[\w.]{1,20})?"
_BRACKET_IP = re.compile(rf"\[({_IP4}|{_IP6})\]")
_PAREN_IP = re.compile(rf"\(\s*({_IP4}|{_IP6})\s*\)")
_BARE_IP = re.compile(rf"(?<![\w.:])({_IP4})(?![\w.])")
_HELO_EQ = re.compile(r"helo[= ]\s{0,3}([^\s)\]]{1,255})", re.I)
_RDNS_BEFORE_BRACKET = re.compile(rf"\(\s*([^\s()\[\]]{{1,255}})\s+\[(?:{_IP4}|{_IP6})\]")
# Keywords are matched after white space only (_clauses gets a leading space): a pattern
# that starts with a plain \s lets the regex engine skip ahead in C; "^|\s" with re.I
# was tried at every position. (?i:...) keeps the old case-insensitive keyword match.
_CLAUSE = re.compile(r"\s(?i:(from|by|via|with|id|for))\s")


# The clause order nearly every MTA writes, "from F by B with W id I for R via V" (from, with, id,
# for, via optional), as one anchored regex. A value is space-separated words, none of them a
# keyword, each with at most one level of balanced parentheses: exactly what _clauses would cut
# there (a keyword inside parentheses is skipped by both). Any other line goes to _clauses.
# Atomic groups: no backtracking into a word, so the match is linear however it fails.
_KEYWORD = r"(?i:from|by|via|with|id|for)"
# (?=[...]) first: most words start with no keyword's first letter (any case, İ ı for i) and
# are passed without trying the six case-insensitive keywords.
_WORD = r"(?>(?!(?=[FfBbVvWwIiİı])" + _KEYWORD + r"(?: |\Z))(?:[^\s()]++|\([^()]*+\))+)"
_VALUE = rf"({_WORD}(?: {_WORD})*+)"
_USUAL_CLAUSES = re.compile(rf"\A(?:from {_VALUE} )?by {_VALUE}(?: with {_VALUE})?(?: id {_VALUE})?"
                            rf"(?: for {_VALUE})?(?: via {_VALUE})? ?\Z")


def _clauses(text: str) -> dict[str, str]:
    """Split ' from X by Y with Z id W for V' into its parts (first occurrence wins).

    text must start with white space, or a leading keyword is not seen."""
    out: dict[str, str] = {}
    opened = closed = counted = 0   # parentheses before `counted`, summed as the scan moves on
    word, start = "", 0             # the open clause, ended by the next keyword outside parentheses
    for m in _CLAUSE.finditer(text):
        pos = m.start(1)
        opened += text.count("(", counted, pos)
        closed += text.count(")", counted, pos)
        counted = pos
        # A keyword inside parentheses is a comment (e.g. "(using TLS with cipher ...)").
        if opened != closed:
            continue
        if word and word not in out:
            out[word] = text[start:pos].strip()
        word = m.group(1).lower()
        start = pos + len(word)
    if word and word not in out:
        out[word] = text[start:].strip()
    return out


# The date nearly every MTA writes, "Mon, 2 Jan 2006 15:04:05 +0900 (JST)": read with one
# regex, to the very datetime parsedate_to_datetime builds (its tokens after the zone are
# ignored, "-0000" means UTC there as here). Any other form goes to the stdlib parser.
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_RFC5322_DATE = re.compile(r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
                           r"|Nov|Dec) ([1-9][0-9]{3}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})(?: |$)")


@lru_cache(maxsize=256)   # a few dozen zones are ever written; building one is two objects
def _zone(seconds: int) -> timezone:
    return timezone(timedelta(seconds=seconds))


def _to_datetime(text: str) -> datetime | None:
    m = _RFC5322_DATE.match(text)
    if m is None:
        return parsedate_to_datetime(text)
    day, month, year, hour, minute, second, sign, tz_hours, tz_minutes = m.groups()
    offset = int(tz_hours) * 3600 + int(tz_minutes) * 60
    zone = _zone(-offset if sign == "-" else offset)   # ValueError past ±24 h, as there
    return datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=zone)


def _parse_date(text: str) -> datetime | None:
    text = text.strip()[:200]
    if not text:
        return None
    try:
        dt = _to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        dt = None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return dt.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


def _split_date(text: str) -> tuple[str, str]:
    if ";" in text:
        body, _, date = text.rpartition(";")
        return body, date
    # Some MTAs omit the ';': take a trailing RFC 5322-looking date.
    m = re.search(r"((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+\d{1,2}\s+\w{3}\s+\d{4}\s+[\d:]{5,8}.{0,40})$", text)
    if m:
        return text[: m.start()], m.group(1)
    return text, ""


@lru_cache(maxsize=4096)   # relay addresses recur; str() of an ipaddress object is Python code
def _ip_text(text: str) -> str:
    """Canonical form of an IP literal, '' when it is none."""
    ip = parse_ip(text)
    return str(ip) if ip else ""


def parse_received(value: str, index: int) -> Hop:
    # split() and strip() use the same white space as the regex "\s+" did, without the regex.
    text = " ".join(value[:MAX_RECEIVED_CHARS].split())
    hop = Hop(index=index, raw=text)
    body, date = _split_date(text)
    when = _parse_date(date)
    if when:
        hop.timestamp = when.isoformat()
    usual = _USUAL_CLAUSES.match(body)
    if usual:
        frm, by, withp, ident = (v or "" for v in usual.group(1, 2, 3, 4))
    else:
        parts = _clauses(" " + body)
        frm, by, withp, ident = parts.get("from", ""), parts.get("by", ""), parts.get("with", ""), parts.get("id", "")
    if frm:
        first = frm.split(" ", 1)[0].strip("()[]")
        ip_match = _BRACKET_IP.search(frm) or _PAREN_IP.search(frm) or _BARE_IP.search(frm)
        if ip_match:
            hop.ip = _ip_text(ip_match.group(1))
        helo = _HELO_EQ.search(frm)
        rdns = _RDNS_BEFORE_BRACKET.search(frm)
        if rdns:
            name = rdns.group(1).rstrip(".")
            if name.lower() not in ("unknown", "may", "be", "forged") and not parse_ip(name):
                hop.rdns = normalise_host(name)
        if helo:
            hop.helo = helo.group(1).strip("[]")
        elif first and first.lower() != "unknown":
            hop.helo = first
        # Exim puts the verified name first and the claimed one in helo=.
        if helo and first and not parse_ip(first) and not hop.rdns and first.lower() != "unknown":
            hop.rdns = normalise_host(first)
        if not rdns and not helo and "(" in frm and first:
            # Exchange: from HOST (IP) — the name is the sender's own claim.
            hop.helo = first
    if by:
        hop.by = normalise_host(by.split(" ", 1)[0].strip("()[]"))
        by_ip = _BRACKET_IP.search(by) or _PAREN_IP.search(by)
        if by_ip:
            hop.by_ip = _ip_text(by_ip.group(1))
    if withp:
        hop.protocol = withp.split(" ", 1)[0][:40]
    if ident:
        hop.id = ident.split(" ", 1)[0].strip(";")[:80]
    return hop


def _same_network(a: str, b: str) -> bool:
    """Two addresses of one operator's block (/16 IPv4, /24 IPv6): a hop inside one network."""
    ia, ib = parse_ip(a), parse_ip(b)
    if not ia or not ib or ia.version != ib.version or not is_public_ip(ia) or not is_public_ip(ib):
        return False
    bits = 16 if ia.version == 4 else 24
    shift = ia.max_prefixlen - bits
    return int(ia) >> shift == int(ib) >> shift


def _is_internal(hop: Hop, provider: str) -> bool:
    ip = parse_ip(hop.ip)
    if hop.ip and not is_public_ip(ip):
        return True
    if not hop.ip:
        # No sending address: a local pickup or a provider bookkeeping line.
        return True
    if hop.by_ip and _same_network(hop.ip, hop.by_ip):
        return True
    sender_org = registrable_domain(hop.rdns) or registrable_domain(hop.helo)
    return bool(provider) and sender_org == provider


def provider_domain(hops: list[Hop]) -> str:
    """Registrable domain of the host that delivered the mail to the recipient (the newest hop)."""
    for hop in hops:
        if hop.by:
            found = registrable_domain(hop.by)
            if found:
                return found
    return ""


def _same_machine(lower: Hop, upper: Hop) -> bool:
    """The host that received `lower` is the one that then sent `upper` (same IP or same name)."""
    if lower.by_ip and lower.by_ip == upper.ip:
        return True
    by_label = lower.by.split(".", 1)[0]
    return bool(by_label) and by_label in (upper.helo.lower().split(".", 1)[0], upper.rdns.split(".", 1)[0])


def provider_chain_end(hops: list[Hop]) -> int | None:
    """Index of the oldest hop of the unbroken run, from the newest, inside the provider.

    A hop continues the run when its receiving host belongs to a domain already seen in the
    run, or is the very machine that handed the mail up to the hop above.
    """
    provider = provider_domain(hops)
    if not provider:
        return None
    domains = {provider}
    last = None
    for i, hop in enumerate(hops):
        linked = i > 0 and _same_machine(hop, hops[i - 1])
        if registrable_domain(hop.by) not in domains and not linked:
            break
        domains.update(d for d in (registrable_domain(hop.by), registrable_domain(hop.helo), registrable_domain(hop.rdns)) if d)
        last = hop.index
    return last


def find_boundary(hops: list[Hop]) -> int | None:
    """Index of the hop where an external host handed the mail to the recipient's side.

    Walks down from the newest hop; hops between machines of the provider that
    received the mail (same registrable domain, private addresses) are internal.
    Everything below the boundary was written by the sender's side and may be forged.
    """
    provider = provider_domain(hops)
    for hop in hops:
        if _is_internal(hop, provider):
            hop.internal = True
            # A hop handed over by another provider machine keeps the chain inside.
            continue
        return hop.index
    return None


def set_delays(hops: list[Hop]) -> None:
    """Seconds each hop took to reach the next newer hop (negative = clock skew)."""
    for older, newer in zip(hops[1:], hops[:-1]):
        if older.timestamp and newer.timestamp:
            try:
                a = datetime.fromisoformat(older.timestamp)
                b = datetime.fromisoformat(newer.timestamp)
                older.delay_s = round((b - a).total_seconds(), 1)
            except (ValueError, OverflowError):
                older.delay_s = None
