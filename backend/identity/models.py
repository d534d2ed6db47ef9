from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


class Role(StrEnum):
    student = "student"
    technician = "technician"
    canteen_staff = "canteen_staff"
    dorm_manager = "dorm_manager"
    logistics_admin = "logistics_admin"


STAFF_ROLES = frozenset({Role.technician, Role.canteen_staff, Role.dorm_manager})


class Locale(StrEnum):
    en = "en"
    zh = "zh"


class Diet(StrEnum):
    vegetarian = "vegetarian"
    vegan = "vegan"
    halal = "halal"
    no_pork = "no_pork"


class Allergen(StrEnum):
    """The fixed allergen list dishes are labelled with."""

    peanut = "peanut"
    tree_nut = "tree_nut"
    milk = "milk"
    egg = "egg"
    fish = "fish"
    shellfish = "shellfish"
    soy = "soy"
    wheat_gluten = "wheat_gluten"
    sesame = "sesame"


class TeamKind(StrEnum):
    canteen = "canteen"  # one per canteen
    dorm = "dorm"  # dorm management, one per building
    maintenance = "maintenance"  # one crew per trade


class Trade(StrEnum):
    electrical = "electrical"
    plumbing = "plumbing"
    carpentry = "carpentry"  # furniture, doors and locks
    hvac = "hvac"  # air-conditioning and heating
    network = "network"
    appliance = "appliance"
    general = "general"


class Team(SQLModel, table=True):
    """A service team: the unit that is rated, scored and rewarded."""

    __tablename__ = "teams"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'canteen' AND canteen_id IS NOT NULL)"
            " OR (kind = 'dorm' AND building_id IS NOT NULL)"
            " OR (kind = 'maintenance' AND trade IS NOT NULL)",
            name="team_scope",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=48, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    kind: TeamKind = Field(sa_type=enum_type(TeamKind))
    canteen_id: int | None = Field(default=None, foreign_key="canteens.id", index=True)
    building_id: int | None = Field(default=None, foreign_key="buildings.id", index=True)
    trade: Trade | None = Field(default=None, sa_type=enum_type(Trade))


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role IN ('student', 'logistics_admin')) = (team_id IS NULL)",
            name="staff_have_a_team",
        ),
    )

    id: int = Field(default=None, primary_key=True)
    # Student number (s20240001) or staff number (t0001); the login name.
    username: str = Field(max_length=32, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_type(Role))
    name: str = Field(max_length=100)
    locale: Locale = Field(default=Locale.zh, sa_type=enum_type(Locale))
    # Staff (technicians, canteen staff, dorm managers) belong to exactly one team.
    team_id: int | None = Field(default=None, foreign_key="teams.id", index=True)
    # Students' dietary preferences and allergens (values of Diet / Allergen).
    diets: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    allergens: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.logistics_admin


class RefreshToken(SQLModel, table=True):
    """One refresh token (only its SHA-256 is stored); rotated on every use.

    Presenting a token that was already used means it leaked: its whole family (every
    token descended from the same sign-in) is revoked.
    """

    __tablename__ = "refresh_tokens"

    id: int = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    family: str = Field(max_length=32, index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
