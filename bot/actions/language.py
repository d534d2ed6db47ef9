from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation import LANGUAGES, metadata


class ValidateSlotMappings(ValidationAction):
    """Runs after every user message (action_extract_slots): fills custom-mapped slots."""

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The backend decides the reply language and sends it in the metadata."""
        chosen = metadata(tracker).get("language")
        if chosen in LANGUAGES:
            return {"language": chosen}
        return {}

    async def validate_language(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return {"language": value if value in LANGUAGES else None}
