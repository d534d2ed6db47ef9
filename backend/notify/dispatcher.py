"""The dispatcher: works through due deliveries until none are left, then waits.

Runs inside each backend process by default (``notify_dispatcher``), or as separate
workers (``python -m backend.notify``). Claims never overlap: one UPDATE takes a batch of
due rows and stamps a lease on them — on PostgreSQL the candidates are chosen ``FOR
UPDATE SKIP LOCKED``, on SQLite every transaction holds the write lock. A worker that
dies leaves its lease to run out, and the delivery is due again. The app channel stores
the bot's words in the transcript and marks the delivery sent in one transaction, guarded
by the lease: a delivery is shown once even if two workers ever held it.
"""

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from datetime import datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.exceptions import BotUnavailable
from backend.chat.models import Channel
from backend.chat.pipeline import ChatState, publish, store_bot_messages
from backend.chat.schemas import BotMessage
from backend.core.types import utcnow
from backend.identity.models import Role, User
from backend.notify import service
from backend.notify.models import (
    Delivery,
    DeliveryState,
    Notification,
    Preferences,
    SuppressReason,
)
from backend.notify.render import entities, render
from backend.notify.senders import PermanentFailure, RetryLater, Sender

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Job = Callable[[AsyncSession, datetime], Awaitable[Any]]
PERIODIC_SECONDS = 60.0


