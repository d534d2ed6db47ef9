"""Students answer; teams read their own results; the leaderboard for staff."""

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, status
from fastapi.responses import JSONResponse

from backend.core.deps import CacheDep, ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey, run_once
from backend.core.ratelimit import Limit, RateLimited, client_ip
from backend.core.types import IdPath
from backend.identity.dependencies import (
    CurrentStudent,
    CurrentUser,
    PrincipalDep,
    RateLimit,
    StaffUser,
)
from backend.identity.exceptions import InvalidToken, StaffOnly, StudentsOnly, TeamNotFound
from backend.surveys import campaigns, leaderboard, results, service
from backend.surveys.dependencies import PeriodDep, ScopedTeam, SurveySettingsDep
from backend.surveys.exceptions import (
    AlreadyAnswered,
    CampaignNotFound,
    CampaignNotOpen,
    CanteenAlreadyChosen,
    CanteenTeamNotFound,
    InvitationExpired,
    InvitationNotFound,
    InvitationNotOpen,
    NotACanteenCampaign,
    NotYourTeam,
    UnknownQuestion,
)
from backend.surveys.integrity import keyed_hash
from backend.surveys.schemas import (
    CanteenChoice,
    CommentsPublic,
    InvitationPublic,
    InvitationsPublic,
    LeaderboardPublic,
    OpenCampaigns,
    ResponseCreate,
    ResponsePublic,
    TeamScorePublic,
)
from backend.surveys.scoring import period_scores

router = APIRouter(prefix="/surveys", tags=["surveys"])
AUTH = (NotAuthenticated, InvalidToken)
respond_limit = RateLimit(
    "survey-response",
    per_user=Limit(requests=10, per_seconds=60),
    per_ip=Limit(requests=60, per_seconds=60),
)


@router.get("/pending", responses=error_responses(*AUTH))
async def list_pending(
    user: CurrentUser, session: SessionDep, clock: ClockDep
) -> InvitationsPublic:
    """Your surveys waiting for an answer (open, unexpired), soonest to expire first."""
    data = await service.pending(session=session, user=user, now=clock.now())
    return InvitationsPublic(data=data, count=len(data))


