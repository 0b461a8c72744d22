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
_NAME_TABLES: dict[int, tuple[Knowledge, tuple]] = {}


def _name_table(kb: Knowledge) -> tuple:
    """Per knowledge base, once: each brand's names with their lower-case form and, for Latin names
    that start with a letter or digit, the first token that any whole-word match must contain;
    and indexes from those tokens (or a name's first character) to the brands that have them."""
    cached = _NAME_TABLES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    rows = []
    by_head: dict[str, set[int]] = {}
    by_char: dict[str, set[int]] = {}
    strict_by_head: dict[str, set[int]] = {}
    strict_by_char: dict[str, set[int]] = {}
    for i, brand in enumerate(kb.brands):
        names = []
        for n in brand.names:
            lower = n.lower()
            head = _ASCII_TOKENS.match(lower) if n.isascii() else None
            head_token = head.group(0) if head else None
            names.append((n, lower, n.isascii(), head_token))
            if head_token is not None:
                by_head.setdefault(head_token, set()).add(i)
            elif lower:
                by_char.setdefault(lower[0], set()).add(i)
        strict = []
        for n in brand.names_strict:
            head = _ASCII_TOKENS.match(n)
            head_token = head.group(0) if head else None
            strict.append((n, head_token))
            if head_token is not None:
                strict_by_head.setdefault(head_token, set()).add(i)
            elif n:
                strict_by_char.setdefault(n[0], set()).add(i)
        rows.append((brand, names, strict))
    table = (rows, by_head, by_char, strict_by_head, strict_by_char)
    _NAME_TABLES.clear()
    _NAME_TABLES[id(kb)] = (kb, table)
    return table


def _candidates(index_tokens: dict[str, set[int]], tokens: set[str], index_chars: dict[str, set[int]],
                text: str) -> set[int]:
    out: set[int] = set()
    for token in tokens & index_tokens.keys():
        out |= index_tokens[token]
    for ch in set(text) & index_chars.keys():
        out |= index_chars[ch]
    return out


def claims_in_text(kb: Knowledge, text: str, where: str, allow_strict: bool) -> list[BrandClaim]:
    """Same answers as name_in_text over every brand name, but only brands that can match are
    searched: a whole-word Latin match needs the name's first token among the text's tokens, any
    other match needs the name's first character in the text."""
    if not text:
        return []
    lower = text.lower()
    rows, by_head, by_char, strict_by_head, strict_by_char = _name_table(kb)
    lower_tokens = set(_ASCII_TOKENS.findall(lower))
    candidates = _candidates(by_head, lower_tokens, by_char, lower)
    text_tokens: set[str] = set()
    if allow_strict:
        text_tokens = set(_ASCII_TOKENS.findall(text))
        candidates |= _candidates(strict_by_head, text_tokens, strict_by_char, text)
    out = []
    for i in sorted(candidates):
        brand, names, strict = rows[i]
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


_URL_KEY_INDEX: dict[int, tuple[Knowledge, dict[str, tuple[int, ...]]]] = {}


def brands_with_url_keys(kb: Knowledge, tokens: set[str]) -> list[Brand]:
    """The brands (in catalogue order) whose url_keys share a token with `tokens`."""
    cached = _URL_KEY_INDEX.get(id(kb))
    if cached is None or cached[0] is not kb:
        index: dict[str, set[int]] = {}
        for i, brand in enumerate(kb.brands):
            for key in brand.url_keys:
                index.setdefault(key, set()).add(i)
        cached = (kb, {k: tuple(sorted(v)) for k, v in index.items()})
        _URL_KEY_INDEX.clear()
        _URL_KEY_INDEX[id(kb)] = cached
    index_ = cached[1]
    hits: set[int] = set()
    for token in tokens & index_.keys():
        hits.update(index_[token])
    return [kb.brands[i] for i in sorted(hits)]


def brand_claims(kb: Knowledge, display_name: str, subject: str, body: str) -> list[BrandClaim]:
    claims = claims_in_text(kb, display_name, "display_name", True)
    claims += claims_in_text(kb, subject, "subject", True)
    claims += claims_in_text(kb, body[:MAX_BODY_SCAN], "body", False)
    return claims
