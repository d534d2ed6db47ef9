"""Who sees which tickets and who may do what to them.

- A student sees the tickets they reported and the ones they follow ("me too"); anyone
  else's ticket does not exist for them (404). The bot is exactly the student.
- A follower (or a student shown a possible duplicate) sees only what following needs:
  status, crew, due time, the place and the description they recognised — no photos,
  history, notes or names (``limited_view``).
- Staff see their team's tickets: a maintenance crew the tickets it is responsible for, a
  dorm team (building manager) every ticket in its building (read-only).
- The logistics office (admin) sees and may do everything.
- Staff actions (assign, start, hold, resume, complete): the responsible crew and admin.
- Reporter actions (cancel, confirm, reopen): the reporter (or the bot for them) and admin.
"""

from typing import Literal

from sqlalchemy import ColumnElement, bindparam, exists, or_, select, true
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


# Statements take the viewer as bind parameters, so they can be built once and reused
# (building a statement costs more than running it).
VIEWER = "repairs_viewer_id"
VIEWER_TEAM = "repairs_viewer_team_id"
ViewerKind = Literal["admin", "student", "staff"]


def viewer_kind(user: User) -> ViewerKind:
    if user.is_admin:
        return "admin"
    return "student" if user.role == Role.student else "staff"


def viewer_params(user: User) -> dict[str, int | None]:
    """The bind parameters of ``visible_to`` (and of the ``following`` column)."""
    return {VIEWER: user.id, VIEWER_TEAM: user.team_id}


def is_followed_by_viewer() -> ColumnElement[bool]:
    return exists().where(
        col(RepairFollower.ticket_id) == col(RepairTicket.id),
        col(RepairFollower.user_id) == bindparam(VIEWER),
    )


def visible_to(kind: ViewerKind) -> ColumnElement[bool]:
    """SQL condition on RepairTicket: the tickets a viewer of this kind may see (run with
    ``viewer_params``)."""
    if kind == "admin":
        return true()
    if kind == "student":
        return or_(col(RepairTicket.reporter_id) == bindparam(VIEWER), is_followed_by_viewer())
    managed_building = (
        select(col(Team.building_id))
        .where(col(Team.id) == bindparam(VIEWER_TEAM), col(Team.kind) == TeamKind.dorm)
        .scalar_subquery()
    )
    return or_(
        col(RepairTicket.team_id) == bindparam(VIEWER_TEAM),
        col(RepairTicket.building_id) == managed_building,
    )


def limited_view(user: User, ticket: RepairTicket) -> bool:
    """True for a student looking at someone else's ticket (one they follow or were offered)."""
    return user.role == Role.student and ticket.reporter_id != user.id


def is_responsible_staff(user: User, ticket: RepairTicket) -> bool:
    return user.is_staff and user.team_id is not None and user.team_id == ticket.team_id


def may_take(user: User, ticket: RepairTicket, action: RepairAction) -> bool:
    """Whether ``user`` (who can already see ``ticket``) may take ``action`` (in any status)."""
    if user.is_admin:
        return action in STAFF_ACTIONS or action in REPORTER_ACTIONS
    if action in STAFF_ACTIONS:
        return is_responsible_staff(user, ticket)
    return action in REPORTER_ACTIONS and user.id == ticket.reporter_id


def check_may(user: User, ticket: RepairTicket, action: RepairAction) -> None:
    """Raise 403 unless ``user`` (who can already see ``ticket``) may take ``action``."""
    if may_take(user, ticket, action):
        return
    raise ReporterActionOnly() if action in REPORTER_ACTIONS else StaffActionOnly()


def may_add_photo(user: User, ticket: RepairTicket) -> bool:
    return user.is_admin or user.id == ticket.reporter_id or is_responsible_staff(user, ticket)
