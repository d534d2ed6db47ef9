"""GET /repairs/{id} from ready bytes (core.ready, repairs.caching): one stored answer per
viewer, served before routing — never to another viewer, never across a write to the ticket,
a change to the viewer, or the moment the ticket turns overdue."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity import principals
from backend.identity.models import Trade
from backend.repairs.caching import TICKET_TTL_SECONDS, detail_ttl
from backend.repairs.models import RepairStatus
from backend.repairs.schemas import RepairDetail
from tests.backend.helpers import StoppedClock, route_unreachable
from tests.backend.repairs.conftest import JPEG, Api, Campus, TicketFactory, me_too


async def read(api: Api, actor: str, ticket: dict[str, Any], **headers: str) -> httpx.Response:
    return await api(actor, "GET", f"/{ticket['id']}", headers=headers)


async def test_a_viewer_is_served_their_own_stored_detail_before_routing(
    app: FastAPI, api: Api, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("assigned")
    first = await read(api, "reporter", ticket)
    assert first.status_code == 200
    route_unreachable(app)
    again = await read(api, "reporter", ticket)
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["etag"] == first.headers["etag"]
    unchanged = await read(api, "reporter", ticket, **{"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    # the crew's answer is not the reporter's: it has never been stored, so the route runs
    with pytest.raises(AssertionError, match="the route ran"):
        await read(api, "tech", ticket)


async def test_what_one_viewer_stored_never_reaches_another(
    api: Api, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("in_progress")
    full = await read(api, "reporter", ticket)
    assert full.status_code == 200
    for _ in range(2):  # stored for the reporter, still 404 for anyone else
        assert (await read(api, "other", ticket)).status_code == 404
        assert (await read(api, "tech_other", ticket)).status_code == 404
    limited = (await read(api, "follower", ticket)).json()
    assert full.json()["history"]
    assert limited["history"] == []
    assert limited["location"]["note"] is None
    assert limited["reporter"] == "other"


Write = Callable[[Api, dict[str, Any]], Awaitable[httpx.Response]]


async def start_work(api: Api, ticket: dict[str, Any]) -> httpx.Response:
    return await api("tech", "POST", f"/{ticket['id']}/transitions", json={"action": "start"})


async def add_photo(api: Api, ticket: dict[str, Any]) -> httpx.Response:
    return await api(
        "reporter", "POST", f"/{ticket['id']}/photos", files={"file": ("a.jpg", JPEG, "image/jpeg")}
    )


async def another_student_follows(api: Api, ticket: dict[str, Any]) -> httpx.Response:
    return await me_too(api, "follower", ticket)


@pytest.mark.parametrize(
    ("write", "field"),
    [(start_work, "status"), (add_photo, "photos"), (another_student_follows, "followers")],
)
async def test_every_write_to_the_ticket_is_in_the_next_read_of_every_viewer(
    api: Api, campus: Campus, write: Write, field: str
) -> None:
    created = await api(
        "reporter",
        "POST",
        json={"category": "electrical", "description": "The light flickers 灯一直闪"},
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    assign = await api("tech", "POST", f"/{ticket['id']}/transitions", json={"action": "assign"})
    assert assign.status_code == 200, assign.text
    before = {actor: (await read(api, actor, ticket)).json() for actor in ("reporter", "tech")}
    written = await write(api, ticket)
    assert written.status_code in (200, 201), written.text
    for actor, seen in before.items():
        after = (await read(api, actor, ticket)).json()
        assert after[field] != seen[field], actor
        assert after["updated_at"] >= seen["updated_at"]


async def test_a_technician_moved_to_another_crew_loses_the_ticket_at_once(
    app: FastAPI, api: Api, campus: Campus, session: AsyncSession, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("assigned")
    assert (await read(api, "tech2", ticket)).status_code == 200  # stored for tech2
    tech2 = campus["tech2"]
    tech2.team_id = campus.crews[Trade.plumbing].id
    session.add(tech2)
    await session.commit()
    await principals.forget_user(cache=app.state.cache, user_id=tech2.id)
    assert (await read(api, "tech2", ticket)).status_code == 404


async def test_a_stored_ticket_turns_overdue_when_it_is_due(
    api: Api, clock: StoppedClock, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("assigned")
    due_at = datetime.fromisoformat(ticket["due_at"])
    clock.set(due_at - timedelta(seconds=0.3))
    on_time = (await read(api, "reporter", ticket)).json()
    assert on_time["is_overdue"] is False
    await asyncio.sleep(0.5)  # the stored answer held until the ticket was due …
    clock.set(due_at + timedelta(seconds=1))
    assert (await read(api, "reporter", ticket)).json()["is_overdue"] is True  # … not longer


async def test_only_an_on_time_pending_ticket_is_stored_for_less_than_the_bound(
    api: Api, ticket_in: TicketFactory
) -> None:
    ticket = await ticket_in("assigned")
    detail = RepairDetail.model_validate((await read(api, "reporter", ticket)).json())
    ttl = detail_ttl(detail.due_at - timedelta(seconds=20))
    assert ttl(detail) == pytest.approx(20)
    assert detail_ttl(detail.due_at - timedelta(days=1))(detail) == TICKET_TTL_SECONDS
    # nothing the clock can change: overdue already, on hold (the SLA clock stands), done
    for unchanging in (
        {"is_overdue": True},
        {"sla_paused_since": detail.due_at - timedelta(hours=1)},
        {"status": RepairStatus.closed},
    ):
        assert ttl(detail.model_copy(update=unchanging)) == TICKET_TTL_SECONDS
