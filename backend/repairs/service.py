"""Reporting, reading, listing and following repair tickets.

State changes are in ``transitions.py``, photos in ``photos.py``. Services add and flush;
routes commit.
"""

from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import ColumnElement, bindparam, case, func, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Building, Room
from backend.dorms.service import current_room
from backend.identity.exceptions import TeamNotFound
from backend.identity.models import Role, Team, TeamKind, User
from backend.repairs.access import (
    ViewerKind,
    is_followed_by_viewer,
    limited_view,
    viewer_kind,
    viewer_params,
    visible_to,
)
from backend.repairs.config import RepairsSettings
from backend.repairs.exceptions import (
    FilingForStudentForbidden,
    LocationRequired,
    PossibleDuplicate,
    RepairNotFound,
    UnknownBuilding,
    UnknownRoom,
    UnknownStudent,
)
from backend.repairs.models import (
    CATEGORY_TRADE,
    FINAL_STATUSES,
    OPEN_STATUSES,
    PENDING_STATUSES,
    RepairAction,
    RepairCategory,
    RepairEvent,
    RepairFollower,
    RepairPhoto,
    RepairStatus,
    RepairTicket,
)
from backend.repairs.moves import allowed_actions
from backend.repairs.schemas import (
    AssigneePublic,
    RepairCreate,
    RepairDetail,
    RepairPublic,
    RepairsPublic,
)
from backend.repairs.views import TicketRow, repair_detail, repair_public

MAX_DUPLICATES = 5
Assignee = aliased(User, name="assignee")


# ---------------------------------------------------------------- reading


def _row_query() -> Any:  # a Select of (ticket, team, code, room, following, assignee)
    """Tickets with what their public shape needs; run with ``viewer_params``."""
    return (
        sa.select(
            RepairTicket,
            Team,
            col(Building.code),
            col(Room.number),
            is_followed_by_viewer().label("following"),
            col(Assignee.id),
            col(Assignee.name),
        )
        .outerjoin(Team, col(Team.id) == col(RepairTicket.team_id))
        .outerjoin(Building, col(Building.id) == col(RepairTicket.building_id))
        .outerjoin(Room, col(Room.id) == col(RepairTicket.room_id))
        .outerjoin(Assignee, col(Assignee.id) == col(RepairTicket.assignee_id))
    )


@cache
def _one_ticket(kind: ViewerKind | None) -> Any:
    """Built once per kind of viewer (None: whoever asks, visible or not)."""
    query = _row_query().where(col(RepairTicket.id) == bindparam("ticket_id"))
    return query if kind is None else query.where(visible_to(kind))


_EVENTS = (
    select(RepairEvent)
    .where(col(RepairEvent.ticket_id) == bindparam("ticket_id"))
    .order_by(col(RepairEvent.at), col(RepairEvent.id))
)
_PHOTOS = (
    select(RepairPhoto)
    .where(col(RepairPhoto.ticket_id) == bindparam("ticket_id"))
    .order_by(col(RepairPhoto.id))
)


@dataclass(frozen=True)
class LoadedTicket:
    row: TicketRow
    assignee: AssigneePublic | None

    @property
    def ticket(self) -> RepairTicket:
        return self.row.ticket


def _loaded(result: Any) -> LoadedTicket:
    ticket, team, building_code, room_number, following, assignee_id, assignee_name = result
    return LoadedTicket(
        row=TicketRow(
            ticket=ticket,
            team=team,
            building_code=building_code,
            room_number=room_number,
            following=bool(following),
        ),
        assignee=AssigneePublic(id=assignee_id, name=assignee_name) if assignee_id else None,
    )


async def load_ticket(
    *,
    session: AsyncSession,
    viewer: User,
    ticket_id: int,
    only_visible: bool = True,
    for_update: bool = False,
) -> LoadedTicket:
    """The ticket as ``viewer`` sees it; RepairNotFound if it is not theirs to see."""
    query = _one_ticket(viewer_kind(viewer) if only_visible else None)
    if for_update:
        # Transitions of one ticket queue up (PostgreSQL; SQLite transactions already do).
        query = query.with_for_update(of=RepairTicket).execution_options(populate_existing=True)
    params = {**viewer_params(viewer), "ticket_id": ticket_id}
    result = (await session.exec(query, params=params)).first()
    if result is None:
        raise RepairNotFound(f"No repair ticket #{ticket_id}. 没有找到报修单 #{ticket_id}。")
    return _loaded(result)


