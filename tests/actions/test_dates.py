from datetime import date

import pytest
from actions.dates import resolve_day

MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, MONDAY),
        ("today", MONDAY),
        ("tonight", MONDAY),
        ("tomorrow", date(2026, 11, 24)),
        ("day_after_tomorrow", date(2026, 11, 25)),
        ("yesterday", date(2026, 11, 22)),
        ("今天", MONDAY),
        ("明天", date(2026, 11, 24)),
        ("后天", date(2026, 11, 25)),
        ("昨天", date(2026, 11, 22)),
        ("Friday", FRIDAY),
        ("fri", FRIDAY),
        ("周五", FRIDAY),
        ("星期五", FRIDAY),
        ("礼拜五", FRIDAY),
        ("周日", date(2026, 11, 29)),
        ("星期天", date(2026, 11, 29)),
        ("monday", MONDAY),  # a bare weekday includes today
        ("next monday", date(2026, 11, 30)),
        ("下周一", date(2026, 11, 30)),
        ("下周五", date(2026, 12, 4)),
        ("2026-12-01", date(2026, 12, 1)),
        ("  Tomorrow ", date(2026, 11, 24)),
    ],
)
def test_resolve_day(text: str, expected: date) -> None:
    assert resolve_day(text, MONDAY) == expected


@pytest.mark.parametrize("text", ["someday", "2026-13-01", "周八", "last week"])
def test_unknown_dates_are_none(text: str) -> None:
    assert resolve_day(text, MONDAY) is None


def test_bare_weekday_later_in_the_week() -> None:
    assert resolve_day("monday", FRIDAY) == date(2026, 11, 30)
    assert resolve_day("周五", FRIDAY) == FRIDAY
