"""What every action needs to know about the turn: language, the student, today."""

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from rasa_sdk import Tracker

from actions.settings import load_settings

LANGUAGES = ("en", "zh")
# Rasa logs a notice the backend triggers (EXTERNAL_* intent) as a user message with this text.
EXTERNAL_TEXT = "EXTERNAL: "


def metadata(tracker: Tracker) -> dict[str, Any]:
    return (tracker.latest_message or {}).get("metadata") or {}


def said(message: dict[str, Any] | None) -> str:
    """What the student sent (a latest message or a user event); "" for a notice."""
    text = str((message or {}).get("text") or "").strip()
    return "" if text.startswith(EXTERNAL_TEXT) else text


def language(tracker: Tracker) -> str:
    value = tracker.get_slot("language")
    return value if value in LANGUAGES else "en"


def intent_name(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def student_token(tracker: Tracker) -> str | None:
    """The delegation token the backend attached to this message (None if it did not)."""
    token = metadata(tracker).get("token")
    return token if isinstance(token, str) and token else None


def campus_today() -> date:
    return datetime.now(load_settings().timezone).date()


def campus_now() -> datetime:
    return datetime.now(load_settings().timezone)


def localised(item: Mapping[str, Any], field: str, lang: str) -> str:
    """``item[field_zh]`` or ``item[field_en]`` (bilingual API fields), English if missing."""
    value = item.get(f"{field}_{lang}") or item.get(f"{field}_en")
    return str(value) if value is not None else ""


def entities(tracker: Tracker, name: str) -> list[str]:
    """Every distinct value of an entity in the latest message, in order."""
    values: list[str] = []
    for value in tracker.get_latest_entity_values(name):
        if str(value) not in values:
            values.append(str(value))
    return values


def entity(tracker: Tracker, name: str) -> str | None:
    """The value of an entity in the latest message (button payloads included)."""
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value) if value is not None else None


_WEEKDAYS = {"en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], "zh": "一二三四五六日"}


def weekday_name(day: date, lang: str) -> str:
    """ "Tue" / "周二"."""
    return f"周{_WEEKDAYS['zh'][day.weekday()]}" if lang == "zh" else _WEEKDAYS["en"][day.weekday()]


def button_payload(intent: str, entities: dict[str, str]) -> str:
    """``/intent{"entity":"value"}``: a button that skips NLU."""
    return "/" + intent + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
