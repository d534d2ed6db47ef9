"""The logistics office: templates, campaigns, results per team and period, flag review."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query, status

from backend.core.deps import CacheDep, ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.types import IdPath, Page
from backend.identity.dependencies import AdminUser
from backend.identity.exceptions import AdminsOnly, InvalidToken, TeamNotFound
from backend.surveys import campaigns, leaderboard, results
from backend.surveys.dependencies import PeriodDep, SurveySettingsDep
from backend.surveys.exceptions import (
    CampaignExists,
    CampaignNotFound,
    NoCurrentTemplate,
    NotFlagged,
    ResponseNotFound,
    TemplateExists,
    TemplateInUse,
    TemplateNotFound,
)
from backend.surveys.periods import Period, bounds
from backend.surveys.schemas import (
    CampaignCreate,
    CampaignPublic,
    CampaignsPublic,
    FlagClear,
    InvitationsIssued,
    ResponseReview,
    ResponseReviews,
    ScoresPublic,
    TeamResults,
    TemplateCreate,
    TemplatePublic,
    TemplatesPublic,
    TemplateUpdate,
)
from backend.surveys.scoring import period_scores

router = APIRouter(prefix="/admin/surveys", tags=["surveys: logistics office"])
AUTH = (NotAuthenticated, InvalidToken, AdminsOnly)


@router.get("/templates", responses=error_responses(*AUTH))
async def list_templates(_: AdminUser, session: SessionDep) -> TemplatesPublic:
    """Every survey template; ``in_use`` ones can no longer change their questions."""
    data = [
        await campaigns.template_public(session=session, template=t)
        for t in await campaigns.list_templates(session=session)
    ]
    return TemplatesPublic(data=data, count=len(data))


@router.post(
    "/templates",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*AUTH, TemplateExists),
)
async def create_template(
    body: TemplateCreate, _: AdminUser, session: SessionDep
) -> TemplatePublic:
    """A new template; ``is_current`` makes it the one new invitations use."""
    template = await campaigns.create_template(session=session, body=body)
    public = await campaigns.template_public(session=session, template=template)
    await session.commit()
    return public


@router.get("/templates/{template_id}", responses=error_responses(*AUTH, TemplateNotFound))
async def read_template(template_id: IdPath, _: AdminUser, session: SessionDep) -> TemplatePublic:
    """One template."""
    template = await campaigns.get_template(session=session, template_id=template_id)
    return await campaigns.template_public(session=session, template=template)


@router.patch(
    "/templates/{template_id}",
    responses=error_responses(*AUTH, TemplateNotFound, TemplateInUse),
)
async def update_template(
    template_id: IdPath, body: TemplateUpdate, _: AdminUser, session: SessionDep
) -> TemplatePublic:
    """Rename, make current, or (while unused) change the questions."""
    template = await campaigns.get_template(session=session, template_id=template_id)
    template = await campaigns.update_template(session=session, template=template, body=body)
    public = await campaigns.template_public(session=session, template=template)
    await session.commit()
    return public


@router.get("/campaigns", responses=error_responses(*AUTH))
async def list_campaigns(
    _: AdminUser, session: SessionDep, period: Annotated[Period | None, Query()] = None
) -> CampaignsPublic:
    """Dorm and canteen campaigns, newest period first, with invitation and answer counts."""
    data = [
        await campaigns.campaign_public(session=session, campaign=c)
        for c in await campaigns.list_campaigns(session=session, period=period)
    ]
    return CampaignsPublic(data=data, count=len(data))


@router.post(
    "/campaigns",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*AUTH, CampaignExists, NoCurrentTemplate, TemplateNotFound),
)
async def create_campaign(
    body: CampaignCreate, admin: AdminUser, session: SessionDep, clock: ClockDep
) -> CampaignPublic:
    """A dorm or canteen campaign for a period (one of each per period). A dorm campaign
    invites every current resident to rate their building's team right away."""
    campaign = await campaigns.create_campaign(session=session, body=body, admin=admin)
    await campaigns.issue_dorm_invitations(
        session=session, campaign=campaign, on=_residence_day(campaign.period, clock.today())
    )
    public = await campaigns.campaign_public(session=session, campaign=campaign)
    await session.commit()
    return public


