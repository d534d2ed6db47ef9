"""Hand the conversation to a person: POST /handoffs and say how and when staff reply."""

import hashlib
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.backend_client import BackendError
from actions.base import UNAVAILABLE, BackendAction, Turn
from actions.conversation import campus_now, said, weekday_name
from actions.settings import load_settings

TRANSCRIPT_LINES = 10
MAX_LINE = 1000  # the API's limit per message and transcript line
HANDOFF_INTENT = "human_handoff"
_FROM_MENU = {
    "en": "The student asked for a person from the menu.",
    "zh": "学生从菜单选择了转人工。",
}


def _said(event: dict[str, Any]) -> str:
    """What the student typed; button payloads ("/help") are not words."""
    text = said(event)
    return "" if text.startswith("/") else text[:MAX_LINE]


def _intent(event: dict[str, Any]) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def user_events(tracker: Tracker) -> list[dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def transcript(tracker: Tracker) -> list[str]:
    """The last ≤10 things the student said, oldest first."""
    lines = [_said(event) for event in user_events(tracker)]
    return [line for line in lines if line][-TRANSCRIPT_LINES:]


def handoff_message(tracker: Tracker, lang: str) -> str:
    """The student's last message that is not the handoff request, else the request itself."""
    for event in reversed(user_events(tracker)):
        if _intent(event) != HANDOFF_INTENT and _said(event):
            return _said(event)
    latest = _said(tracker.latest_message or {})
    return latest or _FROM_MENU[lang]


def idempotency_key(tracker: Tracker) -> str:
    """Same sender and same user message → same key: a retried turn files one request."""
    events = user_events(tracker)
    stamp = str(events[-1].get("timestamp")) if events else ""
    if not stamp:  # no event history: fall back to the message itself
        stamp = str((tracker.latest_message or {}).get("message_id") or "") or str(
            (tracker.latest_message or {}).get("text") or ""
        )
    digest = hashlib.sha256(f"{tracker.sender_id}\n{stamp}".encode()).hexdigest()
    return f"handoff-{digest[:48]}"


def reply_by_label(value: str, lang: str) -> str:
    """ "15:30 today" / "今天15:30"; another day names it ("Tue 24 Nov, 09:00")."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    local = moment.astimezone(load_settings().timezone)
    days = (local.date() - campus_now().date()).days
    clock = local.strftime("%H:%M")
    if lang == "zh":
        relative = {0: "今天", 1: "明天"}.get(days)
        weekday = weekday_name(local, lang)
        return (
            f"{relative}{clock}"
            if relative
            else f"{local.month}月{local.day}日（{weekday}）{clock}"
        )
    relative_en = {0: "today", 1: "tomorrow"}.get(days)
    if relative_en:
        return f"{clock} {relative_en}"
    weekday = weekday_name(local, lang)
    return f"{weekday} {local.day} {local.strftime('%b')}, {clock}"


class ActionHandoff(BackendAction):
    action_name = "action_handoff"
    unavailable = (UNAVAILABLE, "utter_handoff_unavailable")

    async def act(self, turn: Turn) -> list[EventType]:
        body = {
            "message": handoff_message(turn.tracker, turn.lang),
            "language": turn.lang,
            "transcript": transcript(turn.tracker),
        }
        handoff = await turn.backend.request_handoff(
            token=turn.token, request=body, key=idempotency_key(turn.tracker)
        )
        request = handoff.request
        turn.say(
            "utter_handoff_created" if handoff.created else "utter_handoff_already_open",
            request_id=request["id"],
            reply_by=reply_by_label(str(request["reply_by"]), turn.lang),
            contact=request["contact"],
        )
        return []

    async def refused(self, turn: Turn, error: BackendError) -> None:
        turn.say("utter_handoff_unavailable")
