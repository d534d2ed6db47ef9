"""Benchmark: one period's scores and one reward calculation over 1,000,000 answers.

    .venv/bin/python bench/surveys_rewards.py [--responses 1000000] [--runs 5]
        [--sqlite var/bench_surveys.db] [--postgres postgresql+asyncpg://…/houqin_bench_surveys]
        [--no-postgres] [--reuse]

Builds each database from the real migrations, loads 30 teams (10 canteen, 10 dorm, 10
maintenance crews), 20,000 students and N answers (with their invitations) spread over 12
monthly periods, plus the crews' repair completions, then times, for the busiest period:

- scores:  ``surveys.scoring.period_scores`` (the service the API uses, Decimal results);
- reward:  ``rewards.service.preview`` (gather inputs + exact allocation + statements);
- raw-same: the scores' aggregates as plain SQL text, GROUP BY team over the same rows;
- raw-count-avg: ``SELECT team_id, COUNT(*), AVG(overall) … GROUP BY team_id``, the
  minimal GROUP BY over the same rows (printed for comparison).

Each is run once to warm up, then ``--runs`` rounds run all four in turn (so a busy
moment on a shared machine hits them alike); the medians are reported. Answers are stored
in arrival order (ids grow with the period), as they would be. ``--reuse`` skips loading
when the databases already hold the data.
Targets: scores and reward ≤ 2 s on SQLite, ≤ 1 s on PostgreSQL, ≤ 1.5 × raw-same.
"""

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from sqlalchemy import delete as sa_delete  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402
from sqlmodel.ext.asyncio.session import AsyncSession  # noqa: E402

from backend.core.db import create_engine  # noqa: E402
from backend.rewards import service as rewards  # noqa: E402
from backend.rewards.models import RewardPeriod  # noqa: E402
from backend.surveys.scoring import period_scores  # noqa: E402

PERIODS = [f"{2025 + (m + 11) // 12}-{(m + 11) % 12 + 1:02d}" for m in range(12)]  # 2025-12 …
TEAMS = 30
STUDENTS = 20_000
CHUNK = 50_000
DIMS = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
TRADES = ["electrical", "plumbing", "carpentry", "hvac", "network", "appliance", "general"]
RAW = (
    "SELECT team_id, COUNT(*), AVG(overall) FROM survey_responses "
    "WHERE period = :period AND counted = true GROUP BY team_id"
)
RAW_ALL = (
    "SELECT team_id, COUNT(*), SUM(overall), SUM(CASE WHEN overall >= 4 THEN 1 ELSE 0 END), "  # noqa: S608
    "COUNT(recommend), SUM(CASE WHEN recommend >= 9 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN recommend <= 6 THEN 1 ELSE 0 END), "
    + ", ".join(f"SUM({d}), COUNT({d})" for d in DIMS)
    + " FROM survey_responses WHERE period = :period AND counted = true GROUP BY team_id"
)


def alembic_upgrade(connection: Any) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def prepare(engine: AsyncEngine) -> None:
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    async with engine.begin() as connection:
        await connection.run_sync(alembic_upgrade)


async def ensure_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(
        target.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    async with admin.connect() as connection:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        )
        if not exists:
            await connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    await admin.dispose()


# ---- data --------------------------------------------------------------------------------

BASE = datetime(2025, 12, 1, tzinfo=UTC)


