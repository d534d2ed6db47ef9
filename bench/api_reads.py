"""Benchmark: authenticated reads against a bare FastAPI hello world, same server settings.

    .venv/bin/python -m bench.api_reads [--duration 10] [--keep-db]

1. Creates the PostgreSQL database ``houqin_bench`` (``--pg`` for another server), migrates
   it and seeds the demo campus plus >= 10,000 historical repair tickets.
2. For each app in turn — the bare hello world, then the Houqin API — starts uvicorn with
   one worker and identical settings, then loads it with wrk (Debian's ``wrk``; installed
   with apt-get if missing and we are root):
   - maximum throughput: closed loop, ``--connections`` connections, ``--duration`` s;
   - p99 latency at half that rate: wrk paced by a Lua ``delay()`` per connection (wrk is
     closed-loop: the achieved rate is printed next to the target).
3. Prints each endpoint's throughput as a ratio to hello world and its p99 at half rate.

Another endpoint is one more line in ENDPOINTS (paths built from the Context).
"""

import argparse
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx
from fastapi import FastAPI

from backend.core.config import get_settings
from backend.core.security import create_token

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TARGET_P99_MS = 50.0
MIN_TICKETS = 10_000
BENCH_PASSWORD = "demo-pass"  # noqa: S105 - the development seed's published password

# ------------------------------------------------------------------ the baseline app

hello = FastAPI()


@hello.get("/")
async def hello_world() -> dict[str, str]:
    return {"message": "Hello World"}


# ------------------------------------------------------------------ what is measured


@dataclass
class Context:
    """What endpoints need to build their request paths."""

    today: date
    student_username: str
    repair_ids: list[int]  # tickets the signed-in student may see


Caller = Literal["student", "bot"]


@dataclass
class Endpoint:
    name: str
    paths: Callable[[Context], list[str]]
    target_ratio: float | None  # throughput vs hello world; None: measured for comparison only
    caller: Caller = "student"  # "bot": the action server acting for the student


def _tickets(ctx: Context) -> list[str]:
    return [f"/api/v1/repairs/{i}" for i in ctx.repair_ids]


ENDPOINTS = [
    # Today's menus for every canteen and meal: served from the cache after the first read.
    Endpoint("GET /menus?date=today", lambda ctx: [f"/api/v1/menus?date={ctx.today}"], 0.5),
    # The student's own tickets: ready bytes per viewer after each ticket's first read.
    Endpoint("GET /repairs/{id}", _tickets, 0.35),
    # The same tickets through the route every time: the bot's reads are never served from
    # ready bytes (what a read costs right after a write, or for a viewer not yet stored).
    Endpoint("GET /repairs/{id} bot (ref.)", _tickets, None, caller="bot"),
    # The floor any authenticated route starts from (token check + user lookup).
    Endpoint("GET /me (reference)", lambda ctx: ["/api/v1/me"], None),
]

# Identical for both apps.
UVICORN_ARGS = [
    "--workers=1",
    "--loop=uvloop",
    "--http=httptools",
    "--no-access-log",
    "--log-level=warning",
    "--backlog=2048",
]

# ------------------------------------------------------------------ database


def _db_url(server: str, database: str) -> str:
    return f"{server.rstrip('/')}/{database}"


