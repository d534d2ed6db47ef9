"""Password hashing (argon2) and JWTs.

Two kinds of token:
- access: a signed-in user (student or staff), from the password flow;
- delegation: minted by the chat route for one student and handed to the bot in the
  message metadata. The backend accepts it only together with the bot's own secret, so the
  bot acts for exactly that student, for a few minutes, and can do no more than they can.
"""

import hmac
import uuid
from datetime import timedelta
from typing import Any, Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from backend.core.types import utcnow

ALGORITHM = "HS256"
BOT_SUBJECT = "houqin-bot"
TokenKind = Literal["access", "delegation"]

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both paths cost one argon2 hash.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """``password_hash`` None (unknown user) still costs one hash: timing hides who exists."""
    try:
        _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def create_token(
    *,
    secret: str,
    subject: int,
    kind: TokenKind,
    lifetime: timedelta,
    sid: str | None = None,
    **claims: Any,
) -> str:
    """``sid``: the sign-in the token belongs to (revoking it stops the token); a fresh one
    if not given."""
    now = utcnow()
    payload = {
        "sub": str(subject),
        "typ": kind,
        "sid": sid or uuid.uuid4().hex,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    if kind == "delegation":
        payload["act"] = {"sub": BOT_SUBJECT}
    return jwt.encode(payload, secret, algorithm=ALGORITHM)


def decode_token(token: str, *, secret: str) -> dict[str, Any]:
    """Raise ``jwt.InvalidTokenError`` unless the token is ours, intact and unexpired."""
    claims: dict[str, Any] = jwt.decode(
        token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "typ", "exp"]}
    )
    return claims


def same_secret(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())
