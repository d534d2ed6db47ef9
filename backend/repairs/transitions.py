"""The ticket state machine: who may make which move, from where, and what it records.

    submitted ─assign→ assigned ─start→ in_progress ─complete→ completed ─confirm→ closed
                 ↑ (reassign)              │  ↑                    │
                 │                      hold  resume               reopen
                 │                         ↓  │                    ↓
                 └──────── assign ──── on_hold                 reopened ─start→ in_progress
    cancel: from submitted, assigned, in_progress, on_hold, reopened → cancelled

Every move is recorded as a RepairEvent (who, when, note). Order of checks: the ticket
must be visible (404), the move must be the caller's to make (403), then legal now (409).
"""

from datetime import datetime, timedelta, tzinfo

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Role, Team, TeamKind, User
from backend.repairs.access import check_may
from backend.repairs.config import RepairsSettings
from backend.repairs.exceptions import IllegalTransition, InvalidAssignee
from backend.repairs.models import RepairAction, RepairEvent, RepairStatus, RepairTicket
from backend.repairs.moves import ACTION_ZH, MOVES, STATUS_ZH, Move
from backend.repairs.notices import announce
from backend.repairs.schemas import RepairDetail, RepairTransition
from backend.repairs.service import get_detail, load_ticket
from backend.surveys.config import SurveySettings
from backend.surveys.service import invite_for_repair


def _illegal(ticket: RepairTicket, action: RepairAction, move: Move) -> IllegalTransition:
    status = ticket.status
    return IllegalTransition(
        f"Cannot {action.value} ticket #{ticket.id}: it is {status.value}; {move.hint_en}. "
        f"无法{ACTION_ZH[action]}报修单 #{ticket.id}："
        f"当前状态为{STATUS_ZH[status]}；{move.hint_zh}。"
    )


async def _assignee(
    session: AsyncSession, *, actor: User, ticket: RepairTicket, assignee_id: int | None
) -> User:
    """The technician to assign: named, or the acting technician. Admin may name a
    technician of any maintenance crew, which moves the ticket to that crew."""
    if assignee_id is None:
        if actor.is_admin:
            raise InvalidAssignee("Name the technician (assignee_id). 请指定维修人员。")
        return actor
    assignee = await session.get(User, assignee_id)
    if assignee is None or not assignee.is_active or assignee.role != Role.technician:
        raise InvalidAssignee()
    if actor.is_admin:
        team = await session.get(Team, assignee.team_id) if assignee.team_id else None
        if team is None or team.kind != TeamKind.maintenance:
            raise InvalidAssignee()
    elif assignee.team_id != ticket.team_id:
        raise InvalidAssignee()
    return assignee


def _run_sla_clock(ticket: RepairTicket, target: RepairStatus, now: datetime) -> None:
    """The SLA clock stops while a ticket is on hold: a resume moves the due time later
    by the hold's length; leaving the hold any other way (cancel) just clears it."""
    if target == RepairStatus.on_hold:
        ticket.held_at = now
    elif ticket.held_at is not None:
        if target == RepairStatus.in_progress:
            ticket.due_at += max(now - ticket.held_at, timedelta(0))
        ticket.held_at = None


async def transition(
    *,
    session: AsyncSession,
    settings: RepairsSettings,
    survey_settings: SurveySettings,
    actor: User,
    via_bot: bool,
    ticket_id: int,
    body: RepairTransition,
    now: datetime,
    tz: tzinfo,
) -> RepairDetail:
    loaded = await load_ticket(session=session, viewer=actor, ticket_id=ticket_id, for_update=True)
    ticket = loaded.ticket
    action = body.repair_action
    check_may(actor, ticket, action)
    move = MOVES[action]
    if ticket.status not in move.sources:
        raise _illegal(ticket, action, move)
    assignee_id: int | None = None
    if action == RepairAction.assign:
        assignee = await _assignee(
            session, actor=actor, ticket=ticket, assignee_id=body.assignee_id
        )
        ticket.assignee_id = assignee_id = assignee.id
        ticket.team_id = assignee.team_id
    elif action == RepairAction.start and ticket.assignee_id is None:
        if actor.is_admin:
            raise IllegalTransition(
                f"Ticket #{ticket.id} has no technician yet: assign one first. "
                f"报修单 #{ticket.id} 尚未指派维修人员，请先派单。"
            )
        ticket.assignee_id = assignee_id = actor.id
    elif action == RepairAction.reopen:
        ticket.due_at = now + settings.sla(ticket.priority)  # a fresh SLA for the rework
    _run_sla_clock(ticket, move.target, now)
    event = RepairEvent(
        ticket_id=ticket.id,
        at=now,
        actor_id=actor.id,
        actor_role=actor.role,
        via_bot=via_bot,
        action=action,
        from_status=ticket.status,
        to_status=move.target,
        note=body.note,
        reason=body.reason,
        assignee_id=assignee_id,
    )
    session.add(event)
    ticket.status = move.target
    ticket.updated_at = now
    session.add(ticket)
    await session.flush()
    await announce(session=session, ticket=ticket, event=event, actor=actor)
    if move.target == RepairStatus.completed and ticket.team_id is not None:
        # In this transaction: the reporter is invited to rate the crew, and the crew's
        # on-time record gets this completion (idempotent per ticket; a rework updates it).
        await invite_for_repair(
            session=session,
            ticket_id=ticket.id,
            requester_id=ticket.reporter_id,
            team_id=ticket.team_id,
            completed_at=now,
            due_at=ticket.due_at,
            settings=survey_settings,
            tz=tz,
        )
    return await get_detail(session=session, viewer=actor, ticket_id=ticket.id, now=now, tz=tz)
