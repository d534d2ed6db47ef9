"""Demo canteens with opening hours, dishes with plausible nutrition (per serving) and
labels, nutrition meal plans (``demo/meals/``), and the menus of the days around today.

Deterministic: the same catalogue every time, and the menu of a canteen, day and meal
depends on nothing else (not on when the seed ran).
"""

import random
from datetime import date, time, timedelta
from typing import NamedTuple

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import (
    Canteen,
    CanteenHours,
    CanteenMealPlan,
    Dish,
    DishTag,
    Meal,
    MealPlan,
    Menu,
    MenuItem,
    Nutrient,
)
from backend.seed.data import ClockTime, DemoDataError, csv_rows, field, with_part


class CanteenSeed(NamedTuple):
    slug: str
    name_en: str
    name_zh: str
    location_en: str
    location_zh: str


class HoursSeed(NamedTuple):
    days: str  # a range of weekdays: "Mon-Sun", "Sat-Sun", "Wed-Wed"
    meal: Meal
    opens: ClockTime
    closes: ClockTime


class DishSeed(NamedTuple):
    name_en: str
    name_zh: str
    price_fen: int
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int
    meals: str  # B, L, D
    allergens: str = ""  # space-separated Allergen values
    tags: str = ""  # space-separated DishTag values; vegan implies vegetarian
    pork: bool = False


class PlanSeed(NamedTuple):
    """A meal plan with its daily targets and the canteens that take part in it."""

    slug: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int
    focus: Nutrient | None
    canteens: tuple[str, ...]


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekdays(days: str) -> range:
    """ "Mon-Fri" → range(0, 5) (Monday is 0, as ``date.weekday``)."""
    first, _, last = days.partition("-")
    if (
        first not in WEEKDAYS
        or last not in WEEKDAYS
        or WEEKDAYS.index(last) < WEEKDAYS.index(first)
    ):
        raise DemoDataError(
            f"demo/meals/canteens.yml: days {days!r}: write a range such as Mon-Fri or Sat-Sun"
        )
    return range(WEEKDAYS.index(first), WEEKDAYS.index(last) + 1)


_ENTRIES: list[tuple[CanteenSeed, list[HoursSeed]]] = with_part(
    "meals/canteens.yml", "canteens", CanteenSeed, "hours", list[HoursSeed]
)
CANTEENS = [canteen for canteen, _ in _ENTRIES]
# (weekday, meal, opens, closes) per canteen; a missing row means closed then.
HOURS: dict[str, list[tuple[int, Meal, time, time]]] = {
    canteen.slug: [
        (day, row.meal, row.opens, row.closes) for row in hours for day in weekdays(row.days)
    ]
    for canteen, hours in _ENTRIES
}
DISHES: list[DishSeed] = csv_rows(DishSeed, "meals/dishes.csv")
PLANS: list[PlanSeed] = field("meals/plans.yml", "plans", list[PlanSeed])
# Always on the lunch and dinner menus, after the day's dishes.
STAPLES: list[str] = field("meals/menus.yml", "staples", list[str])
# How many of the day's dishes a canteen serves per meal (besides the staples).
DISHES_PER_MEAL: dict[Meal, int] = field("meals/menus.yml", "dishes_per_meal", dict[Meal, int])
MENU_DAYS_BACK: int = field("meals/menus.yml", "days_back", int)
MENU_DAYS_AHEAD: int = field("meals/menus.yml", "days_ahead", int)


def _dish(seed: DishSeed) -> Dish:
    tags = set(seed.tags.split())
    if DishTag.vegan in tags:
        tags.add(DishTag.vegetarian)
    dish = Dish(
        name_en=seed.name_en,
        name_zh=seed.name_zh,
        price_fen=seed.price_fen,
        kcal=seed.kcal,
        protein_g=seed.protein_g,
        fat_g=seed.fat_g,
        carbs_g=seed.carbs_g,
        sodium_mg=seed.sodium_mg,
        allergens=seed.allergens.split(),
        contains_pork=seed.pork,
    )
    for tag in DishTag:
        setattr(dish, tag.value, tag.value in tags)
    return dish


