import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from actions import handoff
from actions.handoff import ActionHandoff, idempotency_key
from rasa_sdk.executor import CollectingDispatcher
from support import TOKEN, make_tracker

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CREATED = {
    "id": 42,
    "status": "open",
    "created_at": "2026-11-23T02:00:00Z",
    "reply_by": "2026-11-23T06:00:00Z",  # 14:00 campus time
    "contact": "Logistics service desk 0571-8888-0000, 8:00–20:00",
}


@pytest.fixture(autouse=True)
def monday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handoff, "campus_now", lambda: NOW)


def user(text: str, intent: str, timestamp: float) -> dict[str, Any]:
    return {
        "event": "user",
        "text": text,
        "timestamp": timestamp,
        "parse_data": {"intent": {"name": intent}},
    }


def conversation(language: str = "en", said: int = 3):
    history = [user(f"question {n}", "dorms_ask_guidance", 1000.0 + n) for n in range(said)]
    history.insert(1, user("/help", "help", 1000.5))
    history.append(user("talk to a person", "human_handoff", 2000.0))
    tracker = make_tracker("talk to a person", intent="human_handoff", language=language)
    tracker.events = history
    return tracker


async def run(dispatcher: CollectingDispatcher, tracker) -> list:
    return await ActionHandoff().run(dispatcher, tracker, {})


async def test_files_a_request_with_the_transcript(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/handoffs").respond(201, json=CREATED)
    tracker = conversation(said=12)
    await run(dispatcher, tracker)
    request = route.calls.last.request
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["idempotency-key"] == idempotency_key(tracker)
    body = json.loads(request.content)
    assert body["message"] == "question 11"
    assert body["language"] == "en"
    assert body["transcript"] == [f"question {n}" for n in range(3, 12)] + ["talk to a person"]
    [message] = dispatcher.messages
    assert message["response"] == "utter_handoff_created"
    assert message["request_id"] == 42
    assert message["reply_by"] == "14:00 today"
    assert message["contact"] == CREATED["contact"]


async def test_chinese_reply_by_another_day(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    backend_api.post("/api/v1/handoffs").respond(
        200, json={**CREATED, "reply_by": "2026-11-25T01:30:00+00:00"}
    )
    tracker = conversation("zh")
    await run(dispatcher, tracker)
    assert dispatcher.messages[0]["reply_by"] == "11月25日（周三）09:30"


def test_the_key_is_stable_per_turn_and_changes_with_the_next_message() -> None:
    first, retried = conversation(), conversation()
    assert idempotency_key(first) == idempotency_key(retried)
    assert len(idempotency_key(first)) <= 100
    later = conversation()
    later.events.append(user("human please", "human_handoff", 3000.0))
    assert idempotency_key(later) != idempotency_key(first)


async def test_the_handoff_text_itself_when_nothing_came_before(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/handoffs").respond(201, json=CREATED)
    tracker = make_tracker("转人工，押金退错了", intent="human_handoff", language="zh")
    tracker.events = [user("转人工，押金退错了", "human_handoff", 1.0)]
    await run(dispatcher, tracker)
    body = json.loads(route.calls.last.request.content)
    assert body == {
        "message": "转人工，押金退错了",
        "language": "zh",
        "transcript": ["转人工，押金退错了"],
    }


async def test_a_menu_button_alone_still_files_a_readable_request(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    route = backend_api.post("/api/v1/handoffs").respond(201, json=CREATED)
    tracker = make_tracker("/human_handoff", intent="human_handoff")
    tracker.events = [user("/human_handoff", "human_handoff", 1.0)]
    await run(dispatcher, tracker)
    body = json.loads(route.calls.last.request.content)
    assert body["message"] == "The student asked for a person from the menu."
    assert body["transcript"] == []


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (httpx.ConnectTimeout("down"), ["utter_backend_unavailable", "utter_handoff_unavailable"]),
        (
            httpx.Response(503, json={"error": "Unavailable"}),
            ["utter_backend_unavailable", "utter_handoff_unavailable"],
        ),
        (httpx.Response(403, json={"error": "StudentsOnly"}), ["utter_handoff_unavailable"]),
    ],
)
async def test_failures_never_show_raw_errors(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter, failure, expected
) -> None:
    route = backend_api.post("/api/v1/handoffs")
    if isinstance(failure, Exception):
        route.mock(side_effect=failure)
    else:
        route.mock(return_value=failure)
    await run(dispatcher, conversation())
    assert [m["response"] for m in dispatcher.messages] == expected


async def test_an_open_request_is_already_on_it_with_its_reply_time(
    dispatcher: CollectingDispatcher, backend_api: respx.MockRouter
) -> None:
    # The API answers 200 with the student's open request (unchanged) instead of 201.
    backend_api.post("/api/v1/handoffs").respond(200, json=CREATED)
    await run(dispatcher, conversation(language="zh"))
    [message] = dispatcher.messages
    assert message["response"] == "utter_handoff_already_open"
    assert message["request_id"] == 42
    assert message["reply_by"] == "今天14:00"
    assert message["contact"] == CREATED["contact"]
