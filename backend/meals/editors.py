"""Who may change dishes and menus (services check it; ``dependencies.Editor`` resolves it)."""

from dataclasses import dataclass

from backend.identity.models import User
from backend.meals.exceptions import NotYourCanteen


@dataclass(frozen=True)
class MealsEditor:
    """Someone who may change dishes and menus: the logistics office (any canteen) or the
    staff of one canteen's team (``canteen_id``)."""

    user: User
    canteen_id: int | None  # None: the logistics office

    def check_canteen(self, canteen_id: int | None) -> None:
        """Raise unless this editor may change what belongs to ``canteen_id``
        (None: the campus-wide dish catalogue, which only the logistics office edits)."""
        if self.canteen_id is not None and self.canteen_id != canteen_id:
            raise NotYourCanteen()
