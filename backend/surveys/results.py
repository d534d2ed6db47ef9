"""Reading results: scores, distributions, anonymous comments, and the flag review."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.exceptions import TeamNotFound
from backend.identity.models import Team, User
from backend.surveys.exceptions import NotFlagged, ResponseNotFound
from backend.surveys.models import DIMENSIONS, SurveyInvitation, SurveyResponse
from backend.surveys.schemas import (
    CommentPublic,
    OnTimePublic,
    ResponseReview,
    TeamRef,
    TeamRefKind,
    TeamScorePublic,
    dimensions_of,
)
from backend.surveys.scoring import PeriodScores, TeamScore, fetch_all

SCALES = {"overall": range(1, 6), **{d: range(1, 6) for d in DIMENSIONS}, "recommend": range(11)}


async def team_by_slug(*, session: AsyncSession, slug: str) -> Team:
    team = (await session.exec(select(Team).where(Team.slug == slug))).first()
    if team is None:
        raise TeamNotFound()
    return team


def score_public(score: TeamScore, period: str) -> TeamScorePublic:
    on_time = None
    if score.on_time is not None:
        on_time = OnTimePublic(
            completed=score.on_time.completed,
            measured=score.on_time.measured,
            on_time=score.on_time.on_time,
            rate=score.on_time_rate,
        )
    return TeamScorePublic(
        team=TeamRefKind.model_validate(score.team, from_attributes=True),
        period=period,
        responses=score.counts.responses,
        flagged=score.counts.flagged,
        mean=score.mean,
        satisfaction_rate=score.satisfaction_rate,
        nps=score.nps,
        dimensions=score.dimension_means,
        adjusted_score=score.adjusted_score,
        wilson_lower=score.wilson_lower,
        wilson_upper=score.wilson_upper,
        on_time=on_time,
    )


def empty_score(team: Team, period: str) -> TeamScorePublic:
    return TeamScorePublic(
        team=TeamRefKind.model_validate(team, from_attributes=True),
        period=period,
        responses=0,
        flagged=0,
        mean=None,
        satisfaction_rate=None,
        nps=None,
        dimensions=dict.fromkeys(DIMENSIONS),
        adjusted_score=None,
        wilson_lower=None,
        wilson_upper=None,
        on_time=None,
    )


def team_score(scores: PeriodScores, team: Team) -> TeamScorePublic:
    for score in scores.teams:
        if score.team.id == team.id:
            return score_public(score, scores.period)
    return empty_score(team, scores.period)


async def distributions(
    *, session: AsyncSession, team_id: int, period: str
) -> dict[str, dict[str, int]]:
    """Counted answers per question and value (every value listed, zeros included)."""
    r = SurveyResponse.__table__.c  # type: ignore[attr-defined]
    result: dict[str, dict[str, int]] = {}
    for name, values in SCALES.items():
        column = r[name]
        query = (
            sa.select(column, sa.func.count())
            .where(
                r.team_id == team_id, r.period == period, r.counted.is_(True), column.is_not(None)
            )
            .group_by(column)
        )
        found = dict(await fetch_all(session, query))
        result[name] = {str(v): int(found.get(v, 0)) for v in values}
    return result


async def comments(*, session: AsyncSession, team_id: int, period: str) -> list[CommentPublic]:
    """Counted comments with no clue to their author: ordered by rating then text, never by
    time, and without ticket, room or date."""
    query = (
        select(SurveyResponse)
        .where(
            SurveyResponse.team_id == team_id,
            SurveyResponse.period == period,
            col(SurveyResponse.counted).is_(True),
            col(SurveyResponse.comment).is_not(None),
        )
        .order_by(col(SurveyResponse.overall), col(SurveyResponse.comment))
    )
    return [
        CommentPublic(
            overall=row.overall, comment=row.comment or "", period=row.period, source=row.source
        )
        for row in (await session.exec(query)).all()
    ]


def review_public(
    response: SurveyResponse, invitation: SurveyInvitation, team: Team
) -> ResponseReview:
    return ResponseReview(
        id=response.id,
        invitation_id=response.invitation_id,
        student_id=invitation.student_id,
        team=TeamRef.model_validate(team),
        period=response.period,
        source=response.source,
        overall=response.overall,
        dimensions=dimensions_of(response),
        recommend=response.recommend,
        comment=response.comment,
        opened_at=response.opened_at,
        submitted_at=response.submitted_at,
        seconds_to_answer=response.seconds_to_answer,
        via_bot=response.via_bot,
        flags=response.flags,  # type: ignore[arg-type]  # validated into FlagReason
        counted=response.counted,
        cleared_by=response.cleared_by,
        cleared_at=response.cleared_at,
        clear_note=response.clear_note,
    )


async def review(
    *,
    session: AsyncSession,
    period: str | None,
    team_id: int | None,
    flagged: bool | None,
    page: int,
    size: int,
) -> tuple[list[ResponseReview], int]:
    query = (
        select(SurveyResponse, SurveyInvitation, Team)
        .join(SurveyInvitation, col(SurveyInvitation.id) == col(SurveyResponse.invitation_id))
        .join(Team, col(Team.id) == col(SurveyResponse.team_id))
    )
    conditions = []
    if period is not None:
        conditions.append(col(SurveyResponse.period) == period)
    if team_id is not None:
        conditions.append(col(SurveyResponse.team_id) == team_id)
    if flagged is True:
        conditions.append(col(SurveyResponse.counted).is_(False))
    elif flagged is False:
        conditions.append(col(SurveyResponse.counted).is_(True))
    if conditions:
        query = query.where(*conditions)
    total = (
        await session.exec(select(func.count()).select_from(SurveyResponse).where(*conditions))
    ).one()
    rows = await session.exec(
        query.order_by(col(SurveyResponse.id).desc()).offset((page - 1) * size).limit(size)
    )
    return [review_public(*row) for row in rows.all()], total


async def clear_flag(
    *, session: AsyncSession, response_id: int, admin: User, note: str, now: datetime
) -> ResponseReview:
    """An admin judged the flags unfounded: the answer counts from now on (the reasons
    stay on record, with who cleared them, when and why)."""
    response = await session.get(SurveyResponse, response_id)
    if response is None:
        raise ResponseNotFound()
    if response.counted or not response.flags:
        raise NotFlagged()
    response.counted = True
    response.cleared_by = admin.id
    response.cleared_at = now
    response.clear_note = note
    session.add(response)
    await session.flush()
    invitation = await session.get(SurveyInvitation, response.invitation_id)
    team = await session.get(Team, response.team_id)
    assert invitation is not None
    assert team is not None
    return review_public(response, invitation, team)
