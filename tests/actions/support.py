"""Tracker and entity builders for action tests."""

from typing import Any

from rasa_sdk import Tracker

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
