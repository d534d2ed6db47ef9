"""suitable_for_me: diets and allergens, as a matrix on known dishes and as invariants on
the whole demo catalogue."""

from datetime import date

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Allergen, Diet
from backend.meals.diet import conflicts
from backend.meals.models import DishTag
from backend.meals.schemas import DishPublic
from backend.seed.demo import seed_demo_campus
from tests.backend.conftest import UserFactory
from tests.backend.helpers import login
from tests.backend.meals.conftest import Campus

NORTH_LUNCH = [
    "Mapo Tofu",
    "Beef Noodles",
    "Garlic Greens",
    "Tomato and Egg",
    "Kung Pao Chicken",
    "Steamed Fish",
    "Steamed Rice",
]


@pytest.mark.parametrize(
    ("diets", "allergens", "expected"),
    [
        ([], [], NORTH_LUNCH),
        (["vegetarian"], [], ["Garlic Greens", "Tomato and Egg", "Steamed Rice"]),
        (["vegan"], [], ["Garlic Greens", "Steamed Rice"]),
        (["halal"], [], ["Beef Noodles", "Garlic Greens", "Tomato and Egg", "Steamed Rice"]),
        (["no_pork"], [], [n for n in NORTH_LUNCH if n != "Mapo Tofu"]),
        ([], ["peanut"], [n for n in NORTH_LUNCH if n != "Kung Pao Chicken"]),
        ([], ["soy"], [n for n in NORTH_LUNCH if n not in ("Mapo Tofu", "Kung Pao Chicken")]),
        (
            [],
            ["fish", "egg"],
            [n for n in NORTH_LUNCH if n not in ("Steamed Fish", "Tomato and Egg")],
        ),
        (["vegetarian"], ["egg"], ["Garlic Greens", "Steamed Rice"]),
        (["halal"], ["wheat_gluten"], ["Garlic Greens", "Tomato and Egg", "Steamed Rice"]),
        (["vegan", "halal", "no_pork"], ["sesame"], ["Garlic Greens", "Steamed Rice"]),
    ],
)
async def test_suitable_for_me_matrix(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    campus: Campus,
    diets: list[str],
    allergens: list[str],
    expected: list[str],
) -> None:
    headers = await login(client, await make_user(diets=diets, allergens=allergens))
    params = {"canteen": "north", "meal": "lunch"}
    mine = await client.get(
        "/api/v1/menus", params={**params, "suitable_for_me": "true"}, headers=headers
    )
    assert mine.status_code == 200
    [menu] = mine.json()["data"]
    assert [dish["name_en"] for dish in menu["dishes"]] == expected
    # without the flag, the profile changes nothing
    everything = await client.get("/api/v1/menus", params=params, headers=headers)
    assert [d["name_en"] for d in everything.json()["data"][0]["dishes"]] == NORTH_LUNCH


async def test_a_menu_with_nothing_suitable_is_left_out(
    client: httpx.AsyncClient, make_user: UserFactory, campus: Campus
) -> None:
    headers = await login(client, await make_user(diets=["vegetarian"], allergens=["soy"]))
    response = await client.get(
        "/api/v1/menus", params={"meal": "breakfast", "suitable_for_me": "true"}, headers=headers
    )
    assert response.json() == {"data": [], "count": 0}  # pork buns and soy milk only


def _dish(**fields: object) -> DishPublic:
    base: dict[str, object] = {
        "id": 1,
        "name_en": "x",
        "name_zh": "x",
        "price_fen": 0,
        "kcal": 0,
        "protein_g": 0,
        "fat_g": 0,
        "carbs_g": 0,
        "sodium_mg": 0,
        "allergens": [],
        "tags": [],
        "contains_pork": False,
        "owner_canteen": None,
    }
    return DishPublic.model_validate(base | fields)


def test_conflicts_name_every_reason() -> None:
    pork_peanut = _dish(allergens=["peanut", "soy"], contains_pork=True, tags=["spicy"])
    assert conflicts(
        pork_peanut,
        diets=["vegetarian", "vegan", "halal", "no_pork"],
        allergens=["peanut", "milk"],
    ) == ["vegan", "vegetarian", "halal", "no_pork", "peanut"]
    vegan = _dish(tags=["vegetarian", "vegan", "halal"])
    assert conflicts(vegan, diets=["vegetarian", "vegan", "halal", "no_pork"], allergens=[]) == []


async def test_the_demo_catalogue_never_serves_a_conflict(
    session: AsyncSession, client: httpx.AsyncClient, make_user: UserFactory
) -> None:
    """For each diet and each allergen alone, every dish shown on a demo day honours it."""
    day = date(2026, 11, 25)
    await seed_demo_campus(session=session, today=day)
    for diet in Diet:
        headers = await login(client, await make_user(diets=[diet.value]))
        response = await client.get(
            "/api/v1/menus",
            params={"date": day.isoformat(), "suitable_for_me": "true"},
            headers=headers,
        )
        dishes = [dish for menu in response.json()["data"] for dish in menu["dishes"]]
        assert dishes, diet
        for shown in dishes:
            tags = shown["tags"]
            if diet == Diet.vegan:
                assert "vegan" in tags
            elif diet == Diet.vegetarian:
                assert "vegetarian" in tags
            elif diet == Diet.halal:
                assert "halal" in tags
            else:
                assert not shown["contains_pork"]
    for allergen in Allergen:
        headers = await login(client, await make_user(allergens=[allergen.value]))
        response = await client.get(
            "/api/v1/menus",
            params={"date": day.isoformat(), "suitable_for_me": "true"},
            headers=headers,
        )
        shown = [dish for menu in response.json()["data"] for dish in menu["dishes"]]
        assert shown, allergen
        assert not [dish["name_en"] for dish in shown if allergen.value in dish["allergens"]]
        all_menus = await client.get(
            "/api/v1/menus", params={"date": day.isoformat()}, headers=headers
        )
        everything = [dish for menu in all_menus.json()["data"] for dish in menu["dishes"]]
        with_it = [dish for dish in everything if allergen.value in dish["allergens"]]
        assert len(shown) == len(everything) - len(with_it)


def test_every_vegan_tag_implies_vegetarian() -> None:
    from backend.meals.schemas import check_labels

    assert check_labels([DishTag.vegan], False) == [DishTag.vegetarian, DishTag.vegan]
    with pytest.raises(ValueError, match="pork"):
        check_labels([DishTag.halal], True)
    assert check_labels([DishTag.spicy], True) == [DishTag.spicy]
