"""Finding texts and weights come from data files; checks only name an id.

`data/findings/*.json` maps each finding id to its category, default
weight and ja/en title and explanation (templates with {placeholders}
filled from the check's parameters). `data/weights.json`, written by the
calibration command, overrides the default weights.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .model import Finding

LANGS = ("ja", "en")


class _Lenient(dict):
    """A template missing a parameter prints it as '?' instead of raising (str.format_map: the
    same text as string.Formatter, several times faster)."""

    def __missing__(self, key):
        return "?"


@dataclass(frozen=True)
class Catalog:
    entries: dict[str, dict[str, Any]]
    weights: dict[str, float]

    def make(self, finding_id: str, evidence: dict[str, Any] | None = None, **params: Any) -> Finding:
        entry = self.entries[finding_id]
        weight = float(self.weights.get(finding_id, entry.get("weight", 0)))
        values = _Lenient(params)
        return Finding(
            id=finding_id,
            weight=weight,
            title={lang: entry["title"][lang].format_map(values) for lang in LANGS},
            explanation={lang: entry["explanation"][lang].format_map(values) for lang in LANGS},
            evidence=dict(evidence or {}),
            category=entry.get("category", ""),
        )


def _data_text(*parts: str) -> str:
    return resources.files("tsuribari").joinpath("data", *parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    entries: dict[str, dict[str, Any]] = {}
    folder = resources.files("tsuribari").joinpath("data", "findings")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            for fid, entry in json.loads(item.read_text(encoding="utf-8")).items():
                if fid in entries:
                    raise ValueError(f"finding id {fid} defined twice")
                entries[fid] = entry
    try:
        weights = json.loads(_data_text("weights.json")).get("weights", {})
    except FileNotFoundError:
        weights = {}
    return Catalog(entries=entries, weights=weights)
