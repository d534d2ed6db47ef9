"""Load and fault suite: kill each server under load; nothing lost, nothing doubled.

    .venv/bin/python -m bench.faults [--short]

1. Starts servers of its own, on loopback ports and in a temporary directory: a PostgreSQL
   cluster (Debian's initdb) and a redis-server. The machine's shared ones are never used.
2. Starts the system on them with ``scripts/run.py`` (as the end-to-end tests do: backend
   with its notice dispatcher, Rasa, action server; run.py restarts a child that dies) and
   a second backend worker on the same database and Redis. The load is spread over both
   workers; the action server calls the first.
3. A mixed load of ~20 requests/s (bench/fault_load.py: reads, chat, repair reports and
   survey answers with Idempotency-Key, retried with the same key) runs while, in turn,
   Redis is killed (-9) and started again, PostgreSQL crashes (immediate stop) and starts
   again, and Rasa, the action server and the first backend worker are killed (-9) and
   brought back by run.py.
4. Prints every acknowledged write found exactly once in the database (goal: 0 lost, 0
   doubled), the answers during each outage by status (goal: a 503 with an error name, no
   500, nothing hanging over 5 s; with the backend down the bot says "try again in a
   moment" within 3 s) and the seconds from each server's return to a working system
   (goal: <= 10 s). The exit status is 1 when a goal is missed.

``--short`` (the test command's step) keeps every fault, with shorter pauses (~90 s of load
on an idle machine) and 10 requests/s.
"""

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from backend.core.config import Settings
from backend.core.db import create_engine
from bench.fault_load import (
    HANG_SECONDS,
    MARKER,
    Load,
    Student,
    outcome_of,
    residents,
    said_try_again,
    sign_in,
)
from bench.fault_servers import OwnPostgres, OwnRedis, wait_for
from scripts.run import backend_command
from tests.e2e.system import ROOT, System, free_port, running_system

RECOVERY_GOAL_SECONDS = 10.0
TRY_AGAIN_GOAL_SECONDS = 3.0
RECOVERY_LIMIT_SECONDS = 60.0  # give up waiting (and fail) after this
BACK_TIMEOUT_SECONDS = 240.0  # Rasa loads its model again on a busy machine


@dataclass(frozen=True)
class Plan:
    rate: float  # requests a second
    students: int
    baseline: float  # seconds of load before the first fault
    down: float  # how long Redis and PostgreSQL stay down
    settle: float  # seconds of load after a recovery, before the next fault
    write_budget: float  # how long a client keeps retrying one write


FULL = Plan(rate=20, students=60, baseline=20, down=10, settle=15, write_budget=90)
# The test command's: half the rate, so that a busy machine does not decide the verdict.
SHORT = Plan(rate=10, students=30, baseline=5, down=4, settle=3, write_budget=45)


@dataclass
class FaultResult:
    name: str
    down_seconds: float = 0.0
    recovery_seconds: float | None = None
    try_again_seconds: float | None = None  # backend down: the bot's "try again" took this
    waited_on: str | None = None  # the probe's last complaint before the recovery
    notes: list[str] = field(default_factory=list)


class BackendWorker:
    """A second backend process (uvicorn, the same command run.py uses) on the same
    database, Redis and Rasa: its own notice dispatcher too, claims never overlap."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = backend_command(argparse.Namespace(host="127.0.0.1", port=self.port))
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for(lambda: healthy(self.url), "the second backend worker", timeout=120)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=3).status_code == 200
    except httpx.HTTPError:
        return False


def rasa_ready(system: System, token: str) -> bool:
    try:
        url = f"http://127.0.0.1:{system.ports['rasa']}/status"
        return bool(httpx.get(url, params={"token": token}, timeout=2).json().get("model_file"))
    except (httpx.HTTPError, ValueError):
        return False


def actions_ready(system: System) -> bool:
    try:
        url = f"http://127.0.0.1:{system.ports['actions']}/health"
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def kill_child(system: System, name: str) -> Callable[[], bool]:
    """kill -9 one of run.py's children; the check that its replacement is up."""
    [pid] = system.child_pids(name)
    os.kill(pid, signal.SIGKILL)
    return lambda: any(other != pid for other in system.child_pids(name))


