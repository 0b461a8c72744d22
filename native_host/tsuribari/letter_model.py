"""How pronounceable a name is: a letter-bigram model of English words and Japanese romaji.

People name domains so others can say and remember them ('pricegrabber', 'kuronekoyamato');
bulk-registered phishing domains are strings a program made ('ljfkbawc', 'gseqstny'). The
mean log-probability per letter transition under this model separates the two well for
names of six letters or more.

The table (data/letter_bigrams.json) is built once, reproducibly, from the Debian
`wamerican` word list plus every pair of romaji syllables:
    apt-get install wamerican
    python -m tsuribari.letter_model build /usr/share/dict/american-english
"""
from __future__ import annotations

import json
import math
import re
import sys
from functools import lru_cache
from importlib import resources

ALPHABET = "^abcdefghijklmnopqrstuvwxyz"   # '^' marks the start and the end of a word
_SEGMENTS = re.compile(r"[a-z]+")
_ROMAJI = ("a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho ma mi mu me mo "
           "ya yu yo ra ri ru re ro wa wo n ga gi gu ge go za ji zu ze zo da de do ba bi bu be bo pa pi pu pe po "
           "kya kyu kyo sha shu sho cha chu cho nya nyu nyo hya hyu hyo mya myu myo rya ryu ryo gya gyu gyo "
           "ja ju jo bya byu byo pya pyu pyo").split()


def build(words_path: str) -> dict:
    counts = [[1.0] * len(ALPHABET) for _ in ALPHABET]    # add-one smoothing
    training = []
    with open(words_path, encoding="utf-8", errors="ignore") as fh:
        for line in fh:
            word = line.strip().lower()
            if word.isascii() and word.isalpha() and len(word) >= 2:
                training.append(word)
    training += [a + b for a in _ROMAJI for b in _ROMAJI]
    for word in training:
        chars = "^" + word + "^"
        for a, b in zip(chars, chars[1:]):
            counts[ALPHABET.index(a)][ALPHABET.index(b)] += 1
    table = {}
    for i, a in enumerate(ALPHABET):
        total = sum(counts[i])
        table[a] = [round(math.log(c / total), 2) for c in counts[i]]
    return {"alphabet": ALPHABET, "source": "wamerican + romaji syllable pairs, add-one smoothing",
            "log_prob": table}


@lru_cache(maxsize=1)
def _table() -> dict[str, list[float]]:
    doc = json.loads(resources.files("tsuribari").joinpath("data", "letter_bigrams.json").read_text(encoding="utf-8"))
    return doc["log_prob"]


def pronounceability(name: str) -> float | None:
    """Mean log-probability per letter transition; None when too short to judge.

    Runs of fewer than 4 letters are skipped (acronyms: 'gfx2swf', 'git-scm'), and a name gets
    the better of its whole form and its form without a 2-3 letter acronym at either end
    ('pcworld' → 'world'), because names glued to an acronym are common and innocent.
    """
    whole = _mean(name)
    letters = "".join(_SEGMENTS.findall(name.lower()))
    best = whole
    for k in (2, 3):
        for part in (letters[k:], letters[:-k]):
            if len(part) >= 5:
                value = _mean(part, min_steps=6)
                if value is not None and (best is None or value > best):
                    best = value
    return best if whole is not None else None


def _mean(name: str, min_steps: int = 7) -> float | None:
    table = _table()
    total, steps = 0.0, 0
    for seg in _SEGMENTS.findall(name.lower()):
        if len(seg) < 3:
            continue
        chars = "^" + seg + "^"
        for a, b in zip(chars, chars[1:]):
            total += table[a][ALPHABET.index(b)]
            steps += 1
    if steps < min_steps:
        return None
    return total / steps


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "build":
        sys.stdout.write(json.dumps(build(sys.argv[2]), sort_keys=True, separators=(",", ":")) + "\n")
    else:
        print(__doc__)
