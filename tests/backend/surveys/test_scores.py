"""Scores are exact and reproducible; the leaderboard is rebuilt from the database."""

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.identity.models import Role
from backend.surveys import leaderboard
from backend.surveys.scoring import period_scores, wilson_lower_bound, wilson_upper_bound
from backend.surveys.service import record_repair_completion
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login
from tests.backend.surveys.factories import TZ, add_answers, make_template

PERIOD = "2026-10"


async def test_team_scores_exact_numbers(
    session: AsyncSession, make_user: UserFactory, make_team: TeamFactory
) -> None:
    template = await make_template(session)
    student = await make_user()
    crew, other = await make_team(), await make_team()
    # crew: 5,5,4,3,2 (sum 19); other: ten answers of 4 (sum 40)
    await add_answers(
        session,
        student,
        crew,
        PERIOD,
        [5, 5, 4, 3, 2],
        template=template,
        recommend=[10, 9, 8, 6, None],
    )
    await add_answers(session, student, other, PERIOD, [4] * 10, template=template)
    await add_answers(session, student, crew, PERIOD, [1, 1], template=template, counted=False)
    await add_answers(session, student, crew, "2026-09", [1], template=template)
    due = datetime(2026, 10, 10, 8, tzinfo=UTC)
    for n, late in enumerate([0, 0, 0, 5]):  # three on time, one 5 hours late
        await record_repair_completion(
            session=session,
            ticket_id=900 + n,
            team_id=crew.id,
            completed_at=due + timedelta(hours=late - 1),
            due_at=due,
            tz=TZ,
        )
    await record_repair_completion(
        session=session,
        ticket_id=999,
        team_id=crew.id,
        completed_at=due,
        due_at=None,
        tz=TZ,  # no SLA: left out of the rate
    )
    await session.commit()
    scores = await period_scores(session=session, period=PERIOD, prior_weight=Decimal(10))
    assert scores.campus_responses == 15
    assert scores.campus_mean == Decimal("3.9333")  # 59/15
    crew_score = next(s for s in scores.teams if s.team.id == crew.id)
    assert crew_score.counts.responses == 5
    assert crew_score.counts.flagged == 2
    assert crew_score.mean == Decimal("3.8000")
    assert crew_score.satisfaction_rate == Decimal("0.6000")
    # recommend: promoters 10, 9; detractors 6; answered 4 → (2 − 1) / 4 = 25.0
    assert crew_score.nps == Decimal("25.0")
    # (10 × 59/15 + 19) / (10 + 5) = (590/15 + 19)/15 = 3.8889
    assert crew_score.adjusted_score == Decimal("3.8889")
    assert crew_score.on_time_rate == Decimal("0.7500")
    assert crew_score.on_time is not None
    assert (crew_score.on_time.completed, crew_score.on_time.measured) == (5, 4)
    other_score = next(s for s in scores.teams if s.team.id == other.id)
    assert other_score.adjusted_score == Decimal("3.9667")  # (590/15 + 40) / 20 = 79.333…/20
    assert other_score.nps is None
    assert other_score.on_time_rate is None  # a crew without completed repairs
    assert other_score.dimension_means["tangibles"] is None


def test_wilson_lower_bound_matches_the_formula_and_rounds_down() -> None:
    for successes, trials in [(8, 10), (1, 1), (0, 5), (95, 100), (333, 1000)]:
        p, n, z = successes / trials, trials, 1.96
        expected = (p + z * z / (2 * n) - z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (
            1 + z * z / n
        )
        bound = wilson_lower_bound(successes, trials)
        assert abs(float(bound) - expected) < 1e-4
        assert float(bound) <= expected + 1e-12
    assert wilson_lower_bound(8, 10) == Decimal("0.4901")


def test_wilson_upper_bound_matches_the_formula_and_rounds_up() -> None:
    for successes, trials in [(8, 10), (1, 1), (0, 5), (95, 100), (333, 1000)]:
        p, n, z = successes / trials, trials, 1.96
        expected = (p + z * z / (2 * n) + z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (
            1 + z * z / n
        )
        bound = wilson_upper_bound(successes, trials)
        assert abs(float(bound) - min(expected, 1.0)) < 1e-4
        assert float(bound) >= min(expected, 1.0) - 1e-12
        assert wilson_lower_bound(successes, trials) <= Decimal(successes) / trials <= bound
    assert wilson_upper_bound(8, 10) == Decimal("0.9434")


async def test_leaderboard_is_rebuilt_from_the_database_when_lost(
    session: AsyncSession,
    client: httpx.AsyncClient,
    app_cache: Cache,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    template = await make_template(session)
    student = await make_user()
    good, poor = await make_team(), await make_team()
    await add_answers(session, student, good, PERIOD, [5] * 6, template=template)
    await add_answers(session, student, poor, PERIOD, [2] * 6, template=template)
    admin = await make_user(role=Role.logistics_admin)
    headers = await login(client, admin)
    first = await client.get(
        "/api/v1/surveys/leaderboard", params={"period": PERIOD}, headers=headers
    )
    assert first.status_code == 200
    ranked = [(e["rank"], e["team"]["slug"], e["adjusted_score"]) for e in first.json()["data"]]
    # campus mean 3.5; good: (35 + 30)/16 = 4.0625; poor: (35 + 12)/16 = 2.9375
    assert ranked == [(1, good.slug, "4.0625"), (2, poor.slug, "2.9375")]
    assert await app_cache.zcard(leaderboard.key(PERIOD)) == 2
    await app_cache.delete(leaderboard.key(PERIOD))  # Redis lost it
    again = await client.get(
        "/api/v1/surveys/leaderboard", params={"period": PERIOD}, headers=headers
    )
    assert again.json() == first.json()
    assert await app_cache.zscore(leaderboard.key(PERIOD), good.slug) == 4.0625
    scores = await period_scores(session=session, period=PERIOD, prior_weight=Decimal(10))
    assert {s.team.slug: str(s.adjusted_score) for s in scores.teams} == {
        slug: score for _, slug, score in ranked
    }


async def test_an_answer_updates_the_live_leaderboard(
    session: AsyncSession,
    client: httpx.AsyncClient,
    app_cache: Cache,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    from tests.backend.surveys.factories import repair_invitation

    await make_template(session)
    student, crew = await make_user(), await make_team()
    invitation = await repair_invitation(session, student, crew)
    response = await client.post(
        f"/api/v1/surveys/invitations/{invitation.id}/response",
        json={"overall": 3},
        headers=await login(client, student),
    )
    assert response.status_code == 201
    assert await app_cache.zscore(leaderboard.key(invitation.period), crew.slug) == 3.0
