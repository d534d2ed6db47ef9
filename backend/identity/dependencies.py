"""Who is calling: a signed-in user, or the bot acting for one student; what they may do."""

from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from backend.core.config import Settings
from backend.core.deps import CacheDep, SessionDep
from backend.core.errors import NotAuthenticated
from backend.core.ratelimit import Limit, client_ip, hit
from backend.core.security import same_secret
from backend.identity import principals
from backend.identity.exceptions import (
    AdminsOnly,
    BotCredentialRequired,
    InvalidToken,
    StaffOnly,
    StudentsOnly,
)
from backend.identity.models import Role, User

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Principal:
    user: User  # shared between requests: read-only (see identity.principals)
    via_bot: bool  # the bot acting for ``user`` through a delegation token
    sign_in: str  # the token's sid: revoking it stops the token


async def get_principal(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    """The caller, from the token and the principal cache: no database trip on a hit (the
    session is used only on a miss). Few sub-dependencies on purpose: every authenticated
    request solves this tree, and each node costs FastAPI more than reading app state."""
    if not token:
        raise NotAuthenticated()
    settings: Settings = request.app.state.settings
    try:
        claims = principals.verified_claims(token, secret=settings.secret("jwt_secret"))
        user_id, kind, sid = int(claims["sub"]), claims["typ"], str(claims["sid"])
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken() from exc
    if kind not in ("access", "delegation"):
        raise InvalidToken()
    via_bot = kind == "delegation"
    if via_bot:
        bot_key = request.headers.get("x-bot-key")
        if not (bot_key and same_secret(bot_key, settings.secret("bot_secret"))):
            raise BotCredentialRequired()
    resolved = await principals.resolve(
        cache=request.app.state.cache,
        session=session,
        settings=settings,
        user_id=user_id,
        sid=sid,
    )
    user = resolved.user
    if user is None or not user.is_active:
        raise InvalidToken()
    if via_bot and user.role != Role.student:
        raise InvalidToken()  # the bot only ever acts for students
    return Principal(user=user, via_bot=via_bot, sign_in=sid)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: PrincipalDep) -> User:
    return principal.user


async def get_current_student(principal: PrincipalDep) -> User:
    if principal.user.role != Role.student:
        raise StudentsOnly()
    return principal.user


async def get_staff_user(principal: PrincipalDep) -> User:
    """Service staff of a team, or the logistics office."""
    if not (principal.user.is_staff or principal.user.is_admin):
        raise StaffOnly()
    return principal.user


async def get_admin_user(principal: PrincipalDep) -> User:
    if not principal.user.is_admin:
        raise AdminsOnly()
    return principal.user


CurrentUser = Annotated[User, Depends(get_current_user)]
CurrentStudent = Annotated[User, Depends(get_current_student)]
StaffUser = Annotated[User, Depends(get_staff_user)]
AdminUser = Annotated[User, Depends(get_admin_user)]


class RateLimit:
    """Route dependency: at most ``per_user`` requests per signed-in user and ``per_ip``
    per client address. Bot requests count for the student they act for only: they all
    come from the action server's address, already limited at the chat route."""

    def __init__(self, scope: str, *, per_user: Limit, per_ip: Limit) -> None:
        self.scope = scope
        self.per_user = per_user
        self.per_ip = per_ip

    async def __call__(self, request: Request, cache: CacheDep, principal: PrincipalDep) -> None:
        if not principal.via_bot:
            await hit(cache, f"{self.scope}:ip:{client_ip(request)}", self.per_ip)
        await hit(cache, f"{self.scope}:user:{principal.user.id}", self.per_user)
