"""The lookup cache: TTL, bound, and degraded operation on a bad file."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tsuribari.config import Config
from tsuribari.intel import cache as cache_mod
from tsuribari.intel.cache import LookupCache, default_cache_path


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_put_get_and_ttl_expiry(tmp_path: Path) -> None:
    clock = Clock()
    c = LookupCache(tmp_path / "c.sqlite", clock=clock)
    c.put("dns:A:sgogoj.com", {"records": ["8.217.61.41"], "ttl": 600}, 600)
    assert c.get("dns:A:sgogoj.com") == {"records": ["8.217.61.41"], "ttl": 600}
    clock.now += 599
    assert c.get("dns:A:sgogoj.com") is not None
    clock.now += 2
    assert c.get("dns:A:sgogoj.com") is None
    assert c.stats.hits == 2 and c.stats.misses == 1
    assert c.problems == []


def test_persists_across_instances_and_is_private(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.sqlite"
    LookupCache(path).put("k", [1, "二"], 100)
    assert LookupCache(path).get("k") == [1, "二"]
    assert (os.stat(path).st_mode & 0o077) == 0


def test_default_ttl_and_clamps(tmp_path: Path) -> None:
    clock = Clock()
    c = LookupCache(tmp_path / "c.sqlite", default_ttl_s=50, clock=clock)
    c.put("a", 1)
    c.put("b", 2, 0)          # zero/negative TTL still lives a second, never forever
    c.put("c", 3, 10**12)     # absurd TTL is clamped to a week
    clock.now += 2
    assert c.get("a") == 1 and c.get("b") is None
    clock.now += cache_mod.MAX_TTL_S
    assert c.get("c") is None


def test_non_json_and_oversized_values_are_ignored(tmp_path: Path) -> None:
    c = LookupCache(tmp_path / "c.sqlite")
    c.put("x", object())
    c.put("y", "z" * (cache_mod.MAX_VALUE_BYTES + 1))
    assert c.get("x") is None and c.get("y") is None


def test_bounded_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_mod, "PRUNE_EVERY", 5)
    c = LookupCache(tmp_path / "c.sqlite", max_entries=10)
    for i in range(40):
        c.put(f"k{i}", i, 100 + i)
    c.prune()
    (count,) = sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT count(*) FROM entries").fetchone()
    assert count <= 10
    assert c.get("k39") == 39     # the longest-lived survive


def test_corrupt_file_degrades_to_memory(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 200)
    c = LookupCache(path)
    assert c.degraded and "memory-only" in c.problems[0]
    c.put("k", {"v": 1}, 100)
    assert c.get("k") == {"v": 1}
    assert path.read_bytes().startswith(b"this is not")   # never overwrites the user's file


def test_locked_file_degrades(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first = LookupCache(path)
    first.put("k", 1, 100)
    first.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        c = LookupCache(path)
        c.put("k2", 2, 100)
        assert c.get("k2") == 2
        assert c.degraded and any("locked" in p for p in c.problems)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_unwritable_directory_degrades(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    c = LookupCache(blocker / "c.sqlite")       # parent is a file: cannot mkdir
    assert c.degraded
    c.put("k", 1, 10)
    assert c.get("k") == 1


def test_memory_only_is_bounded() -> None:
    c = LookupCache(None, max_entries=10)
    for i in range(30):
        c.put(f"k{i}", i, 100)
    assert c.get("k0") is None and c.get("k29") == 29
    assert not c.degraded


def test_default_path_follows_config(tmp_path: Path) -> None:
    cfg = Config()
    cfg.cache.path = str(tmp_path / "x.sqlite")
    assert default_cache_path(cfg) == tmp_path / "x.sqlite"
    assert default_cache_path(Config()).name == "lookups.sqlite"
