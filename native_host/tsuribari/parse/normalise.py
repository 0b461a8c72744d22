"""Text folded for matching: what a reader sees, not the bytes a phisher typed.

NFKC folds full-width Latin, digits and half-width kana; invisible characters
that phishers slip inside words ('メル\u2064カリ') are removed; white space
collapses, and spaces between two Japanese characters disappear.
"""
from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]")
_WS = re.compile(r"\s+")
_JA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f\u3000-\u303f"
_JA_GAP = re.compile(f"(?<=[{_JA}]) (?=[{_JA}])")


def fold(text: str, casefold: bool = True) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _WS.sub(" ", _INVISIBLE.sub("", text))
    if casefold:
        text = text.casefold()
    return _JA_GAP.sub("", text)
