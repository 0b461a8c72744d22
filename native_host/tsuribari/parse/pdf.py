"""The links a PDF attachment carries, read without rendering it.

Lures that want to slip past link scanners put the link in an attached PDF ("see the attached
instructions"): the body has none, the PDF has one big clickable area. A PDF link is a URI action,
`/URI (https://…)` or `/URI <68747470…>`, in an annotation dictionary; newer files pack those
dictionaries into compressed object streams (`/Type /ObjStm`), which are inflated here with a cap
on every stream and on the total, so a hostile file (a zip bomb, a million streams) costs a bounded
amount of work. Only the first MAX_SCAN bytes of a file are read.
"""
from __future__ import annotations

import re
import zlib

MAX_SCAN = 8_000_000
MAX_URIS = 50
MAX_URI_CHARS = 2048
MAX_STREAMS = 40            # object streams inflated per file
MAX_INFLATED = 4_000_000    # bytes inflated per file, all streams together
MAX_STREAM_IN = 2_000_000   # compressed bytes handed to zlib per stream

_URI = re.compile(rb"/URI\s{0,20}([(<])")
_STREAM = re.compile(rb"stream\r?\n")
_ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}


def _literal(data: bytes, pos: int) -> bytes:
    """A PDF literal string starting after '(' at pos: balanced parentheses and backslash escapes."""
    out = bytearray()
    depth, i, end = 1, pos, min(len(data), pos + 4 * MAX_URI_CHARS)
    while i < end and len(out) < MAX_URI_CHARS:
        c = data[i]
        if c == 0x5C and i + 1 < end:           # backslash
            nxt = data[i + 1]
            if nxt in _ESCAPES:
                out += _ESCAPES[nxt]
                i += 2
                continue
            if 0x30 <= nxt <= 0x37:               # up to three octal digits
                j = i + 1
                while j < min(end, i + 4) and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i + 1:j], 8) & 0xFF)
                i = j
                continue
            out.append(nxt)
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                break
        out.append(c)
        i += 1
    return bytes(out)


def _hex(data: bytes, pos: int) -> bytes:
    end = data.find(b">", pos, pos + 4 * MAX_URI_CHARS)
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data[pos:end if end >= 0 else pos])
    if len(digits) % 2:
        digits += b"0"
    return bytes.fromhex(digits.decode("ascii"))[:MAX_URI_CHARS]


def _uris_in(data: bytes, out: list[str]) -> None:
    for m in _URI.finditer(data):
        if len(out) >= MAX_URIS:
            return
        raw = _literal(data, m.end()) if m.group(1) == b"(" else _hex(data, m.end())
        if raw.startswith(b"\xfe\xff"):           # UTF-16BE text string
            text = raw[2:].decode("utf-16-be", "replace")
        else:
            text = raw.decode("latin-1")
        text = text.strip()
        if text and text not in out:
            out.append(text)


def _object_streams(data: bytes):
    """Inflated contents of the compressed object streams, within the caps."""
    budget, count = MAX_INFLATED, 0
    for m in _STREAM.finditer(data):
        if count >= MAX_STREAMS or budget <= 0:
            return
        head = data[max(0, m.start() - 300):m.start()]
        if b"/ObjStm" not in head or b"/FlateDecode" not in head:
            continue
        count += 1
        try:
            inflated = zlib.decompressobj().decompress(data[m.end():m.end() + MAX_STREAM_IN], budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        yield inflated


def pdf_uris(data: bytes) -> list[str]:
    """The URI actions of a PDF, in file order, at most MAX_URIS."""
    data = data[:MAX_SCAN]
    out: list[str] = []
    _uris_in(data, out)
    if b"/ObjStm" in data:
        for inflated in _object_streams(data):
            _uris_in(inflated, out)
            if len(out) >= MAX_URIS:
                break
    return out
