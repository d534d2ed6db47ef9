"""The outbox: a notification per event and recipient, a delivery per channel.

A notification row is written in the same transaction as the event that causes it; its
``dedupe_key`` (unique) names the event, so an event recorded twice notifies once. The
dispatcher works through deliveries: pending → sent | failed | suppressed (with a reason);
a pending delivery held by the student's quiet hours says so (reason ``quiet_hours``).
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.chat.models import Channel
from backend.core.types import UTCDateTime, enum_type, utcnow


class Category(StrEnum):
    """What a student can turn on or off."""

    repairs = "repairs"
    surveys = "surveys"
    handoff = "handoff"
    news = "news"  # service news; also where staff notices (appeals) belong


class Kind(StrEnum):
    repair_assigned = "repair_assigned"
    repair_started = "repair_started"
    repair_on_hold = "repair_on_hold"
    repair_completed = "repair_completed"
    repair_cancelled = "repair_cancelled"
    repair_reopened = "repair_reopened"
    survey_invited = "survey_invited"
    survey_expiring = "survey_expiring"
    handoff_answered = "handoff_answered"
    appeal_resolved = "appeal_resolved"

    @property
    def category(self) -> Category:
        prefix = self.value.split("_", 1)[0]
        return {
            "repair": Category.repairs,
            "survey": Category.surveys,
            "handoff": Category.handoff,
        }.get(prefix, Category.news)


class DeliveryState(StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"
    suppressed = "suppressed"


class SuppressReason(StrEnum):
    opted_out = "opted_out"  # the category or channel is off in the preferences
    daily_cap = "daily_cap"  # the student's notices for today are used up
    reminder_cap = "reminder_cap"  # enough reminders about this survey already
    superseded = "superseded"  # the thing it is about has moved on (e.g. survey answered)
    # Not a suppression: the delivery is still pending, held until the quiet hours end (or
    # the student changes their preferences).
    quiet_hours = "quiet_hours"


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    kind: Kind = Field(sa_type=enum_type(Kind))
    category: Category = Field(sa_type=enum_type(Category))
    dedupe_key: str = Field(max_length=120, unique=True)
    ticket_id: int | None = Field(default=None)
    invitation_id: int | None = Field(default=None)
    handoff_id: int | None = Field(default=None)
    statement_id: int | None = Field(default=None)
    # What the words need (status, reason, reply text…), the entities sent to the bot.
    params: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The words as voiced once (by the bot, or the fallback text); every channel shows these.
    messages: list[dict[str, Any]] | None = Field(default=None, sa_type=sa.JSON(none_as_null=True))
    voiced_by: str | None = Field(default=None, max_length=8)  # "bot" | "backend"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Delivery(SQLModel, table=True):
    __tablename__ = "notification_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("notification_id", "channel"),
        sa.Index("ix_notification_deliveries_due", "state", "next_attempt_at"),
        # A student's notices reach each channel in order (the dispatcher's claim).
        sa.Index("ix_notification_deliveries_order", "user_id", "channel", "notification_id"),
    )

    id: int = Field(default=None, primary_key=True)
    notification_id: int = Field(foreign_key="notifications.id", index=True)
    user_id: int = Field(foreign_key="users.id")  # the notification's, for the ordering
    channel: Channel = Field(sa_type=enum_type(Channel))
    state: DeliveryState = Field(default=DeliveryState.pending, sa_type=enum_type(DeliveryState))
    reason: SuppressReason | None = Field(default=None, sa_type=enum_type(SuppressReason))
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A worker that claimed the delivery owns it until then; after a crash it is due again.
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Preferences(SQLModel, table=True):
    """A student's choices; no row means the campus defaults."""

    __tablename__ = "notification_preferences"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    # {category: {channel: on?}}; a missing entry means on.
    channels: dict[str, dict[str, bool]] = Field(default_factory=dict, sa_type=sa.JSON)
    # "HH:MM" campus time; both None: no quiet hours. No column default here: SQLAlchemy
    # would write it in place of a None ("no quiet hours" lost); the campus defaults come
    # from the settings (service.defaults).
    quiet_start: str | None = Field(default=None, max_length=5)
    quiet_end: str | None = Field(default=None, max_length=5)
    daily_cap: int = 10
    survey_reminders: int = 2
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