@router.get("/invitations/{invitation_id}", responses=error_responses(*AUTH, InvitationNotFound))
async def read_invitation(
    invitation_id: IdPath, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> InvitationPublic:
    """One of your surveys, with its questions. The first view starts its answer timer."""
    invitation = await service.owned_invitation(
        session=session, user=user, invitation_id=invitation_id
    )
    public = await service.open_invitation(session=session, invitation=invitation, now=clock.now())
    await session.commit()
    return public


@router.post(
    "/invitations/{invitation_id}/response",
    status_code=status.HTTP_201_CREATED,
    response_model=ResponsePublic,
    dependencies=[Depends(respond_limit)],
    responses=error_responses(
        *AUTH,
        InvitationNotFound,
        AlreadyAnswered,
        InvitationExpired,
        InvitationNotOpen,
        UnknownQuestion,
        InvalidIdempotencyKey,
        IdempotencyKeyReused,
        RateLimited,
    ),
)
async def answer(
    invitation_id: IdPath,
    body: ResponseCreate,
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    survey_settings: SurveySettingsDep,
    clock: ClockDep,
    device_id: Annotated[
        str | None,
        Header(alias="X-Device-Id", max_length=128, description="The app's install id."),
    ] = None,
) -> JSONResponse:
    """Answer one of your surveys, once (the bot may answer for you). How long the answer
    took is measured by the server from the first GET of the invitation (a sent
    ``opened_at`` is ignored); an answer within a few seconds of that, or to a survey never
    fetched, is flagged `too_fast`. Supports ``Idempotency-Key``; 10 answers a minute."""
    user = principal.user
    invitation = await service.owned_invitation(
        session=session, user=user, invitation_id=invitation_id
    )
    period = invitation.period
    key = "surveys:" + settings.secret("jwt_secret")

    async def create() -> ResponsePublic:
        response = await service.respond(
            session=session,
            settings=survey_settings,
            invitation=invitation,
            user=user,
            body=body,
            via_bot=principal.via_bot,
            # The bot's requests all come from the action server: no address to judge.
            ip_hash=None if principal.via_bot else keyed_hash(client_ip(request), key=key),
            device_hash=keyed_hash(device_id, key=key) if device_id else None,
            now=clock.now(),
        )
        return service.response_public(response)

    result = await run_once(
        request=request,
        session=session,
        user_id=user.id,
        payload={"invitation": invitation_id, **body.model_dump(mode="json")},
        create=create,
    )
    if result.headers.get("Idempotent-Replayed") is None:
        await leaderboard.refresh_quietly(
            session=session, cache=cache, period=period, prior_weight=survey_settings.prior_weight
        )
    return result


@router.get("/campaigns/open", responses=error_responses(*AUTH, StudentsOnly))
async def list_open_campaigns(
    student: CurrentStudent, session: SessionDep, clock: ClockDep
) -> OpenCampaigns:
    """Open canteen surveys: choose which canteen you want to rate this period."""
    data = await campaigns.open_campaigns(session=session, user=student, now=clock.now())
    return OpenCampaigns(data=data, count=len(data))


@router.post(
    "/campaigns/{campaign_id}/choice",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        *AUTH,
        StudentsOnly,
        CampaignNotFound,
        NotACanteenCampaign,
        CampaignNotOpen,
        CanteenTeamNotFound,
        CanteenAlreadyChosen,
    ),
)
async def choose_canteen(
    campaign_id: IdPath,
    body: CanteenChoice,
    student: CurrentStudent,
    session: SessionDep,
    clock: ClockDep,
) -> InvitationPublic:
    """Pick the canteen you will rate in this period (once); its survey is then yours."""
    campaign = await campaigns.get_campaign(session=session, campaign_id=campaign_id)
    invitation = await campaigns.choose_canteen(
        session=session, campaign=campaign, user=student, canteen_slug=body.canteen, now=clock.now()
    )
    public = await service.invitation_public(session, invitation)
    await session.commit()
    return public


@router.get("/leaderboard", responses=error_responses(*AUTH, StaffOnly))
async def read_leaderboard(
    _: StaffUser,
    session: SessionDep,
    cache: CacheDep,
    survey_settings: SurveySettingsDep,
    period: PeriodDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> LeaderboardPublic:
    """Teams ranked by adjusted score for a period (live; the database is the record)."""
    data = await leaderboard.read(
        session=session,
        cache=cache,
        period=period,
        prior_weight=survey_settings.prior_weight,
        limit=limit,
    )
    return LeaderboardPublic(period=period, data=data, count=len(data))


@router.get(
    "/teams/{slug}/scores", responses=error_responses(*AUTH, StaffOnly, NotYourTeam, TeamNotFound)
)
async def read_team_score(
    team: ScopedTeam, session: SessionDep, survey_settings: SurveySettingsDep, period: PeriodDep
) -> TeamScorePublic:
    """Your team's score for a period (the logistics office: any team's)."""
    scores = await period_scores(
        session=session, period=period, prior_weight=survey_settings.prior_weight
    )
    return results.team_score(scores, team)


@router.get(
    "/teams/{slug}/comments",
    responses=error_responses(*AUTH, StaffOnly, NotYourTeam, TeamNotFound),
)
async def read_team_comments(
    team: ScopedTeam, session: SessionDep, period: PeriodDep
) -> CommentsPublic:
    """What students wrote about your team this period, anonymously: no names, tickets,
    rooms or times; ordered by rating and text."""
    data = await results.comments(session=session, team_id=team.id, period=period)
    return CommentsPublic(data=data, count=len(data))
