from datetime import date

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms import service
from backend.dorms.exceptions import NoTermScheduled
from tests.backend.conftest import UserFactory
from tests.backend.dorms.conftest import Campus, People, house
from tests.backend.helpers import login

AUTUMN = {"term": "2026-autumn"}  # 2026-09-07 … 2027-01-15


def steps(checklist: dict) -> list[tuple[str, str | None]]:
    return [(item["text_en"].split()[0], item["due_on"]) for item in checklist["items"]]


async def test_b3_follows_the_campus_dates(client: httpx.AsyncClient, people: People) -> None:
    response = await client.get(
        "/api/v1/dorms/me/checklists", params=AUTUMN, headers=people.other_student
    )
    assert response.status_code == 200
    body = response.json()
    assert body["building_code"] == "B3"
    assert body["term"] == {
        "code": "2026-autumn",
        "name_en": "Autumn 2026",
        "name_zh": "2026年秋季学期",
        "starts_on": "2026-09-07",
        "ends_on": "2027-01-15",
    }
    assert body["count"] == 2
    move_in, move_out = body["data"]
    assert (move_in["kind"], move_in["opens_on"], move_in["closes_on"]) == (
        "move_in",
        "2026-09-04",
        "2026-09-06",
    )
    assert (move_in["title_en"], move_in["title_zh"]) == ("Move-in", "入住")
    assert steps(move_in) == [
        ("Pay", "2026-09-03"),  # the day before the window opens
        ("Check", "2026-09-06"),
        ("Collect", "2026-09-06"),
        ("Check", "2026-09-09"),  # inventory: three days after the window closes
        ("Top", None),
        ("Sign", None),
        ("Attend", "2026-09-13"),
    ]
    assert all(item["text_zh"] for item in move_in["items"])
    assert (move_out["opens_on"], move_out["closes_on"]) == ("2027-01-16", "2027-01-18")
    assert steps(move_out)[0] == ("Book", "2027-01-16")  # two days before the last day


async def test_b7_moves_in_a_day_early_with_its_own_step(
    client: httpx.AsyncClient, people: People
) -> None:
    body = (
        await client.get("/api/v1/dorms/me/checklists", params=AUTUMN, headers=people.student)
    ).json()
    move_in, move_out = body["data"]
    assert (move_in["opens_on"], move_in["closes_on"]) == ("2026-09-03", "2026-09-05")
    assert steps(move_in)[:4] == [
        ("Pay", "2026-09-02"),
        ("Check", "2026-09-05"),
        ("Collect", "2026-09-05"),
        ("Book", "2026-09-03"),  # Building 7's lift booking, in position order
    ]
    assert (move_out["opens_on"], move_out["closes_on"]) == ("2027-01-16", "2027-01-18")
    assert len(move_out["items"]) == 5  # campus-wide only


async def test_b12_window_and_kitchen_steps(
    client: httpx.AsyncClient, campus: Campus, make_user: UserFactory, session: AsyncSession
) -> None:
    student = await make_user()
    await house(session, student, campus.buildings["B12"], "501", date(2026, 9, 1))
    body = (
        await client.get(
            "/api/v1/dorms/me/checklists",
            params={"term": "2027-spring"},
            headers=await login(client, student),
        )
    ).json()
    move_in, move_out = body["data"]
    assert (move_in["opens_on"], move_in["closes_on"]) == ("2027-02-20", "2027-02-24")
    assert (move_out["opens_on"], move_out["closes_on"]) == ("2027-07-10", "2027-07-16")
    assert any("kitchen" in item["text_en"] for item in move_out["items"])
    assert not any("lift" in item["text_en"] for item in move_in["items"])


async def test_the_bot_gets_the_students_checklists(
    client: httpx.AsyncClient, people: People
) -> None:
    as_bot = await client.get(
        "/api/v1/dorms/me/checklists", params=AUTUMN, headers=people.bot_for_student
    )
    as_student = await client.get(
        "/api/v1/dorms/me/checklists", params=AUTUMN, headers=people.student
    )
    assert as_bot.status_code == 200
    assert as_bot.json() == as_student.json()


@pytest.mark.parametrize(
    ("today", "term"),
    [
        (date(2026, 8, 20), "2026-autumn"),  # summer: the coming term
        (date(2026, 11, 23), "2026-autumn"),  # during the term
        (date(2027, 1, 15), "2026-autumn"),  # its last day
        (date(2027, 1, 16), "2027-spring"),  # winter break: the next one
    ],
)
async def test_default_term_is_the_current_or_next(
    session: AsyncSession, campus: Campus, make_user: UserFactory, today: date, term: str
) -> None:
    student = await make_user()
    await house(session, student, campus.buildings["B7"], "101", date(2026, 9, 1))
    result = await service.checklists(
        session=session, student_id=student.id, today=today, term_code=None
    )
    assert result.term.code == term
    assert result.building_code == "B7"  # in August: the building they are moving into


async def test_no_term_left_is_404(session: AsyncSession, people: People) -> None:
    with pytest.raises(NoTermScheduled):
        await service.checklists(
            session=session,
            student_id=people.student_user.id,
            today=date(2027, 7, 10),
            term_code=None,
        )


async def test_unknown_term_is_404(client: httpx.AsyncClient, people: People) -> None:
    response = await client.get(
        "/api/v1/dorms/me/checklists", params={"term": "1999-spring"}, headers=people.student
    )
    assert response.status_code == 404
    assert response.json()["error"] == "TermNotFound"


async def test_not_housed_and_staff(
    client: httpx.AsyncClient, people: People, make_user: UserFactory
) -> None:
    unhoused = await login(client, await make_user())
    response = await client.get("/api/v1/dorms/me/checklists", params=AUTUMN, headers=unhoused)
    assert response.json()["error"] == "NotHoused"
    staff = await client.get("/api/v1/dorms/me/checklists", headers=people.manager_b7)
    assert staff.status_code == 403
