"""What the mail says: threats, deadlines, requests to log in, payment trouble.

Phrases come from data/wording.json. A phrase with {n} stands for a number
(ASCII or full-width digits); those become small linear regexes, the rest
are plain substrings, all found in one pass (see PhraseTable).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..model import Finding
from .context import Context
from .substrings import Substrings

# Substrings the scam check asks about (folded text: lower case), found by the phrase scan.
CURRENCY_MARKERS = ("$", "£", "€", "¥", "₹", "₦", "₩", "usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "brl",
                    "dollar", "dólares", "dolares", "pound", "libra", "sterling", "reais", "yen", "franc")
CURRENCY_MARKERS_JA = ("円", "ドル", "ユーロ", "ポンド")
MARKERS = CURRENCY_MARKERS + CURRENCY_MARKERS_JA

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
    """Every group's phrases, found together in one pass (built once per knowledge base). A {n}
    phrase is looked up by its longest literal piece and then confirmed by its regex."""

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
        # key → (group, phrase index, whether the key only needs to be present): a mail's few hits
        # pick their phrases at once, instead of every group walking its keys for each mail.
        self.by_key: dict[str, list[tuple[str, int, bool]]] = {}
        for group, (phrases, plain, templates) in self.groups.items():
            for phrase, indices in plain.items():
                self.by_key.setdefault(phrase, []).extend((group, i, False) for i in indices)
            for i, piece in templates:
                self.by_key.setdefault(piece, []).append((group, i, True))
        # A Latin phrase must not start or end inside a word (see _latin_letter). Markers other
        # checks only test for anywhere in the text (currency signs and names for scam.large_sum)
        # ride along in the same pass; a marker that is also a phrase keeps the phrase's rules.
        markers = [(key, False, False) for key in sorted(set(MARKERS) - keys)]
        self.substrings = Substrings([(key, _is_latin(key) and _latin_letter(key[:1]),
                                       _is_latin(key) and _latin_letter(key[-1:])) for key in keys] + markers,
                                     _latin_letter)

    def scan(self, text: str) -> tuple[set[str], set[str]]:
        return self.substrings.scan(text)

    def picks(self, hits: tuple[set[str], set[str]]) -> dict[str, list[int]]:
        """Per group, the indices of its phrases the hits stand for (a plain phrase as a whole
        word, a {n} phrase's piece anywhere), in the data file's order."""
        present, whole = hits
        out: dict[str, list[int]] = {}
        for key in present:
            for group, i, anywhere in self.by_key.get(key, ()):
                if anywhere or key in whole:
                    out.setdefault(group, []).append(i)
        for picked in out.values():
            picked.sort()
        return out

    def found(self, group: str, text: str, picks: dict[str, list[int]], limit: int) -> list[str]:
        """The group's phrases in the text, in the data file's order, at most `limit`; a {n}
        phrase as the text writes it. picks: what self.picks gives for the text's hits."""
        picked = picks.get(group)
        if not picked:
            return []
        phrases = self.groups[group][0]
        out = []
        for i in picked:
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


def _hits(ctx: Context, text: str) -> tuple[set[str], set[str]]:
    hits = ctx.memo.get(("phrases", text))
    if hits is None:
        hits = ctx.memo[("phrases", text)] = ctx.kb.derived("wording.phrases", PhraseTable).scan(text)
    return hits


def phrases_in(ctx: Context, group: str, text: str, limit: int = 5) -> list[str]:
    """The wording group's phrases found in `text` (a folded text; scanned once per mail)."""
    table = ctx.kb.derived("wording.phrases", PhraseTable)
    picks = ctx.memo.get(("picks", text))
    if picks is None:
        picks = ctx.memo[("picks", text)] = table.picks(_hits(ctx, text))
    return table.found(group, text, picks, limit)


def markers_found(ctx: Context, text: str) -> set[str]:
    """Every key of the same scan occurring anywhere in `text` (MARKERS among them)."""
    return _hits(ctx, text)[0]


def wording(ctx: Context) -> list[Finding]:
    text = ctx.folded_text
    out = []
    for group in GROUPS:
        found = phrases_in(ctx, group, text)
        if found:
            out.append(ctx.make(f"wording.{group}", {"phrases": found}, phrases="「" + "」「".join(found[:3]) + "」"))
    return out


CHECKS = (wording,)
