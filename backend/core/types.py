"""Column types shared by every domain.

Convention for integer primary keys: ``id: int = Field(default=None, primary_key=True)``.
The id is None only between construction and the first flush; typing it ``int`` keeps
every use after that free of Optional checks.
"""

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Path, Query
from pydantic import Field


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware one (campus or UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_type(enum: type[Enum]) -> sa.Enum:
    """Store an enum by value as VARCHAR (no native PG enum: adding a value needs no DDL)."""
    return sa.Enum(
        enum,
        native_enum=False,
        length=32,
        values_callable=lambda members: [member.value for member in members],
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- request parameters
# Every integer a client sends is bounded before it reaches the database: ids fit the
# INTEGER (int4) columns they are compared with, so 2^31 or 2^63 is a 422 ValidationError,
# never a driver overflow (a 500 on PostgreSQL). Pages are capped so that offsets stay small.
MAX_ID = 2**31 - 1
MAX_PAGE = 10_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id inside a request body (e.g. ``assignee_id``)."""
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="An id (1 … 2^31-1).")]
"""An id in the URL path: ``/repairs/{repair_id}``."""
IdQuery = Annotated[int, Query(ge=1, le=MAX_ID)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
Offset = Annotated[int, Query(ge=0, le=MAX_PAGE * 200)]