def _residence_day(period: str, today: date) -> date:
    """Residents of today, or of the period's last day once the period is over."""
    first, last = bounds(period)
    return min(max(today, first), last)


@router.post(
    "/campaigns/{campaign_id}/invitations",
    responses=error_responses(*AUTH, CampaignNotFound),
)
async def issue_invitations(
    campaign_id: IdPath, _: AdminUser, session: SessionDep, clock: ClockDep
) -> InvitationsIssued:
    """Invite residents who moved in since (dorm campaigns; idempotent)."""
    campaign = await campaigns.get_campaign(session=session, campaign_id=campaign_id)
    created = await campaigns.issue_dorm_invitations(
        session=session, campaign=campaign, on=_residence_day(campaign.period, clock.today())
    )
    total = await campaigns.count_invitations(session=session, campaign=campaign)
    await session.commit()
    return InvitationsIssued(campaign_id=campaign.id, created=created, total=total)


@router.get("/scores", responses=error_responses(*AUTH))
async def read_scores(
    _: AdminUser,
    session: SessionDep,
    survey_settings: SurveySettingsDep,
    period: PeriodDep,
    prior_weight: Annotated[
        Decimal | None, Query(ge=0, le=10_000, description="Default: the configured C.")
    ] = None,
) -> ScoresPublic:
    """Every team's score for a period (teams with answers or completed repairs)."""
    weight = survey_settings.prior_weight if prior_weight is None else prior_weight
    scores = await period_scores(session=session, period=period, prior_weight=weight)
    data = [results.score_public(s, period) for s in scores.teams]
    return ScoresPublic(
        period=period,
        prior_weight=weight,
        campus_responses=scores.campus_responses,
        campus_mean=scores.campus_mean,
        data=data,
        count=len(data),
    )


@router.get("/results/{slug}", responses=error_responses(*AUTH, TeamNotFound))
async def read_team_results(
    slug: str,
    _: AdminUser,
    session: SessionDep,
    survey_settings: SurveySettingsDep,
    period: PeriodDep,
) -> TeamResults:
    """One team's period: score, answer distributions per question, and comments."""
    team = await results.team_by_slug(session=session, slug=slug)
    scores = await period_scores(
        session=session, period=period, prior_weight=survey_settings.prior_weight
    )
    return TeamResults(
        score=results.team_score(scores, team),
        distributions=await results.distributions(session=session, team_id=team.id, period=period),
        comments=await results.comments(session=session, team_id=team.id, period=period),
    )


@router.get("/responses", responses=error_responses(*AUTH, TeamNotFound))
async def list_responses(
    _: AdminUser,
    session: SessionDep,
    period: Annotated[Period | None, Query()] = None,
    team: Annotated[str | None, Query(description="Team slug.")] = None,
    flagged: Annotated[bool | None, Query(description="true: only uncleared flags.")] = None,
    page: Page = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ResponseReviews:
    """Answers with their integrity flags and reasons, newest first."""
    team_id = (await results.team_by_slug(session=session, slug=team)).id if team else None
    data, total = await results.review(
        session=session, period=period, team_id=team_id, flagged=flagged, page=page, size=size
    )
    return ResponseReviews(data=data, count=len(data), total=total)


@router.post(
    "/responses/{response_id}/clear-flag",
    responses=error_responses(*AUTH, ResponseNotFound, NotFlagged),
)
async def clear_flag(
    response_id: IdPath,
    body: FlagClear,
    admin: AdminUser,
    session: SessionDep,
    cache: CacheDep,
    survey_settings: SurveySettingsDep,
    clock: ClockDep,
) -> ResponseReview:
    """The flags were unfounded: count this answer (its reasons stay on record)."""
    review = await results.clear_flag(
        session=session, response_id=response_id, admin=admin, note=body.note, now=clock.now()
    )
    await session.commit()
    await leaderboard.refresh_quietly(
        session=session,
        cache=cache,
        period=review.period,
        prior_weight=survey_settings.prior_weight,
    )
    return review
