"""Rewards: the logistics office runs periods; teams read their statements and appeal."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from fastapi.responses import JSONResponse

from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.types import MAX_ID, IdPath
from backend.identity.dependencies import AdminUser, StaffUser
from backend.identity.exceptions import AdminsOnly, InvalidToken, StaffOnly, TeamNotFound
from backend.rewards import service
from backend.rewards.exceptions import (
    AppealAlreadyOpen,
    AppealClosed,
    AppealNotForPeriod,
    AppealNotFound,
    NotFinalized,
    NothingToCorrect,
    RewardPeriodExists,
    RewardPeriodNotFound,
    StatementNotFound,
    UnknownTeamInRules,
    VersionNotFound,
)
from backend.rewards.models import AppealStatus
from backend.rewards.schemas import (
    AppealCreate,
    AppealPublic,
    AppealResolve,
    AppealsPublic,
    CalculationPublic,
    CorrectionCreate,
    RewardPeriodCreate,
    RewardPeriodPublic,
    RewardPeriodsPublic,
    RewardPeriodUpdate,
    StatementPublic,
    StatementsPublic,
)
from backend.surveys.periods import Period
from backend.surveys.results import team_by_slug

router = APIRouter(prefix="/rewards", tags=["rewards"])
admin_router = APIRouter(prefix="/admin/rewards", tags=["rewards: logistics office"])
AUTH = (NotAuthenticated, InvalidToken)
ADMIN = (*AUTH, AdminsOnly)

# ---- teams -------------------------------------------------------------------------------


@router.get("/statements", responses=error_responses(*AUTH, StaffOnly))
async def list_statements(
    user: StaffUser,
    session: SessionDep,
    period: Annotated[Period | None, Query()] = None,
) -> StatementsPublic:
    """Your team's finalized statements, every version (``superseded`` marks old ones);
    the logistics office sees every team's."""
    data = await service.statements_for(
        session=session, team_id=None if user.is_admin else user.team_id, period=period
    )
    return StatementsPublic(data=data, count=len(data))


@router.get(
    "/statements/{statement_id}", responses=error_responses(*AUTH, StaffOnly, StatementNotFound)
)
async def read_statement(
    statement_id: IdPath, user: StaffUser, session: SessionDep
) -> StatementPublic:
    """One statement with its full explanation (inputs, factors, formula in both languages)."""
    return await service.statement_public(session=session, statement_id=statement_id, user=user)


@router.post(
    "/statements/{statement_id}/appeals",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*AUTH, StaffOnly, StatementNotFound, AppealAlreadyOpen),
)
async def lodge_appeal(
    statement_id: IdPath, body: AppealCreate, user: StaffUser, session: SessionDep
) -> AppealPublic:
    """Appeal your team's finalized statement (one open appeal per statement)."""
    appeal = await service.lodge_appeal(
        session=session, statement_id=statement_id, user=user, reason=body.reason
    )
    public = await service.appeal_public(session=session, appeal=appeal)
    await session.commit()
    return public


# ---- the logistics office ----------------------------------------------------------------


@admin_router.get("/periods", responses=error_responses(*ADMIN))
async def list_periods(_: AdminUser, session: SessionDep) -> RewardPeriodsPublic:
    """Reward periods, newest first, with their latest finalized version."""
    data = [
        await service.period_public(session=session, reward_period=p)
        for p in await service.list_periods(session=session)
    ]
    return RewardPeriodsPublic(data=data, count=len(data))


@admin_router.post(
    "/periods",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(*ADMIN, RewardPeriodExists, UnknownTeamInRules),
)
async def create_period(
    body: RewardPeriodCreate, admin: AdminUser, session: SessionDep
) -> RewardPeriodPublic:
    """A pool (fen) and its rules for one score period."""
    reward_period = await service.create_period(session=session, body=body, admin=admin)
    public = await service.period_public(session=session, reward_period=reward_period)
    await session.commit()
    return public


@admin_router.get(
    "/periods/{reward_period_id}", responses=error_responses(*ADMIN, RewardPeriodNotFound)
)
async def read_period(
    reward_period_id: IdPath, _: AdminUser, session: SessionDep
) -> RewardPeriodPublic:
    """One reward period."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    return await service.period_public(session=session, reward_period=reward_period)


@admin_router.patch(
    "/periods/{reward_period_id}",
    responses=error_responses(*ADMIN, RewardPeriodNotFound, UnknownTeamInRules),
)
async def update_period(
    reward_period_id: IdPath,
    body: RewardPeriodUpdate,
    _: AdminUser,
    session: SessionDep,
    clock: ClockDep,
) -> RewardPeriodPublic:
    """Change the pool or rules: previews and later corrections use them; finalized
    versions keep the inputs they were computed from."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    reward_period = await service.update_period(
        session=session, reward_period=reward_period, body=body, now=clock.now()
    )
    public = await service.period_public(session=session, reward_period=reward_period)
    await session.commit()
    return public


