"""Which ticket changes reach whom: the reporter and the followers hear every change
they did not make themselves, through the notification outbox (same transaction)."""

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import User
from backend.notify.models import Kind
from backend.notify.service import notify
from backend.repairs.models import RepairAction, RepairEvent, RepairFollower, RepairTicket

KINDS: dict[RepairAction, Kind] = {
    RepairAction.assign: Kind.repair_assigned,
    RepairAction.start: Kind.repair_started,
    RepairAction.resume: Kind.repair_started,
    RepairAction.hold: Kind.repair_on_hold,
    RepairAction.complete: Kind.repair_completed,
    RepairAction.cancel: Kind.repair_cancelled,
    RepairAction.reopen: Kind.repair_reopened,
}


async def announce(
    *, session: AsyncSession, ticket: RepairTicket, event: RepairEvent, actor: User
) -> None:
    kind = KINDS.get(event.action)
    if kind is None:  # confirm: only the reporter can, and they know
        return
    followers = await session.exec(
        select(RepairFollower.user_id).where(col(RepairFollower.ticket_id) == ticket.id)
    )
    audience = [(ticket.reporter_id, False), *((user_id, True) for user_id in followers.all())]
    for user_id, follower in audience:
        if user_id == actor.id:
            continue
        params: dict[str, object] = {
            "category": ticket.category.value,
            "status": event.to_status.value,
        }
        reason = event.reason or (event.note if event.action == RepairAction.cancel else None)
        if reason and not follower:
            params["reason"] = reason
        if event.action == RepairAction.complete and event.note and not follower:
            params["note"] = event.note  # what the technician did, as in the ticket's history
        if follower:
            params["follower"] = True  # sees the status only; the choices are the reporter's
        await notify(
            session=session,
            user_id=user_id,
            kind=kind,
            dedupe_key=f"repair-event:{event.id}:{user_id}",
            now=event.at,
            params=params,
            ticket_id=ticket.id,
        )
