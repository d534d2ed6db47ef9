"""Who may edit dorm information, and the reader's building for search."""

from typing import Annotated

from fastapi import Depends
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.deps import ClockDep, SessionDep
from backend.dorms.exceptions import DormStaffOnly, NotYourBuilding
from backend.dorms.service import current_room
from backend.identity.dependencies import CurrentUser
from backend.identity.models import Role, Team, TeamKind, User


async def managed_building_id(session: AsyncSession, user: User) -> int | None:
    """The building a dorm manager looks after (None for everyone else)."""
    if user.role != Role.dorm_manager or user.team_id is None:
        return None
    team = await session.get(Team, user.team_id)
    if team is None or team.kind != TeamKind.dorm:
        return None
    return team.building_id


class DormEditor:
    """An admin (every building, general articles) or a dorm manager (one building)."""

    def __init__(self, user: User, building_id: int | None) -> None:
        self.user = user
        self.building_id = building_id

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin

    def check_building(self, building_id: int | None) -> None:
        if self.is_admin:
            return
        if building_id is None or building_id != self.building_id:
            raise NotYourBuilding()


async def get_dorm_editor(user: CurrentUser, session: SessionDep) -> DormEditor:
    if user.is_admin:
        return DormEditor(user, None)
    building_id = await managed_building_id(session, user)
    if building_id is None:
        raise DormStaffOnly()
    return DormEditor(user, building_id)


async def get_reader_building(
    user: CurrentUser, session: SessionDep, clock: ClockDep
) -> int | None:
    """Whose perspective search ranks from: a student's building today, a dorm manager's."""
    if user.role == Role.student:
        home = await current_room(session=session, student_id=user.id, on=clock.today())
        return home[0].id if home else None
    return await managed_building_id(session, user)


DormEditorDep = Annotated[DormEditor, Depends(get_dorm_editor)]
ReaderBuilding = Annotated[int | None, Depends(get_reader_building)]
