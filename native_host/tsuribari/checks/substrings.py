"""Many fixed strings found in one pass over a text.

Checks look for hundreds of phrases and brand names in every mail: one search per string
cost more than all the other checks together. An Aho-Corasick automaton (pyahocorasick, in C)
reports every occurrence of every string in one linear pass, overlapping ones included.
"""
from __future__ import annotations

from typing import Callable, Iterable

import ahocorasick


class Substrings:
    def __init__(self, keys: Iterable[tuple[str, bool, bool]], word_char: Callable[[str], bool]):
        """keys: (string, whether a whole-word occurrence must not follow a word_char, whether it
        must not precede one)."""
        self.word_char = word_char
        self.automaton = ahocorasick.Automaton()
        for key, check_start, check_end in keys:
            if key:
                self.automaton.add_word(key, (key, len(key), check_start, check_end))
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

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
