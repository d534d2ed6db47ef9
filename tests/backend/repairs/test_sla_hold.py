"""The SLA clock stops while a ticket is on hold: the due time moves by each hold's length,
and a ticket on hold neither becomes overdue nor stops being overdue."""

from datetime import datetime, timedelta

from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import Api, TicketFactory


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def move(api: Api, ticket_id: int, **body: str) -> dict[str, object]:
    response = await api("tech", "POST", f"/{ticket_id}/transitions", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


async def overdue_ids(api: Api, overdue: bool) -> set[int]:
    response = await api("admin", "GET", "", params={"overdue": str(overdue).lower()})
    assert response.status_code == 200, response.text
    return {ticket["id"] for ticket in response.json()["data"]}


async def test_resume_moves_the_due_time_by_the_holds_length(
    api: Api, ticket_in: TicketFactory, clock: StoppedClock
) -> None:
    ticket = await ticket_in("in_progress")
    due = at(ticket["due_at"])
    assert ticket["sla_paused_since"] is None
    clock.advance(hours=1)
    held = await move(api, ticket["id"], action="hold", reason="waiting for parts")
    assert at(str(held["sla_paused_since"])) == clock.now()
    assert at(str(held["due_at"])) == due  # unchanged while paused
    clock.advance(hours=5, minutes=30)
    resumed = await move(api, ticket["id"], action="resume")
    assert resumed["sla_paused_since"] is None
    assert at(str(resumed["due_at"])) == due + timedelta(hours=5, minutes=30)
    # A second hold adds its own length.
    clock.advance(minutes=10)
    await move(api, ticket["id"], action="hold", reason="room locked")
    clock.advance(hours=2)
    again = await move(api, ticket["id"], action="resume")
    assert at(str(again["due_at"])) == due + timedelta(hours=7, minutes=30)


async def test_on_hold_the_clock_stands_still_for_overdue(
    api: Api, ticket_in: TicketFactory, clock: StoppedClock
) -> None:
    ticket = await ticket_in("in_progress")
    due = at(ticket["due_at"])
    await move(api, ticket["id"], action="hold", reason="waiting for parts")
    clock.set(due + timedelta(days=3))  # far past the original due time, still on hold
    shown = (await api("reporter", "GET", f"/{ticket['id']}")).json()
    assert shown["is_overdue"] is False
    assert ticket["id"] in await overdue_ids(api, overdue=False)
    assert ticket["id"] not in await overdue_ids(api, overdue=True)
    resumed = await move(api, ticket["id"], action="resume")
    assert resumed["is_overdue"] is False
    assert at(str(resumed["due_at"])) == clock.now() + (due - at(ticket["updated_at"]))


async def test_a_ticket_held_when_already_overdue_stays_overdue(
    api: Api, ticket_in: TicketFactory, clock: StoppedClock
) -> None:
    ticket = await ticket_in("in_progress")
    clock.set(at(ticket["due_at"]) + timedelta(hours=1))
    held = await move(api, ticket["id"], action="hold", reason="waiting for parts")
    assert held["is_overdue"] is True
    clock.advance(days=1)
    assert ticket["id"] in await overdue_ids(api, overdue=True)
    resumed = await move(api, ticket["id"], action="resume")
    assert resumed["is_overdue"] is True  # still one hour late, not a day more


async def test_cancel_while_on_hold_clears_the_pause(
    api: Api, ticket_in: TicketFactory, clock: StoppedClock
) -> None:
    ticket = await ticket_in("on_hold")
    clock.advance(hours=3)
    response = await api(
        "reporter", "POST", f"/{ticket['id']}/transitions", json={"action": "cancel"}
    )
    assert response.status_code == 200, response.text
    cancelled = response.json()
    assert cancelled["sla_paused_since"] is None
    assert cancelled["due_at"] == ticket["due_at"]
