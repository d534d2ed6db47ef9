"""Text analysis: the same terms for articles and queries, English and Chinese."""

import pytest

from backend.dorms.analysis import analyse, edit_distance, index_terms, stem


@pytest.mark.parametrize(
    ("words", "stemmed"),
    [
        (["lock", "locks", "locked", "locking"], "lock"),
        (["charge", "charges", "charged", "charging"], "charg"),
        (["top", "topping", "topped"], "top"),
        (["laundry", "laundries"], "laundry"),
        (["lost", "lose", "losing", "loses"], "los"),
    ],
)
def test_inflections_share_a_stem(words: list[str], stemmed: str) -> None:
    assert {stem(word) for word in words} == {stemmed}


def test_english_drops_stop_words_and_joins_compounds() -> None:
    assert set(analyse("How do I top up my electricity?").words) == {"topup", "top", "electricity"}
    assert set(analyse("Wi-Fi, wi fi and WIFI").words) == {"wifi"}
    assert set(analyse("moving out").words) == set(analyse("move-out").words)
    assert set(analyse("what's wrong? it doesn't work").words) == {"wrong", "work"}


def test_full_width_text_is_normalised() -> None:
    assert analyse("ＷＩＦＩ连不上").words == analyse("wifi").words


def test_chinese_pairs_characters_between_function_words() -> None:
    result = analyse("电费怎么充")
    assert result.pieces == ["电费", "充"]
    assert set(result.bigrams) == {"电费"}
    assert set(result.unigrams) == {"电", "费", "充"}


def test_question_words_are_not_terms() -> None:
    assert analyse("宿舍几点关门").pieces == ["宿舍", "关门"]
    assert analyse("钥匙丢了怎么办").pieces == ["钥匙丢"]
    assert analyse("怎么办").units == []


def test_dorm_words_need_no_explaining() -> None:
    """宿舍 / dorm are terms, but not units a query must be covered on."""
    result = analyse("宿舍关门 dorm")
    assert "宿舍" in result.bigrams
    assert "dorm" in result.words
    assert result.units == [("c", "宿舍关门", "2"), ("c", "宿舍关门", "3")]


def test_mixed_text() -> None:
    result = analyse("B7洗衣房在哪 laundry")
    assert set(result.words) == {"b7", "laundry"}
    assert {"洗衣", "衣房"} <= set(result.bigrams)


def test_field_weights() -> None:
    terms = index_terms({"title": "Lost key", "body": "key key"})
    assert terms["key"] == 3.0 + 2.0  # title ×3, body ×1 twice
    assert terms["los"] == 3.0


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("laundary", "laundry", 1),
        ("quite", "quiet", 1),
        ("electricty", "electricity", 1),
        ("dryer", "drier", 1),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 3) == distance
    assert edit_distance(a, b, distance - 1) > distance - 1
    assert edit_distance("key", "kitchen", 2) == 3  # gives up past the limit
