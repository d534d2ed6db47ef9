"""Two concurrent PUTs of one menu never give a 500: both succeed, the last writer wins,
and the menu exists once with one writer's dishes (on committed data, so they really race)."""

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.identity.models import RefreshToken, Role, User
from backend.main import create_app
from backend.meals.models import Canteen, Dish, Menu, MenuItem
from tests.backend.helpers import login
from tests.backend.meals.conftest import dish

DAY = date(2031, 3, 3)


@pytest.fixture
async def committed(
    settings: Settings, engine: AsyncEngine, password_hash: str
) -> AsyncIterator[dict[str, Any]]:
    """An app on the real engine, with a committed canteen, dishes and admin."""
    async with AsyncSession(engine, expire_on_commit=False) as session:
        canteen = Canteen(slug="race", name_en="Race Canteen", name_zh="竞速食堂")
        dishes = [dish(f"Race dish {n}", f"竞速菜{n}", 100 + n) for n in range(4)]
        admin = User(
            username="menu_race_admin",
            name="Race Admin",
            role=Role.logistics_admin,
            password_hash=password_hash,
        )
        session.add_all([canteen, admin, *dishes])
        await session.commit()
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            yield {"app": app, "admin": admin, "dishes": [d.id for d in dishes]}
    finally:
        async with AsyncSession(engine) as session:
            menus = select(Menu.id).where(Menu.canteen_id == canteen.id)
            await session.exec(delete(MenuItem).where(col(MenuItem.menu_id).in_(menus)))
            await session.exec(delete(Menu).where(col(Menu.canteen_id) == canteen.id))
            await session.exec(delete(Dish).where(col(Dish.id).in_([d.id for d in dishes])))
            await session.exec(delete(RefreshToken).where(col(RefreshToken.user_id) == admin.id))
            await session.exec(delete(User).where(col(User.id) == admin.id))
            await session.exec(delete(Canteen).where(col(Canteen.id) == canteen.id))
            await session.commit()


async def stored_dishes(engine: AsyncEngine, meal: str) -> list[list[int]]:
    async with AsyncSession(engine) as session:
        menus = (
            await session.exec(select(Menu).where(Menu.served_on == DAY, Menu.meal == meal))
        ).all()
        result = []
        for menu in menus:
            items = await session.exec(
                select(MenuItem.dish_id)
                .where(MenuItem.menu_id == menu.id)
                .order_by(col(MenuItem.position))
            )
            result.append(list(items))
        return result


@pytest.mark.parametrize("exists", [False, True], ids=["create", "replace"])
async def test_concurrent_puts_of_one_menu(
    committed: dict[str, Any], engine: AsyncEngine, exists: bool
) -> None:
    app: FastAPI = committed["app"]
    a, b, c, d = committed["dishes"]
    url = f"/api/v1/menus/race/{DAY.isoformat()}/lunch"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = await login(client, committed["admin"])
        if exists:
            first = await client.put(url, json={"dish_ids": [a]}, headers=headers)
            assert first.status_code == 201, first.text
        for _ in range(5):
            responses = await asyncio.gather(
                client.put(url, json={"dish_ids": [a, b]}, headers=headers),
                client.put(url, json={"dish_ids": [c, d, a]}, headers=headers),
            )
            codes = sorted(r.status_code for r in responses)
            assert codes == ([200, 200] if exists else [200, 201]), [r.text for r in responses]
            assert len({r.json()["id"] for r in responses}) == 1
            [menu] = await stored_dishes(engine, "lunch")
            assert menu in ([a, b], [c, d, a])
            exists = True
