"""The channels' share of the app: platform clients, background answers, the chat path.

Platforms want an answer to their webhook within seconds (WeCom retries after 5 s), and
the bot can take longer: a webhook takes the message once, answers at once, and the reply
goes out in a background task. Tasks for the same platform account run one after another,
so answers arrive in the order the messages did.
"""

import asyncio
import logging
import re
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, cast

from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels import service
from backend.channels.models import Platform
from backend.channels.pacing import Pacer
from backend.channels.service import Answer, plain
from backend.channels.telegram import TelegramApi, TelegramSender, make_bot
from backend.channels.wecom import WeComApi, WeComCallback, WeComSender, render
from backend.chat.exceptions import BotUnavailable
from backend.chat.language import reply_language
from backend.chat.models import Channel
from backend.chat.pipeline import ChatState, converse
from backend.core.config import Settings
from backend.core.ratelimit import RateLimited
from backend.identity.models import User
from backend.notify.senders import PermanentFailure, RetryLater, Sender

logger = logging.getLogger("backend.channels")
DRAIN_SECONDS = 10.0
# A reply to a message may wait this long for the platform's rate limit.
REPLY_MAX_WAIT = 120.0
BOT_DOWN = (
    "助手暂时没有响应，请稍后再试。\n"
    "The assistant is not answering right now; try again in a minute."
)
SLOW_DOWN = "消息太多了，请稍等一分钟。\nToo many messages; wait a minute and try again."


