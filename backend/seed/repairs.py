"""Demo repairs: maintenance technicians, and months of historical tickets, generated from
the people, texts, weights and shares of ``demo/repairs.yml``.

Deterministic for a given ``today``: the same tickets, histories and people every time.
Every history is a legal walk through the state machine (``transitions.MOVES``), made by
the right people (the crew's technicians, the reporter, sometimes the office or the bot
for the reporter), with increasing timestamps, none after the seed's "now". The demo
students get a fixed handful of tickets so the assistant always has something to show.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel
from sqlalchemy import insert
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import hash_password
from backend.dorms.models import Building, Room
from backend.dorms.service import current_room
from backend.identity.models import Locale, Role, Team, TeamKind, Trade, User
from backend.repairs.config import RepairsSettings
from backend.repairs.models import (
    RepairAction,
    RepairCategory,
    RepairEvent,
    RepairPriority,
    RepairStatus,
    RepairTicket,
)
from backend.repairs.service import responsible_team
from backend.repairs.transitions import MOVES
from backend.seed.data import parse, read_yaml, thresholds
from backend.seed.identity import DEMO_PASSWORD

A = RepairAction
S = RepairStatus
SOURCE = "repairs.yml"


class TechnicianSeed(NamedTuple):
    username: str
    name: str
    locale: Locale
    trade: Trade


class DemoTicketSeed(NamedTuple):
    days_ago: float
    category: RepairCategory
    priority: RepairPriority
    outcome: RepairStatus


class RepairsDemo(BaseModel):
    """demo/repairs.yml: who, what and how often."""

    random_seed: str
    tickets: int
    history_days: int
    recent_days: int
    recent_share: float
    shared_area_share: float
    room_note_share: float
    room_notes: list[str]
    description_languages: dict[Literal["zh", "en", "both"], float]
    hold_share: float
    rework_share: float
    office_dispatch_share: float
    via_bot_share: float
    technicians: list[TechnicianSeed]
    reporters: int
    reporter_surnames: list[str]
    reporter_given: list[str]
    descriptions: dict[RepairCategory, list[tuple[str, str]]]  # (English, Chinese)
    shared_areas: list[tuple[str, str]]
    hold_reasons: list[str]
    staff_notes: list[str | None]
    student_notes: list[str | None]
    reopen_notes: list[str]
    old_outcomes: dict[RepairStatus, int]
    recent_outcomes: dict[RepairStatus, int]
    priorities: dict[RepairPriority, int]
    categories: dict[RepairCategory, int]
    delays: dict[RepairAction, tuple[float, float]]  # typical hours before each move
    urgency: dict[RepairPriority, float]
    demo_tickets: dict[str, list[DemoTicketSeed]]  # per demo student (username)


DEMO: RepairsDemo = parse(RepairsDemo, read_yaml(SOURCE), f"demo/{SOURCE}")
DEFAULT_TICKETS = DEMO.tickets
SEED = DEMO.random_seed
LANGUAGE_ROLLS = thresholds(DEMO.description_languages)


def _pick(rng: random.Random, weighted: dict[Any, int]) -> Any:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _path(rng: random.Random, outcome: RepairStatus) -> list[RepairAction]:
    """A legal sequence of moves from submitted to ``outcome``, with realistic detours."""
    work = [A.assign, A.start]
    if rng.random() < DEMO.hold_share:
        work += [A.hold, A.resume]
    work.append(A.complete)
    if outcome == S.submitted:
        return []
    if outcome == S.assigned:
        return [A.assign]
    if outcome == S.in_progress:
        return [A.assign, A.start] + ([A.hold, A.resume] if rng.random() < DEMO.hold_share else [])
    if outcome == S.on_hold:
        return [A.assign, A.start, A.hold]
    if outcome == S.completed:
        return work
    if outcome == S.reopened:
        return [*work, A.reopen]
    if outcome == S.cancelled:
        return rng.choice([[A.cancel], [A.assign, A.cancel], [A.assign, A.start, A.hold, A.cancel]])
    # closed, sometimes after a rework
    if rng.random() < DEMO.rework_share:
        return [*work, A.reopen, A.start, A.complete, A.confirm]
    return [*work, A.confirm]


@dataclass
class Cast:
    """The people the seed needs, by role."""

    admin: User | None
    reporters: list[User]
    technicians: dict[int, list[User]]  # team id → technicians
    places: list[tuple[Building, Room]]


@lru_cache
def _demo_password_hash() -> str:
    """One argon2 hash for every seeded account (hashing is deliberately slow)."""
    return hash_password(DEMO_PASSWORD)


async def ensure_technicians(session: AsyncSession) -> int:
    """At least two technicians in every maintenance crew (plus t0001, an electrician)."""
    existing = set((await session.exec(select(User.username))).all())
    missing = [tech for tech in DEMO.technicians if tech.username not in existing]
    if not missing:
        return 0
    crews = {
        team.trade: team.id
        for team in (
            await session.exec(select(Team).where(Team.kind == TeamKind.maintenance))
        ).all()
        if team.building_id is None
    }
    password_hash = _demo_password_hash()
    session.add_all(
        User(
            username=tech.username,
            name=tech.name,
            role=Role.technician,
            locale=tech.locale,
            team_id=crews[tech.trade],
            password_hash=password_hash,
        )
        for tech in missing
        if tech.trade in crews
    )
    await session.flush()
    return len(missing)


async def ensure_reporters(session: AsyncSession) -> int:
    usernames = [f"s2023{n:04d}" for n in range(1, DEMO.reporters + 1)]
    existing = set(
        (await session.exec(select(User.username).where(col(User.username).in_(usernames)))).all()
    )
    missing = [name for name in usernames if name not in existing]
    if not missing:
        return 0
    password_hash = _demo_password_hash()
    for username in missing:
        n = int(username[-4:])
        zh = n % 3 != 0
        surnames, given_names = DEMO.reporter_surnames, DEMO.reporter_given
        surname, given = surnames[n % len(surnames)], given_names[(n * 7) % len(given_names)]
        session.add(
            User(
                username=username,
                name=f"{surname}{given}" if zh else f"Student {surname}{given} #{n}",
                role=Role.student,
                locale=Locale.zh if zh else Locale.en,
                password_hash=password_hash,
            )
        )
    await session.flush()
    return len(missing)


async def _cast(session: AsyncSession) -> Cast:
    reporters = (
        await session.exec(
            select(User).where(col(User.username).like("s2023%")).order_by(col(User.username))
        )
    ).all()
    admin = (
        await session.exec(
            select(User).where(User.role == Role.logistics_admin).order_by(col(User.id))
        )
    ).first()
    technicians: dict[int, list[User]] = {}
    for tech in (
        await session.exec(
            select(User)
            .where(User.role == Role.technician, col(User.is_active))
            .order_by(col(User.username))
        )
    ).all():
        if tech.team_id is not None:
            technicians.setdefault(tech.team_id, []).append(tech)
    places = list(
        (
            await session.exec(
                select(Building, Room)
                .join(Room, col(Room.building_id) == col(Building.id))
                .order_by(col(Building.code), col(Room.number))
            )
        ).all()
    )
    return Cast(admin=admin, reporters=list(reporters), technicians=technicians, places=places)


@dataclass
class Planned:
    ticket: dict[str, Any]
    events: list[dict[str, Any]]


class Planner:
    """Plans tickets and their histories in memory; rows are inserted in bulk."""

    def __init__(self, session: AsyncSession, cast: Cast, now: datetime) -> None:
        self.session = session
        self.cast = cast
        self.now = now
        self.sla = RepairsSettings()
        self._teams: dict[tuple[RepairCategory, int | None], Team | None] = {}

    async def team(self, category: RepairCategory, building_id: int | None) -> Team | None:
        key = (category, building_id)
        if key not in self._teams:
            self._teams[key] = await responsible_team(
                session=self.session, category=category, building_id=building_id
            )
        return self._teams[key]

    async def plan(
        self,
        rng: random.Random,
        *,
        reporter: User,
        category: RepairCategory,
        priority: RepairPriority,
        place: tuple[Building, Room | None],
        note: str | None,
        outcome: RepairStatus,
        latest_start: datetime,
        earliest_start: datetime,
    ) -> Planned | None:
        building, room = place
        team = await self.team(category, building.id)
        crew = self.cast.technicians.get(team.id, []) if team else []
        path = _path(rng, outcome)
        if not crew and any(move in (A.assign, A.start) for move in path):
            return None  # nobody could have done the work
        scale = DEMO.urgency[priority]
        gaps = [
            timedelta(hours=rng.uniform(*DEMO.delays[move]) * (scale if move != A.confirm else 1))
            for move in path
        ]
        total = sum(gaps, timedelta())
        latest = min(latest_start, self.now - total - timedelta(minutes=5))
        if latest <= earliest_start:
            return None
        span = (latest - earliest_start).total_seconds()
        created = earliest_start + timedelta(seconds=rng.uniform(0, span))
        created = created.replace(microsecond=0)
        en, zh = rng.choice(DEMO.descriptions[category])
        style = rng.random()
        language = next((name for name, upto in LANGUAGE_ROLLS if style < upto), "both")
        description = {"zh": zh, "en": en}.get(language, f"{zh} / {en}")
        ticket: dict[str, Any] = {
            "reporter_id": reporter.id,
            "category": category,
            "priority": priority,
            "status": S.submitted,
            "description": description,
            "building_id": building.id,
            "room_id": room.id if room else None,
            "location_note": note,
            "team_id": team.id if team else None,
            "assignee_id": None,
            "due_at": created + self.sla.sla(priority),
            "created_at": created,
            "updated_at": created,
        }
        events = [self._event(created, reporter, A.submit, None, S.submitted, rng)]
        at = created
        technician = rng.choice(crew) if crew else None
        for move, gap in zip(path, gaps, strict=True):
            at = at + gap
            step = MOVES[move]
            status: RepairStatus = ticket["status"]
            assert status in step.sources, (status, move)  # the seed only walks legal paths
            actor = self._actor(rng, move, reporter, technician)
            event = self._event(at, actor, move, status, step.target, rng)
            if move == A.assign:
                assert technician is not None
                ticket["assignee_id"] = event["assignee_id"] = technician.id
            elif move == A.reopen:
                ticket["due_at"] = at + self.sla.sla(priority)
            events.append(event)
            ticket["status"] = step.target
            ticket["updated_at"] = at
        assert ticket["status"] == outcome
        return Planned(ticket=ticket, events=events)

    def _actor(
        self, rng: random.Random, move: RepairAction, reporter: User, technician: User | None
    ) -> User:
        if move in (A.cancel, A.confirm, A.reopen):
            return reporter
        if (
            move == A.assign
            and self.cast.admin is not None
            and rng.random() < DEMO.office_dispatch_share
        ):
            return self.cast.admin  # the office dispatches some tickets itself
        assert technician is not None
        return technician

    def _event(
        self,
        at: datetime,
        actor: User,
        move: RepairAction,
        source: RepairStatus | None,
        target: RepairStatus,
        rng: random.Random,
    ) -> dict[str, Any]:
        if move == A.reopen:
            note: str | None = rng.choice(DEMO.reopen_notes)
        elif move in (A.confirm, A.cancel):
            note = rng.choice(DEMO.student_notes)
        elif move == A.submit:
            note = None
        else:
            note = rng.choice(DEMO.staff_notes)
        return {
            "at": at,
            "actor_id": actor.id,
            "actor_role": actor.role,
            "via_bot": actor.role == Role.student and rng.random() < DEMO.via_bot_share,
            "action": move,
            "from_status": source,
            "to_status": target,
            "note": note,
            "reason": rng.choice(DEMO.hold_reasons) if move == A.hold else None,
            "assignee_id": None,
        }


async def _insert(session: AsyncSession, planned: list[Planned]) -> None:
    """Bulk insert (the bench seeds tens of thousands of tickets)."""
    chunk = 500
    for start in range(0, len(planned), chunk):
        batch = planned[start : start + chunk]
        result = await session.exec(
            insert(RepairTicket).returning(col(RepairTicket.id), sort_by_parameter_order=True),
            params=[p.ticket for p in batch],
        )
        ids = [row[0] for row in result.all()]
        events = [
            {**event, "ticket_id": ticket_id}
            for ticket_id, p in zip(ids, batch, strict=True)
            for event in p.events
        ]
        await session.exec(insert(RepairEvent), params=events)


async def _demo_students(
    session: AsyncSession, today: date
) -> list[tuple[User, Building, Room, list[DemoTicketSeed]]]:
    """The demo students who live somewhere, each with their own tickets to seed."""
    homes = []
    for username, demo in DEMO.demo_tickets.items():
        student = (await session.exec(select(User).where(User.username == username))).first()
        if student is None:
            continue
        home = await current_room(session=session, student_id=student.id, on=today)
        if home is not None:
            homes.append((student, *home, demo))
    return homes


async def ensure_repairs(
    session: AsyncSession, today: date, *, tickets: int = DEFAULT_TICKETS
) -> int:
    """Technicians, reporters and ``tickets`` historical tickets, once. Returns tickets added."""
    await ensure_technicians(session)
    await ensure_reporters(session)
    if (await session.exec(select(func.count()).select_from(RepairTicket))).one():
        return 0
    return await add_history(session, today, tickets=tickets, with_demo_students=True)


async def add_history(
    session: AsyncSession,
    today: date,
    *,
    tickets: int,
    with_demo_students: bool = False,
    seed: str = SEED,
) -> int:
    """Add ``tickets`` historical tickets (the benchmark adds thousands). Needs the
    technicians and reporters (``ensure_technicians``, ``ensure_reporters``)."""
    cast = await _cast(session)
    if not cast.reporters or not cast.places:
        return 0
    # The seed's "now": midnight UTC of ``today`` (08:00 in Shanghai); nothing happens later.
    now = datetime.combine(today, time(0, 0), tzinfo=UTC)
    rng = random.Random(f"{seed}/{today.isoformat()}")
    planner = Planner(session, cast, now)
    planned: list[Planned] = []
    start = now - timedelta(days=DEMO.history_days)
    demo_students = await _demo_students(session, today) if with_demo_students else []
    for student, building, room, demo in demo_students:
        for days_ago, category, priority, outcome in demo:
            latest = now - timedelta(days=days_ago)
            item = await planner.plan(
                rng,
                reporter=student,
                category=category,
                priority=priority,
                place=(building, room),
                note=None,
                outcome=outcome,
                latest_start=latest,
                earliest_start=latest - timedelta(hours=6),
            )
            if item is not None:
                planned.append(item)
    recent = now - timedelta(days=DEMO.recent_days)
    for _ in range(tickets * 3):  # bounded: a crew without technicians skips its tickets
        if len(planned) >= tickets:
            break
        is_recent = rng.random() < DEMO.recent_share
        outcome = _pick(rng, DEMO.recent_outcomes if is_recent else DEMO.old_outcomes)
        building, room = rng.choice(cast.places)
        shared = rng.random() < DEMO.shared_area_share
        note = None
        if shared:
            en, zh = rng.choice(DEMO.shared_areas)
            note = rng.choice([en, zh])
        elif rng.random() < DEMO.room_note_share:
            note = rng.choice(DEMO.room_notes)
        item = await planner.plan(
            rng,
            reporter=rng.choice(cast.reporters),
            category=_pick(rng, DEMO.categories),
            priority=_pick(rng, DEMO.priorities),
            place=(building, None if shared else room),
            note=note,
            outcome=outcome,
            latest_start=now if is_recent else recent,
            earliest_start=recent if is_recent else start,
        )
        if item is not None:
            planned.append(item)
    planned.sort(key=lambda p: p.ticket["created_at"])  # ids follow time, like real tickets
    await _insert(session, planned)
    return len(planned)
