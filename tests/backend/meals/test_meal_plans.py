"""Meal plans: the list, subscribing, and the day's suggestion on menus with a known best."""

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.identity.models import Role
from backend.meals.models import Canteen, CanteenMealPlan, Dish, Meal, MealPlan
from tests.backend.conftest import UserFactory
from tests.backend.helpers import StoppedClock, login, token_headers
from tests.backend.meals.conftest import dish, menu

DAY = date(2026, 11, 24)
BALANCED = {"kcal": 2000, "protein_g": 75, "fat_g": 65, "carbs_g": 275, "sodium_mg": 2000}


def portion(name_en: str, name_zh: str, share: float, **fields: Any) -> Dish:
    """A dish carrying ``share`` of every balanced daily target."""
    return dish(
        name_en,
        name_zh,
        round(2000 * share),
        protein_g=75 * share,
        fat_g=65 * share,
        carbs_g=275 * share,
        sodium_mg=round(2000 * share),
        **fields,
    )


@dataclass
class PlanCampus:
    plans: dict[str, MealPlan]
    dishes: dict[str, Dish]


@pytest.fixture
async def plan_campus(session: AsyncSession, clock: StoppedClock) -> PlanCampus:
    """Menus on DAY where the balanced plan can be met exactly:
    breakfast at alpha: porridge + egg sandwich (30 %), lunch: alpha's chicken bowl or beta's
    cheaper peanut bowl (40 % each), dinner at alpha: fish set (30 %); distractors around.
    gamma serves everything too but takes part in no plan."""
    alpha = Canteen(slug="alpha", name_en="Alpha Hall", name_zh="甲食堂")
    beta = Canteen(slug="beta", name_en="Beta Hall", name_zh="乙食堂")
    gamma = Canteen(slug="gamma", name_en="Gamma Hall", name_zh="丙食堂")
    dishes = {
        "porridge": portion("Porridge", "粥", 0.175, price_fen=300, tags=["vegan"]),
        "sandwich": portion("Egg Sandwich", "鸡蛋三明治", 0.125, price_fen=500, allergens=["egg"]),
        "dough": dish("Fried Dough", "油条", 390, protein_g=7, fat_g=23, carbs_g=40, sodium_mg=560),
        "feast": portion("Big Breakfast", "豪华早餐", 0.6, price_fen=3000),
        "bowl": portion("Chicken Bowl", "鸡肉饭", 0.4, price_fen=1800),
        "peanut": portion("Peanut Chicken Bowl", "花生鸡肉饭", 0.4, price_fen=1500,
                          allergens=["peanut"]),
        "belly": dish("Pork Belly", "红烧肉", 680, protein_g=20, fat_g=55, carbs_g=18,
                      sodium_mg=980, contains_pork=True),
        "salad": portion("Green Salad", "沙拉", 0.05, price_fen=800, tags=["vegan"]),
        "fish": portion("Fish Set", "鱼套餐", 0.3, price_fen=2000, allergens=["fish"]),
        "salty": dish("Salty Noodles", "咸面", 610, protein_g=33, fat_g=16, carbs_g=82,
                      sodium_mg=1850),
    }  # fmt: skip
    balanced = MealPlan(slug="balanced", name_en="Balanced", name_zh="均衡营养", **BALANCED)
    protein = MealPlan(
        slug="high-protein",
        name_en="High Protein",
        name_zh="高蛋白",
        kcal=2200,
        protein_g=130,
        fat_g=70,
        carbs_g=250,
        sodium_mg=2300,
        description_en="More protein.",
        description_zh="更多蛋白质。",
        position=1,
    )
    session.add_all([alpha, beta, gamma, balanced, protein, *dishes.values()])
    await session.flush()
    d = dishes
    session.add_all(
        [
            CanteenMealPlan(canteen_id=alpha.id, plan_id=balanced.id),
            CanteenMealPlan(canteen_id=beta.id, plan_id=balanced.id),
            CanteenMealPlan(canteen_id=alpha.id, plan_id=protein.id),
            menu(alpha, DAY, Meal.breakfast, d["dough"], d["porridge"], d["feast"], d["sandwich"]),
            menu(alpha, DAY, Meal.lunch, d["belly"], d["bowl"], d["salad"], d["salty"]),
            menu(beta, DAY, Meal.lunch, d["salty"], d["peanut"]),
            menu(alpha, DAY, Meal.dinner, d["salty"], d["fish"], d["belly"]),
            menu(gamma, DAY, Meal.lunch, d["bowl"], d["peanut"]),
        ]
    )
    await session.commit()
    clock.set(datetime.combine(DAY, time(9, 0)))
    return PlanCampus(plans={"balanced": balanced, "high-protein": protein}, dishes=dishes)


