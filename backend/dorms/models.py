from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, enum_type, utcnow


def _text(default: str = "") -> Any:
    """A bilingual free-text column; existing rows get ``default`` when it is added."""
    return Field(default=default, sa_type=sa.Text, sa_column_kwargs={"server_default": default})


def _clock(default: str) -> Any:
    """A wall-clock time of day (campus time), e.g. quiet hours start."""
    return Field(
        default=time.fromisoformat(default),
        sa_type=sa.Time,
        sa_column_kwargs={"server_default": sa.text(f"'{default}:00'")},
    )


class Building(SQLModel, table=True):
    """A dormitory building (宿舍楼) and the house rules that differ between buildings."""

    __tablename__ = "buildings"

    id: int = Field(default=None, primary_key=True)
    # Short stable code used in URLs and by the bot ("B7").
    code: str = Field(max_length=16, unique=True, index=True)
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    # Quiet hours and the hours the front door is locked (campus time; may wrap midnight).
    quiet_starts: time = _clock("23:00")
    quiet_ends: time = _clock("07:00")
    door_locks_at: time = _clock("23:30")
    door_opens_at: time = _clock("06:00")
    visitor_rules_en: str = _text()
    visitor_rules_zh: str = _text()
    laundry_en: str = _text()
    laundry_zh: str = _text()
    # Electricity and water top-up: where and how.
    top_up_en: str = _text()
    top_up_zh: str = _text()
    manager_name: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    manager_phone: str = Field(default="", max_length=32, sa_column_kwargs={"server_default": ""})
    manager_email: str = Field(default="", max_length=100, sa_column_kwargs={"server_default": ""})
    manager_office_en: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )
    manager_office_zh: str = Field(
        default="", max_length=200, sa_column_kwargs={"server_default": ""}
    )


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


class AcademicTerm(SQLModel, table=True):
    """A semester: the unit move-in and move-out dates belong to."""

    __tablename__ = "academic_terms"

    id: int = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True, index=True)  # "2026-autumn"
    name_en: str = Field(max_length=100)
    name_zh: str = Field(max_length=100)
    starts_on: date
    ends_on: date


class MoveKind(StrEnum):
    move_in = "move_in"
    move_out = "move_out"


class MoveWindow(SQLModel, table=True):
    """The days students move in (or out) in a term: campus-wide (building_id None) or for
    one building, which then replaces the campus-wide window for its residents."""

    __tablename__ = "move_windows"
    __table_args__ = (sa.UniqueConstraint("term_id", "building_id", "kind"),)

    id: int = Field(default=None, primary_key=True)
    term_id: int = Field(foreign_key="academic_terms.id", index=True)
    building_id: int | None = Field(default=None, foreign_key="buildings.id", index=True)
    kind: MoveKind = Field(sa_type=enum_type(MoveKind))
    opens_on: date
    closes_on: date
    note_en: str = Field(default="", sa_type=sa.Text)
    note_zh: str = Field(default="", sa_type=sa.Text)


class DueAnchor(StrEnum):
    """What a checklist item's date is counted from."""

    opens = "opens"  # the first day of the window
    closes = "closes"  # the last day of the window


class ChecklistItem(SQLModel, table=True):
    """One step of the move-in or move-out checklist: for everyone (building_id None) or
    only for one building's residents. Its date is the window's anchor day + offset."""

    __tablename__ = "checklist_items"

    id: int = Field(default=None, primary_key=True)
    kind: MoveKind = Field(sa_type=enum_type(MoveKind), index=True)
    building_id: int | None = Field(default=None, foreign_key="buildings.id", index=True)
    position: int = 0
    text_en: str = Field(sa_type=sa.Text)
    text_zh: str = Field(sa_type=sa.Text)
    due_anchor: DueAnchor | None = Field(default=None, sa_type=enum_type(DueAnchor))
    due_offset_days: int = 0


class GuidanceArticle(SQLModel, table=True):
    """A bilingual how-to or rule. ``topic`` groups the versions of one rule: the general
    one (building_id None) and building-specific ones that override it for residents."""

    __tablename__ = "guidance_articles"

    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    topic: str = Field(max_length=48, index=True)
    building_id: int | None = Field(default=None, foreign_key="buildings.id", index=True)
    title_en: str = Field(max_length=200)
    title_zh: str = Field(max_length=200)
    summary_en: str = Field(sa_type=sa.Text)
    summary_zh: str = Field(sa_type=sa.Text)
    body_en: str = Field(sa_type=sa.Text)
    body_zh: str = Field(sa_type=sa.Text)
    tags: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Other ways people ask for this (synonyms, both languages); indexed like the title.
    aliases: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    # Weighted number of indexed terms: BM25's document length.
    indexed_length: float = 0
    # A draft (e.g. from an unanswered-questions group) is indexed but found by no search
    # and read by no student until its editor publishes it.
    published: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="users.id")


class GuidanceTerm(SQLModel, table=True):
    """Inverted index: one row per (article, normalised term) with its field-weighted
    frequency. Search fetches the rows of the query's terms and ranks in the backend, so
    SQLite and PostgreSQL rank identically."""

    __tablename__ = "guidance_terms"
    __table_args__ = (sa.UniqueConstraint("term", "article_id"),)

    id: int = Field(default=None, primary_key=True)
    term: str = Field(max_length=64)
    article_id: int = Field(foreign_key="guidance_articles.id", index=True, ondelete="CASCADE")
    weight: float
