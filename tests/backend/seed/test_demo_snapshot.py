"""The demo campus seeds the same rows as the snapshot taken from the Python seed before the
demo moved to data files (``demo/``): same tables, row counts and content (digests)."""

import json
from pathlib import Path

import pytest

from tests.backend.seed.snapshot import EXPECTED, differences, seeded_tables

# It seeds a throwaway SQLite of its own: nothing the PostgreSQL suite would add.
pytestmark = pytest.mark.database_free


async def test_the_demo_campus_matches_its_snapshot(tmp_path: Path) -> None:
    tables = await seeded_tables(tmp_path)
    expected = json.loads(EXPECTED.read_text())
    assert sum(table["rows"] for table in expected.values()) > 18_000
    assert differences(expected, tables) == [], (
        "the demo campus changed; if on purpose, run `.venv/bin/python -m "
        "tests.backend.seed.snapshot` and review the diff of tests/backend/seed/demo_snapshot.json"
    )
