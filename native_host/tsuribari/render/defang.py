"""URLs and hosts made safe to paste: hxxp://example[.]com/…"""
from __future__ import annotations

import re


def defang(text: str) -> str:
    if not text:
        return ""
    out = text.replace("http://", "hxxp://").replace("https://", "hxxps://")
    out = out.replace("HTTP://", "hxxp://").replace("HTTPS://", "hxxps://")
    # Dots in the host part only; dots in a path are harmless and kept readable.
    scheme, sep, rest = out.partition("://")
    if sep:
        host, slash, path = rest.partition("/")
        return f"{scheme}{sep}{host.replace('.', '[.]')}{slash}{path}"
    if "/" not in out and "." in out:
        return out.replace(".", "[.]")
    return out


_URL = re.compile(r"(?:https?|hxxps?)://[^\s<>\"'`]{1,2048}", re.I)
_HOSTNAME = re.compile(r"(?<![\w@.-])((?:[a-z0-9-]{1,63}\.){1,8}(?:[a-z]{2,24}|\d{1,3}))(?![\w-])", re.I)


def defang_text(text: str) -> str:
    """Prose with every URL, host name and IP in it made unclickable; sentence dots stay."""
    if not text:
        return ""
    parts, last = [], 0
    for m in _URL.finditer(text):
        parts.append(_HOSTNAME.sub(lambda h: h.group(1).replace(".", "[.]"), text[last:m.start()]))
        parts.append(defang(m.group(0)))
        last = m.end()
    parts.append(_HOSTNAME.sub(lambda h: h.group(1).replace(".", "[.]"), text[last:]))
    return "".join(parts)


def plain(text: object, limit: int = 300) -> str:
    """One line of attacker text, control and bidi characters shown as escapes."""
    s = str(text)[:limit]
    out = []
    for ch in s:
        code = ord(ch)
        if code < 32 or code == 127 or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)