class Dispatcher:
    def __init__(
        self,
        *,
        state: ChatState,
        senders: Sequence[Sender] = (),
        periodic: Sequence[Job] = (),
        clock: Clock = utcnow,
    ) -> None:
        self.state = state
        self.settings = state.settings
        self.senders = {sender.channel: sender for sender in senders}
        self.periodic = periodic
        self.clock = clock
        self._wake = asyncio.Event()
        self._last_periodic = 0.0

    def wake(self) -> None:
        """Something was just committed: look now instead of at the next poll."""
        self._wake.set()

    async def run_forever(self) -> None:
        while True:
            try:
                await self._run_periodic()
                if await self.run_once():
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:  # the database blinked: keep the loop, try again shortly
                log.exception("notify: dispatch round failed")
            self._wake.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.notify_poll_seconds)

    async def _run_periodic(self) -> None:
        loop_time = asyncio.get_running_loop().time()
        if not self.periodic or loop_time - self._last_periodic < PERIODIC_SECONDS:
            return
        self._last_periodic = loop_time
        for job in self.periodic:
            async with self.state.sessions() as session:
                await job(session, self.clock())
                await session.commit()

    async def run_once(self) -> int:
        """Claim one batch and work it off; the number of deliveries claimed."""
        claimed = await self._claim()
        for delivery_id, lease in claimed:
            try:
                await self._process(delivery_id, lease)
            except Exception as exc:  # one bad delivery never stops the others
                log.exception("notify: delivery %s failed unexpectedly", delivery_id)
                await self._retry(delivery_id, lease, f"internal error: {exc!r}"[:500])
        return len(claimed)

    async def _claim(self) -> list[tuple[int, datetime]]:
        now = self.clock()
        lease = now + timedelta(seconds=self.settings.notify_lease_seconds)
        earlier = aliased(Delivery)
        # The student's earlier notice on this channel is still on its way: wait for it, so
        # "completed" never overtakes "started" (a retry or a pace wait would reorder them).
        blocked = sa.exists().where(
            col(earlier.user_id) == col(Delivery.user_id),
            col(earlier.channel) == col(Delivery.channel),
            col(earlier.state) == DeliveryState.pending,
            col(earlier.notification_id) < col(Delivery.notification_id),
        )
        async with self.state.sessions() as session:
            due = (
                sa.select(col(Delivery.id))
                .where(
                    col(Delivery.state) == DeliveryState.pending,
                    col(Delivery.next_attempt_at) <= now,
                    sa.or_(
                        col(Delivery.claimed_until).is_(None), col(Delivery.claimed_until) < now
                    ),
                    ~blocked,
                )
                .order_by(col(Delivery.next_attempt_at), col(Delivery.id))
                .limit(self.settings.notify_batch_size)
            )
            if session.get_bind().dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True, of=Delivery)
            result = await session.exec(
                sa.update(Delivery)
                .where(col(Delivery.id).in_(due.scalar_subquery()))
                .values(claimed_until=lease)
                .returning(col(Delivery.id))
                .execution_options(synchronize_session=False)
            )
            ids = sorted(result.scalars().all())
            await session.commit()
        return [(delivery_id, lease) for delivery_id in ids]

    async def _process(self, delivery_id: int, lease: datetime) -> None:
        now = self.clock()
        async with self.state.sessions() as session:
            delivery = await session.get(Delivery, delivery_id, populate_existing=True)
            if delivery is None or delivery.state != DeliveryState.pending:
                return
            notification = await session.get(
                Notification, delivery.notification_id, populate_existing=True
            )
            assert notification is not None  # a foreign key
            user = await session.get(User, notification.user_id)
            prefs = await service.preferences(
                session=session, settings=self.settings, user_id=notification.user_id
            )
            reason = await self._suppression(session, notification, delivery, prefs, user, now)
            if reason is not None:
                await self._finish(
                    session, delivery_id, lease, DeliveryState.suppressed, reason=reason
                )
                await session.commit()
                return
            held_until = quiet_hours_end(prefs, now, self.settings.tz)
            if held_until is not None:
                await self._hold(session, delivery_id, lease, until=held_until)
                await session.commit()
                return
        assert user is not None
        messages = await self._voice(notification, user)
        if delivery.channel == Channel.app:
            await self._show_in_app(delivery_id, lease, notification, messages)
            return
        sender = self.senders.get(delivery.channel)
        if sender is None:
            await self._retry(delivery_id, lease, f"no sender for {delivery.channel.value} here")
            return
        try:
            await sender.send(notification=notification, messages=messages, user=user)
        except RetryLater as exc:
            await self._retry(delivery_id, lease, str(exc), seconds=exc.seconds)
            return
        except PermanentFailure as exc:
            async with self.state.sessions() as session:
                await self._finish(
                    session, delivery_id, lease, DeliveryState.failed, error=str(exc)[:500]
                )
                await session.commit()
            return
        async with self.state.sessions() as session:
            await self._finish(session, delivery_id, lease, DeliveryState.sent)
            await session.commit()

    async def _suppression(
        self,
        session: AsyncSession,
        notification: Notification,
        delivery: Delivery,
        prefs: Preferences,
        user: User | None,
        now: datetime,
    ) -> SuppressReason | None:
        if user is None or not user.is_active:
            return SuppressReason.opted_out
        if not service.allows(prefs, notification.category, delivery.channel):
            return SuppressReason.opted_out
        reminder = int(notification.params.get("reminder", 0))
        if reminder > prefs.survey_reminders:
            return SuppressReason.reminder_cap
        expires = notification.params.get("expires_at")
        if expires and datetime.fromisoformat(expires) <= now:
            return SuppressReason.superseded
        day_start = campus_day_start(now, self.settings.tz)
        sent_today = await session.scalar(
            sa.select(sa.func.count())
            .select_from(Delivery)
            .join(Notification, col(Notification.id) == col(Delivery.notification_id))
            .where(
                col(Notification.user_id) == notification.user_id,
                col(Delivery.channel) == delivery.channel,
                col(Delivery.state) == DeliveryState.sent,
                col(Delivery.sent_at) >= day_start,
            )
        )
        if (sent_today or 0) >= prefs.daily_cap:
            return SuppressReason.daily_cap
        return None

    async def _voice(self, notification: Notification, user: User) -> list[BotMessage]:
        """The notice's words, voiced once and kept: every channel shows the same."""
        if notification.messages is None and (
            notification.params.get("follower") or user.role != Role.student
        ):
            # Plain words, no bot turn: staff don't chat with the bot, and a follower's
            # conversation is not the place for the reporter's choices.
            await self._keep_words(notification, render(notification, user.locale), "backend")
        if notification.messages is None:
            language = user.locale
            voiced_by = "bot"
            try:
                raw = await self.state.rasa.trigger(
                    sender=str(user.id),
                    intent=f"EXTERNAL_{notification.kind.value}",
                    entities=entities(notification, language),
                    timeout=self.settings.notify_voice_timeout_seconds,
                )
                words = [_message(item) for item in raw if item.get("text") or item.get("buttons")]
            except BotUnavailable:
                words = []
            if not words:
                log.warning(
                    "notify: the bot did not voice %s; using the backend's words",
                    notification.dedupe_key,
                )
                words, voiced_by = render(notification, language), "backend"
            await self._keep_words(notification, words, voiced_by)
        return [BotMessage.model_validate(item) for item in notification.messages or []]

    async def _keep_words(
        self, notification: Notification, words: list[dict[str, Any]], voiced_by: str
    ) -> None:
        async with self.state.sessions() as session:
            # First voice wins: a second worker voicing the same notice keeps the first.
            await session.exec(
                sa.update(Notification)
                .where(
                    col(Notification.id) == notification.id,
                    col(Notification.messages).is_(None),
                )
                .values(messages=words, voiced_by=voiced_by)
            )
            await session.commit()
            fresh = await session.get(Notification, notification.id, populate_existing=True)
            assert fresh is not None
            notification.messages = fresh.messages

    async def _show_in_app(
        self,
        delivery_id: int,
        lease: datetime,
        notification: Notification,
        messages: list[BotMessage],
    ) -> None:
        async with self.state.sessions() as session:
            user = await session.get(User, notification.user_id)
            assert user is not None
            if user.role != Role.student:  # staff: the console inbox only, no chat
                await self._finish(session, delivery_id, lease, DeliveryState.sent)
                await session.commit()
                return
            stored = await store_bot_messages(
                state=self.state,
                user_id=notification.user_id,
                replies=messages,
                channel=Channel.app,
                language=user.locale,
                notification_id=notification.id,
                session=session,
            )
            if not await self._finish(session, delivery_id, lease, DeliveryState.sent):
                await session.rollback()  # someone else holds it now: they show it
                return
            await session.commit()
        await publish(self.state.hub, notification.user_id, stored)
        await self.state.hub.publish(
            notification.user_id, {"type": "notification", "notification_id": notification.id}
        )

    async def _finish(
        self,
        session: AsyncSession,
        delivery_id: int,
        lease: datetime,
        state: DeliveryState,
        *,
        reason: SuppressReason | None = None,
        error: str | None = None,
    ) -> bool:
        """Settle a delivery this worker still holds; False if its lease was lost."""
        values: dict[str, Any] = {"state": state, "claimed_until": None, "reason": reason}
        if state == DeliveryState.sent:
            values["sent_at"] = self.clock()
        if state in (DeliveryState.sent, DeliveryState.failed):
            values["attempts"] = col(Delivery.attempts) + 1
        if error is not None:
            values["last_error"] = error
        result = await session.exec(
            sa.update(Delivery)
            .where(
                col(Delivery.id) == delivery_id,
                col(Delivery.state) == DeliveryState.pending,
                col(Delivery.claimed_until) == lease,
            )
            .values(**values)
        )
        return bool(result.rowcount)

    async def _hold(
        self, session: AsyncSession, delivery_id: int, lease: datetime, *, until: datetime
    ) -> None:
        """Quiet hours: pending until they end, or until the student changes their preferences."""
        await session.exec(
            sa.update(Delivery)
            .where(col(Delivery.id) == delivery_id, col(Delivery.claimed_until) == lease)
            .values(claimed_until=None, next_attempt_at=until, reason=SuppressReason.quiet_hours)
        )

    async def _retry(
        self, delivery_id: int, lease: datetime, error: str, *, seconds: float | None = None
    ) -> None:
        async with self.state.sessions() as session:
            delivery = await session.get(Delivery, delivery_id, populate_existing=True)
            if delivery is None or delivery.claimed_until != lease:
                return
            attempts = delivery.attempts + 1
            if attempts >= self.settings.notify_max_attempts:
                await self._finish(session, delivery_id, lease, DeliveryState.failed, error=error)
            else:
                delay = seconds or backoff(self.settings.notify_backoff_seconds, attempts)
                await session.exec(
                    sa.update(Delivery)
                    .where(col(Delivery.id) == delivery_id, col(Delivery.claimed_until) == lease)
                    .values(
                        attempts=attempts,
                        reason=None,
                        last_error=error[:500],
                        claimed_until=None,
                        next_attempt_at=self.clock() + timedelta(seconds=delay),
                    )
                )
            await session.commit()


def backoff(base: float, attempts: int) -> float:
    """Exponential, ±20 % jitter so retries of many deliveries spread out."""
    return base * 2 ** (attempts - 1) * random.uniform(0.8, 1.2)  # noqa: S311


def _message(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": item.get("text"),
        "buttons": [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in item.get("buttons") or []
        ],
    }


def campus_day_start(now: datetime, tz: Any) -> datetime:
    local = now.astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz)


def quiet_hours_end(prefs: Preferences, now: datetime, tz: Any) -> datetime | None:
    """When the quiet hours around ``now`` end (campus time), or None outside them."""
    if not (prefs.quiet_start and prefs.quiet_end):
        return None
    local = now.astimezone(tz)
    start, end = time.fromisoformat(prefs.quiet_start), time.fromisoformat(prefs.quiet_end)
    clock = local.time()
    inside = start <= clock < end if start < end else (clock >= start or clock < end)
    if not inside:
        return None
    end_day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(end_day, end, tzinfo=tz)
