"""Opening hours in campus local time: open now, and when next.

Hours are wall-clock ``HH:MM`` per weekday and meal; a service is open from ``opens``
(inclusive) to ``closes`` (exclusive), to the minute. A closure (a holiday) cancels one
meal, or every meal, of one date.
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from backend.meals.models import Meal
from backend.meals.schemas import Closure, NextOpening, OpeningHours

LOOKAHEAD_DAYS = 7


def _local(now: datetime, tz: tzinfo) -> datetime:
    return now.astimezone(tz)


def is_closed(closures: Sequence[Closure], day: date, meal: Meal) -> bool:
    return any(c.date == day and c.meal in (None, meal) for c in closures)


def open_service(
    hours: list[OpeningHours], now: datetime, tz: tzinfo, closures: Sequence[Closure] = ()
) -> OpeningHours | None:
    """The meal service running at ``now``, if any."""
    local = _local(now, tz)
    clock = local.strftime("%H:%M")
    for service in hours:
        if (
            service.weekday == local.weekday()
            and service.opens <= clock < service.closes
            and not is_closed(closures, local.date(), service.meal)
        ):
            return service
    return None


def next_opening(
    hours: list[OpeningHours], now: datetime, tz: tzinfo, closures: Sequence[Closure] = ()
) -> NextOpening | None:
    """The first service that starts after ``now`` (today's later ones, then the next days)."""
    local = _local(now, tz)
    clock = local.strftime("%H:%M")
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        starts = sorted(
            (service.opens, service.meal)
            for service in hours
            if service.weekday == day.weekday()
            and (offset > 0 or service.opens > clock)
            and not is_closed(closures, day, service.meal)
        )
        if starts:
            opens, meal = starts[0]
            return NextOpening(meal=meal, date=day, opens=opens)
    return None
