"""The app (replacing tests/backend's) with its WeCom and Telegram API base URLs on local
fakes (tests/platform_fakes.py), and Rasa mocked with respx; platform rate-limit windows
scaled down by PACE_SCALE."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
import respx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.models import AccountLink, Platform
from backend.channels.runtime import Channels
from backend.core.config import DEV_CHANNELS, Settings
from backend.identity.models import User
from backend.main import create_app
from tests.backend.helpers import use_test_session
from tests.backend.repairs.conftest import (  # noqa: F401 (fixtures, on this app)
    api,
    campus,
    headers,
    photo_dir,
    ticket_in,
)
from tests.platform_fakes import FakeTelegram, FakeWeCom, serving

PACE_SCALE = 0.05  # WeCom's minute becomes 3 s, Telegram's second 50 ms
WEBHOOK = "http://rasa.test/webhooks/rest/webhook"
CORP_ID = str(DEV_CHANNELS["wecom_corp_id"])
AGENT_ID = int(DEV_CHANNELS["wecom_agent_id"])
WECOM_TOKEN = str(DEV_CHANNELS["wecom_token"])
AES_KEY = str(DEV_CHANNELS["wecom_aes_key"])
BOT_TOKEN = str(DEV_CHANNELS["telegram_bot_token"])
TG_SECRET = str(DEV_CHANNELS["telegram_secret_token"])


@pytest.fixture
def wecom() -> Iterator[FakeWeCom]:
    fake = FakeWeCom(
        corp_id=CORP_ID,
        secret=str(DEV_CHANNELS["wecom_secret"]),
        agent_id=AGENT_ID,
        window_seconds=60 * PACE_SCALE,
    )
    with serving(fake.app()) as url:
        fake.url = url  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(token=BOT_TOKEN)
    with serving(fake.app()) as url:
        fake.url = url  # type: ignore[attr-defined]
        yield fake


@pytest.fixture
def rasa() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        router.route(host="127.0.0.1").pass_through()  # the platform fakes are real servers
        yield router


@pytest.fixture
async def app(
    settings: Settings,
    session: AsyncSession,
    connection: AsyncConnection,
    wecom: FakeWeCom,
    telegram: FakeTelegram,
) -> AsyncIterator[FastAPI]:
    app = create_app(
        settings.model_copy(
            update={
                "cache_prefix": f"test:{uuid.uuid4().hex}:",
                "wecom_api_url": f"{wecom.url}/cgi-bin",  # type: ignore[attr-defined]
                "telegram_api_url": telegram.url,  # type: ignore[attr-defined]
                "channel_pace_scale": PACE_SCALE,
            }
        )
    )

    lock = asyncio.Lock()

    @asynccontextmanager
    async def one_at_a_time() -> AsyncIterator[AsyncSession]:
        """Background answers run beside requests: each gets its own session on the test's
        connection (inside its rolled-back transaction), one at a time, as one connection
        needs."""
        async with (
            lock,
            AsyncSession(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as own,
        ):
            yield own

    async with app.router.lifespan_context(app):
        use_test_session(app, session)
        app.state.chat = replace(app.state.chat, sessions=one_at_a_time)
        yield app


@pytest.fixture
def channels(app: FastAPI) -> Channels:
    runtime: Channels = app.state.channels
    return runtime


async def link(session: AsyncSession, user: User, platform: Platform, external_id: str) -> None:
    session.add(AccountLink(user_id=user.id, platform=platform, external_id=external_id))
    await session.commit()


def rasa_reply(*messages: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"recipient_id": "x", **message} for message in messages]
