"""PUT /menus/{canteen}/{date}/{meal}: who may, what is checked, and that cached reads change."""

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.core.deps import get_session
from backend.identity.models import Role
from backend.main import create_app
from backend.meals.models import Dish
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock, login
from tests.backend.meals.conftest import TODAY, CallerFactory, Campus, dish


def menu_url(campus: Campus, canteen: str = "north", days: int = 0, meal: str = "lunch") -> str:
    return f"/api/v1/menus/{canteen}/{(campus.today + timedelta(days=days)).isoformat()}/{meal}"


async def north_lunch(client: httpx.AsyncClient, headers: dict[str, str]) -> list[str]:
    response = await client.get(
        "/api/v1/menus", params={"canteen": "north", "meal": "lunch"}, headers=headers
    )
    [menu] = response.json()["data"]
    return [d["name_en"] for d in menu["dishes"]]


@pytest.mark.parametrize(
    ("kind", "status", "error"),
    [
        ("anonymous", 401, "NotAuthenticated"),
        ("student", 403, "CanteenStaffOnly"),
        ("bot", 403, "CanteenStaffOnly"),
        ("technician", 403, "CanteenStaffOnly"),
        ("dorm_manager", 403, "CanteenStaffOnly"),
        ("staff_other", 403, "NotYourCanteen"),
        ("staff_this", 200, None),
        ("admin", 200, None),
    ],
)
async def test_who_may_replace_a_menu(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    make_user: UserFactory,
    kind: str,
    status: int,
    error: str | None,
) -> None:
    headers = await caller(kind)
    response = await client.put(
        menu_url(campus), json={"dish_ids": campus.ids("fish", "rice")}, headers=headers
    )
    assert response.status_code == status, response.text
    reader = await login(client, await make_user())
    if error is None:
        body = response.json()
        assert (body["canteen"]["slug"], body["meal"], body["date"]) == (
            "north",
            "lunch",
            campus.today.isoformat(),
        )
        assert [d["name_en"] for d in body["dishes"]] == ["Steamed Fish", "Steamed Rice"]
        assert await north_lunch(client, reader) == ["Steamed Fish", "Steamed Rice"]
    else:
        assert response.json()["error"] == error
        assert len(await north_lunch(client, reader)) == 7  # unchanged


async def test_a_new_menu_is_201_and_shows_up(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory
) -> None:
    headers = await caller("staff_this")
    url = menu_url(campus, days=2, meal="breakfast")
    created = await client.put(
        url, json={"dish_ids": campus.ids("soymilk", "buns")}, headers=headers
    )
    assert created.status_code == 201
    again = await client.put(url, json={"dish_ids": campus.ids("buns")}, headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    listed = await client.get(
        "/api/v1/menus",
        params={"date": (campus.today + timedelta(days=2)).isoformat()},
        headers=headers,
    )
    assert [(m["meal"], [d["name_en"] for d in m["dishes"]]) for m in listed.json()["data"]] == [
        ("breakfast", ["Pork Buns"])
    ]


async def test_order_of_dish_ids_is_the_menu_order(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory
) -> None:
    headers = await caller("admin")
    await client.put(
        menu_url(campus), json={"dish_ids": campus.ids("rice", "tofu", "greens")}, headers=headers
    )
    assert await north_lunch(client, headers) == ["Steamed Rice", "Mapo Tofu", "Garlic Greens"]
    await client.put(
        menu_url(campus), json={"dish_ids": campus.ids("greens", "rice")}, headers=headers
    )
    assert await north_lunch(client, headers) == ["Garlic Greens", "Steamed Rice"]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"dish_ids": []}, 422, "ValidationError"),
        ({"dish_ids": [1, 1]}, 422, "ValidationError"),
        ({"dish_ids": "1,2"}, 422, "ValidationError"),
        ({"dishes": [1]}, 422, "ValidationError"),
        ({"dish_ids": [999_999]}, 422, "UnknownDishes"),
    ],
)
async def test_bad_menus_are_refused_and_change_nothing(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    body: dict[str, Any],
    status: int,
    error: str,
) -> None:
    headers = await caller("admin")
    if body.get("dish_ids") == [1, 1]:
        body = {"dish_ids": campus.ids("rice", "rice")}
    response = await client.put(menu_url(campus), json=body, headers=headers)
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert len(await north_lunch(client, headers)) == 7


async def test_unknown_dish_ids_are_named(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory
) -> None:
    headers = await caller("admin")
    response = await client.put(
        menu_url(campus), json={"dish_ids": [*campus.ids("rice"), 999_998]}, headers=headers
    )
    assert response.status_code == 422
    assert "999998" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/menus/mars/2026-11-23/lunch", 404),
        ("/api/v1/menus/north/2026-13-01/lunch", 422),
        ("/api/v1/menus/north/2026-11-23/brunch", 422),
    ],
)
async def test_bad_paths(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory, url: str, status: int
) -> None:
    headers = await caller("admin")
    response = await client.put(url, json={"dish_ids": campus.ids("rice")}, headers=headers)
    assert response.status_code == status


