"""Dressed up to slip past filters: invisible characters inside words, 'styled' look-alike letters,
attachment names generated per recipient.

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
# The characters _INSIDE_WORD hides: a text without any (nearly every mail) is done at once, where
# _INSIDE_WORD, starting with a look-behind, tries every position.
_HIDING = re.compile("[\u200b\u2060-\u2064\u180e\u034f\u3164\uffa0]")
_STYLED = re.compile("[\U0001d400-\U0001d7ff\U0001f130-\U0001f189]")   # Mathematical Alphanumerics, enclosed/squared Latin
MIN_INSIDE = 3
MIN_STYLED = 4


def invisible_characters(ctx: Context) -> list[Finding]:
    text = ctx.facts.sender.subject + "\n" + ctx.facts.sender.from_.display + "\n" + ctx.facts.text[:MAX_SCAN]
    if not _HIDING.search(text):
        return []
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


_NAME_TOKENS = re.compile(r"[_\-. ]+")
_BASE62 = re.compile(r"[A-Za-z0-9]{8,}")


def _char_class(ch: str) -> int:
    return 0 if ch.isupper() else 1 if ch.islower() else 2


def random_token(name: str) -> str:
    """A run like 'tU6zlTWjXr' or 'yVGAuPqmSvSuZ9lCHO': upper, lower and digits jumbled, as a program
    makes them (a fresh name per recipient defeats filters that remember a file's name or hash).
    People and document systems write words, dates, counters or hex ids instead."""
    stem = name.rsplit(".", 1)[0]
    for tok in _NAME_TOKENS.split(stem):
        if not _BASE62.fullmatch(tok):
            continue
        upper = sum(ch.isupper() for ch in tok)
        lower = sum(ch.islower() for ch in tok)
        switches = sum(1 for a, b in zip(tok, tok[1:]) if _char_class(a) != _char_class(b))
        if upper >= 2 and lower >= 2 and switches >= len(tok) // 2:
            return tok
    return ""


def random_attachment_name(ctx: Context) -> list[Finding]:
    for att in ctx.facts.attachments[:50]:
        tok = random_token(att.filename or "")
        if tok:
            return [ctx.make("attachment.random_name", {"filename": att.filename[:200], "token": tok},
                             filename=att.filename[:100])]
    return []


CHECKS = (invisible_characters, styled_letters, random_attachment_name)
