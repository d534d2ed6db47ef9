from datetime import datetime, time, timedelta
from typing import Any

import httpx
import pytest

from backend.core.config import Settings
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock, login, token_headers
from tests.backend.meals.conftest import Campus

DISH_KEYS = {
    "id",
    "name_en",
    "name_zh",
    "price_fen",
    "kcal",
    "protein_g",
    "fat_g",
    "carbs_g",
    "sodium_mg",
    "allergens",
    "tags",
    "contains_pork",
    "owner_canteen",
}


def names(menu: dict[str, Any]) -> list[str]:
    return [dish["name_en"] for dish in menu["dishes"]]


async def test_menus_default_to_today_on_campus_in_meal_order(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [(m["canteen"]["slug"], m["meal"]) for m in body["data"]] == [
        ("north", "breakfast"),
        ("north", "lunch"),
        ("north", "dinner"),
        ("south", "lunch"),
    ]
    assert {m["date"] for m in body["data"]} == {campus.today.isoformat()}
    north_lunch = body["data"][1]
    assert north_lunch["canteen"] == {
        "slug": "north",
        "name_en": "North Canteen",
        "name_zh": "北区食堂",
    }
    assert [d["name_zh"] for d in north_lunch["dishes"]][:2] == ["麻婆豆腐", "牛肉面"]
    assert north_lunch["dishes"][0] == {
        "id": campus.dishes["tofu"].id,
        "name_en": "Mapo Tofu",
        "name_zh": "麻婆豆腐",
        "price_fen": 1000,
        "kcal": 330,
        "protein_g": 0.0,
        "fat_g": 0.0,
        "carbs_g": 0.0,
        "sodium_mg": 0,
        "allergens": ["soy"],
        "tags": ["spicy"],
        "contains_pork": True,
        "owner_canteen": None,
    }


async def test_today_follows_the_campus_clock_not_utc(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    campus: Campus,
    clock: StoppedClock,
    settings: Settings,
) -> None:
    """00:30 on Tuesday in Shanghai is still Monday in UTC: the campus day wins."""
    headers = await login(client, await make_user())
    tuesday_early = datetime.combine(campus.today + timedelta(days=1), time(0, 30), settings.tz)
    clock.set(tuesday_early)
    [menu] = (await client.get("/api/v1/menus", headers=headers)).json()["data"]
    assert (menu["date"], menu["meal"]) == (
        (campus.today + timedelta(days=1)).isoformat(),
        "dinner",
    )


async def test_filters_by_date_canteen_and_meal(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    tomorrow = campus.today + timedelta(days=1)
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


async def test_tag_filter_keeps_matching_dishes_and_drops_empty_menus(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params={"tag": "spicy"}, headers=headers)
    assert [(m["meal"], names(m)) for m in response.json()["data"]] == [
        ("lunch", ["Mapo Tofu", "Kung Pao Chicken"])
    ]
    both = await client.get(
        "/api/v1/menus", params=[("tag", "vegan"), ("tag", "halal")], headers=headers
    )
    assert [(m["canteen"]["slug"], m["meal"], names(m)) for m in both.json()["data"]] == [
        ("north", "breakfast", ["Soy Milk"]),
        ("north", "lunch", ["Garlic Greens", "Steamed Rice"]),
        ("north", "dinner", ["Garlic Greens", "Steamed Rice"]),
        ("south", "lunch", ["Steamed Rice"]),
    ]
    vegetarian = await client.get(
        "/api/v1/menus",
        params={"tag": "vegetarian", "meal": "lunch", "canteen": "north"},
        headers=headers,
    )
    # vegan dishes are vegetarian too
    assert names(vegetarian.json()["data"][0]) == [
        "Garlic Greens",
        "Tomato and Egg",
        "Steamed Rice",
    ]


async def test_max_kcal_keeps_dishes_up_to_the_limit(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get(
        "/api/v1/menus", params={"max_kcal": 260, "meal": "lunch"}, headers=headers
    )
    assert [(m["canteen"]["slug"], names(m)) for m in response.json()["data"]] == [
        ("north", ["Garlic Greens", "Tomato and Egg", "Steamed Rice"]),
        ("south", ["Steamed Rice"]),
    ]
    nothing = await client.get("/api/v1/menus", params={"max_kcal": 0}, headers=headers)
    assert nothing.json() == {"data": [], "count": 0}


async def test_a_day_without_menus_is_an_empty_list(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params={"date": "2001-01-01"}, headers=headers)
    assert response.json() == {"data": [], "count": 0}


async def test_unknown_canteen_is_a_clear_404(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params={"canteen": "mars"}, headers=headers)
    assert response.status_code == 404
    assert response.json()["error"] == "CanteenNotFound"
    assert "mars" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date": "tomorrow"}, "query.date"),
        ({"meal": "brunch"}, "query.meal"),
        ({"tag": "gluten_free"}, "query.tag.0"),
        ({"max_kcal": "-1"}, "query.max_kcal"),
        ({"max_kcal": "lots"}, "query.max_kcal"),
        ({"suitable_for_me": "maybe"}, "query.suitable_for_me"),
    ],
)
async def test_bad_filters_are_422_naming_the_field(
    client: httpx.AsyncClient, make_user: UserFactory, params: dict[str, str], field: str
) -> None:
    headers = await login(client, await make_user())
    response = await client.get("/api/v1/menus", params=params, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"] == "ValidationError"
    assert [problem["field"] for problem in response.json()["errors"]] == [field]


async def test_menus_need_sign_in(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/menus")).status_code == 401


async def test_the_bot_reads_menus_as_the_student_with_their_diet(
    client: httpx.AsyncClient, settings: Settings, make_user: UserFactory, campus: Campus
) -> None:
    student = await make_user(diets=["vegan"])
    response = await client.get(
        "/api/v1/menus",
        params={"canteen": "north", "meal": "lunch", "suitable_for_me": "true"},
        headers=token_headers(settings, student, via_bot=True),
    )
    assert response.status_code == 200
    [menu] = response.json()["data"]
    assert names(menu) == ["Garlic Greens", "Steamed Rice"]
    # what the bot's pydantic model reads is all there
    assert set(menu) >= {"id", "date", "meal", "canteen", "dishes"}
    assert all(set(d) == DISH_KEYS for d in menu["dishes"])
