"""Outbound channels beyond the campus app (WeCom, Telegram) plug in here."""

from typing import Protocol

from backend.chat.models import Channel
from backend.chat.schemas import BotMessage
from backend.identity.models import User
from backend.notify.models import Notification


class RetryLater(Exception):
    """The platform is busy or down; try again after ``seconds`` (None: the usual backoff)."""

    def __init__(self, error: str, seconds: float | None = None) -> None:
        super().__init__(error)
        self.seconds = seconds


class PermanentFailure(Exception):
    """The platform refused for good (blocked bot, unknown user): the delivery fails."""


class Sender(Protocol):
    channel: Channel

    async def send(
        self, *, notification: Notification, messages: list[BotMessage], user: User
    ) -> None:
        """Deliver once; ``notification.dedupe_key`` lets a platform drop a repeat."""
