import pytest
from components.metadata_language import MetadataLanguageExtractor
from rasa.shared.nlu.training_data.message import Message


def parsed(metadata: object, entities: list[dict[str, object]] | None = None) -> list[dict]:
    message = Message(data={"text": "hi", "metadata": metadata, "entities": entities or []})
    [out] = MetadataLanguageExtractor().process([message])
    return out.get("entities")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_backends_language_becomes_the_language_entity(language: str) -> None:
    canteen = {"entity": "canteen", "value": "north", "start": 0, "end": 5}
    entities = parsed({"language": language, "token": "t"}, [canteen])
    assert entities[0] == canteen
    assert [(e["entity"], e["value"], e["extractor"]) for e in entities[1:]] == [
        ("language", language, "MetadataLanguageExtractor")
    ]


@pytest.mark.parametrize("metadata", [None, {}, {"language": "fr"}, "zh"])
def test_no_or_unknown_language_adds_nothing(metadata: object) -> None:
    assert parsed(metadata) == []
