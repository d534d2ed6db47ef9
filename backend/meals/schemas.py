import itertools
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from backend.core.types import Id
from backend.identity.models import Allergen
from backend.meals.models import DishTag, Meal, Nutrient

T = TypeVar("T")
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["11:00"])]


def _unique(values: list[T]) -> list[T]:
    return list(dict.fromkeys(values))


def _list_of(item: type[BaseModel], **extra: Any) -> ConfigDict:
    """A list wrapper's example: the item's example, once."""
    example = item.model_config["json_schema_extra"]["examples"][0]  # type: ignore[index]
    return ConfigDict(json_schema_extra={"examples": [{"data": [example], "count": 1, **extra}]})


class CanteenBrief(BaseModel):
    slug: str
    name_en: str
    name_zh: str

    model_config = ConfigDict(from_attributes=True)


_NORTH: dict[str, Any] = {"slug": "north", "name_en": "North Canteen", "name_zh": "北区食堂"}


# --- canteens --------------------------------------------------------------------------


class OpeningHours(BaseModel):
    meal: Meal
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")
    opens: HHMM
    closes: HHMM


class Closure(BaseModel):
    """Closed on ``date`` (a holiday): the whole day, or only ``meal``."""

    date: date
    meal: Meal | None = Field(default=None, description="null: closed all day.")
    note_en: str = Field(default="", max_length=200, examples=["National Day"])
    note_zh: str = Field(default="", max_length=200, examples=["国庆节"])

    model_config = ConfigDict(extra="forbid")


class NextOpening(BaseModel):
    meal: Meal
    date: date
    opens: HHMM


class CanteenInfo(CanteenBrief):
    """What is stored about a canteen (cached); open_now is computed per request."""

    id: int
    location_en: str
    location_zh: str
    hours: list[OpeningHours]
    closures: list[Closure] = Field(
        default=[], description="Days (from today on) it is closed despite its hours."
    )
    meal_plans: list[str] = Field(description="Slugs of the nutrition meal plans it takes part in.")


class CanteenPublic(CanteenInfo):
    open_now: bool
    next_opening: NextOpening | None = Field(
        description="The next start of a meal service after now (campus time); null if none "
        "in the coming week."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    **_NORTH,
                    "location_en": "North Campus, Building 3",
                    "location_zh": "北校区3号楼",
                    "hours": [
                        {"meal": "breakfast", "weekday": 0, "opens": "06:30", "closes": "09:00"},
                        {"meal": "lunch", "weekday": 0, "opens": "11:00", "closes": "13:30"},
                    ],
                    "meal_plans": ["balanced", "high-protein"],
                    "open_now": True,
                    "next_opening": {"meal": "dinner", "date": "2026-11-23", "opens": "17:00"},
                }
            ]
        }
    )


class CanteensPublic(BaseModel):
    data: list[CanteenPublic]
    count: int

    model_config = _list_of(CanteenPublic)


# --- dishes ----------------------------------------------------------------------------


class Nutrition(BaseModel):
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kcal": 2000, "protein_g": 75, "fat_g": 65, "carbs_g": 275, "sodium_mg": 2000}
            ]
        }
    )


