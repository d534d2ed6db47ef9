"""Team scores for one period: exact rational arithmetic, documented rounding.

Every figure is computed from integer counts and sums with ``Fraction`` and only then
rounded, once, to a ``Decimal``: means, rates and scores to 4 places half-even, NPS to one
place half-even, the Wilson bound down (floor) to 4 places. The same counts always give the
same digits, on every machine and database.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from typing import Any, Literal, cast

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Team, TeamKind
from backend.surveys.models import DIMENSIONS, RepairCompletion, SurveyResponse

Z_95 = Decimal("1.96")


def to_decimal(
    value: Fraction, places: int, rounding: Literal["half_even", "floor"] = "half_even"
) -> Decimal:
    """Round an exact fraction to ``places`` decimals, with integer arithmetic only."""
    quotient, remainder = divmod(value.numerator * 10**places, value.denominator)
    if rounding == "half_even":
        twice = 2 * remainder
        if twice > value.denominator or (twice == value.denominator and quotient % 2 == 1):
            quotient += 1
    return Decimal(quotient).scaleb(-places)


def adjusted_score(
    *, total: int, responses: int, campus_total: int, campus_responses: int, prior_weight: Fraction
) -> Fraction:
    """Bayesian average: (C·m + Σx) / (C + n), m the campus mean, exact."""
    campus_mean = Fraction(campus_total, campus_responses)
    return (prior_weight * campus_mean + total) / (prior_weight + responses)


def wilson_lower_bound(successes: int, trials: int) -> Decimal:
    """Lower end of the Wilson 95% interval for successes/trials, floored to 4 places."""
    return _wilson_end(successes, trials, -1)


def wilson_upper_bound(successes: int, trials: int) -> Decimal:
    """Upper end of the Wilson 95% interval, raised to 4 places (the interval never
    narrows by rounding)."""
    return _wilson_end(successes, trials, +1)


def _wilson_end(successes: int, trials: int, side: Literal[-1, 1]) -> Decimal:
    if trials == 0:
        return Decimal("0.0000") if side < 0 else Decimal("1.0000")
    with localcontext() as context:
        context.prec = 50
        n = Decimal(trials)
        p = Decimal(successes) / n
        z2 = Z_95 * Z_95
        centre = p + z2 / (2 * n)
        spread = Z_95 * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        end = (centre + side * spread) / (1 + z2 / n)
    rounded = end.quantize(Decimal("0.0001"), rounding=ROUND_FLOOR if side < 0 else ROUND_CEILING)
    return min(Decimal("1.0000"), max(Decimal("0.0000"), rounded))


def nps(promoters: int, detractors: int, answered: int) -> Decimal | None:
    if answered == 0:
        return None
    return to_decimal(Fraction(100 * (promoters - detractors), answered), 1)


def sla_rate(on_time: int, measured: int) -> Decimal | None:
    return to_decimal(Fraction(on_time, measured), 4) if measured else None


@dataclass
class TeamCounts:
    """What one team's counted answers add up to in one period."""

    team_id: int
    responses: int = 0
    total: int = 0  # Σ overall
    satisfied: int = 0  # overall ≥ 4
    recommend_answered: int = 0
    promoters: int = 0  # recommend 9–10
    detractors: int = 0  # recommend 0–6
    dimension_totals: dict[str, int] = field(default_factory=dict)
    dimension_answers: dict[str, int] = field(default_factory=dict)
    flagged: int = 0


@dataclass
class OnTime:
    completed: int = 0
    measured: int = 0  # completions with an SLA due time
    on_time: int = 0


async def fetch_all(session: AsyncSession, query: sa.Executable) -> Sequence[Any]:
    """Rows of a Core select, through the ORM session (so pending changes are flushed)."""
    result = await session.exec(query)  # type: ignore[call-overload]
    return cast(Sequence[Any], result.all())


def _count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """COUNT(*) FILTER (WHERE …): PostgreSQL and SQLite (≥ 3.30) both support it."""
    return sa.func.count().filter(condition)


async def count_period(*, session: AsyncSession, period: str) -> dict[int, TeamCounts]:
    """One GROUP BY over the period's counted answers (plus the flagged tally)."""
    r = SurveyResponse.__table__.c  # type: ignore[attr-defined]
    columns: list[sa.ColumnElement[int]] = [
        sa.func.count(),
        sa.func.sum(r.overall),
        _count_if(r.overall >= 4),
        sa.func.count(r.recommend),
        _count_if(r.recommend >= 9),
        _count_if(r.recommend <= 6),
    ]
    for name in DIMENSIONS:
        columns += [sa.func.sum(r[name]), sa.func.count(r[name])]
    query = (
        sa.select(r.team_id, *columns)
        .where(r.period == period, r.counted == sa.true())
        .group_by(r.team_id)
    )
    counts: dict[int, TeamCounts] = {}
    for row in await fetch_all(session, query):
        team_id, n, total, satisfied, rec_n, promoters, detractors, *dims = row
        counts[team_id] = TeamCounts(
            team_id=team_id,
            responses=n,
            total=int(total),
            satisfied=int(satisfied),
            recommend_answered=rec_n,
            promoters=int(promoters or 0),
            detractors=int(detractors or 0),
            dimension_totals={k: int(dims[2 * i] or 0) for i, k in enumerate(DIMENSIONS)},
            dimension_answers={k: int(dims[2 * i + 1]) for i, k in enumerate(DIMENSIONS)},
        )
    flagged = (
        sa.select(r.team_id, sa.func.count())
        .where(r.period == period, r.counted == sa.false())
        .group_by(r.team_id)
    )
    for team_id, n in await fetch_all(session, flagged):
        counts.setdefault(team_id, TeamCounts(team_id=team_id)).flagged = n
    return counts