def reference_rows() -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {
        "canteens": [(i, f"c{i}", f"Canteen {i}", f"食堂{i}", "", "") for i in range(1, 11)],
        "buildings": [(i, f"B{i}", f"Building {i}", f"{i}号楼") for i in range(1, 11)],
        "teams": [],
        "users": [],
        "survey_templates": [
            (1, "bench", "Bench", "基准", json.dumps([{"key": "overall"}]), True, BASE)
        ],
    }
    for i in range(1, TEAMS + 1):
        kind = ("canteen", "dorm", "maintenance")[(i - 1) // 10]
        n = (i - 1) % 10 + 1
        rows["teams"].append(
            (
                i,
                f"team-{i}",
                f"Team {i}",
                f"班组{i}",
                kind,
                n if kind == "canteen" else None,
                n if kind == "dorm" else None,
                TRADES[n % len(TRADES)] if kind == "maintenance" else None,
            )
        )
    for i in range(1, STUDENTS + 1):
        rows["users"].append(
            (i, f"b{i:07d}", "x", "student", f"S{i}", "zh", None, "[]", "[]", True, BASE)
        )
    return rows


REFERENCE_COLUMNS = {
    "canteens": "id, slug, name_en, name_zh, location_en, location_zh",
    "buildings": "id, code, name_en, name_zh",
    "teams": "id, slug, name_en, name_zh, kind, canteen_id, building_id, trade",
    "users": "id, username, password_hash, role, name, locale, team_id, diets, allergens, "
    "is_active, created_at",
    "survey_templates": "id, slug, name_en, name_zh, questions, is_current, created_at",
}
INVITATION_COLUMNS = (
    "id, template_id, source, source_id, student_id, team_id, period, subject_en, subject_zh, "
    "opens_at, expires_at, answered_at, created_at"
)
RESPONSE_COLUMNS = (
    "id, invitation_id, team_id, period, source, overall, tangibles, reliability, "
    "responsiveness, assurance, empathy, recommend, comment, opened_at, submitted_at, "
    "seconds_to_answer, via_bot, ip_hash, flags, counted"
)
COMPLETION_COLUMNS = "id, repair_id, team_id, period, completed_at, due_at"


def answer_rows(total: int) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """(invitations, responses) in chunks; the same seed gives the same rows."""
    rng = random.Random(20261123)
    quality = [3.2 + rng.random() * 1.5 for _ in range(TEAMS + 1)]
    sources = ["canteen"] * 10 + ["dorm"] * 10 + ["repair"] * 10
    invitations: list[tuple[Any, ...]] = []
    responses: list[tuple[Any, ...]] = []
    for i in range(1, total + 1):
        p = (i - 1) * 12 // total  # answers arrive over time: ids grow with the period
        period = PERIODS[p]
        team = rng.randint(1, TEAMS)
        source = sources[team - 1]
        at = BASE + timedelta(days=31 * p + rng.random() * 28)
        overall = max(1, min(5, round(rng.gauss(quality[team], 0.9))))
        dims = (
            [max(1, min(5, overall + rng.choice((-1, 0, 0, 1)))) for _ in DIMS]
            if rng.random() < 0.6
            else [None] * 5
        )
        recommend = (
            min(10, max(0, overall * 2 + rng.choice((-2, -1, 0, 1))))
            if rng.random() < 0.7
            else None
        )
        flagged = rng.random() < 0.05
        invitations.append(
            (
                i,
                1,
                source,
                i,
                rng.randint(1, STUDENTS),
                team,
                period,
                "s",
                "s",
                at,
                at + timedelta(days=14),
                at,
                at,
            )
        )
        responses.append(
            (
                i,
                i,
                team,
                period,
                source,
                overall,
                *dims,
                recommend,
                None,
                at - timedelta(seconds=60),
                at,
                60,
                False,
                f"{rng.getrandbits(64):016x}",
                '["too_fast"]' if flagged else "[]",
                not flagged,
            )
        )
        if len(responses) == CHUNK:
            yield invitations, responses
            invitations, responses = [], []
    if responses:
        yield invitations, responses


def completion_rows() -> list[tuple[Any, ...]]:
    rng = random.Random(7)
    rows = []
    for i in range(1, 36_001):
        p = i % 12
        at = BASE + timedelta(days=31 * p + rng.random() * 28)
        due = at + timedelta(hours=rng.randint(-10, 40))
        rows.append((i, 10_000_000 + i, 21 + i % 10, PERIODS[p], at, due))
    return rows


def sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def load_sqlite(path: Path, total: int) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")

    def insert(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(columns.split(",")))
        db.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - our constants
            [tuple(sqlite_value(v) for v in row) for row in rows],
        )

    for table, rows in reference_rows().items():
        insert(table, REFERENCE_COLUMNS[table], rows)
    for invitations, responses in answer_rows(total):
        insert("survey_invitations", INVITATION_COLUMNS, invitations)
        insert("survey_responses", RESPONSE_COLUMNS, responses)
    insert("survey_repair_completions", COMPLETION_COLUMNS, completion_rows())
    db.commit()
    db.execute("ANALYZE")
    db.close()


