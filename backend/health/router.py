"""Liveness of every part a student's request depends on."""

import asyncio
from collections.abc import Awaitable
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.chat.dependencies import RasaDep
from backend.core.deps import CacheDep, SessionDep

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_SECONDS = 3.0


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]  # part → "ok" or what is wrong


async def _check(probe: Awaitable[object]) -> str:
    try:
        await asyncio.wait_for(probe, timeout=CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        return f"down: {type(exc).__name__}: {exc}"[:200]
    return "ok"


async def _database_ready(session: AsyncSession) -> None:
    await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    await session.close()  # release the connection before waiting on the others


async def _bot_ready(rasa: RasaDep) -> None:
    status = await rasa.status()
    if not status.get("model_file"):
        raise RuntimeError("Rasa is up but has no model loaded")


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "At least one part is down."}},
)
async def healthz(session: SessionDep, cache: CacheDep, rasa: RasaDep) -> JSONResponse:
    """200 when the database, the cache and the bot all answer; 503 naming what is down."""
    database = await _check(_database_ready(session))
    cache_state, bot = await asyncio.gather(_check(cache.ping()), _check(_bot_ready(rasa)))
    checks = {"database": database, "cache": cache_state, "bot": bot}
    healthy = all(state == "ok" for state in checks.values())
    body = Health(status="ok" if healthy else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
