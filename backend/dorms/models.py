from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Building(SQLModel, table=True):
    """A dormitory building (宿舍楼)."""

    __tablename__ = "buildings"

    id: int = Field(default=None, primary_key=True)
    # Short stable code used in URLs and by the bot ("B7").
    code: str = Field(max_length=16, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)


class Room(SQLModel, table=True):
    __tablename__ = "rooms"
    __table_args__ = (sa.UniqueConstraint("building_id", "number"),)

    id: int = Field(default=None, primary_key=True)
    building_id: int = Field(foreign_key="buildings.id", index=True)
    number: str = Field(max_length=16)  # "312"
    floor: int
    capacity: int = Field(default=4, ge=1)


class RoomAssignment(SQLModel, table=True):
    """A student lives in a room from ``starts_on`` until ``ends_on`` (open-ended if None)."""

    __tablename__ = "room_assignments"

    id: int = Field(default=None, primary_key=True)
    student_id: int = Field(foreign_key="users.id", index=True)
    room_id: int = Field(foreign_key="rooms.id", index=True)
    starts_on: date
    ends_on: date | None = None
