"""Measurements that run in a process of their own (so imports, caches and memory of one
do not leak into another). `bench/run.py` starts them and reads one JSON line from stdout.

    python bench/workers.py throughput FILE_LIST [--rounds N] [--warmup WARM_LIST]
    python bench/workers.py memory FILE
"""
from __future__ import annotations

import json
import sys
import time


def _floor(raw: bytes) -> int:
    """The parse floor: what any mail tool must do at least. compat32 parse, the four headers
    every verdict needs, every text part's transfer and charset decoding."""
    import email
    import email.policy
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    n = 0
    for name in ("From", "Subject", "Date", "Message-ID"):
        n += len(str(msg.get(name, "")))
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        data = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        try:
            text = data.decode(charset, "replace")
        except LookupError:
            text = data.decode("utf-8", "replace")
        n += len(text)
    return n


def _read_all(list_file: str) -> tuple[list[str], list[bytes]]:
    with open(list_file, encoding="utf-8") as fh:
        paths = [line.strip() for line in fh if line.strip()]
    raws = []
    for p in paths:
        with open(p, "rb") as fh:
            raws.append(fh.read())
    return paths, raws


def throughput(list_file: str, rounds: int, warmup_file: str | None = None) -> dict:
    """Alternating floor and full offline analysis on one core, `rounds` passes; best pass of each.

    Warmed up on *other* mail (warmup_file), so that what is built once (knowledge tables,
    automata, databases) is built before timing, while the caches keyed by content (host names,
    labels, header values) hold only what other mail put there: a second pass over the same
    mails would find every one of its own strings cached, which no archive scan does.
    """
    paths, raws = _read_all(list_file)
    warm = _read_all(warmup_file)[1] if warmup_file else raws[:1]
    from tsuribari.analyze import Analyzer
    from tsuribari.config import load
    analyzer = Analyzer(load(None, {"network": {"enabled": False}}))
    for raw in warm:
        analyzer.analyze(raw)
        _floor(raw)
    # Floor and full analysis alternate message by message, so both see the same machine:
    # a burst of other work slows them alike and their ratio holds.
    floor_runs, full_runs = [], []
    errors = 0
    slowest: list[tuple[float, str]] = []
    per_ms: list[float] = []
    clock, cpu = time.perf_counter, time.process_time
    for r in range(rounds):
        fw = fc = aw = ac = 0.0
        per: list[tuple[float, str]] = []
        for path, raw in zip(paths, raws):
            t0, c0 = clock(), cpu()
            _floor(raw)
            t1, c1 = clock(), cpu()
            try:
                analyzer.analyze(raw)
            except Exception:
                errors += 1
            t2, c2 = clock(), cpu()
            fw += t1 - t0
            fc += c1 - c0
            aw += t2 - t1
            ac += c2 - c1
            per.append((t2 - t1, path))
        floor_runs.append((fw, fc))
        full_runs.append((aw, ac))
        if r == 0:
            per.sort(reverse=True)
            slowest = per[:5]
            per_ms = sorted(x[0] * 1000 for x in per)
    best_floor = min(floor_runs)
    best_full = min(full_runs)
    n = len(raws)
    return {
        "messages": n, "bytes": sum(map(len, raws)), "rounds": rounds, "errors": errors,
        "floor_wall_s": [round(x[0], 3) for x in floor_runs], "floor_cpu_s": [round(x[1], 3) for x in floor_runs],
        "full_wall_s": [round(x[0], 3) for x in full_runs], "full_cpu_s": [round(x[1], 3) for x in full_runs],
        "floor_msgs_s": round(n / best_floor[0], 1), "full_msgs_s": round(n / best_full[0], 1),
        "floor_msgs_s_cpu": round(n / min(x[1] for x in floor_runs), 1),
        "full_msgs_s_cpu": round(n / min(x[1] for x in full_runs), 1),
        "ratio": round(best_full[0] / best_floor[0], 2),
        "ratio_cpu": round(min(x[1] for x in full_runs) / min(x[1] for x in floor_runs), 2),
        "per_message_ms": {"p50": round(per_ms[len(per_ms) // 2], 2), "p95": round(per_ms[int(len(per_ms) * 0.95)], 2),
                           "max": round(per_ms[-1], 1)},
        "slowest": [{"ms": round(t * 1000, 1), "file": p} for t, p in slowest],
    }


def memory(path: str) -> dict:
    """Peak RSS of one offline analysis in a fresh process, and the RSS before the mail was read."""
    from tsuribari.analyze import Analyzer
    from tsuribari.config import load
    analyzer = Analyzer(load(None, {"network": {"enabled": False}}))
    analyzer.analyze(b"From: a@example.com\nSubject: warm\n\nwarm up\n")
    before_kb = _rss_kb()
    hwm_before = _rss_kb("VmHWM:")
    with open(path, "rb") as fh:
        raw = fh.read()
    t0 = time.perf_counter()
    result = analyzer.analyze(raw)
    took = time.perf_counter() - t0
    peak_kb = _rss_kb("VmHWM:")   # ru_maxrss would include the parent's peak from before exec
    return {"bytes": len(raw), "rss_before_mb": round(before_kb / 1024, 1),
            "peak_before_mb": round(hwm_before / 1024, 1), "peak_mb": round(peak_kb / 1024, 1),
            "seconds": round(took, 3), "verdict": result["verdict"],
            "links": len(result["facts"].get("links", [])), "attachments": len(result["facts"].get("attachments", [])),
            "limits_hit": result["facts"].get("limits_hit", [])}


def _rss_kb(key: str = "VmRSS:") -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "throughput":
        rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 1
        warmup = sys.argv[sys.argv.index("--warmup") + 1] if "--warmup" in sys.argv else None
        out = throughput(sys.argv[2], rounds, warmup)
    elif kind == "memory":
        out = memory(sys.argv[2])
    else:
        raise SystemExit(f"unknown worker {kind}")
    sys.stdout.write(json.dumps(out) + "\n")
