"""The fault suite's client side: students, a mixed open-loop load, every answer recorded.

Reads (menus, profile, own tickets), chat, repair reports and survey answers go out at a
fixed rate whatever the answers, spread over the backend workers as a load balancer
would. A write carries an ``Idempotency-Key`` and is retried with the same key on a
connection error, a timeout, a 5xx or a 429, until it is acknowledged or its budget runs
out; each attempt is recorded, so what the servers answered during an outage is visible.
"""

import asyncio
import itertools
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.e2e.system import DEMO_PASSWORD

HANG_SECONDS = 5.0  # a request not answered by then counts as hanging
RETRY_AFTER_LIMIT = 5  # a write told to wait longer (429 Retry-After) is refused
# A new connection per request: a reused one can meet uvicorn's keep-alive timeout closing
# it as the request goes out ("disconnected without a response"), a client race that says
# nothing about an outage (on a busy machine even a short keep-alive expiry loses it).
CLIENT_LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=0)
MARKER = "fault-suite"  # in every description and comment the suite writes
FIRST_RESIDENT = 20240003  # the seeded residents (s20240003, …), each invited to a dorm survey
TRY_AGAIN = ("try again in a moment", "请稍后再试")
# Messages the bot answers by calling the backend (so they show a backend outage too).
CHAT_MESSAGES = [
    "where is my repair?",
    "我的报修怎么样了",
    "what's for lunch today?",
    "今天晚饭吃什么",
]
# Per second at 20 requests/s (survey answers stop when every invitation is answered).
MIX = {"menus": 6.0, "me": 3.0, "tickets": 3.0, "chat": 3.0, "report": 2.5, "survey": 2.5}


@dataclass
class Student:
    username: str
    address: str  # a distinct client address (X-Forwarded-For through a trusted proxy)
    token: str = ""
    invitations: list[int] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Forwarded-For": self.address}


@dataclass
class Answer:
    kind: str
    phase: str  # when it was sent
    ended: str  # when the answer (or the failure) came
    outcome: str  # "200", "503 DatabaseUnavailable", "connection refused", "hang (>5 s)" …
    seconds: float
    said_try_again: bool = False


@dataclass
class Write:
    kind: str  # "report" | "survey"
    key: str
    acknowledged: bool = False
    attempts: int = 0


def outcome_of(response: httpx.Response) -> str:
    if response.status_code < 400:
        return str(response.status_code)
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        error = None
    return f"{response.status_code} {error or '(no error name)'}"


def retryable(response: httpx.Response) -> bool:
    if response.status_code == 429:
        return int(response.headers.get("Retry-After", "1")) <= RETRY_AFTER_LIMIT
    return response.status_code >= 500


