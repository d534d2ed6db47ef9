"""Demo residents: a deterministic cohort of students with bilingual names, housed in the
demo buildings (the demo accounts s20240001/s20240002 keep their own rooms). Drawn from
the name pools and shares of ``demo/dorms/residents.yml``."""

import random
from typing import NamedTuple

from pydantic import BaseModel

from backend.identity.models import Allergen, Diet, Locale
from backend.seed.data import parse, read_yaml, thresholds

SOURCE = "dorms/residents.yml"


class Cohort(BaseModel):
    """demo/dorms/residents.yml."""

    random_seed: str
    count: int
    first_number: int
    international_share: float
    english_locale_share: float
    given_name_syllables: list[int]
    diets: dict[Diet, float]
    allergens: dict[Allergen, float]
    surnames: list[tuple[str, str]]  # (Chinese, pinyin)
    given: list[tuple[str, str]]
    international: list[tuple[str, str]]  # (English name, Chinese name)


class StudentSeed(NamedTuple):
    username: str
    name: str
    locale: Locale
    diets: list[str]
    allergens: list[str]


COHORT: Cohort = parse(Cohort, read_yaml(SOURCE), f"demo/{SOURCE}")


def student_seeds() -> list[StudentSeed]:
    """The same cohort every time (one fixed random stream)."""
    cohort = COHORT
    rng = random.Random(cohort.random_seed)
    diet_rolls = thresholds(cohort.diets)
    students = []
    for n in range(cohort.count):
        username = f"s{cohort.first_number + n}"
        if rng.random() < cohort.international_share:
            english, chinese = cohort.international[rng.randrange(len(cohort.international))]
            name, locale = f"{english} {chinese}", Locale.en
        else:
            surname_zh, surname_en = cohort.surnames[rng.randrange(len(cohort.surnames))]
            given = [
                cohort.given[rng.randrange(len(cohort.given))]
                for _ in range(rng.choice(cohort.given_name_syllables))
            ]
            given_zh = "".join(zh for zh, _ in given)
            given_en = "".join(en for _, en in given).capitalize()
            name = f"{surname_zh}{given_zh} {surname_en} {given_en}"
            locale = Locale.en if rng.random() < cohort.english_locale_share else Locale.zh
        roll = rng.random()
        diets = [diet.value for diet, upto in diet_rolls if roll < upto][:1]  # one at most
        allergens = sorted(
            allergen.value for allergen, chance in cohort.allergens.items() if rng.random() < chance
        )
        students.append(StudentSeed(username, name, locale, diets, allergens))
    return students
