from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


class Role(StrEnum):
    student = "student"
    technician = "technician"
    canteen_staff = "canteen_staff"
    dorm_manager = "dorm_manager"
    logistics_admin = "logistics_admin"


class Locale(StrEnum):
    en = "en"
    zh = "zh"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int = Field(default=None, primary_key=True)
    # Student number (s20240001) or staff number (t0001); the login name.
    username: str = Field(max_length=32, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_type(Role))
    name: str = Field(max_length=100)
    locale: Locale = Field(default=Locale.zh, sa_type=enum_type(Locale))
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
