from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from backend.core.deps import SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.security import create_token
from backend.identity import service
from backend.identity.dependencies import CurrentUser
from backend.identity.exceptions import InvalidCredentials, InvalidToken
from backend.identity.schemas import Token, UserPublic

router = APIRouter(tags=["identity"])


@router.post("/auth/token", responses=error_responses(InvalidCredentials))
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """OAuth2 password flow: student or staff number and password → a bearer access token."""
    user = await service.authenticate(
        session=session, username=form.username, password=form.password
    )
    lifetime = timedelta(minutes=settings.access_token_minutes)
    token = create_token(
        secret=settings.secret("jwt_secret"),
        subject=user.id,
        kind="access",
        lifetime=lifetime,
        role=user.role.value,
    )
    return Token(access_token=token, expires_in=int(lifetime.total_seconds()))


@router.get("/me", responses=error_responses(NotAuthenticated, InvalidToken))
async def read_me(user: CurrentUser) -> UserPublic:
    """The signed-in user's profile."""
    return UserPublic.model_validate(user)
