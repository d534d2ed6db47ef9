"""The Houqin API: the only public surface of the system."""

import asyncio
import functools
import gc
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from datetime import datetime, timedelta

import httpx
from fastapi import APIRouter, FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.channels.router import router as channels_router
from backend.channels.runtime import Channels
from backend.channels.socketio import socketio_app
from backend.chat.live import create_hub
from backend.chat.pipeline import ChatState
from backend.chat.rasa import RasaClient
from backend.chat.router import router as chat_router
from backend.chat.service import purge_older_than
from backend.core.cache import create_cache
from backend.core.clock import Clock
from backend.core.config import API_PREFIX, Settings, get_settings
from backend.core.db import create_engine, create_sessionmaker
from backend.core.errors import install_error_handlers
from backend.core.limits import BodySizeLimit, InFlightLimit
from backend.core.openapi import install_openapi
from backend.core.outages import install_outage_handlers
from backend.core.ready import ReadyPath, ReadyResponses
from backend.dorms.router import router as dorms_router
from backend.dorms.service import profile_room
from backend.dorms.staff_router import router as dorms_staff_router
from backend.handoff.router import router as handoff_router
from backend.health.router import router as health_router
from backend.identity import principals
from backend.identity.router import router as identity_router
from backend.identity.web_session import router as web_session_router
from backend.meals import cache as meals_cache
from backend.meals.router import router as meals_router
from backend.meals.service import canteen_slug
from backend.meals.staff_router import router as meals_staff_router
from backend.notify.dispatcher import Dispatcher, Job
from backend.notify.router import admin_router as notify_admin_router
from backend.notify.router import router as notify_router
from backend.notify.service import wake_on_commit
from backend.repairs import caching as repairs_caching
from backend.repairs.router import router as repairs_router
from backend.rewards.router import admin_router as rewards_admin_router
from backend.rewards.router import router as rewards_router
from backend.surveys.admin import router as surveys_admin_router
from backend.surveys.notices import announce_open_invitations
from backend.surveys.router import router as surveys_router
from backend.unanswered.router import router as unanswered_router
from backend.web.router import install as install_web


def periodic_jobs(settings: Settings) -> list[Job]:
    """What the notification dispatcher also runs every minute."""

    async def survey_notices(session: AsyncSession, now: datetime) -> None:
        await announce_open_invitations(
            session=session, now=now, tz=settings.tz, reminders=settings.notify_survey_reminders
        )

    async def transcript_retention(session: AsyncSession, now: datetime) -> None:
        cutoff = now - timedelta(days=settings.transcript_retention_days)
        await purge_older_than(session=session, cutoff=cutoff)

    return [survey_notices, transcript_retention]


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The outgoing HTTP client's TLS settings, built once per process: loading the CA
    bundle takes ~20 ms of CPU, and tests start an app for each test."""
    return httpx.create_ssl_context()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        cache = create_cache(settings.redis_url, prefix=settings.cache_prefix)
        http = httpx.AsyncClient(verify=tls_context(), limits=httpx.Limits(max_connections=100))
        app.state.settings = settings
        app.state.clock = Clock(settings.tz)
        # identity's GET /me asks dorms and meals through these
        app.state.room_of = profile_room
        app.state.canteen_of = canteen_slug
        app.state.engine = engine
        app.state.sessionmaker = create_sessionmaker(engine)
        app.state.cache = cache
        app.state.http = http
        app.state.rasa = RasaClient(
            http=http,
            urls=settings.rasa_urls,
            token=settings.secret("rasa_token"),
            timeout=settings.rasa_timeout_seconds,
            retry_seconds=settings.rasa_retry_seconds,
        )
        hub = create_hub(settings.redis_url, prefix=settings.cache_prefix)
        app.state.chat = ChatState(
            sessions=app.state.sessionmaker,
            settings=settings,
            rasa=app.state.rasa,
            hub=hub,
            cache=cache,
            clock=app.state.clock,
        )
        app.state.channels = Channels(app, settings)
        await app.state.channels.start()
        app.state.dispatcher = Dispatcher(
            state=app.state.chat,
            senders=app.state.channels.senders(),
            periodic=periodic_jobs(settings),
            clock=app.state.clock,
        )
        dispatching = None
        if settings.notify_dispatcher:
            wake_on_commit(app.state.sessionmaker, app.state.dispatcher.wake)
            dispatching = asyncio.create_task(app.state.dispatcher.run_forever())
        try:
            yield
        finally:
            if dispatching is not None:
                dispatching.cancel()
                with suppress(asyncio.CancelledError):
                    await dispatching
            await app.state.channels.close()
            await hub.close()
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
        openapi_url=None,  # install_openapi serves the corrected document (if docs are on)
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    install_outage_handlers(app)
    install_openapi(app, docs=settings.docs_enabled)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        overrides={f"{API_PREFIX}/repairs": settings.max_upload_bytes},
    )
    app.add_middleware(
        ReadyResponses,
        paths=[ReadyPath.exact(f"{API_PREFIX}/menus", meals_cache.MEALS), repairs_caching.DETAIL],
        vouch=principals.cached_viewer,
    )
    # Outermost: an overloaded worker refuses before doing any work.
    app.add_middleware(InFlightLimit, limit=settings.max_in_flight, exempt=("/healthz",))
    api = APIRouter(prefix=API_PREFIX)
    # FastAPI tries the routers in turn, ~30 µs each: the chat's, the hottest request that
    # reaches routing (bench/chat.py), goes first. The routers' paths do not overlap.
    for router in (
        chat_router,
        identity_router,
        web_session_router,
        meals_router,
        meals_staff_router,
        dorms_router,
        dorms_staff_router,
        repairs_router,
        surveys_router,
        surveys_admin_router,
        rewards_router,
        rewards_admin_router,
        handoff_router,
        notify_router,
        notify_admin_router,
        channels_router,
        unanswered_router,
    ):
        api.include_router(router)
    app.include_router(api)
    app.include_router(health_router)
    app.mount("/socket.io", socketio_app(app, settings))  # Rasa web widgets
    install_web(app)
    # The modules, routes and models built so far live as long as the process: out of the
    # collector's sight, a full collection no longer walks them (bench/api_reads.py: the
    # ticket read's p99 at half rate 8-20 ms in three runs with this, 7-70 ms in three
    # without). Garbage is collected first, so none of it is kept for good.
    gc.collect()
    gc.freeze()
    return app
