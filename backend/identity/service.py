from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.security import verify_password
from backend.identity.exceptions import InvalidCredentials
from backend.identity.models import User


async def get_by_username(*, session: AsyncSession, username: str) -> User | None:
    result = await session.exec(select(User).where(User.username == username))
    return result.first()


async def authenticate(*, session: AsyncSession, username: str, password: str) -> User:
    user = await get_by_username(session=session, username=username.strip())
    if not verify_password(password, user.password_hash if user else None):
        raise InvalidCredentials()
    assert user is not None
    if not user.is_active:
        raise InvalidCredentials("This account is disabled; contact the logistics office.")
    return user
