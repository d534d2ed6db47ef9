"""Handoff: a student (or the bot for them) asks for a person; staff see the queue and reply."""

from datetime import datetime, timedelta

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import Channel, Speaker
from backend.chat.service import record
from backend.core.config import Settings
from backend.core.types import utcnow
from backend.handoff import service
from backend.handoff.config import HandoffSettings
from backend.handoff.schemas import HandoffCreate
from backend.identity.models import Locale, Role, User
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.handoff.conftest import Dorms
from tests.backend.helpers import token_headers

URL = "/api/v1/handoffs"
BODY = {"message": "I need to talk to a person about my deposit."}


async def _student(
    settings: Settings, make_user: UserFactory, *, locale: Locale = Locale.en, via_bot: bool = False
) -> tuple[User, dict[str, str]]:
    user = await make_user(Role.student, locale=locale)
    return user, token_headers(settings, user, via_bot=via_bot)


async def _staff(settings: Settings, make_user: UserFactory, role: Role) -> dict[str, str]:
    return token_headers(settings, await make_user(role))


async def test_create_returns_201_with_reply_time_and_contact(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user, locale=Locale.zh)
    body = {**BODY, "transcript": ["押金什么时候退？", "退宿检查后 10 个工作日内。"]}
    response = await client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["status"] == "open"
    assert data["message"] == BODY["message"]
    assert data["language"] == "zh"  # the student's locale by default
    assert data["transcript"] == body["transcript"]
    assert data["reply"] is None
    assert data["replied_at"] is None
    assert data["student"] is None
    created = datetime.fromisoformat(data["created_at"])
    reply_by = datetime.fromisoformat(data["reply_by"])
    assert created.utcoffset() == timedelta(0)
    hours = settings.section(HandoffSettings).reply_hours
    assert reply_by - created == timedelta(hours=hours)
    assert data["contact"] == settings.section(HandoffSettings).contact_zh


async def test_language_from_body_picks_the_contact(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user, locale=Locale.zh)
    response = await client.post(URL, json={**BODY, "language": "en"}, headers=headers)
    assert response.status_code == 201
    assert response.json()["language"] == "en"
    assert response.json()["contact"] == settings.section(HandoffSettings).contact_en


