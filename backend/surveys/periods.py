"""Score periods are calendar months in campus time, written ``YYYY-MM``.

A repair counts in the month it was completed; a campaign names its month.
"""

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Annotated

from pydantic import AfterValidator

PERIOD_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def _valid(value: str) -> str:
    if not PERIOD_PATTERN.match(value):
        raise ValueError("a period is a month written YYYY-MM, e.g. 2026-11")
    return value


Period = Annotated[str, AfterValidator(_valid)]


def period_of(moment: datetime, tz: tzinfo) -> str:
    local = moment.astimezone(tz)
    return f"{local.year:04d}-{local.month:02d}"


def period_of_day(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def bounds(period: str) -> tuple[date, date]:
    """First and last day of the month."""
    match = PERIOD_PATTERN.match(period)
    if match is None:
        raise ValueError(f"not a period: {period!r}")
    first = date(int(match[1]), int(match[2]), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def previous(period: str, months: int = 1) -> str:
    first, _ = bounds(period)
    index = first.year * 12 + first.month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"
