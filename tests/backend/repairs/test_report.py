"""Reporting: the place, the responsible crew, the SLA, duplicates, idempotency, limits."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.dorms.models import RoomAssignment
from backend.identity.models import Team, TeamKind, Trade
from backend.repairs.models import RepairTicket
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock, token_headers
from tests.backend.repairs.conftest import (
    PNG,
    Api,
    Campus,
    TicketFactory,
)

PHOTO = {"file": ("a.png", PNG, "image/png")}

DESCRIPTION = "卫生间水龙头一直滴水 / the tap keeps dripping"


async def report(api: Api, actor: str = "reporter", **body: Any) -> Any:
    return await api(
        actor, "POST", json={"category": "plumbing", "description": DESCRIPTION, **body}
    )


async def count_tickets(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(RepairTicket))).one()


async def test_report_defaults_to_my_room_and_routes_to_the_crew(
    api: Api, campus: Campus, clock: StoppedClock
) -> None:
    response = await report(api, location_note="bathroom")
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["location"] == {"building_code": "B7", "room": "312", "note": "bathroom"}
    assert ticket["team"] == {
        "slug": "maint-plumbing",
        "name_en": "Plumbing Crew",
        "name_zh": "plumbing班",
    }
    assert ticket["status"] == "submitted"
    assert ticket["priority"] == "normal"
    assert ticket["reporter"] == "me"
    assert ticket["following"] is False
    assert ticket["photos"] == []
    assert ticket["assignee"] is None
    assert [h["action"] for h in ticket["history"]] == ["submit"]
    assert ticket["history"][0]["from_status"] is None
    created = datetime.fromisoformat(ticket["created_at"])
    assert created == clock.now()
    assert ticket["created_at"].endswith("+08:00")  # campus time
    assert datetime.fromisoformat(ticket["due_at"]) == clock.now() + timedelta(hours=72)


@pytest.mark.parametrize(
    ("category", "trade"),
    [
        ("electrical", Trade.electrical),
        ("plumbing", Trade.plumbing),
        ("furniture", Trade.carpentry),
        ("door_lock", Trade.carpentry),
        ("network", Trade.network),
        ("air_conditioning", Trade.hvac),
        ("appliance", Trade.appliance),
        ("other", Trade.general),
    ],
)
async def test_category_decides_the_crew(
    api: Api, campus: Campus, category: str, trade: Trade
) -> None:
    response = await api(
        "reporter", "POST", json={"category": category, "description": DESCRIPTION}
    )
    assert response.json()["team"]["slug"] == campus.crews[trade].slug


async def test_a_building_crew_takes_precedence_over_the_campus_crew(
    api: Api, campus: Campus, session: AsyncSession
) -> None:
    b3_plumbers = Team(
        slug="maint-plumbing-b3",
        name_en="B3 Plumbing",
        name_zh="3号楼水暖",
        kind=TeamKind.maintenance,
        trade=Trade.plumbing,
        building_id=campus.buildings["B3"].id,
    )
    session.add(b3_plumbers)
    await session.commit()
    in_b3 = await report(api, "other")
    assert in_b3.json()["team"]["slug"] == "maint-plumbing-b3"
    in_b7 = await report(api, "reporter")
    assert in_b7.json()["team"]["slug"] == "maint-plumbing"


@pytest.mark.parametrize(
    ("priority", "hours"), [("emergency", 4), ("high", 24), ("normal", 72), ("low", 168)]
)
async def test_sla_by_priority(
    api: Api, campus: Campus, clock: StoppedClock, priority: str, hours: int
) -> None:
    ticket = (await report(api, priority=priority)).json()
    assert datetime.fromisoformat(ticket["due_at"]) == clock.now() + timedelta(hours=hours)


async def test_overdue_follows_the_clock(
    api: Api, ticket_in: TicketFactory, clock: StoppedClock
) -> None:
    ticket = await ticket_in(priority="emergency")
    assert ticket["is_overdue"] is False
    clock.advance(hours=4, seconds=1)
    assert (await api("reporter", "GET", f"/{ticket['id']}")).json()["is_overdue"] is True
    # Completed work is no longer overdue (it waits for the student's confirmation).
    for move in ({"action": "assign"}, {"action": "start"}, {"action": "complete"}):
        await api("tech", "POST", f"/{ticket['id']}/transitions", json=move)
    assert (await api("reporter", "GET", f"/{ticket['id']}")).json()["is_overdue"] is False


async def test_explicit_places(api: Api, campus: Campus) -> None:
    elsewhere = await report(api, building_code="b3", room="204")
    assert elsewhere.json()["location"] == {"building_code": "B3", "room": "204", "note": None}
    room_only = await report(api, room="313", category="network")
    assert room_only.json()["location"]["building_code"] == "B7"
    assert room_only.json()["location"]["room"] == "313"
    shared = await report(api, building_code="B7", location_note="3F corridor", category="other")
    assert shared.json()["location"] == {"building_code": "B7", "room": None, "note": "3F corridor"}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"building_code": "B99"}, "UnknownBuilding"),
        ({"building_code": "B7", "room": "999"}, "UnknownRoom"),
        ({"room": "999"}, "UnknownRoom"),
    ],
)
async def test_unknown_places_are_422(
    api: Api, campus: Campus, session: AsyncSession, body: dict[str, str], error: str
) -> None:
    before = await count_tickets(session)
    response = await report(api, **body)
    assert response.status_code == 422
    assert response.json()["error"] == error
    assert await count_tickets(session) == before


async def test_not_housed_needs_a_place(
    api: Api, campus: Campus, make_user: UserFactory, settings: Settings
) -> None:
    drifter = await make_user()
    h = token_headers(settings, drifter)
    body = {"category": "other", "description": DESCRIPTION}
    for extra in ({}, {"room": "312"}):
        response = await api("admin", "POST", json={**body, **extra}, headers=h)
        assert response.status_code == 422
        assert response.json()["error"] == "LocationRequired"
    noted = await api("admin", "POST", json={**body, "location_note": "Library 2F"}, headers=h)
    assert noted.status_code == 201
    assert noted.json()["location"] == {"building_code": None, "room": None, "note": "Library 2F"}
    assert noted.json()["team"]["slug"] == "maint-general"


@pytest.mark.parametrize(
    "body",
    [
        {"category": "plumbing", "description": "drip"},  # too short
        {"category": "plumbing", "description": "x" * 2001},
        {"category": "roof", "description": DESCRIPTION},
        {"category": "plumbing", "description": DESCRIPTION, "priority": "urgent"},
        {"category": "plumbing", "description": DESCRIPTION, "status": "closed"},
        {"category": "plumbing", "description": DESCRIPTION, "team_id": 1},
        {"description": DESCRIPTION},
    ],
)
async def test_bad_bodies_are_422_and_create_nothing(
    api: Api, campus: Campus, session: AsyncSession, body: dict[str, Any]
) -> None:
    response = await api("reporter", "POST", json=body)
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"
    assert await count_tickets(session) == 0


async def test_duplicate_offers_me_too(
    api: Api, ticket_in: TicketFactory, session: AsyncSession, campus: Campus
) -> None:
    original = await ticket_in()  # electrical, B7-312, by reporter
    # A roommate reports the same at the same room.
    roommate_body = {
        "category": "electrical",
        "description": "Light flickering in 312",
        "building_code": "B7",
        "room": "312",
    }
    response = await api("follower", "POST", json=roommate_body)
    assert response.status_code == 409
    error = response.json()
    assert error["error"] == "PossibleDuplicate"
    assert "detail" in error
    assert [d["id"] for d in error["duplicates"]] == [original["id"]]
    assert error["duplicates"][0]["reporter"] == "other"
    assert error["duplicates"][0]["following"] is True  # the fixture's follower already follows
    before = await count_tickets(session)
    # Insisting creates a new ticket.
    forced = await api("follower", "POST", json={**roommate_body, "report_even_if_duplicate": True})
    assert forced.status_code == 201
    assert await count_tickets(session) == before + 1


async def test_me_too_then_see_it(api: Api, campus: Campus) -> None:
    created = await report(api, "reporter", building_code="B7", room="313")
    response = await report(api, "follower")  # follower lives in 313
    assert response.status_code == 409
    ticket_id = response.json()["duplicates"][0]["id"]
    assert ticket_id == created.json()["id"]
    followed = await api("follower", "POST", f"/{ticket_id}/followers")
    assert followed.status_code == 200
    assert followed.json()["following"] is True
    assert followed.json()["reporter"] == "other"
    again = await api("follower", "POST", f"/{ticket_id}/followers")
    assert again.status_code == 200
    mine = await api("follower", "GET")
    assert [t["id"] for t in mine.json()["data"]] == [ticket_id]
    assert (await api("follower", "GET", f"/{ticket_id}")).json()["following"] is True


async def test_what_is_not_a_duplicate(api: Api, ticket_in: TicketFactory, campus: Campus) -> None:
    await ticket_in()  # electrical, B7-312, open
    other_category = await report(api, "follower", building_code="B7", room="312")
    assert other_category.status_code == 201
    other_room = await api(
        "follower",
        "POST",
        json={"category": "electrical", "description": DESCRIPTION},  # their own room 313
    )
    assert other_room.status_code == 201
    building_wide = await api(
        "follower",
        "POST",
        json={"category": "electrical", "description": DESCRIPTION, "building_code": "B7"},
    )
    assert building_wide.status_code == 201


async def test_closed_and_cancelled_tickets_are_not_duplicates(
    api: Api, ticket_in: TicketFactory
) -> None:
    await ticket_in("closed")
    await ticket_in("cancelled")
    again = await api(
        "reporter", "POST", json={"category": "electrical", "description": DESCRIPTION}
    )
    assert again.status_code == 201


async def test_duplicates_in_another_building_stay_private(
    api: Api, ticket_in: TicketFactory, campus: Campus
) -> None:
    """``other`` lives in B3: reporting at B7-312 creates a ticket instead of revealing
    B7 students' tickets, and they cannot follow them."""
    original = await ticket_in()
    body = {
        "category": "electrical",
        "description": DESCRIPTION,
        "building_code": "B7",
        "room": "312",
    }
    response = await api("other", "POST", json=body)
    assert response.status_code == 201
    assert (await api("other", "POST", f"/{original['id']}/followers")).status_code == 404


