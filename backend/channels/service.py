"""Links between platform accounts and students, one-time link codes, and the one path every
inbound platform message takes: taken once, then either linking or the chat pipeline."""

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.exceptions import LinkNotFound
from backend.channels.models import AccountLink, InboundMessage, LinkCode, Platform
from backend.chat.schemas import BotMessage
from backend.core.cache import Cache
from backend.core.ratelimit import Limit, RateLimited, hit
from backend.identity.models import Locale, Role, User

# The platform account linked to a student, if any: (user id, platform) → external id.
Accounts = Callable[[int, Platform], Awaitable[str | None]]
CODE_DIGITS = 6
CODE_LIFETIME = timedelta(minutes=10)
# Guessing codes from an unlinked account: a few tries per account, then a pause.
LINK_ATTEMPTS = Limit(requests=5, per_seconds=600)
# An unlinked account that keeps talking hears the hint once a minute, not every time.
HINTS = Limit(requests=1, per_seconds=60)
INBOUND_KEEP = timedelta(days=1)
_CODE_MESSAGE = re.compile(
    rf"^\s*(?:(?:link|bind|绑定|綁定)\s*[:：]?\s*)?(\d{{{CODE_DIGITS}}})\s*$", re.IGNORECASE
)

LINK_FIRST = (
    "请先绑定校园账号：在后勤 App「设置 → 已绑定账号」获取 6 位绑定码，"
    "然后在这里发送「绑定 123456」。\n"
    "Link your campus account first: get a 6-digit code in the Houqin app "
    "(Settings → Linked accounts) and send it here as “link 123456”."
)
CODE_REJECTED = (
    "这个绑定码不对或已过期，请在后勤 App 重新获取。\n"
    "That code is wrong or has expired; get a new one in the Houqin app."
)
TOO_MANY_TRIES = "尝试次数太多，请 10 分钟后再试。\nToo many tries; wait 10 minutes and try again."
TEXT_ONLY = "目前只能读文字消息。\nI can only read text messages for now."


def instructions(code: str) -> str:
    return (
        f"在企业微信或 Telegram 里给后勤助手发送「绑定 {code}」，10 分钟内有效，仅可使用一次。\n"
        f"Send “link {code}” to Houqin in WeCom or Telegram within 10 minutes; "
        "the code works once."
    )


def linked_text(platform: Platform, username: str) -> str:
    names = {Platform.wecom: ("企业微信", "WeCom"), Platform.telegram: ("Telegram", "Telegram")}
    zh, en = names[platform]
    return (
        f"已绑定：这个{zh}账号现在以 {username} 的身份使用后勤助手。"
        "可随时在 App「设置 → 已绑定账号」解除绑定。\n"
        f"Linked: this {en} account now talks to Houqin as {username}. "
        "Unlink it any time in Settings → Linked accounts."
    )


def _code_hash(code: str, *, key: str) -> str:
    """Keyed: six digits are trivial to brute-force from a plain hash of a leaked table."""
    return hmac.new(key.encode(), f"link-code:{code}".encode(), hashlib.sha256).hexdigest()


async def create_link_code(
    *, session: AsyncSession, user_id: int, key: str, now: datetime
) -> tuple[str, LinkCode]:
    """A fresh code for the student; any earlier unused one stops working."""
    await session.exec(
        delete(LinkCode).where(
            (col(LinkCode.user_id) == user_id) | (col(LinkCode.expires_at) < now)
        )
    )
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        code_hash = _code_hash(code, key=key)
        taken = await session.exec(select(LinkCode.id).where(LinkCode.code_hash == code_hash))
        if taken.first() is None:
            break
    link_code = LinkCode(user_id=user_id, code_hash=code_hash, expires_at=now + CODE_LIFETIME)
    session.add(link_code)
    await session.flush()
    return code, link_code


async def links(*, session: AsyncSession, user_id: int) -> list[AccountLink]:
    query = select(AccountLink).where(AccountLink.user_id == user_id)
    return list((await session.exec(query.order_by(col(AccountLink.platform)))).all())


