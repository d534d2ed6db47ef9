"""The repair report form: extraction and validation of its slots and its two asking actions
(filing it: actions.repairs_submit)."""

import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError, backend
from actions.contract import (
    CATEGORIES,
    CATEGORY_LABELS,
    CATEGORY_WORDS,
    FREE_TEXT_KEEPS,
    LEAVE_INTENTS,
    SIDE_QUESTIONS,
    URGENCIES,
    URGENCY_LABELS,
)
from actions.conversation import entity, intent_name, language, said, student_token
from actions.repairs_status import ticket_number

FORM = "repairs_report_form"
FORM_SLOTS = (
    "repair_category",
    "repair_location",
    "repair_description",
    "repair_urgency",
    "repair_confirmed",
)
HELPER_SLOTS = ("repair_building", "repair_room", "repair_invalid_slot", "repair_invalid_count")
MY_ROOM = "my_room"
STOP = "__stop__"  # the student asked to drop the report
DENIED = "__denied__"  # "no, not my room"
INVALID = "__invalid__"  # a button payload where an answer was expected
MAX_INVALID = 3

# Side questions the rules answer inside the form, and the intents that leave it
# (actions.contract, from bot/contract.yml): the form must not swallow them.
FORM_SIDE_INTENTS = frozenset({*SIDE_QUESTIONS, *LEAVE_INTENTS[FORM]})
# Free text (a place, a description) may well look out of scope to NLU: keep it.
FREE_TEXT_SIDE_INTENTS = FORM_SIDE_INTENTS - set(FREE_TEXT_KEEPS)
# A leaving intent with its object ("cancel repair 42") is not an answer either.
LEAVING = frozenset(LEAVE_INTENTS[FORM])

# Checked in this order, so "not urgent" is low and "特别紧急" an emergency.
_URGENCY_WORDS = (
    ("low", "low, not urgent, no rush, not in a hurry, whenever, 不急, 不着急, 不紧急, 慢慢来, 低"),
    (
        "emergency",
        "emergency, dangerous, danger, fire, flood, flooding, sparks, smoke, 非常紧急, 特别紧急, "
        "十万火急, 危险, 冒烟, 着火, 火花",
    ),
    ("high", "high, urgent, asap, quickly, soon, hurry, 紧急, 很急, 较急, 急, 尽快, 高"),
    ("normal", "normal, medium, regular, ordinary, 一般, 普通, 正常, 中"),
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_BUILDING = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d{1,2})(?![0-9])")
_ROOM = re.compile(r"(?<![A-Za-z0-9])(\d{3,4})(?![0-9])")
_ROOM_MENTION = re.compile(
    r"(?:room|rm\.?|房间|宿舍)\s*#?\s*(?:[A-Za-z]{1,2}\d{1,2}[-\s])?\d{3,4}"
    r"|\d{3,4}\s*(?:室|房间|宿舍|号房)",
    re.IGNORECASE,
)
_GENERIC = re.compile(
    r"\b(i|i'd|want|would|like|to|need|a|an|the|please|report|repair|repairs|fix|fixed|"
    r"something|problem|issue|help|me|my|get|it|there|is|there's|can|you)\b"
    r"|我要|我想|想|要|报修|维修|修理|请|帮我|一下|申请|我",
    re.IGNORECASE,
)


def _matches(word: str, text: str) -> bool:
    if _CJK.search(word):
        return word in text
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text) is not None