class Suite:
    def __init__(self, plan: Plan, system: System, worker: BackendWorker, rasa_token: str):
        self.plan = plan
        self.system = system
        self.worker = worker
        self.rasa_token = rasa_token
        self.backends = [system.base_url, worker.url]
        self.results: list[FaultResult] = []

    async def probe(self, http: httpx.AsyncClient, student: Student) -> str | None:
        """What does not work yet (None: both workers healthy and serving, and the bot
        answering with the backend's data)."""
        try:
            for base in self.backends:
                health = await http.get(f"{base}/healthz")
                if health.status_code != 200:
                    return f"{base}/healthz: {health.text[:200]}"
                me = await http.get(f"{base}/api/v1/me", headers=student.headers)
                if me.status_code != 200:
                    return f"{base}/api/v1/me: {outcome_of(me)}"
            reply = await http.post(
                f"{self.backends[-1]}/api/v1/chat",
                json={"message": "where is my repair?"},
                headers=student.headers,
            )
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__} {exc}"
        if reply.status_code != 200 or said_try_again(reply):
            return f"chat: {outcome_of(reply)} {reply.text[:200]}"
        return None

    async def fault(
        self,
        load: Load,
        http: httpx.AsyncClient,
        name: str,
        probe_student: Student,
        kill: Callable[[], Callable[[], bool]],
    ) -> None:
        """``kill`` breaks the server and returns the check that says it is back."""
        result = FaultResult(name)
        self.results.append(result)
        load.phase = f"{name}: down"
        killed = time.monotonic()
        back_check = await asyncio.to_thread(kill)
        if name == "backend worker":
            result.try_again_seconds = await self.bot_says_try_again(http, probe_student, result)
        back = await asyncio.to_thread(wait_for, back_check, name, BACK_TIMEOUT_SECONDS)
        result.down_seconds = back - killed
        load.phase = f"{name}: recovering"
        last_problem = None
        while (problem := await self.probe(http, probe_student)) is not None:
            last_problem = problem
            if time.monotonic() - back > RECOVERY_LIMIT_SECONDS:
                limit = RECOVERY_LIMIT_SECONDS
                result.notes.append(f"not recovered after {limit:.0f} s: {problem}")
                break
            await asyncio.sleep(0.25)
        else:
            result.recovery_seconds = time.monotonic() - back
            if last_problem is not None:
                result.waited_on = last_problem
        load.phase = f"{name}: after"
        await asyncio.sleep(self.plan.settle)

    async def bot_says_try_again(
        self, http: httpx.AsyncClient, student: Student, result: FaultResult
    ) -> float | None:
        """With the first worker (the action server's backend) down, a question the bot
        answers from the backend, asked through the second worker."""
        started = time.monotonic()
        try:
            reply = await http.post(
                f"{self.worker.url}/api/v1/chat",
                json={"message": "where is my repair?"},
                headers=student.headers,
            )
        except httpx.HTTPError as exc:
            result.notes.append(f"the bot's answer with the backend down: {type(exc).__name__}")
            return None
        if not said_try_again(reply):
            result.notes.append(
                f"the bot did not say 'try again': {reply.status_code} {reply.text[:200]}"
            )
            return None
        return time.monotonic() - started

    async def run(self, redis: OwnRedis, postgres: OwnPostgres) -> Load:
        plan = self.plan
        students = residents(plan.students)
        probes = residents(5, first=20240003 + plan.students)
        async with httpx.AsyncClient(timeout=HANG_SECONDS) as http:
            await sign_in(http, self.system.base_url, students + probes)
            load = Load(self.backends, students)
            load.phase = "baseline"
            forever = load.run(10_000, rate=plan.rate, write_budget=plan.write_budget)
            running = asyncio.create_task(forever)
            await asyncio.sleep(plan.baseline)

            def redis_down() -> Callable[[], bool]:
                redis.kill()
                time.sleep(plan.down)
                redis.start()
                return redis.ready

            def postgres_down() -> Callable[[], bool]:
                postgres.crash()
                time.sleep(plan.down)
                postgres.start()
                return postgres.ready

            def rasa_down() -> Callable[[], bool]:
                replaced = kill_child(self.system, "rasa")
                return lambda: replaced() and rasa_ready(self.system, self.rasa_token)

            def actions_down() -> Callable[[], bool]:
                replaced = kill_child(self.system, "actions")
                return lambda: replaced() and actions_ready(self.system)

            def backend_down() -> Callable[[], bool]:
                replaced = kill_child(self.system, "backend")
                return lambda: replaced() and healthy(self.system.base_url)

            faults = [
                ("redis", redis_down),
                ("postgresql", postgres_down),
                ("rasa", rasa_down),
                ("action server", actions_down),
                ("backend worker", backend_down),
            ]
            try:
                for (name, kill), probe_student in zip(faults, probes, strict=True):
                    await self.fault(load, http, name, probe_student, kill)
            finally:
                running.cancel()
                load.phase = "draining"
                await load.drain(timeout=plan.write_budget + HANG_SECONDS)
                await load.close()
        return load


