"""Text dressed up to slip past filters: invisible characters inside words, 'styled' look-alike letters.

A person writing to a customer has no reason to put zero-width characters between the
letters of 'メルカリ' or to spell a subject in Mathematical Bold letters (𝐔𝐫𝐠𝐞𝐧𝐭): both defeat
keyword filters while reading normally, which is exactly why bulk phishing uses them.
Joiners that emoji and some scripts need (ZWJ, ZWNJ, variation selectors) are not counted.
"""
from __future__ import annotations

import re

from ..model import Finding
from .context import Context

MAX_SCAN = 60_000
# Invisible characters with no legitimate use inside running text (ZWJ/ZWNJ/VS16/soft hyphen excluded).
_INVISIBLE = re.compile("[\u200b\u2060-\u2064\u180e\u034f\u115f\u1160\u3164\uffa0\u17b4\u17b5\u206a-\u206f]")
# Between two visible letters: hides a word from a filter.
_INSIDE_WORD = re.compile("(?<=[^\\s\u200b\u2060-\u2064])[\u200b\u2060-\u2064\u180e\u034f\u3164\uffa0]+(?=[^\\s\u200b\u2060-\u2064])")
_STYLED = re.compile("[\U0001d400-\U0001d7ff\U0001f130-\U0001f189]")   # Mathematical Alphanumerics, enclosed/squared Latin
MIN_INSIDE = 3
MIN_STYLED = 4


def invisible_characters(ctx: Context) -> list[Finding]:
    text = ctx.facts.sender.subject + "\n" + ctx.facts.sender.from_.display + "\n" + ctx.facts.text[:MAX_SCAN]
    inside = _INSIDE_WORD.findall(text)
    if len(inside) < MIN_INSIDE:
        return []
    m = _INSIDE_WORD.search(text)
    sample = text[max(0, m.start() - 12): m.end() + 12] if m else ""
    shown = _INVISIBLE.sub("[?]", sample).replace("\n", " ")
    return [ctx.make("text.invisible_characters", {"count": len(inside), "sample": shown},
                     count=len(inside), sample=shown)]


def styled_letters(ctx: Context) -> list[Finding]:
    for where, text in (("subject", ctx.facts.sender.subject), ("display_name", ctx.facts.sender.from_.display)):
        found = _STYLED.findall(text)
        if len(found) >= MIN_STYLED:
            return [ctx.make("text.styled_letters", {"where": where, "text": text[:120], "count": len(found)},
                             where=where, text=text[:60])]
    return []


CHECKS = (invisible_characters, styled_letters)
