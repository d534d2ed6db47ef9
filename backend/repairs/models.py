"""Repair tickets, their recorded transitions, followers ("me too") and photos."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow
from backend.identity.models import Role, Trade


class RepairCategory(StrEnum):
    electrical = "electrical"
    plumbing = "plumbing"
    furniture = "furniture"
    network = "network"
    air_conditioning = "air_conditioning"  # air-conditioning and heating
    appliance = "appliance"
    door_lock = "door_lock"
    other = "other"


# Which maintenance trade fixes what.
CATEGORY_TRADE: dict[RepairCategory, Trade] = {
    RepairCategory.electrical: Trade.electrical,
    RepairCategory.plumbing: Trade.plumbing,
    RepairCategory.furniture: Trade.carpentry,
    RepairCategory.door_lock: Trade.carpentry,
    RepairCategory.network: Trade.network,
    RepairCategory.air_conditioning: Trade.hvac,
    RepairCategory.appliance: Trade.appliance,
    RepairCategory.other: Trade.general,
}


class RepairPriority(StrEnum):
    emergency = "emergency"
    high = "high"
    normal = "normal"
    low = "low"


class RepairStatus(StrEnum):
    submitted = "submitted"
    assigned = "assigned"
    in_progress = "in_progress"
    on_hold = "on_hold"
    completed = "completed"
    closed = "closed"
    cancelled = "cancelled"
    reopened = "reopened"


# Open: the ticket can still change. Work is pending in every open status but completed
# (done, awaiting the reporter's confirmation), so only those can be overdue.
FINAL_STATUSES = frozenset({RepairStatus.closed, RepairStatus.cancelled})
OPEN_STATUSES = frozenset(RepairStatus) - FINAL_STATUSES
PENDING_STATUSES = OPEN_STATUSES - {RepairStatus.completed}


class RepairAction(StrEnum):
    submit = "submit"  # the report itself (first history entry)
    assign = "assign"
    start = "start"
    hold = "hold"
    resume = "resume"
    complete = "complete"
    cancel = "cancel"
    confirm = "confirm"
    reopen = "reopen"


class RepairTicket(SQLModel, table=True):
    __tablename__ = "repair_tickets"
    __table_args__ = (
        # Duplicate detection: open tickets at one place for one category.
        sa.Index("ix_repair_tickets_place", "building_id", "room_id", "category", "status"),
        # The staff list: a team's tickets by status, newest first.
        sa.Index("ix_repair_tickets_team_status", "team_id", "status", "created_at"),
    )

    id: int = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="users.id", index=True)
    category: RepairCategory = Field(sa_type=enum_type(RepairCategory))
    priority: RepairPriority = Field(sa_type=enum_type(RepairPriority))
    status: RepairStatus = Field(sa_type=enum_type(RepairStatus))
    description: str = Field(max_length=2000)
    building_id: int | None = Field(default=None, foreign_key="buildings.id")
    room_id: int | None = Field(default=None, foreign_key="rooms.id")
    location_note: str | None = Field(default=None, max_length=200)
    # The responsible maintenance crew (None only if no crew exists for the trade).
    team_id: int | None = Field(default=None, foreign_key="teams.id")
    assignee_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    # SLA: when the work should be done; set from the priority at report and at reopen,
    # and moved later by the length of every hold (the clock stops while on hold).
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    # When the current hold began; set only while the ticket is on hold.
    held_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RepairEvent(SQLModel, table=True):
    """One recorded step of a ticket's life: who, when, what, why."""

    __tablename__ = "repair_events"

    id: int = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="repair_tickets.id", index=True, ondelete="CASCADE")
    at: datetime = Field(sa_type=UTCDateTime)
    actor_id: int = Field(foreign_key="users.id")
    actor_role: Role = Field(sa_type=enum_type(Role))
    via_bot: bool = False  # the bot acted for the (student) actor
    action: RepairAction = Field(sa_type=enum_type(RepairAction))
    from_status: RepairStatus | None = Field(default=None, sa_type=enum_type(RepairStatus))
    to_status: RepairStatus = Field(sa_type=enum_type(RepairStatus))
    note: str | None = Field(default=None, max_length=1000)
    reason: str | None = Field(default=None, max_length=500)  # why it is on hold
    assignee_id: int | None = Field(default=None, foreign_key="users.id")


class RepairFollower(SQLModel, table=True):
    """A student who reported the same problem ("me too") and gets the ticket's updates."""

    __tablename__ = "repair_followers"

    ticket_id: int = Field(foreign_key="repair_tickets.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RepairPhoto(SQLModel, table=True):
    __tablename__ = "repair_photos"

    id: int = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="repair_tickets.id", index=True, ondelete="CASCADE")
    uploader_id: int = Field(foreign_key="users.id")
    # Where the bytes are in photo storage; generated, never taken from the client.
    storage_key: str = Field(max_length=200, unique=True)
    content_type: str = Field(max_length=32)
    size_bytes: int
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
