"""Notify fixtures: the repairs campus (its clock drives the dispatcher too), a
dispatcher on the test's session, and Rasa's HTTP API mocked with respx."""

from collections.abc import Iterator

import pytest
import respx
from fastapi import FastAPI

from backend.notify.dispatcher import Dispatcher
from tests.backend.helpers import StoppedClock
from tests.backend.repairs.conftest import (  # noqa: F401 (fixtures)
    api,
    campus,
    headers,
    photo_dir,
    ticket_in,
)

TRIGGER = "http://rasa.test/conversations/{sender}/trigger_intent"


@pytest.fixture
def rasa() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


@pytest.fixture
def dispatcher(app: FastAPI, clock: StoppedClock) -> Dispatcher:
    return Dispatcher(state=app.state.chat, clock=clock)
