"""GET /repairs: scope by caller, filters, pagination with a stable order."""

from typing import Any

import pytest

from backend.identity.models import Trade
from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import Api, Campus, TicketFactory

CATEGORY_BY_TRADE = {Trade.electrical: "electrical", Trade.plumbing: "plumbing"}


async def report(
    api: Api, clock: StoppedClock, actor: str, *, tick: bool = True, **body: Any
) -> dict[str, Any]:
    if tick:
        clock.advance(minutes=1)
    response = await api(
        actor,
        "POST",
        json={
            "category": "electrical",
            "description": "Socket sparks when plugging in",
            "report_even_if_duplicate": True,
            **body,
        },
    )
    assert response.status_code == 201, response.text
    ticket: dict[str, Any] = response.json()
    return ticket


async def ids(api: Api, actor: str, query: str = "") -> list[int]:
    response = await api(actor, "GET", query)
    assert response.status_code == 200, response.text
    return [t["id"] for t in response.json()["data"]]


async def test_each_caller_sees_their_scope_newest_first(
    api: Api, campus: Campus, clock: StoppedClock
) -> None:
    mine_b7 = await report(api, clock, "reporter")
    pipes_b7 = await report(api, clock, "reporter", category="plumbing")
    theirs_b3 = await report(api, clock, "other")
    everything = [theirs_b3["id"], pipes_b7["id"], mine_b7["id"]]
    assert await ids(api, "reporter") == [pipes_b7["id"], mine_b7["id"]]
    assert await ids(api, "bot:reporter") == [pipes_b7["id"], mine_b7["id"]]
    assert await ids(api, "other") == [theirs_b3["id"]]
    assert await ids(api, "follower") == []
    assert await ids(api, "tech") == [theirs_b3["id"], mine_b7["id"]]  # electrical crew
    assert await ids(api, "tech_other") == [pipes_b7["id"]]  # plumbing crew
    assert await ids(api, "dorm_manager") == [pipes_b7["id"], mine_b7["id"]]  # B7
    assert await ids(api, "admin") == everything


async def test_filters(
    api: Api, campus: Campus, clock: StoppedClock, ticket_in: TicketFactory
) -> None:
    closed = await ticket_in("closed")
    on_hold = await ticket_in("on_hold")
    pipes = await report(api, clock, "reporter", category="plumbing", priority="emergency")
    assert await ids(api, "admin", "?status=on_hold") == [on_hold["id"]]
    assert await ids(api, "admin", "?open=true") == [pipes["id"], on_hold["id"]]
    assert await ids(api, "admin", "?open=false") == [closed["id"]]
    assert await ids(api, "admin", "?category=plumbing") == [pipes["id"]]
    assert await ids(api, "admin", "?team=maint-electrical") == [on_hold["id"], closed["id"]]
    assert await ids(api, "tech", "?team=maint-plumbing") == []  # not their team's
    assert await ids(api, "reporter", "?open=true&category=electrical") == [on_hold["id"]]
    unknown = await api("admin", "GET", "?team=maint-nothing")
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "TeamNotFound"


async def test_overdue_filter_uses_the_clock(
    api: Api, campus: Campus, clock: StoppedClock, ticket_in: TicketFactory
) -> None:
    urgent = await report(api, clock, "reporter", priority="emergency")  # due in 4 h
    relaxed = await report(api, clock, "reporter", priority="low")  # due in 7 days
    done = await ticket_in("completed", priority="emergency")
    assert await ids(api, "admin", "?overdue=true") == []
    clock.advance(hours=5)
    assert await ids(api, "admin", "?overdue=true") == [urgent["id"]]
    assert await ids(api, "tech", "?overdue=true") == [urgent["id"]]
    assert set(await ids(api, "admin", "?overdue=false")) == {relaxed["id"], done["id"]}
    clock.advance(days=7)
    assert await ids(api, "admin", "?overdue=true") == [relaxed["id"], urgent["id"]]


async def test_pagination_is_stable_and_counts_everything(
    api: Api, campus: Campus, clock: StoppedClock
) -> None:
    created = [await report(api, clock, "reporter", location_note=f"spot {n}") for n in range(7)]
    # Two created at the very same moment are ordered by id.
    same_time = [
        await report(api, clock, "follower", location_note="a"),
        await report(api, clock, "follower", tick=False, location_note="b"),
    ]
    expected = [t["id"] for t in reversed(created + same_time)]
    pages: list[int] = []
    for page in (1, 2, 3, 4):
        response = await api("admin", "GET", f"?page={page}&size=3")
        body = response.json()
        assert body["total"] == 9
        assert body["count"] == len(body["data"])
        pages += [t["id"] for t in body["data"]]
    assert pages == expected
    assert (await api("admin", "GET", "?page=4&size=3")).json()["count"] == 0


@pytest.mark.parametrize("query", ["?size=101", "?size=0", "?page=0", "?status=broken"])
async def test_bad_list_parameters_are_422(api: Api, campus: Campus, query: str) -> None:
    response = await api("admin", "GET", query)
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"
