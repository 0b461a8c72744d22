"""Findings → score and level, with the calibrated intercept and thresholds.

score = 100 · sigmoid(intercept + Σ weights). The weights are log-odds,
fitted by `tsuribari calibrate` (see data/weights.json), so the score reads
as an estimated probability of phishing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .model import Finding


@dataclass(frozen=True)
class Scale:
    intercept: float = -3.0
    suspicious: float = 40.0
    phishing: float = 80.0


@lru_cache(maxsize=1)
def default_scale() -> Scale:
    try:
        doc = json.loads(resources.files("tsuribari").joinpath("data", "weights.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Scale()
    th = doc.get("thresholds", {})
    return Scale(intercept=float(doc.get("intercept", -3.0)), suspicious=float(th.get("suspicious", 40.0)),
                 phishing=float(th.get("phishing", 80.0)))


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per id (the first, which carries the strongest evidence), heaviest first."""
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.id, f)
    return sorted(seen.values(), key=lambda f: (-f.weight, f.id))


def score(findings: list[Finding], scale: Scale) -> int:
    total = scale.intercept + sum(f.weight for f in findings)
    total = max(-50.0, min(50.0, total))
    return int(round(100.0 / (1.0 + math.exp(-total))))


def level(value: int, scale: Scale, suspicious: float | None = None, phishing: float | None = None) -> str:
    if value >= (phishing if phishing is not None else scale.phishing):
        return "phishing"
    if value >= (suspicious if suspicious is not None else scale.suspicious):
        return "suspicious"
    return "safe"