async def load_postgres(engine: AsyncEngine, total: int) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection

        async def copy(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
            names = [c.strip() for c in columns.split(",")]
            await driver.copy_records_to_table(table, records=rows, columns=names)

        for table, rows in reference_rows().items():
            await copy(table, REFERENCE_COLUMNS[table], rows)
        for invitations, responses in answer_rows(total):
            await copy("survey_invitations", INVITATION_COLUMNS, invitations)
            await copy("survey_responses", RESPONSE_COLUMNS, responses)
        await copy("survey_repair_completions", COMPLETION_COLUMNS, completion_rows())
        for table in ("users", "teams", "survey_invitations", "survey_responses"):
            await driver.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
        await connection.commit()
    # A steady-state database: autovacuum would have set the visibility map by now.
    vacuum = create_engine(
        engine.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )
    async with vacuum.connect() as connection:
        await connection.execute(text("VACUUM ANALYZE"))
    await vacuum.dispose()


# ---- timing ------------------------------------------------------------------------------


async def medians(runs: int, jobs: dict[str, Callable[[], Awaitable[Any]]]) -> dict[str, float]:
    """Each job once to warm up, then ``runs`` rounds of every job in turn (so a busy
    moment on a shared machine hits them alike); the median per job."""
    for job in jobs.values():
        await job()
    samples: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            started = time.perf_counter()
            await job()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


async def measure(engine: AsyncEngine, runs: int) -> dict[str, float]:
    period = PERIODS[0]
    async with AsyncSession(engine, expire_on_commit=False) as session:
        admin_id = 1
        await session.exec(sa_delete(RewardPeriod))  # type: ignore[call-overload]
        reward_period = RewardPeriod(
            period=period,
            name_en="Bench",
            name_zh="基准",
            pool_fen=5_000_000,
            rules={
                "baseline": "3.8000",
                "min_responses": 20,
                "prior_weight": "10.00",
                "default_weight": "1.0000",
                "weights": {"team-21": "1.2000"},
                "cap_fen": 400_000,
                "sla_multiplier": True,
                "sla_floor": "0.5000",
            },
            created_by=admin_id,
        )
        session.add(reward_period)
        await session.commit()

        async def scores() -> Any:
            async with AsyncSession(engine) as s:
                return await period_scores(session=s, period=period, prior_weight=Decimal(10))

        async def reward() -> Any:
            async with AsyncSession(engine) as s:
                found = await s.get(RewardPeriod, reward_period.id)
                assert found is not None
                return await rewards.preview(session=s, reward_period=found)

        async def raw(sql: str) -> Any:
            async with engine.connect() as connection:
                return (await connection.execute(text(sql), {"period": period})).all()

        rows = await raw(RAW_ALL)
        counted = sum(r[1] for r in rows)
        result: dict[str, float] = {
            "rows_in_period": counted,
            **await medians(
                runs,
                {
                    "raw": lambda: raw(RAW),
                    "scores": scores,
                    "reward": reward,
                    "raw_all": lambda: raw(RAW_ALL),
                },
            ),
        }
        preview = await reward()
        assert sum(s.amount_fen for s in preview.statements) == preview.distributed_fen
        assert len((await scores()).teams) == TEAMS
    return result


async def loaded(engine: AsyncEngine, total: int) -> bool:
    try:
        async with engine.connect() as connection:
            count = await connection.scalar(text("SELECT COUNT(*) FROM survey_responses"))
    except Exception:  # no such table yet
        return False
    return bool(count == total)


async def bench(
    name: str, url: str, total: int, runs: int, sqlite_path: Path | None, reuse: bool
) -> dict[str, float]:
    if url.startswith("postgresql"):
        await ensure_postgres_database(url)
    engine = create_engine(url)
    try:
        if reuse and await loaded(engine, total):
            print(f"{name}: reusing the {total:,} answers already loaded", flush=True)
            return await measure(engine, runs)
        if sqlite_path is not None:
            await engine.dispose()
            fresh_sqlite(sqlite_path)
        await prepare(engine)
        started = time.perf_counter()
        if sqlite_path is not None:
            await engine.dispose()
            load_sqlite(sqlite_path, total)
        else:
            await load_postgres(engine, total)
        print(
            f"{name}: loaded {total:,} answers in {time.perf_counter() - started:.0f} s", flush=True
        )
        return await measure(engine, runs)
    finally:
        await engine.dispose()


def report(name: str, r: dict[str, float], limit: float) -> bool:
    """The ratio target is judged against the raw SQL computing the same aggregates; the
    ratio to the minimal COUNT/AVG GROUP BY is printed beside it."""
    same = max(r["scores"], r["reward"]) / r["raw_all"]
    ok = r["scores"] <= limit and r["reward"] <= limit and same <= 1.5
    print(
        f"{name:<10} rows/period {int(r['rows_in_period']):>7,}  "
        f"scores {r['scores'] * 1000:6.1f} ms  reward {r['reward'] * 1000:6.1f} ms  "
        f"raw same aggregates {r['raw_all'] * 1000:6.1f} ms  "
        f"raw COUNT/AVG {r['raw'] * 1000:6.1f} ms\n"
        f"{'':<10} scores/raw-same {r['scores'] / r['raw_all']:.2f}×  "
        f"reward/raw-same {r['reward'] / r['raw_all']:.2f}×  "
        f"(scores/raw-count-avg {r['scores'] / r['raw']:.2f}×, "
        f"reward/raw-count-avg {r['reward'] / r['raw']:.2f}×)  "
        f"{'OK' if ok else 'MISSED'} (≤ {limit:g} s, ≤ 1.5× raw same aggregates)"
    )
    return ok


def fresh_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sqlite", type=Path, default=ROOT / "var" / "bench_surveys.db")
    parser.add_argument(
        "--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/houqin_bench_surveys"
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--reuse", action="store_true", help="skip loading when the databases hold the data"
    )
    args = parser.parse_args()
    if args.runs < 3:
        parser.error("--runs must be at least 3 (medians)")
    args.sqlite.parent.mkdir(parents=True, exist_ok=True)
    results = {
        "SQLite": await bench(
            "SQLite",
            f"sqlite+aiosqlite:///{args.sqlite}",
            args.responses,
            args.runs,
            args.sqlite,
            args.reuse,
        )
    }
    if not args.no_postgres:
        results["PostgreSQL"] = await bench(
            "PostgreSQL", args.postgres, args.responses, args.runs, None, args.reuse
        )
    print(f"\nmedians of {args.runs} runs, {args.responses:,} answers, {TEAMS} teams, 12 periods")
    ok = report("SQLite", results["SQLite"], 2.0)
    if "PostgreSQL" in results:
        ok = report("PostgreSQL", results["PostgreSQL"], 1.0) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
