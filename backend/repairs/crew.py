"""Who a ticket can be assigned to, and what was said in the chat before it was reported."""

from datetime import timedelta, tzinfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import ChatMessage
from backend.identity.models import Role, Team, TeamKind, User
from backend.repairs.access import check_may, limited_view
from backend.repairs.exceptions import RepairNotFound
from backend.repairs.models import RepairAction, RepairEvent
from backend.repairs.schemas import (
    AssigneeOption,
    AssigneeOptions,
    TeamRef,
    TicketTranscript,
    TranscriptLine,
)
from backend.repairs.service import load_ticket

TRANSCRIPT_WINDOW = timedelta(minutes=30)
TRANSCRIPT_AFTER = timedelta(minutes=1)  # the assistant's confirmation of the report
TRANSCRIPT_LINES = 20


async def assignees(*, session: AsyncSession, viewer: User, ticket_id: int) -> AssigneeOptions:
    """The active technicians ``viewer`` may assign the ticket to (403 unless they may
    assign it at all), the viewer first, then by name."""
    ticket = (await load_ticket(session=session, viewer=viewer, ticket_id=ticket_id)).ticket
    check_may(viewer, ticket, RepairAction.assign)
    query = (
        select(User, Team)
        .join(Team, col(Team.id) == col(User.team_id))
        .where(
            User.role == Role.technician,
            col(User.is_active).is_(True),
            Team.kind == TeamKind.maintenance,
        )
    )
    if not viewer.is_admin:
        query = query.where(User.team_id == ticket.team_id)
    rows = (await session.exec(query)).all()
    data = sorted(
        (
            AssigneeOption(
                id=user.id,
                name=user.name,
                team=TeamRef.model_validate(team),
                is_me=user.id == viewer.id,
            )
            for user, team in rows
        ),
        key=lambda option: (not option.is_me, option.team.slug, option.name, option.id),
    )
    return AssigneeOptions(data=data, count=len(data))


async def transcript(
    *, session: AsyncSession, viewer: User, ticket_id: int, tz: tzinfo
) -> TicketTranscript:
    """The chat lines around a report made through the assistant, for those who see the
    whole ticket (a follower does not: 404, as for a ticket they cannot see)."""
    ticket = (await load_ticket(session=session, viewer=viewer, ticket_id=ticket_id)).ticket
    if limited_view(viewer, ticket):
        raise RepairNotFound(f"No repair ticket #{ticket_id}. 没有找到报修单 #{ticket_id}。")
    reported = (
        await session.exec(
            select(RepairEvent).where(
                RepairEvent.ticket_id == ticket.id, RepairEvent.action == RepairAction.submit
            )
        )
    ).first()
    if reported is None or not reported.via_bot:
        return TicketTranscript(from_chat=False, data=[], count=0)
    lines = (
        await session.exec(
            select(ChatMessage)
            .where(
                ChatMessage.user_id == ticket.reporter_id,
                col(ChatMessage.text).is_not(None),
                col(ChatMessage.notification_id).is_(None),
                col(ChatMessage.created_at) >= reported.at - TRANSCRIPT_WINDOW,
                col(ChatMessage.created_at) <= reported.at + TRANSCRIPT_AFTER,
            )
            .order_by(col(ChatMessage.id).desc())
            .limit(TRANSCRIPT_LINES)
        )
    ).all()
    data = [
        TranscriptLine(
            at=line.created_at.astimezone(tz), speaker=line.role.value, text=line.text or ""
        )
        for line in reversed(lines)
    ]
    return TicketTranscript(from_chat=True, data=data, count=len(data))
