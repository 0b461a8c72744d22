"""`tsuribari eval`: detection figures on labelled corpora, every error listed for a person to read.

Per corpus and per stratum: phish flagged (suspicious or phishing), ham flagged,
phish and ham at level phishing, the score distribution, the findings that fire
most on each label, and each flagged ham / missed phish with its top findings.
The numbers also go to a JSON file (eval/latest.json) so runs can be compared.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter

from .corpus import Labelled, Outcome, analyse_all, load_labels

SETS = ("dev", "ham2-dev")
FLAGGED = ("suspicious", "phishing")
TARGETS = {"phish_flagged": 0.97, "ja_phish_flagged": 0.99, "ham_flagged": 0.01, "ham_phishing": 0.002}


def corpora_root() -> str:
    """$TSURIBARI_CORPORA, else ../shared/corpora beside the repository."""
    env = os.environ.get("TSURIBARI_CORPORA")
    if env:
        return env
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(os.path.dirname(repo), "shared", "corpora")


def default_dirs() -> list[str]:
    return [os.path.join(corpora_root(), name) for name in SETS]


def collect(dirs: list[str], labels: str | None = None) -> list[Labelled]:
    items: list[Labelled] = []
    for folder in dirs:
        items.extend(load_labels(folder, labels if len(dirs) == 1 else None))
    return items


def _rate(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def _quantiles(values: list[int]) -> dict[str, int]:
    if not values:
        return {}
    s = sorted(values)
    pick = lambda q: s[min(len(s) - 1, int(q * (len(s) - 1) + 0.5))]
    return {"min": s[0], "p10": pick(0.1), "p25": pick(0.25), "median": pick(0.5), "p75": pick(0.75),
            "p90": pick(0.9), "max": s[-1]}


def _histogram(values: list[int]) -> list[int]:
    """Counts per score decile 0-9, 10-19, …, 90-100."""
    bins = [0] * 10
    for v in values:
        bins[min(9, v // 10)] += 1
    return bins


def summarise(outcomes: list[Outcome]) -> dict:
    phish = [o for o in outcomes if o.item.label == "phish" and not o.error]
    ham = [o for o in outcomes if o.item.label == "ham" and not o.error]
    out: dict = {"n": len(outcomes), "phish": len(phish), "ham": len(ham),
                 "errors": sum(1 for o in outcomes if o.error)}
    for name, group in (("phish", phish), ("ham", ham)):
        if not group:
            continue
        flagged = sum(1 for o in group if o.verdict in FLAGGED)
        at_phishing = sum(1 for o in group if o.verdict == "phishing")
        scores = [o.score for o in group]
        ids = Counter(fid for o in group for fid in set(o.ids))
        out[name + "_flagged"] = _rate(flagged, len(group))
        out[name + "_phishing"] = _rate(at_phishing, len(group))
        out[name + "_flagged_n"] = flagged
        out[name + "_phishing_n"] = at_phishing
        out[name + "_scores"] = _quantiles(scores)
        out[name + "_histogram"] = _histogram(scores)
        out[name + "_top_findings"] = [[fid, c, round(c / len(group), 3)] for fid, c in
                                       sorted(ids.items(), key=lambda kv: (-kv[1], kv[0]))[:8]]
    return out


def _error_row(o: Outcome) -> dict:
    return {"file": f"{o.item.corpus}/{o.item.filename}", "stratum": o.item.stratum, "lang": o.item.lang,
            "score": o.score, "verdict": o.verdict, "top": [f"{fid}({w:+.1f})" for fid, w in o.findings[:5]],
            "subject": o.subject[:90]}


def report(outcomes: list[Outcome]) -> dict:
    by_set: dict[str, list[Outcome]] = {}
    by_stratum: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_set.setdefault(o.item.corpus, []).append(o)
        by_stratum.setdefault(f"{o.item.label}:{o.item.stratum}", []).append(o)
    ja_phish = [o for o in outcomes if o.item.label == "phish" and o.item.lang == "ja"]
    return {
        "overall": summarise(outcomes),
        "ja_phish": summarise(ja_phish),
        "sets": {k: summarise(v) for k, v in sorted(by_set.items())},
        "strata": {k: summarise(v) for k, v in sorted(by_stratum.items())},
        "ham_flagged": [_error_row(o) for o in sorted(outcomes, key=lambda o: -o.score)
                        if o.item.label == "ham" and o.verdict in FLAGGED],
        "phish_missed": [_error_row(o) for o in sorted(outcomes, key=lambda o: o.score)
                         if o.item.label == "phish" and o.verdict not in FLAGGED],
        "errors": [{"file": f"{o.item.corpus}/{o.item.filename}", "error": o.error} for o in outcomes if o.error],
        # one short line per message, so two runs can be compared with a plain diff
        "messages": {f"{o.item.corpus}/{o.item.filename}": f"{o.item.label} {o.score} {o.verdict} {','.join(sorted(o.ids))}"
                     for o in outcomes},
    }


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def _spread(q: dict) -> str:
    """p10/median/p90 of the scores, e.g. ' 22/ 99/100'."""
    return "/".join(f"{q[k]:>3}" for k in ("p10", "median", "p90")) if q else f"{'-':>11}"


def _row(name: str, s: dict) -> str:
    return (f"  {name:28} {s['phish']:5} {_pct(s.get('phish_flagged'))} {_pct(s.get('phish_phishing'))}"
            f"   {s['ham']:5} {_pct(s.get('ham_flagged'))} {_pct(s.get('ham_phishing'))}"
            f"   {_spread(s.get('phish_scores', {}))} {_spread(s.get('ham_scores', {}))}")


def print_report(rep: dict, out=sys.stdout, quiet: bool = False) -> None:
    w = out.write
    w(f"  {'':28} {'phish':>5} {'flag':>6} {'phish':>6}   {'ham':>5} {'flag':>6} {'phish':>6}   "
      f"{'phish p10/med/p90':>11} {'ham p10/med/p90':>11}\n")
    w(_row("ALL", rep["overall"]) + "\n")
    w(_row("japanese phish", rep["ja_phish"]) + "\n")
    for name, s in rep["sets"].items():
        w(_row(f"set {name}", s) + "\n")
    for name, s in rep["strata"].items():
        w(_row(f"  {name}", s) + "\n")
    o = rep["overall"]
    w("\nscore histogram (deciles 0-9 … 90-100)\n")
    for label in ("phish", "ham"):
        if label + "_histogram" in o:
            w(f"  {label:6} {o[label + '_histogram']}  quantiles {o[label + '_scores']}\n")
    w("\nfindings that fire most\n")
    for group, s in [("ALL", o)] + [(f"set {k}", v) for k, v in rep["sets"].items()]:
        for label in ("phish", "ham"):
            if s.get(label + "_top_findings"):
                w(f"  {group} {label}: " + ", ".join(f"{fid} {100 * r:.0f}%" for fid, _, r in s[label + "_top_findings"]) + "\n")
    w("\ntargets: phish flagged ≥ 97% (ja ≥ 99%), ham flagged ≤ 1%, ham at phishing ≤ 0.2%\n")
    w(f"  phish flagged {_pct(o.get('phish_flagged'))}  ja {_pct(rep['ja_phish'].get('phish_flagged'))}  "
      f"ham flagged {_pct(o.get('ham_flagged'))}  ham at phishing {_pct(o.get('ham_phishing'))}\n")
    if quiet:
        return
    for key, title in (("ham_flagged", "ham flagged"), ("phish_missed", "phish missed")):
        rows = rep[key]
        w(f"\n{title} ({len(rows)})\n")
        for r in rows:
            w(f"  {r['score']:3} {r['verdict']:10} {r['file']:26} {r['stratum']:16} {' '.join(r['top'])}\n")
            if r["subject"]:
                w(f"      subject: {r['subject']}\n")
    for e in rep["errors"]:
        w(f"  ERROR {e['file']}: {e['error']}\n")


def main(args) -> int:
    dirs = args.dirs or default_dirs()
    items = collect(dirs, getattr(args, "labels", None))
    if not items:
        print(f"tsuribari eval: no labelled corpora found in {', '.join(dirs)}; skipping", file=sys.stderr)
        return 0
    started = time.perf_counter()
    outcomes = analyse_all(items)
    elapsed = time.perf_counter() - started
    rep = report(outcomes)
    rep["elapsed_s"] = round(elapsed, 1)
    rep["dirs"] = [os.path.basename(os.path.normpath(d)) for d in dirs]
    print_report(rep, quiet=args.quiet)
    print(f"\n{len(outcomes)} messages in {elapsed:.1f} s ({len(outcomes) / max(elapsed, 1e-6):.0f}/s)")
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(rep, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
        print(f"figures written to {args.out}")
    return 0