_FOLLOWERS = (
    select(func.count())
    .select_from(RepairFollower)
    .where(col(RepairFollower.ticket_id) == bindparam("ticket_id"))
)


@dataclass(frozen=True)
class TicketRecord:
    events: list[RepairEvent]
    photos: list[RepairPhoto]
    followers: int


async def ticket_record(*, session: AsyncSession, ticket_id: int) -> TicketRecord:
    """History, photos and how many follow it: what the full view adds to the ticket."""
    params = {"ticket_id": ticket_id}
    events = await session.exec(_EVENTS, params=params)
    photos = await session.exec(_PHOTOS, params=params)
    followers = (await session.exec(_FOLLOWERS, params=params)).one()
    return TicketRecord(list(events.all()), list(photos.all()), followers)


async def get_detail(
    *, session: AsyncSession, viewer: User, ticket_id: int, now: datetime, tz: tzinfo
) -> RepairDetail:
    loaded = await load_ticket(session=session, viewer=viewer, ticket_id=ticket_id)
    limited = limited_view(viewer, loaded.ticket)
    record = (
        TicketRecord([], [], 0)
        if limited
        else await ticket_record(session=session, ticket_id=ticket_id)
    )
    return repair_detail(
        row=loaded.row,
        viewer_id=viewer.id,
        now=now,
        tz=tz,
        events=record.events,
        photos=record.photos,
        assignee=loaded.assignee,
        actions=allowed_actions(viewer, loaded.ticket),
        followers=record.followers,
        limited=limited,
    )


ListOrder = Literal["newest", "due"]
ORDERS: dict[ListOrder, tuple[ColumnElement[Any], ...]] = {
    "newest": (col(RepairTicket.created_at).desc(), col(RepairTicket.id).desc()),
    "due": (col(RepairTicket.due_at).asc(), col(RepairTicket.id).asc()),
}


@dataclass(frozen=True)
class RepairFilters:
    open: bool | None = None
    status: tuple[RepairStatus, ...] = ()
    category: RepairCategory | None = None
    team: str | None = None  # team slug
    building: str | None = None  # building code
    overdue: bool | None = None


