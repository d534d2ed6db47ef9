"""Hot meal reads (a day's menus, the canteens, the meal plans): one generation family
(``core.generations``). Writes are rare (a few per canteen per day), reads many, so every
write to canteens, dishes, menus or meal plans bumps the whole family after committing: one
dish edit changes every day's menus it is on."""

from datetime import date

from pydantic import TypeAdapter

from backend.core.generations import Family
from backend.meals.schemas import CanteenInfo, MealPlanInfo, MenuPublic

MEALS = Family("meals")

DAY_MENUS = TypeAdapter(list[MenuPublic])
CANTEENS = TypeAdapter(list[CanteenInfo])
MEAL_PLANS = TypeAdapter(list[MealPlanInfo])


def day_menus_name(served_on: date) -> str:
    return f"menus:{served_on.isoformat()}"
