"""Time and peak memory of every hostile case, one fresh process each (`make hostile-bench`).

The goal is under GOAL_S seconds per input on a 2-core machine; the tests only
assert the 10 s "never hangs" line, so a slowdown shows up here first.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
GOAL_S = 3.0


def main() -> int:
    from hostile.generate import CASES
    print(f"{'case':30} {'MB in':>7} {'seconds':>8} {'peak RSS MB':>12}  limits hit")
    slow = 0
    for case in CASES:
        out = subprocess.run([sys.executable, str(HERE / "run_case.py"), case.name], capture_output=True, text=True)
        if out.returncode:
            print(f"{case.name:30} CRASH {out.stderr.strip().splitlines()[-1:]}")
            slow += 1
            continue
        r = json.loads(out.stdout.splitlines()[-1])
        mark = "  << over goal" if r["seconds"] > GOAL_S else ""
        slow += r["seconds"] > GOAL_S
        print(f"{case.name:30} {r['bytes'] / 2**20:7.2f} {r['seconds']:8.3f} {r['peak_rss_mb']:12.1f}  "
              f"{'; '.join(r['limits_hit'])[:90]}{mark}")
    print(f"goal: every input under {GOAL_S} s — {'met' if not slow else f'{slow} over'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
