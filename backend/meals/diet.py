"""Which dishes suit a person's diets and allergens: one rule set for menus and suggestions.

- ``vegan``: only dishes labelled vegan;
- ``vegetarian``: only dishes labelled vegetarian (every vegan dish is);
- ``halal``: only dishes labelled halal (prepared at a halal window);
- ``no_pork``: no dish that contains pork, lard or pork stock;
- allergens: never a dish labelled with any of them.

Unknown diet or allergen values (none can be stored through the API) rule nothing out.
"""

from collections.abc import Collection

from backend.identity.models import Diet
from backend.meals.models import DishTag
from backend.meals.schemas import DishPublic

_REQUIRED_TAG = {
    Diet.vegan: DishTag.vegan,
    Diet.vegetarian: DishTag.vegetarian,
    Diet.halal: DishTag.halal,
}


def conflicts(dish: DishPublic, *, diets: Collection[str], allergens: Collection[str]) -> list[str]:
    """Why ``dish`` does not suit (empty: it suits): diet values and allergen names."""
    reasons = [
        diet.value for diet, tag in _REQUIRED_TAG.items() if diet in diets and tag not in dish.tags
    ]
    if Diet.no_pork in diets and dish.contains_pork:
        reasons.append(Diet.no_pork.value)
    reasons.extend(allergen.value for allergen in dish.allergens if allergen in allergens)
    return reasons


def suits(dish: DishPublic, *, diets: Collection[str], allergens: Collection[str]) -> bool:
    return not conflicts(dish, diets=diets, allergens=allergens)
