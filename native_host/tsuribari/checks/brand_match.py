"""Which brands a mail claims to be, and where it says so.

Latin names match case-insensitively as whole words; Japanese names as
substrings (Japanese has no spaces). Ambiguous names ("au", "LINE") match
only case-sensitively as whole tokens, and never in free body text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge import Brand, Knowledge

MAX_BODY_SCAN = 60_000
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class BrandClaim:
    brand: Brand
    where: str      # display_name, subject, body, link
    name: str       # the name as it matched


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _find_word(haystack: str, needle: str, glue: str = "") -> bool:
    """needle occurs in haystack not glued to other Latin letters or digits (or to `glue` chars)."""
    start = 0
    n = len(needle)
    while True:
        pos = haystack.find(needle, start)
        if pos < 0:
            return False
        before = haystack[pos - 1] if pos else " "
        after = haystack[pos + n] if pos + n < len(haystack) else " "
        if not (_is_word_char(before) or before in glue) and not (_is_word_char(after) or after in glue):
            return True
        start = pos + 1


def name_in_text(name: str, text: str, text_lower: str, strict: bool) -> bool:
    if strict:
        # "au" in "example.com.au" or "a@au.example" is part of an address, not the brand.
        return _find_word(text, name, glue=".@-_/")
    if name.isascii():
        return _find_word(text_lower, name.lower())
    return name.lower() in text_lower


def url_tokens(text: str) -> set[str]:
    """Tokens of a host or path, and runs of 2-3 tokens glued ('smbc-card' → 'smbccard')."""
    parts = [p for p in _NON_ALNUM.split(text.lower()) if p][:200]
    out = set(parts)
    for i in range(len(parts)):
        if i + 1 < len(parts):
            out.add(parts[i] + parts[i + 1])
        if i + 2 < len(parts):
            out.add(parts[i] + parts[i + 1] + parts[i + 2])
    return out


_ASCII_TOKENS = re.compile(r"[A-Za-z0-9]+")
_NAME_TABLES: dict[int, tuple[Knowledge, list]] = {}


def _name_table(kb: Knowledge) -> list:
    """Per knowledge base, once: each brand's names with their lower-case form and, for Latin names
    that start with a letter or digit, the first token that any whole-word match must contain."""
    cached = _NAME_TABLES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    rows = []
    for brand in kb.brands:
        names = []
        for n in brand.names:
            lower = n.lower()
            head = _ASCII_TOKENS.match(lower) if n.isascii() else None
            names.append((n, lower, n.isascii(), head.group(0) if head else None))
        strict = []
        for n in brand.names_strict:
            head = _ASCII_TOKENS.match(n)
            strict.append((n, head.group(0) if head else None))
        rows.append((brand, names, strict))
    _NAME_TABLES.clear()
    _NAME_TABLES[id(kb)] = (kb, rows)
    return rows


def claims_in_text(kb: Knowledge, text: str, where: str, allow_strict: bool) -> list[BrandClaim]:
    """Same answers as name_in_text over every brand name, without searching the text for names
    whose first Latin word is not a word of the text (a whole-word match needs it)."""
    if not text:
        return []
    lower = text.lower()
    lower_tokens = set(_ASCII_TOKENS.findall(lower))
    text_tokens = set(_ASCII_TOKENS.findall(text)) if allow_strict else set()
    out = []
    for brand, names, strict in _name_table(kb):
        hit = None
        for name, name_lower, ascii_, head in names:
            if head is not None and head not in lower_tokens:
                continue
            if name_lower in lower and (not ascii_ or _find_word(lower, name_lower)):
                hit = name
                break
        if hit is None and allow_strict:
            for name, head in strict:
                if head is not None and head not in text_tokens:
                    continue
                if name in text and _find_word(text, name, glue=".@-_/"):
                    hit = name
                    break
        if hit is not None:
            out.append(BrandClaim(brand, where, hit))
    return out


def brand_claims(kb: Knowledge, display_name: str, subject: str, body: str) -> list[BrandClaim]:
    claims = claims_in_text(kb, display_name, "display_name", True)
    claims += claims_in_text(kb, subject, "subject", True)
    claims += claims_in_text(kb, body[:MAX_BODY_SCAN], "body", False)
    return claims
