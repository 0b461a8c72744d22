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


def _contains(text: str, phrase: str) -> bool:
    """Substring; an English phrase must not start or end inside a longer word."""
    if not phrase.isascii():
        return phrase in text
    start = 0
    while True:
        pos = text.find(phrase, start)
        if pos < 0:
            return False
        before = text[pos - 1] if pos else " "
        end = pos + len(phrase)
        after = text[end] if end < len(text) else " "
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            return True
        start = pos + 1


def phrases_found(text_lower: str, phrases: tuple[str, ...], limit: int = 5) -> list[str]:
    found = []
    for phrase in phrases:
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


def _scan_text(ctx: Context) -> str:
    return ctx.folded_text


def wording(ctx: Context) -> list[Finding]:
    text = _scan_text(ctx)
    out = []
    for group in GROUPS:
        entry = ctx.kb.wording.get(group, {})
        found = phrases_found(text, entry.get("ja", ()) + entry.get("en", ()))
        if found:
            out.append(ctx.make(f"wording.{group}", {"phrases": found}, phrases="「" + "」「".join(found[:3]) + "」"))
    return out


CHECKS = (wording,)
