"""One path for every message a student sends, from any channel.

The campus app's socket, ``POST /chat``, WeCom, Telegram and the socket.io widget all call
``converse``: the student is already authenticated (or their platform account linked);
here they are rate limited, the reply language is chosen, a delegation token is minted
for the bot, both sides are stored in the transcript and published to the student's
open sockets. The student's message is committed before Rasa is asked, so it is never
lost when the bot is down.
"""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat import service
from backend.chat.language import reply_language
from backend.chat.live import LiveHub
from backend.chat.models import Channel, ChatMessage, Speaker
from backend.chat.rasa import RasaClient
from backend.chat.schemas import BotMessage, TranscriptPublic
from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.ratelimit import Limit, hit
from backend.core.security import create_token
from backend.identity.models import Locale, User

TYPING: dict[str, Any] = {"type": "typing"}
TYPING_DONE: dict[str, Any] = {"type": "typing", "done": True}
Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class ChatState:
    """What a turn needs, created once in the app lifespan."""

    sessions: Sessions
    settings: Settings
    rasa: RasaClient
    hub: LiveHub
    cache: Cache
    clock: Clock


@dataclass(frozen=True)
class Turn:
    language: Locale
    said: TranscriptPublic  # the student's message as stored
    replies: list[BotMessage]  # the bot's answer, as clients see it (``visible``)
    stored: list[TranscriptPublic]  # the bot's answer as stored


async def publish(hub: LiveHub, user_id: int, messages: list[TranscriptPublic]) -> None:
    for message in messages:
        await hub.publish(user_id, {"type": "message", "message": message.model_dump(mode="json")})


async def converse(
    *,
    state: ChatState,
    student: User,
    sign_in: str,
    text: str,
    channel: Channel,
    title: str | None = None,
) -> Turn:
    """Send ``text`` (a typed message or a button's payload) for ``student``.

    ``sign_in`` is the session the student speaks through (a campus sign-in, or a linked
    platform account): the bot's delegation carries it, so ending it stops the bot acting
    for them. ``title`` is what a tapped button said, stored instead of its payload.
    Raises RateLimited and BotUnavailable (after storing the student's message).
    """
    settings = state.settings
    await hit(
        state.cache,
        f"chat:user:{student.id}",
        Limit(requests=settings.chat_per_student_per_minute, per_seconds=60),
    )
    language = reply_language(text, student.locale)
    async with state.sessions() as session:
        said = await service.record(
            session=session,
            user_id=student.id,
            role=Speaker.student,
            text=title or text,
            channel=channel,
            language=language,
            at=state.clock.now(),
        )
        await session.commit()
    said_public = service.public(said)
    await publish(state.hub, student.id, [said_public])
    await state.hub.publish(student.id, TYPING)
    try:
        raw = await state.rasa.send(
            sender=str(student.id),
            message=text,
            metadata=_metadata(settings, student, sign_in, language),
        )
        replies = [BotMessage.model_validate(reply) for reply in raw]
        stored = await store_bot_messages(
            state=state, user_id=student.id, replies=replies, channel=channel, language=language
        )
        if service.is_unanswered(reply.custom for reply in replies):
            # For the staff console's "unanswered questions" (backend/unanswered).
            async with state.sessions() as session:
                await service.mark_unanswered(session=session, message_id=said.id)
                await session.commit()
    finally:
        await state.hub.publish(student.id, TYPING_DONE)
    return Turn(language=language, said=said_public, replies=visible(replies), stored=stored)


def visible(replies: list[BotMessage]) -> list[BotMessage]:
    """The bot's messages as every outlet shows them: the marker for the staff console
    (Rasa sends a response's ``custom`` as a message of its own) is taken out, and a
    message left with nothing to show is dropped, never sent as an empty one."""
    shown = []
    for reply in replies:
        custom = {k: v for k, v in (reply.custom or {}).items() if k != service.UNANSWERED}
        if reply.text or reply.buttons or reply.image or custom:
            shown.append(reply.model_copy(update={"custom": custom or None}))
    return shown


async def store_bot_messages(
    *,
    state: ChatState,
    user_id: int,
    replies: list[BotMessage],
    channel: Channel,
    language: Locale,
    notification_id: int | None = None,
    session: AsyncSession | None = None,
) -> list[TranscriptPublic]:
    """Store the bot's messages and publish them (after the commit) to the live sockets.

    With ``session`` the caller's transaction is used and the caller publishes after its
    own commit (the notification dispatcher marks its delivery sent in the same one).
    """

    async def store(session: AsyncSession) -> list[ChatMessage]:
        now = state.clock.now()
        return [
            await service.record(
                session=session,
                user_id=user_id,
                role=Speaker.bot,
                text=reply.text,
                buttons=[button.model_dump() for button in reply.buttons],
                channel=channel,
                language=language,
                at=now,
                notification_id=notification_id,
            )
            for reply in replies
            if reply.text or reply.buttons
        ]

    if session is not None:
        return [service.public(message) for message in await store(session)]
    async with state.sessions() as own:
        rows = await store(own)
        await own.commit()
    stored = [service.public(message) for message in rows]
    await publish(state.hub, user_id, stored)
    return stored


def _metadata(settings: Settings, student: User, sign_in: str, language: Locale) -> dict[str, Any]:
    delegation = create_token(
        secret=settings.secret("jwt_secret"),
        subject=student.id,
        kind="delegation",
        lifetime=timedelta(minutes=settings.delegation_token_minutes),
        sid=sign_in,
    )
    return {"language": language.value, "locale": student.locale.value, "token": delegation}
