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
_JA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f\u3000-\u303f"
# A space between two Japanese characters. The literal space comes first so the regex
# engine jumps from space to space; the look-behind then reads "<ja> " back from it.
_JA_GAP = re.compile(f" (?=[{_JA}])(?<=[{_JA}] )")


def _collapse_spaces(text: str) -> str:
    r"""re.sub(r"\s+", " ", text), faster: split() cuts at the very same white space."""
    core = " ".join(text.split())
    if not core:
        return " " if text else ""
    return (" " if text[0].isspace() else "") + core + (" " if text[-1].isspace() else "")


def fold(text: str, casefold: bool = True) -> str:
    # ASCII text (isascii() is O(1)) is already NFKC and holds no invisible or Japanese
    # characters: those passes are skipped for it.
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = _collapse_spaces(text)
    if casefold:
        text = text.casefold()
    return text if text.isascii() else _JA_GAP.sub("", text)
