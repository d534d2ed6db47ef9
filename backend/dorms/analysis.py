"""Text → search terms, the same way for articles and for queries, in English and Chinese.

- Text is NFKC-normalised (full-width letters and digits become ASCII) and lowercased.
- English: words, hyphenated words also joined ("wi-fi" → "wifi", "top-up" → "topup" +
  "top"), stop words dropped, lightly stemmed ("locked", "locks" → "lock").
- Chinese has no spaces: each run of Han characters is split at function characters
  (的, 了, 吗, 怎, 么 …), and every piece gives its character bigrams ("电费", "关门") and
  its characters as unigrams. Bigrams carry the meaning; unigrams only rescue very short
  or oddly worded queries, so queries weight them low.

Coverage (how much of a query an article explains) is counted in *units*: an English
word, or one Han character.
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

_TOKEN = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff]+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_EN_STOP_WORDS = """a about after again all also am an and any are as at be been before being but by
    can could did do does doing dont for from get got had has have having he her here him
    his how i if im in into is it its just me more most my no nor not now of off on once
    only or other our out over own please same she should so some such than that the
    their them then there these they this those to too under until up us very was way we
    were what when where which while who whom why will with would you your yours
    hi hello thanks thank tell know want need let ok okay"""
EN_STOP = frozenset(_EN_STOP_WORDS.split())
# Function characters: they split Chinese runs and are never terms themselves.
ZH_STOP = frozenset(
    "的了吗呢吧啊呀么怎什为我你他她它是请问哪啥这那些个得地过还就都也和与或及把被给让该嘛哦呃要想"
)
# Question and filler words: removed (longest first) before the characters are paired, so
# "电费怎么充" pairs only 电费 and "几点关门" only 关门 ("when" is an English stop word too).
_ZH_STOP_WORDS = """什么时候 可不可以 能不能 是不是 有没有 怎么办 怎么样 为什么
    什么 怎么 如何 哪里 哪儿 可以 需要 应该 一下 请问 我们 你们 他们 自己 的话 几点"""
ZH_STOP_WORDS = sorted(_ZH_STOP_WORDS.split(), key=len, reverse=True)
# Words every dorm question implies: they are still terms, but a query's "宿舍" or "dorm"
# need not be explained by an article (coverage ignores them; "宿舍几点关门" is 关门).
DOMAIN_ZH = ("宿舍", "寝室")
DOMAIN_EN = frozenset({"dorm", "dormitory"})
# English phrases that mean one thing: joined like their hyphenated spelling.
_COMPOUNDS = re.compile(
    r"\b(mov(?:e|ed|ing)|check(?:ed|ing)?|top(?:ped|ping)?|wi|log)\s+(in|out|up|fi)\b"
)

_IRREGULAR = {
    "lost": "lose",
    "losing": "lose",
    "left": "leave",
    "broke": "break",
    "broken": "break",
    "went": "go",
    "gone": "go",
    "children": "child",
    "men": "man",
    "women": "woman",
    "wifi": "wifi",
    "paid": "pay",
    "bought": "buy",
    "stolen": "steal",
    "stole": "steal",
}
# What is left of English contractions once the apostrophe goes ("doesn't" → "doesn").
_CONTRACTED_WORDS = "doesn isn don can won didn wasn aren couldn shouldn wouldn haven hasn"
_CONTRACTED = frozenset(_CONTRACTED_WORDS.split())


def stem(word: str) -> str:
    """A light English stemmer: enough to match inflections, consistently on both sides."""
    if word in _IRREGULAR:
        word = _IRREGULAR[word]  # then stemmed like any word: lost → lose → los
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # topping → topp → top
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # charge, charged, charging → charg
    return word


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    text = _COMPOUNDS.sub(r"\1-\2", text)
    for word in ZH_STOP_WORDS:
        text = text.replace(word, " ")
    return text


def is_han(term: str) -> bool:
    return bool(_HAN.match(term))


@dataclass
class Analysed:
    """The terms of one text, with counts, and the units a query consists of."""

    words: Counter[str] = field(default_factory=Counter)  # English stems
    bigrams: Counter[str] = field(default_factory=Counter)
    unigrams: Counter[str] = field(default_factory=Counter)
    # Query units: ("w", stem) for English words; ("c", piece, index) for Han characters.
    units: list[tuple[str, ...]] = field(default_factory=list)
    # Han pieces after splitting at function characters, in order.
    pieces: list[str] = field(default_factory=list)

    def terms(self) -> Counter[str]:
        return self.words + self.bigrams + self.unigrams


def _han_pieces(run: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for char in run:
        if char in ZH_STOP:
            if current:
                pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    if current:
        pieces.append("".join(current))
    return pieces


def _implied_positions(piece: str) -> set[int]:
    positions: set[int] = set()
    for word in DOMAIN_ZH:
        start = piece.find(word)
        while start != -1:
            positions.update(range(start, start + len(word)))
            start = piece.find(word, start + 1)
    return positions


def analyse(text: str) -> Analysed:
    result = Analysed()
    for token in _TOKEN.findall(normalise(text)):
        if is_han(token):
            for piece in _han_pieces(token):
                result.pieces.append(piece)
                implied = _implied_positions(piece)
                for index, char in enumerate(piece):
                    result.unigrams[char] += 1
                    if index not in implied:
                        result.units.append(("c", piece, str(index)))
                for index in range(len(piece) - 1):
                    result.bigrams[piece[index : index + 2]] += 1
            continue
        if "'" in token:  # what's → what, doesn't → doesn (a stop word)
            token = token.split("'")[0]
            if token in _CONTRACTED:
                continue
        parts = token.split("-")
        if len(parts) > 1:
            joined = "".join(stem(part) for part in parts)  # moved-out, move-out → movout
            result.words[joined] += 1
            if joined not in DOMAIN_EN:
                result.units.append(("w", joined))
            for part in parts:
                if len(part) >= 3 and part not in EN_STOP:
                    result.words[stem(part)] += 1
            continue
        if token in EN_STOP or (len(token) == 1 and not token.isdigit()):
            continue
        result.words[stem(token)] += 1
        # "11" in "door locks at 11" is not what the query is about
        if not token.isdigit() and stem(token) not in DOMAIN_EN:
            result.units.append(("w", stem(token)))
    return result


# Field weights when indexing an article (a BM25F-style weighted term frequency).
FIELD_WEIGHTS = {"title": 3.0, "aliases": 3.0, "tags": 2.0, "summary": 1.5, "body": 1.0}


def index_terms(fields: dict[str, str]) -> dict[str, float]:
    """Weighted term frequencies of an article from its named fields."""
    weighted: dict[str, float] = {}
    for name, text in fields.items():
        weight = FIELD_WEIGHTS[name]
        for term, count in analyse(text).terms().items():
            weighted[term[:64]] = weighted.get(term[:64], 0.0) + weight * count
    return weighted


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition counts as one edit), early exit
    once it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
