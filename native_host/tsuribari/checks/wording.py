"""What the mail says: threats, deadlines, requests to log in, payment trouble.

Phrases come from data/wording.json. A phrase with {n} stands for a number
(ASCII or full-width digits); those become small linear regexes, the rest
are plain substrings, all found in one pass (see PhraseTable).
"""
from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

from ..model import Finding
from .context import Context

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


class PhraseTable:
    """Every group's phrases in one Aho-Corasick automaton (built once per knowledge base): one
    pass over the text finds all of them, where a search per phrase cost ~1,700 searches a mail.
    A {n} phrase is looked up by its longest literal piece and then confirmed by its regex."""

    def __init__(self, kb):
        self.groups: dict[str, tuple] = {}
        keys: set[str] = set()
        for group, entry in kb.wording.items():
            phrases = tuple(p for lang in sorted(entry) for p in entry[lang])
            plain: dict[str, list[int]] = {}
            templates = []
            for i, phrase in enumerate(phrases):
                if "{n}" in phrase:
                    templates.append((i, _longest_piece(phrase)))
                    keys.add(_longest_piece(phrase))
                else:
                    plain.setdefault(phrase, []).append(i)
                    keys.add(phrase)
            self.groups[group] = (phrases, plain, templates)
        keys.discard("")     # found everywhere: see present()
        self.automaton = None
        if keys:
            self.automaton = ahocorasick.Automaton()
            for key in keys:
                latin = _is_latin(key)
                self.automaton.add_word(key, (key, len(key), latin and _latin_letter(key[0]),
                                              latin and _latin_letter(key[-1])))
            self.automaton.make_automaton()

    def scan(self, text: str) -> tuple[set[str], set[str]]:
        """(keys occurring anywhere, keys occurring as whole words where they are Latin: see
        _latin_letter)."""
        present: set[str] = {""}
        whole: set[str] = set()
        if self.automaton is None:
            return present, whole
        size = len(text)
        for end, (key, length, word_start, word_end) in self.automaton.iter(text):
            if key in whole:
                continue
            present.add(key)
            before = end - length
            if word_start and before >= 0 and _latin_letter(text[before]):
                continue
            if word_end and end + 1 < size and _latin_letter(text[end + 1]):
                continue
            whole.add(key)
        return present, whole

    def found(self, group: str, text: str, hits: tuple[set[str], set[str]], limit: int) -> list[str]:
        """The group's phrases in the text, in the data file's order, at most `limit`; a {n}
        phrase as the text writes it."""
        phrases, plain, templates = self.groups.get(group, ((), {}, ()))
        present, whole = hits
        picked = [i for phrase in whole & plain.keys() for i in plain[phrase]]
        picked += [i for i, piece in templates if piece in present]
        out = []
        for i in sorted(picked):
            phrase = phrases[i]
            if "{n}" in phrase:
                m = _template(phrase).search(text)
                if not m:
                    continue
                phrase = m.group(0)
            out.append(phrase)
            if len(out) >= limit:
                break
        return out


def phrases_in(ctx: Context, group: str, text: str, limit: int = 5) -> list[str]:
    """The wording group's phrases found in `text` (a folded text; scanned once per mail)."""
    table = ctx.kb.derived("wording.phrases", PhraseTable)
    hits = ctx.memo.get(("phrases", text))
    if hits is None:
        hits = ctx.memo[("phrases", text)] = table.scan(text)
    return table.found(group, text, hits, limit)


def wording(ctx: Context) -> list[Finding]:
    text = ctx.folded_text
    out = []
    for group in GROUPS:
        found = phrases_in(ctx, group, text)
        if found:
            out.append(ctx.make(f"wording.{group}", {"phrases": found}, phrases="「" + "」「".join(found[:3]) + "」"))
    return out


CHECKS = (wording,)
