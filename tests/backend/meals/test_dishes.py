"""Dishes: search by name, details, and staff creating and editing them."""

from typing import Any

import httpx
import pytest
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import Dish
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login
from tests.backend.meals.conftest import CallerFactory, Campus, dish

NEW_DISH: dict[str, Any] = {
    "name_en": "Braised Tofu",
    "name_zh": "家常豆腐",
    "price_fen": 900,
    "kcal": 260,
    "protein_g": 15,
    "fat_g": 16,
    "carbs_g": 12,
    "sodium_mg": 720,
    "allergens": ["soy"],
    "tags": ["vegan", "halal"],
}


async def search(client: httpx.AsyncClient, headers: dict[str, str], q: str) -> list[str]:
    response = await client.get("/api/v1/dishes", params={"q": q}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["data"]) == body["total"]
    return [d["name_en"] for d in body["data"]]


async def test_search_in_english_or_chinese_best_match_first(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus, session: AsyncSession
) -> None:
    session.add_all(
        [
            dish("Tofu", "豆腐", 150),
            dish("Tofu Skin Salad", "凉拌豆皮", 180),
            dish("Stinky Tofu", "臭豆腐", 300),
            dish("Beef Noodle Soup", "牛肉汤面", 600),
        ]
    )
    await session.commit()
    headers = await login(client, await make_user())
    # exact, then starts with, then a word starting with it (shorter first)
    assert await search(client, headers, "tofu") == [
        "Tofu",
        "Tofu Skin Salad",
        "Mapo Tofu",
        "Stinky Tofu",
    ]
    assert await search(client, headers, "TOFU") == await search(client, headers, "tofu")
    # 豆腐 exactly, then containing it, the shorter name first
    assert await search(client, headers, "豆腐") == ["Tofu", "Stinky Tofu", "Mapo Tofu"]
    assert await search(client, headers, "牛肉") == ["Beef Noodles", "Beef Noodle Soup"]
    assert await search(client, headers, "noodle beef") == ["Beef Noodles", "Beef Noodle Soup"]
    assert await search(client, headers, "steam") == ["Steamed Fish", "Steamed Rice"]  # by id
    assert await search(client, headers, "pizza") == []
    assert await search(client, headers, "100%_") == []  # wildcards are plain characters


async def test_search_pages_and_lists_all_without_a_query(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user())
    everything = (await client.get("/api/v1/dishes", headers=headers)).json()
    assert everything["total"] == everything["count"] == 9
    page = (
        await client.get("/api/v1/dishes", params={"limit": 2, "offset": 3}, headers=headers)
    ).json()
    assert (page["count"], page["total"]) == (2, 9)
    assert page["data"] == everything["data"][3:5]
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"q": "x" * 101}):
        response = await client.get("/api/v1/dishes", params=params, headers=headers)
        assert response.status_code == 422, params


async def test_one_dish_with_nutrition_and_404(
    client: httpx.AsyncClient, make_user: UserFactory, session: AsyncSession
) -> None:
    kungpao = dish(
        "Kung Pao Chicken",
        "宫保鸡丁",
        520,
        price_fen=1600,
        protein_g=32,
        fat_g=28,
        carbs_g=30,
        sodium_mg=1150,
        allergens=["peanut", "soy"],
        tags=["spicy"],
    )
    session.add(kungpao)
    await session.commit()
    headers = await login(client, await make_user())
    response = await client.get(f"/api/v1/dishes/{kungpao.id}", headers=headers)
    assert response.json() == {
        "id": kungpao.id,
        "name_en": "Kung Pao Chicken",
        "name_zh": "宫保鸡丁",
        "price_fen": 1600,
        "kcal": 520,
        "protein_g": 32.0,
        "fat_g": 28.0,
        "carbs_g": 30.0,
        "sodium_mg": 1150,
        "allergens": ["peanut", "soy"],
        "tags": ["spicy"],
        "contains_pork": False,
        "owner_canteen": None,
    }
    missing = await client.get("/api/v1/dishes/999999", headers=headers)
    assert (missing.status_code, missing.json()["error"]) == (404, "DishNotFound")
    assert (await client.get("/api/v1/dishes/abc", headers=headers)).status_code == 422


@pytest.mark.parametrize(
    ("kind", "status", "owner"),
    [
        ("anonymous", 401, None),
        ("student", 403, None),
        ("bot", 403, None),
        ("technician", 403, None),
        ("dorm_manager", 403, None),
        ("staff_this", 201, "north"),
        ("staff_other", 201, "south"),
        ("admin", 201, None),
    ],
)
async def test_who_may_create_a_dish(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    session: AsyncSession,
    kind: str,
    status: int,
    owner: str | None,
) -> None:
    """Canteen staff add to their own kitchen; the logistics office to the campus catalogue."""
    before = (await session.exec(select(func.count()).select_from(Dish))).one()
    response = await client.post("/api/v1/dishes", json=NEW_DISH, headers=await caller(kind))
    assert response.status_code == status, response.text
    after = (await session.exec(select(func.count()).select_from(Dish))).one()
    if status != 201:
        assert after == before
        return
    assert after == before + 1
    body = response.json()
    assert body["owner_canteen"] == owner
    assert body["tags"] == ["vegetarian", "vegan", "halal"]  # vegan implies vegetarian
    assert {k: body[k] for k in ("name_en", "name_zh", "price_fen", "kcal", "allergens")} == {
        k: NEW_DISH[k] for k in ("name_en", "name_zh", "price_fen", "kcal", "allergens")
    }


