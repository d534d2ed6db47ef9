from actions.language import ValidateSlotMappings
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from support import make_tracker

DOMAIN = {"slots": {"language": {"type": "categorical", "mappings": [{"type": "custom"}]}}}


async def test_language_comes_from_the_backends_metadata() -> None:
    tracker = make_tracker("今天午饭吃什么", language="en", metadata={"language": "zh"})
    events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker, DOMAIN)
    assert SlotSet("language", "zh") in events


async def test_unknown_or_missing_language_keeps_the_slot() -> None:
    for metadata in ({"language": "fr"}, {}):
        tracker = make_tracker("hi", language="en", metadata=metadata)
        events = await ValidateSlotMappings().run(CollectingDispatcher(), tracker, DOMAIN)
        assert not [e for e in events if e.get("name") == "language"]
