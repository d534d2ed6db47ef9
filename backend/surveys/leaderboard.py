"""The live leaderboard: a Redis sorted set per period, team slug → adjusted score.

The database is the only record. The set is a snapshot of ``period_scores`` written after
every change to a period's counted answers; when it is missing (Redis restarted, evicted,
or the in-process cache is new) the next read rebuilds it from the database.
"""

import logging
from decimal import Decimal
from fractions import Fraction

from redis.exceptions import RedisError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.identity.models import Team
from backend.identity.schemas import TeamRef
from backend.surveys.schemas import LeaderboardEntry
from backend.surveys.scoring import adjusted_score, to_decimal, totals_period

log = logging.getLogger(__name__)


def key(period: str) -> str:
    return f"surveys:leaderboard:{period}"


async def snapshot(
    *, session: AsyncSession, period: str, prior_weight: Decimal
) -> dict[str, Decimal]:
    """Team slug → adjusted score, from counted answers only (the same as the scores)."""
    totals = await totals_period(session=session, period=period)
    campus_responses = sum(n for n, _ in totals.values())
    campus_total = sum(total for _, total in totals.values())
    if not totals:
        return {}
    slugs = dict(
        (await session.exec(select(Team.id, Team.slug).where(col(Team.id).in_(totals)))).all()
    )
    return {
        slugs[team_id]: to_decimal(
            adjusted_score(
                total=total,
                responses=n,
                campus_total=campus_total,
                campus_responses=campus_responses,
                prior_weight=Fraction(prior_weight),
            ),
            4,
        )
        for team_id, (n, total) in totals.items()
        if team_id in slugs
    }


async def rebuild(
    *, session: AsyncSession, cache: Cache, period: str, prior_weight: Decimal
) -> dict[str, Decimal]:
    """Write the period's scores from the database into the sorted set."""
    scores = await snapshot(session=session, period=period, prior_weight=prior_weight)
    await cache.zadd(key(period), {slug: float(score) for slug, score in scores.items()})
    present = await cache.zrevrange_with_scores(key(period), 0, -1)
    if stale := [slug for slug, _ in present if slug not in scores]:
        await cache.zrem(key(period), *stale)
    return scores


async def refresh_quietly(
    *, session: AsyncSession, cache: Cache, period: str, prior_weight: Decimal
) -> None:
    """After a committed change: a cache failure must never fail the answer itself."""
    try:
        await rebuild(session=session, cache=cache, period=period, prior_weight=prior_weight)
    except (RedisError, OSError):
        log.warning("leaderboard %s not refreshed; rebuilt on next read if lost", period)


async def read(
    *, session: AsyncSession, cache: Cache, period: str, prior_weight: Decimal, limit: int
) -> list[LeaderboardEntry]:
    if await cache.zcard(key(period)) == 0:
        await rebuild(session=session, cache=cache, period=period, prior_weight=prior_weight)
    ranked = await cache.zrevrange_with_scores(key(period), 0, limit - 1)
    slugs = [slug for slug, _ in ranked]
    teams = {
        t.slug: t for t in (await session.exec(select(Team).where(col(Team.slug).in_(slugs)))).all()
    }
    entries: list[LeaderboardEntry] = []
    for slug, score in ranked:
        if (team := teams.get(slug)) is None:
            continue  # a team that no longer exists
        entries.append(
            LeaderboardEntry(
                rank=len(entries) + 1,
                team=TeamRef.model_validate(team),
                adjusted_score=Decimal(repr(score)).quantize(Decimal("0.0001")),
            )
        )
    return entries
