"""Request dependencies for the resources the app lifespan creates once.

All ``async def``: FastAPI runs plain ``def`` dependencies in a worker thread, a hop that
costs more than the dependency itself.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

import httpx
from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.core.clock import Clock
from backend.core.config import Section, Settings


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def domain_settings(kind: type[Section]) -> Callable[[Request], Awaitable[Section]]:
    """A dependency giving a domain's settings (``Settings.section``) from the app's."""

    async def get(request: Request) -> Section:
        settings: Settings = request.app.state.settings
        return settings.section(kind)

    return get


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessionmaker() as session:
        yield session


async def get_cache(request: Request) -> Cache:
    cache: Cache = request.app.state.cache
    return cache


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


async def get_http(request: Request) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.app.state.http
    return client


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
CacheDep = Annotated[Cache, Depends(get_cache)]
ClockDep = Annotated[Clock, Depends(get_clock)]
HttpDep = Annotated[httpx.AsyncClient, Depends(get_http)]
