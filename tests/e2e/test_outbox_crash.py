"""The outbox survives crashes and shares work: kill -9 of the backend with 100 notices
pending, and two dispatcher workers on PostgreSQL — every notice shown exactly once
(counted in the transcript), none lost, none twice."""

import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

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

NOTICES = 100
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/houqin_e2e_outbox"


@pytest.fixture
def silent_rasa() -> Iterator[str]:
    """A port that takes connections and never answers: every voice attempt times out, so
    each delivery takes a moment and the kill lands in the middle of the work."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1024)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_kill_9_of_the_backend_with_100_pending_notices_loses_and_doubles_none(
    tmp_path: Path, silent_rasa: str
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'houqin.db'}"
    fresh_database(url)
    queue_notices(url, make_users(url, 1), NOTICES, "crash")
    slow = {
        "HOUQIN_RASA_URL": silent_rasa,
        "HOUQIN_NOTIFY_VOICE_TIMEOUT_SECONDS": "0.05",
        "HOUQIN_NOTIFY_LEASE_SECONDS": "2",
        "HOUQIN_NOTIFY_BATCH_SIZE": "10",
    }
    first, _ = backend(url, **slow)
    deadline = time.monotonic() + 60
    while counts(url)[0] < 20:
        assert time.monotonic() < deadline, "nothing was delivered"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    at_kill = counts(url)
    assert at_kill[0] < NOTICES, "the kill came too late to prove anything"

    second, _ = backend(url, **slow)
    try:
        wait_until_sent(url, NOTICES, timeout=90)
        time.sleep(3)  # a lease running out now would show up as a second copy
        assert counts(url) == (NOTICES, NOTICES, NOTICES), f"at the kill: {at_kill}"
    finally:
        stop(second)


def test_two_workers_on_postgresql_never_take_the_same_notice() -> None:
    fresh_database(PG_URL)
    queue_notices(PG_URL, make_users(PG_URL, 20), 400, "workers")
    workers = [worker(PG_URL, HOUQIN_RASA_URL="http://127.0.0.1:9") for _ in range(2)]
    try:
        wait_until_sent(PG_URL, 400, timeout=120)
        time.sleep(2)
        assert counts(PG_URL) == (400, 400, 400)
    finally:
        stop(*workers)
