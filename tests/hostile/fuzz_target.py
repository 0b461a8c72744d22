"""atheris target for `make fuzz`: parse_mail + every check (Analyzer, offline), and the host's framing.

    python tests/hostile/fuzz_target.py [libFuzzer flags] WORKDIR SEEDDIR   # fuzz
    python tests/hostile/fuzz_target.py --report STATS.json [LOG]           # print the numbers

A crash is any exception, an invalid verdict, a result that is not strict JSON,
an exception the analysis caught and turned into a problem (hostile/oracle.py),
or a socket being opened (the analysis is offline; the guard raises). A hang is
libFuzzer's -timeout. libFuzzer leaves by exit() without running Python's
atexit, so the numbers (count, slowest input, peak RSS) are written to the stats
file as they change rather than at the end.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import resource
import socket
import struct
import sys
import time
from pathlib import Path

STATS = Path(os.environ.get("TSURIBARI_FUZZ_STATS", ".fuzz/stats.json"))


def report(path: Path, log: Path | None) -> int:
    """The closing numbers: libFuzzer's own run count and peak RSS, our slowest input."""
    import re
    s = json.loads(path.read_text())
    runs, seconds, rss = s["count"], s["seconds"], s["peak_rss_mb"]
    if log and log.exists():
        text = log.read_text(errors="replace")
        done = re.search(r"^Done (\d+) runs in (\d+) second", text, re.M)
        peak = re.search(r"^stat::peak_rss_mb:\s+(\d+)", text, re.M)
        if done:
            runs, seconds = int(done.group(1)), float(done.group(2))
        if peak:
            rss = max(rss, float(peak.group(1)))
    artifacts = sorted(p.name for p in (path.parent / "artifacts").glob("*"))
    crashes = [a for a in artifacts if not a.startswith(("timeout-", "slow-unit-"))]
    hangs = [a for a in artifacts if a.startswith("timeout-")]
    print(f"fuzz: {runs} inputs, {len(crashes)} crashes, {len(hangs)} hangs (per-input timeout); slowest input {s['slowest_s']:.3f} s "
          f"({s['slowest_len']} bytes, {s['slowest_file']}); peak RSS {rss:.0f} MB; {seconds:.0f} s; "
          f"≥{s['host_frames']} inputs went through the host framing")
    return 1 if artifacts else 0


class NetworkTouched(AssertionError):
    pass


def _no_network(*_args, **_kwargs):
    raise NetworkTouched("socket use during an offline analysis")


def main() -> None:
    import atheris

    for name in ("connect", "connect_ex", "sendto"):
        setattr(socket.socket, name, _no_network)
    socket.create_connection = _no_network
    socket.getaddrinfo = _no_network

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from hostile.oracle import check_result

    with atheris.instrument_imports(include=["tsuribari"]):
        from tsuribari import host as host_mod
        from tsuribari.analyze import Analyzer
        from tsuribari.config import load

    config = load(os.devnull, {"network": {"enabled": False}})
    analyzer = Analyzer(config)
    original_overrides = host_mod._overrides

    def offline_overrides(options):      # whatever a fuzzed request says, no network here
        out = original_overrides(options)
        out["network"] = {"enabled": False}
        return out

    host_mod._overrides = offline_overrides
    seed = Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "kagoya-active-mail.eml"
    analyzer.analyze(seed.read_bytes(), markdown_lang="ja")   # load data files now, not in the first timed input
    stats = {"count": 0, "host_frames": 0, "slowest_s": 0.0, "slowest_len": 0, "slowest_file": "",
             "peak_rss_mb": 0.0, "started": time.time(), "seconds": 0.0}
    STATS.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:
        stats["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stats["seconds"] = time.time() - stats["started"]
        STATS.write_text(json.dumps(stats))

    def one_mail(data: bytes) -> None:
        check_result(analyzer.analyze(data, markdown_lang="ja" if data[-1:] == b"\n" else None))

    def host_stream(data: bytes) -> None:
        # Bytes after the marker are the stdin of one host connection.
        out = io.BytesIO()
        if host_mod.serve(io.BytesIO(data), out) != 0:
            raise AssertionError("host did not exit 0 on EOF")
        sys.stdout = sys.__stdout__          # serve() points stdout at stderr; undo for libFuzzer's output
        buf, pos = out.getvalue(), 0
        while pos < len(buf):
            (n,) = struct.unpack("=I", buf[pos:pos + 4])
            if n > 1024 * 1024:
                raise AssertionError(f"frame of {n} bytes")
            json.loads(buf[pos + 4:pos + 4 + n].decode("utf-8"))
            pos += 4 + n
        stats["host_frames"] += 1

    def test_one_input(data: bytes) -> None:
        started = time.perf_counter()
        if data[:4] == b"\x00TSH":
            host_stream(data[4:])
        else:
            one_mail(data)
        elapsed = time.perf_counter() - started
        stats["count"] += 1
        if elapsed > stats["slowest_s"]:
            stats.update(slowest_s=elapsed, slowest_len=len(data))
            slow = STATS.parent / "slowest.eml"
            slow.write_bytes(data)
            stats["slowest_file"] = f"{slow} (sha256 {hashlib.sha256(data).hexdigest()[:12]})"
            save()
        elif stats["count"] % 250 == 0:
            save()

    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


def host_seeds(out: Path) -> None:
    """A few framed host sessions for the seed corpus (marker + frames)."""
    import base64
    seed = (Path(__file__).resolve().parents[1] / "fixtures" / "mail" / "kagoya-active-mail.eml").read_bytes()
    frames = [{"id": 1, "type": "ping"}, {"id": 2, "type": "analyze", "raw_b64": base64.b64encode(seed).decode(),
              "options": {"lang": "en", "markdown": True}}, {"id": "x", "type": "analyze", "raw_b64": "%%"}, [1], {}]
    body = b"".join(struct.pack("=I", len(b)) + b for b in (json.dumps(f).encode() for f in frames))
    (out / "host-session.bin").write_bytes(b"\x00TSH" + body + struct.pack("=I", 0) + struct.pack("=I", 2**31))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--report"]:
        sys.exit(report(Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None))
    if sys.argv[1:2] == ["--host-seeds"]:
        host_seeds(Path(sys.argv[2]))
        sys.exit(0)
    main()
