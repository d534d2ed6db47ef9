"""Benchmark: chat through the backend against Rasa's own channel, and what a message costs.

    .venv/bin/python -m bench.chat [--replicas 1] [--seconds 15] [--think 3]

Starts the real system (scripts/run.py: backend, Rasa, action server) on a fresh SQLite
database, as the end-to-end tests do; ``--replicas 2`` starts two Rasa replicas on a
shared PostgreSQL tracker store and Redis locks (``--tracker-url``, ``--redis-url``).
Every student sends the same conversation (menus, hours, guidance, repairs status, small
talk, both languages) over and over, each pass a *visit*: Rasa starts a new session for it
(``/session_start``, as it does itself for a student who comes back after the domain's
60-minute session expiry), since Rasa's cost per message grows with the session
(docs/capacity.md). ``--endless`` keeps one session per student for the whole run
instead (100-200 messages by the last step), the heavier case. Printed, all from the same
run:

1. One student alone: p50 of ``POST /api/v1/chat`` and of Rasa's REST channel answering
   the same message (the two alternate message by message), and their ratio.
2. Closed loop (every student sends again as soon as answered), 1 … 16 students at once:
   messages/s, p50, p95, and the CPU each process spent per message (from
   /proc/<pid>/stat before and after the step: user + system time).
3. With think time (each student waits ~``--think`` s, exponentially distributed, between
   messages), more and more students: the same figures.
4. The sustained rate at p95 <= 1 s (the best step of 2 and 3 that kept it), the load
   average of the machine during the run, and Rasa's resident memory.
Goals: >= 30 messages/s at p95 <= 1 s; one student's p50 <= 1.25x Rasa's own.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from backend.core.config import get_settings
from backend.core.security import create_token
from tests.e2e.system import DEMO_PASSWORD, System, children, running_system

GOAL_RATE = 30.0
GOAL_P95_MS = 1000.0
GOAL_RATIO = 1.25
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
CLOSED_LOOP = [1, 2, 4, 8, 16]
THINKING = [20, 40, 80, 120]
TICK = os.sysconf("SC_CLK_TCK")

Send = Callable[[httpx.AsyncClient, str, str], Awaitable[None]]
NewVisit = Callable[[httpx.AsyncClient, str], Awaitable[None]]  # a new Rasa session


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def error_kind(exc: httpx.HTTPError) -> str:
    """An error answer's status and error name, or the exception (a time-out, a reset)."""
    if isinstance(exc, httpx.HTTPStatusError):
        try:
            name = exc.response.json().get("error", "")
        except ValueError:
            name = ""
        return f"{exc.response.status_code} {name}".strip()
    return type(exc).__name__


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and everything below it (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0
    return own + sum(cpu_seconds(child) for child in children(pid))


def process_cpu(system: System) -> dict[str, float]:
    """CPU seconds so far per part: backend, rasa (all replicas), actions."""
    parts: dict[str, float] = {"backend": 0.0, "rasa": 0.0, "actions": 0.0}
    for name in system.ports:
        parts[name.split("-")[0]] += sum(cpu_seconds(pid) for pid in system.child_pids(name))
    return parts


@dataclass
class Step:
    label: str
    messages: int
    seconds: float
    timings: list[float]
    cpu_ms: dict[str, float]  # per message, per part
    errors: Counter[str]  # by kind: "503 BotUnavailable", "ReadTimeout", …

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def row(self) -> str:
        p50, p95 = percentile(self.timings, 0.5), percentile(self.timings, 0.95)
        cpu = "  ".join(f"{self.cpu_ms[part]:6.1f}" for part in ("backend", "rasa", "actions"))
        total = sum(self.cpu_ms.values())
        return (
            f"{self.label:<22} {self.rate:7.1f} {p50:8.0f} {p95:8.0f}  {cpu}  {total:6.1f}"
            f"  {self.errors.total():>4}"
        )


HEADER = (
    f"{'step':<22} {'msg/s':>7} {'p50 ms':>8} {'p95 ms':>8}  "
    f"{'backend':>6} {'rasa':>6} {'actions':>6}  {'all':>6}  {'errs':>4}  (CPU ms per message)"
)


async def load(
    system: System,
    students: list[str],
    send: Send,
    seconds: float,
    think: float | None,
    new_visit: NewVisit | None,
) -> Step:
    """Every student sends the conversation in a loop for ``seconds``, waiting ``think``
    (exponential) between messages, or not at all (closed loop); each pass a new visit
    (``new_visit``: untimed, but its CPU is counted) unless it is None."""
    timings: list[float] = []
    errors: Counter[str] = Counter()
    stop = time.monotonic() + seconds

    async def student(http: httpx.AsyncClient, who: str) -> None:
        if think:
            await asyncio.sleep(random.uniform(0, think))
        turn = 0
        while time.monotonic() < stop:
            try:
                if new_visit and turn % len(CONVERSATION) == 0:
                    await new_visit(http, who)
                started = time.perf_counter()
                await send(http, who, CONVERSATION[turn % len(CONVERSATION)])
                timings.append((time.perf_counter() - started) * 1000)
            except httpx.HTTPError as exc:
                errors[error_kind(exc)] += 1
            turn += 1
            if think:  # no longer than the step: a sleep past its end would stretch it
                left = stop - time.monotonic()
                await asyncio.sleep(max(0.0, min(random.expovariate(1 / think), left)))

    limits = httpx.Limits(max_connections=len(students) + 5)
    before = process_cpu(system)
    started = time.monotonic()
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(student(http, who) for who in students))
    elapsed = time.monotonic() - started
    after = process_cpu(system)
    done = max(1, len(timings))
    cpu_ms = {part: (after[part] - before[part]) * 1000 / done for part in before}
    label = f"{len(students)} students" + (f", think {think:g}s" if think else ", closed")
    return Step(label, len(timings), elapsed, timings, cpu_ms, errors)


