"""Filing the report when the form ends (with the duplicate check's "me too" and "report
anyway") and following an open ticket."""

import hashlib
import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError, BackendUnavailable, backend
from actions.conversation import button_payload, language, student_token
from actions.repairs_form import FORM, FORM_SLOTS, HELPER_SLOTS, MY_ROOM
from actions.repairs_status import (
    CATEGORY_LABELS,
    REPAIRS,
    STATUS_LABELS,
    due_label,
    report_button,
    team_label,
    ticket_line,
    ticket_number,
)


def report_body(tracker: Tracker) -> dict[str, Any]:
    category = tracker.get_slot("repair_category") or "other"
    description = str(tracker.get_slot("repair_description") or "").strip()
    if len(description) < 5:  # the API wants 5 characters; "漏水了" is a fine description
        description = f"{description}（{CATEGORY_LABELS['zh'].get(category, category)}）"
    body: dict[str, Any] = {
        "category": category,
        "description": description[:2000],
        "priority": tracker.get_slot("repair_urgency") or "normal",
    }
    location = tracker.get_slot("repair_location")
    if location and location != MY_ROOM:
        building, room = tracker.get_slot("repair_building"), tracker.get_slot("repair_room")
        if building:
            body["building_code"] = building
        if room:
            body["room"] = room
        body["location_note"] = str(location)[:200]
    return body


def idempotency_key(tracker: Tracker, body: dict[str, Any]) -> str:
    """Sender + the start of this form run: a retried turn files the same ticket once."""
    started = next(
        (
            event.get("timestamp")
            for event in reversed(tracker.events)
            if event.get("event") == "active_loop" and event.get("name") == FORM
        ),
        None,
    )
    if started is None:  # no form run recorded: the report itself identifies the attempt
        started = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return f"repairs-{tracker.sender_id}-{started}"


async def file_report(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    body: dict[str, Any],
    key: str,
) -> list[EventType]:
    """POST the report; phrase the ticket, the duplicates or the problem."""
    lang = language(tracker)
    token = student_token(tracker)
    if token is None:
        dispatcher.utter_message(response="utter_backend_unavailable")
        return []
    try:
        ticket = await backend().post(REPAIRS, token=token, json=body, idempotency_key=key)
    except BackendUnavailable:
        dispatcher.utter_message(response="utter_backend_unavailable")
        return []
    except BackendError as error:
        return explain_report_error(dispatcher, error, body, key, lang)
    dispatcher.utter_message(
        response="utter_repairs_submitted",
        ticket=ticket["id"],
        team=team_label(ticket, lang),
        status=STATUS_LABELS[lang].get(ticket.get("status", ""), ticket.get("status", "")),
        due=due_label(ticket.get("due_at", ""), lang),
    )
    return []


def explain_report_error(
    dispatcher: CollectingDispatcher,
    error: BackendError,
    body: dict[str, Any],
    key: str,
    lang: str,
) -> list[EventType]:
    if error.code == "PossibleDuplicate":
        duplicates = error.body.get("duplicates") or []
        me_too = "我也遇到了 #{}" if lang == "zh" else "Me too on #{}"
        buttons = [
            {
                "title": me_too.format(ticket["id"]),
                "payload": button_payload("repairs_me_too", {"ticket": str(ticket["id"])}),
            }
            for ticket in duplicates[:3]
        ]
        buttons.append(
            {
                "title": "仍然报修" if lang == "zh" else "Report anyway",
                "payload": "/repairs_report_anyway",
            }
        )
        dispatcher.utter_message(
            response="utter_repairs_possible_duplicate",
            tickets="\n".join(ticket_line(ticket, lang) for ticket in duplicates[:3]),
            buttons=buttons,
        )
        # A 409 is not stored under the key: "report anyway" needs a new one.
        return [SlotSet("repair_pending", {"body": body, "key": f"{key}-anyway"})]
    responses = {
        "LocationRequired": "utter_repairs_location_required",
        "UnknownBuilding": "utter_repairs_unknown_place",
        "UnknownRoom": "utter_repairs_unknown_place",
        "StudentsOnly": "utter_repairs_students_only",
    }
    if error.code in responses:
        dispatcher.utter_message(response=responses[error.code])
    elif error.status == 422:
        dispatcher.utter_message(response="utter_repairs_invalid_report")
    elif error.status == 429:
        dispatcher.utter_message(response="utter_repairs_too_many")
    else:
        dispatcher.utter_message(response="utter_backend_unavailable")
    return []


def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in (*FORM_SLOTS, *HELPER_SLOTS)]


class ActionRepairsSubmit(Action):
    """Runs when the form ends: files the report if the student confirmed it."""

    def name(self) -> str:
        return "action_repairs_submit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        confirmed = tracker.get_slot("repair_confirmed")
        if confirmed is None:  # the form was stopped; the student has been told
            return _reset()
        if confirmed is not True:
            dispatcher.utter_message(response="utter_repairs_report_cancelled")
            return _reset()
        body = report_body(tracker)
        events = await file_report(dispatcher, tracker, body, idempotency_key(tracker, body))
        return [*_reset(), SlotSet("repair_pending", None), *events]


class ActionRepairsSubmitAnyway(Action):
    """ "Report anyway" after a possible duplicate: the same report, forced, new key."""

    def name(self) -> str:
        return "action_repairs_submit_anyway"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("repair_pending")
        if not isinstance(pending, dict) or "body" not in pending:
            dispatcher.utter_message(
                response="utter_repairs_nothing_pending",
                buttons=[report_button(language(tracker))],
            )
            return []
        body = {**pending["body"], "report_even_if_duplicate": True}
        events = await file_report(dispatcher, tracker, body, str(pending["key"]))
        return [SlotSet("repair_pending", None), *events]


class ActionRepairsFollow(Action):
    """ "Me too": follow an open ticket instead of filing a second one."""

    def name(self) -> str:
        return "action_repairs_follow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        token = student_token(tracker)
        number = ticket_number(tracker)
        if token is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        if number is None:
            dispatcher.utter_message(response="utter_repairs_which_follow")
            return []
        try:
            await backend().post(f"{REPAIRS}/{number}/followers", token=token)
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        except BackendError as error:
            if error.status in (403, 404):
                dispatcher.utter_message(response="utter_repairs_cannot_follow", ticket=number)
            elif error.status == 429:
                dispatcher.utter_message(response="utter_repairs_too_many")
            else:
                dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        dispatcher.utter_message(response="utter_repairs_following", ticket=number)
        return [SlotSet("repair_pending", None)]
