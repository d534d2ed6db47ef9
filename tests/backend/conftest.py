"""Backend test fixtures.

The database comes from ``DATABASE_URL`` (SQLite file or PostgreSQL); the schema is built
by the real alembic migrations once per session, and every test runs inside a transaction
that is rolled back, so tests never see each other's rows. ``REDIS_URL`` set → the app
caches in Redis, else in-process.
"""

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.datastructures import State

from backend.core import security
from backend.core.cache import create_cache
from backend.core.config import SECRET_NAMES, DatabaseSettings, Settings
from backend.core.db import create_engine
from backend.identity.models import STAFF_ROLES, Locale, Role, Team, TeamKind, Trade, User
from backend.main import create_app
from tests.backend.helpers import CLOCK_START, TEST_PASSWORD, StoppedClock, use_test_session

ROOT = Path(__file__).resolve().parents[2]
# Explicit secrets: the tests never create the installation's var/dev-secrets.json.
TEST_SECRETS = {name: f"test-{name}-{uuid.uuid4().hex}" for name in SECRET_NAMES}


# argon2 with the cheapest parameters: a hash or a check costs under a millisecond instead of
# ~200 ms of CPU (4 threads). Production keeps the defaults.
CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# pytest-xdist runs the suite in worker processes gw0, gw1, …; each gets its own database
# (PostgreSQL: houqin_test_gw0…, SQLite: test-gw0.db…) and its own cache prefix, so workers
# never see each other's rows, keys or files. Unset without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def per_worker(url: str) -> str:
    """The worker's own database: ``…/houqin_test`` → ``…/houqin_test_gw0``; a SQLite file
    ``test.db`` → ``test-gw0.db``. Unchanged without xdist."""
    if not WORKER:
        return url
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return parsed.set(database=f"{parsed.database}_{WORKER}").render_as_string(
            hide_password=False
        )
    if parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        return parsed.set(database=str(path.with_stem(f"{path.stem}-{WORKER}"))).render_as_string(
            hide_password=False
        )
    return url


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL") or os.environ.get("HOUQIN_DATABASE_URL")
    if url:
        return per_worker(DatabaseSettings(database_url=url).database_url)
    return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def reset_database(engine: AsyncEngine) -> None:
    """Start from an empty database (PostgreSQL is shared between runs, SQLite is fresh)."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))


async def ensure_postgres_database(url: str) -> None:
    """Create the test database on first use (the server is shared; the database is ours)."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql":
        return
    admin = create_engine(
        target.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    async with admin.connect() as connection:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            await connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    await admin.dispose()


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        env="development",
        database_url=_database_url(tmp_path_factory),
        redis_url=os.environ.get("REDIS_URL") or None,
        rasa_url="http://rasa.test",
        # Tests run the dispatcher themselves, on their own session (tests/backend/notify).
        notify_dispatcher=False,
        # Private to this run and worker (apps built on these settings share one Redis).
        cache_prefix=f"test:{uuid.uuid4().hex}:",
        **TEST_SECRETS,
    )


@pytest.fixture(scope="session")
async def engine(settings: Settings) -> AsyncIterator[AsyncEngine]:
    await ensure_postgres_database(settings.database_url)
    engine = create_engine(settings.database_url)
    await reset_database(engine)
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as connection:
        transaction = await connection.begin()
        yield connection
        await transaction.rollback()


