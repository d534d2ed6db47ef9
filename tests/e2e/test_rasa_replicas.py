"""Two real Rasa replicas on one shared tracker store (PostgreSQL) and lock store (Redis):
kill -9 the replica serving a student in the middle of the repair form, and the other
replica answers their next message and the form goes on to the filed ticket."""

import asyncio
import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from backend.chat.replicas import preference
from backend.core.db import create_engine
from tests.backend.conftest import ensure_postgres_database
from tests.e2e.system import System, SystemDidNotStart, port_open, running_system
from tests.e2e.test_bot_flows import api, buttons, chat, open_tickets, text

# Rasa's conversations; the test empties it first. Override to use a database of your own.
TRACKER_DATABASE = os.environ.get("TEST_E2E_TRACKER_DATABASE", "houqin_e2e_replicas")
TRACKER_URL = f"postgresql://postgres@127.0.0.1:5432/{TRACKER_DATABASE}"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REPLICAS = ("rasa-1", "rasa-2")
REPORT = "the shelf above my desk is broken"


def empty_tracker_store() -> None:
    async def reset() -> None:
        url = TRACKER_URL.replace("postgresql://", "postgresql+asyncpg://")
        await ensure_postgres_database(url)
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.execute(sa.text("DROP TABLE IF EXISTS events"))
        await engine.dispose()

    asyncio.run(reset())


@pytest.fixture(scope="module")
def two_replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    empty_tracker_store()
    prefix = f"e2e-replicas-{uuid.uuid4().hex}:"
    settings = {
        "HOUQIN_TRACKER_STORE_URL": TRACKER_URL,
        "HOUQIN_REDIS_URL": REDIS_URL,  # the backend's cache and Rasa's lock store
        "HOUQIN_CACHE_PREFIX": prefix,
    }
    database = Path(tmp_path_factory.mktemp("replicas")) / "houqin.db"
    try:
        with running_system(database, settings, rasa_replicas=len(REPLICAS)) as started:
            yield started
    except SystemDidNotStart as exc:
        pytest.fail(f"the system did not start:\n{exc}")
    finally:
        store = redis.Redis.from_url(REDIS_URL)
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        store.close()


def test_kill_9_of_a_students_replica_mid_form_hands_them_to_the_other(
    two_replicas: System,
) -> None:
    system = two_replicas
    student = system.login("s20240002")  # English profile
    me = api(system, student, "GET", "/me")["id"]
    urls = {f"http://127.0.0.1:{system.ports[name]}": name for name in REPLICAS}
    home, other = (urls[url] for url in preference(str(me), list(urls)))
    before = {ticket["id"] for ticket in open_tickets(system, student)}

    asked = chat(system, student, REPORT)
    assert "Yes, my room" in buttons(asked), text(asked)  # the form asks the place

    [pid] = system.child_pids(home)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while port_open(system.ports[home]):
        assert time.monotonic() < deadline, f"{home} still listens after kill -9"
        time.sleep(0.05)

    # Only a replica that read this conversation from the shared store knows what "yes"
    # answers; the killed one is not back yet (loading its model takes far longer).
    urgency = chat(system, student, buttons(asked)["Yes, my room"])
    assert not port_open(system.ports[home]), "the killed replica came back too soon"
    assert port_open(system.ports[other])
    assert urgency["messages"][-1]["text"] == "How urgent is it?", text(urgency)
    [normal] = [p for p in buttons(urgency).values() if '"normal"' in p]

    summary = chat(system, student, normal)
    assert REPORT in text(summary), text(summary)
    filed = chat(system, student, buttons(summary)["Submit"])
    assert "Your repair is filed" in text(filed), text(filed)

    [new] = [ticket for ticket in open_tickets(system, student) if ticket["id"] not in before]
    assert new["description"] == REPORT
