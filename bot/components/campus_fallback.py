"""The fallback classifier with a campus-relevance check and a threshold per intent.

After the intent classifier and the entity extractors, before anything acts on the intent:

1. Relevance. A campus intent predicted for a message that names something off campus
   (the ``off_campus`` words of intents/vocab.yml: a flight, a stock, a recipe …) and nothing
   of the campus (no campus entity but a date, no ``campus`` word) becomes ``out_of_scope``.
2. Objects. An intent that starts something needs its object (``needs``: intent → the regex
   or entity names of which one must be in the message): a repair report needs a problem or
   a repair word ("open up internet browser" names the internet but no problem), a
   cancellation a ticket, a repair word or nothing else to cancel. Without it: out_of_scope.
3. Confidence. Below its intent's threshold (``thresholds``, calibrated by cross-validation;
   else ``threshold``), or within ``ambiguity_threshold`` of the runner-up → ``nlu_fallback``,
   as Rasa's FallbackClassifier does.

The regexes are the training data's (intents/entities.yml, generated from intents/vocab.yml),
stored with the model at training time, so the words live in one place.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier, _fallback_intent
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

OUT_OF_SCOPE = "out_of_scope"
CAMPUS_PREFIXES = ("meals_", "dorms_", "repairs_", "surveys_")
OFF_CAMPUS = "off_campus"
# Names that are no evidence of a campus matter: a date ("what's the forecast for friday"),
# a problem word ("my card is not working") and the off-campus words themselves.
NOT_CAMPUS_EVIDENCE = frozenset({"date", "repair_problem", OFF_CAMPUS})
PATTERNS_FILE = "patterns.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CampusFallbackClassifier(FallbackClassifier):
    @classmethod
    def required_components(cls) -> list[type]:
        # Rasa checks this against the training graph, where this trainable component reads
        # only the training data; in the pipeline it comes after the intent classifier.
        return []

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **FallbackClassifier.get_default_config(),
            "thresholds": {},  # intent → its own fallback threshold
            "needs": {},  # intent → names (regex or entity) of which one must be present
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        patterns: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self._compiled = _compile(patterns or {})

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CampusFallbackClassifier:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CampusFallbackClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                patterns = json.loads((directory / PATTERNS_FILE).read_text())
        except ValueError:  # nothing stored (not trained): no relevance or object checks
            patterns = {}
        return cls(config, model_storage, resource, patterns)

    def train(self, training_data: TrainingData) -> Resource:
        patterns: dict[str, list[str]] = {}
        for regex in training_data.regex_features:
            patterns.setdefault(regex["name"], []).append(regex["pattern"])
        with self._model_storage.write_to(self._resource) as directory:
            (directory / PATTERNS_FILE).write_text(json.dumps(patterns, ensure_ascii=False))
        self._compiled = _compile(patterns)
        return self._resource

    # --- prediction ------------------------------------------------------------------------

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if intent and self._irrelevant(message, intent):
                _demote(message)  # a decision, not a doubt: no fallback after it
            elif self._should_fallback(message):
                fallback = _fallback_intent(self.component_config["threshold"])
                message.data[INTENT] = fallback
                message.data.setdefault(INTENT_RANKING_KEY, [])
                message.data[INTENT_RANKING_KEY].insert(0, dict(fallback))
        return messages

    def _present(self, message: Message) -> set[str]:
        """Names of the regexes matching the text and of the entities extracted from it."""
        text = message.get(TEXT) or ""
        names = {
            name for name, regexes in self._compiled.items() if any(r.search(text) for r in regexes)
        }
        names.update(e[ENTITY_ATTRIBUTE_TYPE] for e in message.get(ENTITIES) or [])
        return names

    def _irrelevant(self, message: Message, intent: str) -> bool:
        if not intent.startswith(CAMPUS_PREFIXES):
            return False
        present = self._present(message)
        if OFF_CAMPUS in present and not present - NOT_CAMPUS_EVIDENCE:
            return True
        needed = self.component_config["needs"].get(intent)
        return bool(needed) and not present.intersection(needed)

    def _nlu_confidence_below_threshold(self, message: Message) -> tuple[bool, float]:
        intent = message.data[INTENT]
        confidence = intent.get(PREDICTED_CONFIDENCE_KEY)
        threshold = self.component_config["thresholds"].get(
            intent.get(INTENT_NAME_KEY), self.component_config["threshold"]
        )
        return confidence < threshold, confidence


def _compile(patterns: dict[str, list[str]]) -> dict[str, list[re.Pattern[str]]]:
    return {name: [re.compile(p, re.IGNORECASE) for p in ps] for name, ps in patterns.items()}


def _demote(message: Message) -> None:
    """The prediction becomes out_of_scope, keeping the classifier's confidence."""
    confidence = message.data[INTENT].get(PREDICTED_CONFIDENCE_KEY) or 0.0
    top = {INTENT_NAME_KEY: OUT_OF_SCOPE, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [
        item
        for item in message.data.get(INTENT_RANKING_KEY) or []
        if item.get(INTENT_NAME_KEY) != OUT_OF_SCOPE
    ]
    message.data[INTENT] = top
    message.data[INTENT_RANKING_KEY] = [top, *ranking]
