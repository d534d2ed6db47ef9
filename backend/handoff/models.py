"""A student's request to talk to a person, and the staff reply."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow
from backend.identity.models import Locale


class HandoffStatus(StrEnum):
    open = "open"  # waiting for staff
    answered = "answered"  # staff replied
    closed = "closed"  # done (by the student or staff)


class Handoff(SQLModel, table=True):
    __tablename__ = "handoffs"

    id: int = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="users.id", index=True)
    # = student_id while the request is open, else NULL: the unique constraint allows at
    # most one open request per student on every database (NULLs never collide).
    open_student_id: int | None = Field(default=None, unique=True)
    status: HandoffStatus = Field(
        default=HandoffStatus.open, sa_type=enum_type(HandoffStatus), index=True
    )
    message: str = Field(max_length=1000)
    language: Locale = Field(sa_type=enum_type(Locale))
    # The last messages of the conversation with the bot, oldest first.
    transcript: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    via_bot: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # Promised at creation (created_at + the configured reply hours); later setting
    # changes never move an existing promise.
    reply_by: datetime = Field(sa_type=UTCDateTime)
    reply: str | None = Field(default=None, max_length=2000)
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    replied_by: int | None = Field(default=None, foreign_key="users.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by: int | None = Field(default=None, foreign_key="users.id")
