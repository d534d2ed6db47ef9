"""bot/endpoints.yml: the SQL tracker store and the lock store it configures (real SQLite,
real Redis: TEST_REDIS_URL)."""

import os
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import select
from stores import sql_tracker
from stores.redis_lock import RedisUrlLockStore

ENDPOINTS = Path(__file__).parents[2] / "bot" / "endpoints.yml"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def endpoints(monkeypatch: pytest.MonkeyPatch, tracker_url: str, redis_url: str) -> Any:
    monkeypatch.setenv("HOUQIN_ACTIONS_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("HOUQIN_TRACKER_STORE_URL", tracker_url)
    monkeypatch.setenv("HOUQIN_REDIS_URL", redis_url)
    lock = "stores.redis_lock.RedisUrlLockStore" if redis_url else "in_memory"
    monkeypatch.setenv("HOUQIN_LOCK_STORE", lock)
    return read_endpoints_from_path(str(ENDPOINTS))


def text_slots(*names: str) -> Domain:
    """A domain with these text slots, each filled by actions only."""
    slots = {name: {"type": "text", "mappings": [{"type": "custom"}]} for name in names}
    return Domain.from_dict({"slots": slots})


async def test_a_conversation_outlives_its_tracker_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = endpoints(monkeypatch, f"sqlite:///{tmp_path / 'rasa-tracker.db'}", "")
    domain = text_slots("repair_location")
    first = TrackerStore.create(config.tracker_store, domain)
    assert isinstance(first, sql_tracker.SQLTrackerStore)
    tracker = DialogueStateTracker.from_events(
        "7",
        [
            ActionExecuted("action_listen"),
            UserUttered("my shelf is broken", {"name": "repairs_report"}),
            SlotSet("repair_location", "my_room"),
        ],
    )
    await first.save(tracker)
    first.engine.dispose()  # the process is gone; only the file remains

    again = TrackerStore.create(config.tracker_store, domain)
    restored = await again.retrieve("7")
    assert restored is not None
    assert restored.get_slot("repair_location") == "my_room"
    assert restored.latest_message.text == "my shelf is broken"


async def test_the_store_reads_what_rasas_own_sql_store_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = endpoints(monkeypatch, f"sqlite:///{tmp_path / 'rasa-tracker.db'}", "")
    domain = text_slots("meal")
    ours = TrackerStore.create(config.tracker_store, domain)
    rasas = SQLTrackerStore(domain, host=config.tracker_store.url)

    def turn(at: float) -> list[Event]:
        return [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered("lunch?", {"name": "meals_ask_menu"}, timestamp=at),
        ]

    tracker = DialogueStateTracker.from_events(
        "8",
        [
            ActionExecuted("action_session_start", timestamp=1.0),
            SessionStarted(timestamp=2.0),
            *turn(2.5),
            SlotSet("meal", "lunch", timestamp=3.0),
            ActionExecuted("action_session_start", timestamp=4.0),
            SessionStarted(timestamp=5.0),
            SlotSet("meal", "lunch", timestamp=5.0),
            *turn(5.5),
        ],
    )
    await ours.save(tracker)
    for read in ("retrieve", "retrieve_full_tracker"):
        mine, theirs = await getattr(ours, read)("8"), await getattr(rasas, read)("8")
        assert mine is not None
        assert theirs is not None
        assert list(mine.events) == list(theirs.events)
        assert mine.current_slot_values() == theirs.current_slot_values()
    latest = await ours.retrieve("8")
    assert latest is not None
    assert len(latest.events) == 4  # the latest session only
    assert await ours.retrieve("nobody") is None


async def test_the_store_writes_what_rasas_own_sql_store_writes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Turn by turn, as the server saves (retrieve, add the turn's events, save), across a
    new session and a save with nothing new: the same rows, column for column."""
    config = endpoints(monkeypatch, f"sqlite:///{tmp_path / 'ours.db'}", "")
    domain = text_slots("meal")
    ours = TrackerStore.create(config.tracker_store, domain)
    rasas = SQLTrackerStore(domain, host=f"sqlite:///{tmp_path / 'rasas.db'}")
    turns: list[list[Event]] = [
        [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=1.0)],
        [
            ActionExecuted("action_listen", timestamp=2.0),
            UserUttered("lunch?", {"name": "meals_ask_menu"}, timestamp=2.0),
            SlotSet("meal", "lunch", timestamp=2.5),
        ],
        [],
        [
            ActionExecuted("action_session_start", timestamp=9.0),
            SessionStarted(timestamp=9.0),
            SlotSet("meal", "lunch", timestamp=9.0),
            ActionExecuted("action_listen", timestamp=9.5),
            UserUttered("晚饭呢", {"name": "meals_ask_menu"}, timestamp=9.5),
        ],
    ]
    for store in (ours, rasas):
        for events in turns:
            tracker = await store.retrieve("9") or DialogueStateTracker("9", domain.slots)
            for event in events:
                tracker.update(event)
            await store.save(tracker)

    def rows(store: SQLTrackerStore) -> list[tuple[Any, ...]]:
        with store.session_scope() as session:
            table = store.SQLEvent.__table__
            query = select(*(c for c in table.c if c.name != "id")).order_by(table.c.id)
            return [tuple(row) for row in session.execute(query)]

    assert rows(ours) == rows(rasas)
    assert len(rows(ours)) == sum(len(events) for events in turns)
    latest = await ours.retrieve("9")
    assert latest is not None
    assert latest.latest_message.text == "晚饭呢"


def test_without_redis_the_locks_stay_in_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = endpoints(monkeypatch, f"sqlite:///{tmp_path / 't.db'}", "")
    assert isinstance(LockStore.create(config.lock_store), InMemoryLockStore)


async def test_with_redis_the_locks_are_in_redis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = endpoints(monkeypatch, f"sqlite:///{tmp_path / 't.db'}", REDIS_URL)
    store = LockStore.create(config.lock_store)
    assert isinstance(store, RedisUrlLockStore)
    assert store.red.connection_pool.connection_kwargs["db"] == int(REDIS_URL.rsplit("/", 1)[1])
    sender = f"lock-test-{uuid4().hex}"
    async with store.lock(sender):
        assert store.red.exists(f"houqin:lock:{sender}")
    assert not store.red.exists(f"houqin:lock:{sender}")


def test_a_lock_store_url_must_be_redis() -> None:
    with pytest.raises(ValueError, match="redis://"):
        RedisUrlLockStore(EndpointConfig(url="http://127.0.0.1:6379"))
