"""Campus clock and who may change dishes and menus."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends

from backend.core.deps import SessionDep, SettingsDep
from backend.identity.dependencies import CurrentUser
from backend.identity.models import Role, Team, TeamKind, User
from backend.meals.exceptions import CanteenStaffOnly, NotYourCanteen


async def get_now(settings: SettingsDep) -> datetime:
    """Now, in the campus time zone. Tests override this dependency to fix the clock."""
    return datetime.now(settings.tz)


Now = Annotated[datetime, Depends(get_now)]


async def get_today(now: Now, settings: SettingsDep) -> date:
    """Today on campus."""
    return now.astimezone(settings.tz).date()


Today = Annotated[date, Depends(get_today)]


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


async def get_meals_editor(user: CurrentUser, session: SessionDep) -> MealsEditor:
    if user.is_admin:
        return MealsEditor(user=user, canteen_id=None)
    if user.role == Role.canteen_staff and user.team_id is not None:
        team = await session.get(Team, user.team_id)
        if team is not None and team.kind == TeamKind.canteen and team.canteen_id is not None:
            return MealsEditor(user=user, canteen_id=team.canteen_id)
    raise CanteenStaffOnly()


Editor = Annotated[MealsEditor, Depends(get_meals_editor)]
