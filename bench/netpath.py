"""Row 5 of `make bench`: the seed sample with every lookup enabled against the
loopback test servers, with added latency per lookup — total time next to the
sum of the lookups' own times (the concurrency reference), then warm.

Servers: unbound with the seed and DNSBL zones (tests/servers/intel_dns.py)
behind the delaying forwarder (tests/servers/dns_delay_proxy.py), and the HTTP
emulator process (tests/servers/http_emulators.py) with the same delay on
every request. Only 127.0.0.1 is contacted. The analysis runs in this process
(Analyzer.analyze: parse, checks, network layer, verdict), each cold run with
an empty cache file, each warm run on the cache its cold run left.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
SEED = TESTS / "fixtures" / "mail" / "kagoya-active-mail.eml"
WARM_PER_COLD = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Servers:
    def __init__(self, delay_ms: int) -> None:
        sys.path.insert(0, str(TESTS))
        from servers.dkim_fixture import PLACEHOLDER, WEAK_PLACEHOLDER
        from servers.dns_server import DnsServer
        from servers.http_fixtures import start_emulator
        from servers.intel_dns import DNSBL_ZONES
        self.dns = DnsServer(replacements={PLACEHOLDER: '"v=DKIM1; p="', WEAK_PLACEHOLDER: '"v=DKIM1; p="'},
                             extra_zones=DNSBL_ZONES).start()
        port = _free_port()
        self.proxy = subprocess.Popen(
            [sys.executable, "-m", "servers.dns_delay_proxy", "--listen", f"127.0.0.1:{port}",
             "--upstream", self.dns.address, "--delay-ms", str(delay_ms)],
            cwd=TESTS, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if self.proxy.stdout is None or self.proxy.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("DNS delay proxy did not start")
        self.dns_address = f"127.0.0.1:{port}"
        self.http = start_emulator(delay_ms=delay_ms)

    def close(self) -> None:
        from servers.http_fixtures import stop_emulator
        if getattr(self, "http", None) is not None:
            stop_emulator(self.http)
        if self.proxy.poll() is None:
            self.proxy.terminate()
            self.proxy.wait(timeout=5)
        self.dns.stop()


def _config(servers: _Servers, cache_path: str) -> Any:
    from tsuribari.config import Config
    cfg = Config()
    cfg.network.nameservers = [servers.dns_address]
    cfg.cache.path = cache_path
    for key, value in servers.http.endpoints().items():
        setattr(cfg.endpoints, key, value)
    rep = cfg.reputation
    rep.safebrowsing = rep.urlhaus = rep.phishtank = rep.openphish = rep.dnsbl = True
    for key, value in servers.http.keys().items():
        setattr(rep, key, value)
    return cfg


def _measure(delay_ms: int, runs: int, tmp: str) -> dict[str, Any]:
    from tsuribari.analyze import Analyzer
    raw = SEED.read_bytes()
    servers = _Servers(delay_ms)
    cold: list[float] = []
    warm: list[float] = []
    sums: list[float] = []
    verdicts: set[str] = set()
    timeouts = 0
    try:
        for i in range(runs):
            cache = os.path.join(tmp, f"net{delay_ms}-{i}.sqlite")
            cfg = _config(servers, cache)
            analyzer = Analyzer(cfg)
            t = time.perf_counter()
            result = analyzer.analyze(raw)
            cold.append((time.perf_counter() - t) * 1000.0)
            sums.append(sum(float(lk.get("ms", 0.0)) for lk in result["lookups"] if lk.get("status") != "cached"))
            timeouts += sum(1 for lk in result["lookups"] if lk.get("status") == "timeout")
            verdicts.add(result["verdict"])
            for _ in range(WARM_PER_COLD):
                t = time.perf_counter()
                again = analyzer.analyze(raw)
                warm.append((time.perf_counter() - t) * 1000.0)
                verdicts.add(again["verdict"])
    finally:
        servers.close()
    return {"cold_ms": cold, "warm_ms": warm, "lookup_sum_ms": sums, "verdicts": sorted(verdicts),
            "timeouts": timeouts}


def network_rows(tmp: str, quick: bool, row: Callable[..., dict], pct: Callable[[list[float], float], float],
                 targets: dict[str, float]) -> list[dict]:
    runs = 3 if quick else 10
    rows: list[dict] = []
    warm_all: list[float] = []
    for num, delay in (("5a", 50), ("5b", 200)):
        m = _measure(delay, runs, tmp)
        warm_all += m["warm_ms"]
        p50, p95 = pct(m["cold_ms"], 50), pct(m["cold_ms"], 95)
        s50 = pct(m["lookup_sum_ms"], 50)
        ok: bool | None = (p95 < targets["net50_p95_ms"]) if delay == 50 else (p95 < 3000.0)
        rows.append(row(num, f"network path, {delay} ms per lookup, cold cache (n={runs})",
                        f"p50 {p50:.0f} / p95 {p95:.0f} ms",
                        f"sum of lookups {s50:.0f} ms ({s50 / p50:.1f}× the total); verdict {'/'.join(m['verdicts'])}",
                        "p95 < 1.5 s" if delay == 50 else "within the 3 s budget",
                        ok and m["timeouts"] == 0, **m))
    rows.append(row("5c", f"network path, warm cache (n={len(warm_all)})",
                    f"p50 {pct(warm_all, 50):.1f} / p95 {pct(warm_all, 95):.1f} ms",
                    "same analyses, every lookup answered from the cache", "< 50 ms",
                    pct(warm_all, 95) < targets["net_warm_ms"], warm_ms=warm_all))
    return rows


if __name__ == "__main__":
    import json
    import tempfile

    def _row(num, name, value, reference, target, ok, **data):
        return {"row": num, "measure": name, "result": value, "reference": reference, "target": target,
                "status": "n/a" if ok is None else ("PASS" if ok else "FAIL")}

    def _pct(values, q):
        ordered = sorted(values)
        return ordered[max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))]

    with tempfile.TemporaryDirectory() as d:
        for r in network_rows(d, "--quick" in sys.argv, _row, _pct, {"net50_p95_ms": 1500.0, "net_warm_ms": 50.0}):
            print(json.dumps(r, ensure_ascii=False))
