"""The signed-in principal comes from the token and the cache: no database trip on a hit,
and an ended sign-in, a disabled account or a changed user take effect within seconds (at
once when the change goes through the API). Runs on the in-process cache and, in the
PostgreSQL run, on Redis."""

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.config import Settings
from backend.identity import principals
from backend.identity.models import Role
from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD

CACHE_SECONDS = 0.5


@pytest.fixture
def short_cache(app: FastAPI) -> None:
    """A short principal cache, so "within seconds" is quick to wait for."""
    settings: Settings = app.state.settings
    app.state.settings = settings.model_copy(update={"principal_cache_seconds": CACHE_SECONDS})


@pytest.fixture
def statements(connection: AsyncConnection) -> Iterator[list[str]]:
    """Every SQL statement the test's connection runs."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(connection.sync_connection, "before_cursor_execute", record)
    yield seen
    event.remove(connection.sync_connection, "before_cursor_execute", record)


async def sign_in(client: httpx.AsyncClient, username: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def me(client: httpx.AsyncClient, pair: dict[str, Any]) -> httpx.Response:
    return await client.get("/api/v1/me", headers=bearer(pair))


async def test_a_cached_principal_costs_no_database_trip(
    client: httpx.AsyncClient, make_user: UserFactory, statements: list[str]
) -> None:
    pair = await sign_in(client, (await make_user()).username)
    # A day's menus come from the cache once read: what is left to look up is the caller.
    menus = "/api/v1/menus?date=2026-01-05"
    assert (await client.get(menus, headers=bearer(pair))).status_code == 200
    statements.clear()
    again = await client.get(menus, headers=bearer(pair))
    assert again.status_code == 200
    assert statements == []


async def test_logout_stops_the_access_token_at_once(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    user = await make_user()
    pair, other_device = await sign_in(client, user.username), await sign_in(client, user.username)
    assert (await me(client, pair)).status_code == 200  # cached as live
    logout = await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert logout.status_code == 204
    after = await me(client, pair)
    assert after.status_code == 401
    assert after.json()["error"] == "InvalidToken"
    assert (await me(client, other_device)).status_code == 200  # only that sign-in ended


async def test_refresh_token_reuse_stops_every_access_token_of_that_sign_in(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    first = await sign_in(client, (await make_user()).username)
    rotated = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    second = rotated.json()
    assert (await me(client, first)).status_code == 200
    assert (await me(client, second)).status_code == 200
    replay = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert replay.json()["error"] == "RefreshTokenReused"
    assert (await me(client, first)).status_code == 401
    assert (await me(client, second)).status_code == 401


async def test_a_revocation_the_cache_lost_is_found_in_the_database(
    app: FastAPI, client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    pair = await sign_in(client, (await make_user()).username)
    assert (
        await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    ).status_code == 204
    cache: Cache = app.state.cache
    sid = principals.verified_claims(
        pair["access_token"], secret=app.state.settings.secret("jwt_secret")
    )["sid"]
    assert await cache.delete(principals.sign_in_key(sid)) == 1  # Redis restarted, say
    assert (await me(client, pair)).status_code == 401


@pytest.mark.usefixtures("short_cache")
async def test_an_account_disabled_behind_the_apis_back_stops_within_seconds(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    user = await make_user(role=Role.technician)
    pair = await sign_in(client, user.username)
    assert (await me(client, pair)).status_code == 200  # now cached
    user.is_active = False
    session.add(user)
    await session.commit()
    await asyncio.sleep(CACHE_SECONDS + 0.2)
    assert (await me(client, pair)).status_code == 401


async def test_a_committed_role_change_applies_at_once(
    app: FastAPI, client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    """What any service that changes a role, status or password does after committing."""
    user = await make_user()
    pair = await sign_in(client, user.username)
    periods = "/api/v1/admin/rewards/periods"
    assert (await client.get(periods, headers=bearer(pair))).status_code == 403  # now cached
    user.role = Role.logistics_admin
    session.add(user)
    await session.commit()
    await principals.forget_user(cache=app.state.cache, user_id=user.id)
    assert (await client.get(periods, headers=bearer(pair))).status_code == 200


async def test_a_profile_change_shows_in_the_next_request(
    client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    pair = await sign_in(client, (await make_user()).username)
    assert (await me(client, pair)).json()["locale"] == "en"
    changed = await client.patch("/api/v1/me", json={"locale": "zh"}, headers=bearer(pair))
    assert changed.status_code == 200
    assert (await me(client, pair)).json()["locale"] == "zh"
