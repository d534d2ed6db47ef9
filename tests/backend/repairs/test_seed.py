"""The demo repairs: enough history, every state, and every history a legal, consistent walk."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room
from backend.identity.models import Role, Team, TeamKind, User
from backend.repairs.access import REPORTER_ACTIONS, STAFF_ACTIONS
from backend.repairs.models import RepairAction, RepairEvent, RepairStatus, RepairTicket
from backend.repairs.service import responsible_team
from backend.repairs.transitions import MOVES
from backend.seed.demo import seed_demo_campus
from backend.seed.repairs import DEFAULT_TICKETS

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, tzinfo=UTC)


async def tickets_and_events(
    session: AsyncSession,
) -> tuple[list[RepairTicket], dict[int, list[RepairEvent]]]:
    tickets = (await session.exec(select(RepairTicket).order_by(col(RepairTicket.id)))).all()
    events: dict[int, list[RepairEvent]] = defaultdict(list)
    for event in (
        await session.exec(select(RepairEvent).order_by(col(RepairEvent.at), col(RepairEvent.id)))
    ).all():
        events[event.ticket_id].append(event)
    return list(tickets), events


async def test_seeded_history_is_large_varied_and_consistent(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    tickets, events = await tickets_and_events(session)
    users = {user.id: user for user in (await session.exec(select(User))).all()}
    assert len(tickets) >= 300
    assert {t.status for t in tickets} == set(RepairStatus)
    span = max(t.created_at for t in tickets) - min(t.created_at for t in tickets)
    assert span > timedelta(days=120)
    assert any(t.created_at < NOW - timedelta(days=150) for t in tickets)
    has_cjk = [any("\u4e00" <= ch <= "\u9fff" for ch in t.description) for t in tickets]
    assert sum(has_cjk) > len(tickets) / 3
    assert len(tickets) - sum(has_cjk) > len(tickets) / 10  # English-only ones too
    teams: dict[tuple[object, int | None], int | None] = {}
    for ticket in tickets:
        key = (ticket.category, ticket.building_id)
        if key not in teams:
            team = await responsible_team(
                session=session, category=ticket.category, building_id=ticket.building_id
            )
            teams[key] = team.id if team else None
        assert ticket.team_id == teams[key]
        history = events[ticket.id]
        first, rest = history[0], history[1:]
        assert (first.action, first.from_status, first.to_status) == (
            RepairAction.submit,
            None,
            RepairStatus.submitted,
        )
        assert first.actor_id == ticket.reporter_id
        assert first.at == ticket.created_at
        status = RepairStatus.submitted
        previous = first.at
        for event in rest:
            move = MOVES[event.action]
            assert event.from_status == status
            assert status in move.sources
            assert event.to_status == move.target
            assert event.at >= previous
            previous = event.at
            status = event.to_status
            actor = users[event.actor_id]
            assert event.actor_role == actor.role
            if event.action in STAFF_ACTIONS:
                assert actor.is_admin or actor.team_id == ticket.team_id
            if event.action in REPORTER_ACTIONS:
                assert actor.id == ticket.reporter_id
            if event.action == RepairAction.hold:
                assert event.reason
            if event.via_bot:
                assert actor.role == Role.student
        assert status == ticket.status
        assert ticket.updated_at == history[-1].at <= NOW
        assigns = [e for e in history if e.action == RepairAction.assign]
        if assigns:
            assert ticket.assignee_id == assigns[-1].assignee_id
            assert users[ticket.assignee_id].team_id == ticket.team_id
        else:
            assert ticket.assignee_id is None
        if ticket.room_id is not None:
            room = await session.get(Room, ticket.room_id)
            assert room is not None
            assert room.building_id == ticket.building_id


async def test_every_crew_has_two_technicians(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    crews = (await session.exec(select(Team).where(Team.kind == TeamKind.maintenance))).all()
    assert len(crews) == 7
    for crew in crews:
        members = (
            await session.exec(
                select(User).where(User.team_id == crew.id, User.role == Role.technician)
            )
        ).all()
        assert len(members) >= 2, crew.slug


async def test_demo_students_have_tickets_to_talk_about(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    for username in ("s20240001", "s20240002"):
        student = (await session.exec(select(User).where(User.username == username))).one()
        theirs = (
            await session.exec(select(RepairTicket).where(RepairTicket.reporter_id == student.id))
        ).all()
        assert len(theirs) == 3
        assert any(t.status not in (RepairStatus.closed, RepairStatus.cancelled) for t in theirs)
        building_codes = {
            (await session.get(Building, t.building_id)).code  # type: ignore[union-attr]
            for t in theirs
        }
        assert len(building_codes) == 1  # their own building


def snapshot(tickets: list[RepairTicket], events: dict[int, list[RepairEvent]]) -> list[tuple]:
    return [
        (
            t.category,
            t.priority,
            t.status,
            t.description,
            t.created_at,
            t.room_id,
            t.reporter_id,
            [(e.action, e.at, e.actor_id, e.note) for e in events[t.id]],
        )
        for t in tickets
    ]


async def test_deterministic_and_idempotent(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    first = snapshot(*await tickets_and_events(session))
    assert len(first) >= DEFAULT_TICKETS
    report = await seed_demo_campus(session=session, today=TODAY)
    assert "0 repair tickets" in report
    await session.exec(delete(RepairEvent))  # type: ignore[call-overload]
    await session.exec(delete(RepairTicket))  # type: ignore[call-overload]
    session.expunge_all()
    await seed_demo_campus(session=session, today=TODAY)
    assert snapshot(*await tickets_and_events(session)) == first
