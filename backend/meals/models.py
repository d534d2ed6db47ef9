from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from backend.core.types import enum_type


class Meal(StrEnum):
    breakfast = "breakfast"
    lunch = "lunch"
    dinner = "dinner"


class Canteen(SQLModel, table=True):
    __tablename__ = "canteens"

    id: int = Field(default=None, primary_key=True)
    # Stable short name used in URLs and by the bot's entity synonyms ("north").
    slug: str = Field(max_length=32, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    location_en: str = Field(default="", max_length=200)
    location_zh: str = Field(default="", max_length=200)


class Dish(SQLModel, table=True):
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
