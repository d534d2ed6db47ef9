"""Small helpers shared by backend tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo

import httpx
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.clock import Clock
from backend.core.config import Settings
from backend.core.deps import get_clock, get_session
from backend.core.security import create_token
from backend.identity.models import User

TEST_PASSWORD = "correct horse battery staple"
CLOCK_START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 on campus (UTC+8)


class StoppedClock(Clock):
    """The campus clock, stopped: a test sets it and moves it on (the ``clock`` fixture)."""

    def __init__(self, tz: tzinfo, at: datetime) -> None:
        super().__init__(tz)
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, moment: datetime) -> None:
        """Stop at ``moment``; a naive one is campus time."""
        self.at = moment if moment.tzinfo else moment.replace(tzinfo=self.tz)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


def token_headers(settings: Settings, user: User, *, via_bot: bool = False) -> dict[str, str]:
    """What a signed-in user sends (an access token as the sign-in route issues it), or
    with ``via_bot`` the action server acting for a student (a delegation token and the
    bot's key)."""
    token = create_token(
        secret=settings.secret("jwt_secret"),
        subject=user.id,
        kind="delegation" if via_bot else "access",
        lifetime=timedelta(minutes=5),
    )
    headers = {"Authorization": f"Bearer {token}"}
    if via_bot:
        headers["X-Bot-Key"] = settings.secret("bot_secret")
    return headers


async def login(client: httpx.AsyncClient, user: User) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def route_unreachable(app: FastAPI) -> None:
    """Make every route that reads the clock fail: only an answer from ready bytes
    (core.ready) can still be a 200."""

    async def broken() -> None:
        raise AssertionError("the route ran")

    app.dependency_overrides[get_clock] = broken


def use_test_session(app: FastAPI, session: AsyncSession) -> None:
    """Run a started app on the test's session: requests, and the code that opens its own
    sessions (the chat pipeline, the dispatcher), all stay inside the rolled-back
    transaction; the pipeline uses the app's (test-private) cache."""

    async def request_session() -> AsyncIterator[AsyncSession]:
        yield session

    @asynccontextmanager
    async def shared_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = request_session
    app.state.chat = replace(app.state.chat, sessions=shared_session, cache=app.state.cache)