async def ensure_catalog(session: AsyncSession) -> bool:
    """Canteens with their hours and dishes, once; meal plans when missing.

    True if the canteens were created now.
    """
    created = not (await session.exec(select(func.count()).select_from(Canteen))).one()
    if created:
        session.add_all(Canteen(**canteen._asdict()) for canteen in CANTEENS)
        session.add_all(_dish(dish) for dish in DISHES)
        await session.flush()
    else:
        await _label_old_catalogue(session)
    canteens = {c.slug: c for c in (await session.exec(select(Canteen))).all()}
    with_hours = set((await session.exec(select(CanteenHours.canteen_id).distinct())).all())
    for slug, rows in HOURS.items():
        canteen = canteens.get(slug)
        if canteen is None or canteen.id in with_hours:
            continue
        session.add_all(
            CanteenHours(canteen_id=canteen.id, weekday=day, meal=meal, opens=opens, closes=closes)
            for day, meal, opens, closes in rows
        )
    existing_plans = set((await session.exec(select(MealPlan.slug))).all())
    for position, seed in enumerate(PLANS):
        if seed.slug in existing_plans:
            continue
        fields = {k: v for k, v in seed._asdict().items() if k != "canteens"}
        plan = MealPlan(**fields, position=position)
        session.add(plan)
        await session.flush()
        session.add_all(
            CanteenMealPlan(canteen_id=canteens[slug].id, plan_id=plan.id)
            for slug in seed.canteens
            if slug in canteens
        )
    await session.flush()
    return created


async def _label_old_catalogue(session: AsyncSession) -> None:
    """A demo catalogue seeded before dishes had labels (migration 0002 adds them empty)
    would show every dish as free of allergens: label the demo dishes by name and add the
    missing ones. A catalogue in which any dish carries a label is left alone."""
    dishes = (await session.exec(select(Dish))).all()
    if any(dish.allergens or dish.contains_pork or dish.tags for dish in dishes):
        return
    by_name = {dish.name_en: dish for dish in dishes}
    for seed in DISHES:
        labelled = _dish(seed)
        if (old := by_name.get(seed.name_en)) is None:
            session.add(labelled)
            continue
        old.allergens = labelled.allergens
        old.contains_pork = labelled.contains_pork
        for tag in DishTag:
            setattr(old, tag.value, getattr(labelled, tag.value))
        session.add(old)
    await session.flush()


async def ensure_menus(session: AsyncSession, today: date) -> int:
    """Add any missing menu in the window around today, so the demo never goes stale.

    A canteen gets a menu for each meal it serves that weekday (see HOURS). The dishes of a
    menu depend only on canteen, day and meal: the same every time.
    """
    canteens = (await session.exec(select(Canteen).order_by(col(Canteen.slug)))).all()
    served = {
        (row.canteen_id, row.weekday, row.meal)
        for row in (await session.exec(select(CanteenHours))).all()
    }
    dishes_by_name = {dish.name_en: dish for dish in (await session.exec(select(Dish))).all()}
    pools = {
        meal: [
            dishes_by_name[d.name_en]
            for d in DISHES
            if meal.value[0].upper() in d.meals
            and d.name_en in dishes_by_name
            and d.name_en not in STAPLES
        ]
        for meal in Meal
    }
    staples = [dishes_by_name[name] for name in STAPLES if name in dishes_by_name]
    first, last = today - timedelta(days=MENU_DAYS_BACK), today + timedelta(days=MENU_DAYS_AHEAD)
    existing = set(
        (
            await session.exec(
                select(col(Menu.canteen_id), col(Menu.served_on), col(Menu.meal)).where(
                    Menu.served_on >= first, Menu.served_on <= last
                )
            )
        ).all()
    )
    added = 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        for canteen in canteens:
            for meal in Meal:
                if (canteen.id, day, meal) in existing:
                    continue
                if (canteen.id, day.weekday(), meal) not in served:
                    continue
                rng = random.Random(f"{canteen.slug}/{day.isoformat()}/{meal.value}")
                chosen = rng.sample(pools[meal], k=min(DISHES_PER_MEAL[meal], len(pools[meal])))
                if meal != Meal.breakfast:
                    chosen += staples
                session.add(
                    Menu(
                        canteen_id=canteen.id,
                        served_on=day,
                        meal=meal,
                        items=[
                            MenuItem(dish_id=dish.id, position=position)
                            for position, dish in enumerate(chosen)
                        ],
                    )
                )
                added += 1
    return added
