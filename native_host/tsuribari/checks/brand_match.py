"""Which brands a mail claims to be, and where it says so.

Latin names match case-insensitively as whole words; Japanese names as
substrings (Japanese has no spaces). Ambiguous names ("au", "LINE") match
only case-sensitively as whole tokens, and never in free body text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from ..knowledge import Brand, Knowledge
from .substrings import Substrings

MAX_BODY_SCAN = 60_000
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class BrandClaim:
    brand: Brand
    where: str      # display_name, subject, body, link
    name: str       # the name as it matched


# "au" in "example.com.au" or "a@au.example" is part of an address, not the brand.
_STRICT_GLUE = ".@-_/"


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _is_glued_char(ch: str) -> bool:
    return _is_word_char(ch) or ch in _STRICT_GLUE


@lru_cache(maxsize=8192)   # a mail repeats its links (HTML and text forms, header and footer)
def url_tokens(text: str) -> frozenset[str]:
    """Tokens of a host or path, and runs of 2-3 tokens glued ('smbc-card' → 'smbccard')."""
    parts = [p for p in _NON_ALNUM.split(text.lower()) if p][:200]
    # The pairs and triples joined by map/zip in C: a Python loop over the parts cost most of it.
    out = set(parts)
    out.update(map(str.__add__, parts, parts[1:]))
    out.update(map("".join, zip(parts, parts[1:], parts[2:])))
    return frozenset(out)


class NameTable:
    """Every brand's names, found together in one pass (built once per knowledge base): names
    case-insensitively in the lower-cased text, strict names as written."""

    def __init__(self, kb: Knowledge):
        self.rows = []
        owners: dict[str, set[int]] = {}
        strict_owners: dict[str, set[int]] = {}
        for i, brand in enumerate(kb.brands):
            names = tuple((n, n.lower(), n.isascii()) for n in brand.names)
            for _, lower, _ in names:
                owners.setdefault(lower, set()).add(i)
            for n in brand.names_strict:
                strict_owners.setdefault(n, set()).add(i)
            self.rows.append((brand, names, brand.names_strict))
        self.owners = {k: tuple(v) for k, v in owners.items()}
        self.strict_owners = {k: tuple(v) for k, v in strict_owners.items()}
        self.names = Substrings(((k, True, True) for k in owners), _is_word_char)
        self.strict = Substrings(((k, True, True) for k in strict_owners), _is_glued_char)


def claims_in_text(kb: Knowledge, text: str, where: str, allow_strict: bool,
                   hits: tuple[set[str], set[str]] | None = None) -> list[BrandClaim]:
    """The first name of each brand (in catalogue order) found in the text: a Latin name as a whole
    word (not glued to Latin letters or digits), any other name anywhere, a strict name as written
    and not glued to letters, digits or ".@-_/"; every name found in one pass. hits: what
    NameTable.names.scan(text.lower()) gives, when the caller has it already."""
    if not text:
        return []
    table = kb.derived("brand_match.names", NameTable)
    present, whole = hits if hits is not None else table.names.scan(text.lower())
    candidates = {i for key in present & table.owners.keys() for i in table.owners[key]}
    strict_whole: set[str] = set()
    if allow_strict:
        strict_whole = table.strict.scan(text)[1]
        candidates.update(i for key in strict_whole & table.strict_owners.keys() for i in table.strict_owners[key])
    out = []
    for i in sorted(candidates):
        brand, names, strict = table.rows[i]
        hit = next((name for name, lower, ascii_ in names if lower in (whole if ascii_ else present)), None)
        if hit is None and allow_strict:
            hit = next((name for name in strict if name in strict_whole), None)
        if hit is not None:
            out.append(BrandClaim(brand, where, hit))
    return out


def _url_key_index(kb: Knowledge) -> dict[str, tuple[int, ...]]:
    index: dict[str, set[int]] = {}
    for i, brand in enumerate(kb.brands):
        for key in brand.url_keys:
            index.setdefault(key, set()).add(i)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def url_key_positions(kb: Knowledge, tokens: set[str]) -> list[int]:
    """The positions in kb.brands (in order) of the brands whose url_keys share a token with `tokens`."""
    index = kb.derived("brand_match.url_keys", _url_key_index)
    if index.keys().isdisjoint(tokens):    # most links: no set built, nothing sorted
        return []
    hits: set[int] = set()
    for token in tokens & index.keys():
        hits.update(index[token])
    return sorted(hits)


def brands_with_url_keys(kb: Knowledge, tokens: set[str]) -> list[Brand]:
    """The brands (in catalogue order) whose url_keys share a token with `tokens`."""
    return [kb.brands[i] for i in url_key_positions(kb, tokens)]


def brand_claims(kb: Knowledge, display_name: str, subject: str, body: str,
                 body_hits: tuple[set[str], set[str]] | None = None) -> list[BrandClaim]:
    """body_hits: the names found in body[:MAX_BODY_SCAN].lower(), when already scanned."""
    claims = claims_in_text(kb, display_name, "display_name", True)
    claims += claims_in_text(kb, subject, "subject", True)
    claims += claims_in_text(kb, body[:MAX_BODY_SCAN], "body", False, body_hits)
    return claims
