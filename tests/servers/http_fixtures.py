"""pytest fixtures for the HTTP service emulators (a real aiohttp process).

Import from a test module with:
    from servers.http_fixtures import http_emu  # noqa: F401
"""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from .http_emulators import SB_KEY, URLHAUS_KEY

HERE = Path(__file__).resolve().parent


@dataclass
class HttpEmu:
    base: str            # "http://127.0.0.1:<port>"
    proc: subprocess.Popen

    def stats(self) -> dict[str, int]:
        with urllib.request.urlopen(self.base + "/_stats", timeout=5) as resp:
            return json.loads(resp.read())

    def reset(self) -> None:
        req = urllib.request.Request(self.base + "/_stats", method="DELETE")
        urllib.request.urlopen(req, timeout=5).read()

    def total(self) -> int:
        return sum(self.stats().values())

    def endpoints(self, fault: str = "") -> dict[str, str]:
        """Config [endpoints] pointing at this emulator (optionally through a fault mode)."""
        b = f"{self.base}/fault/{fault}" if fault else self.base
        return {
            "rdap_domain_base": f"{b}/rdap",
            "rdap_ip_base": f"{b}/rdap",
            "safebrowsing": f"{b}/v4/threatMatches:find",
            "urlhaus": f"{b}/urlhaus/v1/",
            "phishtank_feed": f"{b}/feeds/phishtank.json",
            "openphish_feed": f"{b}/feeds/openphish.txt",
        }

    @staticmethod
    def keys() -> dict[str, str]:
        return {"safebrowsing_key": SB_KEY, "urlhaus_key": URLHAUS_KEY}


def start_emulator(delay_ms: int = 0) -> HttpEmu:
    """Start the emulator process; stop it with stop_emulator(). Also used by the bench."""
    proc = subprocess.Popen([sys.executable, str(HERE / "http_emulators.py"), "--delay-ms", str(delay_ms)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if not line.startswith("READY "):
        stop_emulator(HttpEmu(base="", proc=proc))
        raise RuntimeError(f"HTTP emulator did not start: {line!r}")
    return HttpEmu(base=f"http://127.0.0.1:{int(line.split()[1])}", proc=proc)


def stop_emulator(emu: HttpEmu) -> None:
    if emu.proc.stdin:
        emu.proc.stdin.close()      # the emulator serves until its stdin closes
    try:
        emu.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        emu.proc.kill()
        emu.proc.wait(timeout=5)


@pytest.fixture(scope="session")
def http_emu() -> Iterator[HttpEmu]:
    emu = start_emulator()
    try:
        yield emu
    finally:
        stop_emulator(emu)


@pytest.fixture(scope="session")
def http_emu_slow() -> Iterator[HttpEmu]:
    """The same services with 100 ms added to every request (matches dns_slow)."""
    emu = start_emulator(delay_ms=100)
    try:
        yield emu
    finally:
        stop_emulator(emu)


def run_in(ctx, coro):
    """Run one coroutine with an intel context, closing the context's sessions afterwards."""
    import asyncio

    async def go():
        try:
            return await coro
        finally:
            await ctx.aclose()
    return asyncio.run(go())
