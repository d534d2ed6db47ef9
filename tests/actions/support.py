"""Tracker and entity builders for action tests."""

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

BACKEND = "http://backend.test"
TOKEN = "delegation-token-for-student-7"
BOT_SECRET = "bot-secret-for-tests-0123456789abcdef"


def make_tracker(
    text: str = "",
    *,
    intent: str = "meals_ask_menu",
    entities: list[dict[str, Any]] | None = None,
    language: str | None = "en",
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    return Tracker(
        sender_id="7",
        slots={"language": language},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
            "metadata": {"token": TOKEN, "language": language} if metadata is None else metadata,
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value)}


def form_tracker(
    form: str,
    text: str = "",
    *,
    started: float,
    intent: str,
    requested: str | None = None,
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    candidates: dict[str, Any] | None = None,
    language: str = "en",
) -> Tracker:
    """A tracker inside ``form`` (activated at ``started``); ``candidates`` are slots the NLU
    mappings just set."""
    all_slots = {"language": language, "requested_slot": requested, **(slots or {})}
    events: list[dict[str, Any]] = [
        {"event": "active_loop", "name": form, "timestamp": started},
        {"event": "user", "text": text, "timestamp": started + 5},
    ]
    for name, value in (candidates or {}).items():
        all_slots[name] = value
        events.append({"event": "slot", "name": name, "value": value})
    return Tracker(
        sender_id="7",
        slots=all_slots,
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
            "metadata": {"token": TOKEN, "language": language},
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form} if requested else {},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [message["response"] for message in dispatcher.messages]
