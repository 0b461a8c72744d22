"""pytest fixtures for the network tests: a real DNS server for the session.

Import from tests/conftest.py with:
    from servers.fixtures import dns_env, dns_nameservers, dns_slow  # noqa: F401
"""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from .dkim_fixture import PLACEHOLDER, WEAK_PLACEHOLDER, DkimKey, generate_key, generate_weak_key
from .dns_server import DnsServer, dkim_txt, free_port


@dataclass(frozen=True)
class DnsEnv:
    address: str          # "127.0.0.1:<port>", for Config.network.nameservers
    host: str
    port: int
    dkim_key: DkimKey     # private key whose public half legit-shop.jp publishes (s2026)
    weak_key: DkimKey     # a 768-bit key published at weak._domainkey.legit-shop.jp


@pytest.fixture(scope="session")
def dns_env() -> Iterator[DnsEnv]:
    """unbound on 127.0.0.1:<free port> with tests/servers/zones, for the whole
    session; installs the Debian package first if it is missing."""
    key, weak = generate_key(), generate_weak_key()
    server = DnsServer(replacements={PLACEHOLDER: dkim_txt(key.public_der),
                                     WEAK_PLACEHOLDER: dkim_txt(weak.public_der)}).start()
    try:
        yield DnsEnv(address=server.address, host=server.host, port=server.port, dkim_key=key,
                     weak_key=weak)
    finally:
        server.stop()


@pytest.fixture
def dns_nameservers(dns_env: DnsEnv) -> list[str]:
    return [dns_env.address]


@dataclass(frozen=True)
class SlowDns:
    address: str          # the delaying forwarder in front of dns_env's server
    delay_ms: float


DELAY_MS = 100.0


@pytest.fixture(scope="session")
def dns_slow(dns_env: DnsEnv) -> Iterator[SlowDns]:
    """The same zones behind a forwarder adding 100 ms to every answer (its
    own process), for tests that prove lookups run concurrently."""
    port = free_port()
    tests_dir = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen(
        [sys.executable, "-m", "servers.dns_delay_proxy", "--listen", f"127.0.0.1:{port}",
         "--upstream", dns_env.address, "--delay-ms", str(DELAY_MS)],
        cwd=tests_dir, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        yield SlowDns(address=f"127.0.0.1:{port}", delay_ms=DELAY_MS)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
