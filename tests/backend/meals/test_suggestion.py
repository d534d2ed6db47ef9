"""The suggestion method itself, on hand-made menus (no database needed)."""

from datetime import date
from itertools import count
from typing import Any

from backend.meals.models import Meal
from backend.meals.schemas import (
    CanteenBrief,
    CanteenInfo,
    DishPublic,
    MealPlanBrief,
    MenuPublic,
    Nutrition,
)
from backend.meals.suggestion import plan_day

DAY = date(2026, 11, 24)
TARGETS = Nutrition(kcal=2000, protein_g=75, fat_g=65, carbs_g=275, sodium_mg=2000)
HALL = CanteenInfo(
    id=1, slug="hall", name_en="Hall", name_zh="食堂", location_en="", location_zh="",
    hours=[], meal_plans=["plan"],
)  # fmt: skip
_ids = count(1)


def share(fraction: float, **changes: float) -> DishPublic:
    """A dish with ``fraction`` of every target, times any per-nutrient factor in changes."""
    values: dict[str, Any] = {
        nutrient: getattr(TARGETS, nutrient) * fraction * changes.get(nutrient, 1.0)
        for nutrient in ("kcal", "protein_g", "fat_g", "carbs_g", "sodium_mg")
    }
    values["kcal"] = round(values["kcal"])
    values["sodium_mg"] = round(values["sodium_mg"])
    dish_id = next(_ids)
    return DishPublic(
        id=dish_id, name_en=f"Dish {dish_id}", name_zh=f"菜{dish_id}", price_fen=1000,
        allergens=[], tags=[], contains_pork=False, owner_canteen=None, **values,
    )  # fmt: skip


def menus(**by_meal: list[DishPublic]) -> list[MenuPublic]:
    brief = CanteenBrief(slug="hall", name_en="Hall", name_zh="食堂")
    return [
        MenuPublic(id=index, date=DAY, meal=Meal(meal), canteen=brief, dishes=dishes)
        for index, (meal, dishes) in enumerate(by_meal.items())
    ]


def suggest(day_menus: list[MenuPublic], focus: str | None = None) -> Any:
    return plan_day(
        plan=MealPlanBrief(slug="plan", name_en="Plan", name_zh="计划"),
        served_on=DAY,
        targets=TARGETS,
        focus=focus,
        menus=day_menus,
        canteens=[HALL],
        plan_canteens=["hall"],
        preferred=None,
        diets=[],
        allergens=[],
    )


def test_the_focus_nutrient_counts_double() -> None:
    """Lunch: one dish is right but 30 % too salty, the other salt-safe but 20 % short on
    energy. A plan without a focus takes the first; a low-sodium plan the second."""
    salty = share(0.4, sodium_mg=1.3)
    light = share(0.4, kcal=0.8)
    day = menus(breakfast=[share(0.3)], lunch=[salty, light], dinner=[share(0.3)])
    plain = suggest(day)
    assert plain.meals[1].dishes == [salty]
    assert plain.closeness == 0.98
    assert plain.notes_en == "Off target: sodium 2240 mg (12% above the 2000 mg ceiling)."
    low_sodium = suggest(day, focus="sodium_mg")
    assert low_sodium.meals[1].dishes == [light]
    assert low_sodium.totals.kcal == 1840
    assert low_sodium.closeness == 0.98
    assert low_sodium.notes_en == "Every nutrient is within 10% of the plan's targets."


def test_a_dish_is_not_suggested_twice_in_a_day() -> None:
    perfect = share(0.3)
    day = menus(breakfast=[perfect], dinner=[perfect, share(0.3, kcal=1.5)])
    result = suggest(day)
    assert result.meals[0].dishes == [perfect]
    assert perfect not in result.meals[1].dishes
    assert result.meals[1].dishes


def test_sodium_below_its_ceiling_is_not_off() -> None:
    day = menus(
        breakfast=[share(0.3, sodium_mg=0.2)],
        lunch=[share(0.4, sodium_mg=0.2)],
        dinner=[share(0.3, sodium_mg=0.2)],
    )
    result = suggest(day)
    assert result.closeness == 1.0
    assert {gap.nutrient: gap.off_by for gap in result.gaps}["sodium_mg"] == 0.0
    over = suggest(menus(lunch=[share(1.0, sodium_mg=1.5)]))
    [sodium] = [gap for gap in over.gaps if gap.nutrient == "sodium_mg"]
    assert (sodium.kind, sodium.off_by) == ("ceiling", 0.5)
    assert "sodium 3000 mg (50% above the 2000 mg ceiling)" in over.notes_en
    assert "钠3000毫克（比上限2000毫克高50%）" in over.notes_zh