_DISH_EXAMPLE: dict[str, Any] = {
    "id": 3,
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


class DishPublic(BaseModel):
    """A dish; nutrition is per serving."""

    id: int
    name_en: str
    name_zh: str
    price_fen: int
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int
    allergens: list[Allergen]
    tags: list[DishTag]
    contains_pork: bool
    owner_canteen: str | None = Field(
        description="Slug of the canteen whose recipe this is; null: the campus-wide catalogue."
    )

    model_config = ConfigDict(json_schema_extra={"examples": [_DISH_EXAMPLE]})


class DishesPublic(BaseModel):
    data: list[DishPublic]
    count: int
    total: int = Field(description="Matches in all, of which `data` is one page.")

    model_config = _list_of(DishPublic, total=1)


Allergens = Annotated[list[Allergen], AfterValidator(_unique)]
Tags = Annotated[list[DishTag], AfterValidator(_unique)]


def check_labels(tags: list[DishTag], contains_pork: bool) -> list[DishTag]:
    """Labels that can all be true at once; a vegan dish is also vegetarian."""
    if DishTag.vegan in tags and DishTag.vegetarian not in tags:
        tags = [*tags, DishTag.vegetarian]
    if contains_pork and (clash := [t for t in tags if t != DishTag.spicy]):
        names = ", ".join(sorted(clash))
        raise ValueError(f"a dish with pork cannot be {names}")
    return [tag for tag in DishTag if tag in tags]


class DishCreate(BaseModel):
    name_en: str = Field(min_length=1, max_length=100)
    name_zh: str = Field(min_length=1, max_length=100)
    price_fen: int = Field(ge=0, le=100_000)
    kcal: int = Field(ge=0, le=5_000, description="Per serving.")
    protein_g: float = Field(ge=0, le=500)
    fat_g: float = Field(ge=0, le=500)
    carbs_g: float = Field(ge=0, le=1_000)
    sodium_mg: int = Field(ge=0, le=20_000)
    allergens: Allergens = []
    tags: Tags = Field(default=[], description="`vegan` implies `vegetarian`.")
    contains_pork: bool = Field(
        default=False, description="Pork, lard or pork stock; excludes vegetarian/vegan/halal."
    )
    owner_canteen: str | None = Field(
        default=None,
        description="Canteen slug. Canteen staff create dishes for their own canteen (the "
        "default for them); the logistics office may leave it null for the campus catalogue.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> "DishCreate":
        self.tags = check_labels(self.tags, self.contains_pork)
        return self

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name_en": "Braised Tofu",
                    "name_zh": "家常豆腐",
                    "price_fen": 900,
                    "kcal": 260,
                    "protein_g": 15,
                    "fat_g": 16,
                    "carbs_g": 12,
                    "sodium_mg": 720,
                    "allergens": ["soy"],
                    "tags": ["vegan"],
                    "contains_pork": False,
                }
            ]
        },
    )


class DishUpdate(BaseModel):
    """Fields to change; omitted fields stay. `tags` and `allergens` replace the lists."""

    name_en: str | None = Field(default=None, min_length=1, max_length=100)
    name_zh: str | None = Field(default=None, min_length=1, max_length=100)
    price_fen: int | None = Field(default=None, ge=0, le=100_000)
    kcal: int | None = Field(default=None, ge=0, le=5_000)
    protein_g: float | None = Field(default=None, ge=0, le=500)
    fat_g: float | None = Field(default=None, ge=0, le=500)
    carbs_g: float | None = Field(default=None, ge=0, le=1_000)
    sodium_mg: int | None = Field(default=None, ge=0, le=20_000)
    allergens: Allergens | None = None
    tags: Tags | None = None
    contains_pork: bool | None = None

    @model_validator(mode="after")
    def _omit_rather_than_null(self) -> "DishUpdate":
        if nulls := sorted(name for name in self.model_fields_set if getattr(self, name) is None):
            raise ValueError(f"{', '.join(nulls)}: omit a field to leave it unchanged, not null")
        return self

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"price_fen": 1700, "sodium_mg": 990}]}
    )


# --- menus -----------------------------------------------------------------------------


class MenuPublic(BaseModel):
    id: int
    date: date
    meal: Meal
    canteen: CanteenBrief
    dishes: list[DishPublic]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "date": "2026-11-23",
                    "meal": "lunch",
                    "canteen": _NORTH,
                    "dishes": [_DISH_EXAMPLE],
                }
            ]
        }
    )


class MenusPublic(BaseModel):
    data: list[MenuPublic]
    count: int

    model_config = _list_of(MenuPublic)


class MenuReplace(BaseModel):
    dish_ids: list[Id] = Field(
        min_length=1, max_length=40, description="The dishes, in the order they are shown."
    )

    @model_validator(mode="after")
    def _no_repeats(self) -> "MenuReplace":
        if len(set(self.dish_ids)) != len(self.dish_ids):
            raise ValueError("dish_ids lists a dish twice")
        return self

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"dish_ids": [3, 9]}]}
    )


