"""On-disk cache of lookup results (SQLite), with per-record TTL and a size bound.

Analysing the same or a related mail again must cost no network, so DNS
answers, RDAP records and reputation verdicts are kept here with the TTL
their source gave (DNS) or a default. Values are JSON.

The cache is an optimisation and must never stop an analysis: a corrupt,
locked, read-only or missing-directory file switches this object to a
bounded in-memory dict for the rest of its life and records why in
`problems`. Only lookup results are stored (issue 6: nothing else from a
mail reaches the disk); the file is created 0600.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..config import Config, user_cache_dir

MAX_VALUE_BYTES = 256 * 1024      # one RDAP record is a few KiB; more is not worth keeping
MAX_TTL_S = 7 * 86400             # even a week-long DNS TTL is re-checked after a week
PRUNE_EVERY = 200                 # puts between sweeps of expired/excess rows
LOCK_WAIT_S = 0.2                 # another process holding the file: degrade, don't wait

R = TypeVar("R")


def record_from_cache(cls: type[R], value: Any, **fixed: Any) -> R | None:
    """A dataclass record rebuilt from its cached dict (unknown keys dropped; `fixed` fields set
    from the request, not the file); None when the value is no such record."""
    if not isinstance(value, dict):
        return None
    try:
        rec = cls(**{k: v for k, v in value.items() if k in cls.__dataclass_fields__})
    except TypeError:
        return None
    for name, v in fixed.items():
        setattr(rec, name, v)
    return rec


_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    expires REAL NOT NULL,
    stored REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_expires ON entries(expires);
"""


def default_cache_path(config: Config | None = None) -> Path:
    if config is not None and config.cache.path:
        return Path(config.cache.path).expanduser()
    return user_cache_dir() / "lookups.sqlite"


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    puts: int = 0


@dataclass
class _Memory:
    """The degraded store: LRU-bounded, process-lifetime only."""
    max_entries: int
    data: OrderedDict[str, tuple[float, str]] = field(default_factory=OrderedDict)


class LookupCache:
    """get(key) -> JSON value or None; put(key, value, ttl_s). Thread-safe."""

    def __init__(self, path: str | os.PathLike[str] | None, max_entries: int = 50_000,
                 default_ttl_s: int = 3600, clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path) if path else None
        self.max_entries = max(10, int(max_entries))
        self.default_ttl_s = max(1, int(default_ttl_s))
        self.problems: list[str] = []
        self.stats = CacheStats()
        self._clock = clock
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._mem: _Memory | None = None
        self._puts_since_prune = 0
        if self.path is None:
            self._mem = _Memory(self.max_entries)
        else:
            self._open()

    @classmethod
    def from_config(cls, config: Config) -> "LookupCache":
        return cls(default_cache_path(config), config.cache.max_entries, config.cache.default_ttl_s)

    @property
    def degraded(self) -> bool:
        return self._mem is not None and self.path is not None

    def _open(self) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                # Create it private before SQLite does (lookups name what the user received).
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            db = sqlite3.connect(str(self.path), timeout=LOCK_WAIT_S, check_same_thread=False,
                                 isolation_level=None)
            # WAL + NORMAL: a commit is an append, not an fsync, so a cold run's
            # thirty puts cost milliseconds.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            db.execute("SELECT count(*) FROM entries").fetchone()
            self._db = db
        except (sqlite3.Error, OSError) as exc:
            self._degrade(f"cannot open {self.path}", exc)

    def _degrade(self, what: str, exc: BaseException) -> None:
        self.problems.append(f"lookup cache: {what} ({type(exc).__name__}: {exc}); "
                             "using a memory-only cache for this run")
        self._close_db()
        if self._mem is None:
            self._mem = _Memory(self.max_entries)

    def get(self, key: str) -> Any:
        now = self._clock()
        with self._lock:
            raw = self._get_raw(key, now)
        if raw is None:
            self.stats.misses += 1
            return None
        try:
            value = json.loads(raw)
        except ValueError:
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return value

    def _get_raw(self, key: str, now: float) -> str | None:
        if self._db is not None:
            try:
                row = self._db.execute("SELECT value, expires FROM entries WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._degrade("read failed", exc)
            else:
                if row is None or row[1] <= now:
                    return None
                return row[0]
        if self._mem is not None:
            item = self._mem.data.get(key)
            if item is None or item[0] <= now:
                return None
            self._mem.data.move_to_end(key)
            return item[1]
        return None

    def put(self, key: str, value: Any, ttl: int | float | None = None) -> None:
        try:
            raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError):
            return  # not JSON: the caller's bug, but never the analysis's failure
        if len(raw) > MAX_VALUE_BYTES:
            return
        ttl_s = self.default_ttl_s if ttl is None else ttl
        ttl_s = min(max(1.0, float(ttl_s)), MAX_TTL_S)
        now = self._clock()
        with self._lock:
            self.stats.puts += 1
            if self._db is not None:
                try:
                    self._db.execute("INSERT OR REPLACE INTO entries(key, value, expires, stored) VALUES (?,?,?,?)",
                                     (key, raw, now + ttl_s, now))
                    self._puts_since_prune += 1
                    if self._puts_since_prune >= PRUNE_EVERY:
                        self._prune(now)
                    return
                except sqlite3.Error as exc:
                    self._degrade("write failed", exc)
            if self._mem is not None:
                self._mem.data[key] = (now + ttl_s, raw)
                self._mem.data.move_to_end(key)
                while len(self._mem.data) > self._mem.max_entries:
                    self._mem.data.popitem(last=False)

    def _prune(self, now: float) -> None:
        assert self._db is not None
        self._puts_since_prune = 0
        self._db.execute("DELETE FROM entries WHERE expires <= ?", (now,))
        (count,) = self._db.execute("SELECT count(*) FROM entries").fetchone()
        if count > self.max_entries:
            # Drop the entries closest to expiry: the least useful to keep.
            self._db.execute("DELETE FROM entries WHERE key IN (SELECT key FROM entries "
                             "ORDER BY expires LIMIT ?)", (count - self.max_entries,))

    def prune(self) -> None:
        with self._lock:
            if self._db is not None:
                try:
                    self._prune(self._clock())
                except sqlite3.Error as exc:
                    self._degrade("prune failed", exc)

    def _close_db(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    def close(self) -> None:
        with self._lock:
            self._close_db()
