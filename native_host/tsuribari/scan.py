"""tsuribari scan: every message under some paths, one JSON line each."""
from __future__ import annotations

import json
import mailbox
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator

from .config import Config

MAX_FILE = 64 * 1024 * 1024


def _is_mbox(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


def iter_messages(paths: list[str]) -> Iterator[tuple[str, bytes | None, str]]:
    """(source, raw bytes or None, error) for each message found."""
    for path in paths:
        if os.path.isdir(path) and all(os.path.isdir(os.path.join(path, d)) for d in ("cur", "new")):
            md = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(md.keys()):
                try:
                    yield f"{path}#{key}", md.get_bytes(key), ""
                except (OSError, KeyError) as exc:
                    yield f"{path}#{key}", None, str(exc)
        elif os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.lower().endswith((".eml", ".msg", ".txt")) or name.isdigit():
                        yield from iter_messages([os.path.join(root, name)])
        elif _is_mbox(path):
            box = mailbox.mbox(path, create=False)
            for i, key in enumerate(box.keys()):
                try:
                    yield f"{path}#{i}", box.get_bytes(key), ""
                except (OSError, KeyError) as exc:
                    yield f"{path}#{i}", None, str(exc)
        else:
            try:
                size = os.path.getsize(path)
                if size > MAX_FILE:
                    yield path, None, f"file larger than {MAX_FILE} bytes"
                    continue
                with open(path, "rb") as fh:
                    yield path, fh.read(), ""
            except OSError as exc:
                yield path, None, exc.strerror or str(exc)


_WORKER = None


def _init_worker(config: Config) -> None:
    global _WORKER   # one Analyzer per worker process, loaded once
    from .analyze import Analyzer
    _WORKER = Analyzer(config)


def _analyze_one(item: tuple[str, bytes | None, str]) -> dict:
    source, raw, error = item
    if raw is None:
        return {"source": source, "error": error}
    try:
        result = _WORKER.analyze(raw)
    except Exception as exc:
        return {"source": source, "error": f"{type(exc).__name__}: {exc}"}
    return {"source": source, **result}


def scan(paths: list[str], config: Config, jobs: int = 1, jsonl: bool = True) -> int:
    out = sys.stdout
    progress = sys.stderr.isatty()
    count = 0
    if jobs <= 1:
        _init_worker(config)
        results = map(_analyze_one, iter_messages(paths))
        pool = None
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(config,))
        results = pool.map(_analyze_one, iter_messages(paths), chunksize=8)
    try:
        for result in results:
            count += 1
            if jsonl or not out.isatty():
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
            else:
                verdict = result.get("verdict", "error")
                out.write(f"{verdict:10} {result.get('score', '-'):>3}  {result['source']}\n")
            if progress and count % 10 == 0:
                sys.stderr.write(f"\r{count} messages")
    finally:
        if pool:
            pool.shutdown()
        if progress:
            sys.stderr.write(f"\r{count} messages\n")
    return 0
