import pytest
from components.mixed_tokenizer import MixedTokenizer
from rasa.shared.nlu.training_data.message import Message


@pytest.fixture(scope="module")
def tokenizer() -> MixedTokenizer:
    return MixedTokenizer(MixedTokenizer.get_default_config())


def words(tokenizer: MixedTokenizer, text: str) -> list[tuple[str, int]]:
    return [(t.text, t.start) for t in tokenizer.tokenize(Message(data={"text": text}), "text")]


def test_code_switched_message_keeps_offsets(tokenizer: MixedTokenizer) -> None:
    tokens = words(tokenizer, "明天lunch有什么")
    assert ("lunch", 2) in tokens
    assert tokens[0] == ("明天", 0)


def test_english_words_dates_and_contractions(tokenizer: MixedTokenizer) -> None:
    assert words(tokenizer, "what's for dinner 2026-11-25?") == [
        ("what's", 0),
        ("for", 7),
        ("dinner", 11),
        ("2026-11-25", 18),
    ]


@pytest.mark.parametrize("text", ["?", "👍", "...", " !!! "])
def test_a_message_without_words_is_one_token(tokenizer: MixedTokenizer, text: str) -> None:
    assert words(tokenizer, text) == [(text.strip(), text.index(text.strip()))]
