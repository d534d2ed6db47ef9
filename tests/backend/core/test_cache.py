"""The same behaviour from both cache implementations: in-process and real Redis.

``make test`` sets TEST_REDIS_URL, so the Redis cases always run there; a plain
``pytest`` without it fails those cases rather than silently skipping them.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.exceptions

from backend.core.cache import Cache, MemoryCache, RedisCache


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[Cache]:
    if request.param == "memory":
        implementation: Cache = MemoryCache()
    else:
        url = os.environ.get("TEST_REDIS_URL")
        assert url, "set TEST_REDIS_URL (make test does) to test the Redis cache"
        implementation = RedisCache(url)
    yield implementation
    await implementation.close()


@pytest.fixture
def key() -> str:
    return f"test:{uuid.uuid4().hex}"


async def test_get_returns_what_was_set(cache: Cache, key: str) -> None:
    assert await cache.get(key) is None
    await cache.set(key, "菜单 menu")
    assert await cache.get(key) == "菜单 menu"
    await cache.delete(key)


async def test_set_overwrites(cache: Cache, key: str) -> None:
    await cache.set(key, "a")
    await cache.set(key, "b")
    assert await cache.get(key) == "b"
    await cache.delete(key)


async def test_value_expires_after_ttl(cache: Cache, key: str) -> None:
    await cache.set(key, "v", ttl_seconds=0.2)
    assert await cache.get(key) == "v"
    remaining = await cache.ttl(key)
    assert remaining is not None
    assert 0 < remaining <= 0.2
    await asyncio.sleep(0.3)
    assert await cache.get(key) is None
    assert await cache.ttl(key) is None


async def test_no_ttl_means_no_expiry(cache: Cache, key: str) -> None:
    await cache.set(key, "v")
    assert await cache.ttl(key) is None
    assert await cache.get(key) == "v"
    await cache.delete(key)


async def test_get_many_in_order_with_missing_keys(cache: Cache, key: str) -> None:
    await cache.set(f"{key}:a", "1")
    await cache.set(f"{key}:c", "3", ttl_seconds=0.2)
    assert await cache.get_many(f"{key}:a", f"{key}:b", f"{key}:c") == ["1", None, "3"]
    assert await cache.get_many() == []
    await asyncio.sleep(0.3)
    assert await cache.get_many(f"{key}:c", f"{key}:a") == [None, "1"]
    await cache.delete(f"{key}:a")


async def test_add_sets_only_a_missing_key(cache: Cache, key: str) -> None:
    assert await cache.add(key, "first", ttl_seconds=0.2) is True
    assert await cache.add(key, "second", ttl_seconds=5) is False
    assert await cache.get(key) == "first"
    remaining = await cache.ttl(key)
    assert remaining is not None
    assert remaining <= 0.2  # the refused add left the expiry alone
    await asyncio.sleep(0.3)
    assert await cache.add(key, "after expiry") is True
    assert await cache.get(key) == "after expiry"
    await cache.delete(key)


async def test_delete_counts_only_existing_keys(cache: Cache, key: str) -> None:
    await cache.set(key, "v")
    assert await cache.delete(key, f"{key}:missing") == 1
    assert await cache.get(key) is None
    assert await cache.delete(key) == 0
    assert await cache.delete() == 0


async def test_incr_counts_within_one_window(cache: Cache, key: str) -> None:
    assert [await cache.incr(key, ttl_seconds=0.3) for _ in range(3)] == [1, 2, 3]
    # later increments do not extend the window
    remaining = await cache.ttl(key)
    assert remaining is not None
    assert remaining <= 0.3
    await asyncio.sleep(0.4)
    assert await cache.incr(key, ttl_seconds=0.3) == 1
    await cache.delete(key)


async def test_ping(cache: Cache) -> None:
    await cache.ping()


async def test_unreachable_redis_fails_loudly() -> None:
    unreachable = RedisCache("redis://127.0.0.1:1/0")
    with pytest.raises(redis.exceptions.ConnectionError):
        await unreachable.ping()
    await unreachable.close()


async def test_sorted_set_add_update_and_score(cache: Cache, key: str) -> None:
    assert await cache.zcard(key) == 0
    assert await cache.zscore(key, "a") is None
    assert await cache.zadd(key, {"a": 4.25, "b": 3.5}) == 2
    assert await cache.zadd(key, {"a": 4.5, "c": 1.0}) == 1  # a updated, c new
    assert await cache.zscore(key, "a") == 4.5
    assert await cache.zcard(key) == 3
    assert await cache.zadd(key, {}) == 0
    await cache.delete(key)


async def test_sorted_set_ranges_highest_first(cache: Cache, key: str) -> None:
    await cache.zadd(key, {"north": 4.1, "south": 4.7, "b7": 3.9, "b3": 4.1})
    # equal scores: member descending, as Redis orders them
    everything = [("south", 4.7), ("north", 4.1), ("b3", 4.1), ("b7", 3.9)]
    assert await cache.zrevrange_with_scores(key, 0, -1) == everything
    assert await cache.zrevrange_with_scores(key, 0, 1) == everything[:2]
    assert await cache.zrevrange_with_scores(key, -2, -1) == everything[2:]
    assert await cache.zrevrange_with_scores(key, 1, 100) == everything[1:]
    assert await cache.zrevrange_with_scores(key, 5, 10) == []
    assert await cache.zrevrange_with_scores(f"{key}:missing", 0, -1) == []
    await cache.delete(key)


async def test_sorted_set_remove_and_delete(cache: Cache, key: str) -> None:
    await cache.zadd(key, {"a": 1.0, "b": 2.0})
    assert await cache.zrem(key, "a", "missing") == 1
    assert await cache.zrem(key) == 0
    assert await cache.zrevrange_with_scores(key, 0, -1) == [("b", 2.0)]
    assert await cache.delete(key) == 1  # delete removes a sorted set like any key
    assert await cache.zcard(key) == 0
    assert await cache.zrem(key, "b") == 0
