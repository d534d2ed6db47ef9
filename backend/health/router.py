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


async def _replica_ready(rasa: RasaDep, url: str) -> None:
    status = await rasa.status(url)
    if not status.get("model_file"):
        raise RuntimeError("Rasa is up but has no model loaded")


async def _bot(rasa: RasaDep) -> dict[str, str]:
    """``bot``: ok while one replica answers with a model. With several replicas, each
    one's own state too (``bot http://…``): a replica down is worth seeing, not a 503."""
    urls = rasa.replicas.urls
    states = await asyncio.gather(*(_check(_replica_ready(rasa, url)) for url in urls))
    if len(urls) == 1:
        return {"bot": states[0]}
    up = states.count("ok")
    overall = "ok" if up else f"down: none of the {len(urls)} replicas answers"
    return {"bot": overall} | {f"bot {url}": state for url, state in zip(urls, states, strict=True)}


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"model": Health, "description": "At least one part is down."}},
)
async def healthz(session: SessionDep, cache: CacheDep, rasa: RasaDep) -> JSONResponse:
    """200 when the database, the cache and the bot all answer; 503 naming what is down."""
    database = await _check(_database_ready(session))
    cache_state, bot = await asyncio.gather(_check(cache.ping()), _bot(rasa))
    checks = {"database": database, "cache": cache_state} | bot
    healthy = all(checks[part] == "ok" for part in ("database", "cache", "bot"))
    body = Health(status="ok" if healthy else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