async def alternate(
    who: str, rounds: int, backend: Send, rasa: Send, visits: tuple[NewVisit, NewVisit] | None
) -> tuple[list[float], list[float]]:
    """One student: each message through the backend, then straight to Rasa (each round a
    new visit on both paths, with ``visits``)."""
    via_backend: list[float] = []
    via_rasa: list[float] = []
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(rounds):
            for new_visit in visits or ():
                await new_visit(http, who)
            for message in CONVERSATION:
                for send, timings in ((backend, via_backend), (rasa, via_rasa)):
                    started = time.perf_counter()
                    await send(http, who, message)
                    timings.append((time.perf_counter() - started) * 1000)
    return via_backend, via_rasa


def rasa_rss_mb(system: System) -> float:
    """Resident memory of the Rasa processes, together (Linux /proc)."""
    total = 0
    for name in system.ports:
        if name.startswith("rasa"):
            for pid in system.child_pids(name):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
    return total / 1024


def sign_in(system: System, username: str, i: int) -> dict[str, str]:
    """Each student signs in from an address of their own (the sign-in limit is per
    address; the bench is the trusted proxy that says so)."""
    response = httpx.post(
        f"{system.base_url}/api/v1/auth/token",
        data={"username": username, "password": DEMO_PASSWORD},
        headers={"X-Forwarded-For": f"127.1.{i // 250}.{i % 250 + 1}"},
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def system_settings(args: argparse.Namespace) -> dict[str, str]:
    # The load is many messages a minute per student, all from one address.
    settings = {
        "HOUQIN_CHAT_PER_STUDENT_PER_MINUTE": "100000",
        "HOUQIN_CHAT_PER_ADDRESS_PER_MINUTE": "100000",
        "HOUQIN_TRUSTED_PROXIES": "127.0.0.1",
    }
    if args.replicas > 1:
        settings |= {
            "HOUQIN_REDIS_URL": args.redis_url,
            "HOUQIN_TRACKER_STORE_URL": args.tracker_url,
            "HOUQIN_CACHE_PREFIX": f"bench-chat-{os.getpid()}:",
        }
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=15, help="length of each step")
    parser.add_argument("--think", type=float, default=3, help="mean think time, seconds")
    parser.add_argument("--rounds", type=int, default=10, help="one student's conversations")
    parser.add_argument(
        "--endless", action="store_true", help="one Rasa session per student, no visits"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--tracker-url",
        default="postgresql://postgres@127.0.0.1:5432/houqin_bench_chat",
        help="Rasa's shared tracker store with --replicas above 1 (the database must exist)",
    )
    args = parser.parse_args()
    usernames = [f"s{FIRST_STUDENT + i}" for i in range(max(THINKING) + 1)]
    load_start = os.getloadavg()

    with (
        tempfile.TemporaryDirectory() as tmp,
        running_system(
            Path(tmp) / "bench.db", system_settings(args), rasa_replicas=args.replicas
        ) as system,
    ):
        tokens = {}
        ids = {}
        for i, username in enumerate(usernames):
            headers = sign_in(system, username, i)
            tokens[username] = headers
            ids[username] = httpx.get(f"{system.base_url}/api/v1/me", headers=headers).json()["id"]
        print(f"{len(usernames)} seeded students signed in; Rasa replicas: {args.replicas}")

        async def via_backend(http: httpx.AsyncClient, who: str, message: str) -> None:
            response = await http.post(
                f"{system.base_url}/api/v1/chat", json={"message": message}, headers=tokens[who]
            )
            response.raise_for_status()

        os.environ["HOUQIN_ENV"] = "development"  # as running_system starts the backend
        settings = get_settings()
        first_rasa = next(name for name in system.ports if name.startswith("rasa"))
        rasa_url = f"http://127.0.0.1:{system.ports[first_rasa]}/webhooks/rest/webhook"

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

        def new_visit(sender: Callable[[str], str]) -> NewVisit:
            async def start(http: httpx.AsyncClient, who: str) -> None:
                response = await http.post(
                    rasa_url, json={"sender": sender(who), "message": "/session_start"}
                )
                response.raise_for_status()

            return start

        visits = (
            None
            if args.endless
            else (new_visit(lambda who: str(ids[who])), new_visit(lambda who: f"bench-{ids[who]}"))
        )
        visit = visits[0] if visits else None
        lone = usernames[-1]
        asyncio.run(alternate(lone, 1, via_backend, via_rasa, visits))  # warm both paths up
        backend_ms, rasa_ms = asyncio.run(
            alternate(lone, args.rounds, via_backend, via_rasa, visits)
        )
        steps = [
            asyncio.run(load(system, usernames[:n], via_backend, args.seconds, None, visit))
            for n in CLOSED_LOOP
        ] + [
            asyncio.run(load(system, usernames[:n], via_backend, args.seconds, args.think, visit))
            for n in THINKING
        ]
        rss = rasa_rss_mb(system)
    load_end = os.getloadavg()

    print(f"\nOne student, {len(backend_ms)} messages each way, alternating:")
    print(f"{'path':<28} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for name, values in (("backend POST /api/v1/chat", backend_ms), ("Rasa REST channel", rasa_ms)):
        print(
            f"{name:<28} {percentile(values, 0.5):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{statistics.fmean(values):>8.1f}"
        )
    ratio = percentile(backend_ms, 0.5) / percentile(rasa_ms, 0.5)
    print(f"ratio backend/Rasa p50: {ratio:.2f} (goal <= {GOAL_RATIO})")

    sessions = "one session per student" if args.endless else "a new session per visit"
    print(f"\nThrough the backend, {args.seconds:g} s per step, {sessions}:")
    print(HEADER)
    for step in steps:
        print(step.row())
    for step in steps:
        if step.errors:
            kinds = ", ".join(f"{kind} x{n}" for kind, n in step.errors.most_common())
            print(f"  errors, {step.label}: {kinds}")
    kept = [step for step in steps if percentile(step.timings, 0.95) <= GOAL_P95_MS]
    best = max(kept, key=lambda step: step.rate, default=None)
    sustained = best.rate if best else 0.0
    where = f" ({best.label})" if best else ""
    print(f"\nsustained rate at p95 <= 1 s: {sustained:.1f} msg/s{where} (goal >= {GOAL_RATE:g})")
    print(
        f"load average (1 min) at start {load_start[0]:.1f}, at end {load_end[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    print(f"Rasa resident memory: {rss:.0f} MB ({args.replicas} replica(s))")
    met = sustained >= GOAL_RATE and ratio <= GOAL_RATIO
    print(f"goals: {'met' if met else 'MISSED'}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
