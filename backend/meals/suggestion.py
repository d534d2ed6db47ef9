"""A day of meals from the real menus that comes close to a nutrition plan's targets.

Method (deterministic, greedy by meal, exhaustive within a meal):

1. Candidates are that day's menus of the canteens taking part in the student's plan, with
   only the dishes that suit the student's diets and allergens (``diet.suits``) and that
   were not already picked for an earlier meal that day.
2. Meals are planned in order: breakfast, lunch, dinner. The day's targets are shared out
   30 % / 40 % / 30 %; each meal aims at the *cumulative* share (breakfast 30 %, after lunch
   70 %, after dinner 100 %), so a later meal makes up for what an earlier one missed.
3. For one meal, every combination of 1 to 3 dishes from one canteen's menu is scored and
   the lowest loss wins; ties go to fewer dishes, then the cheaper, then the earlier canteen
   and dish ids. A canteen named with ``canteen=`` is used whenever it has something
   suitable for that meal; otherwise the others are.
4. Loss = weighted mean of each nutrient's relative deviation, capped at 1: |actual −
   target| / target for kcal (weight 2), protein, fat and carbohydrate (weight 1 each);
   sodium is a ceiling, so only the excess counts (weight 1). The plan's focus nutrient
   (protein for high-protein, sodium for low-sodium…) weighs one more.
5. closeness = 1 − loss of the day's totals against the full targets, same weights (0 with
   no meal at all). The notes name every nutrient more than 10 % off, and every meal that could not
   be planned as asked, in English and Chinese.
"""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.identity.models import User
from backend.meals import plans as plans_service
from backend.meals import service
from backend.meals.diet import suits
from backend.meals.exceptions import NoMealPlan
from backend.meals.models import Meal
from backend.meals.schemas import (
    CanteenInfo,
    DishPublic,
    Gap,
    MealPlanBrief,
    MenuPublic,
    Nutrition,
    SuggestedMeal,
    Suggestion,
)

NUTRIENTS = ("kcal", "protein_g", "fat_g", "carbs_g", "sodium_mg")
CEILINGS = frozenset({"sodium_mg"})
WEIGHTS = {"kcal": 2.0, "protein_g": 1.0, "fat_g": 1.0, "carbs_g": 1.0, "sodium_mg": 1.0}
SHARES = {Meal.breakfast: 0.3, Meal.lunch: 0.4, Meal.dinner: 0.3}
MAX_DISHES_PER_MEAL = 3
TOLERANCE = 0.10

_MEAL_ZH = {Meal.breakfast: "早餐", Meal.lunch: "午餐", Meal.dinner: "晚餐"}
_NAMES = {
    "kcal": ("energy", "kcal", "热量", "千卡"),
    "protein_g": ("protein", "g", "蛋白质", "克"),
    "fat_g": ("fat", "g", "脂肪", "克"),
    "carbs_g": ("carbohydrate", "g", "碳水化合物", "克"),
    "sodium_mg": ("sodium", "mg", "钠", "毫克"),
}

Vector = tuple[float, ...]


def _vector(item: DishPublic | Nutrition) -> Vector:
    return tuple(float(getattr(item, nutrient)) for nutrient in NUTRIENTS)


def _add(*vectors: Vector) -> Vector:
    return tuple(sum(values) for values in zip(*vectors, strict=True))


def _nutrition(vector: Vector) -> Nutrition:
    kcal, protein, fat, carbs, sodium = vector
    return Nutrition(
        kcal=round(kcal),
        protein_g=round(protein, 1),
        fat_g=round(fat, 1),
        carbs_g=round(carbs, 1),
        sodium_mg=round(sodium),
    )


def off_by(nutrient: str, actual: float, target: float) -> float:
    """Signed relative deviation; for a ceiling only the excess counts."""
    if nutrient in CEILINGS:
        return max(0.0, actual - target) / target
    return (actual - target) / target


