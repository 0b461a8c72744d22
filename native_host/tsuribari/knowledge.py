"""Brand, wording and hosting knowledge, loaded once from the data files.

The files are data, not code, so analysts can extend them without touching
a check: see docs/brands.md for the schema.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Callable


@dataclass(frozen=True)
class Brand:
    id: str
    label: dict[str, str]
    names: tuple[str, ...]          # matched case-insensitively (Latin as whole words)
    names_strict: tuple[str, ...]   # matched case-sensitively as whole tokens, not in free body text
    official: frozenset[str]        # registrable domains the brand owns
    mail_domains: frozenset[str]    # services it sends through
    redirect_domains: frozenset[str]
    category: str = ""
    url_keys: frozenset[str] = frozenset()   # names as they appear in hosts and paths
    group: str = ""            # brands of one company group vouch for each other's domains
    generic: bool = False      # a product run by many operators (webmail): no domain proves it

    @cached_property
    def trusted_domains(self) -> frozenset[str]:
        # Computed once per brand: checks ask for it for every link and every brand.
        return self.official | self.mail_domains | self.redirect_domains


@dataclass(frozen=True)
class Knowledge:
    brands: tuple[Brand, ...]
    shared_tenant: frozenset[str]
    wording: dict[str, dict[str, tuple[str, ...]]]
    shorteners: frozenset[str]
    freemail: frozenset[str]
    cloud_rdns: dict[str, str]
    residential_rdns: dict[str, str]
    mail_provider_rdns: dict[str, str]
    cloud_asn: dict[int, str]
    # Brand keys that are ordinary words ('windows', 'office'): matched in host names only exactly.
    ordinary_word_keys: frozenset[str] = frozenset()
    credential_words: tuple[str, ...] = field(default=(
        "login", "log-in", "signin", "sign-in", "logon", "verify", "verification", "validate", "confirm",
        "account", "update", "secure", "security", "auth", "password", "passwd", "webscr", "unlock",
        "reactivate", "recover", "billing", "wallet",
    ))

    @cached_property
    def brand_domains(self) -> frozenset[str]:
        """Every catalogued brand's trusted domains together (computed once)."""
        return frozenset().union(*(b.trusted_domains for b in self.brands))

    @cached_property
    def brand_mail_domains(self) -> frozenset[str]:
        """Every catalogued brand's mail_domains together (computed once)."""
        return frozenset().union(*(b.mail_domains for b in self.brands))

    @cached_property
    def mail_provider_suffixes(self) -> frozenset[str]:
        return frozenset(self.mail_provider_rdns)

    @cached_property
    def _group_officials(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for b in self.brands:
            if b.group:
                out.setdefault(b.group, set()).update(b.official)
        return {group: frozenset(domains) for group, domains in out.items()}

    def group_official(self, brand: Brand) -> frozenset[str]:
        """Official domains of the brand and of every brand in its company group (groups computed once:
        checks ask for every brand of every mail)."""
        if not brand.group:
            return brand.official
        return self._group_officials.get(brand.group, frozenset())

    @cached_property
    def _derived(self) -> dict[str, Any]:
        return {}

    def derived(self, name: str, build: Callable[["Knowledge"], Any]) -> Any:
        """build(self), computed once: the indexes and automata checks make from this knowledge
        live with it, so a test's own knowledge base gets its own."""
        table = self._derived.get(name)
        if table is None:
            table = self._derived[name] = build(self)
        return table

    def official_domains(self) -> frozenset[str]:
        out: set[str] = set()
        for b in self.brands:
            out |= b.official
        return frozenset(out)


def _read(name: str):
    path = resources.files("tsuribari").joinpath("data", name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return json.loads(text) if name.endswith(".json") else text


def _lines(name: str) -> frozenset[str]:
    text = _read(name) or ""
    return frozenset(line.split("#", 1)[0].strip().lower() for line in text.splitlines()
                     if line.split("#", 1)[0].strip())


def _url_keys(names: list[str], strict: list[str]) -> frozenset[str]:
    """'KAGOYA JAPAN' → 'kagoyajapan'; short ambiguous names need at least 3 letters."""
    keys = set()
    for group, minimum in ((names, 4), (strict, 3)):
        for name in group:
            key = re.sub(r"[^a-z0-9]", "", name.lower()) if name.isascii() else ""
            if len(key) >= minimum:
                keys.add(key)
    return frozenset(keys)


def _brand(entry: dict) -> Brand:
    return Brand(
        id=entry["id"],
        label=dict(entry.get("label") or {"ja": entry["id"], "en": entry["id"]}),
        names=tuple(n for n in entry.get("names", []) if n),
        names_strict=tuple(n for n in entry.get("names_strict", []) if n),
        official=frozenset(d.lower() for d in entry.get("official_domains", [])),
        mail_domains=frozenset(d.lower() for d in entry.get("mail_domains", [])),
        redirect_domains=frozenset(d.lower() for d in entry.get("redirect_domains", [])),
        category=entry.get("category", ""),
        url_keys=_url_keys(entry.get("names", []), entry.get("names_strict", [])),
        group=entry.get("group", "") or "",
        generic=bool(entry.get("generic", False)),
    )


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    brands_doc = _read("brands.json") or {"brands": []}
    wording_doc = _read("wording.json") or {}
    hosting = _read("hosting.json") or {}
    from .parse.normalise import fold
    groups = wording_doc.get("groups", wording_doc)
    # Phrases are folded like the text they are searched in.
    wording = {
        group: {lang: tuple(fold(p) for p in phrases if isinstance(p, str) and len(p) >= 2)
                for lang, phrases in entry.items() if isinstance(phrases, list)}
        for group, entry in groups.items() if isinstance(entry, dict)
    }
    return Knowledge(
        brands=tuple(_brand(b) for b in brands_doc.get("brands", [])),
        shared_tenant=frozenset(d.lower() for d in brands_doc.get("shared_tenant_domains", [])),
        wording=wording,
        shorteners=_lines("shorteners.txt"),
        freemail=_lines("freemail.txt"),
        cloud_rdns={k.lower(): v for k, v in (hosting.get("cloud") or {}).items()},
        residential_rdns={k.lower(): v for k, v in (hosting.get("residential") or {}).items()},
        mail_provider_rdns={k.lower(): v for k, v in (hosting.get("mail_providers") or {}).items()},
        cloud_asn={int(k): v for k, v in (hosting.get("cloud_asn") or {}).items() if str(k).isdigit()},
        ordinary_word_keys=frozenset(str(k).lower() for k in brands_doc.get("ordinary_word_keys", [])),
    )
