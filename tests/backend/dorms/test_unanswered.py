"""Unanswered questions: grouped by wording, building and week, no student identities, a
manager sees only their building; a group becomes a draft article that no search finds
until it is published, and then answers the question."""

from datetime import datetime, timedelta

import httpx
import pytest
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import Channel, ChatMessage, Speaker
from backend.chat.service import is_unanswered, mark_unanswered
from backend.core.config import Settings
from backend.identity.models import Locale, User
from backend.unanswered.service import iso_week, key_terms
from tests.backend.dorms.conftest import People

URL = "/api/v1/admin/unanswered"
PRINT = [
    "Where can I print my homework?",
    "is there a printer to print documents in the building",
    "print something — where? call me 13800138000",
]
PRINT_ZH = ["哪里可以打印资料", "楼里哪里可以打印"]


async def say(
    session: AsyncSession,
    user: User,
    text: str,
    *,
    unanswered: bool | None = True,
    at: datetime | None = None,
    role: Speaker = Speaker.student,
) -> None:
    session.add(
        ChatMessage(
            user_id=user.id,
            role=role,
            text=text,
            channel=Channel.app,
            language=Locale.en,
            unanswered=unanswered,
            created_at=at or datetime.now().astimezone(),
        )
    )
    await session.commit()


@pytest.fixture
async def asked(session: AsyncSession, people: People, settings: Settings) -> str:
    """This week: B7's student asked about printing 3× and in Chinese 2×; B3's student once;
    an answered question and a bot message do not count; last month's neither."""
    for text in PRINT + PRINT_ZH:
        await say(session, people.student_user, text)
    await say(session, people.other_user, "Where can I print at B3?")
    await say(session, people.student_user, "when does the laundry open", unanswered=None)
    await say(session, people.student_user, "Sorry, I did not get that", role=Speaker.bot)
    await say(
        session,
        people.student_user,
        "where can I print my homework",
        at=datetime.now().astimezone() - timedelta(days=40),
    )
    return iso_week(datetime.now(settings.tz).date())


def test_key_terms_normalise_like_the_search() -> None:
    assert key_terms("Where can I print my documents in the dorm?") >= {"print", "document"}
    assert "dorm" not in key_terms("Where can I print my documents in the dorm?")
    assert {"打印", "资料"} <= key_terms("哪里可以打印资料")


async def test_groups_by_wording_building_and_week(
    client: httpx.AsyncClient, people: People, asked: str
) -> None:
    response = await client.get(URL, params={"week": asked}, headers=people.admin)
    assert response.status_code == 200, response.text
    groups = response.json()["data"]
    summary = sorted((g["building_code"], g["count"]) for g in groups)
    assert summary == [("B3", 1), ("B7", 2), ("B7", 3)]
    english = next(g for g in groups if g["count"] == 3)
    assert "print" in english["terms"]
    assert len(english["examples"]) == 3
    text = response.text
    assert "13800138000" not in text  # long numbers are masked
    for user in (people.student_user, people.other_user):
        assert user.name not in text
        assert user.username not in text
        assert f'"user_id":{user.id}' not in text.replace(" ", "")


async def test_a_manager_sees_only_their_building(
    client: httpx.AsyncClient, people: People, asked: str
) -> None:
    own = await client.get(URL, params={"week": asked}, headers=people.manager_b3)
    assert own.status_code == 200, own.text
    assert [(g["building_code"], g["count"]) for g in own.json()["data"]] == [("B3", 1)]
    other = await client.get(
        URL, params={"week": asked, "building": "B7"}, headers=people.manager_b3
    )
    assert other.status_code == 403
    assert other.json()["error"] == "NotYourBuilding"


@pytest.mark.parametrize("who", ["student", "bot_for_student", "technician"])
async def test_students_and_other_staff_are_refused(
    client: httpx.AsyncClient, people: People, asked: str, who: str
) -> None:
    headers = getattr(people, who)
    listed = await client.get(URL, params={"week": asked}, headers=headers)
    drafted = await client.post(
        f"{URL}/draft", json={"id": 1, "week": asked, "building": "B7"}, headers=headers
    )
    assert (listed.status_code, drafted.status_code) == (403, 403)
    assert listed.json()["error"] == "DormStaffOnly"


