"""Small factories for survey and reward tests (real rows, no mocks)."""

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.security import create_token
from backend.core.types import utcnow
from backend.identity.models import Team, User
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
) -> SurveyInvitation:
    invitation = await invite_for_repair(
        session=session,
        ticket_id=ticket_id or next(_tickets),
        requester_id=student.id,
        team_id=team.id,
        completed_at=completed_at or utcnow() - timedelta(minutes=5),
        due_at=due_at,
        tz=TZ,
    )
    assert invitation is not None
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


def bot_headers(settings: Settings, student: User) -> dict[str, str]:
    token = create_token(
        secret=settings.secret("jwt_secret"),
        subject=student.id,
        kind="delegation",
        lifetime=timedelta(minutes=5),
    )
    return {"Authorization": f"Bearer {token}", "X-Bot-Key": settings.secret("bot_secret")}


def answer_body(overall: int = 4, *, seconds_ago: int = 60, **extra: object) -> dict[str, object]:
    opened = (utcnow() - timedelta(seconds=seconds_ago)).isoformat()
    return {"overall": overall, "opened_at": opened, **extra}
