"""Proactive notices: voice what the backend's dispatcher triggers, and "stop reminding me".

The dispatcher sends ``EXTERNAL_<kind>`` with the notice's values as entities (language,
ticket, category, reason, reply, invitation, subject, deadline, statement, outcome, note);
the slot mappings (notify.yml) have already set ``language``, ``notified_ticket`` and
``notified_category`` from them. Voicing needs no backend call: the entities say everything.
"""

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendError
from actions.base import BackendAction, Turn
from actions.contract import CATEGORY_LABELS
from actions.conversation import LANGUAGES, button_payload, entity, intent_name, language
from actions.repairs_status import report_button
from actions.surveys import rating_buttons

EXTERNAL = "EXTERNAL_"
KINDS = frozenset(
    {
        "repair_assigned",
        "repair_started",
        "repair_on_hold",
        "repair_completed",
        "repair_cancelled",
        "repair_reopened",
        "survey_invited",
        "survey_expiring",
        "handoff_answered",
        "appeal_resolved",
    }
)
_NOT_GIVEN = {
    "reason": {"en": "not given", "zh": "未说明"},
    "reply": {"en": "please open the app to read it.", "zh": "请在 App 里查看。"},
    "deadline": {"en": "soon", "zh": "近期"},
}
OUTCOMES = {
    "en": {"upheld": "upheld", "rejected": "rejected"},
    "zh": {"upheld": "通过", "rejected": "驳回"},
}
_TITLES = {
    "en": {"fixed": "Fixed ✓", "not_yet": "Not yet", "status": "Check my repair"},
    "zh": {"fixed": "修好了 ✓", "not_yet": "还没修好", "status": "查看报修进度"},
}
# What "stop reminding me" turns off when the message names no category and no notice came.
DEFAULT_CATEGORY = "surveys"
CATEGORY_NAMES = {
    "en": {"repairs": "repair", "surveys": "survey", "handoff": "staff reply", "news": "news"},
    "zh": {"repairs": "报修", "surveys": "评价", "handoff": "人工回复", "news": "服务资讯"},
}
# Words that name a category in the message ("don't send me survey reminders"), in order.
_CATEGORY_WORDS = (
    ("surveys", ("survey", "rating", "rate", "feedback", "评价", "问卷", "打分", "评分", "满意度")),
    ("repairs", ("repair", "ticket", "maintenance", "报修", "维修", "修理", "工单")),
    ("handoff", ("staff", "human", "人工", "工作人员", "客服")),
    ("news", ("news", "announcement", "资讯", "新闻", "公告")),
)


def _value(tracker: Tracker, name: str, lang: str) -> str:
    value = (entity(tracker, name) or "").strip()
    return value or _NOT_GIVEN[name][lang]


def _subject(tracker: Tracker, lang: str, *, survey: bool = False) -> str:
    """A survey's own subject, else "your plumbing repair #42" / "你的报修单 #42（水管卫浴）"."""
    if survey and (named := entity(tracker, "subject")):
        return named
    ticket = entity(tracker, "ticket")
    code = entity(tracker, "category")
    category = CATEGORY_LABELS[lang].get(code or "", "")
    if lang == "zh":
        if ticket is None:
            return "这次服务" if survey else "你的报修"
        return f"你的报修单 #{ticket}" + (f"（{category}）" if category else "")
    if ticket is None:
        return "the service you received" if survey else "your repair"
    return f"your {category} repair #{ticket}" if category else f"your repair #{ticket}"


def _crew_note(tracker: Tracker, kind: str, lang: str) -> str:
    """What the technician noted on completing the work, if anything."""
    note = (entity(tracker, "note") or "").strip()
    if kind != "repair_completed" or not note:
        return ""
    return f"师傅留言：{note}。" if lang == "zh" else f' The technician noted: "{note}".'


def _until(tracker: Tracker, lang: str) -> str:
    deadline = entity(tracker, "deadline")
    if not deadline:
        return ""
    return f"（{deadline}前有效）" if lang == "zh" else f" (open until {deadline})"


def notice_buttons(kind: str, tracker: Tracker, lang: str) -> list[dict[str, str]]:
    """Buttons that continue from the notice: confirm / not yet, status, rate, report again."""
    ticket = entity(tracker, "ticket")
    named = {"ticket": ticket} if ticket else {}
    titles = _TITLES[lang]
    if kind == "repair_completed":
        return [
            {"title": titles["fixed"], "payload": button_payload("repairs_confirm_done", named)},
            {"title": titles["not_yet"], "payload": button_payload("repairs_not_fixed", named)},
        ]
    if kind == "repair_cancelled":
        return [report_button(lang)]
    if kind.startswith("repair_"):
        return [{"title": titles["status"], "payload": button_payload("repairs_ask_status", named)}]
    if kind.startswith("survey_"):
        return rating_buttons(entity(tracker, "invitation"))
    return []


class ActionNotifyVoice(Action):
    """Says ``utter_notify_<kind>`` for the EXTERNAL_<kind> the backend triggered."""

    def name(self) -> str:
        return "action_notify_voice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        kind = (intent_name(tracker) or "").removeprefix(EXTERNAL)
        if kind not in KINDS:
            return []
        named = entity(tracker, "language")
        lang = named if named in LANGUAGES else language(tracker)
        dispatcher.utter_message(
            response=f"utter_notify_{kind}",
            buttons=notice_buttons(kind, tracker, lang),
            subject=_subject(tracker, lang, survey=kind.startswith("survey_")),
            reason=_value(tracker, "reason", lang),
            reply=_value(tracker, "reply", lang),
            deadline=_value(tracker, "deadline", lang),
            until=_until(tracker, lang),
            statement=entity(tracker, "statement") or "",
            outcome=OUTCOMES[lang].get(
                entity(tracker, "outcome") or "", entity(tracker, "outcome") or ""
            ),
            note=entity(tracker, "note") or "",
            crew_note=_crew_note(tracker, kind, lang),
        )
        return []


def named_category(text: str) -> str | None:
    """The notification category the student's words name, if any."""
    lowered = text.lower()
    for category, words in _CATEGORY_WORDS:
        if any(word in lowered for word in words):
            return category
    return None


class ActionNotifyStop(BackendAction):
    """ "Stop reminding me": mute the named category, else the latest notice's, else surveys."""

    action_name = "action_notify_stop"

    async def act(self, turn: Turn) -> list[EventType]:
        text = str((turn.tracker.latest_message or {}).get("text") or "")
        category = named_category(text) or turn.tracker.get_slot("notified_category")
        if category not in CATEGORY_NAMES["en"]:
            category = DEFAULT_CATEGORY
        await turn.backend.mute_notifications(token=turn.token, category=category)
        turn.say("utter_notify_stopped", category=CATEGORY_NAMES[turn.lang][category])
        return []

    async def refused(self, turn: Turn, error: BackendError) -> None:
        turn.say("utter_notify_stop_failed")
