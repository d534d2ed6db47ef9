"""One small cache interface: Redis when ``REDIS_URL`` is set, in-process otherwise.

The cache is never the system of record: losing it only costs a recomputation.
Both implementations behave the same (tests/backend/core/test_cache.py runs the same
cases against each).
"""

import math
import time
from typing import Protocol, cast

import redis.asyncio as redis


class Cache(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, *, ttl_seconds: float | None = None) -> None: ...

    async def get_many(self, *keys: str) -> list[str | None]:
        """Several values in one round trip, in the order of ``keys``."""
        ...

    async def add(self, key: str, value: str, *, ttl_seconds: float | None = None) -> bool:
        """Set ``key`` only if it is missing; True if it was set."""
        ...

    async def delete(self, *keys: str) -> int: ...

    async def incr(self, key: str, *, ttl_seconds: float) -> int:
        """Add one; the first increment starts a window that expires after ``ttl_seconds``."""
        ...

    async def ttl(self, key: str) -> float | None:
        """Seconds until ``key`` expires; None if it is missing or never expires."""
        ...

    async def zadd(self, key: str, mapping: dict[str, float]) -> int:
        """Set members' scores in the sorted set ``key``; returns how many were new."""
        ...

    async def zrem(self, key: str, *members: str) -> int:
        """Remove members; returns how many were there."""
        ...

    async def zscore(self, key: str, member: str) -> float | None: ...

    async def zcard(self, key: str) -> int:
        """Number of members (0 when the key is missing)."""
        ...

    async def zrevrange_with_scores(
        self, key: str, start: int, stop: int
    ) -> list[tuple[str, float]]:
        """Members by score, highest first (equal scores: member descending, as Redis does);
        ``start``/``stop`` are inclusive ranks, negative counts from the end."""
        ...

    async def ping(self) -> None:
        """Raise if the cache cannot be reached."""
        ...

    async def close(self) -> None: ...


