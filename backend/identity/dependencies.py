"""Who is calling: a signed-in user, or the bot acting for one student; what they may do."""

from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer

from backend.core.deps import CacheDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated
from backend.core.ratelimit import Limit, client_ip, hit
from backend.core.security import decode_token, same_secret
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
    user: User
    via_bot: bool  # the bot acting for ``user`` through a delegation token


async def get_principal(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    bot_key: Annotated[str | None, Header(alias="X-Bot-Key", include_in_schema=False)] = None,
) -> Principal:
    if not token:
        raise NotAuthenticated()
    try:
        claims = decode_token(token, secret=settings.secret("jwt_secret"))
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError) as exc:
        raise InvalidToken() from exc
    if claims["typ"] not in ("access", "delegation"):
        raise InvalidToken()
    via_bot = claims["typ"] == "delegation"
    if via_bot and not (bot_key and same_secret(bot_key, settings.secret("bot_secret"))):
        raise BotCredentialRequired()
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidToken()
    if via_bot and user.role != Role.student:
        raise InvalidToken()  # the bot only ever acts for students
    return Principal(user=user, via_bot=via_bot)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: PrincipalDep) -> User:
    return principal.user


async def get_current_student(user: Annotated[User, Depends(get_current_user)]) -> User:
    if user.role != Role.student:
        raise StudentsOnly()
    return user


async def get_staff_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    """Service staff of a team, or the logistics office."""
    if not (user.is_staff or user.is_admin):
        raise StaffOnly()
    return user


async def get_admin_user(user: Annotated[User, Depends(get_current_user)]) -> User:
    if not user.is_admin:
        raise AdminsOnly()
    return user


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
