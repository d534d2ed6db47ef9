from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.deps import CacheDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.ratelimit import Limit, client_ip, hit
from backend.dorms.service import current_room
from backend.identity import service, tokens
from backend.identity.dependencies import CurrentUser
from backend.identity.exceptions import (
    AccountLocked,
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidToken,
    RefreshTokenReused,
)
from backend.identity.models import Team, User
from backend.identity.schemas import (
    MeUpdate,
    RefreshRequest,
    RoomBrief,
    TeamBrief,
    Token,
    UserPublic,
)

router = APIRouter(tags=["identity"])
LOGIN_PER_IP = Limit(requests=30, per_seconds=60)


@router.post(
    "/auth/token",
    responses=error_responses(InvalidCredentials, AccountLocked),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
) -> Token:
    """OAuth2 password flow: student or staff number and password → access + refresh token.

    Five wrong passwords for a name lock it for 15 minutes (429 with Retry-After); each
    address may try 30 times a minute.
    """
    await hit(cache, f"login:ip:{client_ip(request)}", LOGIN_PER_IP)
    user = await service.authenticate(
        session=session, cache=cache, username=form.username, password=form.password
    )
    pair = await tokens.issue(session=session, settings=settings, user=user)
    await session.commit()
    return pair


@router.post(
    "/auth/refresh",
    responses=error_responses(InvalidRefreshToken, RefreshTokenReused),
)
async def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> Token:
    """Trade a refresh token for a new pair; each refresh token works once."""
    return await tokens.rotate(session=session, settings=settings, token=body.refresh_token)


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(InvalidRefreshToken),
)
async def logout(body: RefreshRequest, session: SessionDep) -> None:
    """Sign out: revoke this refresh token and every token rotated from the same sign-in."""
    await tokens.revoke(session=session, token=body.refresh_token)


async def _public(session: AsyncSession, user: User, today: datetime) -> UserPublic:
    public = UserPublic.model_validate(user)
    if user.team_id is not None and (team := await session.get(Team, user.team_id)):
        public.team = TeamBrief.model_validate(team)
    if (
        home := await current_room(session=session, student_id=user.id, on=today.date())
    ) is not None:
        building, room = home
        public.room = RoomBrief(
            building_code=building.code,
            building_name_en=building.name_en,
            building_name_zh=building.name_zh,
            room=room.number,
        )
    return public


@router.get("/me", responses=error_responses(NotAuthenticated, InvalidToken))
async def read_me(user: CurrentUser, session: SessionDep, settings: SettingsDep) -> UserPublic:
    """The signed-in user's profile, team (staff) and current dorm room (students)."""
    return await _public(session, user, datetime.now(settings.tz))


@router.patch("/me", responses=error_responses(NotAuthenticated, InvalidToken))
async def update_me(
    changes: MeUpdate, user: CurrentUser, session: SessionDep, settings: SettingsDep
) -> UserPublic:
    """Change your language, dietary preferences or allergens; nothing else can change here."""
    user = await service.update_me(session=session, user=user, changes=changes)
    return await _public(session, user, datetime.now(settings.tz))
