"""Dorm life: the rule that answers a question (never an invented one) and the manager."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError, BackendUnavailable, backend
from actions.conversation import language, localised, student_token

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


def manager_variables(dorm: dict[str, Any], lang: str) -> dict[str, str]:
    building, manager = dorm["building"], dorm["building"]["manager"]
    return {
        "building_name": localised(building, "name", lang),
        "manager_name": manager["name"],
        "phone": manager["phone"],
        "email": manager["email"],
        "office": localised(manager, "office", lang),
    }


async def my_dorm(token: str) -> dict[str, Any] | None:
    """``GET /dorms/me``; None when the student has no room (or is not a student)."""
    try:
        dorm: dict[str, Any] = await backend().get("/api/v1/dorms/me", token=token)
    except BackendUnavailable:
        raise
    except BackendError as error:
        if error.code in ("NotHoused", "StudentsOnly"):
            return None
        raise
    return dorm


class ActionDormsGuidance(Action):
    def name(self) -> str:
        return "action_dorms_guidance"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = language(tracker)
        question = question_text(tracker)
        if not question:
            dispatcher.utter_message(response="utter_dorms_ask_topic")
            return []
        token = student_token(tracker)
        if token is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        try:
            hits = (
                await backend().get(
                    "/api/v1/guidance", token=token, params={"q": question, "limit": 1 + RELATED}
                )
            )["data"]
            if not hits:  # the backend returns only relevant articles: no hit → no rule
                await self._no_rule(dispatcher, token, lang)
                return []
            best = hits[0]
            try:
                article = await backend().get(f"/api/v1/guidance/{best['id']}", token=token)
                body = localised(article, "body", lang)
            except BackendUnavailable:
                raise
            except BackendError:  # removed since the search: its summary still answers
                body = localised(best, "summary", lang)
        except BackendError:  # BackendUnavailable included; never a raw error
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        dispatcher.utter_message(
            response="utter_dorms_guidance",
            title=localised(best, "title", lang),
            body=excerpt(body, lang),
        )
        related = [localised(hit, "title", lang) for hit in hits[1:]]
        if related:
            dispatcher.utter_message(
                response="utter_dorms_guidance_related",
                titles=("、" if lang == "zh" else "; ").join(related),
            )
        return []

    @staticmethod
    async def _no_rule(dispatcher: CollectingDispatcher, token: str, lang: str) -> None:
        try:
            dorm = await my_dorm(token)
        except BackendError:  # the answer stands without the contact
            dorm = None
        if dorm is None:
            dispatcher.utter_message(response="utter_dorms_no_rule")
        else:
            dispatcher.utter_message(
                response="utter_dorms_no_rule_manager", **manager_variables(dorm, lang)
            )


class ActionDormsManager(Action):
    def name(self) -> str:
        return "action_dorms_manager"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        lang = language(tracker)
        token = student_token(tracker)
        if token is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        try:
            dorm = await my_dorm(token)
        except BackendError:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        if dorm is None:
            dispatcher.utter_message(response="utter_dorms_not_housed")
            return []
        dispatcher.utter_message(response="utter_dorms_manager", **manager_variables(dorm, lang))
        return []
