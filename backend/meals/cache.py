"""Hot meal reads (a day's menus, the canteens, the meal plans) through the cache interface.

Values are JSON strings under ``meals:<generation>:<name>`` with a short TTL. Every write to
canteens, dishes or menus bumps the generation *after* its commit, so the next read misses
and reloads. A bump instead of deleting keys: one dish edit changes every day's menus it is
on, and a reader that loaded old rows just before a write can only store them under the old
generation, where nobody looks any more (deleting would let it put stale data back). Writes
are rare (a few per canteen per day), reads many, so invalidating all meal reads is cheap.
"""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TypeVar

from pydantic import TypeAdapter

from backend.core.cache import Cache
from backend.meals.schemas import CanteenInfo, MealPlanInfo, MenuPublic

T = TypeVar("T")
TTL_SECONDS = 300.0  # bound on staleness if an invalidation is ever lost
GENERATION_KEY = "meals:generation"
# The counter outlives every value by far: when it expires and restarts from zero, the
# values once stored under those numbers have long expired too.
GENERATION_TTL_SECONDS = 30 * 24 * 3600.0

DAY_MENUS = TypeAdapter(list[MenuPublic])
CANTEENS = TypeAdapter(list[CanteenInfo])
MEAL_PLANS = TypeAdapter(list[MealPlanInfo])


async def _key(cache: Cache, name: str) -> str:
    return f"meals:{await cache.get(GENERATION_KEY) or 0}:{name}"


async def cached(
    cache: Cache, name: str, adapter: TypeAdapter[T], load: Callable[[], Awaitable[T]]
) -> T:
    """The cached value of ``name``, loading and storing it on a miss."""
    key = await _key(cache, name)  # read before loading: see the module docstring
    if (raw := await cache.get(key)) is not None:
        return adapter.validate_json(raw)
    value = await load()
    await cache.set(key, adapter.dump_json(value).decode(), ttl_seconds=TTL_SECONDS)
    return value


def day_menus_name(served_on: date) -> str:
    return f"menus:{served_on.isoformat()}"


async def invalidate(cache: Cache) -> None:
    """Call after committing any change to canteens, dishes, menus or meal plans."""
    await cache.incr(GENERATION_KEY, ttl_seconds=GENERATION_TTL_SECONDS)
