"""Benchmark: 20 students chatting at once through the backend, against Rasa's own channel.

    .venv/bin/python -m bench.chat [--students 20] [--rounds 5]

1. Starts the real system (scripts/run.py: backend, Rasa, action server) on a fresh SQLite
   database, as the end-to-end tests do, and signs in ``--students`` seeded students.
2. Through the backend: every student sends the same conversation (menus, hours, guidance,
   repairs status, small talk, both languages) ``--rounds`` times, all students at once;
   each ``POST /api/v1/chat`` round trip is timed.
3. Baseline, in the same run: the same messages from the same number of concurrent senders
   straight to Rasa's REST channel, with the metadata the backend would attach (so the
   actions still call the backend for the student).
4. Prints p50/p95 for both, their ratio, and Rasa's resident memory.
Targets through the backend: p50 <= 100 ms, p95 <= 300 ms.
"""

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx

from backend.core.config import get_settings
from backend.core.security import create_token
from tests.e2e.system import DEMO_PASSWORD, System, running_system

TARGET_P50_MS = 100.0
TARGET_P95_MS = 300.0
FIRST_STUDENT = 20240003  # the seeded residents (s20240003, …)
CONVERSATION = [
    "hi",
    "what's for lunch today?",
    "今天晚饭吃什么",
    "which canteens are open now",
    "宿舍几点锁门",
    "where is my repair?",
    "我的报修怎么样了",
    "are you a bot?",
    "thanks",
]

Send = Callable[[httpx.AsyncClient, str, str], Awaitable[None]]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def chat_load(students: list[str], rounds: int, send: Send) -> list[float]:
    """Every student runs the conversation ``rounds`` times; all students concurrently."""
    timings: list[float] = []

    async def student(http: httpx.AsyncClient, who: str) -> None:
        for _ in range(rounds):
            for message in CONVERSATION:
                started = time.perf_counter()
                await send(http, who, message)
                timings.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=len(students) + 5)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(student(http, who) for who in students))
    return timings


def rasa_rss_mb(system: System) -> float | None:
    """Resident memory of the process listening on Rasa's port (Linux /proc)."""
    port = f"{system.ports['rasa']:04X}"
    inodes = {
        line.split()[9]
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
        if line.split()[1].endswith(f":{port}") and line.split()[3] == "0A"
    }
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            sockets = {link.readlink().name for link in (proc / "fd").iterdir()}
        except OSError:
            continue
        if any(f"socket:[{inode}]" in sockets for inode in inodes):
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=20)
    # Three rounds stay under the per-student chat limit (30 messages a minute); all the
    # students share one address, whose limit the run lifts.
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # Two more students warm both paths up, so the measured ones keep their rate budget.
    usernames = [f"s{FIRST_STUDENT + i}" for i in range(args.students + 2)]
    os.environ["HOUQIN_CHAT_PER_ADDRESS_PER_MINUTE"] = "100000"

    with tempfile.TemporaryDirectory() as tmp, running_system(Path(tmp) / "bench.db") as system:
        tokens = {}
        ids = {}
        for username in usernames:
            headers = system.login(username)
            tokens[username] = headers
            ids[username] = httpx.get(f"{system.base_url}/api/v1/me", headers=headers).json()["id"]
        print(f"{len(usernames)} seeded students signed in with {DEMO_PASSWORD!r}")

        async def via_backend(http: httpx.AsyncClient, who: str, message: str) -> None:
            response = await http.post(
                f"{system.base_url}/api/v1/chat", json={"message": message}, headers=tokens[who]
            )
            response.raise_for_status()

        os.environ["HOUQIN_ENV"] = "development"  # as running_system starts the backend
        settings = get_settings()
        rasa_url = f"http://127.0.0.1:{system.ports['rasa']}/webhooks/rest/webhook"

        async def via_rasa(http: httpx.AsyncClient, who: str, message: str) -> None:
            # What the backend attaches: reply language and a delegation token for the student.
            token = create_token(
                secret=settings.secret("jwt_secret"),
                subject=ids[who],
                kind="delegation",
                lifetime=timedelta(minutes=5),
            )
            language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in message) else "en"
            body = {
                "sender": f"bench-{ids[who]}",
                "message": message,
                "metadata": {"language": language, "locale": language, "token": token},
            }
            response = await http.post(rasa_url, json=body)
            response.raise_for_status()

        warm, measured = usernames[-2:], usernames[:-2]
        asyncio.run(chat_load(warm, 1, via_backend))
        asyncio.run(chat_load(warm, 1, via_rasa))
        backend_ms = asyncio.run(chat_load(measured, args.rounds, via_backend))
        rasa_ms = asyncio.run(chat_load(measured, args.rounds, via_rasa))
        rss = rasa_rss_mb(system)

    print(f"{len(backend_ms)} messages each way, {args.students} concurrent students")
    print(f"{'path':<28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, values in (("backend POST /api/v1/chat", backend_ms), ("Rasa REST channel", rasa_ms)):
        print(
            f"{name:<28} {percentile(values, 0.5):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{statistics.fmean(values):>8.1f}"
        )
    p50, p95 = percentile(backend_ms, 0.5), percentile(backend_ms, 0.95)
    print(
        f"ratio backend/Rasa: p50 {p50 / percentile(rasa_ms, 0.5):.2f}, "
        f"p95 {p95 / percentile(rasa_ms, 0.95):.2f}"
    )
    print(f"Rasa resident memory: {rss:.0f} MB" if rss else "Rasa resident memory: unknown")
    ok = p50 <= TARGET_P50_MS and p95 <= TARGET_P95_MS
    print(
        f"targets p50 <= {TARGET_P50_MS:.0f} ms, p95 <= {TARGET_P95_MS:.0f} ms: "
        f"{'ok' if ok else 'MISSED'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
