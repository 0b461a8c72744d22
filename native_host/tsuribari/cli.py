"""tsuribari analyze | scan | host | eval | calibrate"""
from __future__ import annotations

import argparse
import json
import os
import sys

from . import __version__


def _config(args: argparse.Namespace):
    from .config import load
    overrides = {"network": {"enabled": False}} if getattr(args, "offline", False) else None
    return load(getattr(args, "config", None), overrides)


def cmd_analyze(args: argparse.Namespace) -> int:
    from .analyze import Analyzer
    try:
        raw = sys.stdin.buffer.read() if args.file == "-" else open(args.file, "rb").read()
    except OSError as exc:
        print(f"tsuribari: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    config = _config(args)
    lang = args.lang or config.analysis.lang
    for problem in config.problems:
        print(f"tsuribari: config: {problem}", file=sys.stderr)
    result = Analyzer(config).analyze(raw, markdown_lang=lang if args.markdown else None)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.markdown:
        sys.stdout.write(result["markdown"])
    else:
        from .render.text import render_text
        sys.stdout.write(render_text(result, lang, colour=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    from .scan import scan
    return scan(args.paths, _config(args), jobs=args.jobs, jsonl=args.jsonl)


def cmd_host(args: argparse.Namespace) -> int:
    from .host import serve
    return serve(sys.stdin.buffer, sys.stdout.buffer, config_path=args.config)


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import main as eval_main
    return eval_main(args)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from .calibrate import main as calibrate_main
    return calibrate_main(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tsuribari", description="Dissect a suspicious mail like an analyst.")
    p.add_argument("--version", action="version", version=f"tsuribari {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse one message (.eml file or - for stdin)")
    a.add_argument("file")
    fmt = a.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="the JSON result (the contract)")
    fmt.add_argument("--markdown", action="store_true", help="analyst-style write-up, URLs defanged")
    a.add_argument("--lang", choices=("ja", "en"))
    a.add_argument("--offline", action="store_true", help="no network lookups at all")
    a.add_argument("--config", help="TOML configuration file")
    a.set_defaults(func=cmd_analyze)

    s = sub.add_parser("scan", help="analyse every message under PATH (dir of .eml, mbox, Maildir)")
    s.add_argument("paths", nargs="+")
    s.add_argument("--jsonl", action="store_true", help="one JSON object per line (the default on a pipe)")
    s.add_argument("--offline", action="store_true")
    s.add_argument("--jobs", type=int, default=1)
    s.add_argument("--config")
    s.set_defaults(func=cmd_scan)

    h = sub.add_parser("host", help="native-messaging host (stdio), started by Thunderbird")
    h.add_argument("--config")
    h.add_argument("extra", nargs="*", help=argparse.SUPPRESS)   # Thunderbird passes manifest path and add-on id
    h.set_defaults(func=cmd_host)

    e = sub.add_parser("eval", help="measure detection on labelled corpora")
    e.add_argument("dirs", nargs="*")
    e.add_argument("--labels")
    e.add_argument("--out", default="eval/latest.json")
    e.add_argument("--quiet", action="store_true")
    e.set_defaults(func=cmd_eval)

    c = sub.add_parser("calibrate", help="fit weights and thresholds on labelled corpora")
    c.add_argument("dirs", nargs="*")
    c.add_argument("--out", default=None)
    c.set_defaults(func=cmd_calibrate)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Thunderbird starts the host as `<launcher> <manifest path> <extension id>`.
    if argv and (argv[0].endswith(".json") or argv[0].startswith("{")):
        argv = ["host"]
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
