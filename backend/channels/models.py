"""Which platform account speaks for which student, and the one-time codes that link them."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


class Platform(StrEnum):
    wecom = "wecom"
    telegram = "telegram"


class AccountLink(SQLModel, table=True):
    """A platform account (WeCom UserID, Telegram user id) acting as one student."""

    __tablename__ = "channel_links"
    __table_args__ = (
        sa.UniqueConstraint("platform", "external_id"),  # one student per platform account
        sa.UniqueConstraint("user_id", "platform"),  # one account per platform per student
    )

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    platform: Platform = Field(sa_type=enum_type(Platform))
    external_id: str = Field(max_length=64)
    linked_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LinkCode(SQLModel, table=True):
    """A one-time code a student sends from a platform to link it; only its HMAC is stored."""

    __tablename__ = "channel_link_codes"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    code_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InboundMessage(SQLModel, table=True):
    """A platform message already taken (WeCom MsgId, Telegram update_id): retries are
    dropped. Rows older than a day are purged as new ones arrive."""

    __tablename__ = "channel_inbound"
    __table_args__ = (sa.UniqueConstraint("platform", "message_key"),)

    id: int = Field(default=None, primary_key=True)
    platform: Platform = Field(sa_type=enum_type(Platform))
    message_key: str = Field(max_length=128)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
