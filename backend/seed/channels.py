"""Demo messaging links (development only): the demo WeCom and Telegram users, from
``demo/identity.yml``."""

from typing import NamedTuple

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.models import AccountLink, Platform
from backend.identity.models import User
from backend.seed.data import field


class LinkSeed(NamedTuple):
    platform: Platform
    external_id: str  # WeCom UserID, Telegram user id
    username: str  # the student it acts as


DEMO_LINKS: list[LinkSeed] = field("identity.yml", "links", list[LinkSeed])


async def ensure_links(session: AsyncSession) -> int:
    added = 0
    for platform, external_id, username in DEMO_LINKS:
        taken = await session.exec(
            select(AccountLink.id).where(
                AccountLink.platform == platform, AccountLink.external_id == external_id
            )
        )
        user = (await session.exec(select(User).where(User.username == username))).first()
        if taken.first() is None and user is not None:
            session.add(AccountLink(user_id=user.id, platform=platform, external_id=external_id))
            added += 1
    await session.flush()
    return added
