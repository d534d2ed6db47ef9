"""The chat transcript: every message a student sent and every message the bot sent them."""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow
from backend.identity.models import Locale


class Channel(StrEnum):
    """Where a message was said or shown."""

    app = "app"  # the campus app (WebSocket or POST /chat from the page)
    api = "api"  # POST /chat from any other client
    wecom = "wecom"
    telegram = "telegram"
    socketio = "socketio"  # a Rasa web widget through our socket.io endpoint


class Speaker(StrEnum):
    student = "student"
    bot = "bot"


class ChatMessage(SQLModel, table=True):
    __tablename__ = "chat_messages"
    __table_args__ = (sa.Index("ix_chat_messages_user_id_id", "user_id", "id"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    role: Speaker = Field(sa_type=enum_type(Speaker))
    text: str | None = Field(default=None, max_length=4000)
    buttons: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    channel: Channel = Field(sa_type=enum_type(Channel))
    language: Locale = Field(sa_type=enum_type(Locale))
    # Set on the bot's words for a proactive notice.
    notification_id: int | None = Field(default=None, index=True)
    # True on a student's message the bot could not serve (its reply carried the
    # ``{"unanswered": true}`` custom marker: fallback, out of scope, no guidance article).
    unanswered: bool | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
