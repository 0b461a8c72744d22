"""A brand's name, slightly misspelt, inside the host name of a domain the brand does not own.

Phishing hosts wear the brand in a subdomain or a hyphenated part of the name, spelt just
wrong enough to pass a registrar's or a filter's exact match and a reader's glance:
'amazom.<x>.shop', 'rakoten-co-jp.top', 'eki-nat.<x>.com', 'my-sotfbnak-jp.shop',
'smbccards-ip.<x>.cn'. Exact brand names in subdomains and paths are brand.link_outside_domain,
a misspelt *registrable* name (amaz0n.com) is brand.lookalike_domain; this check reads the
words of the host name for

  - one letter changed, added or dropped, or two neighbours swapped (names of 6+ letters),
  - digits or letter pairs that look like the brand's letters ('amaz0n', 'rnercari'),
  - the same letters shuffled, first letter kept (names of 5+ letters: 'anazom', 'sotfbnak'),
  - the brand name glued to other letters at the start of a word ('aeoninfo', 'rakutenlll').

Typosquats keep the first letter, so edits there are not counted ('server' is not 'xserver').
Brand keys that are ordinary words (data/brands.json `ordinary_word_keys`: 'windows', 'office',
'booking') are only ever matched exactly, never fuzzily: their near-misses are other words.
"""
from __future__ import annotations

import re

from ..knowledge import Brand, Knowledge
from ..model import Finding, Link
from ..parse.domains import within
from .context import Context
from .lookalike import _within_one_edit, skeleton

MAX_EVIDENCE = 5
MIN_FUZZY = 6       # one edit
MIN_SHUFFLE = 5     # same letters, shuffled
MIN_GLUED = 5       # brand name + other letters
MAX_TOKEN = 40
_PARTS = re.compile(r"[a-z]+|[0-9]+")


def _deletions(text: str) -> set[str]:
    return {text, *(text[:i] + text[i + 1:] for i in range(len(text)))}


def _index(kb: Knowledge) -> tuple:
    return kb.derived("brand_host.index", _build_index)


def _build_index(kb: Knowledge) -> tuple:
    """Per knowledge base, once: brand keys (url keys and official domain labels, skeletons) →
    brand; one-deletion variants, sorted-letter forms and the keys themselves for lookup."""
    words = kb.ordinary_word_keys
    exact: dict[str, int] = {}
    for i, brand in enumerate(kb.brands):
        labels = {o.split(".", 1)[0].replace("-", "") for o in brand.official}
        for key in sorted(brand.url_keys) + sorted(labels):
            key = skeleton(key)
            if key.isascii() and key.isalnum():
                exact.setdefault(key, i)
    variants: dict[str, set[str]] = {}
    shuffled: dict[str, set[str]] = {}
    glued: set[str] = set()
    for key in exact:
        if key in words or not key.isalpha():
            continue
        if len(key) >= MIN_FUZZY:
            for v in _deletions(key):
                variants.setdefault(v, set()).add(key)
        if len(key) >= MIN_SHUFFLE:
            shuffled.setdefault("".join(sorted(key)), set()).add(key)
        if len(key) >= MIN_GLUED:
            glued.add(key)
    return (exact, variants, shuffled, glued, max((len(k) for k in glued), default=0))


def host_words(host: str, registrable: str, shared_tenant: bool = False) -> list[str]:
    """The words of a host name: each label of the subdomain and the registrable name's first label,
    their hyphen- and digit-separated parts, and runs of two or three parts glued back together."""
    labels = host[: -len(registrable) - 1].split(".") if host.endswith("." + registrable) else []
    if not shared_tenant:
        labels.append(registrable.split(".", 1)[0])   # a platform's own name is not the tenant's choice
    out: list[str] = []
    seen: set[str] = set()
    for label in labels[-8:]:
        parts = _PARTS.findall(label[:120])[:12]
        for i in range(len(parts)):
            for j in range(i + 1, min(i + 3, len(parts)) + 1):
                word = "".join(parts[i:j])
                if word not in seen and len(word) <= MAX_TOKEN:
                    seen.add(word)
                    out.append(word)
    return out


