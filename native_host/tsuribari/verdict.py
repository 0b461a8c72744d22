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
    decisive: frozenset[str] = frozenset()   # findings that alone make a mail at least suspicious


@lru_cache(maxsize=1)
def default_scale() -> Scale:
    try:
        doc = json.loads(resources.files("tsuribari").joinpath("data", "weights.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Scale()
    th = doc.get("thresholds", {})
    return Scale(intercept=float(doc.get("intercept", -3.0)), suspicious=float(th.get("suspicious", 40.0)),
                 phishing=float(th.get("phishing", 80.0)), decisive=frozenset(doc.get("decisive", [])))


# Findings that state the same fact from two sources (the recipient's header and our own
# lookup): counting both would weigh one fact twice, so only the first present of a group stays.
# The choice is by this order, never by weight: which findings a mail has must not depend on the
# weights, or calibrating (which fits weights to the findings) would not reproduce itself.
SAME_FACT = (
    ("auth.spf_fail", "auth.header_spf_fail"),
    ("auth.dmarc_fail", "auth.header_dmarc_fail"),
    ("auth.dkim_fail", "auth.header_dkim_fail"),
    ("auth.computed_aligned_pass", "auth.header_aligned_pass"),
    ("auth.dkim_none", "sender.brand_domain_unsigned"),
    ("brand.lookalike_domain", "brand.misspelt_in_host"),   # one host imitating the brand, two ways of seeing it
)


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per id (the first, which carries the strongest evidence), heaviest first."""
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.id, f)
    for group in SAME_FACT:
        present = [seen[i] for i in group if i in seen]
        if len(present) > 1:
            for f in present[1:]:
                del seen[f.id]
    return sorted(seen.values(), key=lambda f: (-f.weight, f.id))


def score(findings: list[Finding], scale: Scale) -> int:
    total = scale.intercept + sum(f.weight for f in findings)
    total = max(-50.0, min(50.0, total))
    return int(round(100.0 / (1.0 + math.exp(-total))))


def level(value: int, scale: Scale, suspicious: float | None = None, phishing: float | None = None,
          findings: list[Finding] = ()) -> str:
    if value >= (phishing if phishing is not None else scale.phishing):
        return "phishing"
    if value >= (suspicious if suspicious is not None else scale.suspicious):
        return "suspicious"
    # A finding that calibration saw only on phishing (e.g. a brand in the display name over a
    # stranger's address) is worth a warning on its own, whatever else the mail looks like.
    if any(f.id in scale.decisive for f in findings):
        return "suspicious"
    return "safe"
