"""Buildings, rooms, where students live, and move-in / move-out checklists."""

from datetime import date, timedelta
from typing import Any

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.generations import JSON
from backend.dorms import caching
from backend.dorms.exceptions import BuildingNotFound, NoTermScheduled, NotHoused, TermNotFound
from backend.dorms.models import (
    AcademicTerm,
    Building,
    ChecklistItem,
    DueAnchor,
    MoveKind,
    MoveWindow,
    Room,
    RoomAssignment,
)
from backend.dorms.schemas import (
    BuildingPublic,
    BuildingsPublic,
    BuildingUpdate,
    ChecklistItemPublic,
    ChecklistPublic,
    ChecklistsPublic,
    DormPublic,
    ManagerContact,
    RoomBrief,
    TermBrief,
    format_hours,
    parse_hours,
)
from backend.identity.schemas import RoomBrief as ProfileRoom

CHECKLIST_TITLES = {
    MoveKind.move_in: ("Move-in", "入住"),
    MoveKind.move_out: ("Move-out", "退宿"),
}


async def current_room(
    *, session: AsyncSession, student_id: int, on: date
) -> tuple[Building, Room] | None:
    """Where the student lives on ``on`` (None if nowhere on campus)."""
    query = (
        select(Building, Room)
        .join(Room, col(Room.building_id) == col(Building.id))
        .join(RoomAssignment, col(RoomAssignment.room_id) == col(Room.id))
        .where(
            RoomAssignment.student_id == student_id,
            RoomAssignment.starts_on <= on,
            or_(col(RoomAssignment.ends_on).is_(None), col(RoomAssignment.ends_on) >= on),
        )
        .order_by(col(RoomAssignment.starts_on).desc())
    )
    row = (await session.exec(query)).first()
    return (row[0], row[1]) if row else None


async def profile_room(*, session: AsyncSession, student_id: int, on: date) -> ProfileRoom | None:
    """The student's room on ``on`` as GET /me shows it (identity gets this function from
    the app, ``app.state.room_of``: identity does not import dorms)."""
    home = await current_room(session=session, student_id=student_id, on=on)
    if home is None:
        return None
    building, room = home
    return ProfileRoom(
        building_code=building.code,
        building_name_en=building.name_en,
        building_name_zh=building.name_zh,
        room=room.number,
    )


async def _current_room_only(session: AsyncSession, student_id: int, on: date) -> Room | None:
    """Like current_room, without loading the building (its info comes from the cache)."""
    query = (
        select(Room)
        .join(RoomAssignment, col(RoomAssignment.room_id) == col(Room.id))
        .where(
            RoomAssignment.student_id == student_id,
            RoomAssignment.starts_on <= on,
            or_(col(RoomAssignment.ends_on).is_(None), col(RoomAssignment.ends_on) >= on),
        )
        .order_by(col(RoomAssignment.starts_on).desc())
    )
    return (await session.exec(query)).first()


def building_public(building: Building) -> BuildingPublic:
    return BuildingPublic(
        code=building.code,
        name_en=building.name_en,
        name_zh=building.name_zh,
        quiet_hours=format_hours(building.quiet_starts, building.quiet_ends),
        door_lock=format_hours(building.door_locks_at, building.door_opens_at),
        visitor_rules_en=building.visitor_rules_en,
        visitor_rules_zh=building.visitor_rules_zh,
        laundry_en=building.laundry_en,
        laundry_zh=building.laundry_zh,
        top_up_en=building.top_up_en,
        top_up_zh=building.top_up_zh,
        manager=ManagerContact(
            name=building.manager_name,
            phone=building.manager_phone,
            email=building.manager_email,
            office_en=building.manager_office_en,
            office_zh=building.manager_office_zh,
        ),
    )


async def _cached_building(session: AsyncSession, cache: Cache, building_id: int) -> BuildingPublic:
    """Building info is read on every /dorms/me: cached, invalidated by update_building."""

    async def load() -> dict[str, Any]:
        building = await session.get(Building, building_id)
        assert building is not None  # rooms reference their building
        return building_public(building).model_dump(mode="json")

    value = await caching.BUILDINGS.cached(cache, f"building:{building_id}", JSON, load)
    return BuildingPublic.model_validate(value)


async def get_building(*, session: AsyncSession, code: str) -> Building:
    building = (await session.exec(select(Building).where(Building.code == code))).first()
    if building is None:
        raise BuildingNotFound(
            f"No dorm building '{code}'; GET /api/v1/dorms/buildings lists them."
        )
    return building


async def list_buildings(*, session: AsyncSession) -> BuildingsPublic:
    buildings = (await session.exec(select(Building).order_by(col(Building.id)))).all()
    data = [building_public(building) for building in buildings]
    return BuildingsPublic(data=data, count=len(data))