async def test_weeks_are_iso_weeks(client: httpx.AsyncClient, people: People) -> None:
    for bad in ("2026-49", "2026-W54", "2026-W00", "x"):
        response = await client.get(URL, params={"week": bad}, headers=people.admin)
        assert response.status_code == 422, bad


async def test_a_group_becomes_a_draft_and_once_published_answers_the_question(
    client: httpx.AsyncClient, people: People, asked: str
) -> None:
    question = {"q": "where can I print my homework"}
    before = await client.get("/api/v1/guidance", params=question, headers=people.student)
    assert before.json()["data"] == []
    groups = (await client.get(URL, params={"week": asked}, headers=people.manager_b7)).json()
    group = next(g for g in groups["data"] if g["count"] == 3)
    response = await client.post(
        f"{URL}/draft", json={"id": group["id"], "week": asked}, headers=people.manager_b7
    )
    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["published"] is False
    assert draft["building_code"] == "B7"
    assert "Where can I print my homework?" in draft["aliases"]
    # A draft: found by no search, read by no student.
    still = await client.get("/api/v1/guidance", params=question, headers=people.student)
    assert still.json()["data"] == []
    hidden = await client.get(f"/api/v1/guidance/{draft['id']}", headers=people.student)
    assert hidden.status_code == 404
    again = await client.post(
        f"{URL}/draft", json={"id": group["id"], "week": asked}, headers=people.manager_b7
    )
    assert again.status_code == 409
    # The manager writes the answer and publishes it: now the question is answered.
    published = await client.patch(
        f"/api/v1/guidance/{draft['id']}",
        json={
            "title_en": "Printing in the building",
            "title_zh": "楼内打印",
            "body_en": "A self-service printer is in the lobby; pay with your campus card.",
            "body_zh": "大厅有自助打印机，可用校园卡支付。",
            "published": True,
        },
        headers=people.manager_b7,
    )
    assert published.status_code == 200, published.text
    after = await client.get("/api/v1/guidance", params=question, headers=people.student)
    assert [hit["id"] for hit in after.json()["data"]][:1] == [draft["id"]]


async def test_drafting_checks_group_and_building(
    client: httpx.AsyncClient, people: People, asked: str
) -> None:
    groups = (await client.get(URL, params={"week": asked}, headers=people.admin)).json()["data"]
    b7 = next(g for g in groups if g["building_code"] == "B7")
    cases = [
        (people.admin, {"id": b7["id"], "week": asked}, 422, "BuildingRequired"),
        (people.admin, {"id": b7["id"], "week": asked, "building": "B3"}, 404, None),
        (people.manager_b3, {"id": b7["id"], "week": asked, "building": "B7"}, 403, None),
        (people.manager_b3, {"id": b7["id"], "week": asked}, 404, "UnansweredGroupNotFound"),
    ]
    for headers, body, status, error in cases:
        response = await client.post(f"{URL}/draft", json=body, headers=headers)
        assert response.status_code == status, (body, response.text)
        if error:
            assert response.json()["error"] == error
    ok = await client.post(
        f"{URL}/draft", json={"id": b7["id"], "week": asked, "building": "B7"}, headers=people.admin
    )
    assert ok.status_code == 201, ok.text


def test_the_bot_marker() -> None:
    assert is_unanswered([None, {"unanswered": True}])
    assert not is_unanswered([None, {"unanswered": "yes"}, {}])
    assert not is_unanswered([])


async def test_mark_flags_only_that_message(
    session: AsyncSession, people: People, settings: Settings
) -> None:
    await say(session, people.student_user, "Where can I print my homework?", unanswered=None)
    await say(session, people.student_user, "thanks", unanswered=None)
    first, second = (await session.exec(select(ChatMessage).order_by(col(ChatMessage.id)))).all()
    await mark_unanswered(session=session, message_id=first.id)
    await session.commit()
    await session.refresh(first)
    await session.refresh(second)
    assert (first.unanswered, second.unanswered) == (True, None)
