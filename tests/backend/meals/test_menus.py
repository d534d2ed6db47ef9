from datetime import date, datetime, timedelta

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.meals.models import Canteen, Dish, Meal, Menu, MenuItem
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login


@pytest.fixture
async def campus(session: AsyncSession, settings: Settings) -> dict[str, object]:
    """Two canteens; today: north serves breakfast and lunch, south lunch; north tomorrow."""
    north = Canteen(slug="north", name_en="North Canteen", name_zh="北区食堂")
    south = Canteen(slug="south", name_en="South Canteen", name_zh="南区食堂")
    noodles = Dish(name_en="Beef Noodles", name_zh="牛肉面", price_fen=1500, kcal=610)
    tofu = Dish(name_en="Mapo Tofu", name_zh="麻婆豆腐", price_fen=1000, kcal=330)
    buns = Dish(name_en="Pork Buns", name_zh="鲜肉包", price_fen=300, kcal=280)
    session.add_all([north, south, noodles, tofu, buns])
    await session.flush()
    today = datetime.now(settings.tz).date()

    def menu(canteen: Canteen, day: date, meal: Meal, *dishes: Dish) -> Menu:
        return Menu(
            canteen_id=canteen.id,
            served_on=day,
            meal=meal,
            items=[MenuItem(dish_id=d.id, position=i) for i, d in enumerate(dishes)],
        )

    session.add_all(
        [
            menu(north, today, Meal.lunch, tofu, noodles),
            menu(north, today, Meal.breakfast, buns),
            menu(south, today, Meal.lunch, noodles),
            menu(north, today + timedelta(days=1), Meal.dinner, tofu),
        ]
    )
    await session.commit()
    return {"today": today}


async def test_menus_default_to_today_on_campus_in_meal_order(
    client: httpx.AsyncClient, make_user: UserFactory, campus: dict[str, object]
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [(m["canteen"]["slug"], m["meal"]) for m in body["data"]] == [
        ("north", "breakfast"),
        ("north", "lunch"),
        ("south", "lunch"),
    ]
    assert {m["date"] for m in body["data"]} == {campus["today"].isoformat()}  # type: ignore[attr-defined]
    north_lunch = body["data"][1]
    assert [d["name_zh"] for d in north_lunch["dishes"]] == ["麻婆豆腐", "牛肉面"]
    assert north_lunch["dishes"][0] == {
        "id": north_lunch["dishes"][0]["id"],
        "name_en": "Mapo Tofu",
        "name_zh": "麻婆豆腐",
        "price_fen": 1000,
        "kcal": 330,
    }


async def test_filters_by_date_canteen_and_meal(
    client: httpx.AsyncClient, make_user: UserFactory, campus: dict[str, object]
) -> None:
    headers = await login(client, await make_user())
    tomorrow = campus["today"] + timedelta(days=1)  # type: ignore[operator]
    response = await client.get(
        "/api/v1/menus",
        params={"date": tomorrow.isoformat(), "canteen": "north", "meal": "dinner"},
        headers=headers,
    )
    assert response.status_code == 200
    [menu] = response.json()["data"]
    assert (menu["date"], menu["meal"], menu["canteen"]["slug"]) == (
        tomorrow.isoformat(),
        "dinner",
        "north",
    )
    lunch_south = await client.get(
        "/api/v1/menus", params={"canteen": "south", "meal": "lunch"}, headers=headers
    )
    assert [m["canteen"]["slug"] for m in lunch_south.json()["data"]] == ["south"]


async def test_a_day_without_menus_is_an_empty_list(
    client: httpx.AsyncClient, make_user: UserFactory, campus: dict[str, object]
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params={"date": "2001-01-01"}, headers=headers)
    assert response.json() == {"data": [], "count": 0}


async def test_unknown_canteen_is_a_clear_404(
    client: httpx.AsyncClient, make_user: UserFactory, campus: dict[str, object]
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params={"canteen": "mars"}, headers=headers)
    assert response.status_code == 404
    assert response.json()["error"] == "CanteenNotFound"
    assert "mars" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"), [({"date": "tomorrow"}, "query.date"), ({"meal": "brunch"}, "query.meal")]
)
async def test_bad_filters_are_422_naming_the_field(
    client: httpx.AsyncClient, make_user: UserFactory, params: dict[str, str], field: str
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params=params, headers=headers)
    assert response.status_code == 422
    assert [problem["field"] for problem in response.json()["detail"]] == [field]


async def test_menus_need_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/menus")).status_code == 401
