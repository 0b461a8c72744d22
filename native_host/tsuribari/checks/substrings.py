"""Many fixed strings found in one pass over a text.

Checks look for hundreds of phrases and brand names in every mail: one search per string
cost more than all the other checks together. An Aho-Corasick automaton (pyahocorasick, in C)
reports every occurrence of every string in one linear pass, overlapping ones included.
"""
from __future__ import annotations

from typing import Callable, Iterable

import ahocorasick


class _Automata:
    """The automaton of every key, and one of the ASCII keys alone for ASCII texts (half the mail),
    which no other key can occur in. pyahocorasick looks a character up among a node's children
    one by one, and the root has a child per distinct first character (about 250, mostly
    Japanese; 30 in ASCII): an ASCII text walks the small automaton in half the time."""

    def __init__(self, values: dict[str, tuple]):
        self.every = _automaton(values.items())
        self.ascii = _automaton((key, value) for key, value in values.items() if key.isascii())

    def iter(self, text: str):
        automaton = self.ascii if text.isascii() else self.every
        return automaton.iter(text) if len(automaton) else ()


def _automaton(items) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key, value in items:
        automaton.add_word(key, value)
    if len(automaton):
        automaton.make_automaton()
    return automaton


class Substrings:
    def __init__(self, keys: Iterable[tuple[str, bool, bool]], word_char: Callable[[str], bool]):
        """keys: (string, whether a whole-word occurrence must not follow a word_char, whether it
        must not precede one)."""
        self.word_char = word_char
        self.keys = tuple((key, check_start, check_end) for key, check_start, check_end in keys if key)
        self.automaton = _Automata({key: (key, len(key), check_start, check_end) for key, check_start, check_end in self.keys})
        self.empty = not self.keys

    def scan(self, text: str) -> tuple[set[str], set[str]]:
        """(the keys occurring anywhere in text, the keys occurring there as whole words); the empty
        string occurs everywhere."""
        present: set[str] = {""}
        whole: set[str] = set()
        if self.empty:
            return present, whole
        word_char = self.word_char
        size = len(text)
        for end, (key, length, check_start, check_end) in self.automaton.iter(text):
            if key in whole:
                continue
            present.add(key)
            before = end - length
            if check_start and before >= 0 and word_char(text[before]):
                continue
            if check_end and end + 1 < size and word_char(text[end + 1]):
                continue
            whole.add(key)
        return present, whole


class JointSubstrings:
    """Two Substrings tables read in one pass over one text. pyahocorasick's time goes into
    walking the text (each node's children are searched one by one), hardly into the hits: two
    tables over the same text cost about twice one table holding both tables' keys.

    The second table is read only from `second_from` on, exactly as if the text began there:
    matches starting earlier are ignored and no character before it is looked at."""

    def __init__(self, first: Substrings, second: Substrings):
        self.word_chars = (first.word_char, second.word_char)
        flags: dict[str, list] = {}
        for key, check_start, check_end in first.keys:
            flags.setdefault(key, [None, None])[0] = (check_start, check_end)
        for key, check_start, check_end in second.keys:
            flags.setdefault(key, [None, None])[1] = (check_start, check_end)
        self.automaton = _Automata({key: (key, len(key), one, two) for key, (one, two) in flags.items()})
        self.empty = not flags

    def scan(self, text: str, second_from: int) -> tuple[tuple[set[str], set[str]], tuple[set[str], set[str]]]:
        """(first table's Substrings.scan(text), second table's Substrings.scan(text[second_from:]))."""
        hits = (({""}, set()), ({""}, set()))
        if self.empty:
            return hits
        size = len(text)
        for end, (key, length, *tables) in self.automaton.iter(text):
            before = end - length
            for (present, whole), word_char, lowest, flags in zip(hits, self.word_chars, (0, second_from), tables):
                if flags is None or key in whole or before + 1 < lowest:
                    continue
                present.add(key)
                check_start, check_end = flags
                if check_start and before >= lowest and word_char(text[before]):
                    continue
                if check_end and end + 1 < size and word_char(text[end + 1]):
                    continue
                whole.add(key)
        return hits
