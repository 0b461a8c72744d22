"""Run one hostile case in a fresh process and print what the tests need as one JSON line.

A fresh process per case makes peak RSS (ru_maxrss) a per-input number and
keeps one case's garbage from counting against the next.

    python tests/hostile/run_case.py NAME [SCALE]
"""
from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # Linux: KiB


def main(name: str, scale: float = 1.0) -> dict:
    from hostile.generate import build
    from hostile.oracle import caught_exceptions
    from tsuribari.analyze import Analyzer
    from tsuribari.config import load

    analyzer = Analyzer(load(None, {"network": {"enabled": False}}))
    analyzer.analyze(b"Subject: warm-up\r\n\r\nhttp://a.example/\r\n")   # lazy imports and data load
    base = rss_mb()
    raw = build(name, scale)
    started = time.perf_counter()
    result = analyzer.analyze(raw)
    seconds = time.perf_counter() - started
    text = json.dumps(result, ensure_ascii=False, allow_nan=False)
    return {"name": name, "bytes": len(raw), "seconds": round(seconds, 3), "base_rss_mb": round(base, 1),
            "peak_rss_mb": round(rss_mb(), 1), "verdict": result["verdict"], "score": result["score"],
            "limits_hit": result["facts"]["limits_hit"], "problems": result["facts"]["problems"],
            "caught_exceptions": caught_exceptions(result),
            "json_bytes": len(text.encode("utf-8")), "links": len(result["facts"]["links"]),
            "hops": len(result["facts"]["hops"]), "attachments": len(result["facts"]["attachments"])}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 1.0), ensure_ascii=False))
