"""The fixed question catalogue: templates choose wording and which optional ones to ask."""

from enum import StrEnum
from typing import Any

from backend.surveys.models import DIMENSIONS


class QuestionKey(StrEnum):
    overall = "overall"
    tangibles = "tangibles"
    reliability = "reliability"
    responsiveness = "responsiveness"
    assurance = "assurance"
    empathy = "empathy"
    recommend = "recommend"
    comment = "comment"


# key → (kind, min, max); only "overall" is required.
SHAPES: dict[str, tuple[str, int | None, int | None]] = {
    "overall": ("scale", 1, 5),
    **dict.fromkeys(DIMENSIONS, ("scale", 1, 5)),
    "recommend": ("scale", 0, 10),
    "comment": ("text", None, None),
}

DEFAULT_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "overall",
        "text_en": "Overall, how satisfied are you with the service?",
        "text_zh": "总体而言，您对这次服务满意吗？",
    },
    {
        "key": "tangibles",
        "text_en": "Facilities, equipment and appearance (tangibles)",
        "text_zh": "设施、设备与仪容（有形性）",
    },
    {
        "key": "reliability",
        "text_en": "They did what was promised, right the first time (reliability)",
        "text_zh": "按承诺完成，一次做好（可靠性）",
    },
    {
        "key": "responsiveness",
        "text_en": "Prompt and willing to help (responsiveness)",
        "text_zh": "及时、乐于帮助（响应性）",
    },
    {
        "key": "assurance",
        "text_en": "Competent, courteous, trustworthy (assurance)",
        "text_zh": "专业、礼貌、值得信赖（保证性）",
    },
    {
        "key": "empathy",
        "text_en": "Understood and cared about your needs (empathy)",
        "text_zh": "理解并关心您的需要（移情性）",
    },
    {
        "key": "recommend",
        "text_en": "How likely are you to recommend this service to a classmate? (0–10)",
        "text_zh": "您向同学推荐这项服务的可能性有多大？（0–10）",
    },
    {
        "key": "comment",
        "text_en": "Anything else you would like to tell the team? (optional)",
        "text_zh": "还有什么想对服务团队说的吗？（选填）",
    },
]


def public_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored questions with their kind, range and whether they are required."""
    shown = []
    for question in questions:
        kind, low, high = SHAPES[question["key"]]
        shown.append(
            {
                **question,
                "kind": kind,
                "min": low,
                "max": high,
                "required": question["key"] == "overall",
            }
        )
    return shown
