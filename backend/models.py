"""Every table model, imported once so ``SQLModel.metadata`` is complete (alembic, tests)."""

from sqlmodel import SQLModel

from backend.core.models import IdempotencyRecord
from backend.dorms.models import Building, Room, RoomAssignment
from backend.identity.models import RefreshToken, Team, User
from backend.meals.models import Canteen, Dish, Menu, MenuItem
from backend.rewards.models import RewardAppeal, RewardPeriod, RewardStatement, RewardVersion
from backend.surveys.models import (
    RepairCompletion,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
    SurveyTemplate,
)

metadata = SQLModel.metadata

__all__ = [
    "Building",
    "Canteen",
    "Dish",
    "IdempotencyRecord",
    "Menu",
    "MenuItem",
    "RefreshToken",
    "RepairCompletion",
    "RewardAppeal",
    "RewardPeriod",
    "RewardStatement",
    "RewardVersion",
    "Room",
    "RoomAssignment",
    "SurveyCampaign",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyTemplate",
    "Team",
    "User",
    "metadata",
]