async def test_another_kitchens_dish_cannot_go_on_the_menu(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory, session: AsyncSession
) -> None:
    southern = dish("South Special", "南区招牌", 500, canteen_id=campus.south.id)
    northern = dish("North Special", "北区招牌", 500, canteen_id=campus.north.id)
    session.add_all([southern, northern])
    await session.commit()
    headers = await caller("admin")
    refused = await client.put(
        menu_url(campus), json={"dish_ids": [northern.id, southern.id]}, headers=headers
    )
    assert (refused.status_code, refused.json()["error"]) == (422, "DishNotServedHere")
    accepted = await client.put(
        menu_url(campus),
        json={"dish_ids": [northern.id, campus.dishes["rice"].id]},
        headers=headers,
    )
    assert accepted.status_code == 200
    assert accepted.json()["dishes"][0]["owner_canteen"] == "north"


# --- cached reads change right after a write, in-process and in Redis --------------------


@pytest.fixture(params=["memory", "redis"])
async def cached_client(
    request: pytest.FixtureRequest, settings: Settings, session: AsyncSession
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app on the given cache (both run whatever REDIS_URL says)."""
    if request.param == "memory":
        redis_url = None
    else:
        redis_url = os.environ.get("TEST_REDIS_URL")
        assert redis_url, "set TEST_REDIS_URL (make test does) to test the Redis cache"
    app: FastAPI = create_app(
        settings.model_copy(
            update={"redis_url": redis_url, "cache_prefix": f"test:{uuid.uuid4().hex}:"}
        )
    )

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    async with app.router.lifespan_context(app):
        app.state.clock = StoppedClock(settings.tz, datetime.combine(TODAY, time(12), settings.tz))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_menu_reads_are_cached_and_a_menu_write_shows_at_once(
    cached_client: httpx.AsyncClient,
    campus: Campus,
    make_user: UserFactory,
    session: AsyncSession,
) -> None:
    client = cached_client
    student = await login(client, await make_user())
    admin = await login(client, await make_user(Role.logistics_admin))
    assert len(await north_lunch(client, student)) == 7
    # Behind the API's back the read stays cached: proof that it is served from the cache.
    tofu = (await session.exec(select(Dish).where(Dish.name_en == "Mapo Tofu"))).one()
    tofu.name_en = "Renamed Tofu"
    session.add(tofu)
    await session.commit()
    assert (await north_lunch(client, student))[0] == "Mapo Tofu"
    # A write through the API invalidates it: the very next read is fresh.
    response = await client.put(
        menu_url(campus), json={"dish_ids": campus.ids("tofu", "rice")}, headers=admin
    )
    assert response.status_code == 200
    assert await north_lunch(client, student) == ["Renamed Tofu", "Steamed Rice"]


async def test_a_dish_edit_shows_at_once_in_every_cached_menu(
    cached_client: httpx.AsyncClient, campus: Campus, make_user: UserFactory
) -> None:
    client = cached_client
    student = await login(client, await make_user())
    admin = await login(client, await make_user(Role.logistics_admin))

    async def rice_prices() -> list[int]:
        body = (await client.get("/api/v1/menus", headers=student)).json()
        return [d["price_fen"] for m in body["data"] for d in m["dishes"] if d["name_zh"] == "米饭"]

    assert await rice_prices() == [100, 100, 100]
    response = await client.patch(
        f"/api/v1/dishes/{campus.dishes['rice'].id}", json={"price_fen": 150}, headers=admin
    )
    assert response.status_code == 200
    assert await rice_prices() == [150, 150, 150]


async def test_menus_carry_an_etag_and_answer_304_until_a_write(
    cached_client: httpx.AsyncClient, campus: Campus, make_user: UserFactory
) -> None:
    client = cached_client
    student = await login(client, await make_user())
    admin = await login(client, await make_user(Role.logistics_admin))
    params = {"canteen": "north", "meal": "lunch"}
    first = await client.get("/api/v1/menus", params=params, headers=student)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    same = await client.get(
        "/api/v1/menus", params=params, headers={**student, "If-None-Match": etag}
    )
    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["etag"] == etag
    # a stale ETag (or none) gets the body; so does a filtered read, with its own ETag
    other = await client.get(
        "/api/v1/menus", params=params, headers={**student, "If-None-Match": '"x"'}
    )
    assert other.status_code == 200
    assert other.json() == first.json()
    filtered = await client.get(
        "/api/v1/menus", params={**params, "max_kcal": 10_000}, headers=student
    )
    assert filtered.headers["etag"] == etag  # nothing filtered out: the same bytes
    response = await client.put(
        menu_url(campus), json={"dish_ids": campus.ids("tofu", "rice")}, headers=admin
    )
    assert response.status_code == 200
    changed = await client.get(
        "/api/v1/menus", params=params, headers={**student, "If-None-Match": etag}
    )
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert [d["name_en"] for d in changed.json()["data"][0]["dishes"]] == [
        "Mapo Tofu",
        "Steamed Rice",
    ]
