"""Native-messaging host: 4-byte native-endian length + UTF-8 JSON, many requests per connection.

Only frames ever go to stdout (anything else would corrupt the stream), a
reply never exceeds Thunderbird's 1 MiB limit, and a bad frame gets an
error reply while the host keeps serving.
"""
from __future__ import annotations

import base64
import binascii
import json
import math
import struct
import sys
from typing import IO, Any

from . import __version__

MAX_REPLY = 1024 * 1024 - 64          # Thunderbird drops larger host→add-on messages
MAX_REQUEST = 96 * 1024 * 1024        # a 60 MB mail in base64 plus the envelope
MAX_MAIL = 64 * 1024 * 1024
CAPABILITIES = ["analyze", "ping", "markdown", "offline", "network", "lang:ja", "lang:en"]


class ProtocolError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _read_exact(stream: IO[bytes], n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _discard(stream: IO[bytes], n: int) -> bool:
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            return False
        n -= len(chunk)
    return True


def write_frame(stream: IO[bytes], obj: Any) -> None:
    # allow_nan=False: NaN/Infinity are not JSON and the add-on's JSON.parse would choke.
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    if len(data) > MAX_REPLY:   # last line of defence; _reply_ok should already have trimmed
        req_id = obj.get("id") if isinstance(obj, dict) else None
        data = json.dumps(_error(req_id, "reply_too_large", f"reply of {len(data)} bytes exceeds {MAX_REPLY}"),
                          separators=(",", ":")).encode("utf-8")
    stream.write(struct.pack("=I", len(data)) + data)
    stream.flush()


def _shrink(result: dict[str, Any]) -> dict[str, Any]:
    """Cut evidence and long lists, never the JSON itself, until the reply fits."""
    facts = result.get("facts", {})
    for key, keep in (("links", 200), ("hops", 60), ("auth", 40), ("attachments", 50)):
        if isinstance(facts.get(key), list) and len(facts[key]) > keep:
            facts[key] = facts[key][:keep]
            facts.setdefault("limits_hit", []).append(f"reply: {key} cut to {keep}")
    for hop in facts.get("hops", []):
        hop["raw"] = hop.get("raw", "")[:300]
    for f in result.get("findings", []):
        text = json.dumps(f.get("evidence", {}), ensure_ascii=False)
        if len(text) > 4000:
            f["evidence"] = {"cut": True, "excerpt": text[:3000]}
    result["intel"] = {}
    return result


def _reply_ok(req_id: Any, result: dict[str, Any]) -> dict[str, Any]:
    reply = {"id": req_id, "ok": True, "result": result}
    size = len(json.dumps(reply, ensure_ascii=False).encode("utf-8"))
    if size > MAX_REPLY:
        reply["result"] = _shrink(result)
        size = len(json.dumps(reply, ensure_ascii=False).encode("utf-8"))
        if size > MAX_REPLY and "markdown" in result:
            result["markdown"] = result["markdown"][:200_000]
            size = len(json.dumps(reply, ensure_ascii=False).encode("utf-8"))
        if size > MAX_REPLY:
            result["facts"]["links"] = result["facts"].get("links", [])[:20]
            result.pop("markdown", None)
    return reply


def _safe_id(value: Any) -> Any:
    """The id to echo: only what the add-on sends (short strings, safe integers, finite numbers).
    A 2 MB string id would push the reply over 1 MiB; NaN would make it invalid JSON."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value if len(value) <= 256 else None
    return None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _error(req_id: Any, code: str, message: str) -> dict[str, Any]:
    return {"id": req_id, "ok": False, "error": {"code": code, "message": message[:500]}}


def _overrides(options: dict[str, Any]) -> dict[str, Any]:
    """Request options (from the add-on's settings) → configuration overrides, type-checked by config."""
    out: dict[str, Any] = {}
    network = options.get("network") if isinstance(options.get("network"), dict) else {}
    reputation: dict[str, Any] = dict(options["reputation"]) if isinstance(options.get("reputation"), dict) else {}
    if options.get("offline") is True:
        out["network"] = {"enabled": False}
    elif network:
        out["network"] = {k: v for k, v in network.items() if k in ("enabled", "dns", "rdap", "budget_s")}
    # The add-on sends each reputation service's switch under network and its key under keys.
    for service in ("safebrowsing", "urlhaus", "phishtank", "openphish", "dnsbl"):
        if service in network:
            reputation[service] = network[service]
    keys = options.get("keys") if isinstance(options.get("keys"), dict) else {}
    for name, key in (("safebrowsing", "safebrowsing_key"), ("urlhaus", "urlhaus_key"), ("spamhaus_dqs", "spamhaus_dqs_key")):
        if isinstance(keys.get(name), str):
            reputation[key] = keys[name][:200]
    if reputation:
        out["reputation"] = reputation
    analysis: dict[str, Any] = {}
    if isinstance(options.get("trusted_domains"), list):
        analysis["trusted_domains"] = [d for d in options["trusted_domains"][:1000] if isinstance(d, str)]
    thresholds = options.get("thresholds")
    if isinstance(thresholds, dict):
        for key in ("suspicious", "phishing"):
            if isinstance(thresholds.get(key), (int, float)) and not isinstance(thresholds.get(key), bool):
                analysis[f"{key}_threshold"] = float(thresholds[key])
    if analysis:
        out["analysis"] = analysis
    return out


class Host:
    def __init__(self, config_path: str | None = None):
        from .config import load
        self.config_path = config_path
        self.base = load(config_path)
        self._analyzer = None

    def analyzer(self, options: dict[str, Any]):
        from .analyze import Analyzer
        from .config import load
        if self._analyzer is None:
            self._analyzer = Analyzer(self.base)
        overrides = _overrides(options)
        if not overrides:
            return self._analyzer
        return self._analyzer.with_config(load(self.config_path, overrides))

    def ping(self) -> dict[str, Any]:
        from .config import user_cache_dir, user_config_dir
        databases: dict[str, Any] = {}
        try:
            from .intel.geo import GeoDB
            geo = GeoDB.from_config(self.base)
            geo.lookup("8.8.8.8")   # opens the files, so missing ones show up as problems
            databases = {"ip_asn": [str(s.path) for s in geo._asn if s._reader is not None],
                         "ip_geo": [str(s.path) for s in geo._geo if s._reader is not None],
                         "problems": list(geo.problems)}
        except Exception as exc:
            databases = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        return {"version": __version__, "capabilities": CAPABILITIES, "databases": databases,
                "config_path": self.base.source or str(user_config_dir() / "config.toml"),
                "cache_dir": str(user_cache_dir()), "python": sys.version.split()[0],
                "config_problems": self.base.problems}

    def handle(self, payload: bytes | list[bytes]) -> dict[str, Any]:
        if isinstance(payload, list):   # serve() hands the frame over in a list so it can be freed early
            payload = payload.pop()
        try:
            req = json.loads(payload.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError) as exc:
            return _error(None, "bad_json", f"request is not valid JSON: {exc}")
        except RecursionError:   # "[[[[..." 100,000 deep overflows the stdlib decoder
            return _error(None, "bad_json", "request is nested too deeply")
        del payload   # a 25 MB mail is a 33 MB frame: not kept through the analysis
        if not isinstance(req, dict):
            return _error(None, "bad_request", "request must be a JSON object")
        req_id = _safe_id(req.get("id"))
        kind = req.get("type")
        if kind == "ping":
            return {"id": req_id, "ok": True, "result": self.ping()}
        if kind != "analyze":
            return _error(req_id, "unknown_type", f"unknown request type {str(kind)[:40]!r}")
        raw_b64 = req.pop("raw_b64", None)
        options = req.get("options") if isinstance(req.get("options"), dict) else {}
        if not isinstance(raw_b64, str) or not raw_b64:
            return _error(req_id, "bad_request", "raw_b64 must be a non-empty base64 string")
        try:
            raw = base64.b64decode(raw_b64, validate=True)
        except (binascii.Error, ValueError):
            return _error(req_id, "bad_base64", "raw_b64 is not valid base64")
        del raw_b64
        if len(raw) > MAX_MAIL:
            return _error(req_id, "too_large", f"message larger than {MAX_MAIL} bytes")
        lang = options.get("lang") if options.get("lang") in ("ja", "en") else "ja"
        try:
            result = self.analyzer(options).analyze(raw, markdown_lang=lang if options.get("markdown") else None)
        except Exception as exc:   # never let one mail take the host down
            print(f"tsuribari host: analysis failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return _error(req_id, "analysis_failed", f"{type(exc).__name__}: {exc}")
        return _reply_ok(req_id, result)


def serve(stdin: IO[bytes], stdout: IO[bytes], config_path: str | None = None) -> int:
    # Stray prints from libraries must not corrupt the frame stream.
    sys.stdout = sys.stderr
    host = Host(config_path)
    while True:
        header = _read_exact(stdin, 4)
        if header is None:
            return 0
        (length,) = struct.unpack("=I", header)
        if length == 0:
            write_frame(stdout, _error(None, "empty_frame", "zero-length frame"))
            continue
        if length > MAX_REQUEST:
            write_frame(stdout, _error(None, "frame_too_large", f"frame of {length} bytes exceeds {MAX_REQUEST}"))
            if not _discard(stdin, length):
                return 0
            continue
        payload = _read_exact(stdin, length)
        if payload is None:
            return 0
        box = [payload]
        del payload   # handle() takes the only reference and drops it once the JSON is read
        try:
            reply = host.handle(box)
        except Exception as exc:   # a bug for one request must not end the connection
            print(f"tsuribari host: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            reply = _error(None, "internal_error", f"{type(exc).__name__}")
        write_frame(stdout, reply)
