"""HTTP hygiene: deadlines covering the body, byte caps, depth-checked JSON,
clean text — against the real emulator process and its fault modes."""
from __future__ import annotations

import asyncio
import time

import pytest

from servers.http_fixtures import http_emu  # noqa: F401  (fixture)
from tsuribari.config import Config
from tsuribari.intel.http import clean, endpoint_ok, fetch_json, json_depth, make_session, parse_json


def _fetch(url: str, *, max_bytes: int = 1_000_000, timeout_s: float = 1.0, **kw):
    async def go():
        async with make_session(Config()) as session:
            return await fetch_json(session, kw.pop("method", "GET"), url, max_bytes=max_bytes,
                                    timeout_s=timeout_s, **kw)
    return asyncio.run(go())


def test_ok_json(http_emu) -> None:
    res = _fetch(http_emu.base + "/rdap/domain/sgogoj.com")
    assert res.ok and res.data["ldhName"] == "SGOGOJ.COM" and res.code == 200


@pytest.mark.parametrize("mode,status,code", [
    ("429", "http-error", 429), ("500", "http-error", 500), ("malformed", "bad-json", 200),
    ("huge", "too-large", 200), ("deep", "bad-json", 200),
])
def test_fault_modes_become_statuses(http_emu, mode: str, status: str, code: int) -> None:
    res = _fetch(f"{http_emu.base}/fault/{mode}/x")
    assert res.status == status
    assert res.code == code


@pytest.mark.parametrize("mode", ["drip", "hang"])
def test_slow_answers_are_cut_at_the_deadline(http_emu, mode: str) -> None:
    t = time.monotonic()
    res = _fetch(f"{http_emu.base}/fault/{mode}/x", timeout_s=0.5)
    took = time.monotonic() - t
    assert res.status == "timeout"
    assert took < 1.0, took


def test_connection_refused_is_an_error_not_an_exception() -> None:
    import socket
    with socket.socket() as s:     # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = _fetch(f"http://127.0.0.1:{port}/x")
    assert res.status == "error"


def test_non_http_endpoints_are_refused() -> None:
    assert not endpoint_ok("file:///etc/passwd") and not endpoint_ok("gopher://x/") and not endpoint_ok("http://")
    assert _fetch("file:///etc/passwd").status == "error"


def test_json_depth_is_linear_and_string_aware() -> None:
    assert json_depth('{"a": [1, {"b": "[[[[["}]}') == 3
    t = time.monotonic()
    assert json_depth("[" * 1_000_000, limit=64) == 65
    assert time.monotonic() - t < 0.5
    assert parse_json(b"[" * 100_000 + b"]" * 100_000)[1].startswith("JSON nested deeper")
    assert parse_json(b"\xff\xfe")[1] == "answer is not UTF-8"
    assert parse_json(b'{"a":')[1].startswith("malformed JSON")
    assert parse_json(b'{"a": 1}') == ({"a": 1}, "")


def test_clean_strips_markup_controls_and_bidi() -> None:
    assert clean("<script>alert(1)</script>GoDaddy") == "script alert(1) /script GoDaddy"
    assert clean("Evil\u202eoc.lagel\u0000\n\r\tx") == "Evil oc.lagel x"
    assert clean("x" * 1000, 50) == "x" * 50
    assert clean(["list"]) == "" and clean({"a": 1}) == "" and clean(None) == "" and clean(True) == ""
    assert clean(42) == "42"
