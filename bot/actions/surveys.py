"""Satisfaction ratings in chat: offer a pending survey, collect 1–5 stars and an optional
comment (surveys_rating_form), post the answer for the student."""

import contextlib
import re
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError, Invitation, backend
from actions.base import UNAVAILABLE, BackendAction, Turn
from actions.contract import FREE_TEXT_KEEPS, LEAVE_INTENTS, SIDE_QUESTIONS
from actions.conversation import button_payload, entity, intent_name, said, student_token
from actions.settings import load_settings

FORM = "surveys_rating_form"
SURVEY_SLOTS = (
    "survey_invitation",
    "rating",
    "survey_comment",
    "survey_opened_at",
    "survey_invalid_count",
)
MAX_INVALID = 3
NONE_PENDING = "__none__"
UNREACHABLE = "__unreachable__"

# Side questions the rules answer inside the form (actions.contract); the comment keeps
# out-of-scope text.
SIDE_INTENTS = frozenset({*SIDE_QUESTIONS, *LEAVE_INTENTS[FORM]})
COMMENT_SIDE_INTENTS = SIDE_INTENTS - set(FREE_TEXT_KEEPS)
_SKIP = {
    "skip",
    "no",
    "nope",
    "none",
    "nothing",
    "n/a",
    "跳过",
    "不用",
    "没有",
    "无",
    "不了",
    "算了",
}
_STARS = re.compile(r"^\s*([1-5])\s*(?:stars?|分|星|颗星)?\s*$|^\s*(★{1,5})\s*$", re.IGNORECASE)


def _now() -> str:
    """Now in the campus time zone, with its UTC offset (the API's ``opened_at``)."""
    return datetime.now(load_settings().timezone).isoformat(timespec="seconds")


def rating_buttons(invitation: int | str | None) -> list[dict[str, str]]:
    """★ … ★★★★★, each answering the given invitation (or the one the form holds)."""
    buttons = []
    for stars in range(1, 6):
        entities = {"rating": str(stars)}
        if invitation is not None:
            entities = {"invitation": str(invitation), **entities}
        buttons.append({"title": "★" * stars, "payload": button_payload("surveys_rate", entities)})
    return buttons


def _subject(invitation: Invitation, lang: str) -> str:
    return str(invitation.get(f"subject_{lang}") or invitation.get("subject_en") or "")


def _team(invitation: Invitation, lang: str) -> str:
    team = invitation.get("team") or {}
    return str(team.get(f"name_{lang}") or team.get("name_en") or "")


async def offer_rating(
    turn: Turn, *, repair_id: int | None = None, quiet: bool = False
) -> list[EventType]:
    """Show 1–5 star buttons for a pending invitation (the repair's, else the first).

    ``quiet``: say nothing when there is none (after confirming a repair).
    """
    try:
        pending = await turn.backend.pending_surveys(token=turn.token)
    except BackendError:  # unavailable, or any refusal: nothing to offer now
        if not quiet:
            turn.say(UNAVAILABLE)
        return []
    if repair_id is not None:
        pending = [
            item
            for item in pending
            if item.get("source") == "repair" and str(item.get("source_id")) == str(repair_id)
        ]
    if not pending:
        if not quiet:
            turn.say("utter_surveys_nothing_pending")
        return []
    invitation = pending[0]
    with contextlib.suppress(BackendError):  # its first view starts the answer timer
        await turn.backend.open_invitation(token=turn.token, invitation=invitation["id"])
    turn.say(
        "utter_surveys_offer",
        subject=_subject(invitation, turn.lang),
        team=_team(invitation, turn.lang),
        buttons=rating_buttons(invitation["id"]),
    )
    return [
        SlotSet("survey_invitation", str(invitation["id"])),
        SlotSet("survey_opened_at", _now()),
    ]


class ActionSurveysOffer(BackendAction):
    action_name = "action_surveys_offer"

    async def act(self, turn: Turn) -> list[EventType]:
        return await offer_rating(turn)


def parse_rating(value: Any) -> int | None:
    text = str(value or "").strip()
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    match = _STARS.match(text)
    if match:
        return int(match.group(1)) if match.group(1) else len(match.group(2))
    return None


class ValidateSurveysRatingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_surveys_rating_form"

    async def extract_survey_invitation(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The button's invitation, else the one offered, else the first pending one."""
        if entity(tracker, "invitation") is not None or tracker.get_slot("survey_invitation"):
            return {}
        token = student_token(tracker)
        if token is None:
            return {"survey_invitation": UNREACHABLE}
        try:
            pending = await backend().pending_surveys(token=token)
        except BackendError:
            return {"survey_invitation": UNREACHABLE}
        if not pending:
            return {"survey_invitation": NONE_PENDING}
        invitation = str(pending[0]["id"])
        with contextlib.suppress(BackendError):  # its first view starts the answer timer
            await backend().open_invitation(token=token, invitation=invitation)
        return {"survey_invitation": invitation}

    async def extract_rating(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if entity(tracker, "rating") is not None:
            return {}  # the from_entity mapping has it
        if tracker.get_slot("requested_slot") != "rating":
            return {}
        text = said(tracker.latest_message)
        if intent_name(tracker) in SIDE_INTENTS or not text:
            return {}
        return {"rating": text}  # another button's payload is no rating: explained

    async def extract_survey_comment(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "survey_comment":
            return {}
        text = said(tracker.latest_message)
        intent = intent_name(tracker)
        if intent in COMMENT_SIDE_INTENTS or not text:
            return {}
        if intent == "deny" or text.startswith("/") or text.lower().strip(" .!。！") in _SKIP:
            return {"survey_comment": ""}  # Skip (or another button): no comment
        return {"survey_comment": text[:1000]}

    async def validate_survey_invitation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == NONE_PENDING:
            dispatcher.utter_message(response="utter_surveys_nothing_pending")
            return {"survey_invitation": None, "rating": None, "requested_slot": None}
        if value == UNREACHABLE:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"survey_invitation": None, "rating": None, "requested_slot": None}
        digits = "".join(ch for ch in str(value) if ch.isdigit())
        if tracker.get_slot("survey_opened_at"):
            return {"survey_invitation": digits or None}
        return {"survey_invitation": digits or None, "survey_opened_at": _now()}

    async def validate_rating(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        rating = parse_rating(value)
        if rating is not None:
            return {"rating": str(rating), "survey_invalid_count": None}
        count = int(tracker.get_slot("survey_invalid_count") or 0) + 1
        if count >= MAX_INVALID:
            dispatcher.utter_message(response="utter_surveys_form_stopped")
            return {"rating": None, "requested_slot": None, "survey_invalid_count": None}
        dispatcher.utter_message(response="utter_surveys_bad_rating")
        return {"rating": None, "survey_invalid_count": float(count)}

    async def validate_survey_comment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"survey_comment": str(value or "").strip()[:1000]}


def _reset() -> list[EventType]:
    return [SlotSet(slot, None) for slot in SURVEY_SLOTS]


def _opened_at(tracker: Tracker) -> str | None:
    """When the bot asked: the offer's time, else the form's start (with a UTC offset)."""
    opened = tracker.get_slot("survey_opened_at")
    if isinstance(opened, str) and opened:
        return opened
    started = next(
        (
            event.get("timestamp")
            for event in reversed(tracker.events)
            if event.get("event") == "active_loop" and event.get("name") == FORM
        ),
        None,
    )
    if isinstance(started, int | float):
        return datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="seconds")
    return None


class ActionSurveysSubmit(BackendAction):
    """Runs when the rating form ends: posts the answer and thanks the student."""

    action_name = "action_surveys_submit"
    errors = {
        "AlreadyAnswered": "utter_surveys_already_answered",
        "InvitationExpired": "utter_surveys_expired",
        "InvitationNotFound": "utter_surveys_not_found",
        "InvitationNotOpen": "utter_surveys_expired",
    }
    statuses = {429: "utter_surveys_too_many"}

    async def act(self, turn: Turn) -> list[EventType]:
        tracker = turn.tracker
        invitation = tracker.get_slot("survey_invitation")
        rating = parse_rating(tracker.get_slot("rating"))
        if not invitation or rating is None:  # stopped early; the student has been told
            return _reset()
        body: dict[str, Any] = {"overall": rating}
        comment = tracker.get_slot("survey_comment")
        if comment:
            body["comment"] = str(comment)[:1000]
        opened_at = _opened_at(tracker)
        if opened_at:
            body["opened_at"] = opened_at
        await turn.backend.answer_survey(
            token=turn.token,
            invitation=invitation,
            answer=body,
            key=f"surveys-{tracker.sender_id}-{invitation}",
        )
        turn.say("utter_surveys_thanks", rating="★" * rating)
        return _reset()

    def settle(self, turn: Turn) -> list[EventType]:
        return _reset()
