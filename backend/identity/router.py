from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.deps import CacheDep, ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.ratelimit import Limit, client_ip, hit
from backend.identity import principals, service, tokens
from backend.identity.dependencies import CurrentUser
from backend.identity.exceptions import (
    InvalidCredentials,
    InvalidRefreshToken,
    InvalidToken,
    RefreshTokenReused,
    SignInThrottled,
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
    responses=error_responses(InvalidCredentials, SignInThrottled),
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Token:
    """OAuth2 password flow: student or staff number and password → access + refresh token.

    After five wrong passwords for a name from one address, that address waits before its
    next try for that name, twice as long each time (429 `SignInThrottled` with
    Retry-After); the same name from another address is not slowed. Each address may try
    30 times a minute.
    """
    address = client_ip(request)
    await hit(cache, f"login:ip:{address}", LOGIN_PER_IP)
    user = await service.authenticate(
        session=session,
        cache=cache,
        username=form.username,
        password=form.password,
        address=address,
    )
    pair = await tokens.issue(session=session, settings=settings, user=user, now=clock.now())
    await session.commit()
    return pair


@router.post(
    "/auth/refresh",
    responses=error_responses(InvalidRefreshToken, RefreshTokenReused),
)
async def refresh(
    body: RefreshRequest,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> Token:
    """Trade a refresh token for a new pair; each refresh token works once. Presenting a
    used one again ends that sign-in: its tokens, access tokens included, stop working."""
    pair = await tokens.rotate(
        session=session,
        cache=cache,
        settings=settings,
        token=body.refresh_token,
        now=clock.now(),
    )
    await session.commit()
    return pair


@router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(InvalidRefreshToken),
)
async def logout(
    body: RefreshRequest,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> None:
    """Sign out: revoke this refresh token, every token rotated from the same sign-in and
    the access tokens they issued (within seconds on every worker, at once on this one)."""
    sign_in = await tokens.revoke(session=session, token=body.refresh_token, now=clock.now())
    await session.commit()
    await principals.revoke_sign_in(cache=cache, settings=settings, sid=sign_in)


# A student's room belongs to dorms and a canteen team's canteen to meals, which build on
# identity: the app hands identity the lookups (``app.state.room_of`` and
# ``app.state.canteen_of``, set in main.py) instead of identity importing them.
RoomOf = Callable[..., Awaitable[RoomBrief | None]]
CanteenOf = Callable[..., Awaitable[str | None]]


async def _public(request: Request, session: AsyncSession, user: User, today: date) -> UserPublic:
    public = UserPublic.model_validate(user)
    if user.team_id is not None and (team := await session.get(Team, user.team_id)):
        public.team = TeamBrief.model_validate(team)
        if team.canteen_id is not None:
            canteen_of: CanteenOf = request.app.state.canteen_of
            public.team.canteen = await canteen_of(session=session, canteen_id=team.canteen_id)
    room_of: RoomOf = request.app.state.room_of
    public.room = await room_of(session=session, student_id=user.id, on=today)
    return public


@router.get("/me", responses=error_responses(NotAuthenticated, InvalidToken))
async def read_me(
    request: Request, user: CurrentUser, session: SessionDep, clock: ClockDep
) -> UserPublic:
    """The signed-in user's profile, team (staff) and current dorm room (students)."""
    return await _public(request, session, user, clock.today())


@router.patch("/me", responses=error_responses(NotAuthenticated, InvalidToken))
async def update_me(
    changes: MeUpdate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    cache: CacheDep,
    clock: ClockDep,
) -> UserPublic:
    """Change your language, dietary preferences or allergens; nothing else can change here."""
    user = await service.update_me(session=session, user=user, changes=changes)
    await session.commit()
    await principals.forget_user(cache=cache, user_id=user.id)
    await session.refresh(user)
    return await _public(request, session, user, clock.today())
