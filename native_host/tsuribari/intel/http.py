"""HTTP for the lookup services: one session factory, hard limits, safe JSON.

Every answer here comes from a service that may be broken, slow or hostile
(a registry's RDAP server, a reputation API, a feed mirror), so every fetch
has a deadline that covers the whole body (a slow drip cannot stretch it),
a byte cap (`network.max_response_bytes`), and JSON is depth-checked before
it is parsed. Nothing raises: a fetch returns an `HttpResult` with a status.

The message's own URLs are never requested: only the configured service
endpoints are, with the URL as data where a service needs it.
"""
from __future__ import annotations

import asyncio
import json
import time
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import __version__ as _version
from ..config import Config

if TYPE_CHECKING:
    import aiohttp

# aiohttp is imported only when a request is really made: importing it costs
# ~0.3 s (it builds TLS contexts), which a warm, all-cached run must not pay.

MAX_JSON_DEPTH = 64          # real RDAP answers nest < 15 levels
USER_AGENT = f"Tsuribari/{_version} (+mail analysis; lookups only)"
_CHUNK = 16 * 1024


@dataclass
class HttpResult:
    status: str                 # ok | http-error | timeout | too-large | bad-json | error
    code: int = 0               # HTTP status code when one arrived
    data: Any = None            # parsed JSON (fetch_json) or bytes (fetch_bytes)
    ms: float = 0.0
    detail: str = ""
    size: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def endpoint_ok(url: str) -> bool:
    """A configured service URL we are willing to call: http(s) with a host.

    Endpoints come from our defaults or the user's config (tests point them
    at 127.0.0.1), never from a mail, so loopback is allowed here."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def make_session(config: Config) -> "aiohttp.ClientSession":
    """The one session a gather() run uses for every HTTP service."""
    import aiohttp
    net = config.network
    timeout = aiohttp.ClientTimeout(total=net.http_timeout_s, connect=min(net.http_timeout_s, 2.0))
    connector = aiohttp.TCPConnector(limit=16, limit_per_host=4, ttl_dns_cache=300,
                                     enable_cleanup_closed=True)
    return aiohttp.ClientSession(
        timeout=timeout, connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),        # services get no state from us
        headers={"User-Agent": USER_AGENT},
        trust_env=False,                            # reproducible: no env proxies/netrc
        auto_decompress=True,
    )


async def fetch_bytes(session: "aiohttp.ClientSession", method: str, url: str, *, max_bytes: int,
                      timeout_s: float, json_body: Any = None, headers: dict[str, str] | None = None,
                      params: dict[str, str] | None = None, data: dict[str, str] | None = None,
                      allow_redirects: bool = True) -> HttpResult:
    import aiohttp
    start = time.monotonic()

    def done(status: str, code: int = 0, payload: Any = None, detail: str = "", size: int = 0) -> HttpResult:
        return HttpResult(status, code, payload, (time.monotonic() - start) * 1000.0, detail[:300], size)

    if not endpoint_ok(url):
        return done("error", detail="endpoint is not an http(s) URL")
    try:
        async with asyncio.timeout(timeout_s):
            async with session.request(method, url, json=json_body, headers=headers, params=params,
                                       data=data, allow_redirects=allow_redirects, max_redirects=3) as resp:
                declared = resp.content_length
                if declared is not None and declared > max_bytes:
                    return done("too-large", resp.status, detail=f"declared {declared} bytes", size=declared)
                buf = bytearray()
                async for chunk in resp.content.iter_chunked(_CHUNK):
                    buf += chunk
                    if len(buf) > max_bytes:
                        return done("too-large", resp.status, detail=f"more than {max_bytes} bytes",
                                    size=len(buf))
                if resp.status >= 400:
                    return done("http-error", resp.status, bytes(buf), f"HTTP {resp.status}", len(buf))
                return done("ok", resp.status, bytes(buf), size=len(buf))
    except TimeoutError:
        return done("timeout", detail=f"no complete answer within {timeout_s:.1f}s")
    except aiohttp.ClientError as exc:
        return done("error", detail=f"{type(exc).__name__}: {exc}")
    except (OSError, ValueError) as exc:
        return done("error", detail=f"{type(exc).__name__}: {exc}")


async def fetch_json(session: "aiohttp.ClientSession", method: str, url: str, *, max_bytes: int,
                     timeout_s: float, **kwargs: Any) -> HttpResult:
    res = await fetch_bytes(session, method, url, max_bytes=max_bytes, timeout_s=timeout_s, **kwargs)
    if res.status not in ("ok", "http-error") or not isinstance(res.data, (bytes, bytearray)):
        return res
    parsed, why = parse_json(res.data)
    if res.status == "http-error":
        res.data = parsed          # RDAP error bodies are JSON too; keep them if sane
        return res
    if why:
        res.status, res.data, res.detail = "bad-json", None, why
    else:
        res.data = parsed
    return res


def json_depth(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> int:
    """Nesting depth of a JSON text, stopping early past `limit` (linear scan,
    so a 1 MB `[[[[…` costs one pass instead of a RecursionError in json)."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8", "replace")
    depth = best = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > best:
                best = depth
                if best > limit:
                    return best
        elif ch in "]}":
            depth -= 1
    return best


def parse_json(raw: bytes | str, max_depth: int = MAX_JSON_DEPTH) -> tuple[Any, str]:
    """(value, "") or (None, reason). Never raises."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw
    except UnicodeDecodeError:
        return None, "answer is not UTF-8"
    if json_depth(text, max_depth) > max_depth:
        return None, f"JSON nested deeper than {max_depth} levels"
    try:
        return json.loads(text), ""
    except (ValueError, RecursionError) as exc:
        return None, f"malformed JSON: {str(exc)[:100]}"


# ---- shape helpers: read fields of untrusted JSON without trusting types ----

_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u200e", "\u200f"}


def clean(value: Any, limit: int = 120) -> str:
    """Plain, bounded, single-line text from a service answer for the panel:
    no control or bidi-override characters, no angle brackets (nothing that
    could look like markup even to a careless renderer)."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        return ""
    value = value[: limit * 4]
    out = []
    for ch in value:
        if ch in _BIDI or ch in "<>" or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(" ")
        else:
            out.append(ch)
    text = " ".join("".join(out).split())
    return text[:limit]


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any, limit: int = 100) -> list[Any]:
    return value[:limit] if isinstance(value, list) else []


def get_str(obj: Any, key: str, limit: int = 120) -> str:
    return clean(as_dict(obj).get(key), limit)
