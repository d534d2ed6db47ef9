"""The demo seed gives the admin screens real data and the demo students a survey."""

from datetime import date

import httpx
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.rewards.models import RewardStatement, RewardVersion
from backend.seed.demo import seed_demo_campus
from backend.seed.identity import DEMO_PASSWORD
from backend.surveys.models import SurveyCampaign, SurveyResponse

TODAY = date(2026, 11, 23)


async def test_seed_history_flags_rewards_and_current_campaigns(
    session: AsyncSession, client: httpx.AsyncClient
) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    per_period = dict(
        (
            await session.exec(
                select(SurveyResponse.period, func.count()).group_by(col(SurveyResponse.period))
            )
        ).all()
    )
    assert set(per_period) == {"2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}
    assert sum(per_period.values()) >= 2000
    flagged = sum(1 for flags in (await session.exec(select(SurveyResponse.flags))).all() if flags)
    assert 0 < flagged < sum(per_period.values()) / 5
    version = (await session.exec(select(RewardVersion))).one()
    statements = (await session.exec(select(RewardStatement))).all()
    assert sum(s.amount_fen for s in statements) == version.distributed_fen > 0
    assert version.distributed_fen + version.returned_fen == 2_000_000
    campaigns = (
        await session.exec(select(SurveyCampaign).where(SurveyCampaign.period == "2026-11"))
    ).all()
    assert {c.source for c in campaigns} == {"dorm", "canteen"}
    # seeding again adds nothing
    await seed_demo_campus(session=session, today=TODAY)
    assert (await session.exec(select(func.count()).select_from(SurveyResponse))).one() == sum(
        per_period.values()
    )
    token = await client.post(
        "/api/v1/auth/token", data={"username": "s20240001", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    pending = await client.get("/api/v1/surveys/pending", headers=headers)
    assert [p["source"] for p in pending.json()["data"]] == ["dorm"]
