"""Header values as text: RFC 2047 encoded-words and raw 8-bit bytes alike."""
from __future__ import annotations

import email.header
import re
from email.utils import getaddresses

from .charset import decode_bytes
from ..model import Address
from .domains import domain_of, registrable_domain

MAX_HEADER_CHARS = 8192   # a longer header is cut; the cut is reported by the caller

_SURROGATE = re.compile("[\udc80-\udcff]")   # raw 8-bit bytes smuggled through as surrogates
_ENCODED_WORD = re.compile(r"=\?[^?\s]{1,40}\?[bBqQ]\?[^?\s]{0,2000}\?=")
_WS = re.compile(r"[ \t\r\n]+")
_ODD_ASCII_SPACE = re.compile("[\x0b\x0c\x1c-\x1f]")   # what str.split() also cuts at in ASCII


def _raw_bytes(value: str) -> bytes:
    # compat32 keeps undecodable header bytes as surrogates; get them back to sniff.
    return value.encode("utf-8", "surrogateescape")


def _unescape(chunk: bytes) -> str:
    try:
        return chunk.decode("raw-unicode-escape")
    except UnicodeDecodeError:
        return decode_bytes(chunk)[0]


def decode_header_value(value: object, encoded_words: bool = True) -> str:
    """Decoded, unfolded text of one header value; never raises."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = value[:MAX_HEADER_CHARS]
    text = value
    if not value.isascii() and _SURROGATE.search(value):
        text = decode_bytes(_raw_bytes(value))[0]
    if encoded_words and "=?" in text and _ENCODED_WORD.search(text):
        try:
            parts = email.header.decode_header(text)
            chunks = []
            for chunk, charset in parts:
                if isinstance(chunk, bytes) and charset is None:
                    # decode_header hands back the plain text between encoded-words as
                    # raw-unicode-escape bytes: raw 8-bit UTF-8 would come out as "\\u30c9".
                    chunks.append(_unescape(chunk))
                elif isinstance(chunk, bytes):
                    chunks.append(decode_bytes(chunk, charset)[0])
                else:
                    chunks.append(chunk)
            text = "".join(chunks)
        except Exception:  # a malformed encoded-word leaves the raw text, which is still evidence
            pass
    if text.isascii() and not _ODD_ASCII_SPACE.search(text):
        return " ".join(text.split())   # split() cuts at just [ \t\r\n] here, in one C call
    if "\n" in text or "\r" in text or "\t" in text or "  " in text:
        text = _WS.sub(" ", text)
    # else: the substitution would only swap single spaces for themselves
    return text.strip()


# The stdlib address parser walks the header one character at a time in Python. The
# shapes nearly every header has, 'a@b.example', 'Name <a@b.example>' and
# '"Name" <a@b.example>' (comma separated), are read here with string methods, giving
# exactly what getaddresses gives; anything else (comments, groups, literals, routes,
# escapes, odd spacing) still goes to getaddresses.
_NOT_SIMPLE = re.compile(r'[()\[\]:;"\\\t\r\n]')
_SPACES = re.compile(" *")
_DOT_ATOMS = re.compile(r'[^()<>@,:;."\[\] \t\r\n\\]+(?:\.[^()<>@,:;."\[\] \t\r\n\\]+)*')


def _addr_spec(text: str) -> bool:
    local, at, domain = text.partition("@")
    # The stdlib drops local-part atoms that are only (Unicode) white space: not simple.
    return (bool(at) and _DOT_ATOMS.fullmatch(local) is not None and _DOT_ATOMS.fullmatch(domain) is not None
            and local.split() == [local])


def _plain_mailbox(piece: str) -> tuple[str, str] | None:
    """'a@b' or 'Name <a@b>' with no quotes, comments or other specials."""
    piece = piece.strip(" ")
    if _NOT_SIMPLE.search(piece):
        return None
    if piece.endswith(">"):
        phrase, _, addr = piece[:-1].partition("<")
        if "@" in phrase or ">" in phrase or not _addr_spec(addr):
            return None
        return " ".join(w for w in phrase.split(" ") if w), addr
    return ("", piece) if _addr_spec(piece) else None


def _skip_spaces(value: str, pos: int) -> int:
    return _SPACES.match(value, pos).end()


def _quoted_mailbox(value: str, pos: int) -> tuple[tuple[str, str], int] | None:
    """'"Name" <a@b>' at pos (no escapes in the name): the pair and the position after '>'."""
    close = value.find('"', pos + 1)
    name = value[pos + 1:close]
    if close < 0 or "\\" in name or "\r" in name:
        return None
    start = _skip_spaces(value, close + 1)
    end = value.find(">", start)
    if not value.startswith("<", start) or end < 0 or not _addr_spec(value[start + 1:end]):
        return None
    return (name, value[start + 1:end]), end + 1


def _simple_pairs(value: str) -> list[tuple[str, str]] | None:
    """getaddresses([value]) for plain mailboxes; None when value is anything else."""
    pairs = []
    pos = 0
    while True:
        pos = _skip_spaces(value, pos)
        if value.startswith('"', pos):
            found = _quoted_mailbox(value, pos)
            if found is None:
                return None
            pair, pos = found
            comma = _skip_spaces(value, pos)
            if comma < len(value) and value[comma] != ",":
                return None
        else:
            comma = value.find(",", pos)
            comma = len(value) if comma < 0 else comma
            pair = _plain_mailbox(value[pos:comma])   # an empty piece (",," or a trailing ",") is None
            if pair is None:
                return None
        pairs.append(pair)
        if comma >= len(value):
            return pairs
        pos = comma + 1


# A whole value that is one mailbox in one of those shapes, read by one regex: the pair
# _simple_pairs gives (the atoms here also leave out Unicode white space, which the piecewise
# walk allows in domains; such values still take that walk).
_ATOMS = r'[^()<>@,:;."\[\]\s\\]+(?:\.[^()<>@,:;."\[\]\s\\]+)*'
_ONE_MAILBOX = re.compile(rf'\A *+(?:"([^"\\\r]*)" *<({_ATOMS}@{_ATOMS})>|([^()<>@,:;"\[\]\\\t\r\n]*)<({_ATOMS}@{_ATOMS})>'
                          rf'|({_ATOMS}@{_ATOMS})) *\Z')


def _one_mailbox(value: str) -> list[tuple[str, str]] | None:
    m = _ONE_MAILBOX.match(value)
    if m is None:
        return None
    quoted, quoted_addr, phrase, phrase_addr, bare = m.groups()
    if quoted_addr is not None:
        return [(quoted, quoted_addr)]
    if phrase_addr is not None:
        return [(" ".join(w for w in phrase.split(" ") if w), phrase_addr)]
    return [("", bare)]


def parse_addresses(value: str) -> list[Address]:
    """Addresses of a raw header value. Display names may hide other addresses.

    The structure is parsed before RFC 2047 decoding, and only display names are
    decoded (RFC 2047 §5): decoding first let "=?UTF-8?B?<support@amazon.co.jp <x>>?=
    <evil@attacker.example>" pass for a mail from amazon.co.jp.
    """
    out: list[Address] = []
    try:
        text = decode_header_value(value, encoded_words=False)
        pairs = _one_mailbox(text) or _simple_pairs(text)
        if pairs is None:
            pairs = getaddresses([text])
    except Exception:
        pairs = []
    for display, addr in pairs[:100]:
        addr = addr.strip().strip("<>")
        if not addr and not display:
            continue
        if "=?" in addr and "@" not in addr:   # a lone encoded-word is a name, not an address
            display, addr = addr, ""
        domain = domain_of(addr)
        out.append(Address(display=decode_header_value(display), address=addr, domain=domain,
                           registrable=registrable_domain(domain)))
    return out


def first_address(value: str) -> Address:
    found = parse_addresses(value)
    if found:
        return found[0]
    # getaddresses gives up on some hostile forms; keep the text as the display name.
    return Address(display=decode_header_value(value)[:300])
