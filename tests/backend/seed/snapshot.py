"""A snapshot of the seeded demo campus: per table, its row count and a digest of its rows.

The demo campus is seeded into a fresh SQLite file (ids are then the same every run), for a
fixed day. Values that legitimately differ per run are checked, then masked: the argon2
hashes (random salt) must verify the demo password, the wall-clock stamps written while the
seed runs must lie inside the run. ``tests/backend/seed/demo_snapshot.json`` holds the
expected snapshot; after a deliberate change to ``demo/`` (or to what the seed writes),
rewrite it with ``.venv/bin/python -m tests.backend.seed.snapshot`` and review the diff.
"""

import asyncio
import hashlib
import json
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic import command
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.db import create_engine
from backend.seed.demo import seed_demo_campus
from backend.seed.identity import DEMO_PASSWORD
from tests.backend.conftest import alembic_config

TODAY = date(2026, 11, 23)
EXPECTED = Path(__file__).with_name("demo_snapshot.json")
PASSWORD_COLUMNS = {("users", "password_hash")}
# Stamped with the wall clock when the row is written (model defaults), not by the seed.
RUN_STAMPS = {
    ("channel_links", "linked_at"),
    ("guidance_articles", "updated_at"),
    ("reward_periods", "created_at"),
    ("reward_periods", "updated_at"),
    ("reward_versions", "finalized_at"),
    ("survey_campaigns", "created_at"),
    ("survey_invitations", "created_at"),
    ("survey_templates", "created_at"),
    ("users", "created_at"),
}
IGNORED_TABLES = {"alembic_version"}  # changes with every migration, not with the seed

Snapshot = dict[str, dict[str, Any]]
Tables = dict[str, tuple[list[str], list[str]]]  # per table: columns, rows (JSON, sorted)


class _Masker:
    def __init__(self, started: str, finished: str) -> None:
        self.started, self.finished = started, finished
        self.verified: set[str] = set()
        self.hasher = PasswordHasher()

    def __call__(self, table: str, column: str, value: Any) -> Any:
        if (table, column) in PASSWORD_COLUMNS:
            if value not in self.verified:
                try:
                    self.hasher.verify(value, DEMO_PASSWORD)
                except VerifyMismatchError as error:
                    message = f"{table}.{column}: does not verify the demo password"
                    raise AssertionError(message) from error
                self.verified.add(value)
            return "<hash of the demo password>"
        in_run = isinstance(value, str) and self.started <= value <= self.finished
        if (table, column) in RUN_STAMPS and in_run:
            return "<written during the seed run>"
        return value


def _read(sync: Connection, masker: _Masker) -> Tables:
    tables = {}
    for table in inspect(sync).get_table_names():
        if table in IGNORED_TABLES:
            continue
        result = sync.execute(text(f'SELECT * FROM "{table}"'))  # noqa: S608 - our own tables
        columns = list(result.keys())
        rows = sorted(
            json.dumps(
                [masker(table, column, value) for column, value in zip(columns, row, strict=True)],
                ensure_ascii=False,
                default=str,
            )
            for row in result
        )
        tables[table] = (columns, rows)
    return tables


def digest(columns: list[str], rows: list[str], keep: list[str]) -> str:
    """sha256 of the rows restricted to ``keep`` (columns added later are not in it)."""
    positions = [columns.index(column) for column in keep]
    restricted = sorted(json.dumps([json.loads(row)[i] for i in positions]) for row in rows)
    return hashlib.sha256("\n".join(restricted).encode()).hexdigest()


async def seeded_tables(folder: Path, today: date = TODAY) -> Tables:
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'demo.db'}")
    try:
        async with engine.begin() as connection:
            await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), "head"))
        started = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        async with AsyncSession(engine, expire_on_commit=False) as session:
            await seed_demo_campus(session=session, today=today)
        finished = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        masker = _Masker(started, finished)
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: _read(sync, masker))
    finally:
        await engine.dispose()


def snapshot(tables: Tables) -> Snapshot:
    return {
        table: {"rows": len(rows), "columns": columns, "sha256": digest(columns, rows, columns)}
        for table, (columns, rows) in sorted(tables.items())
    }


def differences(expected: Snapshot, tables: Tables) -> list[str]:
    """What differs from the expected snapshot, one line per table (empty: the same)."""
    found = []
    for table, want in expected.items():
        if table not in tables:
            found.append(f"{table}: table missing")
            continue
        columns, rows = tables[table]
        if gone := [c for c in want["columns"] if c not in columns]:
            found.append(f"{table}: columns missing: {gone}")
        elif len(rows) != want["rows"]:
            found.append(f"{table}: {len(rows)} rows, expected {want['rows']}")
        elif digest(columns, rows, want["columns"]) != want["sha256"]:
            found.append(f"{table}: {len(rows)} rows as expected, different content")
    for table, (_, rows) in tables.items():
        if table not in expected and rows:
            found.append(f"{table}: {len(rows)} rows in a table the snapshot does not know")
    return found


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        tables = asyncio.run(seeded_tables(Path(folder)))
    EXPECTED.write_text(json.dumps(snapshot(tables), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {EXPECTED} ({sum(len(rows) for _, rows in tables.values())} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
