"""Three per-message costs of Rasa 3.6.21 that do no work for this assistant, cut.

Measured with py-spy on the Rasa server under bench/chat.py's conversation
(docs/capacity.md, "Where Rasa's CPU went"):

1. ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on every answer of
   the action server, which first checks Rasa's response *schema* against the JSON Schema
   2020-12 meta-schema, then builds a validator: about 45 % of Rasa's CPU per message in a
   short conversation. Here the schema is checked and the validator built once; every
   answer is still validated against the same schema and a bad one raises the same
   ``ValidationError`` (``best_match`` of the errors, as ``jsonschema.validate`` does).
2. ``Event.resolve_by_type`` walks every subclass of ``Event`` (with ``inspect.isabstract``
   on each) for every event deserialised: each stored event of the session on every
   message, and each event the action server returns. Here the answer per type name is
   remembered; names it does not know still go to Rasa's own lookup every time.
3. The policies turn the whole session into one state per action, several times per
   prediction (MemoizationPolicy once, RulePolicy twice after a user message), and each
   state's user part is rebuilt from the latest user message, though a message's part
   never changes: a third of the policies' time in a long session. Here it is kept on the
   message event, valid while its domain and its entities (which ``EntitiesAdded`` can
   extend) stay the same, and every caller gets its own copy, as before.

Installed by stores/sql_tracker.py, the tracker store the Rasa server loads (endpoints.yml),
so they apply in the server only. Rasa is pinned (bot/requirements.txt): on another version
``install`` refuses rather than patch code it was not measured against.
"""

from __future__ import annotations

from typing import Any

import rasa
from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain, SubState
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

RASA_VERSION = "3.6.21"
_installed = False
SUB_STATE = "_houqin_user_sub_state"  # the cache on a UserUttered event
RASA: dict[str, Any] = {}  # the replaced functions, by name (tests compare against them)


def install() -> None:
    global _installed
    if _installed:
        return
    if rasa.__version__ != RASA_VERSION:
        raise RuntimeError(
            f"stores/speedups.py was written for Rasa {RASA_VERSION}, not {rasa.__version__}"
        )
    _cache_response_validator()
    _cache_event_types()
    _cache_user_sub_states()
    _installed = True


def _cache_response_validator() -> None:
    RASA["_validate_action_result"] = RemoteAction._validate_action_result
    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        # Rasa's method with the validator above in place of ``jsonschema.validate``.
        error = exceptions.best_match(validator.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def _cache_event_types() -> None:
    resolve = RASA["resolve_by_type"] = Event.resolve_by_type
    known: dict[str, type[Event]] = {}

    def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
        found = known.get(type_name)
        if found is None:
            found = next((c for c in all_subclasses(Event) if c.type_name == type_name), None)
            if found is None:
                return resolve(type_name, default)  # Rasa's answer: "topic", default, error
            known[type_name] = found
        return found

    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]


def _cache_user_sub_states() -> None:
    compute = RASA["_get_user_sub_state"] = Domain._get_user_sub_state

    def _get_user_sub_state(self: Domain, tracker: DialogueStateTracker) -> SubState:
        message = tracker.latest_message
        if message is None:
            return compute(self, tracker)
        key = (id(self), len(message.entities))
        cached = message.__dict__.get(SUB_STATE)
        if cached is None or cached[0] != key:
            cached = (key, compute(self, tracker))
            message.__dict__[SUB_STATE] = cached
        return dict(cached[1])  # values are strings and tuples: a shallow copy is a copy

    Domain._get_user_sub_state = _get_user_sub_state  # type: ignore[method-assign]
