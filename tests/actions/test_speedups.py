"""bot/stores/speedups.py: each replaced Rasa function answers as Rasa's own does."""

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    EntitiesAdded,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from stores import speedups

speedups.install()
MEAL = {"type": "from_entity", "entity": "meal"}
ACTION = RemoteAction.__new__(RemoteAction)  # validation reads nothing of the instance
DOMAIN = Domain.from_dict(
    {
        "intents": [{"meals_ask_menu": {"use_entities": ["meal"]}}, "greet"],
        "entities": ["meal", "date", "language"],
        "slots": {
            "meal": {"type": "text", "mappings": [{"type": "from_entity", "entity": "meal"}]}
        },
        "actions": ["action_menu"],
    }
)


def test_a_valid_action_answer_passes() -> None:
    answer = {"events": [{"event": "slot", "name": "meal", "value": "lunch"}], "responses": []}
    assert ACTION._validate_action_result(answer) is True


def test_an_invalid_action_answer_raises_what_jsonschema_validate_raises() -> None:
    answer = {"events": [{"event": "slot", "name": 3}], "responses": "no"}
    with pytest.raises(jsonschema.ValidationError) as rasa_error:
        jsonschema.validate(answer, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError) as ours:
        ACTION._validate_action_result(answer)
    assert ours.value.message.startswith(rasa_error.value.message + ". Failed to validate")
    assert list(ours.value.path) == list(rasa_error.value.path)


def test_every_event_type_resolves_to_rasas_class() -> None:
    classes = all_subclasses(Event)
    for name in {cls.type_name for cls in classes}:
        expected = next(cls for cls in classes if cls.type_name == name)
        assert Event.resolve_by_type(name) is expected
        assert Event.resolve_by_type(name) is expected  # and again, from the cache


def test_unknown_event_types_keep_rasas_answers() -> None:
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def states(tracker: DialogueStateTracker) -> list:
    return tracker.past_states(DOMAIN)


def rasa_states(tracker: DialogueStateTracker, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patched:
        patched.setattr(Domain, "_get_user_sub_state", speedups.RASA["_get_user_sub_state"])
        return states(tracker)


def test_the_policies_see_the_states_rasa_computes(monkeypatch: pytest.MonkeyPatch) -> None:
    menu = UserUttered(
        "lunch today?",
        {"name": "meals_ask_menu"},
        [{"entity": "meal", "value": "lunch"}, {"entity": "date", "value": "today"}],
    )
    tracker = DialogueStateTracker.from_events(
        "s", [ActionExecuted("action_listen"), menu, ActionExecuted("action_menu")]
    )
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("hi", {"name": "greet"}))
    before = states(tracker)
    assert before == rasa_states(tracker, monkeypatch)
    assert states(tracker) == before  # from the cache, and a caller's edits did not stick
    before[-1]["user"]["intent"] = "changed"
    assert states(tracker) == rasa_states(tracker, monkeypatch)

    tracker.update(EntitiesAdded([{"entity": "meal", "value": "dinner"}]))  # extends "hi"
    assert states(tracker) == rasa_states(tracker, monkeypatch)
