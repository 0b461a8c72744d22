"""`make bench-profile`: where the time goes, with pyinstrument (installed into .venv by the
bench targets). Writes artifacts/bench/{offline,cold}.{txt,html} and importtime.txt, and
prints the hottest functions (own time) of each.

    .venv/bin/python bench/profile.py [--corpus DIR] [--limit N]
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = REPO / "artifacts" / "bench"
SEED = REPO / "tests" / "fixtures" / "mail" / "kagoya-active-mail.eml"
sys.path.insert(0, str(BENCH))

COLD_SCRIPT = r'''
import base64, io, json, struct, sys
from pyinstrument import Profiler
profiler = Profiler(interval=0.0002)
profiler.start()
seed = open(sys.argv[1], "rb").read()
req = {"id": 1, "type": "analyze", "raw_b64": base64.b64encode(seed).decode(), "options": {"offline": True}}
data = json.dumps(req).encode()
from tsuribari.cli import main   # what the console script imports first
from tsuribari.host import serve
serve(io.BytesIO(struct.pack("=I", len(data)) + data), io.BytesIO())
profiler.stop()
if len(sys.argv) > 2:
    out = sys.argv[2]
    open(out + ".txt", "w").write(profiler.output_text(unicode=True, color=False, show_all=False))
    open(out + ".html", "w").write(profiler.output_html())
    sys.__stdout__.write(profiler.output_text(unicode=True, color=False, flat=True, show_all=True))
'''


def _save(profiler, name: str) -> str:
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    (OUT / f"{name}.txt").write_text(text, encoding="utf-8")
    (OUT / f"{name}.html").write_text(profiler.output_html(), encoding="utf-8")
    return profiler.output_text(unicode=True, color=False, flat=True, show_all=True)


def offline(files: list[str]) -> str:
    from pyinstrument import Profiler
    from tsuribari.analyze import Analyzer
    from tsuribari.config import load
    raws = [Path(f).read_bytes() for f in files]
    analyzer = Analyzer(load(None, {"network": {"enabled": False}}))
    analyzer.analyze(raws[0])
    p = Profiler(interval=0.0005)
    p.start()
    for raw in raws:
        analyzer.analyze(raw)
    p.stop()
    return _save(p, "offline")


def cold(tmp: str) -> str:
    """The host's first verdict in a fresh interpreter, profiled from the first import."""
    script = os.path.join(tmp, "cold.py")
    Path(script).write_text(COLD_SCRIPT, encoding="utf-8")
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "c"), XDG_CACHE_HOME=os.path.join(tmp, "k"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "native_host" / "tsuribari")], check=False)
    subprocess.run([sys.executable, script, str(SEED)], env=env, check=True)   # bytecode written
    out = subprocess.run([sys.executable, script, str(SEED), str(OUT / "cold")], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-500:])
    imp = subprocess.run([sys.executable, "-X", "importtime", script, str(SEED)], env=env, capture_output=True, text=True)
    rows = []
    for line in imp.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), int(parts[0].split(":")[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    (OUT / "importtime.txt").write_text(
        "cumulative_us  self_us  module\n" + "\n".join(f"{c:>12}  {s:>7}  {m}" for c, s, m in rows), encoding="utf-8")
    return out.stdout


def top(flat: str, n: int) -> str:
    lines = [l for l in flat.splitlines() if l[:1].isdigit() and "[self]" not in l]
    return "\n".join(lines[:n])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpora" / "dev")
    ap.add_argument("--limit", type=int, default=400)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tsuribari-profile-") as tmp:
        if args.corpus.is_dir():
            files = sorted(str(p) for p in args.corpus.iterdir() if p.suffix == ".eml")
        else:
            from gen_corpus import write_corpus
            files = write_corpus(os.path.join(tmp, "corpus"), args.limit)
        files = files[:: max(1, len(files) // args.limit)][: args.limit]
        print(f"== offline path: {len(files)} mails, hottest functions (own time) ==")
        print(top(offline(files), 20))
        print("\n== host cold start → first verdict: hottest functions (own time) ==")
        print(top(cold(tmp), 20))
    print(f"\nfull trees: {OUT}/offline.txt, {OUT}/cold.txt (and .html); imports: {OUT}/importtime.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
