"""Fresh tracker per test; backend HTTP mocked with respx."""

from collections.abc import Iterator

import pytest
import respx
from actions.backend_client import backend
from rasa_sdk.executor import CollectingDispatcher
from support import BACKEND, BOT_SECRET


@pytest.fixture(autouse=True)
def action_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HOUQIN_ENV", "production")
    monkeypatch.setenv("HOUQIN_BACKEND_URL", BACKEND)
    monkeypatch.setenv("HOUQIN_BOT_SECRET", BOT_SECRET)
    monkeypatch.setenv("HOUQIN_CAMPUS_TIMEZONE", "Asia/Shanghai")
    backend.cache_clear()
    yield
    backend.cache_clear()


@pytest.fixture
def backend_api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BACKEND, assert_all_called=False) as router:
        yield router


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
