"""A small known campus for the meals tests, a fixed campus clock, and callers of every kind."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.identity.models import Role, Team, TeamKind, User
from backend.meals.models import (
    Canteen,
    CanteenHours,
    CanteenMealPlan,
    Dish,
    Meal,
    MealPlan,
    Menu,
    MenuItem,
)
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import StoppedClock, login, token_headers

TODAY = date(2026, 11, 23)  # a Monday


def dish(name_en: str, name_zh: str, kcal: int, **fields: Any) -> Dish:
    """A dish; ``tags`` as a list, the rest as Dish fields."""
    tags = fields.pop("tags", [])
    made = Dish(
        name_en=name_en,
        name_zh=name_zh,
        kcal=kcal,
        price_fen=fields.pop("price_fen", 1000),
        **fields,
    )
    for tag in tags:
        setattr(made, tag, True)
        if tag == "vegan":
            made.vegetarian = True
    return made


def menu(canteen: Canteen, day: date, meal: Meal, *dishes: Dish) -> Menu:
    return Menu(
        canteen_id=canteen.id,
        served_on=day,
        meal=meal,
        items=[MenuItem(dish_id=d.id, position=i) for i, d in enumerate(dishes)],
    )


def hours(canteen: Canteen, days: range, meal: Meal, opens: str, closes: str) -> list[CanteenHours]:
    return [
        CanteenHours(
            canteen_id=canteen.id,
            weekday=day,
            meal=meal,
            opens=time.fromisoformat(opens),
            closes=time.fromisoformat(closes),
        )
        for day in days
    ]


@dataclass
class Campus:
    today: date
    north: Canteen
    south: Canteen
    dishes: dict[str, Dish]
    plans: dict[str, MealPlan] = field(default_factory=dict)

    def ids(self, *keys: str) -> list[int]:
        return [self.dishes[key].id for key in keys]


@pytest.fixture
async def campus(session: AsyncSession, clock: StoppedClock) -> Campus:
    """North (three meals daily) and south (weekday lunch only), both in the balanced plan,
    north also in high-protein; known dishes and today's menus. The clock: Monday noon."""
    north = Canteen(
        slug="north",
        name_en="North Canteen",
        name_zh="北区食堂",
        location_en="North Campus",
        location_zh="北校区",
    )
    south = Canteen(slug="south", name_en="South Canteen", name_zh="南区食堂")
    dishes = {
        "tofu": dish(
            "Mapo Tofu", "麻婆豆腐", 330, allergens=["soy"], tags=["spicy"], contains_pork=True
        ),
        "noodles": dish(
            "Beef Noodles",
            "牛肉面",
            610,
            price_fen=1500,
            allergens=["wheat_gluten"],
            tags=["halal"],
        ),
        "greens": dish("Garlic Greens", "蒜蓉青菜", 90, tags=["vegan", "halal"]),
        "eggs": dish(
            "Tomato and Egg", "西红柿炒鸡蛋", 260, allergens=["egg"], tags=["vegetarian", "halal"]
        ),
        "kungpao": dish(
            "Kung Pao Chicken", "宫保鸡丁", 520, allergens=["peanut", "soy"], tags=["spicy"]
        ),
        "fish": dish("Steamed Fish", "清蒸鱼", 290, allergens=["fish"]),
        "rice": dish("Steamed Rice", "米饭", 230, price_fen=100, tags=["vegan", "halal"]),
        "buns": dish(
            "Pork Buns", "鲜肉包", 280, allergens=["wheat_gluten", "soy"], contains_pork=True
        ),
        "soymilk": dish("Soy Milk", "豆浆", 110, allergens=["soy"], tags=["vegan", "halal"]),
    }
    session.add_all([north, south, *dishes.values()])
    await session.flush()
    balanced = MealPlan(
        slug="balanced",
        name_en="Balanced",
        name_zh="均衡营养",
        kcal=2000,
        protein_g=75,
        fat_g=65,
        carbs_g=275,
        sodium_mg=2000,
    )
    protein = MealPlan(
        slug="high-protein",
        name_en="High Protein",
        name_zh="高蛋白",
        kcal=2200,
        protein_g=130,
        fat_g=70,
        carbs_g=250,
        sodium_mg=2300,
        position=1,
    )
    session.add_all([balanced, protein])
    await session.flush()
    session.add_all(
        [
            *hours(north, range(7), Meal.breakfast, "06:30", "09:00"),
            *hours(north, range(7), Meal.lunch, "11:00", "13:30"),
            *hours(north, range(7), Meal.dinner, "17:00", "19:30"),
            *hours(south, range(5), Meal.lunch, "11:00", "13:30"),
            CanteenMealPlan(canteen_id=north.id, plan_id=balanced.id),
            CanteenMealPlan(canteen_id=south.id, plan_id=balanced.id),
            CanteenMealPlan(canteen_id=north.id, plan_id=protein.id),
        ]
    )
    d = dishes
    session.add_all(
        [
            menu(north, TODAY, Meal.breakfast, d["buns"], d["soymilk"]),
            menu(
                north,
                TODAY,
                Meal.lunch,
                d["tofu"],
                d["noodles"],
                d["greens"],
                d["eggs"],
                d["kungpao"],
                d["fish"],
                d["rice"],
            ),
            menu(south, TODAY, Meal.lunch, d["noodles"], d["rice"]),
            menu(north, TODAY, Meal.dinner, d["fish"], d["eggs"], d["greens"], d["rice"]),
            menu(north, TODAY + timedelta(days=1), Meal.dinner, d["tofu"]),
        ]
    )
    await session.commit()
    clock.set(datetime.combine(TODAY, time(12, 0)))
    return Campus(
        today=TODAY,
        north=north,
        south=south,
        dishes=dishes,
        plans={"balanced": balanced, "high-protein": protein},
    )


@pytest.fixture
def make_canteen_staff(make_team: TeamFactory, make_user: UserFactory) -> Callable[[Canteen], Any]:
    async def make(canteen: Canteen) -> User:
        team: Team = await make_team(
            trade=None,
            kind=TeamKind.canteen,
            canteen_id=canteen.id,
            slug=f"canteen-{canteen.slug}-test",
        )
        return await make_user(Role.canteen_staff, team_id=team.id)

    return make


CallerFactory = Callable[[str], Any]


@pytest.fixture
def caller(
    client: httpx.AsyncClient,
    settings: Settings,
    campus: Campus,
    make_user: UserFactory,
    make_canteen_staff: Callable[[Canteen], Any],
) -> CallerFactory:
    """Headers for one kind of caller; "staff_this" works at north, "staff_other" at south."""

    async def headers(kind: str) -> dict[str, str]:
        if kind == "anonymous":
            return {}
        if kind == "bot":
            return token_headers(settings, await make_user(), via_bot=True)
        if kind == "staff_this":
            return await login(client, await make_canteen_staff(campus.north))
        if kind == "staff_other":
            return await login(client, await make_canteen_staff(campus.south))
        roles = {
            "student": Role.student,
            "technician": Role.technician,
            "dorm_manager": Role.dorm_manager,
            "admin": Role.logistics_admin,
        }
        return await login(client, await make_user(roles[kind]))

    return headers
