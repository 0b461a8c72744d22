"""DKIM (RFC 6376) verification of every signature, keys fetched by our resolver.

dkimpy does the cryptography and canonicalisation; it wants a *synchronous*
`dnsfunc`, so we first read each signature's d= and s= ourselves, fetch all
key records concurrently through `Resolver` (validated names, bounded time,
cache, lookup log), and then hand dkimpy a dnsfunc that only answers from
what was fetched. dkimpy therefore never opens a socket of its own.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

import dkim
from dkim.util import InvalidTagValueList, parse_tag_value

from .resolver import valid_query_name

MAX_SIGNATURES = 10         # more is abuse; each costs a DNS query and a hash
MIN_KEY_BITS = 1024         # RFC 8301 §3.2: smaller RSA keys MUST NOT be accepted
_TEMP = ("timeout", "servfail", "error", "refused")


@dataclass
class DkimResult:
    domain: str
    selector: str
    result: str                  # pass|fail|none|permerror|temperror
    reason: str = ""
    key_bits: int | None = None
    algorithm: str = ""
    body_length_limited: bool = False   # l= present: content may be appended unsigned
    expired: bool = False


class _ListHandler(logging.Handler):
    """Collects dkimpy's own error messages: they are the only place it says
    *why* a signature failed (missing key, bad key format...)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage()[:300])


def _text(value: bytes | None) -> str:
    return (value or b"").decode("ascii", "replace").strip()


def _signature_tags(raw: bytes) -> list[dict[bytes, bytes] | None]:
    """The tag lists of the DKIM-Signature headers, in dkimpy's order (top first)."""
    try:
        headers, _body = dkim.rfc822_parse(raw)
    except Exception:       # a message dkimpy cannot split has no verifiable signature
        return []
    out: list[dict[bytes, bytes] | None] = []
    for name, value in headers:
        if name.lower() != b"dkim-signature":
            continue
        try:
            out.append(parse_tag_value(value))
        except (InvalidTagValueList, Exception):
            out.append(None)
        if len(out) >= MAX_SIGNATURES:
            break
    return out


def _verify_all(raw: bytes, indices: list[int], keys: dict[str, bytes | None]
                ) -> dict[int, tuple[bool | None, str, int | None]]:
    """Run dkimpy on each signature index, parsing the message once.
    Per index: (verified, reason, key bits); verified None means the
    signature itself is malformed (permerror)."""
    logger = logging.Logger("tsuribari.dkim")   # private, never registered globally
    handler = _ListHandler()
    logger.addHandler(handler)

    def dnsfunc(name: bytes | str, timeout: float = 5) -> bytes | None:
        key = (name.decode("ascii", "replace") if isinstance(name, bytes) else name).lower().rstrip(".")
        return keys.get(key)

    out: dict[int, tuple[bool | None, str, int | None]] = {}
    try:
        # minkey=512 lets dkimpy finish on weak keys so we can say "weak key"
        # rather than a generic failure; we reject them ourselves.
        verifier = dkim.DKIM(raw, logger=logger, minkey=512, timeout=1)
    except Exception as exc:   # dkimpy cannot even split the message
        return {i: (None, f"unparseable message: {exc.__class__.__name__}", None) for i in indices}
    for idx in indices:
        handler.messages.clear()
        verifier.keysize = 0
        try:
            ok = bool(verifier.verify(idx=idx, dnsfunc=dnsfunc))
        except dkim.ValidationError as exc:
            out[idx] = (False, str(exc)[:300], verifier.keysize or None)
            continue
        except dkim.DKIMException as exc:
            out[idx] = (None, f"{exc.__class__.__name__}: {exc}"[:300], verifier.keysize or None)
            continue
        except Exception as exc:   # dkimpy on hostile input: a broken signature, not a crash
            out[idx] = (None, f"unverifiable: {exc.__class__.__name__}", None)
            continue
        reason = "" if ok else ("; ".join(handler.messages) or "signature does not match")
        out[idx] = (ok, reason, verifier.keysize or None)
    return out


async def verify_dkim(raw: bytes, resolver) -> list[DkimResult]:
    """One DkimResult per DKIM-Signature header (at most MAX_SIGNATURES)."""
    sigs = _signature_tags(raw)
    if not sigs:
        return []
    results: list[DkimResult] = []
    names: dict[int, str] = {}
    for idx, tags in enumerate(sigs):
        if tags is None:
            results.append(DkimResult("", "", "permerror", reason="signature header is not a tag list"))
            continue
        d, s = _text(tags.get(b"d")).lower(), _text(tags.get(b"s")).lower()
        res = DkimResult(d, s, "none", algorithm=_text(tags.get(b"a")),
                         body_length_limited=b"l" in tags)
        x = _text(tags.get(b"x"))
        res.expired = x.isdigit() and int(x) < time.time()
        results.append(res)
        if not d or not s:
            res.result, res.reason = "permerror", "signature lacks d= or s="
            continue
        name = f"{s}._domainkey.{d}"
        if not valid_query_name(name):
            res.result, res.reason = "permerror", f"key name {name[:80]!r} is not a valid DNS name"
            continue
        names[idx] = name

    unique = sorted(set(names.values()))
    answers = await asyncio.gather(*(resolver.query(n, "TXT") for n in unique))
    by_name = dict(zip(unique, answers))
    keys: dict[str, bytes | None] = {}
    for name, ans in by_name.items():
        records = [r for r in ans.records if "p=" in r] if ans.status == "ok" else []
        keys[name] = records[0].encode("ascii", "replace") if records else None

    todo: list[int] = []
    for idx, name in names.items():
        res = results[idx]
        ans = by_name[name]
        if ans.status in _TEMP:
            res.result, res.reason = "temperror", f"key {name}: {ans.status}"
        elif keys.get(name) is None:
            res.result, res.reason = "permerror", f"no key published at {name}"
        else:
            todo.append(idx)
    if not todo:
        return results
    # CPU work (hashing a possibly large body, RSA) off the event loop.
    verdicts = await asyncio.to_thread(_verify_all, raw, todo, keys)
    for idx in todo:
        res = results[idx]
        ok, reason, bits = verdicts[idx]
        res.key_bits = bits
        if ok is None:
            res.result, res.reason = "permerror", reason
        elif ok and bits is not None and bits < MIN_KEY_BITS and not res.algorithm.startswith("ed25519"):
            res.result, res.reason = "fail", f"weak key ({bits} bits < {MIN_KEY_BITS})"
        elif ok:
            res.result = "pass"
        else:
            res.result, res.reason = "fail", reason
        if "x= value is past" in reason:
            res.expired = True
            res.reason = "signature expired (x=)"
    return results
