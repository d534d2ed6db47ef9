"""Hot dorm reads (guidance search, articles, building info) through the cache interface.

Every entry lives under a *generation*: a random token stored at one key per family.
A write commits first and then replaces the token, so every entry written before it is
unreachable at once (and expires on its own); a reader that raced the write can only
store its stale answer under the old, unreachable generation.
"""

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from backend.core.cache import Cache

Family = Literal["guidance", "buildings"]
TTL_SECONDS = 300


def _gen_key(family: Family) -> str:
    return f"dorms:{family}:generation"


async def generation(cache: Cache, family: Family) -> str:
    token = await cache.get(_gen_key(family))
    if token is None:  # first use, or the cache lost it: start a fresh namespace
        token = uuid.uuid4().hex
        await cache.set(_gen_key(family), token)
    return token


async def invalidate(cache: Cache, family: Family) -> None:
    """Call after the write has committed."""
    await cache.set(_gen_key(family), uuid.uuid4().hex)


def digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:32]


async def cached_json(
    cache: Cache, family: Family, name: str, compute: Callable[[], Awaitable[Any]]
) -> Any:
    """The JSON value under ``name`` in the current generation, computed on a miss."""
    key = f"dorms:{family}:{await generation(cache, family)}:{name}"
    if (hit := await cache.get(key)) is not None:
        return json.loads(hit)
    value = await compute()
    await cache.set(key, json.dumps(value, ensure_ascii=False), ttl_seconds=TTL_SECONDS)
    return value