async def subscribed_student(
    client: httpx.AsyncClient, make_user: UserFactory, plan: str, **fields: Any
) -> dict[str, str]:
    headers = await login(client, await make_user(**fields))
    response = await client.put(
        "/api/v1/meal-plans/subscription", json={"plan": plan}, headers=headers
    )
    assert response.status_code == 200, response.text
    return headers


async def suggestion(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> dict[str, Any]:
    response = await client.get("/api/v1/meal-plans/suggestion", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def picked(body: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [
        (meal["meal"], meal["canteen"]["slug"], [d["name_en"] for d in meal["dishes"]])
        for meal in body["meals"]
    ]


# --- plans and subscription ------------------------------------------------------------


async def test_list_plans_with_targets_and_my_subscription(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await login(client, await make_user())
    body = (await client.get("/api/v1/meal-plans", headers=headers)).json()
    assert body["count"] == 2
    assert body["data"][0] == {
        "slug": "balanced",
        "name_en": "Balanced",
        "name_zh": "均衡营养",
        "description_en": "",
        "description_zh": "",
        "targets": BALANCED,
        "focus": None,
        "canteens": ["alpha", "beta"],
        "subscribed": False,
    }
    assert [(p["slug"], p["subscribed"]) for p in body["data"]] == [
        ("balanced", False),
        ("high-protein", False),
    ]
    subscribed = await client.put(
        "/api/v1/meal-plans/subscription", json={"plan": "high-protein"}, headers=headers
    )
    assert subscribed.json()["plan"] == {
        "slug": "high-protein",
        "name_en": "High Protein",
        "name_zh": "高蛋白",
    }
    body = (await client.get("/api/v1/meal-plans", headers=headers)).json()
    assert [(p["slug"], p["subscribed"]) for p in body["data"]] == [
        ("balanced", False),
        ("high-protein", True),
    ]


async def test_switch_and_unsubscribe(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await subscribed_student(client, make_user, "balanced")
    again = await client.put(
        "/api/v1/meal-plans/subscription", json={"plan": "balanced"}, headers=headers
    )
    switched = await client.put(
        "/api/v1/meal-plans/subscription", json={"plan": "high-protein"}, headers=headers
    )
    assert (again.status_code, switched.status_code) == (200, 200)
    plans = (await client.get("/api/v1/meal-plans", headers=headers)).json()["data"]
    assert [p["slug"] for p in plans if p["subscribed"]] == ["high-protein"]
    for _ in range(2):  # fine when already unsubscribed
        gone = await client.delete("/api/v1/meal-plans/subscription", headers=headers)
        assert gone.status_code == 204
    plans = (await client.get("/api/v1/meal-plans", headers=headers)).json()["data"]
    assert not [p for p in plans if p["subscribed"]]
    missing = await client.get("/api/v1/meal-plans/suggestion", headers=headers)
    assert (missing.status_code, missing.json()["error"]) == (409, "NoMealPlan")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"plan": "keto"}, "UnknownMealPlan"),
        ({"plan": ""}, "ValidationError"),
        ({}, "ValidationError"),
        ({"plan": "balanced", "user_id": 1}, "ValidationError"),
    ],
)
async def test_bad_subscriptions_are_422_and_change_nothing(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    plan_campus: PlanCampus,
    body: dict[str, Any],
    error: str,
) -> None:
    headers = await subscribed_student(client, make_user, "balanced")
    response = await client.put("/api/v1/meal-plans/subscription", json=body, headers=headers)
    assert (response.status_code, response.json()["error"]) == (422, error)
    plans = (await client.get("/api/v1/meal-plans", headers=headers)).json()["data"]
    assert [p["slug"] for p in plans if p["subscribed"]] == ["balanced"]


async def test_subscriptions_are_for_students_and_the_bot_acts_for_one(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus, settings: Settings
) -> None:
    for role in (Role.technician, Role.canteen_staff, Role.logistics_admin):
        staff = await login(client, await make_user(role))
        put = await client.put(
            "/api/v1/meal-plans/subscription", json={"plan": "light"}, headers=staff
        )
        suggest = await client.get("/api/v1/meal-plans/suggestion", headers=staff)
        assert (put.status_code, suggest.status_code) == (403, 403), role
    student = await make_user()
    bot = token_headers(settings, student, via_bot=True)
    put = await client.put(
        "/api/v1/meal-plans/subscription", json={"plan": "balanced"}, headers=bot
    )
    assert put.status_code == 200
    mine = await login(client, student)
    plans = (await client.get("/api/v1/meal-plans", headers=mine)).json()["data"]
    assert [p["slug"] for p in plans if p["subscribed"]] == ["balanced"]
    other = await login(client, await make_user())
    plans = (await client.get("/api/v1/meal-plans", headers=other)).json()["data"]
    assert not [p for p in plans if p["subscribed"]]
    assert (await client.get("/api/v1/meal-plans/suggestion", headers=bot)).status_code == 200
    assert (await client.get("/api/v1/meal-plans")).status_code == 401


# --- the suggestion --------------------------------------------------------------------


async def test_suggestion_meets_the_plan_exactly_when_the_menus_allow(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await subscribed_student(client, make_user, "balanced")
    body = await suggestion(client, headers)  # date: today on campus
    assert body["date"] == DAY.isoformat()
    assert body["plan"] == {"slug": "balanced", "name_en": "Balanced", "name_zh": "均衡营养"}
    assert picked(body) == [
        ("breakfast", "alpha", ["Porridge", "Egg Sandwich"]),
        ("lunch", "beta", ["Peanut Chicken Bowl"]),  # as close as alpha's bowl, and cheaper
        ("dinner", "alpha", ["Fish Set"]),
    ]
    assert body["totals"] == body["targets"] == BALANCED
    assert body["closeness"] == 1.0
    assert body["price_fen"] == 300 + 500 + 1500 + 2000
    assert body["meals"][0]["totals"]["kcal"] == 600
    assert body["meals"][0]["canteen"] == {
        "slug": "alpha",
        "name_en": "Alpha Hall",
        "name_zh": "甲食堂",
    }
    assert {g["nutrient"]: g["off_by"] for g in body["gaps"]} == dict.fromkeys(BALANCED, 0.0)
    assert body["notes_en"] == "Every nutrient is within 10% of the plan's targets."
    assert body["notes_zh"] == "各项营养均在计划目标的10%以内。"
    assert await suggestion(client, headers, date=DAY.isoformat()) == body  # deterministic


async def test_suggestion_never_uses_my_allergens_or_canteens_outside_the_plan(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await subscribed_student(client, make_user, "balanced", allergens=["peanut"])
    body = await suggestion(client, headers)
    assert picked(body)[1] == ("lunch", "alpha", ["Chicken Bowl"])
    assert body["closeness"] == 1.0
    assert "gamma" not in {meal["canteen"]["slug"] for meal in body["meals"]}


async def test_suggestion_prefers_the_named_canteen(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await subscribed_student(client, make_user, "balanced")
    body = await suggestion(client, headers, canteen="alpha")
    assert [(meal, canteen) for meal, canteen, _ in picked(body)] == [
        ("breakfast", "alpha"),
        ("lunch", "alpha"),
        ("dinner", "alpha"),
    ]
    assert body["closeness"] == 1.0
    # beta serves only lunch: the others come from elsewhere, and the notes say so
    body = await suggestion(client, headers, canteen="beta")
    assert [(meal, canteen) for meal, canteen, _ in picked(body)] == [
        ("breakfast", "alpha"),
        ("lunch", "beta"),
        ("dinner", "alpha"),
    ]
    assert "Beta Hall has nothing suitable for breakfast" in body["notes_en"]
    assert "乙食堂当天早餐没有合适的菜" in body["notes_zh"]
    # gamma is not part of the plan
    body = await suggestion(client, headers, canteen="gamma")
    assert "gamma" not in {meal["canteen"]["slug"] for meal in body["meals"]}
    assert "Gamma Hall does not take part in the Balanced plan" in body["notes_en"]
    assert "丙食堂未参与均衡营养计划" in body["notes_zh"]
    missing = await client.get(
        "/api/v1/meal-plans/suggestion", params={"canteen": "mars"}, headers=headers
    )
    assert (missing.status_code, missing.json()["error"]) == (404, "CanteenNotFound")


async def test_suggestion_says_what_is_off(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    """High protein on menus built for the balanced plan: protein falls short."""
    headers = await subscribed_student(client, make_user, "high-protein")
    body = await suggestion(client, headers)
    assert 0.5 < body["closeness"] < 1.0
    gaps = {gap["nutrient"]: gap for gap in body["gaps"]}
    assert gaps["protein_g"]["off_by"] < -0.1
    assert gaps["sodium_mg"]["kind"] == "ceiling"
    assert body["notes_en"].startswith("Off target: ")
    assert "protein" in body["notes_en"]
    assert "below the 130 g target" in body["notes_en"]
    assert "蛋白质" in body["notes_zh"]
    assert "比目标130克低" in body["notes_zh"]
    assert {meal["canteen"]["slug"] for meal in body["meals"]} == {"alpha"}  # beta: not in plan


async def test_suggestion_respects_a_vegan_diet_and_says_what_it_could_not_plan(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await subscribed_student(client, make_user, "balanced", diets=["vegan"])
    body = await suggestion(client, headers)
    assert picked(body) == [
        ("breakfast", "alpha", ["Porridge"]),
        ("lunch", "alpha", ["Green Salad"]),
    ]
    assert "No suitable dinner on that day's menus." in body["notes_en"]
    assert "当天菜单上没有合适的晚餐。" in body["notes_zh"]
    assert body["closeness"] < 0.5


async def test_a_day_without_menus(
    client: httpx.AsyncClient, make_user: UserFactory, plan_campus: PlanCampus
) -> None:
    headers = await subscribed_student(client, make_user, "balanced")
    body = await suggestion(client, headers, date="2030-01-01")
    assert (body["meals"], body["closeness"], body["price_fen"]) == ([], 0.0, 0)
    assert body["totals"] == dict.fromkeys(BALANCED, 0)
    for meal in ("breakfast", "lunch", "dinner"):
        assert f"No suitable {meal}" in body["notes_en"]
    bad = await client.get(
        "/api/v1/meal-plans/suggestion", params={"date": "someday"}, headers=headers
    )
    assert bad.status_code == 422


async def test_a_later_meal_makes_up_for_an_earlier_one(
    client: httpx.AsyncClient,
    make_user: UserFactory,
    plan_campus: PlanCampus,
    session: AsyncSession,
) -> None:
    """Breakfast can only reach 15 %; lunch then picks the 55 % dish, not the 40 % one."""
    alpha = Canteen(slug="delta", name_en="Delta Hall", name_zh="丁食堂")
    small = portion("Small Breakfast", "小份早餐", 0.15)
    medium = portion("Medium Lunch", "中份午餐", 0.4)
    large = portion("Large Lunch", "大份午餐", 0.55)
    supper = portion("Supper", "晚餐套餐", 0.3)
    session.add_all([alpha, small, medium, large, supper])
    await session.flush()
    day = date(2026, 12, 1)
    session.add_all(
        [
            CanteenMealPlan(canteen_id=alpha.id, plan_id=plan_campus.plans["balanced"].id),
            menu(alpha, day, Meal.breakfast, small),
            menu(alpha, day, Meal.lunch, medium, large),
            menu(alpha, day, Meal.dinner, supper),
        ]
    )
    await session.commit()
    headers = await subscribed_student(client, make_user, "balanced")
    body = await suggestion(client, headers, date=day.isoformat())
    assert [names for _, _, names in picked(body)] == [
        ["Small Breakfast"],
        ["Large Lunch"],
        ["Supper"],
    ]
    assert body["closeness"] == 1.0
