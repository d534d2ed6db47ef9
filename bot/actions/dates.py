"""Turn the date a student mentioned into a calendar day on campus.

NLU synonyms normalise most phrasings to canonical values (today, tomorrow, friday…);
raw Chinese and English forms are understood here too, for words the model tagged but
no synonym covered.
"""

import re
from datetime import date, timedelta

_WEEKDAYS_EN = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAYS_ZH = "一二三四五六日"
_RELATIVE = {
    "today": 0,
    "tonight": 0,
    "tomorrow": 1,
    "day_after_tomorrow": 2,
    "yesterday": -1,
    "今天": 0,
    "今日": 0,
    "今儿": 0,
    "今晚": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "昨天": -1,
}
_ZH_WEEKDAY = re.compile(r"^(下)?(?:周|星期|礼拜)([一二三四五六日天])$")
_EN_WEEKDAY = re.compile(r"^(next )?(mon|tue|wed|thu|fri|sat|sun)[a-z]*$")


def resolve_day(text: str | None, today: date) -> date | None:
    """The day meant by ``text`` (None → today); None when it cannot be understood.

    A bare weekday is the next such day, today included ("Friday" on a Friday is today);
    "next Friday" / "下周五" is that weekday in the following week.
    """
    if text is None:
        return today
    value = " ".join(text.strip().lower().split())
    if value in _RELATIVE:
        return today + timedelta(days=_RELATIVE[value])
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    zh = _ZH_WEEKDAY.match(value)
    if zh:
        weekday = _WEEKDAYS_ZH.index("日" if zh.group(2) == "天" else zh.group(2))
        return _weekday(today, weekday, next_week=bool(zh.group(1)))
    en = _EN_WEEKDAY.match(value)
    if en:
        weekday = [name[:3] for name in _WEEKDAYS_EN].index(en.group(2))
        return _weekday(today, weekday, next_week=bool(en.group(1)))
    return None


def _weekday(today: date, weekday: int, *, next_week: bool) -> date:
    if next_week:
        monday_next_week = today + timedelta(days=7 - today.weekday())
        return monday_next_week + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)
