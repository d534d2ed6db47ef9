"""Who is calling: a signed-in user, or the bot acting for one student."""

from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Header
from fastapi.security import OAuth2PasswordBearer

from backend.core.deps import SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated
from backend.core.security import decode_token, same_secret
from backend.identity.exceptions import BotCredentialRequired, InvalidToken, StudentsOnly
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
    return Principal(user=user, via_bot=via_bot)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_current_user(principal: PrincipalDep) -> User:
    return principal.user


async def get_current_student(user: Annotated[User, Depends(get_current_user)]) -> User:
    if user.role != Role.student:
        raise StudentsOnly()
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
CurrentStudent = Annotated[User, Depends(get_current_student)]