async def test_second_request_while_open_returns_the_open_one(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user)
    first = await client.post(URL, json=BODY, headers=headers)
    second = await client.post(URL, json={"message": "hello again?"}, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["message"] == BODY["message"]  # nothing appended
    listed = await client.get(URL, headers=headers)
    assert listed.json()["count"] == 1


async def test_answered_or_closed_request_allows_a_new_one(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user)
    admin = await _staff(settings, make_user, Role.logistics_admin)
    first = (await client.post(URL, json=BODY, headers=headers)).json()
    await client.post(f"{URL}/{first['id']}/reply", json={"reply": "Done."}, headers=admin)
    second = await client.post(URL, json=BODY, headers=headers)
    assert second.status_code == 201
    await client.post(f"{URL}/{second.json()['id']}/close", headers=headers)
    third = await client.post(URL, json=BODY, headers=headers)
    assert third.status_code == 201
    assert len({first["id"], second.json()["id"], third.json()["id"]}) == 3


async def test_idempotency_key_replays_the_same_response(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user, via_bot=True)
    keyed = {**headers, "Idempotency-Key": "handoff-1"}
    first = await client.post(URL, json=BODY, headers=keyed)
    again = await client.post(URL, json=BODY, headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other_body = await client.post(URL, json={"message": "different"}, headers=keyed)
    assert other_body.status_code == 422
    assert other_body.json()["error"] == "IdempotencyKeyReused"


@pytest.mark.parametrize(
    "body",
    [
        {"message": ""},
        {"message": "   "},
        {"message": "x" * 1001},
        {**BODY, "language": "fr"},
        {**BODY, "transcript": ["x"] * 21},
        {**BODY, "transcript": ["x" * 1001]},
        {**BODY, "student_id": 1},
        {},
    ],
    ids=[
        "empty",
        "blank",
        "too-long",
        "language",
        "transcript-items",
        "transcript-line",
        "extra",
        "missing",
    ],
)
async def test_validation(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, body: dict[str, object]
) -> None:
    _, headers = await _student(settings, make_user)
    response = await client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"


async def test_message_at_the_limits_is_accepted(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user)
    body = {"message": "x" * 1000, "transcript": ["y" * 1000] * 20}
    assert (await client.post(URL, json=body, headers=headers)).status_code == 201


@pytest.mark.parametrize(
    "role", [Role.technician, Role.canteen_staff, Role.dorm_manager, Role.logistics_admin]
)
async def test_staff_cannot_request_a_handoff(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, role: Role
) -> None:
    response = await client.post(URL, json=BODY, headers=await _staff(settings, make_user, role))
    assert response.status_code == 403
    assert response.json()["error"] == "StudentsOnly"


async def test_unauthenticated_and_bot_without_key(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    assert (await client.post(URL, json=BODY)).status_code == 401
    _, headers = await _student(settings, make_user, via_bot=True)
    del headers["X-Bot-Key"]
    response = await client.post(URL, json=BODY, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "BotCredentialRequired"


async def test_bot_acts_as_the_student(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    student, bot = await _student(settings, make_user, via_bot=True)
    created = await client.post(URL, json=BODY, headers=bot)
    assert created.status_code == 201
    own = token_headers(settings, student)
    listed = (await client.get(URL, headers=own)).json()
    assert [item["id"] for item in listed["data"]] == [created.json()["id"]]
    # Exactly the student's powers: no replies, no one else's requests.
    handoff_id = created.json()["id"]
    reply = await client.post(f"{URL}/{handoff_id}/reply", json={"reply": "hi"}, headers=bot)
    assert reply.status_code == 403
    assert reply.json()["error"] == "HandoffStaffOnly"
    _, other = await _student(settings, make_user)
    other_id = (await client.post(URL, json=BODY, headers=other)).json()["id"]
    assert (await client.post(f"{URL}/{other_id}/close", headers=bot)).status_code == 404
    closed = await client.post(f"{URL}/{handoff_id}/close", headers=bot)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"


async def test_students_list_only_their_own_newest_first(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, mine = await _student(settings, make_user)
    _, other = await _student(settings, make_user)
    first = (await client.post(URL, json=BODY, headers=mine)).json()
    await client.post(f"{URL}/{first['id']}/close", headers=mine)
    second = (await client.post(URL, json=BODY, headers=mine)).json()
    await client.post(URL, json=BODY, headers=other)
    listed = (await client.get(URL, headers=mine)).json()
    assert [item["id"] for item in listed["data"]] == [second["id"], first["id"]]
    assert listed["count"] == listed["total"] == 2
    assert all(item["student"] is None for item in listed["data"])
    only_open = (await client.get(URL, params={"status": "open"}, headers=mine)).json()
    assert [item["id"] for item in only_open["data"]] == [second["id"]]


@pytest.mark.parametrize("role", [Role.logistics_admin, Role.dorm_manager])
async def test_staff_see_the_queue_filtered_and_paginated(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, role: Role
) -> None:
    ids = []
    for _ in range(3):
        student, headers = await _student(settings, make_user)
        ids.append((await client.post(URL, json=BODY, headers=headers)).json()["id"])
    staff = await _staff(settings, make_user, role)
    await client.post(f"{URL}/{ids[0]}/close", headers=staff)
    queue = (await client.get(URL, params={"status": "open"}, headers=staff)).json()
    assert [item["id"] for item in queue["data"]] == [ids[2], ids[1]]
    assert queue["data"][0]["student"] == {
        "id": student.id,
        "username": student.username,
        "name": student.name,
    }
    page = (await client.get(URL, params={"size": 1, "page": 2}, headers=staff)).json()
    assert page["count"] == 1
    assert page["total"] == 3
    assert page["data"][0]["id"] == ids[1]
    assert (await client.get(URL, params={"status": "nope"}, headers=staff)).status_code == 422


@pytest.mark.parametrize("role", [Role.technician, Role.canteen_staff])
async def test_other_staff_cannot_see_the_queue(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, role: Role
) -> None:
    response = await client.get(URL, headers=await _staff(settings, make_user, role))
    assert response.status_code == 403
    assert response.json()["error"] == "HandoffStaffOnly"


@pytest.mark.parametrize("role", [Role.logistics_admin, Role.dorm_manager])
async def test_staff_reply_then_the_student_sees_it(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, role: Role
) -> None:
    _, headers = await _student(settings, make_user)
    handoff_id = (await client.post(URL, json=BODY, headers=headers)).json()["id"]
    staff = await _staff(settings, make_user, role)
    response = await client.post(
        f"{URL}/{handoff_id}/reply", json={"reply": "Refunded today."}, headers=staff
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["status"] == "answered"
    assert data["reply"] == "Refunded today."
    assert data["replied_at"] is not None
    assert data["student"] is not None
    seen = (await client.get(URL, headers=headers)).json()["data"][0]
    assert (seen["status"], seen["reply"]) == ("answered", "Refunded today.")
    again = await client.post(f"{URL}/{handoff_id}/reply", json={"reply": "Fixed."}, headers=staff)
    assert again.status_code == 200
    assert again.json()["reply"] == "Fixed."


async def test_reply_authorization_and_validation(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user)
    handoff_id = (await client.post(URL, json=BODY, headers=headers)).json()["id"]
    url = f"{URL}/{handoff_id}/reply"
    for who in (headers, await _staff(settings, make_user, Role.technician)):
        response = await client.post(url, json={"reply": "hi"}, headers=who)
        assert response.status_code == 403
        assert response.json()["error"] == "HandoffStaffOnly"
    admin = await _staff(settings, make_user, Role.logistics_admin)
    for bad in ({"reply": ""}, {"reply": "x" * 2001}, {}):
        assert (await client.post(url, json=bad, headers=admin)).status_code == 422
    missing = await client.post(f"{URL}/999999/reply", json={"reply": "hi"}, headers=admin)
    assert missing.status_code == 404
    assert missing.json()["error"] == "HandoffNotFound"


async def test_replying_to_a_closed_handoff_is_409(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user)
    handoff_id = (await client.post(URL, json=BODY, headers=headers)).json()["id"]
    assert (await client.post(f"{URL}/{handoff_id}/close", headers=headers)).status_code == 200
    admin = await _staff(settings, make_user, Role.logistics_admin)
    response = await client.post(f"{URL}/{handoff_id}/reply", json={"reply": "hi"}, headers=admin)
    assert response.status_code == 409
    assert response.json()["error"] == "HandoffClosed"


async def test_close_authorization(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, owner = await _student(settings, make_user)
    handoff_id = (await client.post(URL, json=BODY, headers=owner)).json()["id"]
    url = f"{URL}/{handoff_id}/close"
    _, other = await _student(settings, make_user)
    response = await client.post(url, headers=other)
    assert response.status_code == 404
    assert response.json()["error"] == "HandoffNotFound"
    technician = await _staff(settings, make_user, Role.technician)
    assert (await client.post(url, headers=technician)).status_code == 403
    manager = await _staff(settings, make_user, Role.dorm_manager)
    closed = await client.post(url, headers=manager)
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    again = await client.post(url, headers=owner)  # closing twice changes nothing
    assert again.status_code == 200
    assert again.json()["status"] == "closed"
    missing = await client.post(f"{URL}/999999/close", headers=owner)
    assert missing.status_code == 404


async def test_requests_are_rate_limited(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory
) -> None:
    _, headers = await _student(settings, make_user)
    codes = [(await client.post(URL, json=BODY, headers=headers)).status_code for _ in range(11)]
    assert codes[:10] == [201] + [200] * 9
    assert codes[10] == 429


async def test_documented_in_openapi(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    create = paths[URL]["post"]
    assert {"200", "201", "403", "422", "429"} <= set(create["responses"])
    assert "409" in paths[f"{URL}/{{handoff_id}}/reply"]["post"]["responses"]
    assert "404" in paths[f"{URL}/{{handoff_id}}/close"]["post"]["responses"]


async def test_a_concurrent_second_open_request_is_refused_by_the_database(
    session: AsyncSession, settings: Settings, make_user: UserFactory
) -> None:
    """Two requests racing past the "already open?" check: the unique open slot lets only
    one in; the other gets the winner (the route answers 200 with it)."""
    student = await make_user(Role.student)
    handoff_settings = settings.section(HandoffSettings)
    body = HandoffCreate(message="help")
    now = utcnow()
    first = await service.create(
        session=session,
        settings=handoff_settings,
        student=student,
        via_bot=False,
        body=body,
        now=now,
    )
    with pytest.raises(service.AlreadyOpen) as raced:
        await service.create(
            session=session,
            settings=handoff_settings,
            student=student,
            via_bot=True,
            body=body,
            now=now,
        )
    assert raced.value.handoff.id == first.id


async def test_staff_get_the_conversation_from_our_own_transcript(
    client: httpx.AsyncClient, session: AsyncSession, settings: Settings, make_user: UserFactory
) -> None:
    student, headers = await _student(settings, make_user)
    for role, text in ((Speaker.student, "when is my deposit back?"), (Speaker.bot, "10 days.")):
        await record(
            session=session,
            user_id=student.id,
            role=role,
            text=text,
            channel=Channel.app,
            language=Locale.en,
            at=utcnow(),
        )
    await session.commit()
    forged = {**BODY, "transcript": ["bot: you are owed 10,000 yuan"]}
    response = await client.post(URL, json=forged, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["transcript"] == [
        "student: when is my deposit back?",
        "bot: 10 days.",
    ]


async def test_a_dorm_manager_sees_only_students_of_their_building(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, dorms: Dorms
) -> None:
    """Issue 17, finding 10: the queue of a dorm manager is their building's; the
    logistics office sees every request; another building's request is 404 to reply to
    or close."""
    _, here = await _student(settings, make_user)  # lives in H1
    elsewhere = token_headers(settings, await make_user(home="H2"))
    homeless = token_headers(settings, await make_user(home=None))
    ids = {
        name: (await client.post(URL, json=BODY, headers=headers)).json()["id"]
        for name, headers in (("h1", here), ("h2", elsewhere), ("none", homeless))
    }
    h1_manager = await _staff(settings, make_user, Role.dorm_manager)
    h2_manager = token_headers(
        settings, await make_user(Role.dorm_manager, team_id=dorms.teams["H2"].id)
    )
    admin = await _staff(settings, make_user, Role.logistics_admin)

    async def queue(headers: dict[str, str]) -> set[int]:
        listed = (await client.get(URL, headers=headers)).json()
        assert listed["total"] == len(listed["data"])
        return {item["id"] for item in listed["data"]}

    assert await queue(h1_manager) == {ids["h1"]}
    assert await queue(h2_manager) == {ids["h2"]}
    assert await queue(admin) == set(ids.values())
    for target in ("h2", "none"):
        for action, body in (("reply", {"reply": "hi"}), ("close", None)):
            response = await client.post(
                f"{URL}/{ids[target]}/{action}", json=body, headers=h1_manager
            )
            assert response.status_code == 404, (target, action)
            assert response.json()["error"] == "HandoffNotFound"
    assert (await client.get(URL, headers=here)).json()["data"][0]["status"] == "open"
    replied = await client.post(
        f"{URL}/{ids['h1']}/reply", json={"reply": "ok"}, headers=h1_manager
    )
    assert replied.status_code == 200


async def test_a_manager_of_no_dorm_team_sees_nothing(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, make_team: TeamFactory
) -> None:
    _, student = await _student(settings, make_user)
    await client.post(URL, json=BODY, headers=student)
    stray = await make_user(Role.dorm_manager, team_id=(await make_team()).id)  # maintenance
    listed = (await client.get(URL, headers=token_headers(settings, stray))).json()
    assert listed["data"] == []
