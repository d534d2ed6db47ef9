"""Routing students over Rasa replicas: rendezvous hashing, failover and recovery."""

import subprocess
import sys
from collections import Counter

import httpx
import pytest
import respx

from backend.chat.exceptions import BotUnavailable
from backend.chat.rasa import RasaClient
from backend.chat.replicas import Replicas, preference

URLS = ("http://rasa-1:5005", "http://rasa-2:5005", "http://rasa-3:5005")
SENDERS = [str(student) for student in range(1, 3001)]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_students_order_is_stable_and_independent_of_the_listing() -> None:
    first = [preference(sender, URLS) for sender in SENDERS[:200]]
    assert first == [preference(sender, URLS[::-1]) for sender in SENDERS[:200]]
    # Another interpreter (another hash seed, another worker) picks the same.
    script = (
        "from backend.chat.replicas import preference;"
        f"print([preference(str(s), {list(URLS)!r})[0] for s in range(1, 201)])"
    )
    other = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert other.stdout.strip() == repr([order[0] for order in first])


def test_students_spread_evenly_over_the_replicas() -> None:
    counts = Counter(preference(sender, URLS)[0] for sender in SENDERS)
    assert set(counts) == set(URLS)
    assert all(abs(count - 1000) < 100 for count in counts.values()), counts


def test_a_replica_going_away_moves_only_its_own_students_to_their_second_choice() -> None:
    remaining = URLS[:2]
    for sender in SENDERS:
        order = preference(sender, URLS)
        if order[0] in remaining:
            assert preference(sender, remaining)[0] == order[0]
        else:
            assert preference(sender, remaining)[0] == order[1]


def test_a_replica_marked_down_goes_last_until_its_retry_time() -> None:
    clock = Clock()
    replicas = Replicas(URLS, retry_seconds=5, clock=clock)
    sender = SENDERS[0]
    order = replicas.order(sender)
    assert order == preference(sender, URLS)

    replicas.mark_down(order[0])
    assert replicas.order(sender) == [order[1], order[2], order[0]]
    clock.now += 4.9
    assert replicas.order(sender)[0] == order[1]
    clock.now += 0.2  # retry time: the student goes back to their own replica
    assert replicas.order(sender) == order

    replicas.mark_down(order[0])
    replicas.mark_up(order[0])  # it answered (tried last, all others down)
    assert replicas.order(sender) == order


def test_all_down_still_tries_every_replica_in_the_students_order() -> None:
    replicas = Replicas(URLS, retry_seconds=5, clock=Clock())
    for url in URLS:
        replicas.mark_down(url)
    assert replicas.order(SENDERS[0]) == preference(SENDERS[0], URLS)


def test_no_replica_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Replicas((), retry_seconds=5)


# --- RasaClient over two replicas, HTTP mocked -------------------------------------------

TWO = list(URLS[:2])
SENDER = next(s for s in SENDERS if preference(s, TWO)[0] == TWO[0])  # served by rasa-1
FIRST, SECOND = (f"{url}/webhooks/rest/webhook" for url in TWO)
REPLY = [{"recipient_id": SENDER, "text": "hello"}]


@pytest.fixture
async def client() -> RasaClient:
    async with httpx.AsyncClient() as http:
        rasa = RasaClient(http=http, urls=TWO, token="t" * 32, timeout=4, retry_seconds=5)
        rasa.replicas.clock = Clock()
        yield rasa


@pytest.fixture
def mock() -> respx.MockRouter:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router


async def say(rasa: RasaClient, text: str = "hi") -> list[dict[str, object]]:
    return await rasa.send(sender=SENDER, message=text, metadata={"language": "en"})


async def test_a_student_always_talks_to_their_own_replica(
    client: RasaClient, mock: respx.MockRouter
) -> None:
    first = mock.post(FIRST).respond(json=REPLY)
    second = mock.post(SECOND).respond(json=REPLY)
    for _ in range(3):
        assert await say(client) == REPLY
    assert (first.call_count, second.call_count) == (3, 0)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("no accept"), httpx.Response(503)],
)
async def test_undelivered_message_goes_to_the_next_replica_which_keeps_the_student(
    client: RasaClient, mock: respx.MockRouter, failure: Exception | httpx.Response
) -> None:
    first = mock.post(FIRST)
    if isinstance(failure, Exception):
        first.mock(side_effect=failure)
    else:
        first.mock(return_value=failure)
    second = mock.post(SECOND).respond(json=REPLY)

    assert await say(client, "one") == REPLY
    assert (first.call_count, second.call_count) == (1, 1)
    assert second.calls.last.request.content == first.calls.last.request.content
    assert await say(client, "two") == REPLY  # no new attempt at the downed replica
    assert (first.call_count, second.call_count) == (1, 2)

    first.mock(side_effect=None, return_value=httpx.Response(200, json=REPLY))
    client.replicas.clock.now += 5  # type: ignore[attr-defined]
    assert await say(client, "three") == REPLY  # retried after the short time: back home
    assert (first.call_count, second.call_count) == (2, 2)


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("died"), httpx.Response(500)],
)
async def test_maybe_handled_message_is_not_sent_twice_but_the_next_one_moves(
    client: RasaClient, mock: respx.MockRouter, failure: Exception | httpx.Response
) -> None:
    first = mock.post(FIRST)
    if isinstance(failure, Exception):
        first.mock(side_effect=failure)
    else:
        first.mock(return_value=failure)
    second = mock.post(SECOND).respond(json=REPLY)

    with pytest.raises(BotUnavailable):
        await say(client, "file my repair")
    assert (first.call_count, second.call_count) == (1, 0)
    assert await say(client, "again") == REPLY
    assert (first.call_count, second.call_count) == (1, 1)


async def test_a_rejected_request_is_not_a_replica_failure(
    client: RasaClient, mock: respx.MockRouter
) -> None:
    first = mock.post(FIRST).respond(status_code=400)
    second = mock.post(SECOND).respond(json=REPLY)
    with pytest.raises(BotUnavailable):
        await say(client)
    assert not client.replicas.is_down(TWO[0])
    assert second.call_count == 0
    first.respond(json=REPLY)
    assert await say(client) == REPLY


async def test_every_replica_down_is_bot_unavailable_after_trying_each_once(
    client: RasaClient, mock: respx.MockRouter
) -> None:
    routes = [
        mock.post(url).mock(side_effect=httpx.ConnectError("refused")) for url in (FIRST, SECOND)
    ]
    with pytest.raises(BotUnavailable):
        await say(client)
    assert [route.call_count for route in routes] == [1, 1]


async def test_proactive_messages_follow_the_same_routing(
    client: RasaClient, mock: respx.MockRouter
) -> None:
    path = f"/conversations/{SENDER}/trigger_intent"
    first = mock.post(f"{TWO[0]}{path}").mock(side_effect=httpx.ConnectError("refused"))
    second = mock.post(f"{TWO[1]}{path}").respond(json={"messages": [{"text": "Fixed?"}]})
    words = await client.trigger(sender=SENDER, intent="EXTERNAL_x", entities={}, timeout=3)
    assert words == [{"text": "Fixed?"}]
    assert (first.call_count, second.call_count) == (1, 1)
    assert second.calls.last.request.url.params["token"] == "t" * 32
