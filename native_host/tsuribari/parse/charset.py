"""Decoding bytes the way Japanese mail needs: declared charset first, then sniffing.

Mail in Japan is often mislabelled (Shift_JIS sent as ISO-2022-JP, CP932
extensions under a "shift_jis" label, raw 8-bit headers), so a failed
strict decode falls through to the likely alternatives before replacing.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterator

# Superset codecs: the labels senders write are often narrower than what they send.
_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932", "ms932": "cp932",
    "iso-2022-jp": "iso2022_jp_ext", "iso2022-jp": "iso2022_jp_ext", "csiso2022jp": "iso2022_jp_ext",
    "iso-2022-jp-1": "iso2022_jp_1", "iso-2022-jp-2": "iso2022_jp_2", "iso-2022-jp-3": "iso2022_jp_3",
    "iso-2022-jp-ms": "iso2022_jp_ext", "euc-jp": "euc_jis_2004", "x-euc-jp": "euc_jis_2004",
    "euc_jp": "euc_jis_2004", "us-ascii": "utf-8", "ascii": "utf-8", "ansi_x3.4-1968": "utf-8",
    "unknown-8bit": "", "x-unknown": "", "8bit": "", "unknown": "", "default": "",
    "iso-8859-8-i": "iso-8859-8", "utf8": "utf-8", "ks_c_5601-1987": "cp949", "gb2312": "gb18030",
    "gbk": "gb18030",
}

_REFUSED = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})

_ISO2022_FAMILY = ("iso2022_jp_ext", "iso2022_jp_2", "iso2022_jp_3", "iso2022_jp_1")


def normalise_charset(label: str | None) -> str:
    """A Python codec name for a MIME label, or '' when unknown or unusable."""
    if not label:
        return ""
    name = label.strip().strip('"\'').lower()[:40]
    name = _ALIASES.get(name, name)
    if not name:
        return ""
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):   # ValueError: a NUL in the label ("utf-8\0")
        return ""
    # A label is the sender's choice: refuse codecs that are not mail text encodings.
    # punycode decodes in quadratic time (a 5 MB part labelled so takes ~20 minutes).
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return ""
    return name


def _candidates(data: bytes, declared: str) -> Iterator[str]:
    """Codecs to try, in order, without repeats. Lazy: the declared codec nearly always
    decodes, and then the two scans of the whole part for escape sequences are skipped."""
    if declared:
        yield declared
    out: list[str] = []
    if declared in _ISO2022_FAMILY:
        out.extend(_ISO2022_FAMILY)
    if b"\x1b" in data and (b"\x1b$" in data or b"\x1b(" in data):
        out.extend(_ISO2022_FAMILY)
    out.extend(("utf-8", "cp932", "euc_jis_2004"))
    seen = {declared}
    for codec in out:
        if codec not in seen:
            seen.add(codec)
            yield codec


def decode_bytes(data: bytes, declared_label: str | None = None) -> tuple[str, str, bool]:
    """Text, the codec used, and whether characters had to be replaced."""
    declared = normalise_charset(declared_label)
    for codec in _candidates(data, declared):
        try:
            return data.decode(codec), codec, False
        except (UnicodeDecodeError, UnicodeError, LookupError):
            continue
    codec = declared or "utf-8"
    try:
        return data.decode(codec, errors="replace"), codec, True
    except (LookupError, UnicodeError):
        return data.decode("utf-8", errors="replace"), "utf-8", True
