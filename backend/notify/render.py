"""The backend's own words for a notice: used when the bot cannot voice it (Rasa down or
slow), so the notice still goes out, with the same meaning and the same buttons."""

import json
from typing import Any

from backend.identity.models import Locale
from backend.notify.models import Kind, Notification

Texts = dict[Locale, str]

TEXTS: dict[Kind, Texts] = {
    Kind.repair_assigned: {
        Locale.en: "Repair #{ticket}: a technician has been assigned and will contact you.",
        Locale.zh: "报修单 #{ticket} 已派单，维修师傅会与你联系。",
    },
    Kind.repair_started: {
        Locale.en: "Repair #{ticket}: work has started.",
        Locale.zh: "报修单 #{ticket} 已开始维修。",
    },
    Kind.repair_on_hold: {
        Locale.en: "Repair #{ticket} is on hold: {reason}. We'll tell you when work resumes.",
        Locale.zh: "报修单 #{ticket} 暂停维修：{reason}。恢复维修时会通知你。",
    },
    Kind.repair_completed: {
        Locale.en: "Repair #{ticket} is marked as done.{crew_note} Is it fixed?",
        Locale.zh: "报修单 #{ticket} 已完工。{crew_note}问题解决了吗？",
    },
    Kind.repair_cancelled: {
        Locale.en: "Repair #{ticket} was cancelled by the repair office. {reason}",
        Locale.zh: "报修单 #{ticket} 已被维修部门取消。{reason}",
    },
    Kind.repair_reopened: {
        Locale.en: "Repair #{ticket} is open again; a technician will come back to it.",
        Locale.zh: "报修单 #{ticket} 已重新打开，维修师傅会再来处理。",
    },
    Kind.survey_invited: {
        Locale.en: "How was it? Please rate: {subject} (open until {deadline}).",
        Locale.zh: "请为这次服务打分：{subject}（{deadline} 前有效）。",
    },
    Kind.survey_expiring: {
        Locale.en: "Last chance to rate {subject}: the survey closes {deadline}.",
        Locale.zh: "“{subject}”的评价将于 {deadline} 截止，别错过哦。",
    },
    Kind.handoff_answered: {
        Locale.en: "Our staff replied to your request: {reply}",
        Locale.zh: "工作人员回复了你的请求：{reply}",
    },
    Kind.appeal_resolved: {
        Locale.en: "The appeal on reward statement #{statement} was {outcome}. {note}",
        Locale.zh: "奖励结算单 #{statement} 的申诉已{outcome}。{note}",
    },
}

# A follower ("me too") hears the status; the choices are the reporter's.
FOLLOWER_TEXTS: dict[Kind, Texts] = {
    Kind.repair_completed: {
        Locale.en: "Repair #{ticket}, which you also reported, is marked as done.",
        Locale.zh: "你也反馈过的报修单 #{ticket} 已完工。",
    },
}

BUTTONS: dict[Kind, list[tuple[Texts, str, str]]] = {
    # (titles, intent, the param its entity comes from)
    Kind.repair_completed: [
        ({Locale.en: "Fixed ✓", Locale.zh: "已修好 ✓"}, "repairs_confirm_done", "ticket"),
        ({Locale.en: "Not yet", Locale.zh: "还没修好"}, "repairs_not_fixed", "ticket"),
    ],
    Kind.survey_invited: [
        ({Locale.en: "Rate now", Locale.zh: "去评价"}, "surveys_rate", "invitation"),
    ],
    Kind.survey_expiring: [
        ({Locale.en: "Rate now", Locale.zh: "去评价"}, "surveys_rate", "invitation"),
    ],
}
OUTCOME = {
    "upheld": {Locale.en: "upheld", Locale.zh: "通过"},
    "rejected": {Locale.en: "rejected", Locale.zh: "驳回"},
}


# The technician's completion note, where a notice has one.
CREW_NOTE: Texts = {Locale.en: ' The technician noted: "{note}".', Locale.zh: "师傅留言：{note}。"}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(notification: Notification, language: Locale) -> list[dict[str, Any]]:
    """One message (text and buttons) in ``language``."""
    values = _Blank(entities(notification, language))
    if "outcome" in values:
        values["outcome"] = OUTCOME.get(values["outcome"], {}).get(language, values["outcome"])
    if notification.kind == Kind.repair_completed and "note" in values:
        values["crew_note"] = CREW_NOTE[language].format(note=values["note"])
    if notification.params.get("follower"):
        texts = FOLLOWER_TEXTS.get(notification.kind, TEXTS[notification.kind])
        return [{"text": texts[language].format_map(values).strip(), "buttons": []}]
    text = TEXTS[notification.kind][language].format_map(values).strip()
    buttons = [
        {
            "title": titles[language],
            "payload": f"/{intent}{json.dumps({param: values[param]}, ensure_ascii=False)}",
        }
        for titles, intent, param in BUTTONS.get(notification.kind, [])
        if values[param]
    ]
    return [{"text": text, "buttons": buttons}]


def entities(notification: Notification, language: Locale) -> dict[str, str]:
    """What the bot gets with the EXTERNAL_<kind> intent: every value as a string, the
    deadline already in campus time, the subject in the student's language."""
    params = notification.params
    values = {
        "language": language.value,
        "ticket": notification.ticket_id,
        "invitation": notification.invitation_id,
        "handoff": notification.handoff_id,
        "statement": notification.statement_id,
        "reason": params.get("reason"),
        "reply": params.get("reply"),
        "category": params.get("category"),
        "outcome": params.get("outcome"),
        "note": params.get("note"),
        "subject": params.get(f"subject_{language.value}"),
        "deadline": params.get(f"deadline_{language.value}"),
    }
    return {key: str(value) for key, value in values.items() if value not in (None, "")}
