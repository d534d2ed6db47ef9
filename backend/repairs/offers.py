""" "Me too" offers: the tickets the duplicate check showed a student.

A student may follow only a ticket the duplicate check offered them for a problem they
were reporting (same building, same place, same category, still pending), so ticket ids
cannot be walked to find other students' tickets. An offer is kept for a day in the cache;
when it is gone, reporting again offers the ticket again.
"""

from backend.core.cache import Cache

OFFER_SECONDS = 24 * 3600


def _key(student_id: int, ticket_id: int) -> str:
    return f"repairs:offered:{student_id}:{ticket_id}"


async def remember(cache: Cache, *, student_id: int, ticket_ids: list[int]) -> None:
    for ticket_id in ticket_ids:
        await cache.set(_key(student_id, ticket_id), "1", ttl_seconds=OFFER_SECONDS)


async def was_offered(cache: Cache, *, student_id: int, ticket_id: int) -> bool:
    return await cache.get(_key(student_id, ticket_id)) is not None
