"""Who may call what: student, the team's staff, other staff, admin, the bot for a student."""

from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.identity.models import Role
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login, token_headers
from tests.backend.surveys.factories import add_answers, make_template

PERIOD = "2026-10"
OK, NO = 200, 403
#                         student bot  team  other admin
MATRIX = {
    "/api/v1/surveys/pending": (OK, OK, OK, OK, OK),
    "/api/v1/surveys/campaigns/open": (OK, OK, NO, NO, NO),
    "/api/v1/surveys/leaderboard": (NO, NO, OK, OK, OK),
    "/api/v1/surveys/teams/{team}/scores": (NO, NO, OK, NO, OK),
    "/api/v1/surveys/teams/{team}/comments": (NO, NO, OK, NO, OK),
    "/api/v1/rewards/statements": (NO, NO, OK, OK, OK),
    "/api/v1/admin/surveys/templates": (NO, NO, NO, NO, OK),
    "/api/v1/admin/surveys/campaigns": (NO, NO, NO, NO, OK),
    "/api/v1/admin/surveys/scores": (NO, NO, NO, NO, OK),
    "/api/v1/admin/surveys/responses": (NO, NO, NO, NO, OK),
    "/api/v1/admin/surveys/results/{team}": (NO, NO, NO, NO, OK),
    "/api/v1/admin/rewards/periods": (NO, NO, NO, NO, OK),
    "/api/v1/admin/rewards/appeals": (NO, NO, NO, NO, OK),
}


@pytest.fixture
async def people(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
    settings: Settings,
) -> dict[str, Any]:
    template = await make_template(session)
    team = await make_team()
    student = await make_user()
    await add_answers(
        session, student, team, PERIOD, [4, 2], template=template, comment="Thanks 谢谢"
    )
    return {
        "team": team,
        "headers": [
            await login(client, student),
            token_headers(settings, student, via_bot=True),
            await login(client, await make_user(role=Role.technician, team_id=team.id)),
            await login(client, await make_user(role=Role.technician)),
            await login(client, await make_user(role=Role.logistics_admin)),
        ],
    }


@pytest.mark.parametrize("route", sorted(MATRIX))
async def test_authorization_matrix(
    client: httpx.AsyncClient, people: dict[str, Any], route: str
) -> None:
    url = route.format(team=people["team"].slug)
    params = {"period": PERIOD} if "{team}" in route or "scores" in route else {}
    assert (await client.get(url, params=params)).status_code == 401
    got = [
        (await client.get(url, params=params, headers=headers)).status_code
        for headers in people["headers"]
    ]
    assert tuple(got) == MATRIX[route]


async def test_teams_read_comments_without_knowing_who_wrote_them(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    response = await client.get(
        f"/api/v1/surveys/teams/{people['team'].slug}/comments",
        params={"period": PERIOD},
        headers=people["headers"][2],
    )
    comments = response.json()["data"]
    assert [(c["overall"], c["comment"]) for c in comments] == [
        (2, "Thanks 谢谢"),
        (4, "Thanks 谢谢"),
    ]
    assert set(comments[0]) == {"overall", "comment", "period", "source"}


async def test_unknown_team_is_404_and_bad_period_422(
    client: httpx.AsyncClient, people: dict[str, Any]
) -> None:
    admin = people["headers"][4]
    missing = await client.get("/api/v1/surveys/teams/nope/scores", headers=admin)
    assert missing.status_code == 404
    bad = await client.get(
        f"/api/v1/surveys/teams/{people['team'].slug}/scores",
        params={"period": "2026-13"},
        headers=admin,
    )
    assert bad.status_code == 422
