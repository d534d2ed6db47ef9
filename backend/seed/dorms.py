"""Demo dormitory buildings and their rules, rooms, terms with move-in/move-out dates,
checklists, guidance articles (``demo/dorms/``), dorm managers and the students who live
there."""

from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import hash_password
from backend.dorms.guidance import reindex
from backend.dorms.models import (
    AcademicTerm,
    Building,
    ChecklistItem,
    DueAnchor,
    GuidanceArticle,
    MoveKind,
    MoveWindow,
    Room,
    RoomAssignment,
)
from backend.identity.models import Locale, Role, Team, User
from backend.seed.data import ClockTime, field, with_part
from backend.seed.identity import DEMO_PASSWORD
from backend.seed.students import student_seeds


class BuildingSeed(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    floors: int
    rooms_per_floor: int


class BuildingRules(NamedTuple):
    """A building's house rules and dorm manager (the Building columns of the same name)."""

    quiet_starts: ClockTime
    quiet_ends: ClockTime
    door_locks_at: ClockTime
    door_opens_at: ClockTime
    visitor_rules_en: str
    visitor_rules_zh: str
    laundry_en: str
    laundry_zh: str
    top_up_en: str
    top_up_zh: str
    manager_name: str
    manager_phone: str
    manager_email: str
    manager_office_en: str
    manager_office_zh: str


class HomeSeed(NamedTuple):
    username: str
    building: str  # code
    room: str  # number


class TermSeed(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    starts_on: date
    ends_on: date


class WindowSeed(NamedTuple):
    building: str | None  # code; None: campus-wide
    kind: MoveKind
    first: int  # days from the term's start (move-in) or end (move-out)
    last: int


class NoteSeed(NamedTuple):
    en: str
    zh: str


class ChecklistSeed(NamedTuple):
    kind: MoveKind
    building: str | None
    position: int
    text_en: str
    text_zh: str
    due_anchor: DueAnchor | None
    due_offset_days: int


class ArticleSeed(NamedTuple):
    slug: str
    topic: str
    building: str | None
    title_en: str
    title_zh: str
    summary_en: str
    summary_zh: str
    body_en: str
    body_zh: str
    tags: list[str]
    aliases: list[str]


_ENTRIES: list[tuple[BuildingSeed, BuildingRules]] = with_part(
    "dorms/buildings.yml", "buildings", BuildingSeed, "rules", BuildingRules
)
BUILDINGS = [building for building, _ in _ENTRIES]
# House rules per building; they match the building versions of the guidance articles.
BUILDING_INFO: dict[str, dict[str, Any]] = {
    building.code: rules._asdict() for building, rules in _ENTRIES
}
# Demo students' rooms.
HOMES: list[HomeSeed] = field("dorms/buildings.yml", "homes", list[HomeSeed])
SEMESTER_START: date = field("dorms/buildings.yml", "semester_start", date)
TERMS: list[TermSeed] = field("dorms/terms.yml", "terms", list[TermSeed])
WINDOWS: list[WindowSeed] = field("dorms/terms.yml", "windows", list[WindowSeed])
WINDOW_NOTES: dict[MoveKind, NoteSeed] = field("dorms/terms.yml", "notes", dict[MoveKind, NoteSeed])
CHECKLIST: list[ChecklistSeed] = field("dorms/checklist.yml", "items", list[ChecklistSeed])
ARTICLES: list[ArticleSeed] = field("dorms/guidance.yml", "articles", list[ArticleSeed])


async def ensure_buildings(session: AsyncSession) -> bool:
    if (await session.exec(select(func.count()).select_from(Building))).one():
        return False
    for seed in BUILDINGS:
        building = Building(
            code=seed.code, name_en=seed.name_en, name_zh=seed.name_zh, **BUILDING_INFO[seed.code]
        )
        session.add(building)
        await session.flush()
        session.add_all(
            Room(building_id=building.id, number=f"{floor}{n:02d}", floor=floor)
            for floor in range(1, seed.floors + 1)
            for n in range(1, seed.rooms_per_floor + 1)
        )
    await session.flush()
    return True


async def _room(session: AsyncSession, code: str, number: str) -> Room:
    return (
        await session.exec(
            select(Room)
            .join(Building, col(Building.id) == col(Room.building_id))
            .where(Building.code == code, Room.number == number)
        )
    ).one()


async def ensure_homes(session: AsyncSession) -> int:
    """Give each demo student without a room their demo room."""
    added = 0
    for username, code, number in HOMES:
        student = (await session.exec(select(User).where(User.username == username))).first()
        if student is None:
            continue
        housed = (
            await session.exec(
                select(RoomAssignment).where(RoomAssignment.student_id == student.id)
            )
        ).first()
        if housed is not None:
            continue
        room = await _room(session, code, number)
        session.add(
            RoomAssignment(student_id=student.id, room_id=room.id, starts_on=SEMESTER_START)
        )
        added += 1
    await session.flush()
    return added


async def ensure_dorm_life(session: AsyncSession) -> str:
    """Everything else dorm-side, each part only where missing: safe to run on every start."""
    buildings = {b.code: b for b in (await session.exec(select(Building))).all()}
    for code, building in buildings.items():
        if not building.manager_name and code in BUILDING_INFO:  # seeded before rules existed
            for column, value in BUILDING_INFO[code].items():
                setattr(building, column, value)
            session.add(building)
    terms = await ensure_terms(session, buildings)
    items = await ensure_checklist(session, buildings)
    articles = await ensure_guidance(session, buildings)
    managers = await ensure_managers(session)
    students = await ensure_students(session)
    await session.flush()
    return (
        f"{terms} terms, {items} checklist items, {articles} guidance articles, "
        f"{managers} dorm managers, {students} students"
    )


async def ensure_terms(session: AsyncSession, buildings: dict[str, Building]) -> int:
    existing = set((await session.exec(select(AcademicTerm.code))).all())
    added = 0
    for seed in TERMS:
        if seed.code in existing:
            continue
        term = AcademicTerm(**seed._asdict())
        session.add(term)
        await session.flush()
        for code, kind, first, last in WINDOWS:
            if code is not None and code not in buildings:
                continue
            anchor = term.starts_on if kind == MoveKind.move_in else term.ends_on
            note_en, note_zh = WINDOW_NOTES[kind]
            session.add(
                MoveWindow(
                    term_id=term.id,
                    building_id=buildings[code].id if code else None,
                    kind=kind,
                    opens_on=anchor + timedelta(days=first),
                    closes_on=anchor + timedelta(days=last),
                    note_en=note_en,
                    note_zh=note_zh,
                )
            )
        added += 1
    return added


async def ensure_checklist(session: AsyncSession, buildings: dict[str, Building]) -> int:
    if (await session.exec(select(func.count()).select_from(ChecklistItem))).one():
        return 0
    rows = [
        ChecklistItem(
            kind=seed.kind,
            building_id=buildings[seed.building].id if seed.building else None,
            position=seed.position,
            text_en=seed.text_en,
            text_zh=seed.text_zh,
            due_anchor=seed.due_anchor,
            due_offset_days=seed.due_offset_days,
        )
        for seed in CHECKLIST
        if seed.building is None or seed.building in buildings
    ]
    session.add_all(rows)
    return len(rows)


async def ensure_guidance(session: AsyncSession, buildings: dict[str, Building]) -> int:
    existing = set((await session.exec(select(GuidanceArticle.slug))).all())
    added = 0
    for seed in ARTICLES:
        if seed.slug in existing or (seed.building and seed.building not in buildings):
            continue
        fields = {k: v for k, v in seed._asdict().items() if k != "building"}
        article = GuidanceArticle(
            **fields,
            building_id=buildings[seed.building].id if seed.building else None,
        )
        session.add(article)
        await session.flush()
        await reindex(session=session, article=article)
        added += 1
    return added


async def ensure_managers(session: AsyncSession) -> int:
    """One dorm manager account per building team (d0003, d0007, d0012)."""
    existing = set((await session.exec(select(User.username))).all())
    added, password_hash = 0, None
    for code, info in BUILDING_INFO.items():
        username = f"d{int(code[1:]):04d}"
        team = (await session.exec(select(Team).where(Team.slug == f"dorm-{code.lower()}"))).first()
        if username in existing or team is None:
            continue
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        session.add(
            User(
                username=username,
                name=str(info["manager_name"]),
                role=Role.dorm_manager,
                locale=Locale.zh,
                team_id=team.id,
                password_hash=password_hash,
            )
        )
        added += 1
    return added


async def ensure_students(session: AsyncSession) -> int:
    """The demo cohort; each new student gets the next bed free, building by building."""
    seeds = student_seeds()
    existing = set(
        (
            await session.exec(
                select(User.username).where(col(User.username).in_([s.username for s in seeds]))
            )
        ).all()
    )
    missing = [seed for seed in seeds if seed.username not in existing]
    if not missing:
        return 0
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is deliberately slow
    users = [
        User(
            username=seed.username,
            name=seed.name,
            role=Role.student,
            locale=seed.locale,
            diets=seed.diets,
            allergens=seed.allergens,
            password_hash=password_hash,
        )
        for seed in missing
    ]
    session.add_all(users)
    await session.flush()
    beds = await _free_beds(session)
    for index, user in enumerate(users):
        queue = beds[index % len(beds)] or next(q for q in beds if q)
        session.add(
            RoomAssignment(student_id=user.id, room_id=queue.pop(0), starts_on=SEMESTER_START)
        )
    return len(users)


async def _free_beds(session: AsyncSession) -> list[list[int]]:
    """Per building (in seed order), a room id per free bed, floors 2 and up, in order."""
    occupied = dict(
        (
            await session.exec(
                select(RoomAssignment.room_id, func.count())
                .where(col(RoomAssignment.ends_on).is_(None))
                .group_by(col(RoomAssignment.room_id))
            )
        ).all()
    )
    queues = []
    for seed in BUILDINGS:
        rooms = (
            await session.exec(
                select(Room)
                .join(Building, col(Building.id) == col(Room.building_id))
                .where(Building.code == seed.code, Room.floor >= 2)
                .order_by(col(Room.floor), col(Room.number))
            )
        ).all()
        queues.append(
            [room.id for room in rooms for _ in range(room.capacity - occupied.get(room.id, 0))]
        )
    return queues
