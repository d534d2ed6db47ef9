"""Seeded rows captured once and written again per test.

Some fixtures seed hundreds of rows through the ORM (the demo dorms: 432 rooms, 49 guidance
articles and their ~7,000 index terms), which costs ~0.5 s of CPU per test. A ``Snapshot``
runs the seeding once per worker, on an empty database in a transaction that is rolled
back, and keeps the rows it wrote; ``restore`` writes exactly those rows (ids included)
into the test's transaction with one bulk insert per table.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.models import metadata


@dataclass(frozen=True)
class Snapshot:
    tables: list[tuple[Table, list[dict[str, Any]]]]  # parents before children

    @classmethod
    async def capture(
        cls, engine: AsyncEngine, seed: Callable[[AsyncSession], Awaitable[None]]
    ) -> "Snapshot":
        async with engine.connect() as connection:
            transaction = await connection.begin()
            before = {
                table: await connection.scalar(select(func.count()).select_from(table))
                for table in metadata.sorted_tables
            }
            async with AsyncSession(
                bind=connection, join_transaction_mode="create_savepoint"
            ) as session:
                await seed(session)
                await session.commit()
            tables = []
            for table in metadata.sorted_tables:
                rows = [dict(row) for row in (await connection.execute(select(table))).mappings()]
                # Only tables the seeding filled from empty: their rows are all its own.
                assert not before[table] or len(rows) == before[table], table.name
                if rows and not before[table]:
                    tables.append((table, rows))
            await transaction.rollback()
        return cls(tables)

    async def restore(self, session: AsyncSession) -> None:
        connection = await session.connection()
        for table, rows in self.tables:
            await connection.execute(table.insert(), rows)
