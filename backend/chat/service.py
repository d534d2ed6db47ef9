"""The transcript: store, page through, resume after an id, delete, expire.

Services add and flush; callers commit (the pipeline commits each side of a turn at once,
so a message is never lost to a later failure).
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.models import Channel, ChatMessage, Speaker
from backend.chat.schemas import BotButton, TranscriptPage, TranscriptPublic
from backend.identity.models import Locale

RESUME_LIMIT = 500  # a socket that was away longer reloads the history page instead
UNANSWERED = "unanswered"  # the bot's custom payload: {"unanswered": true}


def public(message: ChatMessage) -> TranscriptPublic:
    return TranscriptPublic(
        id=message.id,
        role=message.role,
        text=message.text,
        buttons=[BotButton.model_validate(button) for button in message.buttons],
        channel=message.channel,
        language=message.language,
        created_at=message.created_at,
        notification_id=message.notification_id,
    )


async def record(
    *,
    session: AsyncSession,
    user_id: int,
    role: Speaker,
    text: str | None,
    channel: Channel,
    language: Locale,
    at: datetime,
    buttons: Sequence[dict[str, Any]] = (),
    notification_id: int | None = None,
) -> ChatMessage:
    message = ChatMessage(
        user_id=user_id,
        role=role,
        text=text,
        buttons=[{"title": b["title"], "payload": b["payload"]} for b in buttons],
        channel=channel,
        language=language,
        notification_id=notification_id,
        created_at=at,
    )
    session.add(message)
    await session.flush()
    return message


async def history(
    *, session: AsyncSession, user_id: int, before: int | None, limit: int
) -> TranscriptPage:
    query = select(ChatMessage).where(col(ChatMessage.user_id) == user_id)
    if before is not None:
        query = query.where(col(ChatMessage.id) < before)
    rows = (await session.exec(query.order_by(col(ChatMessage.id).desc()).limit(limit + 1))).all()
    count = await session.scalar(
        sa.select(sa.func.count())
        .select_from(ChatMessage)
        .where(col(ChatMessage.user_id) == user_id)
    )
    page = list(reversed(rows[:limit]))
    return TranscriptPage(
        data=[public(message) for message in page], count=count or 0, has_more=len(rows) > limit
    )


async def after(*, session: AsyncSession, user_id: int, after_id: int) -> list[ChatMessage]:
    """What a reconnecting socket missed, oldest first."""
    query = (
        select(ChatMessage)
        .where(col(ChatMessage.user_id) == user_id, col(ChatMessage.id) > after_id)
        .order_by(col(ChatMessage.id))
        .limit(RESUME_LIMIT)
    )
    return list((await session.exec(query)).all())


async def recent_lines(*, session: AsyncSession, user_id: int, limit: int) -> list[str]:
    """The last messages as "student: …" / "bot: …" lines, oldest first (for staff)."""
    query = (
        select(ChatMessage)
        .where(col(ChatMessage.user_id) == user_id, col(ChatMessage.text).is_not(None))
        .order_by(col(ChatMessage.id).desc())
        .limit(limit)
    )
    rows = reversed((await session.exec(query)).all())
    return [f"{message.role.value}: {message.text}" for message in rows]


async def delete_history(*, session: AsyncSession, user_id: int) -> int:
    result = await session.exec(sa.delete(ChatMessage).where(col(ChatMessage.user_id) == user_id))
    return int(result.rowcount or 0)


async def purge_older_than(*, session: AsyncSession, cutoff: datetime) -> int:
    result = await session.exec(sa.delete(ChatMessage).where(col(ChatMessage.created_at) < cutoff))
    return int(result.rowcount or 0)


def is_unanswered(customs: Iterable[dict[str, Any] | None]) -> bool:
    """Whether the bot's reply (the ``custom`` payloads of its messages) says it could not
    serve the student's message."""
    return any(custom is not None and custom.get(UNANSWERED) is True for custom in customs)


async def mark_unanswered(*, session: AsyncSession, message_id: int) -> None:
    """Flag a stored student message as one the bot could not serve, for the staff console's
    unanswered questions (backend/unanswered; the caller commits)."""
    await session.exec(
        sa.update(ChatMessage).where(col(ChatMessage.id) == message_id).values(unanswered=True)
    )
