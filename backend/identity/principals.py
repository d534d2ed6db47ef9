"""Who is signed in, without a database trip on the hot path.

Every token carries ``sub`` (the user), ``role`` and ``sid`` (its sign-in: the refresh-token
family; a delegation token carries the sid of the sign-in that minted it). Two short-lived
entries in the app's cache stand in for the database:

- ``principal:user:<id>`` — the user's row as JSON, ``principal_cache_seconds``;
  ``forget_user`` deletes it the moment a change to the user (role, status, password,
  profile) is committed through the API;
- ``principal:sid:<sid>`` — ``live`` for ``principal_cache_seconds``, or ``revoked`` for as
  long as an access token can live; ``revoke_sign_in`` writes ``revoked`` when a sign-in
  ends (logout, refresh-token reuse), and a loader only ever *adds* ``live`` (set if
  missing), so it can never overwrite a revocation it raced with.

A miss reads the database (the user row; whether the sign-in was revoked) and fills the
entry. So the API's own changes take effect on the next request, and a change behind its
back (SQL, a script, or a second worker's in-process cache) within a few seconds.

Parsing is memoised per process: a verified token's claims until it expires, and the
``User`` object per cached JSON text. That ``User`` is shared by concurrent requests and is
read-only: to change the user, ``session.merge(user, load=False)`` and change the copy.
"""

import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import jwt
from sqlalchemy import exists, select
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.config import Settings
from backend.core.security import decode_token
from backend.identity.models import RefreshToken, User

LIVE, REVOKED = "live", "revoked"
MEMO_SIZE = 10_000


def user_key(user_id: int) -> str:
    return f"principal:user:{user_id}"


def sign_in_key(sid: str) -> str:
    return f"principal:sid:{sid}"


class _Memo(OrderedDict[str, Any]):
    """A bounded least-recently-used map."""

    def remember(self, key: str, value: Any) -> None:
        self[key] = value
        if len(self) > MEMO_SIZE:
            self.popitem(last=False)

    def recall(self, key: str) -> Any:
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value


_claims = _Memo()  # token → (claims, expires at, epoch seconds)
_users = _Memo()  # cached JSON text → User


def verified_claims(token: str, *, secret: str) -> dict[str, Any]:
    """The claims of a valid token (shared: do not change them); raises
    ``jwt.InvalidTokenError`` otherwise. Each token's signature is checked once per
    process, its expiry on every use."""
    hit = _claims.recall(token)
    if hit is None or hit[2] != secret:
        decoded = decode_token(token, secret=secret)
        if "sid" not in decoded:
            raise jwt.MissingRequiredClaimError("sid")
        hit = (decoded, float(decoded["exp"]), secret)
        _claims.remember(token, hit)
    if hit[1] <= time.time():
        raise jwt.ExpiredSignatureError("Signature has expired")
    claims: dict[str, Any] = hit[0]
    return claims


def user_from(text: str) -> User:
    """The (shared, read-only) User of a cached row."""
    user: User | None = _users.recall(text)
    if user is None:
        # model_validate (not _json): SQLModel converts enums and datetimes only on this path
        user = User.model_validate(json.loads(text))
        make_transient_to_detached(user)  # as if loaded: no INSERT if a session adds it
        _users.remember(text, user)
    return user


@dataclass(frozen=True)
class Resolved:
    user: User | None  # None: no such user
    revoked: bool  # the sign-in ended


async def resolve(
    *, cache: Cache, session: AsyncSession, settings: Settings, user_id: int, sid: str
) -> Resolved:
    """The user and whether their sign-in is still on: from the cache, else the database."""
    ttl = settings.principal_cache_seconds
    user_text, sign_in = await cache.get_many(user_key(user_id), sign_in_key(sid))
    if sign_in == REVOKED:
        return Resolved(user=None, revoked=True)
    if sign_in is None:
        revoked = await session.scalar(
            select(
                exists().where(
                    col(RefreshToken.family) == sid, col(RefreshToken.revoked_at).is_not(None)
                )
            )
        )
        if revoked:
            await revoke_sign_in(cache=cache, settings=settings, sid=sid)
            return Resolved(user=None, revoked=True)
        await cache.add(sign_in_key(sid), LIVE, ttl_seconds=ttl)
    if user_text is None:
        row = await session.get(User, user_id)
        if row is None:
            return Resolved(user=None, revoked=False)
        user_text = row.model_dump_json()
        await cache.set(user_key(user_id), user_text, ttl_seconds=ttl)
    return Resolved(user=user_from(user_text), revoked=False)


def viewer_key(user: User) -> str:
    """Who asks, as far as an answer that depends on it can tell (core.ready): the user,
    their role and their team; a change to either is another viewer."""
    return f"{user.id}.{user.role.value}.{user.team_id}"


async def cached_viewer(cache: Cache, settings: Settings, token: str) -> str | None:
    """The viewer key of ``token``'s user if the cache alone proves it an unrevoked access
    token of an active user (None also means "don't know": ask ``resolve``)."""
    try:
        claims = verified_claims(token, secret=settings.secret("jwt_secret"))
        user_id, sid = int(claims["sub"]), str(claims["sid"])
    except (jwt.InvalidTokenError, ValueError):
        return None
    if claims["typ"] != "access":
        return None
    user_text, sign_in = await cache.get_many(user_key(user_id), sign_in_key(sid))
    if sign_in != LIVE or user_text is None:
        return None
    user = user_from(user_text)
    return viewer_key(user) if user.is_active else None


async def forget_user(*, cache: Cache, user_id: int) -> None:
    """Call after committing any change to a user: the next request reads the row again."""
    await cache.delete(user_key(user_id))


async def revoke_sign_in(*, cache: Cache, settings: Settings, sid: str) -> None:
    """Call after committing a sign-in's revocation: its tokens stop working at once."""
    lifetime = max(settings.access_token_minutes, settings.delegation_token_minutes) * 60
    await cache.set(sign_in_key(sid), REVOKED, ttl_seconds=lifetime + 60)
