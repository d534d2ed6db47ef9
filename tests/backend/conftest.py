"""Backend test fixtures.

The database comes from ``DATABASE_URL`` (SQLite file or PostgreSQL); the schema is built
by the real alembic migrations once per session, and every test runs inside a transaction
that is rolled back, so tests never see each other's rows. ``REDIS_URL`` set → the app
caches in Redis, else in-process.
"""

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
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

from backend.core.config import Settings
from backend.core.db import create_engine
from backend.core.deps import get_session
from backend.identity.models import STAFF_ROLES, Locale, Role, Team, TeamKind, Trade, User
from backend.main import create_app
from tests.backend.helpers import TEST_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("DATABASE_URL") or os.environ.get("HOUQIN_DATABASE_URL")
    if url:
        return Settings(env="development", database_url=url).database_url
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


@pytest.fixture
async def app(settings: Settings, session: AsyncSession) -> AsyncIterator[FastAPI]:
    """The app on the test's session; cache keys (rate limits…) are private to the test."""
    app = create_app(settings.model_copy(update={"cache_prefix": f"test:{uuid.uuid4().hex}:"}))

    async def test_session() -> AsyncIterator[AsyncSession]:
        yield session

    app.dependency_overrides[get_session] = test_session
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture(scope="session")
def password_hash() -> str:
    """A real argon2 hash with the cheapest parameters: verifying it (every test sign-in)
    costs under a millisecond instead of ~100 ms. Production hashes keep the defaults."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(TEST_PASSWORD)


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
