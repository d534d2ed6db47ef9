"""The state machine: every legal move, every illegal one (409 with the reason), and what
each move records."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Role, Trade
from backend.repairs.models import RepairAction, RepairEvent, RepairStatus, RepairTicket
from backend.repairs.transitions import MOVES
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import Api, Campus, TicketFactory, status_of
from tests.backend.surveys.factories import make_template

# Who makes each move in these tests (the matrix in test_access covers everyone else).
ACTOR = {
    RepairAction.assign: "tech",
    RepairAction.start: "tech",
    RepairAction.hold: "tech",
    RepairAction.resume: "tech",
    RepairAction.complete: "tech",
    RepairAction.cancel: "reporter",
    RepairAction.confirm: "reporter",
    RepairAction.reopen: "reporter",
}


def body(action: RepairAction) -> dict[str, Any]:
    extra = {"reason": "waiting for a part"} if action == RepairAction.hold else {}
    return {"action": action.value, "note": f"{action.value} note", **extra}


LEGAL = [
    (status, action, move.target)
    for action, move in MOVES.items()
    for status in sorted(move.sources)
]
ILLEGAL = [
    (status, action)
    for action, move in MOVES.items()
    for status in sorted(set(RepairStatus) - move.sources)
]


def test_the_table_is_the_documented_machine() -> None:
    legal = {(s.value, a.value, t.value) for s, a, t in LEGAL}
    assert legal == {
        ("submitted", "assign", "assigned"),
        ("assigned", "assign", "assigned"),
        ("reopened", "assign", "assigned"),
        ("assigned", "start", "in_progress"),
        ("reopened", "start", "in_progress"),
        ("in_progress", "hold", "on_hold"),
        ("on_hold", "resume", "in_progress"),
        ("in_progress", "complete", "completed"),
        ("completed", "confirm", "closed"),
        ("completed", "reopen", "reopened"),
        *{
            (s, "cancel", "cancelled")
            for s in ("submitted", "assigned", "in_progress", "on_hold", "reopened")
        },
    }


@pytest.mark.parametrize(("start", "action", "target"), LEGAL, ids=str)
async def test_every_legal_move(
    api: Api,
    ticket_in: TicketFactory,
    clock: StoppedClock,
    start: RepairStatus,
    action: RepairAction,
    target: RepairStatus,
) -> None:
    ticket = await ticket_in(start.value)
    clock.advance(minutes=5)
    response = await api(ACTOR[action], "POST", f"/{ticket['id']}/transitions", json=body(action))
    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["status"] == target.value
    last = detail["history"][-1]
    assert last["action"] == action.value
    assert (last["from_status"], last["to_status"]) == (start.value, target.value)
    assert last["note"] == f"{action.value} note"
    assert last["actor_role"] == ("technician" if ACTOR[action] == "tech" else "student")
    assert datetime.fromisoformat(last["at"]) == clock.now()
    assert last["reason"] == ("waiting for a part" if action == RepairAction.hold else None)
    assert datetime.fromisoformat(detail["updated_at"]) == clock.now()


@pytest.mark.parametrize(("start", "action"), ILLEGAL, ids=str)
async def test_every_illegal_move_is_409_with_the_reason(
    api: Api, ticket_in: TicketFactory, start: RepairStatus, action: RepairAction
) -> None:
    ticket = await ticket_in(start.value)
    response = await api(ACTOR[action], "POST", f"/{ticket['id']}/transitions", json=body(action))
    assert response.status_code == 409, response.text
    error = response.json()
    assert error["error"] == "IllegalTransition"
    assert f"Cannot {action.value} ticket #{ticket['id']}: it is {start.value}" in error["detail"]
    assert "无法" in error["detail"]
    assert await status_of(api, ticket["id"]) == start.value
    history = (await api("admin", "GET", f"/{ticket['id']}")).json()["history"]
    assert len(history) == len(ticket["history"])  # nothing recorded


async def test_full_life_is_recorded_in_order(
    api: Api, ticket_in: TicketFactory, campus: Campus, session: AsyncSession
) -> None:
    ticket = await ticket_in("closed")
    detail = (await api("reporter", "GET", f"/{ticket['id']}")).json()
    assert [(h["action"], h["to_status"]) for h in detail["history"]] == [
        ("submit", "submitted"),
        ("assign", "assigned"),
        ("start", "in_progress"),
        ("complete", "completed"),
        ("confirm", "closed"),
    ]
    assert detail["assignee"] == {"id": campus["tech"].id, "name": campus["tech"].name}
    events = (
        await session.exec(select(RepairEvent).where(RepairEvent.ticket_id == ticket["id"]))
    ).all()
    actors = [e.actor_id for e in sorted(events, key=lambda e: e.id)]
    tech, reporter = campus["tech"].id, campus["reporter"].id
    assert actors == [reporter, tech, tech, tech, reporter]


async def test_bot_moves_are_recorded_as_the_students_via_the_bot(
    api: Api, ticket_in: TicketFactory, campus: Campus, session: AsyncSession
) -> None:
    ticket = await ticket_in("completed")
    response = await api(
        "bot:reporter", "POST", f"/{ticket['id']}/transitions", json={"action": "confirm"}
    )
    assert response.status_code == 200
    assert response.json()["history"][-1]["actor_role"] == "student"
    event = (
        await session.exec(
            select(RepairEvent).where(
                RepairEvent.ticket_id == ticket["id"], RepairEvent.action == RepairAction.confirm
            )
        )
    ).one()
    assert (event.actor_id, event.via_bot) == (campus["reporter"].id, True)


async def test_hold_needs_a_reason_and_reason_is_only_for_hold(
    api: Api, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("in_progress")
    path = f"/{ticket['id']}/transitions"
    for bad in (
        {"action": "hold"},
        {"action": "hold", "reason": "   "},
        {"action": "complete", "reason": "why"},
        {"action": "start", "assignee_id": 1},
        {"action": "submit"},
        {"action": "explode"},
        {"action": "complete", "extra": 1},
    ):
        response = await api("tech", "POST", path, json=bad)
        assert response.status_code == 422, bad
        assert response.json()["error"] == "ValidationError"
    assert await status_of(api, ticket["id"]) == "in_progress"


async def test_reopen_restarts_the_sla(
    api: Api, ticket_in: TicketFactory, clock: StoppedClock
) -> None:
    ticket = await ticket_in("completed", priority="high")
    clock.advance(days=3)
    reopened = await api(
        "reporter", "POST", f"/{ticket['id']}/transitions", json={"action": "reopen"}
    )
    assert datetime.fromisoformat(reopened.json()["due_at"]) == clock.now() + timedelta(hours=24)
    assert reopened.json()["is_overdue"] is False


async def test_assign_rules(
    api: Api, ticket_in: TicketFactory, campus: Campus, make_user: UserFactory
) -> None:
    ticket = await ticket_in()
    path = f"/{ticket['id']}/transitions"
    # A technician assigns to themselves by default, or to a teammate.
    mine = await api("tech", "POST", path, json={"action": "assign"})
    assert mine.json()["assignee"]["id"] == campus["tech"].id
    teammate = await api(
        "tech", "POST", path, json={"action": "assign", "assignee_id": campus["tech2"].id}
    )
    assert teammate.json()["assignee"]["id"] == campus["tech2"].id
    # Not to another crew's technician, a student, a stranger or an inactive account.
    retired = await make_user(
        Role.technician, team_id=campus.crews[Trade.electrical].id, is_active=False
    )
    for assignee in (campus["tech_other"].id, campus["reporter"].id, 999_999, retired.id):
        refused = await api(
            "tech", "POST", path, json={"action": "assign", "assignee_id": assignee}
        )
        assert refused.status_code == 422
        assert refused.json()["error"] == "InvalidAssignee"
    # The office must name someone, and may move the ticket to another crew.
    unnamed = await api("admin", "POST", path, json={"action": "assign"})
    assert unnamed.status_code == 422
    moved = await api(
        "admin", "POST", path, json={"action": "assign", "assignee_id": campus["tech_other"].id}
    )
    assert moved.status_code == 200
    assert moved.json()["team"]["slug"] == "maint-plumbing"
    # Now the plumbing technician can see and work it; the electrical one cannot.
    assert (await api("tech", "GET", f"/{ticket['id']}")).status_code == 404
    started = await api("tech_other", "POST", path, json={"action": "start"})
    assert started.status_code == 200


async def test_start_without_assignee(
    api: Api, ticket_in: TicketFactory, campus: Campus, session: AsyncSession
) -> None:
    """A reopened ticket keeps its technician; one without any (an admin reassigning is the
    only other way in) needs one: the acting technician takes it, the office must assign."""
    ticket = await ticket_in("reopened")
    row = await session.get(RepairTicket, ticket["id"])
    assert row is not None
    row.assignee_id = None
    session.add(row)
    await session.commit()
    path = f"/{ticket['id']}/transitions"
    refused = await api("admin", "POST", path, json={"action": "start"})
    assert refused.status_code == 409
    assert "assign" in refused.json()["detail"]
    started = await api("tech2", "POST", path, json={"action": "start"})
    assert started.json()["assignee"]["id"] == campus["tech2"].id


async def test_completion_invites_the_reporter_to_rate_the_crew_once(
    api: Api,
    ticket_in: TicketFactory,
    session: AsyncSession,
    client: httpx.AsyncClient,
    headers: Callable[[str], dict[str, str]],
) -> None:
    await make_template(session)

    async def pending_surveys() -> dict[str, Any]:
        response = await client.get("/api/v1/surveys/pending", headers=headers("reporter"))
        return dict(response.json())

    ticket = await ticket_in("in_progress")
    assert (await pending_surveys())["count"] == 0
    await api("tech", "POST", f"/{ticket['id']}/transitions", json={"action": "complete"})
    pending = await pending_surveys()
    assert [(p["source"], p["source_id"]) for p in pending["data"]] == [("repair", ticket["id"])]
    assert pending["data"][0]["team"]["slug"] == ticket["team"]["slug"]
    # reopened and completed again: still one invitation for this ticket
    await api("reporter", "POST", f"/{ticket['id']}/transitions", json={"action": "reopen"})
    await api("tech", "POST", f"/{ticket['id']}/transitions", json={"action": "start"})
    await api("tech", "POST", f"/{ticket['id']}/transitions", json={"action": "complete"})
    assert (await pending_surveys())["count"] == 1


async def test_unknown_ticket_is_404(api: Api, campus: Campus) -> None:
    response = await api("admin", "POST", "/999999/transitions", json={"action": "start"})
    assert response.status_code == 404
    assert response.json()["error"] == "RepairNotFound"


async def test_transitions_are_rate_limited_per_user(api: Api, ticket_in: TicketFactory) -> None:
    ticket = await ticket_in()
    path = f"/{ticket['id']}/transitions"
    codes = [
        (await api("reporter", "POST", path, json={"action": "confirm"})).status_code
        for _ in range(61)
    ]
    assert codes[:60] == [409] * 60
    assert codes[60] == 429
