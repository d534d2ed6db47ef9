"""Invitations and answers. Invitations only ever come from service events: a completed
repair (``invite_for_repair``), dorm residence (campaigns) or a canteen campaign."""

import logging
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Role, Team, User
from backend.identity.schemas import TeamRef
from backend.surveys import integrity
from backend.surveys.config import SurveySettings
from backend.surveys.exceptions import (
    AlreadyAnswered,
    InvitationExpired,
    InvitationNotFound,
    InvitationNotOpen,
    UnknownQuestion,
)
from backend.surveys.models import (
    RepairCompletion,
    SurveyInvitation,
    SurveyResponse,
    SurveySource,
    SurveyTemplate,
)
from backend.surveys.periods import period_of
from backend.surveys.questions import public_questions
from backend.surveys.schemas import (
    InvitationPublic,
    QuestionPublic,
    ResponseCreate,
    ResponsePublic,
    dimensions_of,
)

log = logging.getLogger(__name__)


async def current_template(*, session: AsyncSession) -> SurveyTemplate | None:
    query = select(SurveyTemplate).where(col(SurveyTemplate.is_current).is_(True))
    return (await session.exec(query.order_by(col(SurveyTemplate.id).desc()))).first()


async def record_repair_completion(
    *,
    session: AsyncSession,
    ticket_id: int,
    team_id: int,
    completed_at: datetime,
    due_at: datetime | None,
    tz: tzinfo,
) -> RepairCompletion:
    """The on-time evidence; a ticket completed again (after a reopen) keeps its latest."""
    query = select(RepairCompletion).where(RepairCompletion.repair_id == ticket_id)
    completion = (await session.exec(query)).first()
    if completion is None:
        completion = RepairCompletion(
            repair_id=ticket_id, team_id=team_id, period="", completed_at=completed_at
        )
    completion.team_id = team_id
    completion.completed_at = completed_at
    completion.due_at = due_at
    completion.period = period_of(completed_at, tz)
    session.add(completion)
    return completion


async def invite_for_repair(
    *,
    session: AsyncSession,
    ticket_id: int,
    requester_id: int,
    team_id: int,
    completed_at: datetime,
    settings: SurveySettings,
    tz: tzinfo,
    due_at: datetime | None = None,
) -> SurveyInvitation | None:
    """A completed repair invites its requester to rate the ticket's team.

    Called by repairs in the transaction that completes the ticket; adds and flushes, the
    caller commits. Also records ``completed_at``/``due_at`` for the crew's on-time rate.
    Idempotent per ticket (a unique constraint): a second call returns the first
    invitation. Returns None when nobody is to be invited: the requester is not an active
    student, belongs to the team, or no survey template is current.
    """
    await record_repair_completion(
        session=session,
        ticket_id=ticket_id,
        team_id=team_id,
        completed_at=completed_at,
        due_at=due_at,
        tz=tz,
    )
    await session.flush()
    existing = (
        await session.exec(select(SurveyInvitation).where(SurveyInvitation.repair_id == ticket_id))
    ).first()
    if existing is not None:
        return existing
    requester = await session.get(User, requester_id)
    if (
        requester is None
        or not requester.is_active
        or requester.role != Role.student
        or requester.team_id == team_id
    ):
        return None
    template = await current_template(session=session)
    if template is None:
        log.warning("no current survey template: repair #%s gets no survey", ticket_id)
        return None
    invitation = SurveyInvitation(
        template_id=template.id,
        source=SurveySource.repair,
        source_id=ticket_id,
        repair_id=ticket_id,
        student_id=requester_id,
        team_id=team_id,
        period=period_of(completed_at, tz),
        subject_en=f"Repair #{ticket_id}",
        subject_zh=f"报修单 #{ticket_id}",
        opens_at=completed_at,
        expires_at=completed_at + timedelta(days=settings.repair_invitation_days),
    )
    try:
        async with session.begin_nested():
            session.add(invitation)
            await session.flush()
    except IntegrityError:  # a concurrent completion of the same ticket won
        return (
            await session.exec(
                select(SurveyInvitation).where(SurveyInvitation.repair_id == ticket_id)
            )
        ).one()
    return invitation


