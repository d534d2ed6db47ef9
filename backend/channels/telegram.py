"""Telegram bot: the webhook in, the Bot API out (python-telegram-bot, httpx underneath).

python-telegram-bot over aiogram: it is httpx-based like the rest of the backend (no
aiohttp), and its ``base_url`` takes the API root, so tests point it at a local fake.
``setWebhook`` is a command, never done at import or start-up:

    python -m backend.channels.telegram set-webhook https://houqin.example.edu/api/v1/channels/telegram/webhook
"""

import argparse
import asyncio
import hashlib
import hmac
import logging
import sys
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, status
from fastapi.responses import Response
from pydantic import ValidationError
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from backend.channels.exceptions import ChannelDisabled, InvalidSignature
from backend.channels.models import Platform
from backend.channels.pacing import Pace, Pacer
from backend.channels.service import TEXT_ONLY, Accounts
from backend.chat.models import Channel
from backend.chat.schemas import BotButton, BotMessage
from backend.core.cache import Cache
from backend.core.config import Settings
from backend.core.errors import error_responses
from backend.identity.models import User
from backend.notify.models import Notification
from backend.notify.senders import PermanentFailure, RetryLater

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/telegram")

TEXT_CHARS = 4096
CALLBACK_BYTES = 64  # callback_data: 1–64 bytes
LONG_PAYLOAD_DAYS = 30
# Bot API: about 30 messages a second overall, and one a second per chat.
OVERALL_PACE = Pace(limit=30, window_seconds=1, parts=4)
CHAT_PACE = Pace(limit=1, window_seconds=1, parts=1)
DISPATCH_MAX_WAIT = 0.0  # see wecom.py
SENT_MARK_SECONDS = 86400.0
ALLOWED_UPDATES = ["message", "callback_query"]
BUTTON_EXPIRED = (
    "这个按钮已失效，请直接输入你的回答。\nThis button has expired; please type your answer."
)


def make_bot(settings: Settings) -> Bot:
    request = HTTPXRequest(connection_pool_size=32, read_timeout=10.0, connect_timeout=5.0)
    return Bot(
        settings.channel_secret("telegram_bot_token"),
        base_url=f"{settings.telegram_api_url.rstrip('/')}/bot",
        request=request,
        get_updates_request=request,
    )


def _chunks(text: str) -> Iterator[str]:
    for start in range(0, len(text), TEXT_CHARS):
        yield text[start : start + TEXT_CHARS]


