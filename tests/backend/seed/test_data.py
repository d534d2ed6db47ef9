"""The demo data files are checked before anything is seeded: a mistake names the file,
the line or entry and the field to fix."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.seed import data
from backend.seed.dorms import BuildingRules
from backend.seed.meals import CanteenSeed, DishSeed, HoursSeed, weekdays


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(data, "DEMO", tmp_path)
    data.read_yaml.cache_clear()
    yield tmp_path
    data.read_yaml.cache_clear()


def test_a_bad_csv_cell_names_its_line_and_column(demo: Path) -> None:
    (demo / "dishes.csv").write_text(
        "name_en,name_zh,price_fen,kcal,protein_g,fat_g,carbs_g,sodium_mg,meals,pork\n"
        "Soy Milk,豆浆,150,110,7,4,11,20,B,\n"
        "Tea Egg,茶叶蛋,150,lots,6,5,1,190,B,yes\n"
    )
    with pytest.raises(data.DemoDataError) as error:
        data.csv_rows(DishSeed, "dishes.csv")
    assert str(error.value).startswith("demo/dishes.csv line 3: kcal: ")


def test_empty_csv_cells_take_the_default(demo: Path) -> None:
    (demo / "dishes.csv").write_text(
        "name_en,name_zh,price_fen,kcal,protein_g,fat_g,carbs_g,sodium_mg,meals,allergens,pork\n"
        "Soy Milk,豆浆,150,110,7,4,11,20,B,,\n"
    )
    [dish] = data.csv_rows(DishSeed, "dishes.csv")
    assert (dish.allergens, dish.tags, dish.pork, dish.protein_g) == ("", "", False, 7.0)


def test_an_unquoted_time_is_refused_not_misread(demo: Path) -> None:
    # YAML reads 23:00 as 1380 (base 60); read as seconds it would be 00:23.
    fields = {
        **dict.fromkeys(BuildingRules._fields, "text"),
        **dict.fromkeys(("quiet_ends", "door_locks_at", "door_opens_at"), '"07:00"'),
        "quiet_starts": "23:00",
    }
    entry = "\n  ".join(f"{name}: {value}" for name, value in fields.items())
    (demo / "buildings.yml").write_text(f"buildings:\n- {entry}\n")
    with pytest.raises(data.DemoDataError) as error:
        data.field("buildings.yml", "buildings", list[BuildingRules])
    assert str(error.value) == (
        "demo/buildings.yml: buildings[0].quiet_starts: Value error, write times as quoted "
        'text, e.g. "23:00"'
    )


def test_a_missing_entry_is_named(demo: Path) -> None:
    (demo / "menus.yml").write_text("days_back: 14\n")
    with pytest.raises(data.DemoDataError, match=r"demo/menus.yml: missing 'days_ahead'"):
        data.field("menus.yml", "days_ahead", int)


def test_opening_days_are_a_range_of_weekdays() -> None:
    assert weekdays("Mon-Fri") == range(5)
    assert weekdays("Sat-Sun") == range(5, 7)
    for wrong in ("Fri-Mon", "Monday-Friday", "Mon"):
        with pytest.raises(data.DemoDataError, match="write a range such as Mon-Fri"):
            weekdays(wrong)


def test_shares_add_up_exactly() -> None:
    assert data.thresholds({"zh": 0.6, "en": 0.3, "both": 0.1}) == [
        ("zh", 0.6),
        ("en", 0.9),
        ("both", 1.0),
    ]


def test_a_nested_part_is_checked_where_it_is(demo: Path) -> None:
    entry = "{slug: south, name_en: S, name_zh: 南, location_en: x, location_zh: x"
    for extra, problem in (
        ("hour: []", "canteens[0].hour: Extra inputs are not permitted"),  # misspelt
        ("", "canteens[0].hours: Input should be a valid list"),  # missing
    ):
        (demo / "canteens.yml").write_text(f"canteens:\n- {entry}, {extra}}}\n")
        data.read_yaml.cache_clear()
        with pytest.raises(data.DemoDataError) as error:
            data.with_part("canteens.yml", "canteens", CanteenSeed, "hours", list[HoursSeed])
        assert str(error.value) == f"demo/canteens.yml: {problem}"