class _Redact(logging.Filter):
    """HTTP client logs name the URL: never let a platform credential into a log line."""

    SECRET = re.compile(r"((?:access_token|corpsecret)=)[^&\s\"']+|(/bot)\d+:[A-Za-z0-9_-]+")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.SECRET.sub(lambda m: f"{m.group(1) or m.group(2)}***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


for _name in ("httpx", "telegram"):
    logging.getLogger(_name).addFilter(_Redact())


@dataclass
class _Queue:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0


class Channels:
    def __init__(self, app: FastAPI, settings: Settings) -> None:
        state = app.state
        self.app = app
        self.settings = settings
        self.pacer = Pacer(state.cache, scale=settings.channel_pace_scale)
        self.wecom_callback: WeComCallback | None = None
        self.wecom_api: WeComApi | None = None
        self.telegram_api: TelegramApi | None = None
        if settings.wecom_enabled:
            self.wecom_callback = WeComCallback(
                token=settings.channel_secret("wecom_token"),
                aes_key=settings.channel_secret("wecom_aes_key"),
                corp_id=str(settings.wecom_corp_id),
            )
            self.wecom_api = WeComApi(
                http=state.http, cache=state.cache, settings=settings, pacer=self.pacer
            )
        if settings.telegram_enabled:
            self.telegram_api = TelegramApi(
                bot=make_bot(settings), cache=state.cache, pacer=self.pacer
            )
        self._tasks: set[asyncio.Task[None]] = set()
        self._queues: dict[str, _Queue] = {}

    def sessions(self) -> AbstractAsyncContextManager[AsyncSession]:
        """A session of the chat state (tests put theirs there after start-up)."""
        return cast(ChatState, self.app.state.chat).sessions()

    async def start(self) -> None:
        for name, on, variables in (
            ("WeCom", self.wecom_api is not None, "HOUQIN_WECOM_*"),
            ("Telegram", self.telegram_api is not None, "HOUQIN_TELEGRAM_*"),
        ):
            if on:
                logger.info("channels: %s is on", name)
            else:
                logger.warning("channels: %s is off (%s not set)", name, variables)
        if self.telegram_api is not None:
            await self.telegram_api.start()

    async def close(self) -> None:
        await self.drain(timeout=DRAIN_SECONDS)
        for task in list(self._tasks):
            task.cancel()
        if self.telegram_api is not None:
            await self.telegram_api.close()

    def spawn(self, key: str, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in the background, after earlier work with the same key."""
        queue = self._queues.setdefault(key, _Queue())
        queue.pending += 1

        async def run() -> None:
            try:
                async with queue.lock:
                    await work
            except Exception:
                logger.exception("channels: background work for %s failed", key.split(":")[0])
            finally:
                queue.pending -= 1
                if not queue.pending:
                    self._queues.pop(key, None)

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait for the background answers in flight (shutdown, tests)."""
        while self._tasks:
            done, _ = await asyncio.wait(set(self._tasks), timeout=timeout)
            if not done:
                return

    async def take(
        self,
        *,
        platform: Platform,
        message_key: str,
        external_id: str,
        text: str,
        title: str | None,
        notice: str | None,
    ) -> bool:
        """Take a platform message once (retries are dropped: False) and answer it in the
        background.

        ``notice`` answers a linked account instead of the bot (a photo, an expired button).
        """
        async with self.sessions() as session:
            try:
                first = await service.take_once(
                    session=session,
                    platform=platform,
                    message_key=message_key,
                    now=self.app.state.clock.now(),
                )
                await session.commit()
            except IntegrityError:  # a simultaneous copy took it
                await session.rollback()
                first = False
        if first:
            self.spawn(
                f"{platform.value}:{external_id}",
                self._answer(platform, external_id, text=text, title=title, notice=notice),
            )
        return first

    async def _answer(
        self,
        platform: Platform,
        external_id: str,
        *,
        text: str,
        title: str | None,
        notice: str | None,
    ) -> None:
        answer = await self.answer(
            platform=platform, external_id=external_id, text=text, title=title, notice=notice
        )
        if answer is None:
            return
        try:
            if platform == Platform.wecom and self.wecom_api is not None:
                bodies = render(answer.messages, answer.language)
                await self.wecom_api.send(user=external_id, bodies=bodies, max_wait=REPLY_MAX_WAIT)
            elif platform == Platform.telegram and self.telegram_api is not None:
                await self.telegram_api.send(
                    chat_id=external_id, messages=answer.messages, max_wait=REPLY_MAX_WAIT
                )
        except (RetryLater, PermanentFailure) as exc:
            logger.warning("channels: %s answer not delivered: %s", platform.value, exc)

    async def answer(
        self,
        *,
        platform: Platform,
        external_id: str,
        text: str,
        title: str | None = None,
        notice: str | None = None,
    ) -> Answer | None:
        """What a platform account hears back: the bot for a linked student; for anyone
        else, linking or the hint — never the bot."""
        async with self.sessions() as session:
            student = await service.linked_student(
                session=session, platform=platform, external_id=external_id
            )
            if student is None:
                answer = await service.try_link(
                    session=session,
                    cache=self.app.state.cache,
                    platform=platform,
                    external_id=external_id,
                    text=text,
                    key=self.settings.secret("jwt_secret"),
                    now=self.app.state.clock.now(),
                )
                await session.commit()
                return answer
        if notice is not None:
            return plain(notice, student.locale)
        return await self.converse(
            student=student,
            sign_in=service.sign_in(platform, external_id),
            text=text,
            channel=Channel(platform.value),
            title=title,
        )

    async def converse(
        self,
        *,
        student: User,
        sign_in: str,
        text: str,
        channel: Channel,
        title: str | None = None,
    ) -> Answer:
        """The channels' one way into the shared chat pipeline, as ``student``: the bot's
        replies, or a bilingual word when it is down or the student is going too fast."""
        language = reply_language(text, student.locale)
        try:
            turn = await converse(
                state=self.app.state.chat,
                student=student,
                sign_in=sign_in,
                text=text,
                channel=channel,
                title=title,
            )
        except BotUnavailable:
            return plain(BOT_DOWN, language)
        except RateLimited:
            return plain(SLOW_DOWN, language)
        return Answer(messages=turn.replies, language=turn.language)

    async def account(self, user_id: int, platform: Platform) -> str | None:
        async with self.sessions() as session:
            return await service.external_id(session=session, user_id=user_id, platform=platform)

    def senders(self) -> list[Sender]:
        """The notification dispatcher's senders for the platforms configured here."""
        found: list[Sender] = []
        if self.wecom_api is not None:
            found.append(WeComSender(api=self.wecom_api, accounts=self.account))
        if self.telegram_api is not None:
            found.append(TelegramSender(api=self.telegram_api, accounts=self.account))
        return found
