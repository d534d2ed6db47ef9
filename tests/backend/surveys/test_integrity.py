"""Integrity: suspicious answers are flagged with reasons, excluded, and can be cleared."""

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.types import utcnow
from backend.identity.models import Role, Team, User
from backend.surveys.config import SurveySettings
from backend.surveys.dependencies import get_survey_settings
from backend.surveys.models import SurveyResponse
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login
from tests.backend.surveys.factories import answer_body, make_template, repair_invitation

ALL_FIVES = dict.fromkeys(("tangibles", "reliability", "responsiveness", "assurance", "empathy"), 5)


@pytest.fixture
async def crew(session: AsyncSession, make_team: TeamFactory) -> Team:
    await make_template(session)
    return await make_team()


async def answer(
    client: httpx.AsyncClient,
    session: AsyncSession,
    student: User,
    team: Team,
    overall: int = 5,
    *,
    seconds_ago: int = 60,
    device: str | None = None,
    **fields: object,
) -> SurveyResponse:
    invitation = await repair_invitation(
        session,
        student,
        team,
        completed_at=utcnow() - timedelta(hours=1),
        opened_seconds_ago=seconds_ago,
    )
    body = answer_body(overall, **fields)
    headers = {"X-Device-Id": device} if device else {}
    response = await client.post(
        f"/api/v1/surveys/invitations/{invitation.id}/response",
        json=body,
        headers={**await login(client, student), **headers},
    )
    assert response.status_code == 201, response.text
    stored = await session.get(SurveyResponse, response.json()["id"])
    assert stored is not None
    await session.refresh(stored)
    return stored


