"""What every lookup of one gather() run shares: config, cache, log, clients.

One object per analysis, passed explicitly (no module-level state): the
lookup log that ends up in the verdict's `lookups`, the cache, the DNS
resolver, the local IP database, and an HTTP session created only when a
service actually needs one (so a DNS-only run opens no HTTP connection).
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..config import Config
from ..model import Lookup
from .cache import LookupCache
from .geo import GeoDB
from .http import make_session

if TYPE_CHECKING:
    import aiohttp

MAX_LOOKUPS_LOGGED = 1000


@dataclass
class IntelContext:
    config: Config
    cache: LookupCache
    lookups: list[Lookup]
    geo: GeoDB
    resolver: Any = None                      # helper-3's Resolver
    clock: Callable[[], float] = time.time    # wall clock, for ages and feed freshness
    executor: ThreadPoolExecutor | None = None
    _session: "aiohttp.ClientSession | None" = field(default=None, repr=False)

    def session(self) -> "aiohttp.ClientSession":
        if self._session is None or self._session.closed:
            self._session = make_session(self.config)
        return self._session

    def thread_pool(self) -> ThreadPoolExecutor:
        # Our own pool (not asyncio's default one): asyncio.run() waits for the
        # default pool at exit, which would let a stuck ipwhois call outlive
        # the budget. This one is shut down without waiting.
        if self.executor is None:
            self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tsuribari-rdap")
        return self.executor

    def log(self, kind: str, target: str, status: str, ms: float = 0.0, detail: str = "") -> None:
        if len(self.lookups) < MAX_LOOKUPS_LOGGED:
            self.lookups.append(Lookup(kind=kind, target=target[:260], status=status,
                                       ms=round(ms, 1), detail=detail[:300]))

    async def aclose(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = None
