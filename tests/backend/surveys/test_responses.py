"""Answering: once, by the invited student (or the bot for them), idempotent, limited."""

from datetime import timedelta

import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.types import utcnow
from backend.identity.models import Role
from backend.surveys.models import SurveyInvitation, SurveyResponse
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login, token_headers
from tests.backend.surveys.factories import (
    answer_body,
    make_template,
    repair_invitation,
)


def url(invitation: SurveyInvitation) -> str:
    return f"/api/v1/surveys/invitations/{invitation.id}/response"


async def responses(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(SurveyResponse))).one()


async def test_answer_once_then_409(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    await make_template(session)
    student, crew = await make_user(), await make_team()
    invitation = await repair_invitation(session, student, crew)
    headers = await login(client, student)
    body = answer_body(
        4,
        dimensions={"reliability": 5, "empathy": 4},
        recommend=9,
        comment="  Fixed fast 修得快  ",
    )
    first = await client.post(url(invitation), json=body, headers=headers)
    assert first.status_code == 201, first.text
    answer = first.json()
    assert answer["overall"] == 4
    assert answer["dimensions"]["reliability"] == 5
    assert answer["dimensions"]["tangibles"] is None
    assert answer["comment"] == "Fixed fast 修得快"
    assert "flags" not in answer  # the student never learns about integrity checks
    second = await client.post(url(invitation), json=body, headers=headers)
    assert second.status_code == 409
    assert second.json()["error"] == "AlreadyAnswered"
    assert await responses(session) == 1
    pending = await client.get("/api/v1/surveys/pending", headers=headers)
    assert pending.json()["count"] == 0


async def test_idempotency_key_replays_the_first_answer(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    await make_template(session)
    student, crew = await make_user(), await make_team()
    invitation = await repair_invitation(session, student, crew)
    headers = {**await login(client, student), "Idempotency-Key": "answer-1"}
    body = answer_body(5)
    first = await client.post(url(invitation), json=body, headers=headers)
    again = await client.post(url(invitation), json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await responses(session) == 1


async def test_only_the_invited_student_may_answer(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
    settings: Settings,
) -> None:
    await make_template(session)
    student, other, crew = await make_user(), await make_user(), await make_team()
    staff = await make_user(role=Role.technician, team_id=crew.id)
    admin = await make_user(role=Role.logistics_admin)
    invitation = await repair_invitation(session, student, crew)
    for intruder in (other, staff, admin):
        response = await client.post(
            url(invitation), json=answer_body(), headers=await login(client, intruder)
        )
        assert response.status_code == 404, intruder.role
        assert response.json()["error"] == "InvitationNotFound"
    as_bot_for_other = await client.post(
        url(invitation), json=answer_body(), headers=token_headers(settings, other, via_bot=True)
    )
    assert as_bot_for_other.status_code == 404
    assert await responses(session) == 0


async def test_the_bot_answers_for_the_student(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
    settings: Settings,
) -> None:
    await make_template(session)
    student, crew = await make_user(), await make_team()
    invitation = await repair_invitation(session, student, crew)
    headers = token_headers(settings, student, via_bot=True)
    no_key = await client.post(
        url(invitation),
        json=answer_body(5),
        headers={"Authorization": headers["Authorization"]},
    )
    assert no_key.status_code == 401
    pending = await client.get("/api/v1/surveys/pending", headers=headers)
    assert [p["id"] for p in pending.json()["data"]] == [invitation.id]
    answered = await client.post(
        url(invitation), json={"overall": 5, "comment": "谢谢师傅"}, headers=headers
    )
    assert answered.status_code == 201, answered.text
    stored = (await session.exec(select(SurveyResponse))).one()
    assert stored.via_bot is True
    assert stored.ip_hash is None  # the action server's address says nothing about students
    assert stored.counted is True


async def test_expired_not_open_and_invalid_answers(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    await make_template(session)
    student, crew = await make_user(), await make_team()
    headers = await login(client, student)
    old = await repair_invitation(
        session, student, crew, completed_at=utcnow() - timedelta(days=20)
    )
    expired = await client.post(url(old), json=answer_body(), headers=headers)
    assert expired.status_code == 410
    assert expired.json()["error"] == "InvitationExpired"
    future = await repair_invitation(
        session, student, crew, completed_at=utcnow() + timedelta(hours=1)
    )
    early = await client.post(url(future), json=answer_body(), headers=headers)
    assert early.status_code == 409
    assert early.json()["error"] == "InvitationNotOpen"
    invitation = await repair_invitation(session, student, crew)
    for bad in (
        {"overall": 0},
        {"overall": 6},
        {"overall": 3, "recommend": 11},
        {"overall": 3, "dimensions": {"tangibles": 9}},
        {"overall": 3, "dimensions": {"speed": 4}},
        {"overall": 3, "opened_at": "2026-11-23T10:00:00"},  # naive time
        {"overall": 3, "comment": "x" * 1001},
        {"recommend": 5},
    ):
        response = await client.post(url(invitation), json=bad, headers=headers)
        assert response.status_code == 422, bad
    assert await responses(session) == 0


async def test_answering_a_question_the_template_does_not_ask_is_refused(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    template = await make_template(session)
    template.questions = template.questions[:1]  # overall only
    session.add(template)
    await session.commit()
    student, crew = await make_user(), await make_team()
    invitation = await repair_invitation(session, student, crew)
    response = await client.post(
        url(invitation), json=answer_body(4, recommend=8), headers=await login(client, student)
    )
    assert response.status_code == 422
    assert response.json()["error"] == "UnknownQuestion"


async def test_answers_are_rate_limited(
    session: AsyncSession,
    client: httpx.AsyncClient,
    make_user: UserFactory,
    make_team: TeamFactory,
) -> None:
    await make_template(session)
    student, crew = await make_user(), await make_team()
    invitation = await repair_invitation(session, student, crew)
    headers = await login(client, student)
    statuses = [
        (await client.post(url(invitation), json=answer_body(), headers=headers)).status_code
        for _ in range(11)
    ]
    assert statuses[0] == 201
    assert statuses[1:10] == [409] * 9
    assert statuses[10] == 429
