"""Survey notices: an opened campaign invitation is announced once; reminders come k days
before it closes, as many as the student allows; answered or expired ones are left alone."""

from datetime import timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.notify.models import Kind, Notification
from backend.surveys.models import SurveyInvitation, SurveySource
from backend.surveys.notices import announce_open_invitations
from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import Campus
from tests.backend.surveys.factories import make_template


async def dorm_invitation(
    session: AsyncSession, campus: Campus, clock: StoppedClock, *, days: float
) -> SurveyInvitation:
    template = await make_template(session, slug=f"t-{days}")
    invitation = SurveyInvitation(
        template_id=template.id,
        source=SurveySource.dorm,
        source_id=campus.buildings["B7"].id,
        student_id=campus["reporter"].id,
        team_id=campus.dorm_team.id,
        period="2026-11",
        subject_en="Dorm service: Building B7",
        subject_zh="宿舍服务：B7楼",
        opens_at=clock.now() - timedelta(hours=1),
        expires_at=clock.now() + timedelta(days=days),
    )
    session.add(invitation)
    await session.commit()
    return invitation


async def kinds(session: AsyncSession, invitation_id: int) -> list[tuple[Kind, object]]:
    query = select(Notification).where(col(Notification.invitation_id) == invitation_id)
    rows = (await session.exec(query.order_by(col(Notification.id)))).all()
    return [(n.kind, n.params.get("reminder")) for n in rows]


async def run(session: AsyncSession, clock: StoppedClock, settings: Settings) -> int:
    queued = await announce_open_invitations(
        session=session, now=clock.now(), tz=settings.tz, reminders=settings.notify_survey_reminders
    )
    await session.commit()
    return queued


async def test_announced_once_then_reminded_twice_before_it_closes(
    session: AsyncSession, campus: Campus, clock: StoppedClock, settings: Settings
) -> None:
    invitation = await dorm_invitation(session, campus, clock, days=5)
    assert await run(session, clock, settings) == 1
    assert await run(session, clock, settings) == 0  # a minute later: nothing new
    clock.advance(days=3, hours=1)  # 1 day 23 h left
    assert await run(session, clock, settings) == 1
    clock.advance(days=1)  # 23 h left
    assert await run(session, clock, settings) == 1
    assert await run(session, clock, settings) == 0
    assert await kinds(session, invitation.id) == [
        (Kind.survey_invited, None),
        (Kind.survey_expiring, 2),
        (Kind.survey_expiring, 1),
    ]
    query = select(Notification).where(col(Notification.invitation_id) == invitation.id)
    announced = (await session.exec(query.order_by(col(Notification.id)))).first()
    assert announced is not None
    assert announced.params["subject_zh"] == "宿舍服务：B7楼"
    assert announced.params["deadline_en"]


async def test_answered_and_expired_invitations_get_nothing(
    session: AsyncSession, campus: Campus, clock: StoppedClock, settings: Settings
) -> None:
    answered = await dorm_invitation(session, campus, clock, days=0.5)
    answered.answered_at = clock.now()
    session.add(answered)
    expired = await dorm_invitation(session, campus, clock, days=-1)
    await session.commit()
    assert await run(session, clock, settings) == 0
    assert await kinds(session, answered.id) == []
    assert await kinds(session, expired.id) == []
