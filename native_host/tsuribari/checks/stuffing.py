"""Text padded to fool content filters: letter-spaced words, junk markup shown as text.

`e r r e i c h e  d e i n  T r a u m g e w i c h t` reads fine to a person but no keyword or
statistical filter sees the words. Long runs of empty tags written as visible text
(`<textarea> <textarea> <optgroup><optgroup> <![endif]--> …`) change the mail's fingerprint for
every recipient and drown its few real words in noise. Neither has a use in a genuine mail:
a newsletter whose HTML was sent as plain text shows table markup between words, never dozens
of form, frame or data elements in a row with nothing between them.

Measured on the dev share: neither fires on any of the 1,133 legitimate mails (the longest run
of adjacent tags in legitimate text is 8, table markup; no legitimate mail spaces out 20 letters).
"""
from __future__ import annotations

import re
from collections import Counter

from ..model import Finding
from .context import Context

MAX_SCAN = 60_000
# One letter, a space, one letter … (an alphabet A B C … Z in an index is excluded below).
_SPACED = re.compile(r"(?<!\S)(?:[^\W\d_] ){12,}[^\W\d_](?!\S)")
MIN_SPACED = 20
# Every run holds ' x y z ' (a run has at least 13 letters). This pattern starts with a literal,
# which the regex engine finds fast; _SPACED starts with a look-behind, tried at every position.
_SPACED_HINT = re.compile(r" [^\W\d_] [^\W\d_] [^\W\d_] ")
# Adjacent tags written as text, with at most one space between them.
_TAG_RUN = re.compile(r"(?:<[!/]?[a-z\[][^<>]{0,200}> ?){20,}")
_TAG_NAME = re.compile(r"<[!/]?([a-z\[][a-z0-9:\[]{0,20})")
# What a page's own structure is made of; everything else in a run is padding.
STRUCTURE = frozenset({"table", "tbody", "thead", "tfoot", "tr", "td", "th", "div", "span", "p", "br", "a", "b", "i",
                       "u", "strong", "em", "font", "center", "img", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5",
                       "h6", "hr", "html", "head", "body", "title", "style", "meta", "link", "small", "sup", "sub"})
MIN_TAGS = 20


def letter_spaced(ctx: Context) -> list[Finding]:
    text = ctx.folded_text[:MAX_SCAN]
    if not _SPACED_HINT.search(text):
        return []
    runs = []
    for m in _SPACED.finditer(text):
        letters = m.group(0).replace(" ", "")
        # Words repeat letters; an index 'A B C D … Z' does not.
        if len(set(letters)) <= 0.7 * len(letters):
            runs.append(m.group(0))
    total = sum((len(r) + 1) // 2 for r in runs)
    if total < MIN_SPACED:
        return []
    sample = runs[0][:80]
    return [ctx.make("text.letter_spaced", {"letters": total, "sample": sample}, letters=total, sample=sample[:60])]


def markup_padding(ctx: Context) -> list[Finding]:
    text = ctx.folded_text[:MAX_SCAN]
    if text.count("<") < MIN_TAGS:      # each tag of a run opens with '<'
        return []
    best = 0
    sample = ""
    for m in _TAG_RUN.finditer(text):
        names = Counter(n for n in _TAG_NAME.findall(m.group(0)))
        count = sum(names.values())
        junk = sum(c for n, c in names.items() if n not in STRUCTURE)
        if count >= MIN_TAGS and junk * 2 >= count and count > best:
            best, sample = count, m.group(0)[:80]
    if not best:
        return []
    return [ctx.make("text.markup_padding", {"tags": best, "sample": sample}, tags=best, sample=sample[:60])]


CHECKS = (letter_spaced, markup_padding)
