"""GET /menus from ready bytes (core.ready): answered before routing once stored, for signed-in
users only, never across a sign-out, a disabled account or a meal write."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.deps import get_clock
from backend.identity import principals
from backend.identity.models import Role
from tests.backend.conftest import UserFactory
from tests.backend.helpers import TEST_PASSWORD, login, route_unreachable, token_headers
from tests.backend.meals.conftest import Campus
from tests.backend.meals.test_menu_writes import menu_url

MENUS = "/api/v1/menus?canteen=north&meal=lunch"


async def sign_in(client: httpx.AsyncClient, username: str) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/auth/token", data={"username": username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    pair: dict[str, Any] = response.json()
    return pair


async def test_a_stored_answer_is_served_before_routing(
    app: FastAPI, client: httpx.AsyncClient, campus: Campus, make_user: UserFactory
) -> None:
    headers = await login(client, await make_user())
    other = await login(client, await make_user(Role.technician))
    assert (await client.get("/api/v1/me", headers=other)).status_code == 200  # known now
    first = await client.get(MENUS, headers=headers)
    assert first.status_code == 200
    route_unreachable(app)
    again = await client.get(MENUS, headers=headers)
    assert again.status_code == 200
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    unchanged = await client.get(MENUS, headers={**headers, "If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304
    # another signed-in user gets the same stored bytes (the answer is the same for all)
    assert (await client.get(MENUS, headers=other)).content == first.content


async def test_only_requests_the_route_stored_are_served(
    app: FastAPI, client: httpx.AsyncClient, campus: Campus, make_user: UserFactory
) -> None:
    headers = await login(client, await make_user())
    assert (await client.get(MENUS, headers=headers)).status_code == 200
    route_unreachable(app)
    # a personal (filtered) read and an anonymous one both go to the route
    mine = f"{MENUS}&suitable_for_me=true"
    with pytest.raises(AssertionError, match="the route ran"):
        await client.get(mine, headers=headers)
    app.dependency_overrides.pop(get_clock)
    anonymous = await client.get(MENUS)
    assert anonymous.status_code == 401


async def test_a_sign_out_or_a_disabled_account_is_not_served(
    app: FastAPI,
    client: httpx.AsyncClient,
    campus: Campus,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    user = await make_user()
    pair = await sign_in(client, user.username)
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    assert (await client.get(MENUS, headers=headers)).status_code == 200
    logout = await client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert logout.status_code == 204
    assert (await client.get(MENUS, headers=headers)).status_code == 401

    second = await login(client, user)
    assert (await client.get(MENUS, headers=second)).status_code == 200
    user.is_active = False
    session.add(user)
    await session.commit()
    await principals.forget_user(cache=app.state.cache, user_id=user.id)
    assert (await client.get(MENUS, headers=second)).status_code == 401


async def test_the_bot_goes_through_the_route(
    app: FastAPI,
    client: httpx.AsyncClient,
    campus: Campus,
    make_user: UserFactory,
    settings: Settings,
) -> None:
    student = await make_user()
    assert (await client.get(MENUS, headers=await login(client, student))).status_code == 200
    bot = token_headers(settings, student, via_bot=True)
    assert (await client.get(MENUS, headers=bot)).status_code == 200
    route_unreachable(app)
    with pytest.raises(AssertionError, match="the route ran"):
        await client.get(MENUS, headers=bot)


async def test_a_meal_write_makes_the_stored_answer_unreachable(
    client: httpx.AsyncClient, campus: Campus, make_user: UserFactory
) -> None:
    student = await login(client, await make_user())
    admin = await login(client, await make_user(Role.logistics_admin))
    before = await client.get(MENUS, headers=student)
    response = await client.put(
        menu_url(campus), json={"dish_ids": campus.ids("rice")}, headers=admin
    )
    assert response.status_code == 200
    after = await client.get(MENUS, headers=student)
    assert after.headers["etag"] != before.headers["etag"]
    assert [d["name_en"] for d in after.json()["data"][0]["dishes"]] == ["Steamed Rice"]
