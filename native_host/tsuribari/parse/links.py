"""Links from plain text and HTML, with host, registrable domain and IDN forms.

The HTML is parsed by selectolax (lexbor): it is fast, never executes
anything and copes with hostile markup in linear time.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from ..model import Link
from .domains import normalise_host, parse_ip, registrable_domain, to_ascii, to_unicode

MAX_LINKS = 2000
MAX_URL_CHARS = 4096
MAX_HTML_BYTES = 3_000_000

# Linear: one character class, bounded length, no alternation inside repetition.
# Same matches as "(?:https?://|hxxps?://|www\.)..." under re.I, but the leading
# case-sensitive class lets the regex engine skip to candidate letters in C (a
# pattern starting with a case-insensitive alternation is tried at every
# position): ~4x faster scans. The lookbehinds re-read the letter just taken.
_TEXT_URL = re.compile(r"[hHwW](?:(?<=[hH])(?i:ttps?://|xxps?://)|(?<=[wW])(?i:ww\.))"
                       r"[^\s<>\"'`\u3000-\u303f\uff08\uff09\uff1c\uff1e]{1,2048}")
_TRAILING = ".,;:!?)]}>'\"、。」』）"
_NUMERIC_PART = re.compile(r"^(?:0x[0-9a-f]{0,8}|[0-9]{1,12})$", re.I)


def _numeric_ip(host: str) -> str:
    """IPv4 in disguise, read the way browsers do (WHATWG URL IPv4 parser):
    '3232235777', '0xC0A80001', octal '017700000001' or '0177.0.0.1', short '127.1'."""
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        return ""
    try:
        nums = [int(p[2:] or "0", 16) if p[:2].lower() == "0x" else int(p, 8) if len(p) > 1 and p[0] == "0"
                else int(p) for p in parts]
    except ValueError:            # '08' is not octal: browsers reject the host
        return ""
    if any(n > 255 for n in nums[:-1]) or nums[-1] >= 256 ** (5 - len(nums)):
        return ""
    value = nums[-1]
    for i, n in enumerate(nums[:-1]):
        value += n << (8 * (3 - i))
    return ".".join(str((value >> s) & 255) for s in (24, 16, 8, 0))


# 'http(s)://host' with a plain host (no user, port, brackets or escapes) and no tab or newline
# anywhere (urlsplit deletes those): urlsplit would give this scheme, host and rest, and the
# hostname lowered; splitting the rest at the first '#' and then '?' is what it does too.
# urlsplit itself is Python code (~3 µs a URL; its cache holds 128 and links rarely repeat).
_PLAIN_URL = re.compile(r"([hH][tT][tT][pP][sS]?)://([A-Za-z0-9._-]+)(?![^/?#])")


def make_link(url: str, text: str = "", source: str = "text") -> Link | None:
    url = url.strip()[:MAX_URL_CHARS]
    if not url:
        return None
    head = url[:4].lower()   # not the whole URL, twice: only W, H, X, P lower to w, h, x, p
    if head == "www.":
        url = "http://" + url
    elif head == "hxxp":
        url = "http" + url[4:]
    plain = _PLAIN_URL.match(url)
    if plain and "\t" not in url and "\n" not in url and "\r" not in url:
        scheme, host = plain.groups()
        rest = url[plain.end():]
        if "#" in rest:
            rest = rest.split("#", 1)[0]
        path, _, query = rest.partition("?")
        scheme, host = scheme.lower(), normalise_host(host.lower())
    else:
        try:
            parts = urlsplit(url)
            host = parts.hostname or ""
        except ValueError:
            return Link(url=url, text=text[:500], source=source, scheme=url.split(":", 1)[0][:20].lower())
        host = normalise_host(unquote(host))
        scheme, path, query = (parts.scheme or "").lower(), parts.path, parts.query
    link = Link(url=url, text=text[:500], source=source, scheme=scheme[:20], path=path[:1000], query=query[:2000])
    if host:
        link.is_ip, link.host, link.host_unicode, link.registrable = _host_facts(host)
    return link


@lru_cache(maxsize=8192)   # a mail links to the same few hosts again and again
def _host_facts(host: str) -> tuple[bool, str, str, str]:
    """(is an IP, ASCII host or canonical IP, Unicode host, registrable domain) of a normalised host."""
    numeric = _numeric_ip(host)
    ip = parse_ip(numeric or host)
    if ip:
        return True, str(ip), str(ip), ""
    ascii_host = to_ascii(host)
    return False, ascii_host, to_unicode(ascii_host), registrable_domain(ascii_host)


def links_from_text(text: str, source: str = "text") -> list[Link]:
    out = []
    for m in _TEXT_URL.finditer(text):
        url = m.group(0).rstrip(_TRAILING)
        link = make_link(url, "", source)
        if link:
            out.append(link)
        if len(out) > MAX_LINKS:   # one over the cap, so the caller sees (and reports) the cut
            break
    return out


# One CSS query for every element html_text_and_links looks at: each query is a walk over the
# whole tree (~24 µs on a typical mail), and lexbor returns a selector list's matches once each,
# in document order, so each kind of element comes out in the order its own query gave.
_ELEMENTS = "a[href], area[href], form, script, style, noscript, template, input"
_HIDDEN = frozenset({"script", "style", "noscript", "template"})


def html_text_and_links(html: str) -> tuple[str, list[Link], dict[str, int]]:
    """Visible text, links (a/area/form/img) and counts of forms and scripts."""
    from selectolax.lexbor import LexborHTMLParser

    counts = {"forms": 0, "scripts": 0, "password_inputs": 0, "cut": int(len(html) > MAX_HTML_BYTES)}
    tree = LexborHTMLParser(html[:MAX_HTML_BYTES])
    links: list[Link] = []
    forms, hidden = [], []
    full = False
    for node in tree.css(_ELEMENTS):
        tag = node.tag
        if tag == "a" or tag == "area":
            if full:
                continue
            if len(links) > MAX_LINKS:     # one over the cap, so the caller sees (and reports) the cut
                full = True
                continue
            href = node.attributes.get("href") or ""
            link = make_link(href, node.text(deep=True, separator=" ", strip=True)[:500], "html-a")
            if link:
                links.append(link)
        elif tag == "form":
            forms.append(node)
        elif tag == "input":
            # [type="password" i]: ASCII case-insensitive; no other character lowers into "password".
            kind = node.attributes.get("type")
            if kind is not None and kind.lower() == "password":
                counts["password_inputs"] += 1
        elif tag in _HIDDEN:
            counts["scripts"] += tag == "script"
            hidden.append(node)
    for node in forms:
        counts["forms"] += 1
        action = node.attributes.get("action") or ""
        link = make_link(action, "", "html-form") if action else None
        if link and len(links) <= MAX_LINKS:
            links.append(link)
    for node in hidden:
        node.decompose()
    body = tree.body or tree.root
    text = body.text(separator=" ", strip=True) if body is not None else ""
    return text, links, counts