async def test_answering_within_seconds_of_opening_is_flagged(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    quick = await answer(client, session, await make_user(), crew, 5, seconds_ago=2)
    assert quick.flags == ["too_fast"]
    assert quick.counted is False
    assert quick.seconds_to_answer == 2
    calm = await answer(client, session, await make_user(), crew, 5, seconds_ago=40)
    assert calm.flags == []
    assert calm.counted is True


async def test_the_app_timer_starts_when_the_survey_is_first_shown(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    student = await make_user()
    invitation = await repair_invitation(session, student, crew, opened_seconds_ago=None)
    headers = await login(client, student)
    shown = await client.get(f"/api/v1/surveys/invitations/{invitation.id}", headers=headers)
    assert shown.status_code == 200
    response = await client.post(
        f"/api/v1/surveys/invitations/{invitation.id}/response",
        json={"overall": 4},
        headers=headers,
    )
    stored = await session.get(SurveyResponse, response.json()["id"])
    assert stored is not None
    assert stored.flags == ["too_fast"]


@pytest.mark.parametrize("claimed", ["2020-01-01T00:00:00Z", "2030-01-01T00:00:00+08:00"])
async def test_a_client_sent_opened_at_is_ignored(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    crew: Team,
    claimed: str,
) -> None:
    """Issue 17, finding 4: the timer is the server's. An answer sent a moment after the
    first GET is too fast whatever ``opened_at`` claims."""
    student = await make_user()
    invitation = await repair_invitation(session, student, crew, opened_seconds_ago=None)
    invitation.created_at = utcnow() - timedelta(days=5)  # old enough for any claim
    session.add(invitation)
    await session.commit()
    headers = await login(client, student)
    url = f"/api/v1/surveys/invitations/{invitation.id}"
    assert (await client.get(url, headers=headers)).status_code == 200
    response = await client.post(
        f"{url}/response", json={"overall": 4, "opened_at": claimed}, headers=headers
    )
    assert response.status_code == 201, response.text
    stored = await session.get(SurveyResponse, response.json()["id"])
    assert stored is not None
    await session.refresh(invitation)
    assert stored.opened_at == invitation.opened_at  # the GET, not the claim
    assert stored.seconds_to_answer is not None
    assert stored.seconds_to_answer < 5
    assert stored.flags == ["too_fast"]
    assert stored.counted is False


async def test_an_answer_to_a_survey_never_fetched_is_too_fast(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    student = await make_user()
    invitation = await repair_invitation(session, student, crew, opened_seconds_ago=None)
    response = await client.post(
        f"/api/v1/surveys/invitations/{invitation.id}/response",
        json={"overall": 5, "opened_at": "2020-01-01T00:00:00Z"},
        headers=await login(client, student),
    )
    stored = await session.get(SurveyResponse, response.json()["id"])
    assert stored is not None
    assert (stored.seconds_to_answer, stored.flags) == (0, ["too_fast"])


async def test_a_second_get_does_not_restart_the_timer(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    student = await make_user()
    invitation = await repair_invitation(session, student, crew, opened_seconds_ago=90)
    first_shown = invitation.opened_at
    headers = await login(client, student)
    url = f"/api/v1/surveys/invitations/{invitation.id}"
    assert (await client.get(url, headers=headers)).status_code == 200
    response = await client.post(f"{url}/response", json={"overall": 4}, headers=headers)
    stored = await session.get(SurveyResponse, response.json()["id"])
    assert stored is not None
    assert stored.opened_at == first_shown
    assert stored.seconds_to_answer is not None
    assert stored.seconds_to_answer >= 90
    assert stored.flags == []


async def test_identical_answers_to_every_question_are_flagged(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    straight = await answer(client, session, await make_user(), crew, 5, dimensions=ALL_FIVES)
    assert straight.flags == ["straight_lining"]
    varied = await answer(
        client,
        session,
        await make_user(),
        crew,
        5,
        dimensions={**ALL_FIVES, "tangibles": 4},
    )
    assert varied.flags == []
    only_overall = await answer(client, session, await make_user(), crew, 5)
    assert only_overall.flags == []


async def test_a_burst_from_one_device_flags_the_whole_burst(
    app: FastAPI,
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    crew: Team,
) -> None:
    app.dependency_overrides[get_survey_settings] = lambda: SurveySettings(
        burst_max_responses=3, burst_window_seconds=600
    )
    burst = [
        await answer(client, session, await make_user(), crew, 5, device="phone-1")
        for _ in range(4)
    ]
    for response in burst:
        await session.refresh(response)
    assert all("burst_device" in r.flags for r in burst)
    assert not any(r.counted for r in burst)
    other_device = await answer(client, session, await make_user(), crew, 5, device="phone-2")
    assert "burst_device" not in other_device.flags
    # every test answer comes from the same test address: that burst is flagged as well
    assert "burst_address" in other_device.flags


async def test_a_teams_own_staff_is_flagged(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    student = await make_user()
    invitation = await repair_invitation(session, student, crew)
    # hired by the crew after the repair (a student assistant)
    student.role, student.team_id = Role.technician, crew.id
    session.add(student)
    await session.commit()
    response = await client.post(
        f"/api/v1/surveys/invitations/{invitation.id}/response",
        json={"overall": 5},
        headers=await login(client, student),
    )
    assert response.status_code == 201
    stored = (await session.exec(select(SurveyResponse))).one()
    assert stored.flags == ["own_team"]
    assert stored.counted is False


async def test_admins_see_flags_and_can_clear_them(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory, crew: Team
) -> None:
    flagged = await answer(client, session, await make_user(), crew, 2, seconds_ago=1)
    clean = await answer(client, session, await make_user(), crew, 4)
    admin = await make_user(role=Role.logistics_admin)
    headers = await login(client, admin)
    period = flagged.period
    listed = await client.get(
        "/api/v1/admin/surveys/responses", params={"flagged": "true"}, headers=headers
    )
    assert [(r["id"], r["flags"]) for r in listed.json()["data"]] == [(flagged.id, ["too_fast"])]
    score = await client.get(
        f"/api/v1/admin/surveys/results/{crew.slug}", params={"period": period}, headers=headers
    )
    assert score.json()["score"]["responses"] == 1  # the flagged one is excluded
    assert score.json()["score"]["flagged"] == 1
    assert score.json()["score"]["mean"] == "4.0000"
    clear_url = f"/api/v1/admin/surveys/responses/{flagged.id}/clear-flag"
    short = await client.post(clear_url, json={"note": ""}, headers=headers)
    assert short.status_code == 422
    cleared = await client.post(
        clear_url, json={"note": "Checked with the student."}, headers=headers
    )
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["counted"] is True
    assert cleared.json()["flags"] == ["too_fast"]  # the reason stays on record
    assert cleared.json()["cleared_by"] == admin.id
    again = await client.post(clear_url, json={"note": "again"}, headers=headers)
    assert again.status_code == 409
    not_flagged = await client.post(
        f"/api/v1/admin/surveys/responses/{clean.id}/clear-flag",
        json={"note": "nothing"},
        headers=headers,
    )
    assert not_flagged.status_code == 409
    score = await client.get(
        f"/api/v1/admin/surveys/results/{crew.slug}", params={"period": period}, headers=headers
    )
    assert score.json()["score"]["responses"] == 2
    assert score.json()["score"]["mean"] == "3.0000"


async def test_integrity_window_only_counts_recent_answers(
    app: FastAPI,
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    crew: Team,
) -> None:
    app.dependency_overrides[get_survey_settings] = lambda: SurveySettings(
        burst_max_responses=1, burst_window_seconds=60
    )
    first = await answer(client, session, await make_user(), crew, 4, device="d")
    first.submitted_at = utcnow() - timedelta(minutes=5)  # long before the window
    session.add(first)
    await session.commit()
    second = await answer(client, session, await make_user(), crew, 4, device="d")
    assert "burst_device" not in second.flags
