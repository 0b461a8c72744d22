"""checks/stuffing.py: letter-spaced words and junk markup written as visible text."""
from __future__ import annotations

from checkkit import findings, mail

FROM = "From: Keto <news@offers.example>\nTo: me@example.de\nSubject: s"


def test_letter_spaced_words():
    body = "e r r e i c h e d e i n t r a u m g e w i c h t m i t k e t o p o w e r x"
    got = findings(mail(FROM, body))
    assert got["text.letter_spaced"].evidence["letters"] >= 20


def test_an_alphabet_index_and_short_spacing_pass():
    assert "text.letter_spaced" not in findings(mail(FROM, "Index: A B C D E F G H I J K L M N O P Q R S T U V W X Y Z"))
    assert "text.letter_spaced" not in findings(mail(FROM, "U S A and the E U agreed; a b c"))


def test_junk_tags_in_a_row():
    body = "<textarea> " * 8 + "<data> " * 8 + "<optgroup><optgroup> " * 3 + "<![endif]-->" * 4 + " buy now"
    got = findings(mail(FROM, body))
    assert got["text.markup_padding"].evidence["tags"] >= 20


def test_html_source_shown_as_text_is_not_padding():
    # A template sent as text/plain shows table structure between words: not padding.
    row = "<tr><td><span class=x>"
    body = "<html><head><style>x</style></head><body><table>" + row * 8 + "Hello</span></td></tr></table></body></html>"
    assert "text.markup_padding" not in findings(mail(FROM, body))
    # Rendered HTML never produces it either.
    assert "text.markup_padding" not in findings(mail(FROM, "<p>" + "<b>hi</b> " * 40 + "</p>", "text/html"))
