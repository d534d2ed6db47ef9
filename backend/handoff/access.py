"""Whose handoff requests a viewer sees.

A student sees their own; the logistics office sees the whole queue; a dorm manager sees
the requests of students who live (today, on campus time) in the building their dorm team
manages. Anyone else's request does not exist for them (404); other staff get 403.
"""

from datetime import date

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dorms.models import Room, RoomAssignment
from backend.handoff.exceptions import HandoffNotFound, HandoffStaffOnly
from backend.handoff.models import Handoff
from backend.identity.models import Role, Team, TeamKind, User

# Who answers handoff requests: the logistics office and dorm managers.
HANDOFF_STAFF_ROLES = frozenset({Role.logistics_admin, Role.dorm_manager})


def visible_to(viewer: User, today: date) -> ColumnElement[bool]:
    """SQL condition on Handoff: the requests ``viewer`` may see."""
    if viewer.is_admin:
        return true()
    if viewer.role == Role.student:
        return col(Handoff.student_id) == viewer.id
    if viewer.role != Role.dorm_manager:
        raise HandoffStaffOnly()
    managed = (
        select(Team.building_id)
        .where(col(Team.id) == viewer.team_id, col(Team.kind) == TeamKind.dorm)
        .scalar_subquery()
    )
    residents = (
        select(RoomAssignment.student_id)
        .join(Room, col(Room.id) == col(RoomAssignment.room_id))
        .where(
            col(Room.building_id) == managed,
            col(RoomAssignment.starts_on) <= today,
            or_(col(RoomAssignment.ends_on).is_(None), col(RoomAssignment.ends_on) >= today),
        )
    )
    return col(Handoff.student_id).in_(residents)


async def check_visible(
    *, session: AsyncSession, viewer: User, handoff: Handoff, today: date
) -> None:
    query = (
        select(func.count())
        .select_from(Handoff)
        .where(col(Handoff.id) == handoff.id, visible_to(viewer, today))
    )
    if not (await session.exec(query)).one():
        # Someone else's request: the same answer as one that does not exist.
        raise HandoffNotFound(
            f"No handoff request #{handoff.id}. 没有找到转人工请求 #{handoff.id}。"
        )