async def stored_keys(database_url: str) -> Counter[str]:
    """How many times each of the suite's keys is in the database (tickets and answers)."""
    engine = create_engine(database_url)
    async with engine.connect() as connection:
        rows = await connection.execute(
            sa.text(
                "SELECT description FROM repair_tickets WHERE description LIKE :m"
                " UNION ALL SELECT comment FROM survey_responses WHERE comment LIKE :m"
            ),
            {"m": f"{MARKER} %"},
        )
        keys = Counter(text.split()[1].rstrip(":") for (text,) in rows)
    await engine.dispose()
    return keys


def acceptable(phase: str, outcome: str) -> bool:
    """What a client may see: an answer, a 4xx, a 503 that names the error — and, while
    that worker is down, no connection to it (a load balancer would retry elsewhere)."""
    if outcome[0] in "234" and outcome.split()[0] != "(no":
        return True
    if outcome.startswith("503 ") and not outcome.endswith("(no error name)"):
        return True
    dead_worker = phase == "backend worker: down"
    return dead_worker and outcome.startswith(("connection refused", "connection lost"))


def outage_log(lines: list[str]) -> Counter[str]:
    """The backends' outage warnings (core/outages.py), by error and exception type."""
    found: Counter[str] = Counter()
    for line in lines:
        if match := re.search(r"(\w+Unavailable): (.{0,60})", line):
            found[f"{match[1]}: {re.sub(r'[0-9]+', 'N', match[2])}"] += 1
    return found