async def test_my_own_open_ticket_is_a_duplicate_even_elsewhere(api: Api, campus: Campus) -> None:
    body = {"building_code": "B3", "room": "204"}
    first = await report(api, "reporter", **body)
    second = await report(api, "reporter", **body)
    assert second.status_code == 409
    assert [d["id"] for d in second.json()["duplicates"]] == [first.json()["id"]]
    assert second.json()["duplicates"][0]["reporter"] == "me"


async def test_only_offered_pending_tickets_in_my_building_can_be_followed(
    api: Api,
    ticket_in: TicketFactory,
    make_user: UserFactory,
    session: AsyncSession,
    campus: Campus,
    settings: Settings,
) -> None:
    """Issue 17, finding 3. A neighbour in B7-204 may say "me too" to a pending B7 ticket
    the duplicate check offered them — not to one they found by walking ids, not to a
    completed or closed one (which, not being theirs, do not exist for them)."""
    closed = await ticket_in("closed")
    completed = await ticket_in("completed")
    open_ticket = await ticket_in("in_progress")
    neighbour = await make_user()
    session.add(
        RoomAssignment(
            student_id=neighbour.id,
            room_id=campus.rooms["B7", "204"].id,
            starts_on=date(2026, 9, 1),
        )
    )
    await session.commit()
    h = token_headers(settings, neighbour)
    for ticket in (closed, completed, open_ticket):  # not offered: enumeration finds nothing
        walked = await api("admin", "POST", f"/{ticket['id']}/followers", headers=h)
        assert walked.status_code == 404
        assert walked.json()["error"] == "RepairNotFound"
    same_problem = {
        "category": "electrical",
        "description": "Light flickering in 312 too",
        "building_code": "B7",
        "room": "312",
    }
    offered = await api("admin", "POST", json=same_problem, headers=h)
    assert offered.status_code == 409
    assert [d["id"] for d in offered.json()["duplicates"]] == [open_ticket["id"]]
    assert offered.json()["duplicates"][0]["location"]["note"] is None
    accepted = await api("admin", "POST", f"/{open_ticket['id']}/followers", headers=h)
    assert accepted.status_code == 200
    assert accepted.json()["following"] is True
    assert (await api("admin", "GET", f"/{open_ticket['id']}", headers=h)).status_code == 200
    for ticket in (closed, completed):
        assert (await api("admin", "GET", f"/{ticket['id']}", headers=h)).status_code == 404
    # A follower cannot move the ticket.
    moved = await api(
        "admin", "POST", f"/{open_ticket['id']}/transitions", json={"action": "cancel"}, headers=h
    )
    assert moved.status_code == 403


