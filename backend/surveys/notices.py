"""Survey notices: "please rate" when an invitation opens, and reminders before it closes.

Run every minute by the notification dispatcher (a periodic job). A repair's invitation
is not announced on its own: the completion notice already leads to the rating.
"""

from datetime import datetime, timedelta, tzinfo

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.notify.models import Kind, Notification
from backend.notify.service import notify
from backend.surveys.models import SurveyInvitation

BATCH = 500


def _deadline(at: datetime, tz: tzinfo) -> dict[str, str]:
    local = at.astimezone(tz)
    return {
        "deadline_en": local.strftime("%b %-d %H:%M"),
        "deadline_zh": f"{local.month}月{local.day}日 {local:%H:%M}",
    }


def _params(invitation: SurveyInvitation, tz: tzinfo) -> dict[str, str]:
    return {
        "subject_en": invitation.subject_en,
        "subject_zh": invitation.subject_zh,
        "expires_at": invitation.expires_at.isoformat(),
        **_deadline(invitation.expires_at, tz),
    }


async def announce_open_invitations(
    *, session: AsyncSession, now: datetime, tz: tzinfo, reminders: int
) -> int:
    """Queue the notices that are due; the number queued."""
    waiting = (
        col(SurveyInvitation.answered_at).is_(None),
        col(SurveyInvitation.opens_at) <= now,
        col(SurveyInvitation.expires_at) > now,
    )
    announced = sa.exists().where(
        col(Notification.invitation_id) == col(SurveyInvitation.id),
        col(Notification.kind) == Kind.survey_invited,
    )
    fresh = await session.exec(
        select(SurveyInvitation)
        .where(*waiting, col(SurveyInvitation.repair_id).is_(None), ~announced)
        .order_by(col(SurveyInvitation.id))
        .limit(BATCH)
    )
    queued = 0
    for invitation in fresh.all():
        queued += await _queue(session, invitation, Kind.survey_invited, "invited", now, tz)
    closing = await session.exec(
        select(SurveyInvitation)
        .where(*waiting, col(SurveyInvitation.expires_at) <= now + timedelta(days=reminders))
        .order_by(col(SurveyInvitation.id))
        .limit(BATCH)
    )
    for invitation in closing.all():
        # Reminder k goes out k days before the survey closes (1 = the last day).
        days_left = (invitation.expires_at - now).total_seconds() / 86400
        for k in range(1, reminders + 1):
            if days_left <= k:
                queued += await _queue(
                    session, invitation, Kind.survey_expiring, f"expiring:{k}", now, tz, reminder=k
                )
                break
    return queued


async def _queue(
    session: AsyncSession,
    invitation: SurveyInvitation,
    kind: Kind,
    event: str,
    now: datetime,
    tz: tzinfo,
    **extra: int,
) -> int:
    notification = await notify(
        session=session,
        user_id=invitation.student_id,
        kind=kind,
        dedupe_key=f"survey:{invitation.id}:{event}",
        now=now,
        params={**_params(invitation, tz), **extra},
        invitation_id=invitation.id,
        ticket_id=invitation.repair_id,
    )
    return int(notification is not None)