def _first_match(text: str, table: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    lowered = text.strip().lower()
    for value, words in table:
        if any(_matches(word.strip(), lowered) for word in words):
            return str(value)
    return None


def parse_category(text: str) -> str | None:
    lowered = text.strip().lower()
    for category in CATEGORIES:
        labels = (category, category.replace("_", " "))
        if lowered in labels or lowered in (
            CATEGORY_LABELS[lang][category] for lang in ("en", "zh")
        ):
            return category
    return _first_match(lowered, CATEGORY_WORDS)


def parse_urgency(text: str) -> str | None:
    lowered = text.strip().lower()
    for urgency in URGENCIES:
        if lowered in (urgency, URGENCY_LABELS["en"][urgency], URGENCY_LABELS["zh"][urgency]):
            return urgency
    return _first_match(lowered, ((u, words.split(",")) for u, words in _URGENCY_WORDS))


def is_description(text: str) -> bool:
    """At least 5 characters, or 2 Chinese characters."""
    stripped = text.strip()
    return len(_CJK.findall(stripped)) >= 2 or len(stripped) >= 5


def describes_problem(text: str) -> bool:
    """Does the report message itself say what is wrong ("my tap is leaking")?"""
    if text.startswith("/"):
        return False
    rest = _GENERIC.sub(" ", text.lower())
    return len(_CJK.findall(rest)) >= 3 or len(re.findall(r"[a-z]{2,}", rest)) >= 2


def parse_place(text: str) -> tuple[str | None, str | None]:
    """(building code, room) named in free text: "room 305 of D3", "B7-312", "305"."""
    building = _BUILDING.search(text)
    room = _ROOM.search(text)
    return (building.group(1).upper() if building else None, room.group(1) if room else None)


def _text(tracker: Tracker) -> str:
    return said(tracker.latest_message)


def _answer(tracker: Tracker, slot: str, side: frozenset[str]) -> dict[str, Any]:
    """The latest message as the answer to ``slot`` (STOP if the student cancels)."""
    if tracker.get_slot("requested_slot") != slot:
        return {}
    intent = intent_name(tracker)
    if intent == "repairs_cancel" and ticket_number(tracker) is None:
        return {slot: STOP}  # "cancel" alone: drop this report (with a ticket: LEAVING)
    text = _text(tracker)
    if intent in side or intent in LEAVING or not text:
        return {}
    if text.startswith("/"):  # another button (e.g. an old one): not an answer, say so
        return {slot: INVALID}
    return {slot: text}


def _activation(tracker: Tracker, slot: str) -> bool:
    """The report message that starts the form, with the slot still empty."""
    return (
        tracker.get_slot("requested_slot") is None
        and intent_name(tracker) == "repairs_report"
        and tracker.get_slot(slot) is None
    )


class ValidateRepairsReportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_repairs_report_form"

    # --- extraction (the form's custom mappings) ------------------------------------------

    async def extract_repair_category(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        named = entity(tracker, "repair_category")
        if named is not None:
            if tracker.get_slot("requested_slot") == "repair_category" and intent_name(
                tracker
            ) in set(FREE_TEXT_KEEPS):
                return {"repair_category": named}  # "the light", however NLU read it
            return {}  # the from_entity mapping has it
        return _answer(tracker, "repair_category", FORM_SIDE_INTENTS)

    async def extract_repair_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _activation(tracker, "repair_location"):
            mention = _ROOM_MENTION.search(_text(tracker))
            return {"repair_location": mention.group(0)} if mention else {}
        if tracker.get_slot("requested_slot") == "repair_location":
            if intent_name(tracker) == "affirm":
                return {"repair_location": MY_ROOM}
            if intent_name(tracker) == "deny":
                return {"repair_location": DENIED}
        return _answer(tracker, "repair_location", FREE_TEXT_SIDE_INTENTS)

    async def extract_repair_description(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _activation(tracker, "repair_description"):
            text = _text(tracker)
            return {"repair_description": text} if describes_problem(text) else {}
        return _answer(tracker, "repair_description", FREE_TEXT_SIDE_INTENTS)

    async def extract_repair_urgency(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        chosen = entity(tracker, "urgency")
        if chosen is not None and tracker.get_slot("requested_slot") in (None, "repair_urgency"):
            return {"repair_urgency": chosen}
        if _activation(tracker, "repair_urgency"):
            urgency = parse_urgency(_text(tracker))
            return {"repair_urgency": urgency} if urgency in ("high", "emergency") else {}
        return _answer(tracker, "repair_urgency", FORM_SIDE_INTENTS)

    async def extract_repair_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "repair_confirmed":
            return {}
        intent = intent_name(tracker)
        if intent == "affirm":
            return {"repair_confirmed": True}
        if intent == "deny" or (intent == "repairs_cancel" and ticket_number(tracker) is None):
            return {"repair_confirmed": False}
        return _answer(tracker, "repair_confirmed", FORM_SIDE_INTENTS)

    # --- validation ------------------------------------------------------------------------

    async def validate_repair_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == STOP:
            return self._stop(dispatcher, "repair_category", "utter_repairs_report_dropped")
        category = value if value in CATEGORIES else parse_category(str(value or ""))
        if value == INVALID:
            category = None
        if category:
            return self._valid("repair_category", category)
        return self._invalid(dispatcher, tracker, "repair_category", "utter_repairs_bad_category")

    async def validate_repair_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == STOP:
            return self._stop(dispatcher, "repair_location", "utter_repairs_report_dropped")
        if value == MY_ROOM:
            return self._valid("repair_location", MY_ROOM, repair_building=None, repair_room=None)
        if value == DENIED:  # not counted: action_ask_repair_location asks "where, then?"
            return {"repair_location": None}
        text = str(value or "").strip()
        if value != INVALID and len(text) >= 2:
            building, room = parse_place(text)
            return self._valid(
                "repair_location", text[:200], repair_building=building, repair_room=room
            )
        return self._invalid(dispatcher, tracker, "repair_location", "utter_repairs_bad_location")

    async def validate_repair_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == STOP:
            return self._stop(dispatcher, "repair_description", "utter_repairs_report_dropped")
        text = str(value or "").strip()
        if value != INVALID and is_description(text):
            return self._valid("repair_description", text[:2000])
        return self._invalid(
            dispatcher, tracker, "repair_description", "utter_repairs_bad_description"
        )

    async def validate_repair_urgency(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == STOP:
            return self._stop(dispatcher, "repair_urgency", "utter_repairs_report_dropped")
        urgency = None if value == INVALID else parse_urgency(str(value or ""))
        if urgency:
            return self._valid("repair_urgency", urgency)
        return self._invalid(dispatcher, tracker, "repair_urgency", "utter_repairs_bad_urgency")

    async def validate_repair_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if isinstance(value, bool):
            return self._valid("repair_confirmed", value)
        return self._invalid(
            dispatcher, tracker, "repair_confirmed", "utter_repairs_bad_confirmation"
        )

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _valid(slot: str, value: Any, **extra: Any) -> dict[str, Any]:
        return {slot: value, "repair_invalid_slot": None, "repair_invalid_count": None, **extra}

    @staticmethod
    def _stop(dispatcher: CollectingDispatcher, slot: str, response: str) -> dict[str, Any]:
        dispatcher.utter_message(response=response)
        return {
            slot: None,
            "requested_slot": None,  # ends the form; action_repairs_submit files nothing
            "repair_invalid_slot": None,
            "repair_invalid_count": None,
        }

    @staticmethod
    def _invalid(
        dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, response: str
    ) -> dict[str, Any]:
        """Explain; the form asks again (with its buttons). The third miss in a row stops."""
        count = 0
        if tracker.get_slot("repair_invalid_slot") == slot:
            count = int(tracker.get_slot("repair_invalid_count") or 0)
        count += 1
        if count >= MAX_INVALID:
            dispatcher.utter_message(response="utter_repairs_form_stopped")  # with a way out
            return {
                slot: None,
                "requested_slot": None,
                "repair_invalid_slot": None,
                "repair_invalid_count": None,
            }
        dispatcher.utter_message(response=response)
        return {slot: None, "repair_invalid_slot": slot, "repair_invalid_count": float(count)}


def location_label(tracker: Tracker, lang: str) -> str:
    location = tracker.get_slot("repair_location")
    if location == MY_ROOM or not location:
        return "你的宿舍" if lang == "zh" else "your room"
    return str(location)


class ActionAskRepairLocation(Action):
    """Propose the student's own room (GET /dorms/me), or ask them to type the place."""

    def name(self) -> str:
        return "action_ask_repair_location"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        if intent_name(tracker) == "deny":  # "no, not my room"
            dispatcher.utter_message(response="utter_repairs_location_where")
            return []
        token = student_token(tracker)
        dorm = None
        if token is not None:
            try:
                dorm = await backend().my_dorm(token=token)
            except BackendError:  # not housed, or unreachable: just ask for the place
                dorm = None
        building = ((dorm or {}).get("building") or {}).get("code")
        room = ((dorm or {}).get("room") or {}).get("number")
        if building and room:
            dispatcher.utter_message(
                response="utter_repairs_location_room",
                building=building,
                room=room,
                buttons=[
                    {"title": "是我宿舍" if lang == "zh" else "Yes, my room", "payload": "/affirm"}
                ],
            )
        else:
            dispatcher.utter_message(response="utter_repairs_location_free")
        return []


class ActionAskRepairConfirmed(Action):
    """The summary in the reply language, with Submit / Cancel."""

    def name(self) -> str:
        return "action_ask_repair_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        category = tracker.get_slot("repair_category") or "other"
        urgency = tracker.get_slot("repair_urgency") or "normal"
        dispatcher.utter_message(
            response="utter_repairs_summary",
            category=CATEGORY_LABELS[lang].get(category, category),
            location=location_label(tracker, lang),
            description=tracker.get_slot("repair_description") or "",
            urgency=URGENCY_LABELS[lang].get(urgency, urgency),
            buttons=[
                {"title": "提交" if lang == "zh" else "Submit", "payload": "/affirm"},
                {"title": "取消" if lang == "zh" else "Cancel", "payload": "/deny"},
            ],
        )
        return []