async def _filter_conditions(
    session: AsyncSession, filters: RepairFilters, now: datetime
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.open is not None:
        statuses = OPEN_STATUSES if filters.open else FINAL_STATUSES
        conditions.append(col(RepairTicket.status).in_(statuses))
    if filters.status:
        conditions.append(col(RepairTicket.status).in_(filters.status))
    if filters.category is not None:
        conditions.append(col(RepairTicket.category) == filters.category)
    if filters.team is not None:
        team_id = (await session.exec(select(Team.id).where(Team.slug == filters.team))).first()
        if team_id is None:
            raise TeamNotFound(f"No team '{filters.team}'. 没有班组“{filters.team}”。")
        conditions.append(col(RepairTicket.team_id) == team_id)
    if filters.building is not None:
        building_id = (
            await session.exec(
                select(Building.id).where(func.lower(Building.code) == filters.building.lower())
            )
        ).first()
        if building_id is None:
            raise UnknownBuilding(
                f"No building '{filters.building}'. 没有楼栋“{filters.building}”。"
            )
        conditions.append(col(RepairTicket.building_id) == building_id)
    if filters.overdue is not None:
        # On hold, the SLA clock stands at the hold's start (held_at is set only then).
        clock = func.coalesce(col(RepairTicket.held_at), now)
        overdue = col(RepairTicket.status).in_(PENDING_STATUSES) & (
            col(RepairTicket.due_at) < clock
        )
        conditions.append(overdue if filters.overdue else ~overdue)
    return conditions


async def list_tickets(
    *,
    session: AsyncSession,
    viewer: User,
    filters: RepairFilters,
    page: int,
    size: int,
    now: datetime,
    tz: tzinfo,
    order: ListOrder = "newest",
) -> RepairsPublic:
    """Tickets ``viewer`` may see, newest first or soonest due first (ties by id): stable
    across pages."""
    conditions = [visible_to(viewer_kind(viewer)), *await _filter_conditions(session, filters, now)]
    params = viewer_params(viewer)
    total = (
        await session.exec(
            select(func.count()).select_from(RepairTicket).where(*conditions), params=params
        )
    ).one()
    query = (
        _row_query()
        .where(*conditions)
        .order_by(*ORDERS[order])
        .offset((page - 1) * size)
        .limit(size)
    )
    rows = [_loaded(result).row for result in (await session.exec(query, params=params)).all()]
    data = [
        repair_public(
            row=row, viewer_id=viewer.id, now=now, tz=tz, limited=limited_view(viewer, row.ticket)
        )
        for row in rows
    ]
    return RepairsPublic(data=data, count=len(data), total=total)


async def subscriber_ids(*, session: AsyncSession, ticket: RepairTicket) -> list[int]:
    """Who gets a ticket's updates: its reporter, then its followers (for notifications)."""
    followers = await session.exec(
        select(RepairFollower.user_id)
        .where(RepairFollower.ticket_id == ticket.id)
        .order_by(col(RepairFollower.created_at), col(RepairFollower.user_id))
    )
    return [ticket.reporter_id, *followers.all()]


# ---------------------------------------------------------------- reporting


async def responsible_team(
    *, session: AsyncSession, category: RepairCategory, building_id: int | None
) -> Team | None:
    """The maintenance crew of the category's trade: one serving this building if any
    (a maintenance team with ``building_id`` set), else the campus-wide crew."""
    building_first = case((col(Team.building_id).is_(None), 1), else_=0)
    query = (
        select(Team)
        .where(
            Team.kind == TeamKind.maintenance,
            Team.trade == CATEGORY_TRADE[category],
            or_(col(Team.building_id).is_(None), col(Team.building_id) == building_id),
        )
        .order_by(building_first, col(Team.id))
    )
    return (await session.exec(query)).first()


@dataclass(frozen=True)
class Place:
    building: Building | None
    room: Room | None


async def _resolve_place(
    session: AsyncSession, body: RepairCreate, home: tuple[Building, Room] | None
) -> Place:
    if body.building_code is None and body.room is None:
        if home is not None:
            return Place(*home)
        if body.location_note is None:
            raise LocationRequired()
        return Place(None, None)
    if body.building_code is not None:
        building = (
            await session.exec(
                select(Building).where(func.lower(Building.code) == body.building_code.lower())
            )
        ).first()
        if building is None:
            raise UnknownBuilding(
                f"No building '{body.building_code}'. 没有楼栋“{body.building_code}”。"
            )
    elif home is not None:
        building = home[0]  # a room number alone is in the student's own building
    else:
        raise LocationRequired()
    if body.room is None:
        return Place(building, None)  # a shared area of the building (say where in the note)
    room = (
        await session.exec(
            select(Room).where(Room.building_id == building.id, Room.number == body.room)
        )
    ).first()
    if room is None:
        raise UnknownRoom(
            f"No room {body.room} in {building.code}. {building.code} 没有 {body.room} 房间。"
        )
    return Place(building, room)


async def _open_duplicates(
    session: AsyncSession,
    *,
    reporter: User,
    place: Place,
    category: RepairCategory,
    home_building_id: int | None,
) -> list[LoadedTicket]:
    """Open tickets for the same category at the same place that the reporter owns, or may
    follow: someone else's, in the reporter's own building, with the work still pending."""
    assert place.building is not None
    room = (
        col(RepairTicket.room_id).is_(None)
        if place.room is None
        else col(RepairTicket.room_id) == place.room.id
    )
    mine = col(RepairTicket.reporter_id) == reporter.id
    may_follow = mine
    if home_building_id == place.building.id:
        may_follow = or_(mine, col(RepairTicket.status).in_(PENDING_STATUSES))
    query = (
        _row_query()
        .where(
            col(RepairTicket.building_id) == place.building.id,
            room,
            col(RepairTicket.category) == category,
            col(RepairTicket.status).in_(OPEN_STATUSES),
            may_follow,
        )
        .order_by(col(RepairTicket.created_at).desc(), col(RepairTicket.id).desc())
        .limit(MAX_DUPLICATES)
    )
    results = await session.exec(query, params=viewer_params(reporter))
    return [_loaded(result) for result in results.all()]


async def create_ticket(
    *,
    session: AsyncSession,
    settings: RepairsSettings,
    reporter: User,
    via_bot: bool,
    body: RepairCreate,
    now: datetime,
    tz: tzinfo,
    filed_by: User | None = None,
    note: str | None = None,
) -> RepairDetail:
    """Report a problem; PossibleDuplicate (with the matches) unless forced. With
    ``filed_by``, staff file it for the student ``reporter`` (FilingForStudentForbidden
    unless they may) and the first history entry is theirs, with ``note``."""
    home = await current_room(session=session, student_id=reporter.id, on=now.astimezone(tz).date())
    place = await _resolve_place(session, body, home)
    if filed_by is not None:
        await _check_filer(session, filed_by, place)
    if place.building is not None and not body.report_even_if_duplicate:
        duplicates = await _open_duplicates(
            session,
            reporter=reporter,
            place=place,
            category=body.category,
            home_building_id=home[0].id if home else None,
        )
        if duplicates:
            raise PossibleDuplicate(
                [
                    repair_public(
                        row=dup.row,
                        viewer_id=reporter.id,
                        now=now,
                        tz=tz,
                        limited=limited_view(reporter, dup.ticket),
                    )
                    for dup in duplicates
                ]
            )
    building_id = place.building.id if place.building else None
    team = await responsible_team(session=session, category=body.category, building_id=building_id)
    ticket = RepairTicket(
        reporter_id=reporter.id,
        category=body.category,
        priority=body.priority,
        status=RepairStatus.submitted,
        description=body.description,
        building_id=building_id,
        room_id=place.room.id if place.room else None,
        location_note=body.location_note,
        team_id=team.id if team else None,
        due_at=now + settings.sla(body.priority),
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    await session.flush()
    actor = filed_by or reporter
    event = RepairEvent(
        ticket_id=ticket.id,
        at=now,
        actor_id=actor.id,
        actor_role=actor.role,
        via_bot=via_bot,
        action=RepairAction.submit,
        from_status=None,
        to_status=RepairStatus.submitted,
        note=note,
    )
    session.add(event)
    await session.flush()
    row = TicketRow(
        ticket=ticket,
        team=team,
        building_code=place.building.code if place.building else None,
        room_number=place.room.number if place.room else None,
        following=False,
    )
    return repair_detail(
        row=row,
        viewer_id=actor.id,
        now=now,
        tz=tz,
        events=[event],
        photos=[],
        assignee=None,
        actions=allowed_actions(actor, ticket),
    )


async def _check_filer(session: AsyncSession, filer: User, place: Place) -> None:
    """The logistics office files anywhere; a dorm manager only for a place in the
    building their team manages."""
    if filer.is_admin:
        return
    team = await session.get(Team, filer.team_id) if filer.team_id is not None else None
    if (
        filer.role != Role.dorm_manager
        or team is None
        or team.kind != TeamKind.dorm
        or place.building is None
        or team.building_id != place.building.id
    ):
        raise FilingForStudentForbidden()


async def find_student(*, session: AsyncSession, username: str) -> User:
    student = (await session.exec(select(User).where(User.username == username))).first()
    if student is None or student.role != Role.student or not student.is_active:
        raise UnknownStudent(
            f"No active student '{username}'. 没有用户名为“{username}”的在校学生。"
        )
    return student


async def follow(
    *,
    session: AsyncSession,
    student: User,
    ticket_id: int,
    offered: bool,
    now: datetime,
    tz: tzinfo,
) -> RepairPublic:
    """ "Me too": follow a ticket the duplicate check ``offered`` this student, while it is
    pending and in their own building. Following again, or following one's own ticket,
    changes nothing."""
    loaded = await load_ticket(
        session=session, viewer=student, ticket_id=ticket_id, only_visible=False
    )
    ticket = loaded.ticket
    if ticket.reporter_id != student.id and not loaded.row.following:
        home = await current_room(
            session=session, student_id=student.id, on=now.astimezone(tz).date()
        )
        if (
            not offered
            or home is None
            or ticket.building_id != home[0].id
            or ticket.status not in PENDING_STATUSES
        ):
            # Not theirs to see: the same answer as a ticket that does not exist.
            raise RepairNotFound(f"No repair ticket #{ticket_id}. 没有找到报修单 #{ticket_id}。")
        try:
            async with session.begin_nested():
                session.add(RepairFollower(ticket_id=ticket.id, user_id=student.id, created_at=now))
        except IntegrityError:
            pass  # a concurrent "me too" from the same student got there first
        loaded = await load_ticket(session=session, viewer=student, ticket_id=ticket_id)
    return repair_public(
        row=loaded.row, viewer_id=student.id, now=now, tz=tz, limited=limited_view(student, ticket)
    )
