"""Access tokens (JWT, short-lived) and refresh tokens (opaque, rotated, stored hashed)."""

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.security import create_token
from backend.core.types import utcnow
from backend.identity.exceptions import InvalidRefreshToken, RefreshTokenReused
from backend.identity.models import RefreshToken, User
from backend.identity.schemas import Token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(
    *, session: AsyncSession, settings: Settings, user: User, family: str | None = None
) -> Token:
    """A new access token and refresh token (adds the refresh token; caller commits)."""
    lifetime = timedelta(minutes=settings.access_token_minutes)
    access = create_token(
        secret=settings.secret("jwt_secret"),
        subject=user.id,
        kind="access",
        lifetime=lifetime,
        role=user.role.value,
    )
    refresh = secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            token_hash=_digest(refresh),
            family=family or uuid.uuid4().hex,
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=settings.refresh_token_days),
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


async def _revoke_family(session: AsyncSession, family: str) -> None:
    now = utcnow()
    for token in await session.exec(select(RefreshToken).where(RefreshToken.family == family)):
        token.revoked_at = token.revoked_at or now
        session.add(token)


async def rotate(*, session: AsyncSession, settings: Settings, token: str) -> Token:
    stored = await _find(session, token)
    if stored.used_at is not None:
        await _revoke_family(session, stored.family)
        await session.commit()
        raise RefreshTokenReused()
    user = await session.get(User, stored.user_id)
    if stored.revoked_at or stored.expires_at <= utcnow() or user is None or not user.is_active:
        raise InvalidRefreshToken()
    stored.used_at = utcnow()
    session.add(stored)
    pair = await issue(session=session, settings=settings, user=user, family=stored.family)
    await session.commit()
    return pair


async def revoke(*, session: AsyncSession, token: str) -> None:
    """Sign out: the token and every token rotated from the same sign-in stop working."""
    stored = await _find(session, token)
    await _revoke_family(session, stored.family)
    await session.commit()
