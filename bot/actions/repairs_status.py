"""Repair tickets after they are filed: status, cancel, confirm done, reopen.

Also the ticket lines the report form shares (labels, statuses and the statuses each move
starts from: actions.contract, generated from the backend's definitions). The backend owns
every rule; these actions only choose the ticket and phrase answers.
"""

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.backend_client import BackendError, BackendUnavailable, Ticket
from actions.base import BackendAction, Turn
from actions.contract import CATEGORY_LABELS, ELIGIBLE, FINAL_STATUSES, STATUS_LABELS
from actions.conversation import button_payload, entity, said, weekday_name
from actions.settings import load_settings
from actions.surveys import offer_rating

NOTIFIED_TICKET = "notified_ticket"  # set by repair notices (domain/notify.yml)


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


def team_label(ticket: Ticket, lang: str) -> str:
    team = ticket.get("team") or {}
    name = team.get(f"name_{lang}") or team.get("name_en")
    if name:
        return str(name)
    return "待分配班组" if lang == "zh" else "crew to be assigned"


def ticket_line(ticket: Ticket, lang: str) -> str:
    """One ticket in the reply language: number, category, state, crew, due time."""
    category = CATEGORY_LABELS[lang].get(ticket.get("category", ""), ticket.get("category", ""))
    status = STATUS_LABELS[lang].get(ticket.get("status", ""), ticket.get("status", ""))
    due = due_label(ticket.get("due_at", ""), lang)
    done = ticket.get("status") in (*FINAL_STATUSES, "completed")  # no more work expected
    line, expected, overdue = _TICKET_LINE[lang]
    text = line.format(
        id=ticket["id"], category=category, status=status, team=team_label(ticket, lang)
    )
    if not done:
        text += expected.format(due=due)
        if ticket.get("is_overdue"):
            text += overdue
    return text


_TICKET_LINE = {  # the line, when work is still expected, and when it is late
    "en": ("• #{id} {category}: {status}, {team}", ", expected by {due}", " (overdue)"),
    "zh": ("• #{id} {category}：{status}，{team}", "，预计{due}前完成", "（已超时）"),
}


def report_button(lang: str) -> dict[str, str]:
    return {
        "title": "我要报修" if lang == "zh" else "Report a repair",
        "payload": "/repairs_report",
    }


def ticket_number(tracker: Tracker, *, slot: str | None = None) -> int | None:
    """The ticket the message names, else (given ``slot``) the one that slot holds."""
    raw = entity(tracker, "ticket")
    if raw is None and slot is not None:
        raw = tracker.get_slot(slot)
    if raw is None:
        return None
    digits = "".join(ch for ch in str(raw) if ch.isdigit())
    return int(digits) if digits else None


class ActionRepairsStatus(BackendAction):
    action_name = "action_repairs_status"

    async def act(self, turn: Turn) -> list[EventType]:
        number = ticket_number(turn.tracker)
        if number is not None:
            ticket = await turn.backend.repair(token=turn.token, ticket=number)
            turn.say("utter_repairs_status_one", ticket_line=ticket_line(ticket, turn.lang))
            return []
        tickets = await turn.backend.open_repairs(token=turn.token)
        if not tickets:
            turn.say("utter_repairs_none_open", buttons=[report_button(turn.lang)])
            return []
        turn.say(
            "utter_repairs_status_list",
            count=len(tickets),
            tickets="\n".join(ticket_line(ticket, turn.lang) for ticket in tickets),
        )
        return []

    async def refused(self, turn: Turn, error: BackendError) -> None:
        number = ticket_number(turn.tracker)
        if error.status == 404 and number is not None:
            turn.say("utter_repairs_ticket_not_found", ticket=number)
        else:
            self.say_unavailable(turn)


# Each reporter move: the intent that asks for it (its buttons send it), the response when done.
MOVE_TURNS = {
    "cancel": ("repairs_cancel", "utter_repairs_cancelled"),
    "confirm": ("repairs_confirm_done", "utter_repairs_confirmed"),
    "reopen": ("repairs_not_fixed", "utter_repairs_reopened"),
}


