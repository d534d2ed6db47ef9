"""Dorm life: the rule that answers a question (never an invented one) and the manager."""

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions.backend_client import BackendError, BackendUnavailable, Dorm
from actions.base import BackendAction, Turn
from actions.conversation import localised

MAX_QUERY = 200  # GET /guidance accepts 1–200 characters
MAX_BODY = 1500  # longer articles are cut at a paragraph and point to the app
RELATED = 2


def question_text(tracker: Tracker) -> str:
    """The student's words. A button payload ("/dorms_ask_guidance") is no question, unless
    it answers the fallback's "did you mean…": then the question is the message before it."""
    text = str((tracker.latest_message or {}).get("text") or "").strip()
    if not text.startswith("/"):
        return text[:MAX_QUERY]
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) >= 2:
        before = users[-2]
        earlier = str(before.get("text") or "").strip()
        intent = ((before.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent == "nlu_fallback" and earlier and not earlier.startswith("/"):
            return earlier[:MAX_QUERY]
    return ""


def excerpt(body: str, lang: str) -> str:
    if len(body) <= MAX_BODY:
        return body
    cut = body[:MAX_BODY]
    paragraph = cut.rfind("\n")
    if paragraph > MAX_BODY // 2:
        cut = cut[:paragraph]
    return cut.rstrip() + ("……（全文见App）" if lang == "zh" else "… (full text in the app)")


def manager_variables(dorm: Dorm, lang: str) -> dict[str, str]:
    building, manager = dorm["building"], dorm["building"]["manager"]
    return {
        "building_name": localised(building, "name", lang),
        "manager_name": manager["name"],
        "phone": manager["phone"],
        "email": manager["email"],
        "office": localised(manager, "office", lang),
    }


async def my_dorm(turn: Turn) -> Dorm | None:
    """``GET /dorms/me``; None when the student has no room (or is not a student)."""
    try:
        return await turn.backend.my_dorm(token=turn.token)
    except BackendUnavailable:
        raise
    except BackendError as error:
        if error.code in ("NotHoused", "StudentsOnly"):
            return None
        raise


class ActionDormsGuidance(BackendAction):
    action_name = "action_dorms_guidance"

    async def act(self, turn: Turn) -> list[EventType]:
        question = question_text(turn.tracker)
        if not question:
            turn.say("utter_dorms_ask_topic")
            return []
        hits = await turn.backend.search_guidance(
            token=turn.token, query=question, limit=1 + RELATED
        )
        if not hits:  # the backend returns only relevant articles: no hit → no rule
            await self._no_rule(turn)
            return []
        best = hits[0]
        try:
            article = await turn.backend.guidance(token=turn.token, article_id=int(best["id"]))
            body = localised(article, "body", turn.lang)
        except BackendUnavailable:
            raise
        except BackendError:  # removed since the search: its summary still answers
            body = localised(best, "summary", turn.lang)
        turn.say(
            "utter_dorms_guidance",
            title=localised(best, "title", turn.lang),
            body=excerpt(body, turn.lang),
        )
        related = [localised(hit, "title", turn.lang) for hit in hits[1:]]
        if related:
            turn.say(
                "utter_dorms_guidance_related",
                titles=("、" if turn.lang == "zh" else "; ").join(related),
            )
        return []

    @staticmethod
    async def _no_rule(turn: Turn) -> None:
        try:
            dorm = await my_dorm(turn)
        except BackendError:  # the answer stands without the contact
            dorm = None
        if dorm is None:
            turn.say("utter_dorms_no_rule")
        else:
            turn.say("utter_dorms_no_rule_manager", **manager_variables(dorm, turn.lang))


class ActionDormsManager(BackendAction):
    action_name = "action_dorms_manager"

    async def act(self, turn: Turn) -> list[EventType]:
        dorm = await my_dorm(turn)
        if dorm is None:
            turn.say("utter_dorms_not_housed")
            return []
        turn.say("utter_dorms_manager", **manager_variables(dorm, turn.lang))
        return []