def weights(focus: str | None) -> Vector:
    return tuple(WEIGHTS[nutrient] + (nutrient == focus) for nutrient in NUTRIENTS)


def loss(actual: Vector, goal: Vector, weight: Vector) -> float:
    total = sum(
        w * min(1.0, abs(off_by(nutrient, value, target)))
        for nutrient, value, target, w in zip(NUTRIENTS, actual, goal, weight, strict=True)
    )
    return total / sum(weight)


@dataclass(frozen=True)
class _Pick:
    menu: MenuPublic
    dishes: tuple[DishPublic, ...]

    @property
    def vector(self) -> Vector:
        return _add(*(_vector(dish) for dish in self.dishes))

    @property
    def price_fen(self) -> int:
        return sum(dish.price_fen for dish in self.dishes)


def _combinations(menu: MenuPublic, dishes: list[DishPublic]) -> Iterator[_Pick]:
    for size in range(1, MAX_DISHES_PER_MEAL + 1):
        for combo in combinations(dishes, size):
            yield _Pick(menu, combo)


def _best(
    options: list[tuple[int, MenuPublic, list[DishPublic]]],
    running: Vector,
    goal: Vector,
    weight: Vector,
) -> _Pick:
    def key(item: tuple[int, _Pick]) -> tuple[float, int, int, int, tuple[int, ...]]:
        order, pick = item
        score = round(loss(_add(running, pick.vector), goal, weight), 9)
        return score, len(pick.dishes), pick.price_fen, order, tuple(d.id for d in pick.dishes)

    candidates = (
        (order, pick) for order, menu, dishes in options for pick in _combinations(menu, dishes)
    )
    return min(candidates, key=key)[1]


def _gap_notes(gaps: list[Gap]) -> tuple[str, str]:
    en, zh = [], []
    for gap in gaps:
        if abs(gap.off_by) <= TOLERANCE:
            continue
        name_en, unit_en, name_zh, unit_zh = _NAMES[gap.nutrient]
        percent = round(abs(gap.off_by) * 100)
        actual, target = f"{gap.actual:.0f}", f"{gap.target:.0f}"
        if gap.kind == "ceiling":
            en.append(
                f"{name_en} {actual} {unit_en} ({percent}% above the {target} {unit_en} ceiling)"
            )
            zh.append(f"{name_zh}{actual}{unit_zh}（比上限{target}{unit_zh}高{percent}%）")
        else:
            side_en = "above" if gap.off_by > 0 else "below"
            side_zh = "高" if gap.off_by > 0 else "低"
            en.append(
                f"{name_en} {actual} {unit_en} ({percent}% {side_en} the {target} {unit_en} target)"
            )
            zh.append(f"{name_zh}{actual}{unit_zh}（比目标{target}{unit_zh}{side_zh}{percent}%）")
    if not en:
        return (
            f"Every nutrient is within {TOLERANCE:.0%} of the plan's targets.",
            f"各项营养均在计划目标的{TOLERANCE:.0%}以内。",
        )
    return "Off target: " + "; ".join(en) + ".", "偏离目标：" + "；".join(zh) + "。"


