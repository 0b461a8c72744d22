"""checks/substrings.py: one Aho-Corasick pass gives what a search per string gives."""
from __future__ import annotations

import random

from tsuribari.checks.brand_match import _is_word_char
from tsuribari.checks.substrings import JointSubstrings, Substrings


def _whole(text: str, key: str, check_start: bool, check_end: bool) -> bool:
    pos = text.find(key)
    while pos >= 0:
        end = pos + len(key)
        if not (check_start and pos > 0 and _is_word_char(text[pos - 1])) and \
                not (check_end and end < len(text) and _is_word_char(text[end])):
            return True
        pos = text.find(key, pos + 1)
    return False


def test_scan_matches_one_search_per_key():
    rnd = random.Random(7)
    alphabet = "ab -.アカ"
    keys = sorted({"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4))) for _ in range(40)})
    flags = {k: (rnd.random() < 0.5, rnd.random() < 0.5) for k in keys}
    finder = Substrings(((k, *flags[k]) for k in keys), _is_word_char)
    for _ in range(500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        present, whole = finder.scan(text)
        assert present - {""} == {k for k in keys if k in text}
        assert whole == {k for k in keys if _whole(text, k, *flags[k])}


def test_no_keys_and_empty_key():
    present, whole = Substrings([("", True, True)], _is_word_char).scan("abc")
    assert present == {""} and whole == set()
    # Only non-ASCII keys: an ASCII text is read by an automaton of no keys.
    finder = Substrings([("日本", False, False)], _is_word_char)
    assert finder.scan("abc") == ({""}, set()) and finder.scan("日本x") == ({"", "日本"}, {"日本"})


def test_joint_scan_matches_two_scans():
    """One pass for two tables (different keys, flags and word characters) gives what each table's
    own scan gives, the second one over the text from second_from on."""
    rnd = random.Random(11)
    alphabet = "ab -.\nアカ"
    def table(word_char):
        keys = sorted({"".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4))) for _ in range(30)})
        return Substrings(((k, rnd.random() < 0.5, rnd.random() < 0.5) for k in keys), word_char)
    first, second = table(_is_word_char), table(str.isalpha)
    joint = JointSubstrings(first, second)
    for _ in range(500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        cut = rnd.randint(0, len(text))
        assert joint.scan(text, cut) == (first.scan(text), second.scan(text[cut:]))