async def test_owner_canteen_on_create(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory
) -> None:
    admin = await caller("admin")
    for_south = await client.post(
        "/api/v1/dishes", json={**NEW_DISH, "owner_canteen": "south"}, headers=admin
    )
    assert (for_south.status_code, for_south.json()["owner_canteen"]) == (201, "south")
    unknown = await client.post(
        "/api/v1/dishes", json={**NEW_DISH, "owner_canteen": "mars"}, headers=admin
    )
    assert (unknown.status_code, unknown.json()["error"]) == (422, "UnknownCanteen")
    north_staff = await caller("staff_this")
    elsewhere = await client.post(
        "/api/v1/dishes", json={**NEW_DISH, "owner_canteen": "south"}, headers=north_staff
    )
    assert (elsewhere.status_code, elsewhere.json()["error"]) == (403, "NotYourCanteen")


@pytest.mark.parametrize(
    "change",
    [
        {"price_fen": -1},
        {"kcal": 99_999},
        {"name_en": ""},
        {"allergens": ["gluten"]},
        {"tags": ["organic"]},
        {"tags": ["halal"], "contains_pork": True},
        {"tags": ["vegan"], "contains_pork": True},
        {"owner": "north"},
        {"id": 5},
    ],
)
async def test_bad_dishes_are_422(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory, change: dict[str, Any]
) -> None:
    response = await client.post(
        "/api/v1/dishes", json={**NEW_DISH, **change}, headers=await caller("admin")
    )
    assert (response.status_code, response.json()["error"]) == (422, "ValidationError")


async def test_creating_with_an_idempotency_key_creates_once(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory, session: AsyncSession
) -> None:
    headers = {**await caller("admin"), "Idempotency-Key": "dish-1"}
    first = await client.post("/api/v1/dishes", json=NEW_DISH, headers=headers)
    again = await client.post("/api/v1/dishes", json=NEW_DISH, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    found = await session.exec(select(Dish).where(Dish.name_en == NEW_DISH["name_en"]))
    assert len(found.all()) == 1


@pytest.mark.parametrize(
    ("kind", "owner", "status", "error"),
    [
        ("student", "north", 403, "CanteenStaffOnly"),
        ("bot", "north", 403, "CanteenStaffOnly"),
        ("technician", "north", 403, "CanteenStaffOnly"),
        ("staff_this", "north", 200, None),
        ("staff_other", "north", 403, "NotYourCanteen"),
        ("staff_this", None, 403, "NotYourCanteen"),  # the campus catalogue
        ("admin", None, 200, None),
        ("admin", "south", 200, None),
    ],
)
async def test_who_may_edit_a_dish(
    client: httpx.AsyncClient,
    campus: Campus,
    caller: CallerFactory,
    session: AsyncSession,
    kind: str,
    owner: str | None,
    status: int,
    error: str | None,
) -> None:
    owned_by = {"north": campus.north.id, "south": campus.south.id, None: None}[owner]
    target = dish("House Noodles", "招牌面", 500, price_fen=1200, canteen_id=owned_by)
    session.add(target)
    await session.commit()
    response = await client.patch(
        f"/api/v1/dishes/{target.id}", json={"price_fen": 1300}, headers=await caller(kind)
    )
    assert response.status_code == status, response.text
    await session.refresh(target)
    if error is None:
        assert response.json()["price_fen"] == target.price_fen == 1300
    else:
        assert response.json()["error"] == error
        assert target.price_fen == 1200


async def test_editing_keeps_labels_consistent(
    client: httpx.AsyncClient, campus: Campus, caller: CallerFactory
) -> None:
    admin = await caller("admin")
    greens = campus.dishes["greens"].id
    pork = await client.patch(
        f"/api/v1/dishes/{greens}", json={"contains_pork": True}, headers=admin
    )
    assert (pork.status_code, pork.json()["error"]) == (422, "InconsistentDishLabels")
    both = await client.patch(
        f"/api/v1/dishes/{greens}",
        json={"contains_pork": True, "tags": ["spicy"], "allergens": ["sesame"]},
        headers=admin,
    )
    assert both.status_code == 200
    assert (both.json()["tags"], both.json()["contains_pork"], both.json()["allergens"]) == (
        ["spicy"],
        True,
        ["sesame"],
    )
    vegan_again = await client.patch(
        f"/api/v1/dishes/{greens}", json={"contains_pork": False, "tags": ["vegan"]}, headers=admin
    )
    assert vegan_again.json()["tags"] == ["vegetarian", "vegan"]
    for bad in ({"price_fen": None}, {"kcal": -5}, {"canteen_id": 1}):
        response = await client.patch(f"/api/v1/dishes/{greens}", json=bad, headers=admin)
        assert response.status_code == 422, bad
    missing = await client.patch("/api/v1/dishes/999999", json={"kcal": 1}, headers=admin)
    assert (missing.status_code, missing.json()["error"]) == (404, "DishNotFound")
