"""Writing notices into the outbox (called by other domains, in their transaction), the
inbox, and the students' preferences. Services add and flush; callers commit."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.service import links as channel_links
from backend.chat.models import Channel
from backend.core.config import Settings
from backend.notify.exceptions import NotificationNotFound
from backend.notify.models import (
    Category,
    Delivery,
    DeliveryState,
    Kind,
    Notification,
    Preferences,
    SuppressReason,
)
from backend.notify.schemas import (
    OUTBOUND,
    NotificationPublic,
    NotificationsPage,
    PreferencesPublic,
    QuietHours,
)

log = logging.getLogger(__name__)
# In a session's info: its transaction put a notice in the outbox; what to call on commit.
NOTICED = "notify.noticed"
ON_NOTICE = "notify.on_notice"


def wake_on_commit(sessions: async_sessionmaker[Any], wake: Callable[[], None]) -> None:
    """Sessions made by ``sessions`` call ``wake`` after a commit that put a notice in the
    outbox, so this process's dispatcher sends it at once rather than at its next poll
    (notices committed by other processes are found by the poll)."""
    sessions.configure(info={ON_NOTICE: wake})


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(NOTICED, False) and (wake := session.info.get(ON_NOTICE)):
        wake()


async def notify(
    *,
    session: AsyncSession,
    user_id: int,
    kind: Kind,
    dedupe_key: str,
    now: datetime,
    params: dict[str, Any] | None = None,
    ticket_id: int | None = None,
    invitation_id: int | None = None,
    handoff_id: int | None = None,
    statement_id: int | None = None,
) -> Notification | None:
    """Put a notice for ``user_id`` in the outbox, in the caller's transaction.

    ``dedupe_key`` names the event (e.g. ``repair-event:317``): the same event notifies
    once however often it is recorded; a repeat returns None.
    """
    existing = await session.scalar(
        sa.select(col(Notification.id)).where(col(Notification.dedupe_key) == dedupe_key)
    )
    if existing is not None:
        return None
    notification = Notification(
        user_id=user_id,
        kind=kind,
        category=kind.category,
        dedupe_key=dedupe_key,
        params=params or {},
        ticket_id=ticket_id,
        invitation_id=invitation_id,
        handoff_id=handoff_id,
        statement_id=statement_id,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(notification)
            await session.flush()
            for channel in await _channels_of(session, user_id):
                session.add(
                    Delivery(
                        notification_id=notification.id,
                        user_id=user_id,
                        channel=channel,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
            await session.flush()
    except IntegrityError:
        log.info("notice %s already in the outbox", dedupe_key)
        return None
    session.info[NOTICED] = True
    return notification


async def _channels_of(session: AsyncSession, user_id: int) -> list[Channel]:
    """Where this student can be reached: the campus app always, and linked platforms."""
    links = await channel_links(session=session, user_id=user_id)
    return [Channel.app, *(Channel(link.platform.value) for link in links)]


# ---------------------------------------------------------------- inbox


def public(notification: Notification) -> NotificationPublic:
    return NotificationPublic.model_validate(
        {**notification.model_dump(), "messages": notification.messages or []}
    )


async def inbox(
    *, session: AsyncSession, user_id: int, unread: bool | None, page: int, page_size: int
) -> NotificationsPage:
    mine = col(Notification.user_id) == user_id
    query = select(Notification).where(mine)
    if unread is not None:
        query = query.where(
            col(Notification.read_at).is_(None)
            if unread
            else col(Notification.read_at).is_not(None)
        )
    total = await session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    unread_count = await session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(mine, col(Notification.read_at).is_(None))
    )
    rows = await session.exec(
        query.order_by(col(Notification.id).desc()).offset((page - 1) * page_size).limit(page_size)
    )
    return NotificationsPage(
        data=[public(row) for row in rows], count=total or 0, unread=unread_count or 0
    )


async def mark_read(
    *, session: AsyncSession, user_id: int, notification_id: int, now: datetime
) -> Notification:
    notification = await session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        raise NotificationNotFound()
    if notification.read_at is None:
        notification.read_at = now
        session.add(notification)
        await session.flush()
    return notification


async def mark_all_read(*, session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.exec(
        sa.update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
        .values(read_at=now)
    )


# ---------------------------------------------------------------- preferences


def defaults(settings: Settings, user_id: int) -> Preferences:
    return Preferences(
        user_id=user_id,
        quiet_start=settings.notify_quiet_start,
        quiet_end=settings.notify_quiet_end,
        daily_cap=settings.notify_daily_cap,
        survey_reminders=settings.notify_survey_reminders,
    )


async def preferences(*, session: AsyncSession, settings: Settings, user_id: int) -> Preferences:
    return await session.get(Preferences, user_id) or defaults(settings, user_id)


def preferences_public(prefs: Preferences) -> PreferencesPublic:
    return PreferencesPublic(
        categories={
            category: {
                channel: prefs.channels.get(category.value, {}).get(channel.value, True)
                for channel in OUTBOUND
            }
            for category in Category
        },
        quiet_hours=(
            QuietHours(start=prefs.quiet_start, end=prefs.quiet_end)
            if prefs.quiet_start and prefs.quiet_end
            else None
        ),
        daily_cap=prefs.daily_cap,
        survey_reminders=prefs.survey_reminders,
    )


async def save_preferences(
    *,
    session: AsyncSession,
    settings: Settings,
    user_id: int,
    body: PreferencesPublic,
    now: datetime,
) -> Preferences:
    prefs = await preferences(session=session, settings=settings, user_id=user_id)
    prefs.channels = {
        category.value: {channel.value: on for channel, on in channels.items()}
        for category, channels in body.categories.items()
    }
    prefs.quiet_start = body.quiet_hours.start if body.quiet_hours else None
    prefs.quiet_end = body.quiet_hours.end if body.quiet_hours else None
    prefs.daily_cap = body.daily_cap
    prefs.survey_reminders = body.survey_reminders
    return await _saved(session, prefs, now)


async def mute(
    *,
    session: AsyncSession,
    settings: Settings,
    user_id: int,
    category: Category,
    muted: bool,
    now: datetime,
) -> Preferences:
    """Turn a whole category off (every channel) or back on: "stop reminding me"."""
    prefs = await preferences(session=session, settings=settings, user_id=user_id)
    channels = dict(prefs.channels)
    channels[category.value] = {channel.value: not muted for channel in OUTBOUND}
    prefs.channels = channels  # a new dict: JSON columns track assignment, not mutation
    return await _saved(session, prefs, now)


async def _saved(session: AsyncSession, prefs: Preferences, now: datetime) -> Preferences:
    """Keep the new choices, and let the notices held by the old ones be decided again:
    with quiet hours turned off they go out now, in order, instead of the next morning
    (and until then hold up every later notice on the channel)."""
    prefs.updated_at = now
    session.add(prefs)
    await session.exec(
        sa.update(Delivery)
        .where(
            col(Delivery.user_id) == prefs.user_id,
            col(Delivery.state) == DeliveryState.pending,
            col(Delivery.reason) == SuppressReason.quiet_hours,
        )
        .values(next_attempt_at=now, reason=None)
    )
    await session.flush()
    return prefs


def allows(prefs: Preferences, category: Category, channel: Channel) -> bool:
    return prefs.channels.get(category.value, {}).get(channel.value, True)
