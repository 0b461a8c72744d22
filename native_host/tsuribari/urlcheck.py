"""The link checks on single phishing URLs: how many does Tsuribari call suspicious from the URL alone?

Input: the JPCERT/CC phishing URL list (`date,url,brand`). Each URL becomes a mail with
nothing but that one link (no sender, no text), and only the checks that read links run.
A URL counts as *suspicious* when at least one phishing-indicator finding fires on it;
*would flag a mail* when those findings alone lift an otherwise empty mail to the
suspicious threshold; the brand is *named* when a brand finding names the brand JPCERT
recorded (mapped through the `jpcert` names in data/brands.json).

    python -m tsuribari.urlcheck ../shared/corpora/urls/jpcert_phishurl_all.csv [--sample N]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from .checks import brand, brand_host, links, url_path, url_shape
from .checks.context import build_context
from .findings import default_catalog
from .knowledge import default_knowledge
from .model import Facts
from .parse.links import make_link
from .verdict import default_scale, score

LINK_CHECKS = (links.ip_literal_hosts, links.shorteners, links.punycode_hosts, links.credential_words,
               brand.link_brand_outside_domain, brand.lookalike_domains) + url_shape.CHECKS + brand_host.CHECKS + url_path.CHECKS


def judge(url: str) -> tuple[list[str], list[str], int]:
    """(finding ids, brand ids named, score of a mail holding only this link)."""
    link = make_link(url)
    if link is None:
        return [], [], 0
    kb, catalog = default_knowledge(), default_catalog()
    ctx = build_context(Facts(links=[link]), kb, catalog)
    found = []
    for check in LINK_CHECKS:
        try:
            found.extend(check(ctx))
        except Exception:   # an odd URL must not stop a 250,000-URL run
            continue
    positive = [f for f in found if f.weight > 0]
    brands = set()
    for f in found:
        if f.evidence.get("brand"):
            brands.add(f.evidence["brand"])
        for item in f.evidence.get("links", []) or []:
            if isinstance(item, dict) and item.get("brand"):
                brands.add(item["brand"])
    return sorted({f.id for f in positive}), sorted(brands), score(positive, default_scale())


def _judge_row(row: tuple[str, str]) -> tuple[str, list[str], list[str], int]:
    url, brand_name = row
    ids, brands, value = judge(url)
    return brand_name, ids, brands, value


def brand_index() -> dict[str, set[str]]:
    """JPCERT brand string (lower-case) → catalogued brand ids."""
    out: dict[str, set[str]] = {}
    for entry in json.loads(_brands_text()).get("brands", []):
        for name in entry.get("jpcert", []) or []:
            out.setdefault(name.strip().lower(), set()).add(entry["id"])
    return out


def _brands_text() -> str:
    from importlib import resources
    return resources.files("tsuribari").joinpath("data", "brands.json").read_text(encoding="utf-8")


def read_rows(path: str, sample: int = 0) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = [((r.get("url") or "").strip(), (r.get("brand") or "").strip()) for r in csv.DictReader(fh)]
    rows = [r for r in rows if r[0]]
    if sample and sample < len(rows):
        step = len(rows) / sample          # every k-th row: deterministic and spread over all years
        rows = [rows[int(i * step)] for i in range(sample)]
    return rows


def run(rows: list[tuple[str, str]], jobs: int = 2) -> dict:
    if jobs > 1 and len(rows) > 2000:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_judge_row, rows, chunksize=500))
    else:
        results = [_judge_row(r) for r in rows]
    index = brand_index()
    threshold = default_scale().suspicious
    ids_count: Counter = Counter()
    per_brand: dict[str, list[int]] = {}
    suspicious = flagging = mapped = named = 0
    missed_examples: list[str] = []
    for (url, _), (brand_name, ids, brands, value) in zip(rows, results):
        ids_count.update(ids)
        wanted = index.get(brand_name.lower(), set())
        is_named = bool(wanted & set(brands))
        suspicious += bool(ids)
        flagging += value >= threshold
        mapped += bool(wanted)
        named += is_named
        stats = per_brand.setdefault(brand_name, [0, 0, 0])
        stats[0] += 1
        stats[1] += bool(ids)
        stats[2] += is_named
        if not ids and len(missed_examples) < 40:
            missed_examples.append(url[:120])
    n = len(rows) or 1
    top_brands = sorted(per_brand.items(), key=lambda kv: (-kv[1][0], kv[0]))[:40]
    return {
        "urls": len(rows),
        "suspicious": round(suspicious / n, 4),
        "would_flag_mail_alone": round(flagging / n, 4),
        "brand_mapped": round(mapped / n, 4),
        "brand_named": round(named / n, 4),
        "brand_named_of_mapped": round(named / max(mapped, 1), 4),
        "findings": {k: round(v / n, 4) for k, v in sorted(ids_count.items(), key=lambda kv: -kv[1])},
        "per_brand": {k: {"urls": v[0], "suspicious": round(v[1] / v[0], 3), "named": round(v[2] / v[0], 3)}
                      for k, v in top_brands},
        "missed_examples": missed_examples,
    }


def ham_links(dirs: list[str]) -> dict:
    """The same judgement on every link of the labelled legitimate mail: the price of the URL checks."""
    from .corpus import load_labels
    from .parse.message import parse_mail
    mails = flagged_mails = 0
    urls: dict[str, bool] = {}
    per_finding: Counter = Counter()
    for folder in dirs:
        for item in load_labels(folder):
            if item.label != "ham":
                continue
            with open(item.path, "rb") as fh:
                facts = parse_mail(fh.read())
            mails += 1
            hit = False
            for link in facts.links[:200]:
                if link.source not in ("text", "html-a", "html-text") or link.url in urls and not urls[link.url]:
                    continue
                if link.url not in urls:
                    ids = judge(link.url)[0]
                    urls[link.url] = bool(ids)
                    per_finding.update(ids)
                hit = hit or urls[link.url]
            flagged_mails += hit
    return {"ham_mails": mails, "ham_mails_with_a_suspicious_link": round(flagged_mails / max(mails, 1), 4),
            "ham_links": len(urls), "ham_links_suspicious": round(sum(urls.values()) / max(len(urls), 1), 4),
            "ham_link_findings": dict(sorted(per_finding.items(), key=lambda kv: -kv[1]))}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tsuribari.urlcheck", description=__doc__.split("\n\n")[0])
    p.add_argument("csv")
    p.add_argument("--sample", type=int, default=0, help="every k-th URL, N in all (0 = every URL)")
    p.add_argument("--out", default="")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--ham", nargs="*", default=[], help="labelled corpus folders whose ham links are judged too")
    args = p.parse_args(argv)
    if not os.path.isfile(args.csv):
        print(f"urlcheck: {args.csv} not found; skipping", file=sys.stderr)
        return 0
    rows = read_rows(args.csv, args.sample)
    started = time.perf_counter()
    rep = run(rows, args.jobs)
    rep["elapsed_s"] = round(time.perf_counter() - started, 1)
    print(f"{rep['urls']} URLs in {rep['elapsed_s']} s")
    print(f"  suspicious from the URL alone: {100 * rep['suspicious']:.1f}%  (target ≥ 90%)")
    print(f"  findings alone reach the suspicious level: {100 * rep['would_flag_mail_alone']:.1f}%")
    print(f"  imitated brand named: {100 * rep['brand_named']:.1f}% of all, "
          f"{100 * rep['brand_named_of_mapped']:.1f}% of the {100 * rep['brand_mapped']:.1f}% whose brand is catalogued")
    print("  findings: " + ", ".join(f"{k} {100 * v:.1f}%" for k, v in rep["findings"].items()))
    print("  per brand (urls, suspicious, named):")
    for name, s in list(rep["per_brand"].items())[:25]:
        print(f"    {name[:28]:28} {s['urls']:6} {100 * s['suspicious']:5.1f}% {100 * s['named']:5.1f}%")
    print("  not called suspicious, e.g.: " + "  ".join(rep["missed_examples"][:15]))
    if args.ham:
        rep["ham"] = ham_links(args.ham)
        h = rep["ham"]
        print(f"  legitimate mail: {100 * h['ham_links_suspicious']:.1f}% of {h['ham_links']} distinct links called "
              f"suspicious; {100 * h['ham_mails_with_a_suspicious_link']:.1f}% of {h['ham_mails']} ham mails have one "
              f"({', '.join(f'{k} {v}' for k, v in h['ham_link_findings'].items())})")
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(rep, fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
