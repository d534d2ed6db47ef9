"""A resolved appeal reaches the staff member who lodged it (their console inbox)."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.notify.models import Kind
from backend.notify.service import notify
from backend.rewards.models import RewardAppeal


async def appeal_resolved(*, session: AsyncSession, appeal: RewardAppeal, now: datetime) -> None:
    await notify(
        session=session,
        user_id=appeal.lodged_by,
        kind=Kind.appeal_resolved,
        dedupe_key=f"appeal:{appeal.id}:resolved",
        now=now,
        params={"outcome": appeal.status.value, "note": appeal.resolution_note or ""},
        statement_id=appeal.statement_id,
    )