async def test_a_follower_sees_status_crew_and_due_time_only(
    api: Api, ticket_in: TicketFactory, campus: Campus
) -> None:
    """No photos, history, notes or names: what the tester saw after following is gone."""
    ticket = await ticket_in("on_hold", location_note="bathroom, Li Wei's side")
    uploaded = await api("reporter", "POST", f"/{ticket['id']}/photos", files=PHOTO)
    assert uploaded.status_code == 201
    full = (await api("reporter", "GET", f"/{ticket['id']}")).json()
    assert full["history"]
    assert full["photos"]
    assert full["assignee"]
    assert full["location"]["note"] == "bathroom, Li Wei's side"
    seen = await api("follower", "GET", f"/{ticket['id']}")
    assert seen.status_code == 200
    view = seen.json()
    assert (view["status"], view["team"], view["due_at"]) == (
        full["status"],
        full["team"],
        full["due_at"],
    )
    assert view["history"] == []
    assert view["photos"] == []
    assert view["assignee"] is None
    assert view["location"]["note"] is None
    assert "Wang" not in seen.text
    assert "Li Wei" not in seen.text
    listed = (await api("follower", "GET")).json()["data"]
    assert [t["location"]["note"] for t in listed] == [None]
    photo = await api("follower", "GET", uploaded.json()["url"].removeprefix("/api/v1/repairs"))
    assert photo.status_code == 404