async def invitation_public(
    session: AsyncSession, invitation: SurveyInvitation
) -> InvitationPublic:
    team = await session.get(Team, invitation.team_id)
    template = await session.get(SurveyTemplate, invitation.template_id)
    assert team is not None
    assert template is not None
    return InvitationPublic(
        id=invitation.id,
        team=TeamRef.model_validate(team),
        subject_en=invitation.subject_en,
        subject_zh=invitation.subject_zh,
        source=invitation.source,
        source_id=invitation.source_id,
        period=invitation.period,
        expires_at=invitation.expires_at,
        questions=[QuestionPublic(**q) for q in public_questions(template.questions)],
    )


async def pending(*, session: AsyncSession, user: User, now: datetime) -> list[InvitationPublic]:
    """The user's open, unanswered invitations, soonest to expire first."""
    query = (
        select(SurveyInvitation)
        .where(
            SurveyInvitation.student_id == user.id,
            col(SurveyInvitation.answered_at).is_(None),
            col(SurveyInvitation.opens_at) <= now,
            col(SurveyInvitation.expires_at) > now,
        )
        .order_by(col(SurveyInvitation.expires_at), col(SurveyInvitation.id))
    )
    return [await invitation_public(session, inv) for inv in (await session.exec(query)).all()]


async def owned_invitation(
    *, session: AsyncSession, user: User, invitation_id: int
) -> SurveyInvitation:
    """Only the invited student's own invitation; anyone else's is 404, like a missing one."""
    invitation = await session.get(SurveyInvitation, invitation_id)
    if invitation is None or invitation.student_id != user.id:
        raise InvitationNotFound()
    return invitation


async def open_invitation(
    *, session: AsyncSession, invitation: SurveyInvitation, now: datetime
) -> InvitationPublic:
    """Show one survey; the first showing is remembered (the integrity timer's start)."""
    if invitation.opened_at is None and invitation.answered_at is None:
        invitation.opened_at = now
        session.add(invitation)
        await session.flush()
    return await invitation_public(session, invitation)


def response_public(response: SurveyResponse) -> ResponsePublic:
    return ResponsePublic(
        id=response.id,
        invitation_id=response.invitation_id,
        overall=response.overall,
        dimensions=dimensions_of(response),
        recommend=response.recommend,
        comment=response.comment,
        submitted_at=response.submitted_at,
    )


async def respond(
    *,
    session: AsyncSession,
    settings: SurveySettings,
    invitation: SurveyInvitation,
    user: User,
    body: ResponseCreate,
    via_bot: bool,
    ip_hash: str | None,
    device_hash: str | None,
    now: datetime,
) -> SurveyResponse:
    """Record one answer (adds and flushes). Flags are decided here, silently: the student
    is never told, so the rules cannot be probed."""
    if invitation.answered_at is not None:
        raise AlreadyAnswered()
    if now >= invitation.expires_at:
        raise InvitationExpired()
    if now < invitation.opens_at:
        raise InvitationNotOpen()
    template = await session.get(SurveyTemplate, invitation.template_id)
    assert template is not None
    asked = {q["key"] for q in template.questions}
    if extra := sorted(body.answered_keys() - asked):
        raise UnknownQuestion(f"{UnknownQuestion.message} ({', '.join(extra)})")
    assessment = await integrity.assess(
        session=session,
        settings=settings,
        invitation=invitation,
        user=user,
        body=body,
        now=now,
        ip_hash=ip_hash,
        device_hash=device_hash,
    )
    dimensions = body.dimensions.model_dump() if body.dimensions else {}
    comment = body.comment.strip() if body.comment and body.comment.strip() else None
    response = SurveyResponse(
        invitation_id=invitation.id,
        team_id=invitation.team_id,
        period=invitation.period,
        source=invitation.source,
        overall=body.overall,
        tangibles=dimensions.get("tangibles"),
        reliability=dimensions.get("reliability"),
        responsiveness=dimensions.get("responsiveness"),
        assurance=dimensions.get("assurance"),
        empathy=dimensions.get("empathy"),
        recommend=body.recommend,
        comment=comment,
        opened_at=assessment.opened_at,
        submitted_at=now,
        seconds_to_answer=assessment.seconds_to_answer,
        via_bot=via_bot,
        ip_hash=ip_hash,
        device_hash=device_hash,
        flags=list(assessment.flags),
        counted=not assessment.flags,
    )
    invitation.answered_at = now
    try:
        async with session.begin_nested():
            session.add(invitation)
            session.add(response)
            session.add_all(assessment.burst_mates)
            await session.flush()
    except IntegrityError:  # the same invitation answered concurrently
        raise AlreadyAnswered() from None
    return response
