"""Domains made to look like a catalogued brand's own: homoglyphs, typos, brand + extra words."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..knowledge import Brand, Knowledge
from ..parse.domains import to_unicode
from .substrings import Substrings

# Characters that render like Latin letters (Cyrillic, Greek, full-width, digits).
_CONFUSABLE = str.maketrans({
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j", "ԛ": "q",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "ɡ": "g", "ո": "n", "ν": "v", "ο": "o", "α": "a", "ι": "i",
    "κ": "k", "τ": "t", "ρ": "p", "0": "o", "1": "l", "3": "e", "5": "s", "$": "s", "ı": "i", "ℓ": "l",
})


@lru_cache(maxsize=8192)
def skeleton(label: str) -> str:
    text = unicodedata.normalize("NFKC", label.lower()).translate(_CONFUSABLE)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.replace("rn", "m").replace("vv", "w").replace("-", "")


def _label(registrable: str) -> str:
    return registrable.split(".", 1)[0]


def _within_one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        # one substitution, or two neighbours swapped
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _glued_word(key: str, label: str) -> bool:
    """key starts the label or stands between hyphens: 'amazon-verify', 'secure-paypal', not 'pineapple'."""
    plain = skeleton(label.replace("-", "\x00")).replace("\x00", "-")
    return plain.startswith(key) or f"-{key}" in plain or f"{key}-" in plain


_MEMO_MAX = 20_000


def _deletions(text: str) -> set[str]:
    """text and every string one character shorter: two strings within one edit (substitution,
    swap of neighbours, insertion, deletion) always share one of these."""
    return {text, *(text[:i] + text[i + 1:] for i in range(len(text)))}


def _table(kb: Knowledge) -> tuple[frozenset[str], tuple, dict]:
    """Per knowledge base, once: every trusted domain, each brand's official labels with their
    skeletons, indexes from label / skeleton / one-deletion variants to the brands that could
    match, and a memo of answers (a host or scan sees the same domains again and again)."""
    return kb.derived("lookalike.table", _build_table)


def _build_table(kb: Knowledge) -> tuple[frozenset[str], tuple, dict]:
    trusted: set[str] = set(kb.shared_tenant)   # tenants' domains (amazonaws.com) imitate nobody
    rows = []
    by_exact: dict[str, set[int]] = {}      # official label or its skeleton
    by_variant: dict[str, set[int]] = {}    # one-deletion variants of skeletons of labels >= 6
    key_owners: dict[str, list[int]] = {}
    for i, brand in enumerate(kb.brands):
        trusted |= brand.trusted_domains
        officials = [(official, _label(official), skeleton(_label(official)))
                     for official in sorted(brand.official) if len(_label(official)) >= 4]
        keys = [key for key in brand.url_keys if len(key) >= 5]
        rows.append((brand, officials, keys))
        for _, off_label, off_skel in officials:
            by_exact.setdefault(off_label, set()).add(i)
            by_exact.setdefault(off_skel, set()).add(i)
            if len(off_label) >= 6:
                for variant in _deletions(off_skel):
                    by_variant.setdefault(variant, set()).add(i)
        for key in keys:
            key_owners.setdefault(key, []).append(i)
    # Brand keys inside a label ('amazon-verify'): one pass over the label finds them all.
    key_finder = Substrings(((key, False, False) for key in key_owners), str.isalnum)
    index = (rows, by_exact, by_variant, key_finder, key_owners)
    return frozenset(trusted), index, {}


def lookalike_of(registrable: str, kb: Knowledge) -> tuple[Brand, str, str] | None:
    """(brand, the official domain it imitates, technique) or None."""
    if not registrable:
        return None
    trusted, index, memo = _table(kb)
    if registrable in trusted:
        return None
    try:
        return memo[registrable]
    except KeyError:
        pass
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    found = memo[registrable] = _lookalike(registrable, index)
    return found


def _lookalike(registrable: str, index: tuple) -> tuple[Brand, str, str] | None:
    rows, by_exact, by_variant, key_finder, key_owners = index
    uni = to_unicode(registrable)
    label = _label(uni)
    skel = skeleton(label)
    n = len(skel)
    # _glued_word's view of the label, computed once rather than per brand key
    plain = skeleton(label.replace(".", "-").replace("-", "\x00")).replace("\x00", "-")
    # Only brands that can answer are visited, in catalogue order, with the tests below unchanged.
    candidates: set[int] = set()
    candidates.update(by_exact.get(label, ()), by_exact.get(skel, ()))
    for variant in _deletions(skel):
        candidates.update(by_variant.get(variant, ()))
    candidates.update(i for key in key_finder.scan(plain)[0] & key_owners.keys() for i in key_owners[key])
    for i in sorted(candidates):
        brand, officials, keys = rows[i]
        for official, off_label, off_skel in officials:
            if label != off_label and skel == off_skel:
                how = "homoglyph" if not uni.isascii() or label != skel else "look-alike letters"
                return brand, official, how
            if label == off_label:
                # Same name under another suffix: amazon.co.jp → amazon-jp.com is below; amazon.xyz here.
                if len(off_label) >= 5:
                    return brand, official, "same name, other top-level domain"
                continue
            if len(off_label) >= 6 and -1 <= len(off_skel) - n <= 1 and _within_one_edit(skel, off_skel):
                return brand, official, "one letter changed"
        for key in keys:
            if key in plain and skel != key and (plain.startswith(key) or f"-{key}" in plain or f"{key}-" in plain):
                return brand, sorted(brand.official)[0] if brand.official else key, "brand name plus other words"
    return None
