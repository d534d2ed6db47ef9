"""Staff file a ticket for a student (phone, front desk): who may, whose ticket it is,
what the first history entry records, the duplicate check and Idempotency-Key."""

from typing import Any

import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.repairs.models import RepairEvent, RepairTicket
from tests.backend.repairs.conftest import Api, Campus

URL = "/for-student"


def report(**fields: Any) -> dict[str, Any]:
    return {
        "student": "placeholder",
        "category": "plumbing",
        "description": "The tap keeps dripping 水龙头滴水",
        "note": "by phone / 电话报修",
        **fields,
    }


@pytest.mark.parametrize(
    ("actor", "student", "extra", "status", "error"),
    [
        ("admin", "reporter", {}, 201, None),
        ("dorm_manager", "reporter", {}, 201, None),  # B7's manager, a B7 student
        ("dorm_manager", "other", {}, 403, "FilingForStudentForbidden"),  # lives in B3
        ("dorm_manager", "reporter", {"building_code": "B3"}, 403, "FilingForStudentForbidden"),
        ("dorm_manager", "other", {"building_code": "B7", "room": "204"}, 201, None),
        ("tech", "reporter", {}, 403, "FilingForStudentForbidden"),
        ("reporter", "follower", {}, 403, "StaffOnly"),
        ("bot:reporter", "follower", {}, 403, "StaffOnly"),
    ],
)
async def test_who_may_file_for_a_student(
    api: Api,
    campus: Campus,
    session: AsyncSession,
    actor: str,
    student: str,
    extra: dict[str, Any],
    status: int,
    error: str | None,
) -> None:
    before = len((await session.exec(select(RepairTicket))).all())
    body = report(student=campus[student].username, **extra)
    response = await api(actor, "POST", URL, json=body)
    assert response.status_code == status, response.text
    if error is not None:
        assert response.json()["error"] == error
        assert len((await session.exec(select(RepairTicket))).all()) == before


async def test_the_ticket_is_the_students_and_the_filer_is_recorded(
    api: Api, campus: Campus, session: AsyncSession
) -> None:
    response = await api(
        "dorm_manager", "POST", URL, json=report(student=campus["reporter"].username)
    )
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["reporter"] == "other"
    assert ticket["location"] == {"building_code": "B7", "room": "312", "note": None}
    [entry] = ticket["history"]
    assert entry["actor_role"] == "dorm_manager"
    assert entry["action"] == "submit"
    assert entry["note"] == "by phone / 电话报修"
    stored = await session.get(RepairTicket, ticket["id"])
    assert stored is not None
    assert stored.reporter_id == campus["reporter"].id
    [event] = (
        await session.exec(select(RepairEvent).where(RepairEvent.ticket_id == stored.id))
    ).all()
    assert event.actor_id == campus["dorm_manager"].id
    # The student sees it as theirs and may act on it as the reporter.
    mine = await api("reporter", "GET", f"/{ticket['id']}")
    assert mine.status_code == 200
    assert mine.json()["reporter"] == "me"
    cancel = await api(
        "reporter", "POST", f"/{ticket['id']}/transitions", json={"action": "cancel"}
    )
    assert cancel.status_code == 200, cancel.text


async def test_duplicates_are_checked_as_for_the_student(api: Api, campus: Campus) -> None:
    own = await api(
        "reporter",
        "POST",
        json={"category": "plumbing", "description": "The tap keeps dripping 水龙头滴水"},
    )
    assert own.status_code == 201, own.text
    body = report(student=campus["follower"].username, room="312")
    duplicate = await api("admin", "POST", URL, json=body)
    assert duplicate.status_code == 409, duplicate.text
    assert [d["id"] for d in duplicate.json()["duplicates"]] == [own.json()["id"]]
    forced = await api("admin", "POST", URL, json={**body, "report_even_if_duplicate": True})
    assert forced.status_code == 201, forced.text


async def test_unknown_or_non_student_usernames_are_refused(
    api: Api, campus: Campus, session: AsyncSession
) -> None:
    for username in ("nobody", campus["tech"].username):
        response = await api("admin", "POST", URL, json=report(student=username))
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "UnknownStudent"
    assert (await session.exec(select(RepairTicket))).all() == []


async def test_idempotency_key_makes_a_retry_safe(
    api: Api, campus: Campus, session: AsyncSession
) -> None:
    body = report(student=campus["reporter"].username)
    headers = {"Idempotency-Key": "desk-call-1"}
    first = await api("admin", "POST", URL, json=body, headers=headers)
    again = await api("admin", "POST", URL, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert len((await session.exec(select(RepairTicket))).all()) == 1
    changed = await api("admin", "POST", URL, json={**body, "note": "other"}, headers=headers)
    assert changed.status_code == 422
    assert changed.json()["error"] == "IdempotencyKeyReused"