def plan_day(
    *,
    plan: MealPlanBrief,
    served_on: date,
    targets: Nutrition,
    focus: str | None,
    menus: list[MenuPublic],
    canteens: list[CanteenInfo],
    plan_canteens: Collection[str],
    preferred: str | None,
    diets: Collection[str],
    allergens: Collection[str],
) -> Suggestion:
    """The suggestion for one day (see the module docstring for the method)."""
    names = {canteen.slug: canteen for canteen in canteens}
    order = {canteen.slug: index for index, canteen in enumerate(canteens)}
    notes_en: list[str] = []
    notes_zh: list[str] = []
    if preferred is not None and preferred not in plan_canteens:
        canteen = names[preferred]
        notes_en.append(
            f"{canteen.name_en} does not take part in the {plan.name_en} plan; "
            "dishes come from canteens that do."
        )
        notes_zh.append(f"{canteen.name_zh}未参与{plan.name_zh}计划，已从参与的食堂选菜。")
        preferred = None
    target_vector = _vector(targets)
    weight = weights(focus)
    running: Vector = (0.0,) * len(NUTRIENTS)
    used: set[int] = set()
    share = 0.0
    meals: list[SuggestedMeal] = []
    for meal in Meal:
        share += SHARES[meal]
        goal = tuple(value * share for value in target_vector)
        options = [
            (
                order.get(menu.canteen.slug, len(order)),
                menu,
                [
                    dish
                    for dish in menu.dishes
                    if dish.id not in used and suits(dish, diets=diets, allergens=allergens)
                ],
            )
            for menu in menus
            if menu.meal == meal and menu.canteen.slug in plan_canteens
        ]
        options = [option for option in options if option[2]]
        if preferred is not None:
            mine = [option for option in options if option[1].canteen.slug == preferred]
            if mine:
                options = mine
            elif options:
                canteen = names[preferred]
                notes_en.append(
                    f"{canteen.name_en} has nothing suitable for {meal.value} that day; "
                    "picked from another canteen."
                )
                notes_zh.append(
                    f"{canteen.name_zh}当天{_MEAL_ZH[meal]}没有合适的菜，已从其他食堂选。"
                )
        if not options:
            notes_en.append(f"No suitable {meal.value} on that day's menus.")
            notes_zh.append(f"当天菜单上没有合适的{_MEAL_ZH[meal]}。")
            continue
        pick = _best(options, running, goal, weight)
        running = _add(running, pick.vector)
        used.update(dish.id for dish in pick.dishes)
        meals.append(
            SuggestedMeal(
                meal=meal,
                canteen=pick.menu.canteen,
                dishes=list(pick.dishes),
                totals=_nutrition(pick.vector),
                price_fen=pick.price_fen,
            )
        )
    totals = _nutrition(running)
    gaps = [
        Gap(
            nutrient=nutrient,  # type: ignore[arg-type]  # one of the literal names
            actual=getattr(totals, nutrient),
            target=getattr(targets, nutrient),
            kind="ceiling" if nutrient in CEILINGS else "target",
            off_by=round(off_by(nutrient, actual, target), 3),
        )
        for nutrient, actual, target in zip(NUTRIENTS, running, target_vector, strict=True)
    ]
    closeness = round(1 - loss(running, target_vector, weight), 2) if meals else 0.0
    gap_en, gap_zh = _gap_notes(gaps) if meals else ("", "")
    return Suggestion(
        plan=plan,
        date=served_on,
        meals=meals,
        totals=totals,
        targets=targets,
        closeness=closeness,
        gaps=gaps,
        price_fen=sum(meal.price_fen for meal in meals),
        notes_en=" ".join(filter(None, [*notes_en, gap_en])),
        notes_zh="".join(filter(None, [*notes_zh, gap_zh])),
    )


async def suggest(
    *, session: AsyncSession, cache: Cache, user: User, served_on: date, canteen: str | None
) -> Suggestion:
    plan = await plans_service.current_plan(session=session, user=user)
    if plan is None:
        raise NoMealPlan()
    if canteen is not None:
        await service.find_canteen(session=session, cache=cache, slug=canteen)
    infos = await plans_service.plans(session=session, cache=cache)
    if not any(item.slug == plan.slug for item in infos):  # newer than the cached list
        infos = await plans_service.load_plans(session=session)
    info = next(item for item in infos if item.slug == plan.slug)
    return plan_day(
        plan=MealPlanBrief(slug=plan.slug, name_en=plan.name_en, name_zh=plan.name_zh),
        served_on=served_on,
        targets=plans_service.targets(plan),
        focus=plan.focus,
        menus=await service.day_menus(session=session, cache=cache, served_on=served_on),
        canteens=await service.canteens(session=session, cache=cache),
        plan_canteens=info.canteens,
        preferred=canteen,
        diets=user.diets,
        allergens=user.allergens,
    )
