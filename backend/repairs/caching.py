"""A ticket's detail (GET /repairs/{id}) as ready bytes, one answer per viewer (core.ready).

Each ticket is a generation family of its own: every write to a ticket — a move, a photo,
a "me too" — bumps its family after committing, so the next read of any viewer is built
afresh, and the writer reads their own write. What no ticket write touches (a crew's or a
building's name, an assignee's name, which building a dorm team manages) is at most
``TICKET_TTL_SECONDS`` old. The one thing the clock changes, ``is_overdue``, is kept by
storing a ticket that is still on time no longer than until it is due.
"""

from collections.abc import Callable
from datetime import datetime

from backend.core.cache import Cache
from backend.core.config import API_PREFIX
from backend.core.generations import Family
from backend.core.ready import ReadyPath
from backend.core.types import MAX_ID
from backend.repairs.models import PENDING_STATUSES
from backend.repairs.schemas import RepairDetail

TICKET_TTL_SECONDS = 60.0
_DETAIL_PREFIX = f"{API_PREFIX}/repairs/"


def ticket_family(ticket_id: int) -> Family:
    return Family(f"repairs:ticket:{ticket_id}", ttl_seconds=TICKET_TTL_SECONDS, token_expires=True)


def _family_of_path(path: str) -> Family | None:
    """The family of ``/api/v1/repairs/<id>`` (only that path: not photos, not the list)."""
    rest = path.removeprefix(_DETAIL_PREFIX)
    if rest == path or not (rest.isascii() and rest.isdigit()) or not 1 <= int(rest) <= MAX_ID:
        return None
    return ticket_family(int(rest))


DETAIL = ReadyPath(family=_family_of_path, per_viewer=True)


def detail_ttl(now: datetime) -> Callable[[RepairDetail], float]:
    """How long a detail built at ``now`` holds: until the ticket is due, if that is sooner
    (then it turns overdue)."""

    def ttl(detail: RepairDetail) -> float:
        on_time = not detail.is_overdue and detail.sla_paused_since is None
        if on_time and detail.status in PENDING_STATUSES:
            return max(0.0, min(TICKET_TTL_SECONDS, (detail.due_at - now).total_seconds()))
        return TICKET_TTL_SECONDS

    return ttl


async def ticket_changed(cache: Cache, ticket_id: int) -> None:
    """Call after committing any write to the ticket."""
    await ticket_family(ticket_id).bump(cache)
