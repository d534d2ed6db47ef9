from datetime import date, timedelta

import httpx
from sqlalchemy import delete
from sqlalchemy.orm import selectinload
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import Canteen, Meal, Menu
from backend.seed.demo import seed_demo_campus
from backend.seed.identity import DEMO_ACCOUNTS, DEMO_PASSWORD

TODAY = date(2026, 11, 23)


async def count_menus(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(Menu))).one()


async def test_seed_creates_a_fresh_window_and_is_idempotent(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    canteens = (await session.exec(select(func.count()).select_from(Canteen))).one()
    first = await count_menus(session)
    assert first == 29 * canteens * len(Meal)  # two weeks back, today, two weeks ahead
    await seed_demo_campus(session=session, today=TODAY)
    assert await count_menus(session) == first


async def test_seed_tops_up_menus_as_days_pass(session: AsyncSession) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    before = await count_menus(session)
    await seed_demo_campus(session=session, today=TODAY + timedelta(days=3))
    canteens = (await session.exec(select(func.count()).select_from(Canteen))).one()
    assert await count_menus(session) == before + 3 * canteens * len(Meal)
    latest = (await session.exec(select(func.max(Menu.served_on)))).one()
    assert latest == TODAY + timedelta(days=17)


async def menus_on(session: AsyncSession, day: date) -> dict[tuple[int, Meal], list[int]]:
    query = (
        select(Menu)
        .where(Menu.served_on == day)
        .options(selectinload(Menu.items))  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return {(m.canteen_id, m.meal): [i.dish_id for i in m.items] for m in await session.exec(query)}


async def test_same_day_same_menu(session: AsyncSession) -> None:
    """Deterministic: the demo menu for a day does not depend on when the seed ran."""
    day = TODAY + timedelta(days=2)
    await seed_demo_campus(session=session, today=TODAY)
    first = await menus_on(session, day)
    await session.exec(delete(Menu).where(Menu.served_on == day))  # type: ignore[call-overload]
    session.expunge_all()
    await seed_demo_campus(session=session, today=TODAY + timedelta(days=1))
    again = await menus_on(session, day)
    assert len(first) == 9
    assert first == again


async def test_demo_accounts_sign_in(session: AsyncSession, client: httpx.AsyncClient) -> None:
    await seed_demo_campus(session=session, today=TODAY)
    for username, *_ in DEMO_ACCOUNTS:
        response = await client.post(
            "/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, username
