"""``Idempotency-Key`` for creating POSTs: a retried request never creates twice.

The same key with the same body returns the stored response (status and body, with
``Idempotent-Replayed: true``); the same key with another body is 422. The record is
committed in the same transaction as what the request created, so either both exist or
neither does.
"""

import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.errors import AppError
from backend.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,100}$")


class InvalidIdempotencyKey(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "Idempotency-Key must be 1–100 visible ASCII characters (a UUID is ideal)."


class IdempotencyKeyReused(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = (
        "This Idempotency-Key was already used for a different request; "
        "use a new key for a new request."
    )


def _fingerprint(request: Request, payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.url.path}\n{canonical}".encode()).hexdigest()


def _replay(record: IdempotencyRecord) -> JSONResponse:
    return JSONResponse(
        record.response_body,
        status_code=record.status_code,
        headers={"Idempotent-Replayed": "true"},
    )


def _replay_checked(record: IdempotencyRecord, fingerprint: str) -> JSONResponse:
    if record.request_hash != fingerprint:
        raise IdempotencyKeyReused()
    return _replay(record)


async def _stored(session: AsyncSession, user_id: int, key: str) -> IdempotencyRecord | None:
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
    )
    return (await session.exec(query)).first()


async def run_once(
    *,
    request: Request,
    session: AsyncSession,
    user_id: int,
    payload: Any,
    create: Callable[[], Awaitable[BaseModel]],
    status_code: int = status.HTTP_201_CREATED,
) -> JSONResponse:
    """Run ``create`` (which adds but does not commit) at most once per key, then commit.

    ``payload`` is what identifies the request (usually ``body.model_dump(mode="json")``).
    """
    key = request.headers.get(HEADER)
    if key is None:
        result = await create()
        await session.commit()
        return JSONResponse(result.model_dump(mode="json"), status_code=status_code)
    if not _VALID_KEY.match(key):
        raise InvalidIdempotencyKey()
    fingerprint = _fingerprint(request, payload)
    if (record := await _stored(session, user_id, key)) is not None:
        return _replay_checked(record, fingerprint)
    try:
        result = await create()
    except AppError:
        # A concurrent request with this key may have committed since we looked: then
        # "already answered" (or the like) is our own first attempt, and the client gets
        # its answer. PostgreSQL shows rows committed meanwhile to a new statement.
        with session.no_autoflush:  # whatever create() added half-way stays unsent
            record = await _stored(session, user_id, key)
        if record is not None:
            return _replay_checked(record, fingerprint)
        raise
    body = result.model_dump(mode="json")
    session.add(
        IdempotencyRecord(
            user_id=user_id,
            key=key,
            request_hash=fingerprint,
            status_code=status_code,
            response_body=body,
        )
    )
    try:
        await session.commit()
    except IntegrityError:
        # A concurrent request with the same key won; ours is rolled back entirely.
        await session.rollback()
        record = await _stored(session, user_id, key)
        if record is None:
            raise
        return _replay_checked(record, fingerprint)
    return JSONResponse(body, status_code=status_code)