def report(load: Load, suite: Suite, stored: Counter[str], log: list[str]) -> list[str]:
    """Print the figures; return the goals missed."""
    missed: list[str] = []
    acknowledged = [w for w in load.writes if w.acknowledged]
    lost = [w.key for w in acknowledged if stored[w.key] == 0]
    doubled = [key for key, n in stored.items() if n > 1]
    unacknowledged = [w for w in load.writes if not w.acknowledged]
    print("\n== writes (repair reports and survey answers, Idempotency-Key, retried)")
    for kind in ("report", "survey"):
        mine = [w for w in acknowledged if w.kind == kind]
        retried = sum(1 for w in mine if w.attempts > 1)
        print(f"  {kind:7} acknowledged {len(mine):4}  (after a retry: {retried})")
    print(
        f"  found exactly once: {sum(1 for w in acknowledged if stored[w.key] == 1)}"
        f"  lost: {len(lost)}  doubled: {len(doubled)}"
    )
    print(
        f"  never acknowledged (refused or gave up): {len(unacknowledged)},"
        f" of which in the database: {sum(1 for w in unacknowledged if stored[w.key])}"
    )
    if lost or doubled:
        missed.append(f"writes lost {len(lost)}, doubled {len(doubled)}: {(lost + doubled)[:5]}")
    print("\n== answers by phase (all kinds; seconds: slowest)")
    slowest: dict[str, float] = {}
    for answer in load.answers:
        slowest[answer.phase] = max(slowest.get(answer.phase, 0.0), answer.seconds)
    for phase, outcomes in load.by_phase().items():
        shown = ", ".join(f"{outcome}: {n}" for outcome, n in outcomes.most_common())
        print(f"  {phase:28} {slowest[phase]:5.2f} s  {shown}")
        bad = Counter(
            f"{a.outcome} ({a.kind})"
            for a in load.answers
            if a.phase == phase
            and not (acceptable(a.phase, a.outcome) or acceptable(a.ended, a.outcome))
        )
        if bad:
            missed.append(f"{phase}: {dict(bad)}")
    chats = [a for a in load.answers if a.kind == "chat" and a.said_try_again]
    if chats:
        print(
            f"  chat answers saying 'try again in a moment': {len(chats)},"
            f" slowest {max(a.seconds for a in chats):.2f} s"
        )
    print("\n== what the errors said (one example each)")
    for (kind, outcome), body in sorted(load.examples.items()):
        print(f"  {kind:8} {outcome:32} {body}")
    print("\n== what the backends logged for their 503s (most frequent)")
    for line, n in outage_log(log).most_common(10):
        print(f"  {n:5}  {line}")
    print("\n== each fault: down (kill → server back), recovery (back → system working)")
    for result in suite.results:
        recovery = "—" if result.recovery_seconds is None else f"{result.recovery_seconds:5.1f} s"
        line = f"  {result.name:15} down {result.down_seconds:5.1f} s  recovery {recovery}"
        if result.try_again_seconds is not None:
            line += f"  bot said 'try again' in {result.try_again_seconds:.2f} s"
        print(line)
        if result.waited_on:
            print(f"      last not working: {result.waited_on[:160]}")
        for note in result.notes:
            print(f"      {note}")
            missed.append(f"{result.name}: {note}")
        if result.recovery_seconds is not None and result.recovery_seconds > RECOVERY_GOAL_SECONDS:
            missed.append(f"{result.name}: recovery {result.recovery_seconds:.1f} s")
        if result.name == "backend worker" and (
            result.try_again_seconds is None or result.try_again_seconds > TRY_AGAIN_GOAL_SECONDS
        ):
            missed.append("backend down: the bot did not say 'try again' within 3 s")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the test command's variant")
    args = parser.parse_args(argv)
    plan = SHORT if args.short else FULL
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="houqin-faults-") as tmp:
        folder = Path(tmp)
        redis, postgres = OwnRedis(folder), OwnPostgres(folder)
        redis.start()
        try:
            postgres.init()
            settings = {
                "HOUQIN_DATABASE_URL": postgres.url,
                "HOUQIN_REDIS_URL": redis.url(),
                "HOUQIN_TRACKER_STORE_URL": f"sqlite:///{folder / 'rasa-tracker.db'}",
                "HOUQIN_TRUSTED_PROXIES": "127.0.0.1/32",
            }
            print(f"==> own PostgreSQL on port {postgres.port}, own Redis on {redis.port}")
            with running_system(folder / "unused.db", settings) as system:
                rasa_token = Settings(env="development").secret("rasa_token")
                env = {
                    **os.environ,
                    **settings,
                    "HOUQIN_ENV": "development",
                    "HOUQIN_RASA_URL": f"http://127.0.0.1:{system.ports['rasa']}",
                }
                env.pop("DATABASE_URL", None)
                env.pop("REDIS_URL", None)
                worker = BackendWorker(env, folder / "worker.log")
                worker.start()
                print(f"==> system up after {time.monotonic() - started:.0f} s; load and faults")
                suite = Suite(plan, system, worker, rasa_token)
                try:
                    load = asyncio.run(suite.run(redis, postgres))
                finally:
                    worker.stop()
                stored = asyncio.run(stored_keys(postgres.url))
                log = system.log + worker.log.read_text(errors="replace").splitlines()
        finally:
            postgres.stop()
            redis.stop()
    missed = report(load, suite, stored, log)
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    if missed:
        print("\nGOALS MISSED:\n  " + "\n  ".join(missed))
        return 1
    print("\nall goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
