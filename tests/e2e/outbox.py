"""Filling and counting an outbox in a real database, and starting dispatcher processes:
shared by the crash and multi-worker tests and by bench/notify.py."""

import asyncio
import os
import subprocess
import sys
import time

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from backend.core.db import create_engine, create_sessionmaker
from backend.core.security import hash_password
from backend.core.types import utcnow
from backend.identity.models import Locale, Role, User
from backend.notify.models import Kind
from backend.notify.service import notify
from tests.backend.conftest import ensure_postgres_database
from tests.e2e.system import ROOT, free_port, port_open

# Whatever the hour of the run and however many notices: nothing is held or capped.
UNLIMITED = {
    "HOUQIN_NOTIFY_DAILY_CAP": "1000",
    "HOUQIN_NOTIFY_QUIET_START": "",
    "HOUQIN_NOTIFY_QUIET_END": "",
}


def fresh_database(url: str) -> None:
    """An empty, migrated database (PostgreSQL: created if missing, schema dropped)."""

    async def reset() -> None:
        await ensure_postgres_database(url)
        if url.startswith("postgresql"):
            engine = create_engine(url)
            async with engine.begin() as connection:
                await connection.execute(sa.text("DROP SCHEMA public CASCADE"))
                await connection.execute(sa.text("CREATE SCHEMA public"))
            await engine.dispose()

    asyncio.run(reset())
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def make_users(url: str, n: int, *, role: Role = Role.student, first: int = 0) -> list[int]:
    """``n`` English-speaking users (students unless ``role`` says otherwise), numbered from
    ``first``; their ids."""

    async def make() -> list[int]:
        engine = create_engine(url)
        password = hash_password("outbox-test-password")
        async with create_sessionmaker(engine)() as session:
            students = [
                User(
                    username=f"{role.value[0]}2999{first + i:04d}",
                    name=f"Outbox {i}",
                    role=role,
                    locale=Locale.en,
                    password_hash=password,
                )
                for i in range(n)
            ]
            session.add_all(students)
            await session.commit()
            ids = [student.id for student in students]
        await engine.dispose()
        return ids

    return asyncio.run(make())


def queue_notices(url: str, students: list[int], n: int, tag: str) -> None:
    """``n`` pending notices, round robin over ``students``, committed at once."""

    async def queue() -> None:
        engine = create_engine(url)
        async with create_sessionmaker(engine)() as session:
            for i in range(n):
                await notify(
                    session=session,
                    user_id=students[i % len(students)],
                    kind=Kind.handoff_answered,
                    dedupe_key=f"{tag}:{i}",
                    now=utcnow(),
                    params={"reply": f"answer {i}"},
                )
            await session.commit()
        await engine.dispose()

    asyncio.run(queue())


def counts(url: str) -> tuple[int, int, int]:
    """(deliveries sent, notice messages in the transcript, distinct notices there)."""

    async def count() -> tuple[int, int, int]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            sent = await connection.scalar(
                sa.text("SELECT count(*) FROM notification_deliveries WHERE state = 'sent'")
            )
            shown, distinct = (
                await connection.execute(
                    sa.text(
                        "SELECT count(*), count(DISTINCT notification_id) FROM chat_messages"
                        " WHERE notification_id IS NOT NULL"
                    )
                )
            ).one()
        await engine.dispose()
        return int(sent or 0), int(shown), int(distinct)

    return asyncio.run(count())


def spawn(command: list[str], url: str, **env: str) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "HOUQIN_ENV": "development",
        "HOUQIN_DATABASE_URL": url,
        **UNLIMITED,
        **env,
    }
    environment.pop("DATABASE_URL", None)
    environment.pop("REDIS_URL", None)
    return subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def worker(url: str, **env: str) -> subprocess.Popen[bytes]:
    return spawn([sys.executable, "-m", "backend.notify"], url, **env)


def backend(url: str, **env: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    uvicorn = [sys.executable, "-m", "uvicorn", "backend.main:create_app", "--factory"]
    process = spawn([*uvicorn, "--port", str(port)], url, **env)
    deadline = time.monotonic() + 60
    while not port_open(port):
        assert process.poll() is None, "the backend exited"
        assert time.monotonic() < deadline, "the backend did not start"
        time.sleep(0.1)
    return process, port


def wait_until_sent(url: str, total: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while counts(url)[0] < total:
        assert time.monotonic() < deadline, f"stuck at {counts(url)} of {total}"
        time.sleep(0.2)


def stop(*processes: subprocess.Popen[bytes]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=15)
