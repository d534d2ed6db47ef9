"""The meals editor of a request (the logistics office or a canteen's staff)."""

from typing import Annotated

from fastapi import Depends

from backend.core.deps import SessionDep
from backend.identity.dependencies import CurrentUser
from backend.identity.models import Role, Team, TeamKind
from backend.meals.editors import MealsEditor
from backend.meals.exceptions import CanteenStaffOnly


async def get_meals_editor(user: CurrentUser, session: SessionDep) -> MealsEditor:
    if user.is_admin:
        return MealsEditor(user=user, canteen_id=None)
    if user.role == Role.canteen_staff and user.team_id is not None:
        team = await session.get(Team, user.team_id)
        if team is not None and team.kind == TeamKind.canteen and team.canteen_id is not None:
            return MealsEditor(user=user, canteen_id=team.canteen_id)
    raise CanteenStaffOnly()


Editor = Annotated[MealsEditor, Depends(get_meals_editor)]