async def totals_period(*, session: AsyncSession, period: str) -> dict[int, tuple[int, int]]:
    """Team → (counted answers, Σ overall): all the reward calculation needs."""
    r = SurveyResponse.__table__.c  # type: ignore[attr-defined]
    query = (
        sa.select(r.team_id, sa.func.count(), sa.func.sum(r.overall))
        .where(r.period == period, r.counted == sa.true())
        .group_by(r.team_id)
    )
    return {team_id: (n, int(total)) for team_id, n, total in await fetch_all(session, query)}


async def on_time_period(*, session: AsyncSession, period: str) -> dict[int, OnTime]:
    c = RepairCompletion.__table__.c  # type: ignore[attr-defined]
    query = (
        sa.select(
            c.team_id,
            sa.func.count(),
            sa.func.count(c.due_at),
            _count_if(c.completed_at <= c.due_at),
        )
        .where(c.period == period)
        .group_by(c.team_id)
    )
    return {
        team_id: OnTime(completed=n, measured=measured, on_time=int(on_time or 0))
        for team_id, n, measured, on_time in await fetch_all(session, query)
    }


@dataclass
class TeamScore:
    team: Team
    counts: TeamCounts
    on_time: OnTime | None
    mean: Decimal | None
    satisfaction_rate: Decimal | None
    nps: Decimal | None
    dimension_means: dict[str, Decimal | None]
    adjusted_score: Decimal | None
    wilson_lower: Decimal | None
    wilson_upper: Decimal | None
    on_time_rate: Decimal | None


@dataclass
class PeriodScores:
    period: str
    prior_weight: Decimal
    campus_responses: int
    campus_total: int
    campus_mean: Decimal | None
    teams: list[TeamScore]


def score_team(
    *,
    team: Team,
    counts: TeamCounts,
    on_time: OnTime | None,
    campus_total: int,
    campus_responses: int,
    prior_weight: Decimal,
) -> TeamScore:
    n = counts.responses
    dims = {
        name: (
            to_decimal(Fraction(counts.dimension_totals[name], counts.dimension_answers[name]), 4)
            if counts.dimension_answers.get(name)
            else None
        )
        for name in DIMENSIONS
    }
    return TeamScore(
        team=team,
        counts=counts,
        on_time=on_time,
        mean=to_decimal(Fraction(counts.total, n), 4) if n else None,
        satisfaction_rate=to_decimal(Fraction(counts.satisfied, n), 4) if n else None,
        nps=nps(counts.promoters, counts.detractors, counts.recommend_answered),
        dimension_means=dims,
        adjusted_score=(
            to_decimal(
                adjusted_score(
                    total=counts.total,
                    responses=n,
                    campus_total=campus_total,
                    campus_responses=campus_responses,
                    prior_weight=Fraction(prior_weight),
                ),
                4,
            )
            if n
            else None
        ),
        wilson_lower=wilson_lower_bound(counts.satisfied, n) if n else None,
        wilson_upper=wilson_upper_bound(counts.satisfied, n) if n else None,
        on_time_rate=sla_rate(on_time.on_time, on_time.measured) if on_time else None,
    )


async def period_scores(
    *, session: AsyncSession, period: str, prior_weight: Decimal, team_id: int | None = None
) -> PeriodScores:
    """Every team with an answer (or, for crews, a completed repair) in the period."""
    counts = await count_period(session=session, period=period)
    on_time = await on_time_period(session=session, period=period)
    campus_responses = sum(c.responses for c in counts.values())
    campus_total = sum(c.total for c in counts.values())
    wanted = set(counts) | set(on_time)
    if team_id is not None:
        wanted &= {team_id}
    teams = (
        (
            await session.exec(select(Team).where(col(Team.id).in_(wanted)).order_by(col(Team.id)))
        ).all()
        if wanted
        else []
    )
    return PeriodScores(
        period=period,
        prior_weight=prior_weight,
        campus_responses=campus_responses,
        campus_total=campus_total,
        campus_mean=(
            to_decimal(Fraction(campus_total, campus_responses), 4) if campus_responses else None
        ),
        teams=[
            score_team(
                team=team,
                counts=counts.get(team.id) or TeamCounts(team_id=team.id),
                on_time=(
                    on_time.get(team.id, OnTime()) if team.kind == TeamKind.maintenance else None
                ),
                campus_total=campus_total,
                campus_responses=campus_responses,
                prior_weight=prior_weight,
            )
            for team in teams
        ],
    )