class MemoryCache:
    """Single-process cache with the same expiry semantics as Redis."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        # Sorted sets never expire here (nor in RedisCache: no TTL is ever set on them).
        self._zsets: dict[str, dict[str, float]] = {}

    def _live(self, key: str) -> tuple[str, float | None] | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires_at = entry[1]
        if expires_at is not None and expires_at <= time.monotonic():
            del self._data[key]
            return None
        return entry

    async def get(self, key: str) -> str | None:
        entry = self._live(key)
        return entry[0] if entry else None

    async def set(self, key: str, value: str, *, ttl_seconds: float | None = None) -> None:
        expires_at = None if ttl_seconds is None else time.monotonic() + ttl_seconds
        self._data[key] = (value, expires_at)

    async def get_many(self, *keys: str) -> list[str | None]:
        return [entry[0] if (entry := self._live(key)) else None for key in keys]

    async def add(self, key: str, value: str, *, ttl_seconds: float | None = None) -> bool:
        if self._live(key) is not None:
            return False
        await self.set(key, value, ttl_seconds=ttl_seconds)
        return True

    async def delete(self, *keys: str) -> int:
        removed = 0
        for key in keys:
            if self._live(key) is not None:
                del self._data[key]
                removed += 1
            elif self._zsets.pop(key, None) is not None:
                removed += 1
        return removed

    async def incr(self, key: str, *, ttl_seconds: float) -> int:
        entry = self._live(key)
        if entry is None:
            self._data[key] = ("1", time.monotonic() + ttl_seconds)
            return 1
        value = int(entry[0]) + 1
        self._data[key] = (str(value), entry[1])
        return value

    async def ttl(self, key: str) -> float | None:
        entry = self._live(key)
        if entry is None or entry[1] is None:
            return None
        return entry[1] - time.monotonic()

    async def zadd(self, key: str, mapping: dict[str, float]) -> int:
        zset = self._zsets.setdefault(key, {})
        added = sum(1 for member in mapping if member not in zset)
        zset.update({member: float(score) for member, score in mapping.items()})
        if not zset:
            del self._zsets[key]
        return added

    async def zrem(self, key: str, *members: str) -> int:
        zset = self._zsets.get(key)
        if zset is None:
            return 0
        removed = sum(1 for member in members if zset.pop(member, None) is not None)
        if not zset:
            del self._zsets[key]
        return removed

    async def zscore(self, key: str, member: str) -> float | None:
        return self._zsets.get(key, {}).get(member)

    async def zcard(self, key: str) -> int:
        return len(self._zsets.get(key, {}))

    async def zrevrange_with_scores(
        self, key: str, start: int, stop: int
    ) -> list[tuple[str, float]]:
        ordered = sorted(self._zsets.get(key, {}).items(), key=lambda item: (item[1], item[0]))
        ordered.reverse()
        size = len(ordered)
        first = start + size if start < 0 else start
        last = stop + size if stop < 0 else stop
        first, last = max(first, 0), min(last, size - 1)
        return ordered[first : last + 1] if first <= last else []

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        self._data.clear()
        self._zsets.clear()


class RedisCache:
    """Every key gets ``prefix``, so environments (and test runs) can share one Redis."""

    def __init__(self, url: str, *, prefix: str = "") -> None:
        self._redis = redis.from_url(
            url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2
        )
        self._prefix = prefix

    async def get(self, key: str) -> str | None:
        return cast(str | None, await self._redis.get(self._prefix + key))  # decoded

    async def set(self, key: str, value: str, *, ttl_seconds: float | None = None) -> None:
        px = None if ttl_seconds is None else max(1, math.ceil(ttl_seconds * 1000))
        await self._redis.set(self._prefix + key, value, px=px)

    async def get_many(self, *keys: str) -> list[str | None]:
        if not keys:
            return []
        return cast(list[str | None], await self._redis.mget([self._prefix + k for k in keys]))

    async def add(self, key: str, value: str, *, ttl_seconds: float | None = None) -> bool:
        px = None if ttl_seconds is None else max(1, math.ceil(ttl_seconds * 1000))
        return bool(await self._redis.set(self._prefix + key, value, px=px, nx=True))

    async def delete(self, *keys: str) -> int:
        if not keys:
            return 0
        return int(await self._redis.delete(*(self._prefix + key for key in keys)))

    async def incr(self, key: str, *, ttl_seconds: float) -> int:
        px = max(1, math.ceil(ttl_seconds * 1000))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(self._prefix + key)
            pipe.pexpire(self._prefix + key, px, nx=True)
            value, _ = await pipe.execute()
        return int(value)

    async def ttl(self, key: str) -> float | None:
        remaining_ms = int(await self._redis.pttl(self._prefix + key))
        return remaining_ms / 1000 if remaining_ms >= 0 else None

    async def zadd(self, key: str, mapping: dict[str, float]) -> int:
        if not mapping:
            return 0
        return int(cast(int, await self._redis.zadd(self._prefix + key, mapping)))

    async def zrem(self, key: str, *members: str) -> int:
        if not members:
            return 0
        return int(await self._redis.zrem(self._prefix + key, *members))

    async def zscore(self, key: str, member: str) -> float | None:
        score = await self._redis.zscore(self._prefix + key, member)
        return None if score is None else float(score)

    async def zcard(self, key: str) -> int:
        return int(await self._redis.zcard(self._prefix + key))

    async def zrevrange_with_scores(
        self, key: str, start: int, stop: int
    ) -> list[tuple[str, float]]:
        rows = cast(
            list[tuple[str, float]],
            await self._redis.zrevrange(self._prefix + key, start, stop, withscores=True),
        )
        return [(str(member), float(score)) for member, score in rows]

    async def ping(self) -> None:
        await self._redis.ping()

    async def close(self) -> None:
        await self._redis.aclose()


def create_cache(redis_url: str | None, *, prefix: str = "") -> Cache:
    return RedisCache(redis_url, prefix=prefix) if redis_url else MemoryCache()
