"""What the mail says: threats, deadlines, requests to log in, payment trouble.

Phrases come from data/wording.json. A phrase with {n} stands for a number
(ASCII or full-width digits); those become small linear regexes, the rest
are plain substring searches.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Finding
from .context import Context

MAX_SCAN = 60_000
GROUPS = ("account_threat", "deadline", "credential_request", "payment_problem", "urgency",
          "prize_scam", "delivery_problem", "mailbox_admin", "security_alert")


@lru_cache(maxsize=4096)
def _template(phrase: str) -> re.Pattern[str]:
    pieces = [re.escape(p) for p in phrase.split("{n}")]
    return re.compile(r"[0-9]{1,6} ?".join(pieces))


@lru_cache(maxsize=4096)
def _longest_piece(phrase: str) -> str:
    return max(phrase.split("{n}"), key=len)


def _latin_letter(ch: str) -> bool:
    """A letter or digit of the Latin scripts (ASCII, Latin-1, Latin Extended-A/B): 'gewinn' must
    not match inside 'gewinnspiel', nor 'conta' inside 'contato'. Japanese next to a Latin phrase
    ('Amazonアカウント') is no word boundary problem."""
    return ch.isalnum() and ch < "\u0250"


@lru_cache(maxsize=8192)
def _is_latin(phrase: str) -> bool:
    return all(ch < "\u0250" or not ch.isalpha() for ch in phrase)


def _contains(text: str, phrase: str) -> bool:
    """Substring; a Latin-script phrase (English, German, French, …) must not start or end inside
    a longer word."""
    if not _is_latin(phrase):
        return phrase in text
    start = 0
    while True:
        pos = text.find(phrase, start)
        if pos < 0:
            return False
        before = text[pos - 1] if pos else " "
        end = pos + len(phrase)
        after = text[end] if end < len(text) else " "
        # A phrase that itself begins/ends with punctuation ('atenção!') needs no boundary there.
        ok_before = not _latin_letter(phrase[0]) or not _latin_letter(before)
        ok_after = not _latin_letter(phrase[-1]) or not _latin_letter(after)
        if ok_before and ok_after:
            return True
        start = pos + 1


_ASCII_TOKENS = re.compile(r"[A-Za-z0-9]+")


@lru_cache(maxsize=8192)
def _needs(phrase: str) -> tuple[str | None, str]:
    """(the first Latin token a whole-word match of the phrase must find among the text's tokens,
    or None; a character the text must contain, or "")."""
    if "{n}" in phrase:
        piece = _longest_piece(phrase)
        return None, piece[:1]
    if phrase.isascii():
        head = _ASCII_TOKENS.match(phrase)
        if head:
            return head.group(0), ""
    return None, phrase[:1]


def phrases_found(text_lower: str, phrases: tuple[str, ...], limit: int = 5,
                  index: tuple[set[str], set[str]] | None = None) -> list[str]:
    """`index` (the text's Latin tokens and characters, see text_index) only skips phrases that
    cannot match; the answer is the same without it."""
    found = []
    tokens, chars = index if index is not None else (None, None)
    for phrase in phrases:
        if index is not None:
            head, char = _needs(phrase)
            if (head is not None and head not in tokens) or (char and char not in chars):
                continue
        if "{n}" in phrase:
            # Every literal piece must be in the text for the pattern to match: test the longest first.
            if _longest_piece(phrase) not in text_lower:
                continue
            m = _template(phrase).search(text_lower)
            if m:
                found.append(m.group(0))
        elif _contains(text_lower, phrase):
            found.append(phrase)
        if len(found) >= limit:
            break
    return found


def text_index(text: str) -> tuple[set[str], set[str]]:
    return set(_ASCII_TOKENS.findall(text)), set(text)


def _scan_text(ctx: Context) -> str:
    return ctx.folded_text


_GROUP_TABLES: dict[int, tuple[object, dict]] = {}


def _group_table(kb) -> dict[str, tuple]:
    """Per knowledge base, once: each group's phrases (every language the data file lists, in a
    stable order) and indexes from a phrase's required first token / character (see _needs) to
    its positions; phrases that need neither are always tried."""
    cached = _GROUP_TABLES.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    table = {}
    for group in GROUPS:
        entry = kb.wording.get(group, {})
        phrases = tuple(p for lang in sorted(entry) for p in entry[lang])
        by_head: dict[str, list[int]] = {}
        by_char: dict[str, list[int]] = {}
        always: list[int] = []
        for i, phrase in enumerate(phrases):
            head, char = _needs(phrase)
            if head is not None:
                by_head.setdefault(head, []).append(i)
            elif char:
                by_char.setdefault(char, []).append(i)
            else:
                always.append(i)
        # An ASCII phrase matched as whole words needs every one of its tokens among the text's.
        needs_all = tuple(frozenset(_ASCII_TOKENS.findall(p)) if p.isascii() and "{n}" not in p else frozenset()
                          for p in phrases)
        table[group] = (phrases, by_head, by_char, always, needs_all)
    _GROUP_TABLES.clear()
    _GROUP_TABLES[id(kb)] = (kb, table)
    return table


def wording(ctx: Context) -> list[Finding]:
    text = _scan_text(ctx)
    tokens, chars = text_index(text)
    out = []
    for group, (phrases, by_head, by_char, always, needs_all) in _group_table(ctx.kb).items():
        # Only phrases the text can contain, in their order: the same answer as trying them all.
        picked = set(always)
        for head in tokens & by_head.keys():
            picked.update(by_head[head])
        for char in chars & by_char.keys():
            picked.update(by_char[char])
        found = phrases_found(text, tuple(phrases[i] for i in sorted(picked) if needs_all[i] <= tokens))
        if found:
            out.append(ctx.make(f"wording.{group}", {"phrases": found}, phrases="「" + "」「".join(found[:3]) + "」"))
    return out


CHECKS = (wording,)
