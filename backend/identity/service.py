from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.security import verify_password
from backend.identity.exceptions import AccountLocked, InvalidCredentials
from backend.identity.models import User
from backend.identity.schemas import MeUpdate

# Failed sign-ins per login name before it is locked, and for how long.
MAX_FAILED_LOGINS = 5
LOCKOUT_SECONDS = 15 * 60


async def get_by_username(*, session: AsyncSession, username: str) -> User | None:
    result = await session.exec(select(User).where(User.username == username))
    return result.first()


async def authenticate(
    *, session: AsyncSession, cache: Cache, username: str, password: str
) -> User:
    """Check the password; lock the login name after repeated failures.

    Unknown and known names behave the same (same error, same lockout, same hashing cost),
    so the answers do not reveal which accounts exist.
    """
    name = username.strip().lower()
    failures_key = f"login-failures:{name}"
    failures = int(await cache.get(failures_key) or 0)
    if failures >= MAX_FAILED_LOGINS:
        raise AccountLocked(await cache.ttl(failures_key) or LOCKOUT_SECONDS)
    user = await get_by_username(session=session, username=username.strip())
    if not verify_password(password, user.password_hash if user else None):
        failures = await cache.incr(failures_key, ttl_seconds=LOCKOUT_SECONDS)
        if failures >= MAX_FAILED_LOGINS:
            raise AccountLocked(LOCKOUT_SECONDS)
        raise InvalidCredentials()
    assert user is not None
    if not user.is_active:
        raise InvalidCredentials("This account is disabled; contact the logistics office.")
    await cache.delete(failures_key)
    return user


async def update_me(*, session: AsyncSession, user: User, changes: MeUpdate) -> User:
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    session.add(user)
    await session.commit()
    await session.refresh(user)
    return user
