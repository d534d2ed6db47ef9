"""Filing the report when the form ends (with the duplicate check's "me too" and "report
anyway") and following an open ticket."""

import hashlib
import json
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.backend_client import BackendError, BackendUnavailable
from actions.base import BackendAction, Turn
from actions.contract import CATEGORY_LABELS, STATUS_LABELS
from actions.conversation import button_payload
from actions.repairs_form import FORM, FORM_SLOTS, HELPER_SLOTS, MY_ROOM
from actions.repairs_status import (
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


async def file_report(turn: Turn, body: dict[str, Any], key: str) -> list[EventType]:
    """POST the report; phrase the ticket, the duplicates or the problem."""
    try:
        ticket = await turn.backend.report_repair(token=turn.token, report=body, key=key)
    except BackendUnavailable:
        raise
    except BackendError as error:
        return explain_report_error(turn.dispatcher, error, body, key, turn.lang)
    turn.say(
        "utter_repairs_submitted",
        ticket=ticket["id"],
        team=team_label(ticket, turn.lang),
        status=STATUS_LABELS[turn.lang].get(ticket.get("status", ""), ticket.get("status", "")),
        due=due_label(ticket.get("due_at", ""), turn.lang),
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


class ActionRepairsSubmit(BackendAction):
    """Runs when the form ends: files the report if the student confirmed it."""

    action_name = "action_repairs_submit"

    async def act(self, turn: Turn) -> list[EventType]:
        confirmed = turn.tracker.get_slot("repair_confirmed")
        if confirmed is None:  # the form was stopped; the student has been told
            return _reset()
        if confirmed is not True:
            turn.say("utter_repairs_report_cancelled")
            return _reset()
        body = report_body(turn.tracker)
        events = await file_report(turn, body, idempotency_key(turn.tracker, body))
        return [*_reset(), SlotSet("repair_pending", None), *events]

    def settle(self, turn: Turn) -> list[EventType]:
        return [*_reset(), SlotSet("repair_pending", None)]


class ActionRepairsSubmitAnyway(BackendAction):
    """ "Report anyway" after a possible duplicate: the same report, forced, new key."""

    action_name = "action_repairs_submit_anyway"

    async def act(self, turn: Turn) -> list[EventType]:
        pending = turn.tracker.get_slot("repair_pending")
        if not isinstance(pending, dict) or "body" not in pending:
            turn.say("utter_repairs_nothing_pending", buttons=[report_button(turn.lang)])
            return []
        body = {**pending["body"], "report_even_if_duplicate": True}
        events = await file_report(turn, body, str(pending["key"]))
        return [SlotSet("repair_pending", None), *events]

    def settle(self, turn: Turn) -> list[EventType]:
        return [SlotSet("repair_pending", None)]


class ActionRepairsFollow(BackendAction):
    """ "Me too": follow an open ticket instead of filing a second one."""

    action_name = "action_repairs_follow"
    statuses = {
        403: "utter_repairs_cannot_follow",
        404: "utter_repairs_cannot_follow",
        429: "utter_repairs_too_many",
    }

    async def act(self, turn: Turn) -> list[EventType]:
        token = turn.token
        number = ticket_number(turn.tracker)
        if number is None:
            turn.say("utter_repairs_which_follow")
            return []
        await turn.backend.follow_repair(token=token, ticket=number)
        turn.say("utter_repairs_following", ticket=number)
        return [SlotSet("repair_pending", None)]

    async def refused(self, turn: Turn, error: BackendError) -> None:
        response = self.statuses.get(error.status)
        if response:
            turn.say(response, ticket=ticket_number(turn.tracker))
        else:
            self.say_unavailable(turn)
