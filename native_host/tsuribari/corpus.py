"""Labelled corpora for `tsuribari eval` and `tsuribari calibrate`: reading labels, analysing offline.

A corpus folder holds .eml files and a labels.csv (`filename,label,source,notes`;
notes are `key=value` pairs separated by `;`, e.g. `stratum=nazario;lang=ja`).
Analysis is offline only, so a run is reproducible and never touches the live
URLs the phishing samples carry.
"""
from __future__ import annotations

import csv
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

MAX_FILE = 16 * 1024 * 1024


@dataclass(frozen=True)
class Labelled:
    path: str
    corpus: str          # folder name, e.g. "dev"
    filename: str
    label: str           # phish | ham
    stratum: str
    lang: str
    notes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Outcome:
    item: Labelled
    score: int = 0
    verdict: str = "error"
    findings: list[tuple[str, float]] = field(default_factory=list)   # (id, weight), heaviest first
    sender: str = ""     # registrable domain of From, for grouping campaigns
    subject: str = ""
    error: str = ""

    @property
    def ids(self) -> list[str]:
        return [fid for fid, _ in self.findings]


def parse_notes(text: str) -> dict[str, str]:
    out = {}
    for part in (text or "").split(";"):
        key, sep, value = part.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def load_labels(folder: str, labels_file: str | None = None) -> list[Labelled]:
    """The labelled messages of one folder ([] when the folder or its labels are absent)."""
    labels_file = labels_file or os.path.join(folder, "labels.csv")
    if not os.path.isdir(folder) or not os.path.isfile(labels_file):
        return []
    corpus = os.path.basename(os.path.normpath(folder))
    out = []
    with open(labels_file, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("filename") or "").strip()
            label = (row.get("label") or "").strip().lower()
            if not name or label not in ("phish", "ham"):
                continue
            notes = parse_notes(row.get("notes", ""))
            out.append(Labelled(path=os.path.join(folder, name), corpus=corpus, filename=name, label=label,
                                stratum=notes.get("stratum", "?"), lang=notes.get("lang", "?"), notes=notes))
    return out


_WORKER = None


def _init_worker() -> None:
    global _WORKER   # one Analyzer per worker process: knowledge and texts load once
    from .analyze import Analyzer
    from .config import load
    _WORKER = Analyzer(load(None, {"network": {"enabled": False}}))


def analyse_one(item: Labelled) -> Outcome:
    out = Outcome(item=item)
    try:
        if os.path.getsize(item.path) > MAX_FILE:
            out.error = "file too large"
            return out
        with open(item.path, "rb") as fh:
            raw = fh.read()
        result = _WORKER.analyze(raw)
    except Exception as exc:   # one broken sample must not stop the run; it is reported as an error
        out.error = f"{type(exc).__name__}: {str(exc)[:200]}"
        return out
    out.score, out.verdict = int(result["score"]), result["verdict"]
    out.findings = [(f["id"], float(f["weight"])) for f in result["findings"]]
    sender = result["facts"]["sender"]
    out.sender = sender["from"].get("registrable") or sender["from"].get("domain") or ""
    out.subject = sender.get("subject", "")[:200]
    return out


def analyse_all(items: list[Labelled], jobs: int = 2) -> list[Outcome]:
    """Outcomes in the order of items; 2 worker processes by default (the machine has 2 cores)."""
    if jobs <= 1 or len(items) < 50:
        _init_worker()
        return [analyse_one(i) for i in items]
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker) as pool:
        return list(pool.map(analyse_one, items, chunksize=16))


_SUBJECT_NOISE = re.compile(r"[\d０-９]+|[^\w]+")


def subject_key(subject: str) -> str:
    """Subject without digits and punctuation: mails of one campaign differ mostly in numbers."""
    text = re.sub(r"^\s*((re|fw|fwd|aw)\s*:\s*)+", "", subject.lower())
    return _SUBJECT_NOISE.sub("", text)[:80]
