"""Repair tickets after they are filed: status, cancel, confirm done, reopen.

Also the labels and ticket lines the report form shares. The backend owns every rule (who may
move a ticket, which moves are legal); these actions only choose the ticket and phrase answers.
"""

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError, BackendUnavailable, backend
from actions.conversation import button_payload, entity, language, student_token, weekday_name
from actions.settings import load_settings

REPAIRS = "/api/v1/repairs"

CATEGORY_LABELS = {
    "en": {
        "electrical": "electrical / lights",
        "plumbing": "plumbing",
        "furniture": "furniture",
        "network": "network",
        "air_conditioning": "air conditioning / heating",
        "appliance": "appliance",
        "door_lock": "door / lock",
        "other": "other",
    },
    "zh": {
        "electrical": "电路照明",
        "plumbing": "水管卫浴",
        "furniture": "家具",
        "network": "网络",
        "air_conditioning": "空调暖气",
        "appliance": "电器",
        "door_lock": "门锁",
        "other": "其他",
    },
}
URGENCY_LABELS = {
    "en": {"low": "low", "normal": "normal", "high": "high", "emergency": "emergency"},
    "zh": {"low": "不急", "normal": "一般", "high": "较急", "emergency": "特别紧急"},
}
STATUS_LABELS = {
    "en": {
        "submitted": "submitted",
        "assigned": "assigned",
        "in_progress": "being repaired",
        "on_hold": "on hold",
        "completed": "completed, waiting for your confirmation",
        "closed": "closed",
        "cancelled": "cancelled",
        "reopened": "reopened",
    },
    "zh": {
        "submitted": "已提交",
        "assigned": "已派单",
        "in_progress": "维修中",
        "on_hold": "暂停处理",
        "completed": "已完成，待你确认",
        "closed": "已关闭",
        "cancelled": "已取消",
        "reopened": "已重新打开",
    },
}

# Which of the student's tickets each reporter move applies to (the backend decides for real).
ELIGIBLE = {
    "cancel": {"submitted", "assigned", "in_progress", "on_hold", "reopened"},
    "confirm": {"completed"},
    "reopen": {"completed"},
}


