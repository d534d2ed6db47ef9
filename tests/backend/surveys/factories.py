"""Small factories for survey and reward tests (real rows, no mocks)."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.types import utcnow
from backend.identity.models import Team, User
from backend.surveys.config import SurveySettings
from backend.surveys.models import (
    SurveyInvitation,
    SurveyResponse,
    SurveySource,
    SurveyTemplate,
)
from backend.surveys.questions import DEFAULT_QUESTIONS
from backend.surveys.service import invite_for_repair

TZ = ZoneInfo("Asia/Shanghai")
_tickets = itertools.count(500_000)


async def make_template(session: AsyncSession, *, slug: str = "service-test") -> SurveyTemplate:
    template = SurveyTemplate(
        slug=slug,
        name_en="Service survey",
        name_zh="服务满意度问卷",
        questions=DEFAULT_QUESTIONS,
        is_current=True,
    )
    session.add(template)
    await session.commit()
    return template


async def repair_invitation(
    session: AsyncSession,
    student: User,
    team: Team,
    *,
    completed_at: datetime | None = None,
    due_at: datetime | None = None,
    ticket_id: int | None = None,
    opened_seconds_ago: int | None = 60,
) -> SurveyInvitation:
    """A repair survey; shown to the student ``opened_seconds_ago`` (the server's record of
    the first GET; None: never shown)."""
    invitation = await invite_for_repair(
        session=session,
        ticket_id=ticket_id or next(_tickets),
        requester_id=student.id,
        team_id=team.id,
        completed_at=completed_at or utcnow() - timedelta(minutes=5),
        due_at=due_at,
        settings=SurveySettings(),
        tz=TZ,
    )
    assert invitation is not None
    if opened_seconds_ago is not None:
        invitation.opened_at = utcnow() - timedelta(seconds=opened_seconds_ago)
        invitation.created_at = min(invitation.created_at, invitation.opened_at)
        session.add(invitation)
    await session.commit()
    return invitation


async def add_answers(
    session: AsyncSession,
    student: User,
    team: Team,
    period: str,
    overalls: list[int],
    *,
    template: SurveyTemplate,
    recommend: list[int | None] | None = None,
    counted: bool = True,
    comment: str | None = None,
) -> list[SurveyResponse]:
    """Answers written straight to the database (for score arithmetic)."""
    now = utcnow()
    responses = []
    for i, overall in enumerate(overalls):
        invitation = SurveyInvitation(
            template_id=template.id,
            source=SurveySource.repair,
            source_id=next(_tickets),
            student_id=student.id,
            team_id=team.id,
            period=period,
            subject_en="x",
            subject_zh="x",
            opens_at=now,
            expires_at=now + timedelta(days=1),
            answered_at=now,
        )
        session.add(invitation)
        await session.flush()
        response = SurveyResponse(
            invitation_id=invitation.id,
            team_id=team.id,
            period=period,
            source=SurveySource.repair,
            overall=overall,
            recommend=recommend[i] if recommend else None,
            comment=comment,
            submitted_at=now,
            flags=[] if counted else ["too_fast"],
            counted=counted,
        )
        session.add(response)
        responses.append(response)
    await session.commit()
    return responses


def answer_body(overall: int = 4, **extra: object) -> dict[str, object]:
    return {"overall": overall, **extra}