class _TransitionAction(BackendAction, ABC):
    """Cancel / confirm / reopen one of the student's own tickets (abstract: the action
    server registers only the concrete subclasses, which name their ``move``)."""

    @property
    @abstractmethod
    def move(self) -> str: ...

    def name(self) -> str:
        return f"action_repairs_{self.move}"

    @property
    def intent(self) -> str:
        return MOVE_TURNS[self.move][0]

    @property
    def done_response(self) -> str:
        return MOVE_TURNS[self.move][1]

    # Confirm / reopen: "修好了" right after a notice means the notified ticket (used once).
    follows_notice: bool = False

    async def act(self, turn: Turn) -> list[EventType]:
        notified = NOTIFIED_TICKET if self.follows_notice else None
        number = ticket_number(turn.tracker, slot=notified)
        consumed: list[EventType] = []
        if notified and turn.tracker.get_slot(notified) is not None:
            consumed = [SlotSet(notified, None)]
        if number is None:
            number = await self._choose(turn)  # a refusal here: "unavailable" (no ticket yet)
            if number is None:
                return consumed
        try:
            ticket = await turn.backend.move_repair(
                token=turn.token, ticket=number, move=self._body(turn.tracker)
            )
        except BackendUnavailable:
            raise
        except BackendError as error:
            await self._explain(turn, error, number)
            return consumed
        turn.say(self.done_response, ticket=ticket.get("id", number))
        return consumed + await self.after(turn, ticket)

    def _body(self, tracker: Tracker) -> dict[str, Any]:
        return {"action": self.move}

    async def after(self, turn: Turn, ticket: Ticket) -> list[EventType]:
        return []

    async def _choose(self, turn: Turn) -> int | None:
        """The one eligible ticket, or None after asking which (or saying there is none)."""
        lang = turn.lang
        eligible = [
            ticket
            for ticket in await turn.backend.open_repairs(token=turn.token)
            if ticket.get("status") in ELIGIBLE[self.move] and ticket.get("reporter", "me") == "me"
        ]
        if len(eligible) == 1:
            return int(eligible[0]["id"])
        if not eligible:
            turn.say(f"utter_repairs_nothing_to_{self.move}")
            return None
        buttons = [
            {
                "title": f"#{ticket['id']} "
                + CATEGORY_LABELS[lang].get(ticket.get("category", ""), ""),
                "payload": button_payload(self.intent, {"ticket": str(ticket["id"])}),
            }
            for ticket in eligible[:10]
        ]
        turn.say(
            f"utter_repairs_which_{self.move}",
            buttons=buttons,
            tickets="\n".join(ticket_line(ticket, lang) for ticket in eligible[:10]),
        )
        return None

    async def _explain(self, turn: Turn, error: BackendError, number: int) -> None:
        if error.status == 404:
            turn.say("utter_repairs_ticket_not_found", ticket=number)
        elif error.status == 403:
            turn.say("utter_repairs_not_your_ticket", ticket=number)
        elif error.status == 409:
            await self._cannot(turn, number)
        elif error.status == 429:
            turn.say("utter_repairs_too_many")
        else:
            self.say_unavailable(turn)

    async def _cannot(self, turn: Turn, number: int) -> None:
        """Not legal now: say the ticket's current status when it can be read."""
        try:
            current = await turn.backend.repair(token=turn.token, ticket=number)
            status = STATUS_LABELS[turn.lang].get(current.get("status", ""), "")
        except BackendError:
            status = ""
        if status:
            turn.say(f"utter_repairs_cannot_{self.move}", ticket=number, status=status)
        else:
            turn.say("utter_repairs_cannot_move", ticket=number)


class ActionRepairsCancel(_TransitionAction):
    move = "cancel"


class ActionRepairsConfirm(_TransitionAction):
    move = "confirm"
    follows_notice = True

    async def after(self, turn: Turn, ticket: Ticket) -> list[EventType]:
        """Offer the rating for this repair straight away."""
        return await offer_rating(turn, repair_id=int(ticket["id"]), quiet=True)


class ActionRepairsReopen(_TransitionAction):
    move = "reopen"
    follows_notice = True

    def _body(self, tracker: Tracker) -> dict[str, Any]:
        """The student's own words go to the crew as the note."""
        text = said(tracker.latest_message)
        if text and not text.startswith("/"):
            return {"action": "reopen", "note": text[:1000]}
        return {"action": "reopen"}
