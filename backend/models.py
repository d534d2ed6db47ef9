"""Every table model, imported once so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from backend.core.models import IdempotencyRecord
from backend.dorms.models import (
    AcademicTerm,
    Building,
    ChecklistItem,
    GuidanceArticle,
    GuidanceTerm,
    MoveWindow,
    Room,
    RoomAssignment,
)
from backend.identity.models import RefreshToken, Team, User
from backend.meals.models import Canteen, Dish, Menu, MenuItem

metadata = SQLModel.metadata

__all__ = [
    "AcademicTerm",
    "Building",
    "Canteen",
    "ChecklistItem",
    "Dish",
    "GuidanceArticle",
    "GuidanceTerm",
    "IdempotencyRecord",
    "Menu",
    "MenuItem",
    "MoveWindow",
    "RefreshToken",
    "Room",
    "RoomAssignment",
    "Team",
    "User",
    "metadata",
]