def intent_name(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def due_label(value: str, lang: str) -> str:
    """ "Tue 24 Nov 18:00" / "11月24日 周二 18:00" in the campus time zone."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(load_settings().timezone)
    clock = moment.strftime("%H:%M")
    if lang == "zh":
        return f"{moment.month}月{moment.day}日 {weekday_name(moment, lang)} {clock}"
    return f"{weekday_name(moment, lang)} {moment.day} {moment.strftime('%b')} {clock}"


def team_label(ticket: dict[str, Any], lang: str) -> str:
    team = ticket.get("team") or {}
    name = team.get(f"name_{lang}") or team.get("name_en")
    if name:
        return str(name)
    return "待分配班组" if lang == "zh" else "crew to be assigned"


def ticket_line(ticket: dict[str, Any], lang: str) -> str:
    """One ticket in the reply language: number, category, state, crew, due time."""
    category = CATEGORY_LABELS[lang].get(ticket.get("category", ""), ticket.get("category", ""))
    status = STATUS_LABELS[lang].get(ticket.get("status", ""), ticket.get("status", ""))
    due = due_label(ticket.get("due_at", ""), lang)
    done = ticket.get("status") in ("completed", "closed", "cancelled")
    if lang == "zh":
        line = f"• #{ticket['id']} {category}：{status}，{team_label(ticket, 'zh')}"
        if not done:
            line += f"，预计{due}前完成"
            if ticket.get("is_overdue"):
                line += "（已超时）"
        return line
    line = f"• #{ticket['id']} {category}: {status}, {team_label(ticket, 'en')}"
    if not done:
        line += f", expected by {due}"
        if ticket.get("is_overdue"):
            line += " (overdue)"
    return line


def report_button(lang: str) -> dict[str, str]:
    return {
        "title": "我要报修" if lang == "zh" else "Report a repair",
        "payload": "/repairs_report",
    }


def ticket_number(tracker: Tracker) -> int | None:
    raw = entity(tracker, "ticket")
    if raw is None:
        return None
    digits = "".join(ch for ch in raw if ch.isdigit())
    return int(digits) if digits else None


class ActionRepairsStatus(Action):
    def name(self) -> str:
        return "action_repairs_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        token = student_token(tracker)
        if token is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        number = ticket_number(tracker)
        try:
            if number is not None:
                ticket = await backend().get(f"{REPAIRS}/{number}", token=token)
                dispatcher.utter_message(
                    response="utter_repairs_status_one", ticket_line=ticket_line(ticket, lang)
                )
                return []
            body = await backend().get(REPAIRS, token=token, params={"open": "true"})
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        except BackendError as error:
            if error.status == 404 and number is not None:
                dispatcher.utter_message(response="utter_repairs_ticket_not_found", ticket=number)
            else:
                dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        tickets = body.get("data") or []
        if not tickets:
            dispatcher.utter_message(
                response="utter_repairs_none_open", buttons=[report_button(lang)]
            )
            return []
        dispatcher.utter_message(
            response="utter_repairs_status_list",
            count=len(tickets),
            tickets="\n".join(ticket_line(ticket, lang) for ticket in tickets),
        )
        return []


class _TransitionAction(Action, ABC):
    """Cancel / confirm / reopen one of the student's own tickets (abstract: the action
    server registers only the concrete subclasses)."""

    move: str = ""
    intent: str = ""
    done_response: str = ""

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        token = student_token(tracker)
        if token is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        number = ticket_number(tracker)
        try:
            if number is None:
                number = await self._choose(dispatcher, token, lang)
                if number is None:
                    return []
            ticket = await backend().post(
                f"{REPAIRS}/{number}/transitions", token=token, json=self._body(tracker)
            )
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return []
        except BackendError as error:
            await self._explain(dispatcher, error, number, token, lang)
            return []
        dispatcher.utter_message(response=self.done_response, ticket=ticket.get("id", number))
        return await self.after(dispatcher, tracker, token, ticket)

    def _body(self, tracker: Tracker) -> dict[str, Any]:
        return {"action": self.move}

    async def after(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        token: str,
        ticket: dict[str, Any],
    ) -> list[EventType]:
        return []

    async def _choose(self, dispatcher: CollectingDispatcher, token: str, lang: str) -> int | None:
        """The one eligible ticket, or None after asking which (or saying there is none)."""
        body = await backend().get(REPAIRS, token=token, params={"open": "true"})
        eligible = [
            ticket
            for ticket in body.get("data") or []
            if ticket.get("status") in ELIGIBLE[self.move] and ticket.get("reporter", "me") == "me"
        ]
        if len(eligible) == 1:
            return int(eligible[0]["id"])
        if not eligible:
            dispatcher.utter_message(response=f"utter_repairs_nothing_to_{self.move}")
            return None
        buttons = [
            {
                "title": f"#{ticket['id']} "
                + CATEGORY_LABELS[lang].get(ticket.get("category", ""), ""),
                "payload": button_payload(self.intent, {"ticket": str(ticket["id"])}),
            }
            for ticket in eligible[:10]
        ]
        dispatcher.utter_message(
            response=f"utter_repairs_which_{self.move}",
            buttons=buttons,
            tickets="\n".join(ticket_line(ticket, lang) for ticket in eligible[:10]),
        )
        return None

    async def _explain(
        self,
        dispatcher: CollectingDispatcher,
        error: BackendError,
        number: int | None,
        token: str,
        lang: str,
    ) -> None:
        if number is None:
            dispatcher.utter_message(response="utter_backend_unavailable")
        elif error.status == 404:
            dispatcher.utter_message(response="utter_repairs_ticket_not_found", ticket=number)
        elif error.status == 403:
            dispatcher.utter_message(response="utter_repairs_not_your_ticket", ticket=number)
        elif error.status == 409:
            status = ""
            try:
                current = await backend().get(f"{REPAIRS}/{number}", token=token)
                status = STATUS_LABELS[lang].get(current.get("status", ""), "")
            except BackendError:
                status = ""
            if status:
                dispatcher.utter_message(
                    response=f"utter_repairs_cannot_{self.move}", ticket=number, status=status
                )
            else:
                dispatcher.utter_message(response="utter_repairs_cannot_move", ticket=number)
        elif error.status == 429:
            dispatcher.utter_message(response="utter_repairs_too_many")
        else:
            dispatcher.utter_message(response="utter_backend_unavailable")


class ActionRepairsCancel(_TransitionAction):
    move = "cancel"
    intent = "repairs_cancel"
    done_response = "utter_repairs_cancelled"

    def name(self) -> str:
        return "action_repairs_cancel"


class ActionRepairsConfirm(_TransitionAction):
    move = "confirm"
    intent = "repairs_confirm_done"
    done_response = "utter_repairs_confirmed"

    def name(self) -> str:
        return "action_repairs_confirm"

    async def after(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        token: str,
        ticket: dict[str, Any],
    ) -> list[EventType]:
        """Offer the rating for this repair straight away."""
        from actions.surveys import offer_rating

        return await offer_rating(
            dispatcher, tracker, token=token, repair_id=int(ticket["id"]), quiet=True
        )


class ActionRepairsReopen(_TransitionAction):
    move = "reopen"
    intent = "repairs_not_fixed"
    done_response = "utter_repairs_reopened"

    def name(self) -> str:
        return "action_repairs_reopen"

    def _body(self, tracker: Tracker) -> dict[str, Any]:
        """The student's own words go to the crew as the note."""
        text = ((tracker.latest_message or {}).get("text") or "").strip()
        if text and not text.startswith("/"):
            return {"action": "reopen", "note": text[:1000]}
        return {"action": "reopen"}
