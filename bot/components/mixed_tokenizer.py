"""A tokenizer for Chinese, English and code-switched text ("明天lunch有什么").

Runs of Han characters are segmented with jieba (plus the campus dictionary, so
"北区食堂" or "宫保鸡丁" stay whole); everything else splits into words, numbers and
ISO dates, never into whitespace tokens.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jieba
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_OTHER_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MixedTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # A jieba user dictionary (one "word [freq] [tag]" per line), relative to bot/.
            "dictionary_path": None,
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> list[str] | None:
        return None

    @staticmethod
    def required_packages() -> list[str]:
        return ["jieba"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MixedTokenizer:
        dictionary = config.get("dictionary_path")
        if dictionary:
            jieba.load_userdict(str(Path(dictionary)))
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute)
        tokens: list[Token] = []
        position = 0
        for han in _HAN_RUN.finditer(text):
            tokens.extend(_other_tokens(text[position : han.start()], position))
            for word, start, _ in jieba.tokenize(han.group()):
                if word.strip():
                    tokens.append(Token(word, han.start() + start))
            position = han.end()
        tokens.extend(_other_tokens(text[position:], position))
        if not tokens and text.strip():
            # "?", "👍", "...": one token, as Rasa's WhitespaceTokenizer does; a message
            # without features would crash the intent classifier.
            stripped = text.strip()
            tokens.append(Token(stripped, text.index(stripped)))
        return self._apply_token_pattern(tokens)


def _other_tokens(text: str, offset: int) -> list[Token]:
    return [Token(match.group(), offset + match.start()) for match in _OTHER_TOKEN.finditer(text)]