@pytest.fixture
async def session(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """A session whose commits become savepoints of the test's outer transaction."""
    async with AsyncSession(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session


@pytest.fixture(scope="session")
def shared_app(settings: Settings) -> FastAPI:
    """Building the app (its routes and their models) costs more than most tests, so each
    worker builds it once; ``app`` gives every test fresh state on it."""
    return create_app(settings)


@pytest.fixture
async def app(
    shared_app: FastAPI, settings: Settings, session: AsyncSession
) -> AsyncIterator[FastAPI]:
    """The app on the test's session, with its own lifespan (engine, HTTP client), its own
    cache (in-process, or Redis under a prefix private to the test: rate limits, cached
    reads…), no leftover dependency overrides, state or routes a test added."""
    app = shared_app
    routes = list(app.router.routes)

    try:
        async with app.router.lifespan_context(app):
            own = app.state.cache
            app.state.cache = create_cache(settings.redis_url, prefix=f"test:{uuid.uuid4().hex}:")
            use_test_session(app, session)
            try:
                yield app
            finally:
                await app.state.cache.close()
                app.state.cache = own  # the lifespan closes the one it made
    finally:
        app.dependency_overrides.clear()
        app.router.routes[:] = routes
        app.openapi_schema = None
        app.state = State()


@pytest.fixture
def clock(app: FastAPI, settings: Settings) -> StoppedClock:
    """Stop the app's campus clock (routes, the chat pipeline, the channels, ready keys)
    at Monday 10:00 on campus; the test sets it or moves it on."""
    clock = StoppedClock(settings.tz, CLOCK_START)
    app.state.clock = clock
    app.state.chat = replace(app.state.chat, clock=clock)
    return clock


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """The app hashes and checks with CHEAP_ARGON2: the seeded demo accounts, and the dummy
    hash an unknown name is checked against (the rate-limit and lockout tests sign in
    with dozens of them). Same code path, real argon2."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(security, "_hasher", CHEAP_ARGON2)
        patch.setattr(security, "_DUMMY_HASH", CHEAP_ARGON2.hash("not-a-real-password"))
        yield


@pytest.fixture(scope="session")
def password_hash() -> str:
    """A real argon2 hash with the cheapest parameters: verifying it (every test sign-in)
    costs under a millisecond instead of ~200 ms."""
    return CHEAP_ARGON2.hash(TEST_PASSWORD)


TeamFactory = Callable[..., Awaitable[Team]]
UserFactory = Callable[..., Awaitable[User]]


@pytest.fixture
def make_team(session: AsyncSession) -> TeamFactory:
    counter = iter(range(1, 1_000_000))

    async def make(trade: Trade = Trade.electrical, **fields: Any) -> Team:
        n = next(counter)
        team = Team(
            slug=fields.pop("slug", f"test-team-{n}"),
            name_en=fields.pop("name_en", f"Test Team {n}"),
            name_zh=fields.pop("name_zh", f"测试班组{n}"),
            kind=fields.pop("kind", TeamKind.maintenance),
            trade=trade,
            **fields,
        )
        session.add(team)
        await session.commit()
        return team

    return make


@pytest.fixture
def make_user(session: AsyncSession, password_hash: str, make_team: TeamFactory) -> UserFactory:
    """A user; staff get a fresh maintenance team unless ``team_id`` is given."""
    counter = iter(range(1, 1_000_000))

    async def make(role: Role = Role.student, locale: Locale = Locale.en, **fields: Any) -> User:
        n = next(counter)
        prefix = "s" if role == Role.student else "t"
        if role in STAFF_ROLES and "team_id" not in fields:
            fields["team_id"] = (await make_team()).id
        user = User(
            username=fields.pop("username", f"{prefix}9{n:07d}"),
            name=fields.pop("name", f"Test User {n}"),
            role=role,
            locale=locale,
            password_hash=password_hash,
            **fields,
        )
        session.add(user)
        await session.commit()
        return user

    return make


# Fixtures through which a test reaches the database or the cache (the app uses both).
STORAGE_FIXTURES = {"settings", "engine", "connection", "session"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A ``database_free`` test runs in one backend suite only (scripts/test.sh): it must
    not reach the storage the other suite exists to test."""
    for item in items:
        uses = STORAGE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if item.get_closest_marker("database_free") and uses:
            raise pytest.UsageError(f"{item.nodeid} is database_free but uses {sorted(uses)}")
