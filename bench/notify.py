"""Benchmark: the notification dispatcher's throughput, and event → WebSocket latency.

    .venv/bin/python -m bench.notify [--notices 2000] [--students 200] [--pg URL]

1. Deliveries per second: ``--notices`` pending notices (round robin over 500 students:
   one event reaches many) are drained by dispatcher workers (``python -m backend.notify``)
   on SQLite (1 worker) and on PostgreSQL (1 and 2 workers); the transcript is counted
   afterwards: every notice shown exactly once. Rasa is a closed port, so the words are the
   backend's own: this measures the outbox, not the bot (a bot-voiced notice adds one
   trigger_intent round trip).
2. Latency: one backend (embedded dispatcher, SQLite), ``--students`` open sockets; one
   notice per student at a time, and the time from its commit to the frame on that
   student's socket; p50 / p95 printed for two paths: the notice committed by another
   process (this script; the backend finds it at its next poll), and a staff reply to the
   student's handoff through the API (the notice commits with the reply and wakes the
   backend's own dispatcher at once — the path of a real event).
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import timedelta
from typing import Any

import httpx
import websockets

from backend.core.config import Settings
from backend.core.db import create_engine, create_sessionmaker
from backend.core.security import create_token
from backend.core.types import utcnow
from backend.identity.models import Role
from backend.notify.models import Kind
from backend.notify.service import notify
from tests.e2e.outbox import (
    backend,
    counts,
    fresh_database,
    make_users,
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


def access_token(settings: Settings, user_id: int) -> str:
    return create_token(
        secret=settings.secret("jwt_secret"),
        subject=user_id,
        kind="access",
        lifetime=timedelta(minutes=30),
    )


async def open_sockets(settings: Settings, port: int, ids: list[int]) -> dict[int, Any]:
    sockets: dict[int, Any] = {}
    for student_id in ids:
        socket = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/chat/ws")
        await socket.send(json.dumps({"type": "auth", "token": access_token(settings, student_id)}))
        assert json.loads(await socket.recv())["type"] == "ready"
        sockets[student_id] = socket
    return sockets


async def next_message(socket: Any) -> None:
    while json.loads(await socket.recv())["type"] != "message":
        pass


async def latency(url: str, port: int, ids: list[int]) -> list[float]:
    """Seconds from each notice's commit, by another process, to its frame on the
    student's open socket (found by the backend's poll)."""
    settings = Settings(env="development", database_url=url)
    sockets = await open_sockets(settings, port, ids)
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
        await next_message(sockets[student_id])
        samples.append(time.monotonic() - committed)
    await engine.dispose()
    for socket in sockets.values():
        await socket.close()
    return samples


async def latency_of_replies(url: str, port: int, ids: list[int], staff: list[int]) -> list[float]:
    """Seconds from the answer to a staff reply on each student's handoff (the notice
    commits with the reply, in the backend that then wakes its own dispatcher) to the
    frame on the student's socket: the path of a real event."""
    settings = Settings(env="development", database_url=url)
    base = f"http://127.0.0.1:{port}/api/v1"
    bearer = {u: {"Authorization": f"Bearer {access_token(settings, u)}"} for u in ids + staff}
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        handoffs = {}
        for student_id in ids:
            asked = await client.post(
                "/handoffs", json={"message": "Please call me back"}, headers=bearer[student_id]
            )
            assert asked.status_code == 201, asked.text
            handoffs[student_id] = asked.json()["id"]
        sockets = await open_sockets(settings, port, ids)
        samples = []
        for n, student_id in enumerate(ids):
            # Staff in turn: each stays under the reply limit (60 a minute).
            replied = await client.post(
                f"/handoffs/{handoffs[student_id]}/reply",
                json={"reply": "We called the canteen; it is sorted."},
                headers=bearer[staff[n % len(staff)]],
            )
            assert replied.status_code == 200, replied.text
            answered = time.monotonic()
            await next_message(sockets[student_id])
            samples.append(time.monotonic() - answered)
    for socket in sockets.values():
        await socket.close()
    return samples


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000
    return f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"


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
        students = make_users(sqlite, 500)
        rate = throughput(sqlite, students, args.notices, 1, "sqlite")
        print(f"SQLite, 1 worker:        {rate:7.0f} deliveries/s")

        fresh_database(args.pg)
        students = make_users(args.pg, 500)
        for workers in (1, 2):
            rate = throughput(args.pg, students, args.notices, workers, f"pg-{workers}")
            print(f"PostgreSQL, {workers} worker(s): {rate:7.0f} deliveries/s")

        live = f"sqlite+aiosqlite:///{tmp}/latency.db"
        fresh_database(live)
        ids = make_users(live, args.students)
        others = make_users(live, args.students, first=args.students)  # empty transcripts
        staff = make_users(live, 4, role=Role.logistics_admin)
        process, port = backend(live, HOUQIN_RASA_URL=CLOSED_PORT)
        try:
            polled = asyncio.run(latency(live, port, ids))
            woken = asyncio.run(latency_of_replies(live, port, others, staff))
        finally:
            stop(process)
        print(f"{args.students} open sockets, notice → WebSocket frame:")
        print(f"  committed by another process (found by the poll): {percentiles(polled)}")
        print(f"  a staff reply through the API (wakes its backend): {percentiles(woken)}")


if __name__ == "__main__":
    main()
