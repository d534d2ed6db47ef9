"""The campus clock: the one source of "now" for routes, services and background work.

Routes take ``ClockDep`` (``backend.core.deps``) and hand ``now`` / ``today`` to services
as parameters: a service never reads the time itself. Background code (the chat pipeline,
the channels) reads the app's clock (``app.state.clock``). Tests stop and move it with one
fixture (``clock`` in tests/backend/conftest.py), which moves every reader at once.
"""

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from backend.core.types import utcnow


@dataclass
class Clock:
    tz: tzinfo  # the campus time zone

    def now(self) -> datetime:
        """This instant (aware, UTC: what timestamp columns store)."""
        return utcnow()

    def local(self) -> datetime:
        """This instant in campus time (opening hours, quiet hours, the campus day)."""
        return self.now().astimezone(self.tz)

    def today(self) -> date:
        """Today on campus."""
        return self.local().date()

    def __call__(self) -> datetime:
        """``clock()`` is ``clock.now()``: for code that takes a plain time source."""
        return self.now()
