"""Every table model, imported once so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from backend.identity.models import User
from backend.meals.models import Canteen, Dish, Menu, MenuItem

metadata = SQLModel.metadata

__all__ = ["Canteen", "Dish", "Menu", "MenuItem", "User", "metadata"]
