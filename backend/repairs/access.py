"""Who sees which tickets and who may do what to them.

- A student sees the tickets they reported and the ones they follow ("me too"); anyone
  else's ticket does not exist for them (404). The bot is exactly the student.
- Staff see their team's tickets: a maintenance crew the tickets it is responsible for, a
  dorm team (building manager) every ticket in its building (read-only).
- The logistics office (admin) sees and may do everything.
- Staff actions (assign, start, hold, resume, complete): the responsible crew and admin.
- Reporter actions (cancel, confirm, reopen): the reporter (or the bot for them) and admin.
"""

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlmodel import col

from backend.identity.models import Role, Team, TeamKind, User
from backend.repairs.exceptions import ReporterActionOnly, StaffActionOnly
from backend.repairs.models import RepairAction, RepairFollower, RepairTicket

STAFF_ACTIONS = frozenset(
    {
        RepairAction.assign,
        RepairAction.start,
        RepairAction.hold,
        RepairAction.resume,
        RepairAction.complete,
    }
)
REPORTER_ACTIONS = frozenset({RepairAction.cancel, RepairAction.confirm, RepairAction.reopen})


def visible_to(user: User) -> ColumnElement[bool]:
    """SQL condition on RepairTicket: the tickets ``user`` may see."""
    if user.is_admin:
        return true()
    if user.role == Role.student:
        followed = exists().where(
            col(RepairFollower.ticket_id) == col(RepairTicket.id),
            col(RepairFollower.user_id) == user.id,
        )
        return or_(col(RepairTicket.reporter_id) == user.id, followed)
    if user.team_id is None:
        return false()
    managed_building = (
        select(col(Team.building_id))
        .where(col(Team.id) == user.team_id, col(Team.kind) == TeamKind.dorm)
        .scalar_subquery()
    )
    return or_(
        col(RepairTicket.team_id) == user.team_id,
        and_(
            col(RepairTicket.building_id).is_not(None),
            col(RepairTicket.building_id) == managed_building,
        ),
    )


def is_responsible_staff(user: User, ticket: RepairTicket) -> bool:
    return user.is_staff and user.team_id is not None and user.team_id == ticket.team_id


def check_may(user: User, ticket: RepairTicket, action: RepairAction) -> None:
    """Raise 403 unless ``user`` (who can already see ``ticket``) may take ``action``."""
    if user.is_admin:
        return
    if action in STAFF_ACTIONS:
        if not is_responsible_staff(user, ticket):
            raise StaffActionOnly()
    elif action in REPORTER_ACTIONS:
        if user.id != ticket.reporter_id:
            raise ReporterActionOnly()
    else:  # submit is not a transition
        raise StaffActionOnly()


def may_add_photo(user: User, ticket: RepairTicket) -> bool:
    return user.is_admin or user.id == ticket.reporter_id or is_responsible_staff(user, ticket)
