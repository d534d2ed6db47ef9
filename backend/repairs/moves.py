"""The ticket state machine as data: which move goes from which statuses to which, and the
moves a viewer may make now (``allowed_actions``, shown on the ticket so a page never offers
a move that cannot work). ``transitions.py`` makes the moves."""

from typing import NamedTuple

from backend.identity.models import User
from backend.repairs.access import may_take
from backend.repairs.models import RepairAction, RepairStatus, RepairTicket

S = RepairStatus


class Move(NamedTuple):
    sources: frozenset[RepairStatus]
    target: RepairStatus
    hint_en: str
    hint_zh: str


MOVES: dict[RepairAction, Move] = {
    RepairAction.assign: Move(
        frozenset({S.submitted, S.assigned, S.reopened}),
        S.assigned,
        "only submitted, assigned or reopened tickets can be assigned",
        "只有已提交、已派单或已重新打开的报修单可以派单",
    ),
    RepairAction.start: Move(
        frozenset({S.assigned, S.reopened}),
        S.in_progress,
        "work starts on an assigned or reopened ticket",
        "只有已派单或已重新打开的报修单可以开始维修",
    ),
    RepairAction.hold: Move(
        frozenset({S.in_progress}),
        S.on_hold,
        "only work in progress can be put on hold",
        "只有维修中的报修单可以暂停",
    ),
    RepairAction.resume: Move(
        frozenset({S.on_hold}),
        S.in_progress,
        "only a ticket on hold can be resumed",
        "只有暂停中的报修单可以恢复维修",
    ),
    RepairAction.complete: Move(
        frozenset({S.in_progress}),
        S.completed,
        "only work in progress can be completed",
        "只有维修中的报修单可以完工",
    ),
    RepairAction.cancel: Move(
        frozenset({S.submitted, S.assigned, S.in_progress, S.on_hold, S.reopened}),
        S.cancelled,
        "a completed ticket is confirmed or reopened, and closed or cancelled ones are final",
        "已完成的报修单只能确认或重新打开，已关闭或已取消的报修单不能再更改",
    ),
    RepairAction.confirm: Move(
        frozenset({S.completed}),
        S.closed,
        "only a completed ticket can be confirmed",
        "只有已完成的报修单可以确认",
    ),
    RepairAction.reopen: Move(
        frozenset({S.completed}),
        S.reopened,
        "only a completed ticket can be reopened",
        "只有已完成的报修单可以重新打开",
    ),
}

STATUS_ZH = {
    S.submitted: "已提交",
    S.assigned: "已派单",
    S.in_progress: "维修中",
    S.on_hold: "暂停中",
    S.completed: "已完成",
    S.closed: "已关闭",
    S.cancelled: "已取消",
    S.reopened: "已重新打开",
}
ACTION_ZH = {
    RepairAction.assign: "派单",
    RepairAction.start: "开始维修",
    RepairAction.hold: "暂停",
    RepairAction.resume: "恢复维修",
    RepairAction.complete: "完工",
    RepairAction.cancel: "取消",
    RepairAction.confirm: "确认",
    RepairAction.reopen: "重新打开",
}


def allowed_actions(user: User, ticket: RepairTicket) -> list[RepairAction]:
    """The moves ``user`` (who can see ``ticket``) may make now, in the order of MOVES.
    The logistics office starts only an assigned ticket (it names the technician first)."""
    allowed = []
    for action, move in MOVES.items():
        if ticket.status not in move.sources or not may_take(user, ticket, action):
            continue
        if action == RepairAction.start and user.is_admin and ticket.assignee_id is None:
            continue
        allowed.append(action)
    return allowed
