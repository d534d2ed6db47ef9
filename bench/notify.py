"""Benchmark: the notification dispatcher's throughput, and event → WebSocket latency.

    .venv/bin/python -m bench.notify [--notices 2000] [--students 200] [--pg URL]

1. Deliveries per second: ``--notices`` pending notices (round robin over 500 students:
   one event reaches many) are drained by dispatcher workers (``python -m backend.notify``)
   on SQLite (1 worker) and on PostgreSQL (1 and 2 workers); the transcript is counted
   afterwards: every notice shown exactly once. Rasa is a closed port, so the words are the
   backend's own: this measures the outbox, not the bot (a bot-voiced notice adds one
   trigger_intent round trip).
2. Latency: one backend (embedded dispatcher, SQLite), ``--students`` open sockets; one
   notice per student is committed at a time, and the time from its commit to the frame
   on that student's socket is recorded; p50 / p95 printed.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import timedelta
from typing import Any

import websockets

from backend.core.config import Settings
from backend.core.db import create_engine, create_sessionmaker
from backend.core.security import create_token
from backend.core.types import utcnow
from backend.notify.models import Kind
from backend.notify.service import notify
from tests.e2e.outbox import (
    backend,
    counts,
    fresh_database,
    make_students,
    queue_notices,
    stop,
    wait_until_sent,
    worker,
)

CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: the backend's own words at once


def throughput(url: str, students: list[int], notices: int, workers: int, tag: str) -> float:
    before = counts(url)[0]
    queue_notices(url, students, notices, tag)
    started = time.monotonic()
    procs = [worker(url, HOUQIN_RASA_URL=CLOSED_PORT) for _ in range(workers)]
    try:
        wait_until_sent(url, before + notices, timeout=600)
        elapsed = time.monotonic() - started
    finally:
        stop(*procs)
    sent, shown, distinct = counts(url)
    assert sent == shown == distinct, (sent, shown, distinct)  # every notice exactly once
    return notices / elapsed


async def latency(url: str, port: int, ids: list[int]) -> list[float]:
    """Seconds from each notice's commit to its frame on the student's open socket."""
    settings = Settings(env="development", database_url=url)
    sockets: dict[int, Any] = {}
    for student_id in ids:
        token = create_token(
            secret=settings.secret("jwt_secret"),
            subject=student_id,
            kind="access",
            lifetime=timedelta(minutes=30),
        )
        socket = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/chat/ws")
        await socket.send(json.dumps({"type": "auth", "token": token}))
        assert json.loads(await socket.recv())["type"] == "ready"
        sockets[student_id] = socket
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    samples = []
    for n, student_id in enumerate(ids):
        async with sessions() as session:
            await notify(
                session=session,
                user_id=student_id,
                kind=Kind.handoff_answered,
                dedupe_key=f"latency:{n}",
                now=utcnow(),
                params={"reply": "ok"},
            )
            await session.commit()
        committed = time.monotonic()
        while json.loads(await sockets[student_id].recv())["type"] != "message":
            pass
        samples.append(time.monotonic() - committed)
    await engine.dispose()
    for socket in sockets.values():
        await socket.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument(
        "--pg", default="postgresql+asyncpg://postgres@127.0.0.1:5432/houqin_bench_notify"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite+aiosqlite:///{tmp}/bench.db"
        fresh_database(sqlite)
        students = make_students(sqlite, 500)
        rate = throughput(sqlite, students, args.notices, 1, "sqlite")
        print(f"SQLite, 1 worker:        {rate:7.0f} deliveries/s")

        fresh_database(args.pg)
        students = make_students(args.pg, 500)
        for workers in (1, 2):
            rate = throughput(args.pg, students, args.notices, workers, f"pg-{workers}")
            print(f"PostgreSQL, {workers} worker(s): {rate:7.0f} deliveries/s")

        live = f"sqlite+aiosqlite:///{tmp}/latency.db"
        fresh_database(live)
        ids = make_students(live, args.students)
        process, port = backend(live, HOUQIN_RASA_URL=CLOSED_PORT)
        try:
            samples = sorted(asyncio.run(latency(live, port, ids)))
        finally:
            stop(process)
        p50 = statistics.median(samples) * 1000
        p95 = samples[max(0, int(len(samples) * 0.95) - 1)] * 1000
        print(
            f"commit → WebSocket frame, {args.students} open sockets: "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"
        )


if __name__ == "__main__":
    main()
