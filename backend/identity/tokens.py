"""Access tokens (JWT, short-lived) and refresh tokens (opaque, rotated, stored hashed)."""

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.config import Settings
from backend.core.security import create_token
from backend.identity import principals
from backend.identity.exceptions import InvalidRefreshToken, RefreshTokenReused
from backend.identity.models import RefreshToken, User
from backend.identity.schemas import Token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(
    *,
    session: AsyncSession,
    settings: Settings,
    user: User,
    now: datetime,
    family: str | None = None,
) -> Token:
    """A new access token and refresh token (adds the refresh token; caller commits)."""
    lifetime = timedelta(minutes=settings.access_token_minutes)
    family = family or uuid.uuid4().hex
    access = create_token(
        secret=settings.secret("jwt_secret"),
        subject=user.id,
        kind="access",
        lifetime=lifetime,
        sid=family,  # the sign-in: revoking the family stops this token too
        role=user.role.value,
    )
    refresh = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            token_hash=_digest(refresh),
            family=family,
            user_id=user.id,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    return Token(
        access_token=access,
        refresh_token=refresh,
        expires_in=int(lifetime.total_seconds()),
    )


async def _find(session: AsyncSession, token: str) -> RefreshToken:
    query = select(RefreshToken).where(RefreshToken.token_hash == _digest(token))
    stored = (await session.exec(query)).first()
    if stored is None:
        raise InvalidRefreshToken()
    return stored


async def _revoke_family(session: AsyncSession, family: str, now: datetime) -> None:
    for token in await session.exec(select(RefreshToken).where(RefreshToken.family == family)):
        token.revoked_at = token.revoked_at or now
        session.add(token)


async def rotate(
    *, session: AsyncSession, cache: Cache, settings: Settings, token: str, now: datetime
) -> Token:
    """A new pair for a refresh token (adds; the caller commits). A token presented twice
    means theft: the sign-in is revoked and RefreshTokenReused raised. The one commit of a
    service: the revocation must last although the request fails, and the revoked sign-in
    is cached only after it is committed."""
    stored = await _find(session, token)
    if stored.used_at is not None:
        await _revoke_family(session, stored.family, now)
        await session.commit()
        await principals.revoke_sign_in(cache=cache, settings=settings, sid=stored.family)
        raise RefreshTokenReused()
    user = await session.get(User, stored.user_id)
    if stored.revoked_at or stored.expires_at <= now or user is None or not user.is_active:
        raise InvalidRefreshToken()
    stored.used_at = now
    session.add(stored)
    return await issue(session=session, settings=settings, user=user, now=now, family=stored.family)


async def revoke(*, session: AsyncSession, token: str, now: datetime) -> str:
    """Sign out: the token and every token rotated from the same sign-in (adds and
    flushes). Returns the sign-in: after committing, the caller passes it to
    ``principals.revoke_sign_in`` so that its access tokens stop working too."""
    stored = await _find(session, token)
    await _revoke_family(session, stored.family, now)
    await session.flush()
    return stored.family