async def _prepare_database(server: str, database: str, *, keep: bool, today: date) -> None:
    from sqlalchemy import text
    from sqlmodel import func, select

    from backend.core.db import create_engine, create_sessionmaker
    from backend.repairs.models import RepairTicket
    from backend.seed.demo import seed_demo_campus
    from backend.seed.repairs import add_history

    admin = create_engine(_db_url(server, "postgres"), isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        exists = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database}
        )
        if exists and not keep:
            await connection.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
            exists = False
        if not exists:
            await connection.execute(text(f'CREATE DATABASE "{database}"'))
    await admin.dispose()
    url = _db_url(server, database)
    subprocess.run(  # noqa: ASYNC221 - before anything else runs
        [str(Path(PYTHON).parent / "alembic"), "upgrade", "head"],
        cwd=ROOT,
        env={**os.environ, "HOUQIN_DATABASE_URL": url, "DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        print("seed:", await seed_demo_campus(session=session, today=today))
        count = (await session.exec(select(func.count()).select_from(RepairTicket))).one()
        if count < MIN_TICKETS:
            started = time.perf_counter()
            added = await add_history(
                session, today, tickets=MIN_TICKETS - count, seed="houqin-bench"
            )
            await session.commit()
            print(f"seed: added {added} bench tickets in {time.perf_counter() - started:.1f} s")
        await session.exec(text("ANALYZE"))  # type: ignore[call-overload]
        await session.commit()
    await engine.dispose()


# ------------------------------------------------------------------ servers and wrk


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _server(
    app: str, *, env: dict[str, str], ready_path: str, factory: bool = False
) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            app,
            *(["--factory"] if factory else []),
            "--host=127.0.0.1",
            f"--port={port}",
            *UVICORN_ARGS,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + ready_path, timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{app} did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


LUA = """
local paths = {paths}
local headers = {headers}
local pause = {pause}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end
if pause > 0 then
  delay = function() return pause end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "mean_us": %f, ' ..
    '"errors": %d, "non_2xx": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def _lua_table(values: list[str]) -> str:
    return "{" + ", ".join(json.dumps(value) for value in values) + "}"


def _lua_headers(headers: dict[str, str]) -> str:
    return "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()) + "}"


@dataclass
class Run:
    rate: float  # requests per second achieved
    p50_ms: float
    p99_ms: float
    mean_ms: float
    errors: int


def _wrk(
    base: str,
    paths: list[str],
    headers: dict[str, str],
    *,
    seconds: float,
    connections: int,
    pause_ms: int = 0,
) -> Run:
    script = LUA.format(paths=_lua_table(paths), headers=_lua_headers(headers), pause=pause_ms)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "--timeout=5s",
                "-s",
                handle.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return Run(
        rate=result["requests"] / (result["duration_us"] / 1e6),
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        mean_ms=result["mean_us"] / 1000,
        errors=result["errors"] + result["non_2xx"],
    )


def _paced(
    base: str,
    paths: list[str],
    headers: dict[str, str],
    *,
    rate: float,
    seconds: float,
    connections: int,
) -> Run:
    """wrk at about ``rate`` requests/s: each connection waits between its requests.

    A connection's cycle is its pause plus one response time, so the pause is calibrated
    with short probes (whole milliseconds: wrk's ``delay()`` granularity)."""
    cycle_ms = connections * 1000 / rate
    pause = max(1, round(cycle_ms))
    for _ in range(3):
        probe = _wrk(base, paths, headers, seconds=2, connections=connections, pause_ms=pause)
        if abs(probe.rate - rate) <= 0.1 * rate:
            break
        pause = max(1, round(cycle_ms - probe.mean_ms), round(pause * probe.rate / rate))
    return _wrk(base, paths, headers, seconds=seconds, connections=connections, pause_ms=pause)


@dataclass
class Result:
    name: str
    max_rate: float
    half: Run
    errors: int


def _measure(
    name: str,
    base: str,
    paths: list[str],
    headers: dict[str, str],
    *,
    seconds: float,
    connections: int,
) -> Result:
    _wrk(base, paths, headers, seconds=3, connections=connections)  # warm up
    peak = _wrk(base, paths, headers, seconds=seconds, connections=connections)
    half = _paced(
        base, paths, headers, rate=peak.rate / 2, seconds=seconds, connections=connections
    )
    print(
        f"  {name}: max {peak.rate:,.0f} req/s (p99 {peak.p99_ms:.1f} ms); at half rate "
        f"{half.rate:,.0f} req/s: p50 {half.p50_ms:.1f} ms, p99 {half.p99_ms:.1f} ms"
    )
    return Result(name, peak.rate, half, peak.errors + half.errors)


def _ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (Debian package)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
        return
    sys.exit("bench: wrk is missing; install it: apt-get install wrk")


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="houqin_bench")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--keep-db", action="store_true", help="reuse a seeded bench database")
    args = parser.parse_args()
    _ensure_wrk()
    today = date.today()
    asyncio.run(_prepare_database(args.pg, args.database, keep=args.keep_db, today=today))

    url = _db_url(args.pg, args.database)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HOUQIN_") and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env |= {"HOUQIN_ENV": "development", "HOUQIN_DATABASE_URL": url, "DATABASE_URL": url}
    load = {"seconds": args.duration, "connections": args.connections}
    results: list[tuple[Endpoint, Result]] = []

    print(f"hello world (uvicorn {' '.join(UVICORN_ARGS)})")
    with _server("bench.api_reads:hello", env=env, ready_path="/") as base:
        baseline = _measure("hello world", base, ["/"], {}, **load)

    print("Houqin API (same settings)")
    with _server(
        "backend.main:create_app", env=env, ready_path="/openapi.json", factory=True
    ) as base:
        context, callers = _context(base, url, today)
        for endpoint in ENDPOINTS:
            paths, headers = endpoint.paths(context), callers[endpoint.caller]
            for path in paths[:3]:  # every path answers before we measure
                check = httpx.get(base + path, headers=headers, timeout=5)
                assert check.status_code == 200, (path, check.status_code, check.text[:200])
            result = _measure(endpoint.name, base, paths, headers, **load)
            results.append((endpoint, result))

    print()
    print(f"{'endpoint':<24} {'req/s':>9} {'ratio':>7} {'p99 @ half rate':>16} {'(rate)':>9}")
    print(
        f"{'hello world':<24} {baseline.max_rate:>9,.0f} {1:>7.2f} "
        f"{baseline.half.p99_ms:>13.1f} ms {baseline.half.rate:>9,.0f}"
    )
    failed = False
    for endpoint, result in results:
        ratio = result.max_rate / baseline.max_rate
        target = endpoint.target_ratio
        ok = target is None or (
            ratio >= target and result.half.p99_ms <= TARGET_P99_MS and not result.errors
        )
        verdict = "" if target is None else f"ok (>= {target})" if ok else f"MISSED (>= {target})"
        failed |= not ok
        print(
            f"{result.name:<24} {result.max_rate:>9,.0f} {ratio:>7.2f} "
            f"{result.half.p99_ms:>13.1f} ms {result.half.rate:>9,.0f}  "
            f"{verdict}{f' ({result.errors} errors)' if result.errors else ''}"
        )
    print(f"targets: each line's ratio; p99 <= {TARGET_P99_MS:.0f} ms at half the max rate")
    sys.exit(1 if failed else 0)


def _context(
    base: str, database_url: str, today: date
) -> tuple[Context, dict[Caller, dict[str, str]]]:
    """Sign in as the seeded student with the most tickets: their ticket ids, and the
    headers of each caller (the student; the bot acting for them)."""
    username = asyncio.run(_busiest_reporter(database_url))
    token = httpx.post(
        base + "/api/v1/auth/token",
        data={"username": username, "password": BENCH_PASSWORD},
        timeout=10,
    )
    token.raise_for_status()
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    listing = httpx.get(base + "/api/v1/repairs?size=100", headers=headers, timeout=10)
    listing.raise_for_status()
    ids = [ticket["id"] for ticket in listing.json()["data"]]
    print(f"  signed in as {username}: {listing.json()['total']} tickets, reading {len(ids)}")
    me = httpx.get(base + "/api/v1/me", headers=headers, timeout=10).json()
    os.environ["HOUQIN_ENV"] = "development"  # as the server runs: its development secrets
    settings = get_settings()
    bot = {
        "Authorization": "Bearer "
        + create_token(
            secret=settings.secret("jwt_secret"),
            subject=me["id"],
            kind="delegation",
            lifetime=timedelta(hours=1),
        ),
        "X-Bot-Key": settings.secret("bot_secret"),
    }
    context = Context(today=today, student_username=username, repair_ids=ids)
    return context, {"student": headers, "bot": bot}


async def _busiest_reporter(database_url: str) -> str:
    from sqlmodel import col, func, select

    from backend.core.db import create_engine, create_sessionmaker
    from backend.identity.models import User
    from backend.repairs.models import RepairTicket

    engine = create_engine(database_url)
    async with create_sessionmaker(engine)() as session:
        row = (
            await session.exec(
                select(User.username, func.count())
                .join(RepairTicket, col(RepairTicket.reporter_id) == col(User.id))
                .group_by(col(User.username))
                .order_by(func.count().desc(), col(User.username))
            )
        ).first()
    await engine.dispose()
    assert row is not None
    return row[0]


if __name__ == "__main__":
    main()