# --- meal plans ------------------------------------------------------------------------


class MealPlanBrief(BaseModel):
    slug: str
    name_en: str
    name_zh: str


class MealPlanInfo(MealPlanBrief):
    """What is stored about a plan (cached); `subscribed` is per student."""

    description_en: str
    description_zh: str
    targets: Nutrition = Field(description="Daily; sodium_mg is a ceiling, the rest targets.")
    focus: Nutrient | None = Field(
        description="The nutrient the plan is about; it counts double in suggestions."
    )
    canteens: list[str] = Field(description="Slugs of the canteens that take part in the plan.")


class MealPlanPublic(MealPlanInfo):
    subscribed: bool

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "balanced",
                    "name_en": "Balanced",
                    "name_zh": "均衡营养",
                    "description_en": "Everyday balance of energy, protein and fibre.",
                    "description_zh": "日常均衡的能量、蛋白质与膳食纤维。",
                    "targets": {
                        "kcal": 2000,
                        "protein_g": 75,
                        "fat_g": 65,
                        "carbs_g": 275,
                        "sodium_mg": 2000,
                    },
                    "focus": None,
                    "canteens": ["north", "south"],
                    "subscribed": True,
                }
            ]
        }
    )


class MealPlansPublic(BaseModel):
    data: list[MealPlanPublic]
    count: int

    model_config = _list_of(MealPlanPublic)


class SubscriptionRequest(BaseModel):
    plan: str = Field(min_length=1, max_length=32, description="Meal plan slug.")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"plan": "light"}]})


class SubscriptionPublic(BaseModel):
    plan: MealPlanBrief
    subscribed_at: datetime

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "plan": {"slug": "light", "name_en": "Light", "name_zh": "轻食"},
                    "subscribed_at": "2026-11-23T08:30:00Z",
                }
            ]
        }
    )


class Gap(BaseModel):
    """One nutrient of the day's totals measured against the plan."""

    nutrient: Literal["kcal", "protein_g", "fat_g", "carbs_g", "sodium_mg"]
    actual: float
    target: float
    kind: Literal["target", "ceiling"]
    off_by: float = Field(
        description="(actual - target) / target; for a ceiling only the excess counts."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nutrient": "sodium_mg",
                    "actual": 2452,
                    "target": 2000,
                    "kind": "ceiling",
                    "off_by": 0.226,
                }
            ]
        }
    )


_SUGGESTED_LUNCH: dict[str, Any] = {
    "meal": "lunch",
    "canteen": _NORTH,
    "dishes": [_DISH_EXAMPLE],
    "totals": {"kcal": 520, "protein_g": 32, "fat_g": 28, "carbs_g": 30, "sodium_mg": 1150},
    "price_fen": 1600,
}


class SuggestedMeal(BaseModel):
    meal: Meal
    canteen: CanteenBrief
    dishes: list[DishPublic]
    totals: Nutrition
    price_fen: int

    model_config = ConfigDict(json_schema_extra={"examples": [_SUGGESTED_LUNCH]})


class Suggestion(BaseModel):
    plan: MealPlanBrief
    date: date
    meals: list[SuggestedMeal]
    totals: Nutrition
    targets: Nutrition
    closeness: float = Field(ge=0, le=1, description="1 = every target met exactly.")
    gaps: list[Gap]
    price_fen: int
    notes_en: str
    notes_zh: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "plan": {"slug": "balanced", "name_en": "Balanced", "name_zh": "均衡营养"},
                    "date": "2026-11-24",
                    "meals": [_SUGGESTED_LUNCH],
                    "totals": {
                        "kcal": 1950,
                        "protein_g": 78,
                        "fat_g": 64.8,
                        "carbs_g": 256,
                        "sodium_mg": 2452,
                    },
                    "targets": {
                        "kcal": 2000,
                        "protein_g": 75,
                        "fat_g": 65,
                        "carbs_g": 275,
                        "sodium_mg": 2000,
                    },
                    "closeness": 0.92,
                    "gaps": [
                        {
                            "nutrient": "sodium_mg",
                            "actual": 2452,
                            "target": 2000,
                            "kind": "ceiling",
                            "off_by": 0.226,
                        }
                    ],
                    "price_fen": 4300,
                    "notes_en": "Off target: sodium 2452 mg (23% above the 2000 mg ceiling).",
                    "notes_zh": "偏离目标：钠2452毫克（比上限2000毫克高23%）。",
                }
            ]
        }
    )


