"""Platform send limits, shared by every worker through the app cache (Redis when set).

A limit of L sends in any W-second span is kept with fixed windows on the cache's atomic
counter: time is cut into windows of W/parts seconds (aligned to the wall clock, so every
worker agrees), each allowing L // (parts + 2) sends. Windows never overlap and a W-second
span touches at most parts + 1 of them; the platform counts a send when it arrives, which
may be up to one window after it started (a slow request, a busy worker), so a span sees
sends from at most parts + 2 windows and never more than L — unlike one W-window of L,
which lets 2L through around a window edge.

A send takes a place in the first window with room (the current one, else a later one) and
waits for it; a wait longer than ``max_wait`` raises RetryLater for exactly that long, and
the place stays reserved under ``reservation`` (a notice's delivery), so the dispatcher's
retry sends at once instead of queueing again. ``scale`` shortens every window, for tests
only (settings refuse it outside development).
"""

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from backend.core.cache import Cache
from backend.notify.senders import RetryLater

# A send starts no later than this far into its window, so a slow request still lands in it.
LATEST_START = 0.9
HORIZON = 10_000  # windows looked ahead for a place (hours of backlog at WeCom's pace)


@dataclass(frozen=True)
class Pace:
    limit: int
    window_seconds: float
    parts: int = 1

    @property
    def per_part(self) -> int:
        return max(1, self.limit // (self.parts + 2))


class Pacer:
    def __init__(
        self, cache: Cache, *, scale: float = 1.0, clock: Callable[[], float] = time.time
    ) -> None:
        self._cache = cache
        self._scale = scale
        self._clock = clock

    def part_seconds(self, pace: Pace) -> float:
        return pace.window_seconds * self._scale / pace.parts

    async def acquire(
        self, key: str, pace: Pace, *, max_wait: float, reservation: str | None = None
    ) -> None:
        """Return inside a window where one more send under ``key`` keeps to ``pace``."""
        part = self.part_seconds(pace)
        now = self._clock()
        current = math.floor(now / part)
        window = await self._reserved(reservation, current) if reservation else None
        if window is None:
            window = await self._place(key, pace, current, part)
        wait = window * part - now
        while 0 < wait <= max_wait:
            await asyncio.sleep(wait)
            max_wait -= wait
            now = self._clock()
            if now < (window + LATEST_START) * part:
                return
            # Woken too late (a busy process): the send could land in the next window and
            # count against it; queue again.
            window = await self._place(key, pace, math.floor(now / part), part)
            wait = window * part - now
        if wait <= 0:
            return
        if reservation:
            await self._cache.set(f"pace-slot:{reservation}", str(window), ttl_seconds=wait + part)
        raise RetryLater(f"{key.split(':', 1)[0]} send limit: queued {wait:.1f} s", wait)

    async def _reserved(self, reservation: str, current: int) -> int | None:
        """The window reserved earlier, if it has not passed (a late retry queues anew)."""
        kept = await self._cache.get(f"pace-slot:{reservation}")
        if kept is None or int(kept) < current:
            return None
        await self._cache.delete(f"pace-slot:{reservation}")
        return int(kept)

    async def _place(self, key: str, pace: Pace, current: int, part: float) -> int:
        for window in range(current, current + HORIZON):
            ahead = window - current
            count = await self._cache.incr(f"pace:{key}:{window}", ttl_seconds=(ahead + 2) * part)
            if count <= pace.per_part:
                return window
        raise RetryLater(f"{key.split(':', 1)[0]} send queue is full", HORIZON * part)
