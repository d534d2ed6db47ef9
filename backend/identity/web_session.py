"""Browser sessions for the campus app and the staff console.

The access token lives only in the page's memory; the refresh token lives in an httpOnly
cookie that scripts cannot read, sent only to these three routes (``Path``) and never from
another site (``SameSite=Strict``). Every other API call authenticates with the
``Authorization`` header, which a browser never adds on its own, so no other route can be
forged from another site. These three also demand the ``X-Houqin-CSRF`` header: a page on
another origin cannot send a custom header without a CORS preflight, which this API never
grants — that stops a forged sign-in (into the attacker's account) and a forged sign-out.
"""

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Cookie, Depends, Header, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from backend.core.deps import CacheDep, ClockDep, SessionDep, SettingsDep
from backend.core.errors import AppError, error_responses
from backend.identity import principals, tokens
from backend.identity.exceptions import (
    InvalidCredentials,
    InvalidRefreshToken,
    RefreshTokenReused,
    SignInThrottled,
)
from backend.identity.router import login
from backend.identity.schemas import Token

COOKIE = "houqin_refresh"
COOKIE_PATH = "/api/v1/auth/session"
CSRF_HEADER = "X-Houqin-CSRF"


class BrowserHeaderRequired(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = (
        f"Browser sessions need the {CSRF_HEADER} header. 浏览器会话请求须带 {CSRF_HEADER} 请求头。"
    )


class NoSession(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "You are not signed in on this browser. 您尚未在此浏览器登录。"


class AccessToken(BaseModel):
    """What the page keeps in memory; the refresh token stays in the cookie."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - OAuth2 field name
    expires_in: int


async def browser_only(
    csrf: Annotated[str | None, Header(alias=CSRF_HEADER, include_in_schema=False)] = None,
) -> None:
    if csrf != "1":
        raise BrowserHeaderRequired()


router = APIRouter(prefix="/auth/session", tags=["identity"], dependencies=[Depends(browser_only)])
RefreshCookie = Annotated[str | None, Cookie(alias=COOKIE, include_in_schema=False)]


def _keep(response: Response, request: Request, pair: Token, days: int) -> AccessToken:
    response.set_cookie(
        COOKIE,
        pair.refresh_token,
        max_age=days * 86400,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    response.headers["Cache-Control"] = "no-store"
    return AccessToken(access_token=pair.access_token, expires_in=pair.expires_in)


@router.post(
    "",
    responses=error_responses(BrowserHeaderRequired, InvalidCredentials, SignInThrottled),
)
async def sign_in(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    response: Response,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    clock: ClockDep,
) -> AccessToken:
    """Sign in from a browser: the same checks as POST /auth/token; the refresh token is
    set as an httpOnly cookie instead of being returned."""
    pair = await login(form, request, session, cache, settings, clock)
    return _keep(response, request, pair, settings.refresh_token_days)


@router.post(
    "/refresh",
    responses=error_responses(
        BrowserHeaderRequired, NoSession, InvalidRefreshToken, RefreshTokenReused
    ),
)
async def refresh(
    request: Request,
    response: Response,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    clock: ClockDep,
    cookie: RefreshCookie = None,
) -> AccessToken:
    """A fresh access token for the page (after a reload or when it expires); rotates the
    cookie. The page serialises refreshes across its tabs, so a reuse still means theft."""
    if not cookie:
        raise NoSession()
    pair = await tokens.rotate(
        session=session, cache=cache, settings=settings, token=cookie, now=clock.now()
    )
    await session.commit()
    return _keep(response, request, pair, settings.refresh_token_days)


@router.delete(
    "", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(BrowserHeaderRequired)
)
async def sign_out(
    response: Response,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    clock: ClockDep,
    cookie: RefreshCookie = None,
) -> None:
    """Sign out this browser: revoke its sign-in (every rotated token) and drop the cookie.
    Signing out twice is fine."""
    if cookie:
        with suppress(InvalidRefreshToken):  # already gone: the cookie goes all the same
            sign_in = await tokens.revoke(session=session, token=cookie, now=clock.now())
            await session.commit()
            await principals.revoke_sign_in(cache=cache, settings=settings, sid=sign_in)
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