# --- staff: opening hours and copying menus ---------------------------------------------


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


class OpeningHoursEdit(BaseModel):
    """A canteen's whole weekly timetable and its closures (holidays), replaced at once."""

    hours: list[OpeningHours] = Field(max_length=7 * len(Meal))
    closures: list[Closure] = Field(default=[], max_length=400)

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "hours": [{"meal": "lunch", "weekday": 0, "opens": "11:00", "closes": "13:30"}],
                    "closures": [
                        {
                            "date": "2026-10-01",
                            "meal": None,
                            "note_en": "National Day",
                            "note_zh": "国庆节",
                        }
                    ],
                }
            ]
        },
    )

    @model_validator(mode="after")
    def _consistent(self) -> "OpeningHoursEdit":
        by_day: dict[int, list[OpeningHours]] = {}
        for service in self.hours:
            if _minutes(service.opens) >= _minutes(service.closes):
                raise ValueError(
                    f"{service.meal.value} on weekday {service.weekday} must open before it "
                    f"closes ({service.opens}–{service.closes}). "
                    f"周{service.weekday + 1}的{MEAL_ZH[service.meal]}开始时间须早于结束时间。"
                )
            by_day.setdefault(service.weekday, []).append(service)
        for weekday, services in by_day.items():
            services.sort(key=lambda s: s.opens)
            for earlier, later in itertools.pairwise(services):
                if earlier.meal == later.meal or later.opens < earlier.closes:
                    raise ValueError(
                        f"On weekday {weekday} {earlier.meal.value} ({earlier.opens}–"
                        f"{earlier.closes}) and {later.meal.value} ({later.opens}–"
                        f"{later.closes}) overlap. 周{weekday + 1}的{MEAL_ZH[earlier.meal]}与"
                        f"{MEAL_ZH[later.meal]}时间重叠。"
                    )
        closed: dict[date, set[Meal | None]] = {}
        for closure in self.closures:
            meals = closed.setdefault(closure.date, set())
            if closure.meal in meals or (meals and (closure.meal is None or None in meals)):
                raise ValueError(
                    f"{closure.date.isoformat()} is closed twice; give one closure per meal, "
                    f"or one for the whole day. {closure.date.isoformat()} 的停业重复："
                    "请按餐次各写一条，或写一条全天停业。"
                )
            meals.add(closure.meal)
        return self


MEAL_ZH = {Meal.breakfast: "早餐", Meal.lunch: "午餐", Meal.dinner: "晚餐"}


class OpeningHoursPublic(BaseModel):
    canteen: CanteenBrief
    hours: list[OpeningHours]
    closures: list[Closure] = Field(description="Every recorded closure, past ones too.")


class MenuCopy(BaseModel):
    """Copy one canteen's menus of one day (``days`` 1) or week (``days`` 7, from
    ``source`` on) to the same meals from ``target`` on; target menus are replaced."""

    source: date
    target: date
    days: Literal[1, 7] = 1

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"source": "2026-11-23", "target": "2026-11-30", "days": 7}]
        },
    )

    @model_validator(mode="after")
    def _apart(self) -> "MenuCopy":
        if abs((self.target - self.source).days) < self.days:
            raise ValueError(
                "source and target days overlap; copy to other days. 源日期与目标日期重叠。"
            )
        return self


class MenuCopyResult(BaseModel):
    data: list[MenuPublic] = Field(description="The target menus as they are now.")
    count: int
    created: int = Field(description="How many of them did not exist before.")
