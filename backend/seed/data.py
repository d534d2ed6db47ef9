"""The demo campus's data files (``demo/`` at the repository root), read and checked.

Each file is validated against the seed's own record types (NamedTuples and pydantic
models), so a typo fails the seed with the file and the field to fix, before anything is
written.
"""

import csv
import functools
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BeforeValidator, TypeAdapter, ValidationError

DEMO = Path(__file__).resolve().parents[2] / "demo"
K = TypeVar("K")


class DemoDataError(Exception):
    """A demo data file is missing or does not fit its record type."""


def _clock_text(value: Any) -> Any:
    # Unquoted, YAML reads 23:00 as the number 1380 (base 60): refuse it rather than guess.
    if not isinstance(value, str):
        raise ValueError('write times as quoted text, e.g. "23:00"')
    return value


ClockTime = Annotated[time, BeforeValidator(_clock_text)]


@functools.cache
def read_yaml(name: str) -> Any:
    try:
        return yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DemoDataError(f"demo/{name}: {error}") from error


def _where(location: tuple[int | str, ...]) -> str:
    """("buildings", 0, "rules", "quiet_starts") → "buildings[0].rules.quiet_starts"."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def parse(kind: Any, data: Any, source: str, where: tuple[int | str, ...] = ()) -> Any:
    """``data`` as ``kind`` (a type or type expression), or a DemoDataError naming
    ``source`` (e.g. "demo/meals/plans.yml") and every field to fix."""
    try:
        return TypeAdapter(kind).validate_python(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{_where((*where, *problem['loc']))}: {problem['msg']}" for problem in error.errors()
        )
        raise DemoDataError(f"{source}: {problems}") from error


def csv_rows(kind: Any, name: str) -> list[Any]:
    """Every row of a CSV file with a header line as ``kind``; empty cells are left out
    (the field's default). Errors name the line."""
    try:
        with (DEMO / name).open(encoding="utf-8", newline="") as file:
            found = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(file)]
    except OSError as error:
        raise DemoDataError(f"demo/{name}: {error}") from error
    # Line 1 is the header.
    return [parse(kind, row, f"demo/{name} line {n}") for n, row in enumerate(found, start=2)]


def field(name: str, key: str, kind: Any) -> Any:
    """One top-level entry of a YAML file, as ``kind``."""
    data = read_yaml(name)
    if not isinstance(data, dict) or key not in data:
        raise DemoDataError(f"demo/{name}: missing {key!r}")
    return parse(kind, data[key], f"demo/{name}", (key,))


def with_part(name: str, key: str, kind: Any, part: str, part_kind: Any) -> list[tuple[Any, Any]]:
    """The entries of a YAML list whose entries each carry a nested ``part`` (a canteen's
    hours): each entry without it as ``kind``, paired with the part as ``part_kind``."""
    entries = field(name, key, list[dict[str, Any]])
    return [
        (
            parse(kind, {k: v for k, v in entry.items() if k != part}, f"demo/{name}", (key, i)),
            parse(part_kind, entry.get(part), f"demo/{name}", (key, i, part)),
        )
        for i, entry in enumerate(entries)
    ]


def thresholds(shares: Mapping[K, float]) -> list[tuple[K, float]]:
    """Each name with the running total of the shares up to it, to compare one random draw
    with (rounded: 0.6 + 0.3 is 0.9 here, not 0.8999999999999999)."""
    total, cumulative = 0.0, []
    for name, share in shares.items():
        total = round(total + share, 9)
        cumulative.append((name, total))
    return cumulative