class TelegramApi:
    def __init__(self, *, bot: Bot, cache: Cache, pacer: Pacer) -> None:
        self.bot = bot
        self._cache = cache
        self._pacer = pacer

    async def start(self) -> None:
        await self.bot.request.initialize()  # the HTTP pool only: no getMe at start-up

    async def close(self) -> None:
        await self.bot.request.shutdown()

    async def callback_data(self, payload: str) -> str:
        """The payload itself when it fits Telegram's 64 bytes, else a key to it."""
        if len(payload.encode()) <= CALLBACK_BYTES:
            return payload
        digest = hashlib.sha256(payload.encode()).hexdigest()[:32]
        await self._cache.set(
            f"channels:tg:button:{digest}", payload, ttl_seconds=LONG_PAYLOAD_DAYS * 86400
        )
        return f"#{digest}"

    async def payload(self, data: str) -> str | None:
        if data.startswith("#"):
            return await self._cache.get(f"channels:tg:button:{data[1:]}")
        return data

    async def _keyboard(self, buttons: list[BotButton]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        rows = [
            [InlineKeyboardButton(b.title, callback_data=await self.callback_data(b.payload))]
            for b in buttons
        ]
        return InlineKeyboardMarkup(rows)

    async def send(
        self,
        *,
        chat_id: str,
        messages: list[BotMessage],
        max_wait: float,
        once: str | None = None,
    ) -> None:
        """Each message with its buttons as an inline keyboard (on its last piece), paced.

        ``once`` (a notice's dedupe key): pieces already sent are skipped when the dispatcher
        retries, and a queued place in the rate limit is kept for the retry.
        """
        for number, message in enumerate(messages):
            pieces = list(_chunks(message.text or "")) or ([""] if message.buttons else [])
            for index, piece in enumerate(pieces):
                mark = f"{once}:telegram:{number}:{index}" if once else None
                if mark and await self._cache.get(f"channels:sent:{mark}"):
                    continue
                last = index == len(pieces) - 1
                markup = await self._keyboard(message.buttons) if last else None
                await self._pacer.acquire(
                    f"telegram:{chat_id}",
                    CHAT_PACE,
                    max_wait=max_wait,
                    reservation=mark and f"{mark}:chat",
                )
                await self._pacer.acquire(
                    "telegram:all",
                    OVERALL_PACE,
                    max_wait=max_wait,
                    reservation=mark and f"{mark}:all",
                )
                await self._call(
                    self.bot.send_message(
                        chat_id=int(chat_id), text=piece or "…", reply_markup=markup
                    )
                )
                if mark:
                    await self._cache.set(
                        f"channels:sent:{mark}", "1", ttl_seconds=SENT_MARK_SECONDS
                    )

    async def answer_callback(self, callback_id: str) -> None:
        try:
            await self._call(self.bot.answer_callback_query(callback_id))
        except (RetryLater, PermanentFailure) as exc:
            logger.info("telegram: answerCallbackQuery failed: %s", exc)

    @staticmethod
    async def _call(request: Any) -> Any:
        try:
            return await request
        except RetryAfter as exc:
            wait = exc.retry_after  # a timedelta or int seconds, by PTB's deprecation setting
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RetryLater(f"Telegram flood control: {seconds:.0f} s", seconds) from exc
        except (Forbidden, BadRequest, InvalidToken) as exc:
            raise PermanentFailure(f"Telegram: {exc.message}") from exc
        except (NetworkError, TelegramError) as exc:
            raise RetryLater(f"Telegram: {exc.message}", 30) from exc


class TelegramSender:
    """The notification dispatcher's way out to Telegram: buttons as an inline keyboard."""

    channel = Channel.telegram

    def __init__(self, *, api: TelegramApi, accounts: Accounts) -> None:
        self._api = api
        self._accounts = accounts

    async def send(
        self, *, notification: Notification, messages: list[BotMessage], user: User
    ) -> None:
        chat_id = await self._accounts(user.id, Platform.telegram)
        if chat_id is None:
            raise PermanentFailure("no Telegram account is linked to this student")
        await self._api.send(
            chat_id=chat_id,
            messages=messages,
            max_wait=DISPATCH_MAX_WAIT,
            once=notification.dedupe_key,
        )


def parse(update: Update) -> tuple[str, str, str | None, str | None] | None:
    """(user id, text, button title, callback query id) of an update worth answering.

    Only private chats: in a group the answer would show a student's data to everyone.
    """
    if update.message is not None:
        message = update.message
        if message.chat.type != "private" or message.from_user is None:
            return None
        return str(message.from_user.id), message.text or "", None, None
    query = update.callback_query
    if query is not None and query.data is not None:
        title = None
        markup = getattr(query.message, "reply_markup", None)
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                if button.callback_data == query.data:
                    title = button.text
        return str(query.from_user.id), query.data, title, query.id
    return None


@router.post(
    "/webhook",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(ChannelDisabled, InvalidSignature),
)
async def webhook(
    request: Request,
    secret: Annotated[
        str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token", max_length=256)
    ] = None,
) -> Response:
    """An update from Telegram (only with the webhook's secret token); answered at once,
    the reply follows through the Bot API."""
    channels = request.app.state.channels
    api: TelegramApi | None = channels.telegram_api
    if api is None:
        raise ChannelDisabled()
    expected = channels.settings.channel_secret("telegram_secret_token")
    if secret is None or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise InvalidSignature()
    try:
        body = await request.json()
        update = Update.de_json(body, api.bot)
    except (ValueError, TypeError, KeyError, ValidationError):
        return Response(status_code=status.HTTP_204_NO_CONTENT)  # nothing we can use
    taken = parse(update) if update is not None else None
    if taken is not None:
        user, text, title, callback_id = taken
        notice = None if text else TEXT_ONLY
        if callback_id is not None:
            payload = await api.payload(text)
            text, notice = (payload, None) if payload else ("", BUTTON_EXPIRED)
        first = await channels.take(
            platform=Platform.telegram,
            message_key=f"update:{update.update_id}",
            external_id=user,
            text=text,
            title=title,
            notice=notice,
        )
        if first and callback_id is not None:  # stops the button's spinner
            channels.spawn(f"tg-callback:{callback_id}", api.answer_callback(callback_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


async def set_webhook(url: str) -> None:
    settings = Settings()
    if not settings.telegram_enabled:
        sys.exit("set-webhook: HOUQIN_TELEGRAM_BOT_TOKEN and _SECRET_TOKEN are not set")
    bot = make_bot(settings)
    async with bot.request:
        ok = await bot.set_webhook(
            url,
            secret_token=settings.channel_secret("telegram_secret_token"),
            allowed_updates=ALLOWED_UPDATES,
        )
    print(f"set-webhook: {'ok' if ok else 'refused'}: {url}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m backend.channels.telegram")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("set-webhook", help="point the bot's webhook at this URL")
    command.add_argument("url", help="https://…/api/v1/channels/telegram/webhook")
    args = parser.parse_args()
    asyncio.run(set_webhook(args.url))


if __name__ == "__main__":
    main()
