from datetime import date, datetime, time
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


class Meal(StrEnum):
    breakfast = "breakfast"
    lunch = "lunch"
    dinner = "dinner"


class DishTag(StrEnum):
    vegetarian = "vegetarian"  # no meat, poultry, fish or seafood (eggs and milk allowed)
    vegan = "vegan"  # no animal product at all; always also vegetarian
    halal = "halal"  # prepared at a halal (清真) window
    spicy = "spicy"


class Nutrient(StrEnum):
    kcal = "kcal"
    protein_g = "protein_g"
    fat_g = "fat_g"
    carbs_g = "carbs_g"
    sodium_mg = "sodium_mg"


class CanteenMealPlan(SQLModel, table=True):
    """A nutrition meal plan a canteen takes part in (serves and accepts)."""

    __tablename__ = "canteen_meal_plans"

    canteen_id: int = Field(foreign_key="canteens.id", primary_key=True, ondelete="CASCADE")
    plan_id: int = Field(
        foreign_key="meal_plans.id", primary_key=True, index=True, ondelete="CASCADE"
    )


class Canteen(SQLModel, table=True):
    __tablename__ = "canteens"

    id: int = Field(default=None, primary_key=True)
    # Stable short name used in URLs and by the bot's entity synonyms ("north").
    slug: str = Field(max_length=32, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    location_en: str = Field(default="", max_length=200)
    location_zh: str = Field(default="", max_length=200)

    hours: list["CanteenHours"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "[CanteenHours.weekday, CanteenHours.opens]",
            "cascade": "all, delete-orphan",
        }
    )
    closures: list["CanteenClosure"] = Relationship(
        sa_relationship_kwargs={
            "order_by": "[CanteenClosure.closed_on, CanteenClosure.meal]",
            "cascade": "all, delete-orphan",
        }
    )
    meal_plans: list["MealPlan"] = Relationship(
        link_model=CanteenMealPlan, sa_relationship_kwargs={"order_by": "MealPlan.position"}
    )


class CanteenHours(SQLModel, table=True):
    """When a canteen serves one meal on one weekday, in campus local time.

    A weekday without a row for a meal means the canteen does not serve that meal then.
    """

    __tablename__ = "canteen_hours"
    __table_args__ = (
        sa.UniqueConstraint("canteen_id", "weekday", "meal"),
        sa.CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_monday_0_to_sunday_6"),
        sa.CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: int = Field(default=None, primary_key=True)
    canteen_id: int = Field(foreign_key="canteens.id", index=True, ondelete="CASCADE")
    weekday: int  # 0 = Monday … 6 = Sunday
    meal: Meal = Field(sa_type=enum_type(Meal))
    opens: time
    closes: time


class CanteenClosure(SQLModel, table=True):
    """An exception to the weekly hours: the canteen is closed on one day (a holiday), for
    the whole day (``meal`` None) or for one meal."""

    __tablename__ = "canteen_closures"

    id: int = Field(default=None, primary_key=True)
    canteen_id: int = Field(foreign_key="canteens.id", index=True, ondelete="CASCADE")
    closed_on: date
    meal: Meal | None = Field(default=None, sa_type=enum_type(Meal))
    note_en: str = Field(default="", max_length=200)
    note_zh: str = Field(default="", max_length=200)


class Dish(SQLModel, table=True):
    """One dish, nutrition per serving. Labels are facts about the recipe, kept consistent by
    the API: vegan implies vegetarian; pork rules out vegetarian, vegan and halal."""

    __tablename__ = "dishes"

    id: int = Field(default=None, primary_key=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    price_fen: int = Field(ge=0)
    kcal: int = Field(ge=0)
    protein_g: float = Field(default=0, ge=0)
    fat_g: float = Field(default=0, ge=0)
    carbs_g: float = Field(default=0, ge=0)
    sodium_mg: int = Field(default=0, ge=0)
    # Values of identity.models.Allergen.
    allergens: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    vegetarian: bool = False
    vegan: bool = False
    halal: bool = False
    spicy: bool = False
    # Pork, lard or pork stock: what a `no_pork` diet rules out.
    contains_pork: bool = False
    # The kitchen whose recipe this is (its staff may edit it); None: the campus-wide
    # catalogue, edited by the logistics office and served by any canteen.
    canteen_id: int | None = Field(default=None, foreign_key="canteens.id", index=True)

    canteen: Canteen | None = Relationship()

    @property
    def tags(self) -> list[DishTag]:
        return [tag for tag in DishTag if getattr(self, tag.value)]


class MenuItem(SQLModel, table=True):
    __tablename__ = "menu_items"

    menu_id: int = Field(default=None, foreign_key="menus.id", primary_key=True, ondelete="CASCADE")
    dish_id: int = Field(foreign_key="dishes.id", primary_key=True, index=True)
    position: int = 0

    dish: Dish = Relationship()


class Menu(SQLModel, table=True):
    """What one canteen serves at one meal on one day."""

    __tablename__ = "menus"
    __table_args__ = (sa.UniqueConstraint("canteen_id", "served_on", "meal"),)

    id: int = Field(default=None, primary_key=True)
    canteen_id: int = Field(foreign_key="canteens.id", index=True)
    served_on: date = Field(index=True)
    meal: Meal = Field(sa_type=enum_type(Meal))

    canteen: Canteen = Relationship()
    items: list[MenuItem] = Relationship(
        sa_relationship_kwargs={"order_by": "MenuItem.position", "cascade": "all, delete-orphan"}
    )


class MealPlan(SQLModel, table=True):
    """A nutrition meal plan (营养餐计划) and its daily targets.

    kcal, protein, fat and carbohydrate are targets (both too little and too much count as
    off); sodium is a ceiling (less is fine).
    """

    __tablename__ = "meal_plans"

    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=32, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    description_en: str = Field(default="", max_length=500)
    description_zh: str = Field(default="", max_length=500)
    kcal: int = Field(gt=0)
    protein_g: float = Field(gt=0)
    fat_g: float = Field(gt=0)
    carbs_g: float = Field(gt=0)
    sodium_mg: int = Field(gt=0)
    # What the plan is about (protein for high-protein…): counts double in suggestions.
    focus: Nutrient | None = Field(default=None, sa_type=enum_type(Nutrient))
    position: int = 0  # display order


class MealPlanSubscription(SQLModel, table=True):
    """The one meal plan a student follows."""

    __tablename__ = "meal_plan_subscriptions"

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True, index=True, ondelete="CASCADE")
    plan_id: int = Field(foreign_key="meal_plans.id", index=True)
    subscribed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
