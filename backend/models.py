"""Every table model, imported once so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from backend.core.models import IdempotencyRecord
from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import RefreshToken, Team, User
from backend.meals.models import (
    Canteen,
    CanteenHours,
    CanteenMealPlan,
    Dish,
    MealPlan,
    MealPlanSubscription,
    Menu,
    MenuItem,
)

metadata = SQLModel.metadata

__all__ = [
    "Building",
    "Canteen",
    "CanteenHours",
    "CanteenMealPlan",
    "Dish",
    "IdempotencyRecord",
    "MealPlan",
    "MealPlanSubscription",
    "Menu",
    "MenuItem",
    "RefreshToken",
    "Room",
    "RoomAssignment",
    "Team",
    "User",
    "metadata",
]