async def test_idempotency_key(api: Api, campus: Campus, session: AsyncSession) -> None:
    body = {"category": "appliance", "description": "Water heater makes a loud noise"}
    key = {"Idempotency-Key": "3f1c2a4e-report-1"}
    first = await api("reporter", "POST", json=body, headers=key)
    second = await api("reporter", "POST", json=body, headers=key)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert await count_tickets(session) == 1
    other = await api("reporter", "POST", json={**body, "priority": "high"}, headers=key)
    assert other.status_code == 422
    assert other.json()["error"] == "IdempotencyKeyReused"
    assert await count_tickets(session) == 1


async def test_a_duplicate_answer_is_not_stored_under_the_key(
    api: Api, ticket_in: TicketFactory, session: AsyncSession
) -> None:
    await ticket_in()
    body = {"category": "electrical", "description": DESCRIPTION}
    key = {"Idempotency-Key": "dup-key"}
    first = await api("reporter", "POST", json=body, headers=key)
    assert first.status_code == 409
    again = await api("reporter", "POST", json=body, headers=key)
    assert again.status_code == 409
    assert "Idempotent-Replayed" not in again.headers


async def test_reports_are_rate_limited_per_user(api: Api, campus: Campus) -> None:
    codes = [
        (
            await report(api, "reporter", location_note=f"spot {n}", report_even_if_duplicate=True)
        ).status_code
        for n in range(21)
    ]
    assert codes == [201] * 20 + [429]
    # Another student is not affected.
    assert (await report(api, "follower")).status_code == 201
