"""Every table model, imported once so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from backend.core.models import IdempotencyRecord
from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import RefreshToken, Team, User
from backend.meals.models import Canteen, Dish, Menu, MenuItem
from backend.repairs.models import RepairEvent, RepairFollower, RepairPhoto, RepairTicket

metadata = SQLModel.metadata

__all__ = [
    "Building",
    "Canteen",
    "Dish",
    "IdempotencyRecord",
    "Menu",
    "MenuItem",
    "RefreshToken",
    "RepairEvent",
    "RepairFollower",
    "RepairPhoto",
    "RepairTicket",
    "Room",
    "RoomAssignment",
    "Team",
    "User",
    "metadata",
]
