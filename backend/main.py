"""The Houqin API: the only public surface of the system."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import APIRouter, FastAPI

from backend.chat.rasa import RasaClient
from backend.chat.router import router as chat_router
from backend.core.cache import create_cache
from backend.core.config import Settings, get_settings
from backend.core.db import create_engine, create_sessionmaker
from backend.core.errors import install_error_handlers
from backend.core.limits import BodySizeLimit
from backend.dorms.router import router as dorms_router
from backend.handoff.router import router as handoff_router
from backend.health.router import router as health_router
from backend.identity.router import router as identity_router
from backend.meals.router import router as meals_router
from backend.repairs.router import router as repairs_router
from backend.rewards.router import admin_router as rewards_admin_router
from backend.rewards.router import router as rewards_router
from backend.surveys.admin import router as surveys_admin_router
from backend.surveys.router import router as surveys_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        cache = create_cache(settings.redis_url, prefix=settings.cache_prefix)
        http = httpx.AsyncClient(limits=httpx.Limits(max_connections=100))
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.cache = cache
        app.state.http = http
        app.state.rasa = RasaClient(
            http=http,
            base_url=settings.rasa_url,
            token=settings.secret("rasa_token"),
            timeout=settings.rasa_timeout_seconds,
        )
        try:
            yield
        finally:
            await http.aclose()
            await cache.close()
            await engine.dispose()

    app = FastAPI(
        title="Houqin 后勤 API",
        version="0.1.0",
        description=(
            "Campus services: canteen menus, dorm life, repairs and the assistant. "
            "Sign in with POST /api/v1/auth/token, then send `Authorization: Bearer <token>`. "
            'Errors always look like `{"error": "CanteenNotFound", "detail": "…"}`.'
        ),
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        overrides={f"{API_PREFIX}/repairs": settings.max_upload_bytes},
    )
    api = APIRouter(prefix=API_PREFIX)
    for router in (
        identity_router,
        meals_router,
        dorms_router,
        repairs_router,
        surveys_router,
        surveys_admin_router,
        rewards_router,
        rewards_admin_router,
        chat_router,
        handoff_router,
    ):
        api.include_router(router)
    app.include_router(api)
    app.include_router(health_router)
    return app
