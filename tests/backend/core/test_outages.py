"""An unreachable database or cache is a 503 that names it, never a 500 (found by
bench/faults.py: killing Redis or PostgreSQL under load gave 500 InternalError). The
outages here are real: clients pointed at a loopback port nobody listens on."""

import socket
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import exc as sa_exc
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import RedisCache
from backend.core.db import create_engine, create_sessionmaker
from backend.core.deps import get_session
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def dead_database(app: FastAPI) -> AsyncIterator[None]:
    """Requests' sessions on a PostgreSQL that refuses connections."""
    engine = create_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{closed_port()}/none")
    sessions = create_sessionmaker(engine)

    async def unreachable() -> AsyncIterator[AsyncSession]:
        async with sessions() as session:
            yield session

    app.dependency_overrides[get_session] = unreachable
    yield
    await engine.dispose()


async def test_cache_down_is_503_cache_unavailable(
    client: httpx.AsyncClient, make_user: UserFactory, app: FastAPI
) -> None:
    headers = await login(client, await make_user())
    working = app.state.cache
    app.state.cache = RedisCache(f"redis://127.0.0.1:{closed_port()}/0")
    try:
        # /menus is answered by the ready-responses middleware (before routing), /me and
        # the login by routes: both paths give the same answer.
        for response in (
            await client.get("/api/v1/menus", headers=headers),
            await client.get("/api/v1/me", headers=headers),
            await client.post("/api/v1/auth/token", data={"username": "x", "password": "y"}),
        ):
            assert response.status_code == 503, response.text
            assert response.json()["error"] == "CacheUnavailable"
            assert "try again" in response.json()["detail"]
            assert response.headers["Retry-After"] == "5"
    finally:
        await app.state.cache.close()
        app.state.cache = working
    assert (await client.get("/api/v1/me", headers=headers)).status_code == 200


async def test_database_down_is_503_database_unavailable(
    client: httpx.AsyncClient, make_user: UserFactory, dead_database: None
) -> None:
    response = await client.post(
        "/api/v1/auth/token", data={"username": "someone", "password": "secret"}
    )
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "DatabaseUnavailable"
    assert response.headers["Retry-After"] == "5"


async def test_other_errors_of_the_same_types_stay_500(app: FastAPI) -> None:
    """Only an outage is a 503: a missing file or a broken constraint is still our bug."""

    @app.get("/broken/file")
    async def missing_file() -> None:
        raise FileNotFoundError("/nowhere")

    @app.get("/broken/constraint")
    async def constraint() -> None:
        raise sa_exc.IntegrityError("INSERT …", {}, Exception("duplicate key"))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for path in ("/broken/file", "/broken/constraint"):
            response = await client.get(path)
            assert response.status_code == 500, path
            assert response.json()["error"] == "InternalError"
