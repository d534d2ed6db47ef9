"""Migrations go from empty to head and back, and match the models exactly."""

from collections.abc import AsyncIterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.config import Settings
from backend.core.db import create_engine
from backend.models import metadata
from tests.backend.conftest import alembic_config, ensure_postgres_database, reset_database


@pytest.fixture
async def scratch_engine(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[AsyncEngine]:
    """A second, empty database of the same kind as the one under test."""
    if settings.database_url.startswith("sqlite"):
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('mig') / 'm.db'}"
    else:
        url = f"{settings.database_url}_migrations"  # e.g. houqin_test_gw0_migrations
        await ensure_postgres_database(url)
    engine = create_engine(url)
    await reset_database(engine)
    yield engine
    await engine.dispose()


async def test_upgrade_downgrade_upgrade(scratch_engine: AsyncEngine) -> None:
    async with scratch_engine.begin() as connection:
        await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert set(metadata.tables) <= tables
        await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
        left = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert left <= {"alembic_version"}
        await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        diff = await connection.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), metadata
            )
        )
    assert diff == [], "run `alembic revision --autogenerate` for these model changes"
