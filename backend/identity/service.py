from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.security import verify_password
from backend.identity.exceptions import InvalidCredentials, SignInThrottled
from backend.identity.models import User
from backend.identity.schemas import MeUpdate

# Failed sign-ins are counted per login name AND client address. The first few are free;
# after that each failure makes that address wait twice as long before it may try that
# name again (2 s, 4 s, 8 s … at most 15 minutes). The owner, from their own phone or
# laptop, is never locked out by someone guessing elsewhere (a lock per name would let
# anyone lock any student out: student numbers are sequential). One address guessing many
# names is held by the per-address limit of the login route. See docs/security.md.
FREE_FAILURES = 5
MAX_DELAY_SECONDS = 15 * 60
FAILURE_MEMORY_SECONDS = 24 * 3600  # a pair's count is forgotten a day after its last failure


def failures_key(name: str, address: str) -> str:
    return f"login-failures:{name}:{address}"


def wait_key(name: str, address: str) -> str:
    return f"login-wait:{name}:{address}"


def delay_after(failures: int) -> int:
    """Seconds an address waits after its ``failures``-th failure for one name."""
    if failures <= FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES), MAX_DELAY_SECONDS)


async def get_by_username(*, session: AsyncSession, username: str) -> User | None:
    result = await session.exec(select(User).where(User.username == username))
    return result.first()


async def authenticate(
    *, session: AsyncSession, cache: Cache, username: str, password: str, address: str
) -> User:
    """Check the password; slow down an address that keeps failing for one name.

    Unknown and known names behave the same (same error, same delays, same hashing cost),
    so the answers do not reveal which accounts exist.
    """
    name = username.strip().lower()
    waiting = await cache.ttl(wait_key(name, address))
    if waiting:
        raise SignInThrottled(waiting)
    user = await get_by_username(session=session, username=username.strip())
    if not verify_password(password, user.password_hash if user else None):
        failures = await cache.incr(failures_key(name, address), ttl_seconds=FAILURE_MEMORY_SECONDS)
        if delay := delay_after(failures):
            await cache.set(wait_key(name, address), "1", ttl_seconds=delay)
        raise InvalidCredentials()
    assert user is not None
    if not user.is_active:
        raise InvalidCredentials("This account is disabled; contact the logistics office.")
    await cache.delete(failures_key(name, address))
    return user


async def update_me(*, session: AsyncSession, user: User, changes: MeUpdate) -> User:
    """The changed user (adds and flushes). After committing, the caller makes the
    principal cache forget the user (``principals.forget_user``)."""
    user = await session.merge(user, load=False)  # the principal's User is shared: copy it
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    session.add(user)
    await session.flush()
    return user
