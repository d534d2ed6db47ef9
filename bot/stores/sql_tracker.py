"""Rasa's SQL tracker store, reading a session's events without an ORM object per row.

Rasa 3.6's ``SQLTrackerStore`` loads every event of the current session on every message
as a full ORM object (sender, type, timestamp, intent, action, data) and then uses only
the ``data`` column; building those objects was about a third of the loading time under
bench/chat.py. This store asks for the ``data`` column alone, through the same query
(same filter on the latest session, same order), and rebuilds the tracker as Rasa does.
Writing is Rasa's own. Loading it also installs stores/speedups.py in the Rasa server.
"""

from __future__ import annotations

import json
import logging

from rasa.core.tracker_store import SQLTrackerStore as RasaSQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from stores import speedups

logger = logging.getLogger(__name__)
speedups.install()


class SQLTrackerStore(RasaSQLTrackerStore):
    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            query = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).with_entities(self.SQLEvent.data)
            events = [json.loads(data) for (data,) in query]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        logger.debug(f"No tracker for sender id '{sender_id}' in SQL storage.")
        return None
