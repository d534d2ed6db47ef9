"""Cached reads that one write makes unreachable at once: a family under a *generation*.

Every entry of a family (the meals reads, dorm guidance, building info) is stored under the
family's current generation, a random token at one key. A write commits first and then
bumps the family (a new token): every entry stored before it is unreachable at once and
expires on its own. A reader that loaded old rows just before the write can only store them
under the old generation, where nobody looks any more (deleting keys instead would let it
put stale data back). A lost (or expired) token starts a fresh namespace.

A family can be as small as one row (``Family(f"repairs:ticket:{id}", …)``): then its
token expires with its entries (``ttl_seconds``), so idle rows leave no keys behind.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import TypeAdapter

from backend.core.cache import Cache

T = TypeVar("T")
JSON: TypeAdapter[Any] = TypeAdapter(Any)  # for values that are plain JSON already


@dataclass(frozen=True)
class Family:
    name: str  # "meals", "dorms:guidance"
    ttl_seconds: float = 300.0  # bound on staleness if a bump is ever lost
    token_expires: bool = False  # many small families: the token lives as long as an entry

    @property
    def key(self) -> str:
        """Where the current generation is (core.ready's generation key for ready bytes)."""
        return f"{self.name}:generation"

    async def generation(self, cache: Cache) -> str:
        token = await cache.get(self.key)
        if token is None:  # first use, or the cache lost it: start a fresh namespace
            token = uuid.uuid4().hex
            await cache.set(self.key, token, ttl_seconds=self._token_ttl)
        return token

    async def bump(self, cache: Cache) -> None:
        """Call after the write has committed."""
        await cache.set(self.key, uuid.uuid4().hex, ttl_seconds=self._token_ttl)

    @property
    def _token_ttl(self) -> float | None:
        return self.ttl_seconds if self.token_expires else None

    async def cached(
        self, cache: Cache, name: str, adapter: TypeAdapter[T], load: Callable[[], Awaitable[T]]
    ) -> T:
        """The value of ``name`` in the current generation, loaded and stored on a miss."""
        where = f"{self.name}:{await self.generation(cache)}:{name}"  # read before loading
        if (raw := await cache.get(where)) is not None:
            return adapter.validate_json(raw)
        value = await load()
        await cache.set(where, adapter.dump_json(value).decode(), ttl_seconds=self.ttl_seconds)
        return value
