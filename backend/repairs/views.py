"""Turning tickets into their public shapes, for one viewer at one moment."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from backend.core.config import API_PREFIX
from backend.identity.models import Team
from backend.identity.schemas import TeamRef
from backend.repairs.models import (
    PENDING_STATUSES,
    RepairAction,
    RepairEvent,
    RepairPhoto,
    RepairTicket,
)
from backend.repairs.schemas import (
    AssigneePublic,
    HistoryEntry,
    LocationPublic,
    PhotoPublic,
    RepairDetail,
    RepairPublic,
)


@dataclass(frozen=True)
class TicketRow:
    """A ticket with what its public shape needs from other tables."""

    ticket: RepairTicket
    team: Team | None
    building_code: str | None
    room_number: str | None
    following: bool


def is_overdue(ticket: RepairTicket, now: datetime) -> bool:
    """Past due and work pending; on hold the clock stands at the hold's start."""
    clock = ticket.held_at if ticket.held_at is not None else now
    return ticket.status in PENDING_STATUSES and ticket.due_at < clock


def photo_url(ticket_id: int, photo_id: int) -> str:
    return f"{API_PREFIX}/repairs/{ticket_id}/photos/{photo_id}"


def repair_public(
    *, row: TicketRow, viewer_id: int, now: datetime, tz: tzinfo, limited: bool = False
) -> RepairPublic:
    """``limited``: a follower's view (access.limited_view), without the location note."""
    ticket = row.ticket
    return RepairPublic(
        id=ticket.id,
        category=ticket.category,
        status=ticket.status,
        priority=ticket.priority,
        description=ticket.description,
        location=LocationPublic(
            building_code=row.building_code,
            room=row.room_number,
            note=None if limited else ticket.location_note,
        ),
        team=TeamRef.model_validate(row.team) if row.team is not None else None,
        due_at=ticket.due_at.astimezone(tz),
        is_overdue=is_overdue(ticket, now),
        sla_paused_since=ticket.held_at.astimezone(tz) if ticket.held_at is not None else None,
        created_at=ticket.created_at.astimezone(tz),
        updated_at=ticket.updated_at.astimezone(tz),
        reporter="me" if ticket.reporter_id == viewer_id else "other",
        following=row.following,
    )


def repair_detail(
    *,
    row: TicketRow,
    viewer_id: int,
    now: datetime,
    tz: tzinfo,
    events: Sequence[RepairEvent],
    photos: Sequence[RepairPhoto],
    assignee: AssigneePublic | None,
    actions: Sequence[RepairAction],
    followers: int = 0,
    limited: bool = False,
) -> RepairDetail:
    """``limited``: a follower's view: no history, photos, assignee or followers."""
    public = repair_public(row=row, viewer_id=viewer_id, now=now, tz=tz, limited=limited)
    if limited:
        events, photos, assignee, followers = [], [], None, 0
    return RepairDetail(
        **public.__dict__,
        history=[
            HistoryEntry(
                at=event.at.astimezone(tz),
                actor_role=event.actor_role,
                from_status=event.from_status,
                to_status=event.to_status,
                action=event.action,
                note=event.note,
                reason=event.reason,
            )
            for event in events
        ],
        photos=[
            PhotoPublic(
                id=photo.id,
                url=photo_url(photo.ticket_id, photo.id),
                content_type=photo.content_type,
            )
            for photo in photos
        ],
        assignee=assignee,
        followers=followers,
        allowed_actions=list(actions),
    )
