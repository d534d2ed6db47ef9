from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.core.types import UTCDateTime, utcnow


class IdempotencyRecord(SQLModel, table=True):
    """The stored answer to a creating POST sent with an ``Idempotency-Key``."""

    __tablename__ = "idempotency_records"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    key: str = Field(max_length=100)
    # SHA-256 of method, path and canonical body: same key + other body is refused.
    request_hash: str = Field(max_length=64)
    status_code: int
    response_body: Any = Field(sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