def said_try_again(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    texts = " ".join(str(m.get("text") or "") for m in response.json().get("messages", []))
    return any(phrase in texts for phrase in TRY_AGAIN)


class Load:
    def __init__(self, backends: list[str], students: list[Student]) -> None:
        self.backends = backends
        self.students = students
        self.phase = "start"
        self.answers: list[Answer] = []
        self.writes: list[Write] = []
        self.examples: dict[tuple[str, str], str] = {}  # (kind, outcome) → a body seen
        self._next_backend = itertools.cycle(range(len(backends)))
        self._http = httpx.AsyncClient(timeout=HANG_SECONDS, limits=CLIENT_LIMITS)
        self._tasks: set[asyncio.Task[None]] = set()

    async def close(self) -> None:
        await self._http.aclose()

    def backend(self) -> str:
        return self.backends[next(self._next_backend)]

    async def request(
        self, kind: str, method: str, path: str, student: Student, **kw: Any
    ) -> httpx.Response | None:
        """One attempt, recorded under the current phase; None if no answer came."""
        phase, started = self.phase, time.monotonic()
        response: httpx.Response | None = None
        try:
            response = await self._http.request(
                method,
                self.backend() + path,
                headers={**student.headers, **kw.pop("headers", {})},
                **kw,
            )
            outcome = outcome_of(response)
            if response.status_code >= 400:
                self.examples.setdefault((kind, outcome), response.text[:160])
        except httpx.TimeoutException:
            outcome = f"hang (>{HANG_SECONDS:.0f} s)"
        except httpx.ConnectError:
            outcome = "connection refused"
        except httpx.TransportError as exc:
            outcome = f"connection lost ({type(exc).__name__})"
        seconds = time.monotonic() - started
        try_again = kind == "chat" and response is not None and said_try_again(response)
        self.answers.append(Answer(kind, phase, self.phase, outcome, seconds, try_again))
        return response

    # --- the operations -----------------------------------------------------------------

    async def read(self, kind: str) -> None:
        student = random.choice(self.students)
        path = {
            "menus": "/api/v1/menus",
            "me": "/api/v1/me",
            "tickets": "/api/v1/repairs",
        }
        await self.request(kind, "GET", path[kind], student)

    async def chat(self) -> None:
        student = random.choice(self.students)
        await self.request(
            "chat", "POST", "/api/v1/chat", student, json={"message": random.choice(CHAT_MESSAGES)}
        )

    async def report(self, budget: float) -> None:
        student = random.choice(self.students)
        key = f"{MARKER}-{uuid.uuid4()}"
        body = {
            "category": random.choice(["plumbing", "electrical", "furniture", "network"]),
            "description": f"{MARKER} {key}: it stopped working / 坏了",
            "report_even_if_duplicate": True,
        }
        await self.write("report", key, student, "/api/v1/repairs", body, budget)

    async def survey(self, budget: float) -> None:
        waiting = [s for s in self.students if s.invitations]
        if not waiting:
            return
        student = random.choice(waiting)
        invitation = student.invitations.pop()
        key = f"{MARKER}-{uuid.uuid4()}"
        body = {"overall": random.randint(1, 5), "comment": f"{MARKER} {key}"}
        path = f"/api/v1/surveys/invitations/{invitation}/response"
        await self.write("survey", key, student, path, body, budget)

    async def write(
        self, kind: str, key: str, student: Student, path: str, body: dict[str, Any], budget: float
    ) -> None:
        """Until acknowledged (2xx) or refused for good (another 4xx), same key every time."""
        write = Write(kind, key)
        self.writes.append(write)
        deadline = time.monotonic() + budget
        pause = 0.5
        while time.monotonic() < deadline:
            write.attempts += 1
            response = await self.request(
                kind, "POST", path, student, json=body, headers={"Idempotency-Key": key}
            )
            if response is not None and response.is_success:
                write.acknowledged = True
                return
            if response is not None and not retryable(response):
                return  # refused: nothing was written, and a retry would be refused again
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)

    # --- running ----------------------------------------------------------------------

    def _start(self, operation: Any) -> None:
        task = asyncio.create_task(operation)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, seconds: float, *, rate: float, write_budget: float) -> None:
        """Start ``rate`` operations a second, mixed as MIX (open loop), for ``seconds``."""
        total = rate
        kinds, weights = list(MIX), list(MIX.values())
        started = time.monotonic()
        for n in itertools.count():
            due = started + n / total
            if due > started + seconds:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            kind = random.choices(kinds, weights)[0]
            if kind == "chat":
                self._start(self.chat())
            elif kind == "report":
                self._start(self.report(write_budget))
            elif kind == "survey":
                self._start(self.survey(write_budget))
            else:
                self._start(self.read(kind))

    async def drain(self, timeout: float) -> None:
        """Let the writes still retrying finish."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)

    def by_phase(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {}
        for answer in self.answers:
            table.setdefault(answer.phase, Counter())[answer.outcome] += 1
        return table


async def sign_in(http: httpx.AsyncClient, base: str, students: list[Student]) -> None:
    """Each student's token and the dorm invitations waiting for them (opened once, so
    the answer timer has started)."""
    for student in students:
        response = await http.post(
            f"{base}/api/v1/auth/token",
            data={"username": student.username, "password": DEMO_PASSWORD},
            headers={"X-Forwarded-For": student.address},
        )
        response.raise_for_status()
        student.token = response.json()["access_token"]
        pending = await http.get(f"{base}/api/v1/surveys/pending", headers=student.headers)
        pending.raise_for_status()
        for invitation in pending.json()["data"]:
            opened = await http.get(
                f"{base}/api/v1/surveys/invitations/{invitation['id']}", headers=student.headers
            )
            opened.raise_for_status()
            student.invitations.append(invitation["id"])


def residents(n: int, first: int = FIRST_RESIDENT) -> list[Student]:
    return [Student(f"s{first + i}", f"10.77.{i // 250}.{i % 250 + 1}") for i in range(n)]