async def unlink(*, session: AsyncSession, user_id: int, platform: Platform) -> str:
    """Remove the link; the link's sign-in, for the caller to revoke after committing."""
    query = select(AccountLink).where(
        AccountLink.user_id == user_id, AccountLink.platform == platform
    )
    link = (await session.exec(query)).first()
    if link is None:
        raise LinkNotFound()
    await session.delete(link)
    await session.flush()
    return sign_in(platform, link.external_id)


async def linked_student(
    *, session: AsyncSession, platform: Platform, external_id: str
) -> User | None:
    query = (
        select(User)
        .join(AccountLink, col(AccountLink.user_id) == col(User.id))
        .where(AccountLink.platform == platform, AccountLink.external_id == external_id)
    )
    user = (await session.exec(query)).first()
    return user if user is not None and user.is_active and user.role == Role.student else None


def sign_in(platform: Platform, external_id: str) -> str:
    """The sign-in a linked platform account speaks through (the bot's delegation carries
    it); unlinking revokes it."""
    return f"channel:{platform.value}:{external_id}"


async def external_id(*, session: AsyncSession, user_id: int, platform: Platform) -> str | None:
    query = select(AccountLink.external_id).where(
        AccountLink.user_id == user_id, AccountLink.platform == platform
    )
    return (await session.exec(query)).first()


async def redeem(
    *,
    session: AsyncSession,
    platform: Platform,
    external_id: str,
    code: str,
    key: str,
    now: datetime,
) -> User | None:
    """Link the platform account to the code's student (replacing that student's earlier
    account on this platform); None when the code is unknown, used or expired."""
    query = select(LinkCode).where(
        LinkCode.code_hash == _code_hash(code, key=key),
        col(LinkCode.used_at).is_(None),
        col(LinkCode.expires_at) > now,
    )
    link_code = (await session.exec(query)).first()
    if link_code is None:
        return None
    student = await session.get(User, link_code.user_id)
    if student is None or not student.is_active:
        return None
    link_code.used_at = now
    await session.exec(
        delete(AccountLink).where(
            col(AccountLink.user_id) == student.id, col(AccountLink.platform) == platform
        )
    )
    session.add(AccountLink(user_id=student.id, platform=platform, external_id=external_id))
    await session.flush()
    return student


async def take_once(
    *, session: AsyncSession, platform: Platform, message_key: str, now: datetime
) -> bool:
    """True the first time a platform message is seen; False for the platform's retries.

    Two copies arriving at the same moment both pass the check: the second one's flush or
    commit raises IntegrityError (unique key), which the caller treats as False.
    """
    await session.exec(
        delete(InboundMessage).where(col(InboundMessage.received_at) < now - INBOUND_KEEP)
    )
    seen = await session.exec(
        select(InboundMessage.id).where(
            InboundMessage.platform == platform, InboundMessage.message_key == message_key
        )
    )
    if seen.first() is not None:
        return False
    session.add(InboundMessage(platform=platform, message_key=message_key, received_at=now))
    await session.flush()
    return True


@dataclass(frozen=True)
class Answer:
    """What to send back to the platform account, in this language."""

    messages: list[BotMessage]
    language: Locale


def plain(text: str, language: Locale = Locale.zh) -> Answer:
    return Answer(messages=[BotMessage(text=text)], language=language)


def code_in(text: str) -> str | None:
    match = _CODE_MESSAGE.match(text)
    return match.group(1) if match else None


async def try_link(
    *,
    session: AsyncSession,
    cache: Cache,
    platform: Platform,
    external_id: str,
    text: str,
    key: str,
    now: datetime,
) -> Answer | None:
    """An unlinked account's message: a link code links it; anything else gets the hint
    (None: it had one a moment ago). Nothing else is ever said to an unlinked account."""
    code = code_in(text)
    if code is None:
        try:
            await hit(cache, f"channels:hint:{platform.value}:{external_id}", HINTS)
        except RateLimited:
            return None
        return plain(LINK_FIRST)
    try:
        await hit(cache, f"channels:link:{platform.value}:{external_id}", LINK_ATTEMPTS)
    except RateLimited:
        return plain(TOO_MANY_TRIES)
    student = await redeem(
        session=session, platform=platform, external_id=external_id, code=code, key=key, now=now
    )
    if student is None:
        return plain(CODE_REJECTED)
    return plain(linked_text(platform, student.username), student.locale)
