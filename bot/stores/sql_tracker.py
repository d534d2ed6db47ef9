"""Rasa's SQL tracker store, reading and writing a session's events in SQL statements
built once, without an ORM object per row.

Rasa 3.6's ``SQLTrackerStore`` loads every event of the current session on every message
as a full ORM object (sender, type, timestamp, intent, action, data) and then uses only
the ``data`` column, and saves by counting the stored events with an ORM query and adding
an ORM object per new event: loading and saving took over 40 % of Rasa's time per message
under bench/chat.py, most of it in building ORM queries and objects (docs/capacity.md).
This store runs the same SQL (the same filter on the latest session, the same order, the
same count of what is already stored, the same columns written, in one transaction) as
Core statements built when it is created, and rebuilds the tracker as Rasa does. Loading
it also installs stores/speedups.py in the Rasa server.
"""

from __future__ import annotations

import json
import logging
from itertools import islice
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from stores import speedups

logger = logging.getLogger(__name__)
speedups.install()


class SQLTrackerStore(RasaSQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = self.SQLEvent.__table__
        sender = events.c.sender_id == sa.bindparam("sender_id")
        # Rasa's _event_query: the events since the sender's latest SessionStarted, if any.
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(sender, events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        latest = sa.and_(
            sender, sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
        )
        self._read_all = sa.select(events.c.data).where(sender).order_by(events.c.id)
        self._read_latest = sa.select(events.c.data).where(latest).order_by(events.c.id)
        self._count_latest = sa.select(sa.func.count()).select_from(events).where(latest)
        self._insert = events.insert()

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        query = self._read_all if fetch_events_from_all_sessions else self._read_latest
        with self.session_scope() as session:
            rows = session.execute(query, {"sender_id": sender_id}).scalars()
            events = [json.loads(data) for data in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        logger.debug(f"No tracker for sender id '{sender_id}' in SQL storage.")
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the events of the tracker's latest session that are not stored yet."""
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        with self.session_scope() as session:
            stored = session.execute(self._count_latest, {"sender_id": sender_id}).scalar_one()
            new = [self._row(sender_id, event) for event in islice(tracker.events, stored, None)]
            if new:
                session.execute(self._insert, new)
            session.commit()

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns Rasa's store writes for an event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