@admin_router.get(
    "/periods/{reward_period_id}/preview", responses=error_responses(*ADMIN, RewardPeriodNotFound)
)
async def preview(reward_period_id: IdPath, _: AdminUser, session: SessionDep) -> CalculationPublic:
    """Compute the allocation from today's data and rules; nothing is stored."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    return await service.preview(session=session, reward_period=reward_period)


@admin_router.post(
    "/periods/{reward_period_id}/finalize",
    status_code=status.HTTP_201_CREATED,
    response_model=CalculationPublic,
    responses={
        200: {"description": "Already finalized: the latest version, unchanged."},
        **error_responses(*ADMIN, RewardPeriodNotFound),
    },
)
async def finalize(reward_period_id: IdPath, admin: AdminUser, session: SessionDep) -> JSONResponse:
    """Freeze version 1: inputs, their SHA-256, who and when; statements can never change.
    Idempotent: finalizing again returns the latest version (200)."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    version, created = await service.finalize(
        session=session, reward_period=reward_period, admin=admin
    )
    public = await service.version_public(
        session=session, reward_period=reward_period, version=version
    )
    await session.commit()
    return JSONResponse(
        public.model_dump(mode="json"),
        status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
    )


@admin_router.post(
    "/periods/{reward_period_id}/corrections",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(
        *ADMIN, RewardPeriodNotFound, NotFinalized, NothingToCorrect, AppealNotForPeriod
    ),
)
async def correct(
    reward_period_id: IdPath,
    body: CorrectionCreate,
    admin: AdminUser,
    session: SessionDep,
    clock: ClockDep,
) -> CalculationPublic:
    """A new version from today's data and rules, superseding the latest (which stays as
    it was). Naming an open appeal marks it upheld by this version."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    version = await service.correct(
        session=session, reward_period=reward_period, admin=admin, body=body, now=clock.now()
    )
    public = await service.version_public(
        session=session, reward_period=reward_period, version=version
    )
    await session.commit()
    return public


@admin_router.get(
    "/periods/{reward_period_id}/versions/{number}",
    responses=error_responses(*ADMIN, RewardPeriodNotFound, VersionNotFound),
)
async def read_version(
    reward_period_id: IdPath, number: IdPath, _: AdminUser, session: SessionDep
) -> CalculationPublic:
    """A finalized version with all its statements."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    version = await service.get_version(session=session, reward_period=reward_period, number=number)
    return await service.version_public(
        session=session, reward_period=reward_period, version=version
    )


@admin_router.get(
    "/periods/{reward_period_id}/export.csv",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "One row per team."},
        **error_responses(*ADMIN, RewardPeriodNotFound, VersionNotFound),
    },
)
async def export_csv(
    reward_period_id: IdPath,
    _: AdminUser,
    session: SessionDep,
    version: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Default: the latest.")
    ] = None,
) -> Response:
    """A finalized version as CSV (UTF-8), for payroll."""
    reward_period = await service.get_period(session=session, reward_period_id=reward_period_id)
    found = await service.get_version(session=session, reward_period=reward_period, number=version)
    text = await service.export_csv(session=session, reward_period=reward_period, version=found)
    filename = f"rewards-{reward_period.period}-v{found.version}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@admin_router.get("/appeals", responses=error_responses(*ADMIN, TeamNotFound))
async def list_appeals(
    _: AdminUser,
    session: SessionDep,
    status_: Annotated[AppealStatus | None, Query(alias="status")] = None,
    team: Annotated[str | None, Query(description="Team slug.")] = None,
) -> AppealsPublic:
    """Appeals, newest first."""
    team_id = (await team_by_slug(session=session, slug=team)).id if team else None
    data = [
        await service.appeal_public(session=session, appeal=a)
        for a in await service.list_appeals(session=session, status=status_, team_id=team_id)
    ]
    return AppealsPublic(data=data, count=len(data))


@admin_router.post(
    "/appeals/{appeal_id}/resolve",
    responses=error_responses(*ADMIN, AppealNotFound, AppealClosed),
)
async def resolve_appeal(
    appeal_id: IdPath, body: AppealResolve, admin: AdminUser, session: SessionDep, clock: ClockDep
) -> AppealPublic:
    """Reject an appeal (or uphold it without a correction); corrections uphold their own."""
    appeal = await service.resolve_appeal(
        session=session, appeal_id=appeal_id, admin=admin, body=body, now=clock.now()
    )
    public = await service.appeal_public(session=session, appeal=appeal)
    await session.commit()
    return public