def misspelt_brand(word: str, table: tuple) -> tuple[str, str] | None:
    """(brand key, technique) when `word` is a near-miss of a brand key, else None."""
    exact, variants, shuffled, glued, longest = table
    if len(word) < MIN_SHUFFLE or word in exact:
        return None       # the brand itself, spelt right: other checks' business
    skel = skeleton(word)
    if not skel.isalpha():
        return None
    if skel in exact:
        return skel, "look-alike characters"     # 'amaz0n', 'rnercari'
    if len(skel) >= MIN_FUZZY - 1:
        for v in _deletions(skel):
            for key in sorted(variants.get(v, ())):
                if key[0] == skel[0] and _within_one_edit(skel, key):
                    swapped = len(key) == len(skel) and sorted(key) == sorted(skel)
                    return key, "letters swapped" if swapped else "one letter changed"
    for key in sorted(shuffled.get("".join(sorted(skel)), ())):
        if key[0] == skel[0]:
            return key, "letters shuffled"
    for n in range(min(len(skel) - 1, longest), MIN_GLUED - 1, -1):
        if skel[:n] in glued:
            return skel[:n], "brand name plus other letters"
    return None


def _judged(ctx: Context) -> list[Link]:
    out, seen = [], set()
    for link in ctx.facts.links:
        if not link.host or link.is_ip or not link.registrable or link.host in seen:
            continue
        seen.add(link.host)
        if link.registrable == ctx.sender_registrable or within(link.host, ctx.trusted_domains):
            continue
        if within(link.host, ctx.kb.brand_domains) and link.registrable not in ctx.kb.shared_tenant:
            continue      # a brand's own host; a tenant's host under a brand's platform is anyone's
        out.append(link)
        if len(out) >= 100:
            break
    return out


MEMO_WORDS = 50_000


def _misspelt_memo(kb: Knowledge, table: tuple, word: str) -> tuple[str, str] | None:
    """misspelt_brand, remembered per knowledge base: the same host words (tracking and CDN
    hosts, 'mail', 'click') come back in mail after mail. Bounded: emptied when full."""
    memo = kb.derived("brand_host.word_memo", lambda _kb: {})
    try:
        return memo[word]
    except KeyError:
        if len(memo) >= MEMO_WORDS:
            memo.clear()
        found = memo[word] = misspelt_brand(word, table)
        return found


def brand_misspelt_in_host(ctx: Context) -> list[Finding]:
    table = _index(ctx.kb)
    exact = table[0]
    hits: list[tuple[Link, Brand, str, str, str]] = []
    for link in _judged(ctx):
        for word in host_words(link.host, link.registrable, link.registrable in ctx.kb.shared_tenant):
            found = _misspelt_memo(ctx.kb, table, word)
            if found:
                key, how = found
                brand = ctx.kb.brands[exact[key]]
                if link.registrable in ctx.kb.shared_tenant or not within(link.host, ctx.kb.group_official(brand)):
                    hits.append((link, brand, word, key, how))
                break
        if len(hits) >= MAX_EVIDENCE:
            break
    if not hits:
        return []
    link, brand, word, key, how = hits[0]
    return [ctx.make(
        "brand.misspelt_in_host",
        {"links": [{"url": l.url[:300], "host": l.host, "registrable": l.registrable, "brand": b.id,
                    "word": w, "brand_key": k, "technique": h} for l, b, w, k, h in hits],
         "brand": brand.id, "official_domains": sorted(brand.official)},
        host=link.host, word=word, key=key, how=how, registrable=link.registrable,
        brand_ja=brand.label.get("ja", brand.id), brand_en=brand.label.get("en", brand.id),
        official=", ".join(sorted(brand.official)[:6]) or "?")]


CHECKS = (brand_misspelt_in_host,)