async def my_dorm(
    *, session: AsyncSession, cache: Cache, student_id: int, today: date
) -> DormPublic:
    room = await _current_room_only(session, student_id, today)
    if room is None:
        raise NotHoused()
    return DormPublic(
        building=await _cached_building(session, cache, room.building_id),
        room=RoomBrief(number=room.number, floor=room.floor),
    )


async def update_building(
    *, session: AsyncSession, building: Building, changes: BuildingUpdate
) -> Building:
    """Apply the changes (add + flush); the route commits and then invalidates the cache."""
    values = changes.model_dump(exclude_unset=True)
    if (hours := values.pop("quiet_hours", None)) is not None:
        building.quiet_starts, building.quiet_ends = parse_hours(hours)
    if (hours := values.pop("door_lock", None)) is not None:
        building.door_locks_at, building.door_opens_at = parse_hours(hours)
    for field, value in (values.pop("manager", None) or {}).items():
        setattr(building, f"manager_{field}", value)
    for field, value in values.items():
        setattr(building, field, value)
    session.add(building)
    await session.flush()
    return building


async def _term(session: AsyncSession, code: str | None, today: date) -> AcademicTerm:
    if code is not None:
        term = (await session.exec(select(AcademicTerm).where(AcademicTerm.code == code))).first()
        if term is None:
            raise TermNotFound(f"No academic term '{code}'.")
        return term
    # The current term, or the next one between terms (its move-in is what matters then).
    term = (
        await session.exec(
            select(AcademicTerm)
            .where(AcademicTerm.ends_on >= today)
            .order_by(col(AcademicTerm.starts_on))
        )
    ).first()
    if term is None:
        raise NoTermScheduled()
    return term


async def _home_building(session: AsyncSession, student_id: int, today: date) -> Building:
    """Where the student lives today, or else where they will move in next."""
    home = await current_room(session=session, student_id=student_id, on=today)
    if home is not None:
        return home[0]
    upcoming = (
        await session.exec(
            select(Building)
            .join(Room, col(Room.building_id) == col(Building.id))
            .join(RoomAssignment, col(RoomAssignment.room_id) == col(Room.id))
            .where(RoomAssignment.student_id == student_id, RoomAssignment.starts_on > today)
            .order_by(col(RoomAssignment.starts_on))
        )
    ).first()
    if upcoming is None:
        raise NotHoused()
    return upcoming


def _due(window: MoveWindow, item: ChecklistItem) -> date | None:
    if item.due_anchor is None:
        return None
    anchor = window.opens_on if item.due_anchor == DueAnchor.opens else window.closes_on
    return anchor + timedelta(days=item.due_offset_days)


async def checklists(
    *, session: AsyncSession, student_id: int, today: date, term_code: str | None
) -> ChecklistsPublic:
    """Move-in and move-out steps with the dates of the student's building in the term
    (the building they live in, or an incoming student's future building)."""
    building = await _home_building(session, student_id, today)
    return await building_checklists(
        session=session, building=building, today=today, term_code=term_code
    )


async def building_checklists(
    *, session: AsyncSession, building: Building, today: date, term_code: str | None
) -> ChecklistsPublic:
    """A building's move-in and move-out steps with their dates in the term.

    A building's own window replaces the campus-wide one; its own items join the
    campus-wide items, in position order.
    """
    term = await _term(session, term_code, today)
    windows = (
        await session.exec(
            select(MoveWindow).where(
                MoveWindow.term_id == term.id,
                or_(col(MoveWindow.building_id).is_(None), MoveWindow.building_id == building.id),
            )
        )
    ).all()
    chosen: dict[MoveKind, MoveWindow] = {}
    for candidate in sorted(windows, key=lambda w: w.building_id is not None):
        chosen[candidate.kind] = candidate  # the building's own window wins
    if not chosen:
        raise NoTermScheduled(f"No move-in or move-out dates for {term.name_en} yet.")
    items = (
        await session.exec(
            select(ChecklistItem)
            .where(
                or_(
                    col(ChecklistItem.building_id).is_(None),
                    ChecklistItem.building_id == building.id,
                )
            )
            .order_by(col(ChecklistItem.position), col(ChecklistItem.id))
        )
    ).all()
    data = []
    for kind in MoveKind:
        if (window := chosen.get(kind)) is None:
            continue
        title_en, title_zh = CHECKLIST_TITLES[kind]
        data.append(
            ChecklistPublic(
                kind=kind,
                title_en=title_en,
                title_zh=title_zh,
                opens_on=window.opens_on,
                closes_on=window.closes_on,
                note_en=window.note_en,
                note_zh=window.note_zh,
                items=[
                    ChecklistItemPublic(
                        id=item.id,
                        text_en=item.text_en,
                        text_zh=item.text_zh,
                        due_on=_due(window, item),
                    )
                    for item in items
                    if item.kind == kind
                ],
            )
        )
    return ChecklistsPublic(
        building_code=building.code,
        term=TermBrief.model_validate(term),
        data=data,
        count=len(data),
    )
