"""The reply language as an entity, read from the message metadata (the backend chose it).

The ``language`` slot maps from the ``language`` entity (bot/domain/general.yml), so the
slot is set while Rasa parses the message. This replaced a custom slot mapping, whose
validation action cost a call to the action server after every message (bench/chat.py).
The entity does not influence the dialogue (``influence_conversation: false``).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, METADATA
from rasa.shared.nlu.training_data.message import Message

LANGUAGES = ("en", "zh")
ENTITY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MetadataLanguageExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MetadataLanguageExtractor:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            metadata = message.get(METADATA) or {}
            chosen = metadata.get(ENTITY) if isinstance(metadata, dict) else None
            if chosen not in LANGUAGES:
                continue  # no metadata (a proactive notice carries the entity itself)
            entities = [e for e in message.get(ENTITIES, []) if e.get("entity") != ENTITY]
            [entity] = self.add_extractor_name(
                [{"entity": ENTITY, "value": chosen, "start": 0, "end": 0}]
            )
            message.set(ENTITIES, [*entities, entity], add_to_output=True)
        return messages
