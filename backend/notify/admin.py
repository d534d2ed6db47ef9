"""The logistics office's view of the outbox: what went out, what failed and why."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.notify.exceptions import DeliveryNotFound, DeliveryNotRetryable
from backend.notify.models import Delivery, DeliveryState, Notification
from backend.notify.schemas import DeliveriesPage, DeliveryPublic


def _public(delivery: Delivery, notification: Notification) -> DeliveryPublic:
    return DeliveryPublic.model_validate(
        {**delivery.model_dump(), "user_id": notification.user_id, "kind": notification.kind}
    )


async def deliveries(
    *, session: AsyncSession, state: DeliveryState | None, page: int, page_size: int
) -> DeliveriesPage:
    query: Any = select(Delivery, Notification).join(
        Notification, col(Notification.id) == col(Delivery.notification_id)
    )
    if state is not None:
        query = query.where(col(Delivery.state) == state)
    total = await session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = await session.exec(
        query.order_by(col(Delivery.id).desc()).offset((page - 1) * page_size).limit(page_size)
    )
    return DeliveriesPage(data=[_public(d, n) for d, n in rows.all()], count=total or 0)


async def retry(*, session: AsyncSession, delivery_id: int, now: datetime) -> DeliveryPublic:
    delivery = await session.get(Delivery, delivery_id)
    if delivery is None:
        raise DeliveryNotFound()
    if delivery.state != DeliveryState.failed:
        raise DeliveryNotRetryable()
    delivery.state = DeliveryState.pending
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.claimed_until = None
    session.add(delivery)
    await session.flush()
    notification = await session.get(Notification, delivery.notification_id)
    assert notification is not None
    return _public(delivery, notification)
